"""Alerts through the real broker to real receivers: HTTP (json://) and SMTP (mailto://).

Each test runs ``newswatch worker`` as a subprocess against the session's
Kafka broker, with its own topics, and drives it with the CLI as a user would.
"""

from __future__ import annotations

import json
import time

from tests.receivers import HttpReceiver, SmtpReceiver, free_port

from .harness import REPO, newswatch, read_topic, topic_name

SEEDS = str(REPO / "seeds")
# Delivery tests count messages per channel: one digest per channel (group_by: []).
FAST = {
    "group_wait": "1s",
    "group_interval": "2s",
    "retries": 2,
    "retry_backoff": "0.2s",
    "group_by": [],
}


def replay(config, *paths):
    done = newswatch("replay", *(paths or (SEEDS,)), "--config", str(config), "--no-progress")
    assert done.returncode == 0, done.stderr
    return done


def detections_in(payloads):
    """All text the receiver got, for content checks."""
    return "\n".join(f"{p['title']}\n{p['message']}" for p in payloads)


def assert_quiet(receiver, count, seconds):
    """Nothing beyond ``count`` arrives within ``seconds``."""
    time.sleep(seconds)
    assert len(receiver.requests) == count, detections_in(receiver.requests[count:])


def test_seed_alert_reaches_json_and_mailto_receivers_once(config_for, workers, tmp_path):
    with HttpReceiver() as hook, SmtpReceiver() as smtp:
        config = config_for(
            channels=[
                {"name": "ops", "urls": [hook.url], **FAST},
                {"name": "mail", "urls": [smtp.url()], **FAST},
            ]
        )
        workers(config)
        started = time.monotonic()
        replay(config)
        [payload] = hook.wait_for(1, timeout=60)
        latency = time.monotonic() - started
        [mail] = smtp.wait_for(1, timeout=30)
        print(f"\nreplay → json:// receiver: {latency:.1f}s")

        # One message per channel holding both events of the seed (grouped), with content.
        assert set(payload) >= {"version", "title", "message", "type"}
        text = payload["message"]
        assert "500" in text and "drone" in text and "missile" in text
        assert "Russia" in text and "Ukraine" in text and "North Korea" in text
        assert "firing roughly 500 drones and two dozen missiles" in text  # evidence sentence
        body = SmtpReceiver.text(mail)
        assert "500" in body and "North Korea" in body
        assert mail["To"] == "b@example.com"

        # The same article replayed again: nothing new is sent to either channel.
        replay(config)
        assert_quiet(hook, 1, 6)
        assert len(smtp.messages) == 1


def test_restarted_worker_does_not_send_again(config_for, workers):
    with HttpReceiver() as hook:
        config = config_for(channels=[{"name": "ops", "urls": [hook.url], **FAST}])
        first = workers(config)
        replay(config)
        hook.wait_for(1, timeout=60)
        first.stop()
        workers(config)  # recovers its tables from the changelogs
        replay(config)
        assert_quiet(hook, 1, 8)


def test_receiver_failing_twice_then_recovering_gets_it_once(broker, config_for, workers):
    with HttpReceiver() as hook:
        hook.fail_next(2)
        config = config_for(channels=[{"name": "ops", "urls": [hook.url], **FAST}])
        workers(config)
        replay(config)
        hook.wait_for(1, timeout=60)
        assert [h["status"] for h in hook.hits] == [500, 500, 200]
        assert_quiet(hook, 1, 3)
        dead = read_topic(
            broker.bootstrap, topic_name(config, "news.alerts.dead"), count=1, timeout_s=2
        )
        assert dead == []


