"""The metric hooks, without Kafka: reason classes and what each hook counts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from stream import metrics
from stream.metrics import ALERTS, DEAD_LETTERS, reason_class


def count(counter, *labels):
    return counter.labels(*labels)._value.get()


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("not JSON: Expecting value at line 1 column 1", "not_json"),
        ("missing required field 'text'", "missing_field"),
        ("field 'text' is empty", "empty_text"),
        ("not valid UTF-8 (byte 0)", "not_utf8"),
        ("item is 5000 bytes, over the limit of 4000 (worker.max_item_bytes)", "too_large"),
        ("empty message (no value)", "empty_message"),
        ("field 'title' must be a string, got int", "bad_field"),
        ("detector 'strike' failed: ValueError: x", "detector_error"),
        ("routing failed: KeyError: 'id'", "routing_error"),
        ("something nobody foresaw", "other"),
    ],
)
def test_reasons_fall_in_a_fixed_set_of_classes(reason, expected):
    assert reason_class(reason) == expected


def test_dead_letter_counts_items_only_for_items():
    dead_before = count(DEAD_LETTERS, "routing_error")
    items_before = count(metrics.ITEMS, "dead")
    metrics.dead_letter("routing failed: KeyError", item=False)
    metrics.dead_letter("not JSON: x", item=True)
    assert count(DEAD_LETTERS, "routing_error") == dead_before + 1
    assert count(metrics.ITEMS, "dead") == items_before + 1


async def test_counted_dispatch_counts_once_per_delivery():
    deliveries: dict = {}

    async def deliver_ok(alert, *, deliveries):
        deliveries[alert["id"]] = {"status": "delivered", "attempts": 2}

    async def already_done(alert, *, deliveries):
        return None

    sent = count(ALERTS, "t-ops", "sent")
    failed = count(ALERTS, "t-ops", "failed")
    alert = {"id": "a1", "channel": "t-ops"}
    await metrics.counted(deliver_ok)(alert, deliveries=deliveries)
    await metrics.counted(already_done)(alert, deliveries=deliveries)  # read again: no count
    assert count(ALERTS, "t-ops", "sent") == sent + 1
    assert count(ALERTS, "t-ops", "failed") == failed + 1  # the first of two attempts

    async def gives_up(alert, *, deliveries):
        deliveries[alert["id"]] = {"status": "failed", "attempts": 3}
        return {"alert": alert, "attempts": 3}

    dead = count(ALERTS, "t-ops", "dead")
    await metrics.counted(gives_up)({"id": "a2", "channel": "t-ops"}, deliveries=deliveries)
    assert count(ALERTS, "t-ops", "dead") == dead + 1
    assert count(ALERTS, "t-ops", "failed") == failed + 4


def test_route_events_count_duplicates_and_silenced():
    before = count(ALERTS, "t-r", "silenced"), count(ALERTS, "t-r", "duplicate")
    for kind in ("silenced", "duplicate", "queued"):
        metrics.route_event(SimpleNamespace(kind=kind, channel="t-r"))
    assert (count(ALERTS, "t-r", "silenced"), count(ALERTS, "t-r", "duplicate")) == (
        before[0] + 1,
        before[1] + 1,
    )
