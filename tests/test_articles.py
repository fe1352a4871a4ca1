"""Labelled test articles: each detector kind must find exactly what is expected.

``tests/articles/<kind>.jsonl`` holds the cases (format in ``detectors.labelled``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detectors.labelled import in_scope, load_cases, matches
from detectors.records import NewsItem

ARTICLES = Path(__file__).parent / "articles"
CASES = load_cases(ARTICLES)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}:{c.id}" for c in CASES])
def test_article(pipeline, case):
    item = NewsItem(id=case.id, text=case.data["text"])
    found = [d.to_dict() for d in pipeline.detect(item)]
    found = [d for d in found if in_scope(case.kind, d)]
    for expected in case.expect:
        assert any(matches(expected, d) for d in found), (
            f"expected {expected} in {case.id}; found {json.dumps(found, indent=1)}"
        )
    assert len(found) == len(case.expect), (
        f"{case.id}: expected {len(case.expect)} {case.kind} detections, got {len(found)}: "
        f"{[d['summary'] for d in found]}"
    )


def test_there_are_enough_articles():
    negatives = [c for c in CASES if not c.expect]
    assert len(CASES) >= 40 and len(negatives) >= len(CASES) // 2
    assert {c.kind for c in CASES} >= {"strike", "alliance", "rules"}


def test_a_file_named_after_no_kind_is_an_error(tmp_path):
    (tmp_path / "strike.jsonl").write_text('{"id": "a", "text": "t", "expect": []}\n')
    assert [c.id for c in load_cases(tmp_path)] == ["a"]
    (tmp_path / "strikes.jsonl").write_text("")
    with pytest.raises(ValueError, match="strikes.jsonl: no detector kind is named 'strikes'"):
        load_cases(tmp_path)
