"""``newswatch tail`` against a real broker: order, one line per alert, filters, errors."""

from __future__ import annotations

import json
import time

from kafka.admin import KafkaAdminClient, NewTopic

from tests.receivers import free_port

from .harness import newswatch, produce, topic_name


def alert(alert_id, created_at, severity="high", detector="strike", channel="ops"):
    return {
        "id": alert_id,
        "channel": channel,
        "severity": severity,
        "detections": [{"id": f"d-{alert_id}", "detector": detector, "severity": severity}],
        "items": {},
        "title": f"[{severity.upper()}] alert {alert_id}",
        "body": f"body of {alert_id}",
        "created_at": created_at,
    }


def test_tail_lists_in_time_order_once_each_with_attempts_and_filters(broker, config_for):
    config = config_for(
        channels=[{"name": "ops", "urls": []}, {"name": "mail", "urls": []}],
    )
    assert newswatch("channels", "--config", str(config)).returncode == 0  # creates the topics
    now = time.time()
    older = alert("a-old", now - 3 * 3600, severity="critical")
    newer = alert("b-new", now - 60, detector="alliance", severity="medium")
    middle = alert("c-mid", now - 600, channel="mail")
    alerts_topic = topic_name(config, "news.alerts")
    # Out of time order on the topic (two partitions, keyed), and a-old sent twice
    # (a redelivery).
    for record in (newer, older, middle, older):
        produce(
            broker.bootstrap, alerts_topic, [json.dumps(record).encode()], key=record["id"].encode()
        )
    app_id = config.read_text().split("app_id: ")[1].split()[0]
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    admin.create_topics([NewTopic(f"{app_id}-deliveries-changelog", 2, 1)])  # as a worker would
    admin.close()
    produce(
        broker.bootstrap,
        f"{app_id}-deliveries-changelog",
        [json.dumps({"status": "delivered", "attempts": 3, "delivered": []}).encode()],
        key=json.dumps("a-old").encode(),
    )

    started = time.monotonic()
    done = newswatch("tail", "--from-beginning", "--config", str(config), timeout=60)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 30  # it ends at the end, without --follow
    heads = [line for line in done.stdout.splitlines() if line.startswith("── ")]
    assert [h.split("alert ")[1].split()[0] for h in heads] == ["a-old", "c-mid", "b-new"]
    assert "(delivered, 3 attempt(s))" in heads[0]

    def listed(*options):
        out = newswatch("tail", *options, "--config", str(config), timeout=60)
        assert out.returncode == 0, out.stderr
        return [
            ln.split("alert ")[1].split()[0]
            for ln in out.stdout.splitlines()
            if ln.startswith("── ")
        ]

    assert listed("--since", "2h") == ["c-mid", "b-new"]
    assert listed("--from-beginning", "--severity", "high") == ["a-old", "c-mid"]
    assert listed("--from-beginning", "--detector", "alliance") == ["b-new"]
    assert listed("--from-beginning", "--channel", "mail") == ["c-mid"]


def test_tail_errors_are_one_clear_line(config_for, tmp_path):
    config = config_for(channels=[{"name": "ops", "urls": []}])
    unknown = newswatch("tail", "--channel", "nosuch", "--config", str(config), timeout=30)
    assert unknown.returncode != 0
    assert unknown.stderr.strip() == (
        f"newswatch: no channel named 'nosuch' in {config} (channels: ops)"
    )
    down = tmp_path / "down.yml"
    down.write_text(
        config.read_text().replace("bootstrap:", f"bootstrap: 127.0.0.1:{free_port()} #")
    )
    started = time.monotonic()
    gone = newswatch("tail", "--config", str(down), timeout=90)
    took = time.monotonic() - started
    assert gone.returncode != 0
    [line] = gone.stderr.strip().splitlines()
    assert (
        line.startswith("newswatch: cannot reach Kafka at 127.0.0.1:") and "Traceback" not in line
    )
    print(f"\ntail with the broker down: one line after {took:.1f}s")
