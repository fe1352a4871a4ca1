"""``newswatch status`` against a real broker: workers up, one killed, none, broker down."""

from __future__ import annotations

import json
import time

import yaml

from tests.receivers import free_port

from .harness import newswatch


def status(config):
    done = newswatch("status", "--config", str(config), "--json", timeout=60)
    return done.returncode, json.loads(done.stdout)


def wait_status(config, ready, timeout_s=90):
    deadline = time.monotonic() + timeout_s
    while True:
        code, report = status(config)
        if ready(code, report) or time.monotonic() > deadline:
            return code, report
        time.sleep(1)


def held(report, topic):
    return sorted(p for w in report["workers"] for p in w["holds"].get(topic, []))


def test_status_with_two_workers_then_one_then_none(config_for, workers, tmp_path):
    config = config_for(channels=[{"name": "ops", "urls": []}])
    prefix = yaml.safe_load(config.read_text())["kafka"]["topic_prefix"]
    first, second = workers(config), workers(config)
    code, report = wait_status(
        config, lambda c, r: len(r["workers"]) == 2 and r["group_state"] == "Stable"
    )
    assert code == 0, report["problems"]
    assert report["reachable"] and report["ok"]
    assert len(report["workers"]) == 2
    assert all(t["partitions"] == t["wanted"] for t in report["topics"])
    # Between them the two workers hold every partition of every agent's topic.
    assert held(report, f"{prefix}news.items") == [0, 1]
    assert held(report, f"{prefix}news.detections") == [0]
    assert set(report["lag"]) == {f"{prefix}news.{t}" for t in ("items", "detections", "alerts")}
    text = newswatch("status", "--config", str(config)).stdout
    assert "workers    2 in the group" in text and "status: OK" in text

    # One killed (SIGKILL, no goodbye): once the broker drops it (its session times out,
    # broker_session_timeout, 10 s) the other holds everything and all is well.
    second.proc.kill()
    second.proc.wait(10)
    code, report = wait_status(
        config, lambda c, r: len(r["workers"]) == 1 and r["group_state"] == "Stable", 120
    )
    assert len(report["workers"]) == 1, report
    assert code == 0, report["problems"]
    assert held(report, f"{prefix}news.items") == [0, 1]

    # None left (stopped cleanly): a problem, and a non-zero exit for scripts.
    first.stop()
    code, report = wait_status(config, lambda c, r: not r["workers"])
    assert code == 1
    assert any("no worker is running" in p for p in report["problems"])


def test_status_when_the_broker_is_down(tmp_path):
    config = tmp_path / "down.yml"
    config.write_text(yaml.safe_dump({"kafka": {"bootstrap": f"127.0.0.1:{free_port()}"}}))
    started = time.monotonic()
    done = newswatch("status", "--config", str(config))
    assert done.returncode == 1
    assert "NOT reachable" in done.stdout
    assert "cannot be reached" in done.stdout
    assert time.monotonic() - started < 30
