"""Novelty: an alliance already seen within its window is not new."""

from __future__ import annotations

from detectors.novelty import novelty_key, novelty_windows, split_new

DAY = 86400.0


def alliance(parties, relation="pact"):
    return {"detector": "alliance", "parties": parties, "relation": relation, "id": relation}


def test_windows_come_from_detector_settings():
    assert novelty_windows({}) == {"alliance": 30 * DAY}
    assert novelty_windows({"detectors": {"alliance": {"repeat_window": "2d"}}}) == {
        "alliance": 2 * DAY
    }


def test_same_parties_and_relation_within_window_is_known():
    seen: dict = {}
    windows = {"alliance": 10 * DAY}
    strike = {"detector": "strike", "actor": "RU"}
    new, known = split_new([alliance(["KP", "RU"]), strike], seen, 0.0, windows)
    assert (new, known) == ([alliance(["KP", "RU"]), strike], [])
    new, known = split_new([alliance(["RU", "KP"]), strike], seen, 5 * DAY, windows)
    assert new == [strike] and known == [alliance(["RU", "KP"])]
    # Another relation between the same parties is news; so is the same after the window.
    new, _ = split_new([alliance(["KP", "RU"], "treaty")], seen, 5 * DAY, windows)
    assert new == [alliance(["KP", "RU"], "treaty")]
    new, _ = split_new([alliance(["KP", "RU"])], seen, 11 * DAY, windows)
    assert new == [alliance(["KP", "RU"])]
    assert novelty_key(alliance(["RU", "KP"])) == "alliance|KP,RU|pact"
