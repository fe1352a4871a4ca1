"""The broker going away under a running worker, and stopping a worker in every state.

These stop and start a broker of their own (not the session's), on free ports.
"""

from __future__ import annotations

import json
import re
import signal
import time
from datetime import datetime

import pytest

from stream.broker import LocalBroker, default_libs_dir
from tests.receivers import HttpReceiver

from .harness import REPO, WorkerProcess, read_topic, topic_name, write_config
from .test_alerts import replay


@pytest.fixture
def own_broker(tmp_path):
    libs = default_libs_dir()
    broker = LocalBroker(
        tmp_path / "kafka", port=0, libs_dir=libs if libs.is_absolute() else REPO / libs
    )
    broker.start(timeout_s=120)
    yield broker
    broker.stop()


def _stop_timed(worker: WorkerProcess, timeout_s: float = 30) -> float:
    started = time.monotonic()
    worker.proc.send_signal(signal.SIGTERM)
    worker.proc.wait(timeout_s)
    return time.monotonic() - started


def _log_time(log: str, text: str) -> datetime:
    line = next(line for line in log.splitlines() if text in line)
    stamp = re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}", line).group(0)
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f")


def test_a_30s_outage_is_reported_survived_and_loses_nothing(own_broker, tmp_path):
    from kafka import KafkaProducer

    config = write_config(tmp_path, own_broker.bootstrap)
    worker = WorkerProcess(config, tmp_path).start()
    producer = KafkaProducer(bootstrap_servers=own_broker.bootstrap, retries=100)
    topic = topic_name(config, "news.items")
    producer.send(topic, key=b"warm", value=json.dumps({"id": "warm", "text": "Hello."}).encode())
    producer.flush()
    try:
        down_at = time.monotonic()
        own_broker.stop()
        worker.wait_for_log("is unreachable", timeout_s=10)
        said_after = time.monotonic() - down_at
        items = [{"id": f"out{i}", "text": f"Story {i}: the council met."} for i in range(20)]
        for item in items:  # sent during the outage: buffered by the producer
            producer.send(topic, key=item["id"].encode(), value=json.dumps(item).encode())
        time.sleep(max(0.0, 30 - (time.monotonic() - down_at)))
        own_broker.start(timeout_s=120)
        producer.flush(timeout=60)
        worker.wait_for_log("reachable again", timeout_s=30)
        results = read_topic(
            own_broker.bootstrap, topic_name(config, "news.detections"), count=21, timeout_s=120
        )
        assert {r["id"] for r in results} >= {i["id"] for i in items}
        assert worker.alive()
        print(f"\nbroker down: said so after {said_after:.1f}s; all 20 outage items processed")

        # A clean stop leaves the group, so the next worker is not kept waiting.
        assert _stop_timed(worker) < 10
        assert "leaving the consumer group" in worker.log()
        following = WorkerProcess(config, tmp_path).start()
        log = following.log()
        ready_s = (
            _log_time(log, "Worker]: Ready") - _log_time(log, "Worker]: Starting")
        ).total_seconds()
        print(f"next worker: Starting → Ready in {ready_s:.1f}s")
        assert ready_s < 10

        # SIGTERM with the broker down.
        own_broker.stop()
        following.wait_for_log("is unreachable", timeout_s=10)
        stop_s = _stop_timed(following)
        print(f"SIGTERM with the broker down: exited in {stop_s:.1f}s")
        assert stop_s < 10
    finally:
        producer.close(timeout=1)
        worker.stop()


def test_sigterm_during_a_retrying_delivery_then_broker_stop_ends_within_10s(own_broker, tmp_path):
    with HttpReceiver() as hook:
        hook.fail_next(1000)
        channel = {"name": "ops", "urls": [hook.url], "group_wait": "1s", "retries": 20}
        config = write_config(tmp_path, own_broker.bootstrap, channels=[channel])
        worker = WorkerProcess(config, tmp_path).start()
        try:
            replay(config)
            worker.wait_for_log("retrying in", timeout_s=90)
            started = time.monotonic()
            worker.proc.send_signal(signal.SIGTERM)
            own_broker.stop()
            worker.proc.wait(30)
            stop_s = time.monotonic() - started
            print(f"\nSIGTERM mid-retry, broker stopped: exited in {stop_s:.1f}s")
            assert stop_s < 10
        finally:
            worker.stop()
