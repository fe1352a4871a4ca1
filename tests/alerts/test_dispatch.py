"""Dispatch: each URL gets an alert once, across retries, restarts and redeliveries."""

from __future__ import annotations

import asyncio
import json

from alerts.channels import load_channels
from alerts.delivery import mask_url, url_key
from alerts.dispatch import DELIVERED, FAILED, dispatch
from tests.receivers import HttpReceiver, free_port

ALERT = {
    "id": "al1",
    "channel": "ops",
    "title": "Large strike",
    "body": "500 drones",
    "severity": "high",
    "detections": [],
}


async def no_wait(_seconds: float) -> None:
    return None


def channels(*urls: str) -> dict:
    [channel] = load_channels([{"name": "ops", "urls": list(urls), "retries": 1}])
    return {"ops": channel}


def run(alert, chans, deliveries, subscriptions=None):
    return asyncio.run(
        dispatch(
            alert,
            channels=chans,
            deliveries=deliveries,
            subscriptions=subscriptions or {},
            sleep=no_wait,
        )
    )


def test_delivered_alert_is_recorded_and_not_sent_again():
    with HttpReceiver() as hook:
        deliveries: dict = {}
        assert run(ALERT, channels(hook.url), deliveries) is None
        assert deliveries["al1"]["status"] == DELIVERED
        assert run(ALERT, channels(hook.url), deliveries) is None  # e.g. read again after restart
        assert [p["title"] for p in hook.requests] == ["Large strike"]


def test_partial_failure_is_dead_lettered_and_redelivery_skips_who_has_it():
    down_port = free_port()
    down = f"json://user:s3cretpass@127.0.0.1:{down_port}/hook"
    with HttpReceiver() as up:
        chans = channels(up.url, down)
        deliveries: dict = {}
        dead = run(ALERT, chans, deliveries)
        assert dead is not None and dead["alert"]["id"] == "al1"
        assert dead["failed"] == [mask_url(down)]
        assert dead["delivered"] == [url_key(up.url)]
        assert dead["attempts"] == 2
        assert "s3cretpass" not in json.dumps(dead)
        assert deliveries["al1"]["status"] == FAILED

        with HttpReceiver(port=down_port) as back:
            assert run(ALERT, chans, deliveries) is None
            assert len(back.wait_for(1)) == 1
        assert len(up.requests) == 1  # the URL that had it is not sent it again
        assert deliveries["al1"]["status"] == DELIVERED


def test_alert_for_an_unknown_channel_is_dead_lettered():
    deliveries: dict = {}
    dead = run({**ALERT, "channel": "gone"}, channels(), deliveries)
    assert "channel 'gone' is not configured" in dead["reason"]
    assert deliveries["al1"]["status"] == FAILED


def test_channel_without_urls_shows_alerts_in_the_log_until_subscribed(caplog):
    with HttpReceiver() as hook:
        deliveries: dict = {}
        with caplog.at_level("INFO", logger="alerts.dispatch"):
            assert run(ALERT, channels(), deliveries) is None
        assert ALERT["title"] in caplog.text and ALERT["body"] in caplog.text
        assert deliveries["al1"]["status"] == DELIVERED
        subs = {"ops\x00" + hook.url: {"channel": "ops", "url": hook.url, "active": True}}
        assert run({**ALERT, "id": "al2"}, channels(), deliveries, subs) is None
        assert len(hook.requests) == 1
