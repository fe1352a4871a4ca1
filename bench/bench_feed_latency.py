"""Benchmark: time from an entry appearing in a feed to its alert at a receiver.

Everything real and local: a Kafka broker started for the run, ``newswatch
worker`` in a subprocess, a feed served on 127.0.0.1 (tests/feed_server.py)
polled ``--every`` seconds (default 5), and an HTTP receiver standing in for
an apprise ``json://`` channel (tests/receivers.py) with ``group_wait: 1s``.
``--samples`` times, a new entry reporting a large strike is put in the feed
and the clock runs until the receiver has the alert. The channel's
``repeat_interval`` is 1s so each report of the (same) event is notified.

The wait is the poll interval's phase (uniform in 0..every), plus the fetch,
the detectors, ``group_wait`` and delivery. The last line is always
``bench: feed entry → alert p50 A s, max B s (N samples, every E s)``.

Usage (from the repo root)::

    python bench/bench_feed_latency.py [--samples 5] [--every 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from stream.broker import LocalBroker, default_libs_dir  # noqa: E402
from tests.e2e.harness import WorkerProcess, write_config  # noqa: E402
from tests.feed_server import FeedServer, rss  # noqa: E402
from tests.receivers import HttpReceiver  # noqa: E402


def strike(n: int) -> dict[str, str]:
    drones, missiles = 400 + 10 * n, 20 + n
    return {
        "title": f"Russia launches {drones} drones and {missiles} missiles at Ukraine",
        "link": f"http://127.0.0.1/news/strike-{n}",
        "guid": f"strike-{n}",
        "description": f"Russia launched {drones} drones and {missiles} missiles at Ukraine "
        "overnight, targeting energy infrastructure, Ukraine's air force said.",
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--every", type=float, default=5.0, help="poll interval, seconds")
    args = parser.parse_args(argv)

    channel = {"group_wait": "1s", "group_interval": "1s", "repeat_interval": "1s"}
    latencies: list[float] = []
    with tempfile.TemporaryDirectory(prefix="nw-bench-") as tmp:
        libs = default_libs_dir()
        broker = LocalBroker(
            Path(tmp) / "kafka", port=0, libs_dir=libs if libs.is_absolute() else ROOT / libs
        )
        print(f"broker ready in {broker.start(timeout_s=180):.1f}s", flush=True)
        worker = None
        try:
            with FeedServer() as server, HttpReceiver() as hook:
                entries: list[dict[str, str]] = []
                server.route("/wire.xml", rss(entries), content_type="application/rss+xml")
                config = write_config(
                    Path(tmp),
                    broker.bootstrap,
                    channels=[{"name": "ops", "urls": [hook.url], **channel}],
                    sources=[{"name": "wire", "url": server.url("/wire.xml"),
                              "every": args.every}],
                )  # fmt: skip
                worker = WorkerProcess(config, Path(tmp)).start(timeout_s=180)
                worker.wait_for_log("feed wire: 0 new item(s)", 60)
                for n in range(args.samples):
                    entries.insert(0, strike(n))
                    server.update("/wire.xml", rss(entries))
                    appeared = time.monotonic()
                    hook.wait_for(n + 1, timeout=120)
                    latencies.append(time.monotonic() - appeared)
                    print(f"entry {n + 1}: alert after {latencies[-1]:.2f}s", flush=True)
                    # Past group_interval and repeat_interval, then a random phase of the
                    # poll interval, so the samples do not all land at the same point of it.
                    time.sleep(2.0 + random.uniform(0, args.every))
        finally:
            if worker is not None:
                worker.stop()
            broker.stop()
    print(
        f"bench: feed entry → alert p50 {statistics.median(latencies):.1f} s, "
        f"max {max(latencies):.1f} s ({len(latencies)} samples, every {args.every:g} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
