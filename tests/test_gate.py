"""The gate: which sentences get the full parse."""

from __future__ import annotations

from detectors.gate import Gate

TEXT = "Nothing here. Before it. Drones were seen. After it. Far away."


def covered(gate: Gate, text: str) -> list[str]:
    return [text[s:e] for s, e in gate.windows(text)]


def test_context_before_only(pipeline):
    gate = Gate(pipeline.nlp, ["drones"], context=1)
    assert covered(gate, TEXT) == ["Before it. Drones were seen."]


def test_with_next_adds_the_sentence_after(pipeline):
    gate = Gate(pipeline.nlp, [], context=1, with_next=["drones"])
    assert covered(gate, TEXT) == ["Before it. Drones were seen. After it."]
    last = "Nothing here. Drones were seen."
    assert covered(gate, last) == [last]  # no sentence after the last one


def test_no_trigger_no_window(pipeline):
    gate = Gate(pipeline.nlp, ["missiles"], with_next=["rockets"])
    assert gate.windows(TEXT) == []