def test_receiver_down_past_retries_is_dead_lettered_then_redelivered(broker, config_for, workers):
    port = free_port()
    secret_url = f"json://bob:hunter2secret@127.0.0.1:{port}/hook"
    config = config_for(channels=[{"name": "ops", "urls": [secret_url], **FAST}])
    worker = workers(config)
    replay(config)
    [dead] = read_topic(broker.bootstrap, topic_name(config, "news.alerts.dead"), count=1)
    assert dead["channel"] == "ops"
    assert dead["attempts"] == 3  # first try + 2 retries
    assert "500 drones" in dead["alert"]["body"] or "500" in dead["alert"]["title"]
    assert "hunter2secret" not in json.dumps(dead)
    assert "hunter2secret" not in worker.log()

    with HttpReceiver(port=port) as hook:
        done = newswatch("alerts", "redeliver", "--config", str(config))
        assert done.returncode == 0, done.stderr
        assert "1 dead alert(s) sent back" in done.stdout
        [payload] = hook.wait_for(1, timeout=30)
        assert "500" in payload["message"]
        # A second redeliver finds nothing left to send.
        again = newswatch("alerts", "redeliver", "--config", str(config))
        assert "0 dead alert(s)" in again.stdout
        assert_quiet(hook, 1, 3)


def test_subscription_added_while_the_worker_runs_gets_the_next_alert(config_for, workers):
    with HttpReceiver() as first, HttpReceiver() as late:
        config = config_for(channels=[{"name": "ops", "urls": [first.url], **FAST}])
        worker = workers(config)
        done = newswatch("subscribe", "ops", late.url, "--config", str(config))
        assert done.returncode == 0, done.stderr
        listed = newswatch("channels", "--config", str(config))
        assert f"subscribed  {late.url}" in listed.stdout
        worker.wait_for_log("news.subscriptions set: ops ←", timeout_s=15)
        replay(config)
        [payload] = late.wait_for(1, timeout=60)
        assert "500" in payload["message"]
        first.wait_for(1, timeout=10)

        gone = newswatch("unsubscribe", "ops", late.url, "--config", str(config))
        assert gone.returncode == 0, gone.stderr
        assert late.url not in newswatch("channels", "--config", str(config)).stdout


def test_a_subscription_reaches_every_running_worker_within_seconds(config_for, workers):
    with HttpReceiver() as hook:
        config = config_for(channels=[{"name": "ops", "urls": [], **FAST}])
        both = [workers(config), workers(config)]
        secret = hook.url.replace("json://", "json://user:t0psecret@")
        subscribed_at = time.monotonic()
        done = newswatch("subscribe", "ops", secret, "--config", str(config))
        assert done.returncode == 0, done.stderr
        assert "t0psecret" not in done.stdout
        for worker in both:
            worker.wait_for_log("news.subscriptions set: ops ←", timeout_s=15)
            assert "t0psecret" not in worker.log()
        print(
            f"\nsubscription seen by both workers {time.monotonic() - subscribed_at:.1f}s "
            "after the command started"
        )
        replay(config)
        [payload] = hook.wait_for(1, timeout=60)
        assert "500" in payload["message"]
        assert_quiet(hook, 1, 4)  # two workers, still one message


def test_silenced_alert_is_recorded_not_sent(config_for, workers, tmp_path):
    with HttpReceiver() as hook:
        config = config_for(channels=[{"name": "ops", "urls": [hook.url], **FAST}])
        added = newswatch(
            "silence",
            "add",
            "--match",
            "detector=~strike|alliance",
            "--for",
            "1h",
            "--comment",
            "test",
            "--config",
            str(config),
        )
        assert added.returncode == 0, added.stderr
        silence_id = added.stdout.split()[1]
        listed = newswatch("silence", "list", "--config", str(config))
        assert silence_id in listed.stdout and "active" in listed.stdout
        worker = workers(config)
        replay(config)
        worker.wait_for_log("route silenced", 60)
        assert_quiet(hook, 0, 4)

        expired = newswatch("silence", "expire", silence_id, "--config", str(config))
        assert expired.returncode == 0, expired.stderr
        assert silence_id not in newswatch("silence", "list", "--config", str(config)).stdout
