"""Novelty: an event already seen within its detector's window is not new."""

from __future__ import annotations

import pytest

from alerts.novelty import RoutingSettings, split_new
from detectors.settings import ConfigError, load_settings

from .conftest import alliance, strike

DAY = 86400.0


def test_windows_are_routing_settings_with_alliances_by_default():
    assert load_settings(RoutingSettings, None, "routing").novelty_windows == {"alliance": 30 * DAY}
    custom = load_settings(RoutingSettings, {"novelty_windows": {"strike": "2d"}}, "routing")
    assert custom.novelty_windows == {"strike": 2 * DAY}
    with pytest.raises(ConfigError, match=r"routing.novelty_windows.strike"):
        load_settings(RoutingSettings, {"novelty_windows": {"strike": "soon"}}, "routing")


def test_same_event_within_window_is_known():
    seen: dict = {}
    windows = {"alliance": 10 * DAY}
    pact, hit = alliance(parties=["KP", "RU"], relation="pact"), strike()
    new, known = split_new([pact, hit], seen, 0.0, windows)
    assert (new, known) == ([pact, hit], [])
    again = alliance("b2", parties=["RU", "KP"], relation="pact")
    new, known = split_new([again, hit], seen, 5 * DAY, windows)
    assert new == [hit] and known == [again]
    # Another event between the same parties is news; so is the same after the window.
    treaty = alliance(parties=["KP", "RU"], relation="treaty")
    assert split_new([treaty], seen, 5 * DAY, windows)[0] == [treaty]
    assert split_new([pact], seen, 11 * DAY, windows)[0] == [pact]
    assert set(seen) == {pact["event"], treaty["event"]}
