"""Labelled test articles: each detector kind must find exactly what is expected.

``tests/articles/<kind>.jsonl`` holds the cases (format in ``detectors.labelled``).
A case with ``pending`` (the reason, naming the issue that fixes it) is expected to
fail until then: it runs as a strict xfail, so the suite fails once it passes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detectors.base import detector_kinds, label_names
from detectors.labelled import in_scope, load_cases, matches
from detectors.records import NewsItem

ARTICLES = Path(__file__).parent / "articles"
CASES = load_cases(ARTICLES)


def _param(case):  # noqa: ANN001, ANN202 - a labelled Case to a pytest param
    pending = case.data.get("pending")
    marks = [pytest.mark.xfail(reason=pending, strict=True)] if pending else []
    return pytest.param(case, id=f"{case.kind}:{case.id}", marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_article(pipeline, case):
    item = NewsItem(id=case.id, text=case.data["text"])
    found = [d.to_dict() for d in pipeline.detect(item)]
    found = [d for d in found if in_scope(case.kind, d)]
    declared = label_names()
    for d in found:  # silences and group_by know a label only when its kind declares it
        undeclared = set(d["labels"]) - set(declared)
        assert not undeclared, f"{case.kind} emits undeclared labels {undeclared}"
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


#: Kinds held to the labelled-set rule of their issue: at least 30 articles, 40% negatives.
EVENT_KINDS = ("weapons_test", "coup", "sanctions", "ceasefire")


@pytest.mark.parametrize("kind", EVENT_KINDS)
def test_each_event_kind_has_its_articles(kind):
    cases = [c for c in CASES if c.kind == kind]
    negatives = [c for c in cases if not c.expect]
    assert len(cases) >= 30 and len(negatives) >= 0.4 * len(cases), (len(cases), len(negatives))


def test_every_kind_declares_its_labels():
    names = label_names()
    assert {"detector", "severity", "kind", "actor", "parties", "rule"} <= set(names)
    assert "strike" in names["actor"] and names["detector"] == ["*"]
    assert all(isinstance(cls.label_names, tuple) for cls in detector_kinds().values())
