"""Deliveries recognised by key: idempotency keys on the wire, time-outs that fit the
receiver, URLs that mask alike kept apart, and the in-flight mark before a send."""

from __future__ import annotations

import asyncio
import json

from alerts.channels import load_channels
from alerts.delivery import (
    IDEMPOTENCY_FIELD,
    IDEMPOTENCY_HEADER,
    deliver,
    display_urls,
    idempotency_key,
    url_key,
)
from alerts.dispatch import DELIVERED, IN_FLIGHT, dispatch
from tests.receivers import HttpReceiver

ALERT = {"id": "al9", "channel": "ops", "title": "T", "body": "B", "severity": "high"}


async def no_wait(_seconds: float) -> None:
    return None


def test_url_keys_tell_apart_urls_that_mask_alike():
    one, two = "json://u:PWONE@127.0.0.1:9/x", "json://u:PWTWO@127.0.0.1:9/x"
    assert url_key(one) != url_key(two) and url_key(one) == url_key(one)
    assert display_urls([one, two]) == [
        "json://u:****@127.0.0.1:9/x #1",
        "json://u:****@127.0.0.1:9/x #2",
    ]
    assert display_urls([one]) == ["json://u:****@127.0.0.1:9/x"]
    assert "PWONE" not in idempotency_key("al9", one)


def test_every_attempt_carries_the_same_idempotency_key_in_header_and_payload():
    with HttpReceiver() as hook:
        hook.fail_next(1)
        res = asyncio.run(deliver([hook.url], "T", "B", alert_id="al9", sleep=no_wait))
        hook.wait_for(1)
    assert res.ok and res.attempts == 2
    expected = idempotency_key("al9", hook.url)
    assert [h["headers"][IDEMPOTENCY_HEADER] for h in hook.hits] == [expected, expected]
    assert [h["body"][IDEMPOTENCY_FIELD] for h in hook.hits] == [expected, expected]


def test_a_receiver_slower_than_apprises_default_gets_it_once():
    # apprise waits 4 s for an answer by default; the channel's timeout (30 s) is used instead.
    with HttpReceiver() as hook:
        hook.delay_s = 5.0
        res = asyncio.run(deliver([hook.url], "T", "B", alert_id="al9", sleep=no_wait))
    assert res.ok and res.attempts == 1
    assert len(hook.started) == 1


def test_a_timed_out_send_without_a_key_is_not_retried():
    # gotify:// posts JSON but takes no extra headers: a time-out may have been received.
    with HttpReceiver() as hook:
        hook.delay_s = 1.5
        url = f"gotify://127.0.0.1:{hook.port}/abcdefghijklmno"
        res = asyncio.run(
            deliver([url], "T", "B", alert_id="al9", sleep=no_wait, timeout_s=0.5, retries=3)
        )
    assert not res.ok and res.attempts == 1 and len(hook.started) == 1
    assert "may have arrived" in res.error and "abcdefghijklmno" not in res.error


def test_a_timed_out_send_with_a_key_is_retried_with_that_key():
    with HttpReceiver() as hook:
        hook.delay_next(1, 1.5)
        res = asyncio.run(
            deliver([hook.url], "T", "B", alert_id="al9", sleep=no_wait, timeout_s=0.5)
        )
        hook.wait_for(2)  # the slow first answer lands too: a repeat the receiver can spot
    assert res.ok and res.attempts == 2
    keys = {json.loads(s["raw"])[IDEMPOTENCY_FIELD] for s in hook.started}
    assert keys == {idempotency_key("al9", hook.url)}


def test_two_urls_masking_alike_are_delivered_and_redelivered_separately():
    with HttpReceiver(path="/x") as hook:
        one = f"json://u:PWONE@127.0.0.1:{hook.port}/x"
        two = f"json://u:PWTWO@127.0.0.1:{hook.port}/x"
        [channel] = load_channels([{"name": "ops", "urls": [one, two], "retries": 0}])
        deliveries: dict = {}
        hook.fail_passwords = {"PWTWO"}
        dead = asyncio.run(
            dispatch(ALERT, channels={"ops": channel}, deliveries=deliveries, subscriptions={})
        )
        assert dead["failed"] == [f"json://u:****@127.0.0.1:{hook.port}/x #2"]
        assert deliveries["al9"]["delivered"] == [url_key(one)]
        assert "PWTWO" not in json.dumps(dead) and "PWTWO" not in json.dumps(deliveries)

        hook.fail_passwords = set()  # the second receiver recovers; redelivery
        again = asyncio.run(
            dispatch(ALERT, channels={"ops": channel}, deliveries=deliveries, subscriptions={})
        )
    assert again is None and deliveries["al9"]["status"] == DELIVERED
    got = [h["password"] for h in hook.hits if h["status"] == 200]
    assert sorted(got) == ["PWONE", "PWTWO"]


def test_urls_in_flight_are_marked_and_persisted_before_the_send():
    seen: list[dict] = []
    with HttpReceiver() as hook:
        [channel] = load_channels([{"name": "ops", "urls": [hook.url]}])
        deliveries: dict = {}

        async def persist() -> None:  # what the stream flushes; nothing sent yet
            seen.append({"record": dict(deliveries["al9"]), "started": len(hook.started)})

        asyncio.run(
            dispatch(
                ALERT,
                channels={"ops": channel},
                deliveries=deliveries,
                subscriptions={},
                persist=persist,
            )
        )
    [mark] = seen
    assert mark["started"] == 0
    assert mark["record"]["status"] == IN_FLIGHT
    assert mark["record"]["in_flight"] == [url_key(hook.url)]
    assert deliveries["al9"]["status"] == DELIVERED and deliveries["al9"]["in_flight"] == []


def test_a_send_left_in_flight_is_resent_to_those_urls_only(caplog):
    with HttpReceiver(path="/a") as a, HttpReceiver(path="/b") as b:
        [channel] = load_channels([{"name": "ops", "urls": [a.url, b.url]}])
        # As a worker killed mid-send leaves it: a had it, b was in flight.
        deliveries = {
            "al9": {
                "status": IN_FLIGHT,
                "delivered": [url_key(a.url)],
                "in_flight": [url_key(b.url)],
            }
        }
        with caplog.at_level("WARNING"):
            asyncio.run(
                dispatch(ALERT, channels={"ops": channel}, deliveries=deliveries, subscriptions={})
            )
        b.wait_for(1)
    assert a.hits == [] and len(b.hits) == 1
    assert b.hits[0]["headers"][IDEMPOTENCY_HEADER] == idempotency_key("al9", b.url)
    assert "when a worker stopped" in caplog.text
