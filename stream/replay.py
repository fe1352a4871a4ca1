"""Replay articles from files into ``news.items``.

Items are read and validated first (``sources.py``), so a bad file or line is
reported by name and the rest still go. Valid items are published with
kafka-python, keyed by id, at an optional rate, ``loop`` times over; a
progress bar runs on stderr and a summary ends the run.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from detectors.records import NewsItem

from .sources import read_sources


@dataclass
class ReplaySummary:
    sent: int = 0
    skipped: int = 0
    errors: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.skipped and not self.errors

    def line(self, dry_run: bool = False) -> str:
        verb = "would send" if dry_run else "sent"
        return (
            f"replay: {self.sent} {verb}, {self.skipped} skipped, {self.errors} errors "
            f"in {self.seconds:.1f}s"
        )


def encode(item: NewsItem) -> bytes:
    return json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")


def make_producer(bootstrap: str) -> Any:
    from kafka import KafkaProducer

    return KafkaProducer(
        bootstrap_servers=bootstrap,
        client_id="newswatch-replay",
        acks="all",
        linger_ms=20,
        max_block_ms=30000,
    )


def replay(
    paths: Sequence[str | Path],
    *,
    topic: str,
    producer: Any = None,
    rate: float | None = None,
    loop: int = 1,
    dry_run: bool = False,
    progress: bool = True,
    err: TextIO | None = None,
) -> ReplaySummary:
    """Publish every valid item in ``paths`` to ``topic``; report the rest.

    rate (float | None): items per second; None sends as fast as possible.
    loop (int): how many times to send the whole set. Defaults to 1.
    dry_run (bool): validate and count, send nothing (no broker needed).
    """
    err = err or sys.stderr
    started = time.monotonic()
    summary = ReplaySummary()
    items: list[NewsItem] = []
    for source in read_sources(paths):
        if source.item is None:
            summary.skipped += 1
            summary.problems.append(f"{source.origin}: {source.error}")
            print(f"error: {source.origin}: {source.error}", file=err)
        else:
            items.append(source.item)
    total = len(items) * max(loop, 0)
    bar = tqdm(
        total=total,
        unit="item",
        desc="replay",
        disable=not progress or not total,
        file=err,
        leave=False,
    )

    def delivered(_metadata: Any) -> None:
        summary.sent += 1

    def failed(exc: BaseException, item_id: str) -> None:
        summary.errors += 1
        summary.problems.append(f"{item_id}: {exc.__class__.__name__}: {exc}")
        bar.write(f"error: sending {item_id} failed: {exc.__class__.__name__}: {exc}", file=err)

    interval = 1.0 / rate if rate else 0.0
    next_at = time.monotonic()
    for _ in range(max(loop, 0)):
        for item in items:
            if interval:
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                next_at = max(next_at + interval, time.monotonic() - interval)
            if dry_run:
                summary.sent += 1
            else:
                try:
                    future = producer.send(topic, key=item.id.encode(), value=encode(item))
                    future.add_callback(delivered)
                    future.add_errback(failed, item.id)
                except Exception as exc:  # e.g. message too large, no metadata
                    failed(exc, item.id)
            bar.update(1)
    if producer is not None and not dry_run:
        producer.flush()
    bar.close()
    summary.seconds = time.monotonic() - started
    return summary
