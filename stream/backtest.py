"""Backtest: run the detectors offline over articles and print what fires.

The tuning loop: edit the config, run ``newswatch backtest`` again, compare.
``jsonl`` prints one ``{"id": ..., "detections": [...]}`` per input article in
input order (the contract in docs/contracts.md); ``table`` is for people.
"""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from detectors.pipeline import Outcome, Pipeline

from .sources import read_sources

BATCH = 16


def run(
    pipeline: Pipeline,
    paths: Sequence[str | Path],
    *,
    err: TextIO | None = None,
    progress: bool = True,
) -> Iterator[Outcome | str]:
    """Outcomes in input order; a string for each input that could not be read."""
    err = err or sys.stderr
    sources = list(read_sources(paths))
    valid = sum(1 for s in sources if s.item is not None)
    bar = tqdm(
        total=valid,
        unit="article",
        desc="backtest",
        file=err,
        leave=False,
        disable=not progress or valid < BATCH,
    )
    batch = []
    for source in sources:
        if source.item is None:
            yield from _flush(pipeline, batch, bar)
            batch = []
            yield f"{source.origin}: {source.error}"
            continue
        batch.append(source.item)
        if len(batch) >= BATCH:
            yield from _flush(pipeline, batch, bar)
            batch = []
    yield from _flush(pipeline, batch, bar)
    bar.close()


def _flush(pipeline: Pipeline, batch: list, bar: tqdm) -> Iterator[Outcome]:
    if batch:
        yield from pipeline.detect_batch(batch)
        bar.update(len(batch))


def as_jsonl(outcome: Outcome) -> str:
    record = {"id": outcome.item.id, "detections": [d.to_dict() for d in outcome.detections]}
    if outcome.error:
        record["error"] = outcome.error
    return json.dumps(record, ensure_ascii=False)


def as_table(outcome: Outcome) -> str:
    head = f"{outcome.item.id}"
    if outcome.error:
        return f"{head}\n  ERROR {outcome.error}"
    if not outcome.detections:
        return f"{head}\n  (nothing fired)"
    lines = [head]
    width = max(len(d.detector) for d in outcome.detections)
    for d in outcome.detections:
        lines.append(f"  {d.detector:<{width}}  {d.severity:<8}  {d.summary}")
        where = f"[{d.evidence.start}:{d.evidence.end}] "
        quote = textwrap.shorten(d.evidence.text, 160, placeholder=" …")
        lines.append(textwrap.indent(where + quote, " " * (width + 4)))
    return "\n".join(lines)


def backtest(
    pipeline: Pipeline,
    paths: Sequence[str | Path],
    *,
    fmt: str = "table",
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Print results; return the number of inputs that could not be read."""
    out, err = out or sys.stdout, err or sys.stderr
    bad = 0
    fired = total = 0
    for entry in run(pipeline, paths, err=err):
        if isinstance(entry, str):
            bad += 1
            print(f"error: {entry}", file=err)
            continue
        total += 1
        fired += bool(entry.detections)
        print(as_jsonl(entry) if fmt == "jsonl" else as_table(entry), file=out, flush=True)
    if fmt == "table":
        print(f"\n{total} articles, {fired} with detections, {bad} unreadable", file=out)
    return bad
