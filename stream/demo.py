"""``newswatch demo``: the whole pipeline on this machine, start to finish.

Starts a local Kafka broker (fresh data, free port), a local HTTP receiver
standing in for a channel (apprise ``json://``), and a worker with the
default config plus that channel; replays ``seeds/``; prints each alert as
the receiver gets it; then stops everything it started. Success means at
least one alert was delivered.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from .broker import LocalBroker, newswatch_home
from .config import find_config, load_config
from .replay import make_producer, replay
from .topics import ensure_topics

QUIET_S = 8.0  # after the last alert, wait this long for more before stopping


def say(text: str) -> None:
    print(f"demo: {text}", flush=True)


class Receiver(ThreadingHTTPServer):
    """A local channel: prints every JSON notification apprise POSTs to it."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.last_at = 0.0
        super().__init__(("127.0.0.1", 0), _Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.server_address[1]}/alerts"


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.server.received.append(payload)
        self.server.last_at = time.monotonic()
        self.send_response(200)
        self.end_headers()
        rule = "═" * 72
        print(
            f"\n{rule}\nALERT DELIVERED to {self.server.url}\n{payload.get('title')}\n"
            f"{'─' * 72}\n{payload.get('message', '').rstrip()}\n{rule}\n",
            flush=True,
        )

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def demo_config(
    directory: Path, bootstrap: str, receiver_url: str, base: str | None = None
) -> Path:
    """The config ``base`` (else the default, if any) with the demo broker and channel."""
    base_path = find_config(base)
    raw = yaml.safe_load(base_path.read_text()) if base_path else {}
    raw = raw or {}
    raw["kafka"] = {**(raw.get("kafka") or {}), "bootstrap": bootstrap, "app_id": "newswatch-demo"}
    raw["channels"] = [{"name": "demo", "urls": [receiver_url], "group_wait": "2s"}]
    path = directory / "newswatch-demo.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


def run_demo(
    seeds: Path = Path("seeds"), timeout_s: float = 240.0, config: str | None = None
) -> bool:
    """Run the demo; True if at least one alert reached the local channel."""
    if not seeds.exists():
        say(f"no {seeds}/ folder here: run the demo from the repository root")
        return False
    home = newswatch_home()
    home.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="demo-", dir=home))
    broker = LocalBroker(work / "broker", port=0)
    worker: subprocess.Popen | None = None
    receiver = Receiver()
    ok = False
    try:
        say(f"starting a local Kafka broker (data in {work / 'broker'}) ...")
        say(f"broker ready at {broker.bootstrap} in {broker.start():.1f}s")
        config_path = demo_config(work, broker.bootstrap, receiver.url, config)
        config = load_config(config_path)
        ensure_topics(config)
        say(f"local channel 'demo' listening at {receiver.url}")
        log_path = work / "worker.log"
        say(f"starting the worker (log: {log_path}) ...")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with open(log_path, "w") as log:
            worker = subprocess.Popen(
                [sys.executable, "-m", "stream.cli", "worker", "--config", str(config_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        started = time.monotonic()
        while "Worker]: Ready" not in log_path.read_text(errors="replace"):
            if worker.poll() is not None or time.monotonic() - started > 120:
                say("the worker did not start:\n" + log_path.read_text(errors="replace")[-3000:])
                return False
            time.sleep(0.3)
        say(f"worker ready in {time.monotonic() - started:.1f}s; replaying {seeds}/ ...")
        producer = make_producer(config.kafka.bootstrap)
        replayed_at = time.monotonic()
        try:
            summary = replay([seeds], topic=config.topic("news.items"), producer=producer)
        finally:
            producer.close()
        say(summary.line())
        deadline = replayed_at + timeout_s
        while time.monotonic() < deadline:
            if receiver.received and time.monotonic() - receiver.last_at > QUIET_S:
                break
            if worker.poll() is not None:
                say("the worker stopped unexpectedly:\n" + log_path.read_text()[-3000:])
                break
            time.sleep(0.3)
        ok = bool(receiver.received)
        if ok:
            say(
                f"{len(receiver.received)} alert(s) delivered; first arrived "
                f"{receiver.last_at - replayed_at:.1f}s after the replay started"
            )
        else:
            say(f"no alert was delivered within {timeout_s:.0f}s; worker log: {log_path}")
        return ok
    finally:
        if worker is not None and worker.poll() is None:
            say("stopping the worker ...")
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
        say("stopping the broker ...")
        broker.stop()
        receiver.shutdown()
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            say(f"kept {work} for inspection")
