"""A running worker's /metrics after replays: counters match what was replayed."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections import Counter

from prometheus_client.parser import text_string_to_metric_families

from tests.receivers import HttpReceiver

from .harness import REPO, newswatch, produce, read_topic, topic_name


def scrape(base: str) -> dict[tuple[str, tuple], float]:
    """Every sample of /metrics as {(name, sorted labels): value}."""
    with urllib.request.urlopen(f"{base}/metrics", timeout=10) as response:
        text = response.read().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_metrics_count_what_was_replayed(broker, config_for, workers, tmp_path):
    with HttpReceiver() as hook:
        check_metrics(broker, config_for, workers, tmp_path, hook)


def check_metrics(broker, config_for, workers, tmp_path, hook):
    fast = {"group_wait": "1s", "group_interval": "1s", "retries": 0}
    config = config_for(
        worker={"max_item_bytes": 4000, "batch_wait_s": 0.05},
        channels=[{"name": "ops", "urls": [hook.url], **fast}],
    )
    worker = workers(config)
    base = worker.metrics_url()
    assert get(f"{base}/health") == (200, {"status": "alive"})

    done = newswatch("replay", str(REPO / "seeds"), "--config", str(config), "--no-progress")
    assert done.returncode == 0, done.stderr
    quiet = tmp_path / "quiet.jsonl"
    quiet.write_text(
        "".join(
            json.dumps({"id": f"q{i}", "text": f"The council met on day {i}."}) + "\n"
            for i in range(3)
        )
    )
    done = newswatch("replay", str(quiet), "--config", str(config), "--no-progress")
    assert done.returncode == 0, done.stderr
    bad = [b"not json at all", b'{"id": "no-text"}', json.dumps({"id": "x", "text": "y" * 5000})]
    produce(broker.bootstrap, topic_name(config, "news.items"), [bad[0], bad[1], bad[2].encode()])

    results = read_topic(broker.bootstrap, topic_name(config, "news.detections"), count=4)
    dead = read_topic(broker.bootstrap, topic_name(config, "news.deadletter"), count=3)
    assert len(results) == 4 and len(dead) == 3
    kinds = Counter((d["detector"], d["severity"]) for r in results for d in r["detections"])
    assert kinds, "the seed should fire detectors"
    with_detections = sum(1 for r in results if r["detections"])

    deadline = time.monotonic() + 30
    while True:  # the counters are bumped right after the records are written
        samples = scrape(base)
        items = {
            o: value(samples, "newswatch_items_total", outcome=o)
            for o in ("detected", "nothing", "dead")
        }
        if sum(items.values()) >= 7 or time.monotonic() > deadline:
            break
        time.sleep(0.5)

    assert items == {"detected": with_detections, "nothing": 4 - with_detections, "dead": 3}
    for (detector, severity), count in kinds.items():
        got = value(samples, "newswatch_detections_total", detector=detector, severity=severity)
        assert got == count, (detector, severity, got, count)
    total = sum(v for (n, _), v in samples.items() if n == "newswatch_detections_total")
    assert total == sum(kinds.values())
    assert value(samples, "newswatch_dead_letters_total", reason="not_json") == 1
    assert value(samples, "newswatch_dead_letters_total", reason="missing_field") == 1
    assert value(samples, "newswatch_dead_letters_total", reason="too_large") == 1
    assert value(samples, "newswatch_item_detection_latency_seconds_count") == 4
    assert value(samples, "newswatch_nlp_batch_items_sum") == 4
    items_topic = topic_name(config, "news.items")
    # Faust's own sensor, in the same registry: the route agent received every result.
    # (news.items is read with its acking off, see stream/progress.py, so Faust's
    # sensor does not count it; newswatch_items_total above does.)
    results_topic = topic_name(config, "news.detections")
    deadline = time.monotonic() + 30
    while value(scrape(base), "faust_messages_received_per_topic_total", topic=results_topic) != 4:
        assert time.monotonic() < deadline, "Faust's sensor never counted the 4 results"
        time.sleep(1)

    # Everything read is processed: the lag on news.items drops to 0 (updated every 5 s).
    deadline = time.monotonic() + 30
    while value(scrape(base), "newswatch_consumer_lag", topic=items_topic) != 0:
        assert time.monotonic() < deadline, "lag never reached 0"
        time.sleep(1)
    # The seed's two events (a strike, an invitation) reached the receiver as one alert
    # each: two sent. Replayed again: duplicates, not sent.
    hook.wait_for(2, timeout=60)
    deadline = time.monotonic() + 20
    while value(scrape(base), "newswatch_alerts_total", channel="ops", outcome="sent") < 2:
        assert time.monotonic() < deadline, "no alert counted as sent"
        time.sleep(0.5)
    done = newswatch("replay", str(REPO / "seeds"), "--config", str(config), "--no-progress")
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 30
    while value(scrape(base), "newswatch_alerts_total", channel="ops", outcome="duplicate") < 1:
        assert time.monotonic() < deadline, "the repeated seed was not counted as a duplicate"
        time.sleep(0.5)
    samples = scrape(base)
    assert value(samples, "newswatch_alerts_total", channel="ops", outcome="sent") == 2
    assert len(hook.requests) == 2

    status, body = get(f"{base}/ready")
    assert (status, body["status"]) == (200, "ready"), body
