"""End-to-end helpers: worker processes, per-test configs, topic readers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]


def write_config(directory: Path, bootstrap: str, **sections: Any) -> Path:
    """A config file with a fresh app id and topic prefix, so tests share one broker safely."""
    run = uuid.uuid4().hex[:8]
    config = {
        "kafka": {
            "bootstrap": bootstrap,
            "app_id": f"nw-{run}",
            "topic_prefix": f"t{run}.",
            "partitions": 2,
        },
        "worker": {"batch_wait_s": 0.05},
        "metrics": {"port": 0},  # a free port each, logged by the worker
        "history": {"path": str(directory / f"history-{run}.db")},
    }
    for name, section in sections.items():  # kafka and worker are merged, not replaced
        if isinstance(config.get(name), dict):
            section = {**config[name], **section}
        config[name] = section
    path = directory / f"newswatch-{run}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def topic_name(config_path: Path, name: str) -> str:
    config = yaml.safe_load(config_path.read_text())
    return config["kafka"]["topic_prefix"] + name


def newswatch(*args: str, timeout: float = 120, **kwargs: Any) -> subprocess.CompletedProcess:
    """Run the CLI as a user would, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "stream.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


class WorkerProcess:
    """``newswatch worker --config F`` in a subprocess, logging to a file."""

    def __init__(
        self, config_path: Path, log_dir: Path, prefix: tuple[str, ...] = (), **popen: Any
    ) -> None:
        self.config_path = config_path
        self.prefix = list(prefix)  # e.g. setpriv ... to run the worker without privileges
        self.log_path = log_dir / f"worker-{uuid.uuid4().hex[:6]}.log"
        self.proc: subprocess.Popen | None = None
        # Overrides for the child (cwd, env).
        self.popen = {"cwd": REPO, "env": {**os.environ}, **popen}

    def start(self, timeout_s: float = 90) -> WorkerProcess:
        log = open(self.log_path, "w")  # noqa: SIM115 - handed to the child
        self.proc = subprocess.Popen(
            [
                *self.prefix,
                sys.executable,
                *("-m", "stream.cli", "worker", "--config", str(self.config_path)),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            **self.popen,
        )
        log.close()
        self.wait_for_log("Worker]: Ready", timeout_s)
        # Running means subscriptions and silences are read too (stream.views logs it).
        self.wait_for_log("news.subscriptions: ", timeout_s)
        self.wait_for_log("news.silences: ", timeout_s)
        return self

    def metrics_url(self, timeout_s: float = 30) -> str:
        """The worker's metrics endpoint base URL (``http://127.0.0.1:PORT``), from its log."""
        import re

        self.wait_for_log("metrics on http://", timeout_s)
        match = re.search(r"metrics on (http://[^/\s]+)/metrics", self.log())
        assert match, self.log()[-2000:]
        return match.group(1)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_for_log(self, text: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if text in self.log():
                return
            if not self.alive():
                raise AssertionError(f"worker exited early:\n{self.log()[-4000:]}")
            time.sleep(0.2)
        raise AssertionError(f"worker log never said {text!r}:\n{self.log()[-4000:]}")

    def stop(self, timeout_s: float = 30) -> int | None:
        if not self.alive():
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(10)


def read_topic(bootstrap: str, topic: str, *, count: int, timeout_s: float = 60) -> list[dict]:
    """Read ``count`` JSON records from the start of ``topic`` (fewer if time runs out)."""
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=500,
        group_id=None,
    )
    records: list[dict] = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(records) < count and time.monotonic() < deadline:
            for message in consumer:
                records.append(json.loads(message.value))
                if len(records) >= count:
                    break
    finally:
        consumer.close()
    return records


def produce(bootstrap: str, topic: str, values: list[bytes], key: bytes = b"raw") -> None:
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap)
    for value in values:
        producer.send(topic, key=key, value=value)
    producer.flush()
    producer.close()


class OutcomeCounter:
    """Counts outcome records (news.detections + news.deadletter) per item key, live.

    A background consumer reads both topics from the start, so a test can wait
    for "N outcomes so far" and, at the end, see which items have none and
    which have more than one (at-least-once duplicates).
    """

    def __init__(self, bootstrap: str, topics: list[str]) -> None:
        import threading
        from collections import Counter

        self.bootstrap, self.topics = bootstrap, topics
        self.counts: Counter[str] = Counter()
        self.records: list[tuple[str, str, dict]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from kafka import KafkaConsumer

        consumer = KafkaConsumer(
            *self.topics,
            bootstrap_servers=self.bootstrap,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            group_id=None,
            metadata_max_age_ms=1000,
        )
        try:
            while not self._stop.is_set():
                for messages in consumer.poll(timeout_ms=20).values():
                    with self._lock:
                        for message in messages:
                            key = (message.key or b"").decode("utf-8", "replace")
                            self.counts[key] += 1
                            self.records.append((message.topic, key, json.loads(message.value)))
        finally:
            consumer.close()

    def total(self) -> int:
        with self._lock:
            return sum(self.counts.values())

    def distinct(self) -> int:
        with self._lock:
            return len(self.counts)

    def wait_for(self, check: Any, timeout_s: float, what: str) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if check(self):
                return
            time.sleep(0.01)
        raise AssertionError(f"timed out waiting for {what}: {self.distinct()} distinct outcomes")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(10)


def produce_keyed(bootstrap: str, topic: str, records: list[tuple[bytes, bytes]]) -> None:
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    for key, value in records:
        producer.send(topic, key=key, value=value)
    producer.flush()
    producer.close()


class WebProcess:
    """``newswatch web --config F --port P`` in a subprocess, logging to a file."""

    def __init__(self, config_path: Path, log_dir: Path) -> None:
        from tests.receivers import free_port

        self.config_path = config_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"web-{uuid.uuid4().hex[:6]}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout_s: float = 60) -> WebProcess:
        log = open(self.log_path, "w")  # noqa: SIM115 - handed to the child
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "stream.cli", "web", "--config", str(self.config_path)]
            + ["--port", str(self.port)],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log_path.read_text()
            try:
                if self.api("/api/history").get("state") == "caught up":
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"console never caught up:\n{self.log_path.read_text()[-3000:]}")

    def api(self, path: str) -> Any:
        import urllib.request

        with urllib.request.urlopen(f"{self.url}{path}", timeout=10) as response:
            return json.loads(response.read())

    def wait_for(self, path: str, ready: Any, timeout_s: float = 90) -> Any:
        """Poll the JSON API at ``path`` until ``ready(answer)`` is true; return the answer."""
        deadline = time.monotonic() + timeout_s
        while True:
            answer = self.api(path)
            if ready(answer):
                return answer
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} never got ready: {answer}")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
