"""The precision/recall scorer pairs expected entries and detections one-to-one."""

from __future__ import annotations

from collections import defaultdict

from bench.score_articles import Score, score_case, table


def det(detector: str, **fields: object) -> dict:
    return {"detector": detector, "summary": f"{detector} fired", **fields}


def test_counts_tp_fp_fn_per_detector():
    scores: dict[str, Score] = defaultdict(Score)
    # Two expected strikes, one found: one TP, one FN. One alliance nobody expected: FP.
    expected = [{"total": 60}, {"total": 70}]
    score_case("strike", expected, [det("strike", total=60)], scores, "a")
    score_case("rules", [], [det("troop-deployment")], scores, "b")
    # One detection cannot satisfy two identical expected entries.
    two = [{"detector": "ceasefire-talks"}, {"detector": "ceasefire-talks"}]
    score_case("rules", two, [det("ceasefire-talks")], scores, "c")
    assert (scores["strike"].tp, scores["strike"].fp, scores["strike"].fn) == (1, 0, 1)
    assert (scores["troop-deployment"].tp, scores["troop-deployment"].fp) == (0, 1)
    assert (scores["ceasefire-talks"].tp, scores["ceasefire-talks"].fn) == (1, 1)
    assert scores["strike"].precision == 1.0 and scores["strike"].recall == 0.5
    assert abs(scores["strike"].f1 - 2 / 3) < 1e-9
    assert scores["troop-deployment"].precision == 0.0 and scores["troop-deployment"].recall is None
    assert "FN a: expected {'total': 70}" in scores["strike"].errors


def test_table_has_a_row_per_detector_and_a_total():
    text = table({"strike": Score(tp=3, fp=1, fn=0), "alliance": Score(tp=0, fp=0, fn=2)})
    lines = text.splitlines()
    assert lines[1].split() == ["alliance", "0", "0", "2", "-", "0.00", "-"]
    assert lines[2].split() == ["strike", "3", "1", "0", "0.75", "1.00", "0.86"]
    assert lines[3].split()[:5] == ["total", "(micro)", "3", "1", "2"]
