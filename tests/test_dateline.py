"""Datelines are where a story was filed: found, left out of the parse, never a party."""

from __future__ import annotations

import pytest

from detectors.language.dateline import find_dateline
from detectors.records import NewsItem


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("WARSAW (Reuters) - Poland and Ukraine signed", "WARSAW"),
        ("KYIV, March 4 (Reuters) - Russia launched", "KYIV"),
        ("TOKYO/SEOUL, Feb. 2 (AP) -- The two", "TOKYO/SEOUL"),
        ("SEOUL (AFP) – Russia and", "SEOUL"),
        ("WARSAW (AP) — Poland", "WARSAW"),
        ("DNIPRO, Ukraine (AP) — Russia", "DNIPRO"),
        ("Brussels, June 20: The EU", "Brussels"),
        ("OTTAWA - Canada announced", "OTTAWA"),
        ("(Reuters) - Russia fired", ""),
    ],
)
def test_dateline_forms(text, place):
    found = find_dateline(text)
    assert found is not None and found.place == place
    assert text[found.end :][:1].isalpha()  # the story starts right after it


@pytest.mark.parametrize(
    "text",
    ["Russia fired 30 - 40 drones.", "The US - China talks resumed.", "Kyiv said on Monday: no."],
)
def test_no_dateline(text):
    assert find_dateline(text) is None


def test_dateline_is_never_a_party_or_actor(pipeline):
    text = "LONDON (Reuters) - Russia fired 38 missiles and 70 drones at Kharkiv overnight."
    (strike,) = [d for d in pipeline.detect(NewsItem(id="d", text=text)) if d.detector == "strike"]
    assert (strike.fields["actor"], strike.fields["target"]) == ("RU", "UA")
    assert strike.evidence.start == text.index("Russia")
    text = "SEOUL (AFP) - Russia and North Korea signed a mutual defence pact on Wednesday."
    found = [d for d in pipeline.detect(NewsItem(id="p", text=text)) if d.detector == "alliance"]
    assert [d.fields["parties"] for d in found] == [["KP", "RU"]]


def test_armed_groups_resolve_to_their_state(pipeline):
    text = "BEIRUT (Reuters) - Hezbollah fired more than 100 rockets at northern Israel on Sunday."
    (strike,) = [d for d in pipeline.detect(NewsItem(id="h", text=text)) if d.detector == "strike"]
    assert strike.fields["actor"] == "LB" and strike.fields["actor_group"] == "Hezbollah"
    assert strike.summary.startswith("Hezbollah (Lebanon) struck Israel")
    for name, code in [("Houthis", "YE"), ("Hamas", "PS"), ("RSF", "SD"), ("M23", "CD")]:
        assert pipeline.gazetteer.lookup(name).actor == code
        assert pipeline.gazetteer.lookup(name).kind == "group"
