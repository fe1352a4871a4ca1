"""Labelled test articles: each detector must find exactly what is expected.

``tests/articles/<detector>.jsonl`` holds one article a line:
``{"id", "text", "expect": [partial detection, ...], "note"?}``. Only
detections of that file's detector are compared (``rules.jsonl`` compares
every rule detector). Each expected entry is a subset of fields that one
detection must match; the number of detections must equal the number
expected, so an empty ``expect`` is a hard negative.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detectors.records import NewsItem

ARTICLES = Path(__file__).parent / "articles"


def load_cases() -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(ARTICLES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                cases.append(pytest.param(path.stem, case, id=f"{path.stem}:{case['id']}"))
    return cases


def matches(expected: object, actual: object) -> bool:
    """True when every key in ``expected`` has an equal (or recursively matching) value."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and matches(v, actual[k]) for k, v in expected.items()
        )
    return expected == actual


def in_scope(scope: str, detector: str) -> bool:
    builtin = {"strike", "alliance"}
    return detector == scope if scope in builtin else detector not in builtin


@pytest.mark.parametrize(("scope", "case"), load_cases())
def test_article(pipeline, scope, case):
    item = NewsItem(id=case["id"], text=case["text"])
    found = [d.to_dict() for d in pipeline.detect(item) if in_scope(scope, d.detector)]
    for expected in case["expect"]:
        assert any(matches(expected, d) for d in found), (
            f"expected {expected} in {case['id']}; found {json.dumps(found, indent=1)}"
        )
    assert len(found) == len(case["expect"]), (
        f"{case['id']}: expected {len(case['expect'])} {scope} detections, got {len(found)}: "
        f"{[d['summary'] for d in found]}"
    )


def test_there_are_enough_articles():
    cases = load_cases()
    negatives = [c for c in cases if not c.values[1]["expect"]]
    assert len(cases) >= 40 and len(negatives) >= len(cases) // 2
