"""Delivery faults through the real broker: a slow receiver, a worker killed mid-send,
and two subscribers whose URLs differ only in their password."""

from __future__ import annotations

import signal

from alerts.delivery import IDEMPOTENCY_FIELD, IDEMPOTENCY_HEADER
from tests.receivers import HttpReceiver

from .harness import newswatch
from .test_alerts import FAST, assert_quiet, replay


def test_a_receiver_answering_in_5s_gets_the_alert_once(config_for, workers):
    with HttpReceiver() as hook:
        hook.delay_s = 5.0
        config = config_for(channels=[{"name": "ops", "urls": [hook.url], **FAST}])
        workers(config)
        replay(config)
        hook.wait_for(1, timeout=90)
        assert_quiet(hook, 1, 6)
        assert len(hook.started) == 1


def test_kill_9_mid_delivery_gives_at_most_one_repeat_with_the_same_key(config_for, workers):
    with HttpReceiver() as hook:
        hook.delay_s = 5.0
        config = config_for(channels=[{"name": "ops", "urls": [hook.url], **FAST}])
        first = workers(config)
        replay(config)
        hook.wait_started(1, timeout=90)  # the POST is in flight...
        first.proc.send_signal(signal.SIGKILL)  # ...when the worker dies
        first.proc.wait(10)
        hook.delay_s = 0.0
        second = workers(config)
        hook.wait_for(2, timeout=120)  # the first (answered late) and the resend
        assert_quiet(hook, 2, 5)
        keys = {h["headers"][IDEMPOTENCY_HEADER] for h in hook.hits}
        assert len(keys) == 1 and {h["body"][IDEMPOTENCY_FIELD] for h in hook.hits} == keys
        second.wait_for_log("when a worker stopped", timeout_s=5)
        print(f"\nkill -9 mid-delivery: {len(hook.hits)} POSTs, one key {keys}")


def test_urls_differing_only_in_password_are_delivered_and_redelivered_apart(config_for, workers):
    with HttpReceiver(path="/x") as hook:
        one = f"json://u:PWONE@127.0.0.1:{hook.port}/x"
        two = f"json://u:PWTWO@127.0.0.1:{hook.port}/x"
        config = config_for(channels=[{"name": "ops", "urls": [], **FAST}])
        worker = workers(config)
        for url in (one, two):
            assert newswatch("subscribe", "ops", url, "--config", str(config)).returncode == 0
        listed = newswatch("channels", "--config", str(config)).stdout
        assert "/x #1" in listed and "/x #2" in listed and "PW" not in listed
        worker.wait_for_log("news.subscriptions set: ops ←", timeout_s=15)
        hook.fail_passwords = {"PWTWO"}
        replay(config)
        hook.wait_for(1, timeout=60)
        worker.wait_for_log("to ops failed:", timeout_s=30)
        hook.fail_passwords = set()
        done = newswatch("alerts", "redeliver", "--config", str(config))
        assert "1 dead alert(s) sent back" in done.stdout, done.stdout + done.stderr
        hook.wait_for(2, timeout=30)
        assert_quiet(hook, 2, 3)
        got = sorted(h["password"] for h in hook.hits if h["status"] == 200)
        assert got == ["PWONE", "PWTWO"]
        assert "PWONE" not in worker.log() and "PWTWO" not in worker.log()
