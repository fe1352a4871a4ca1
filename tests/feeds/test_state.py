"""Per-source state: back-off, the seen-id memory, the last-day count."""

from __future__ import annotations

from stream.feeds.model import PollerSettings
from stream.feeds.state import (
    SourceState,
    backoff_s,
    count_published,
    id_hash,
    remember,
)


def test_backoff_doubles_up_to_the_cap():
    assert [backoff_s(n, 60, 3600) for n in range(1, 7)] == [120, 240, 480, 960, 1920, 3600]
    assert backoff_s(1000, 60, 3600) == 3600


def test_ids_in_the_feed_are_kept_and_old_ones_forgotten():
    settings = PollerSettings(seen_retention_s=100, max_seen=2)
    state = SourceState("s")
    remember(state, ["a", "b", "c"], 0.0, settings)
    assert all(state.is_seen(i) for i in "abc")  # all in the feed now, over max_seen
    remember(state, ["c"], 50.0, settings)
    assert all(state.is_seen(i) for i in "abc")  # a, b left 50 s ago: still remembered
    remember(state, ["c"], 140.0, settings)
    remember(state, ["d"], 150.0, settings)
    assert not state.is_seen("a") and not state.is_seen("b")  # gone over 100 s
    remember(state, ["e"], 160.0, settings)
    remember(state, ["f"], 170.0, settings)
    # f is in the feed; of the others, the max_seen (2) most recently in it are kept.
    assert set(state.seen) == {id_hash("f"), id_hash("e"), id_hash("d")}


def test_items_in_the_last_day():
    state = SourceState("s")
    count_published(state, 3, 0.0)
    count_published(state, 2, 3600.0 * 20)
    assert state.items_last_day(3600.0 * 20) == 5
    count_published(state, 1, 3600.0 * 30)
    assert state.items_total == 6 and state.items_last_day(3600.0 * 30) == 3


def test_state_round_trips_through_json():
    import json

    state = SourceState("s", etag='"x"', failures=2, skipped={"language:fr": 1})
    remember(state, ["a"], 5.0, PollerSettings())
    again = SourceState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert again == state and again.is_seen("a")
    assert SourceState.from_dict({"name": "s", "future_field": 1}).name == "s"
