"""Precision, recall and F1 per detector over the labelled articles.

Reads ``tests/articles/<kind>.jsonl`` for every registered kind (format in
``detectors.labelled``) and runs the pipeline on every article. Scoring uses
the helpers the tests use too: ``load_cases`` for the cases, ``in_scope`` for
which detections a file judges (the ones its kind made: ``strike.jsonl``
judges strike detections, ``rules.jsonl`` every rule), and ``matches`` for
whether a detection fits an expected entry. Expected entries
are paired one-to-one with detections, first fit first:

- TP: an expected entry with a matching detection;
- FN: an expected entry without one;
- FP: a detection in scope that no expected entry took.

Detections are counted under their ``detector``; an expected entry without a
``detector`` key counts under the file's detector.

Usage (from the repo root)::

    python bench/score_articles.py [--config newswatch.yml] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))
#: The labelled articles, one file per detector kind.
ARTICLES = ROOT / "tests" / "articles"

from detectors.labelled import in_scope, load_cases, matches  # noqa: E402
from detectors.pipeline import Pipeline  # noqa: E402
from detectors.records import NewsItem  # noqa: E402
from stream.config import load_config  # noqa: E402


@dataclass
class Score:
    """Counts for one detector, with the cases behind the errors."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


def score_case(
    scope: str, expected: list[dict], found: list[dict], scores: dict[str, Score], case_id: str
) -> None:
    """Pair expected entries with detections one-to-one and add the counts to ``scores``."""
    left = list(found)
    for entry in expected:
        name = entry.get("detector", scope)
        hit = next((d for d in left if matches(entry, d)), None)
        if hit is None:
            scores[name].fn += 1
            scores[name].errors.append(f"FN {case_id}: expected {entry}")
        else:
            left.remove(hit)
            scores[name].tp += 1
    for extra in left:
        scores[extra["detector"]].fp += 1
        scores[extra["detector"]].errors.append(f"FP {case_id}: {extra['summary']}")


def score(pipeline: Pipeline) -> dict[str, Score]:
    """Scores per detector over every labelled article."""
    scores: dict[str, Score] = defaultdict(Score)
    for case in load_cases(ARTICLES):
        item = NewsItem(id=case.id, text=case.data["text"])
        found = [d.to_dict() for d in pipeline.detect(item)]
        found = [d for d in found if in_scope(case.kind, d)]
        score_case(case.kind, case.expect, found, scores, f"{case.kind}:{case.id}")
    return dict(scores)


def table(scores: dict[str, Score]) -> str:
    """The scores as an aligned text table, with a micro-averaged total row."""

    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    total = Score(
        tp=sum(s.tp for s in scores.values()),
        fp=sum(s.fp for s in scores.values()),
        fn=sum(s.fn for s in scores.values()),
    )
    rows = [(name, scores[name]) for name in sorted(scores)] + [("total (micro)", total)]
    width = max(len(name) for name, _ in rows)
    lines = [
        f"{'detector':<{width}}  {'TP':>4} {'FP':>4} {'FN':>4}  {'prec':>5} {'rec':>5} {'F1':>5}"
    ]
    for name, s in rows:
        lines.append(
            f"{name:<{width}}  {s.tp:>4} {s.fp:>4} {s.fn:>4}  "
            f"{cell(s.precision):>5} {cell(s.recall):>5} {cell(s.f1):>5}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=ROOT / "newswatch.yml")
    parser.add_argument("--verbose", action="store_true", help="list every FP and FN")
    args = parser.parse_args(argv)
    config = load_config(args.config if args.config.exists() else None).settings
    scores = score(Pipeline(config))
    print(table(scores))
    if args.verbose:
        for name in sorted(scores):
            for line in scores[name].errors:
                print(f"{name}: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
