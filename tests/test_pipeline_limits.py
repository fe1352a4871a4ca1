"""The pipeline bounds each item's work and keeps one item's failure to itself."""

from __future__ import annotations

from detectors.pipeline import MAX_SENTENCE_CHARS
from detectors.records import NewsItem


def test_a_parse_that_fails_in_a_batch_fails_only_its_item(pipeline, monkeypatch):
    real_pipe = pipeline.nlp.pipe

    def fragile_pipe(texts, **kwargs):
        texts = list(texts)
        if any("POISON" in t for t in texts):
            raise ValueError("[E088] text too long")
        return real_pipe(texts, **kwargs)

    monkeypatch.setattr(pipeline.nlp, "pipe", fragile_pipe)
    items = [
        NewsItem("a", "Russia fired 120 drones at Kharkiv overnight."),
        NewsItem("b", "POISON: Russia fired 40 missiles at Kyiv."),
        NewsItem("c", "Iran launched 30 missiles at Israel on Sunday."),
    ]
    outcomes = pipeline.detect_batch(items)
    assert [o.item.id for o in outcomes] == ["a", "b", "c"]
    assert outcomes[1].error and "E088" in outcomes[1].error
    assert outcomes[0].error is None and [d.detector for d in outcomes[0].detections] == ["strike"]
    assert outcomes[2].error is None and [d.detector for d in outcomes[2].detections] == ["strike"]


def test_text_over_the_models_limit_is_cut_and_the_outcome_says_so(pipeline, monkeypatch):
    monkeypatch.setattr(pipeline.nlp, "max_length", 5_000)
    text = "Russia fired 120 drones at Kharkiv overnight. " + "Calm. " * 2_000
    [outcome] = pipeline.detect_batch([NewsItem("long", text)])
    assert outcome.error is None
    assert [d.detector for d in outcome.detections] == ["strike"]
    assert any("cut to its first 5000" in note for note in outcome.notes)


def test_a_sentence_longer_than_the_window_limit_is_cut(pipeline):
    text = "Russia fired " + "twenty-" * 5_000 + " drones at Ukraine."
    [outcome] = pipeline.detect_batch([NewsItem("t", text)])
    assert outcome.error is None
    assert any(f"cut to {MAX_SENTENCE_CHARS}" in note for note in outcome.notes)
