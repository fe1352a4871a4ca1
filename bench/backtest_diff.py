"""Compare two ``newswatch backtest --format jsonl`` outputs, ignoring added fields.

The check behind "for users nothing changes": the same articles in the same
order, each with the same detections (every field equal), apart from fields
named with ``--ignore`` (by default the generic fields the detection contract
added: labels, actors, event, facts). Prints each difference and a count;
exits 1 when there is any.

Usage (from the repo root)::

    python bench/backtest_diff.py BEFORE.jsonl AFTER.jsonl [--ignore labels,actors,...]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

#: Fields the detection contract added to every detection (docs/contracts.md).
ADDED = ("labels", "actors", "event", "facts")


def read_jsonl(path: Path) -> list[dict]:
    """The JSON objects of a jsonl file, one a line, skipping blank lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def diff(before: list[dict], after: list[dict], ignore: Iterable[str] = ADDED) -> list[str]:
    """Every difference between two backtest outputs, as lines for people.

    before (list[dict]): ``{"id", "detections"}`` objects, in input order.
    after (list[dict]): the same, from the other run.
    ignore (Iterable[str]): detection fields left out of the comparison;
        they must be present in ``after`` (they are the added ones). Defaults to ADDED.
    """
    ignore = tuple(ignore)
    out = []
    if [a.get("id") for a in before] != [a.get("id") for a in after]:
        out.append("the articles differ (ids or order)")
    for old, new in zip(before, after, strict=False):
        old_dets, new_dets = old.get("detections", []), new.get("detections", [])
        if len(old_dets) != len(new_dets):
            out.append(f"{old.get('id')}: {len(old_dets)} detections before, {len(new_dets)} after")
            continue
        for i, (a, b) in enumerate(zip(old_dets, new_dets, strict=True)):
            missing = [k for k in ignore if k not in b]
            if missing:
                out.append(f"{old.get('id')}[{i}]: added fields missing after: {missing}")
            a = {k: v for k, v in a.items() if k not in ignore}
            b = {k: v for k, v in b.items() if k not in ignore}
            for key in sorted(set(a) | set(b)):
                if a.get(key) != b.get(key):
                    out.append(f"{old.get('id')}[{i}].{key}: {a.get(key)!r} -> {b.get(key)!r}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--ignore", default=",".join(ADDED), help="comma-separated fields")
    args = parser.parse_args(argv)
    before, after = read_jsonl(args.before), read_jsonl(args.after)
    lines = diff(before, after, [f for f in args.ignore.split(",") if f])
    for line in lines:
        print(line)
    detections = sum(len(a.get("detections", [])) for a in before)
    print(f"{len(before)} articles, {detections} detections before; {len(lines)} differences")
    return 1 if lines else 0


if __name__ == "__main__":
    raise SystemExit(main())
