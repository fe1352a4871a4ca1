"""Benchmark: the console's page load time with 10,000 alerts in its history.

Fills a fresh SQLite history (a temp file, like ``newswatch web`` uses) with
``--alerts`` alerts of one or two detections each, on articles of about 3 KB
(the seed article's sentences, shuffled), then serves the real console with
uvicorn on 127.0.0.1 and measures:

- server: wall time of GET requests over HTTP for the first page of alerts, a
  filtered page, a full-text search, a deep page, /detections and the JSON API
  (``--repeat`` each; median and p95);
- browser: headless Chromium (the system package, via selenium) loading the
  alerts page; the Navigation Timing load time (start to loadEventEnd).

No Kafka: the history is filled directly, as the follower would. The last
line is always ``bench: console first page A ms (server p50), B ms (browser
load p50) with N alerts``.

Usage (from the repo root)::

    python bench/bench_console.py [--alerts 10000] [--repeat 20] [--no-browser]
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stream.config import load_config  # noqa: E402
from stream.history import History  # noqa: E402
from stream.web.app import create_app  # noqa: E402

ACTORS = ["RU", "UA", "IL", "IR", "YE", "US", "CN", "KP", "SY", "LB", "NATO", "EU"]
SEVERITIES = ["low", "medium", "high", "critical"]
CHANNELS = ["ops", "europe-desk", "mail"]


def sentences() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt")))
    parts = [s.strip() + "." for s in text.replace("\n", " ").split(". ") if len(s) > 20]
    return parts or ["Russia launched 300 drones at Kyiv overnight, officials said."]


def fill(history: History, count: int, seed: int = 7) -> float:
    """``count`` alerts over the last 30 days; returns seconds taken."""
    rng = random.Random(seed)
    pool = sentences()
    now = time.time()
    started = time.perf_counter()
    batch = []
    for n in range(count):
        ts = now - rng.uniform(0, 30 * 86400)
        item_id = f"bench-{n}"
        body = rng.sample(pool, k=min(len(pool), 18))
        text = " ".join(body)
        evidence = body[rng.randrange(len(body))]
        start = text.index(evidence)
        detections = []
        for k in range(rng.choice((1, 1, 2))):
            severity = rng.choice(SEVERITIES)
            actor, target = rng.sample(ACTORS, 2)
            detector = rng.choice(("strike", "alliance", "troop-deployment"))
            detections.append(
                {
                    "id": f"{item_id}-{k}",
                    "item_id": item_id,
                    "detector": detector,
                    "severity": severity,
                    "summary": f"{actor} and {target}: {detector} number {n}",
                    "evidence": {"text": evidence, "start": start, "end": start + len(evidence)},
                    "labels": {
                        "detector": detector,
                        "severity": severity,
                        "actor": actor,
                        "target": target,
                    },
                    "actors": sorted([actor, target]),
                    "event": f"{detector}|{actor}|{target}",
                    "facts": [["actor", actor], ["target", target], ["total", str(n % 900)]],
                }
            )
        item = {"id": item_id, "title": f"Report {n}", "url": f"https://news.example/{n}"}
        batch.append(("items", "b.items", 0, 3 * n, {**item, "text": text}, ts))
        batch.append(
            (
                "detections",
                "b.det",
                0,
                3 * n + 1,
                {"id": item_id, "item": item, "detections": detections},
                ts,
            )
        )
        severity = max((d["severity"] for d in detections), key=SEVERITIES.index)
        batch.append(
            (
                "alerts",
                "b.alerts",
                0,
                3 * n + 2,
                {
                    "id": f"alert-{n}",
                    "channel": rng.choice(CHANNELS),
                    "severity": severity,
                    "title": detections[0]["summary"],
                    "body": "...",
                    "created_at": ts,
                    "detections": detections,
                    "items": {item_id: item},
                    "also": {},
                },
                ts,
            )
        )
        if len(batch) >= 3000:
            history.apply_batch(batch)
            batch = []
    if batch:
        history.apply_batch(batch)
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(app: object, port: int) -> None:
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the console did not start")
        time.sleep(0.05)


def timed_get(url: str, repeat: int) -> tuple[float, float, int]:
    times, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as response:
            size = len(response.read())
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], size


def browser_load(url: str, repeat: int) -> list[float]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver_path:
        print("browser: chromium/chromedriver not installed (make browser); skipped")
        return []
    options = Options()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        loads = []
        for _ in range(repeat):
            driver.get(url)
            timing = driver.execute_script(
                "const t = performance.getEntriesByType('navigation')[0];"
                "return [t.responseEnd - t.startTime, t.loadEventEnd - t.startTime];"
            )
            loads.append(float(timing[1]))
        return loads
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.db"
        history = History(path)
        seconds = fill(history, args.alerts)
        counts = history.counts()
        size_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
        print(
            f"history: {counts['alerts']} alerts, {counts['detections']} detections, "
            f"{counts['articles']} articles filled in {seconds:.1f}s; {size_mb:.1f} MB on disk"
        )
        config = load_config(REPO / "newswatch.yml")
        port = free_port()
        serve(create_app(config, history), port)
        base = f"http://127.0.0.1:{port}"
        pages = {
            "alerts, first page (50)": "/",
            "alerts, severity>=high + actor=UA": "/?severity=high&actor=UA",
            "alerts, full-text 'Pyongyang'": "/?q=Pyongyang",
            "alerts, page 150": "/?page=150",
            "detections, first page": "/detections",
            "JSON /api/alerts (50)": "/api/alerts",
        }
        first = 0.0
        for name, path_ in pages.items():
            p50, p95, size = timed_get(base + path_, args.repeat)
            first = first or p50
            print(f"server: {name:<36} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {size / 1000:6.0f} KB")
        loads = [] if args.no_browser else browser_load(base + "/", max(5, args.repeat // 2))
        browser = statistics.median(loads) if loads else float("nan")
        if loads:
            print(
                f"browser: alerts page load (navigation start → load event) p50 {browser:.0f} ms, "
                f"max {max(loads):.0f} ms over {len(loads)} loads"
            )
        history.close()
    print(
        f"bench: console first page {first:.0f} ms (server p50), {browser:.0f} ms "
        f"(browser load p50) with {args.alerts} alerts"
    )


if __name__ == "__main__":
    main()
