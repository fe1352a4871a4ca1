"""The alliance detector: new relations between states and blocs, not background."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detectors.kinds.alliance import DEFAULT_SEVERITY, RELATIONS, AllianceSettings
from detectors.pipeline import Pipeline
from detectors.records import NewsItem
from detectors.settings import ConfigError, load_settings

ROOT = Path(__file__).parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ARTICLES = ROOT / "tests" / "articles" / "alliance.jsonl"


def alliances(pipeline: Pipeline, text: str, published: str | None = None) -> list[dict]:
    item = NewsItem(id="t", text=text, published=published)
    return [d.to_dict() for d in pipeline.detect(item) if d.detector == "alliance"]


def relations(pipeline: Pipeline, text: str, published: str | None = None) -> list[tuple]:
    return [(d["relation"], d["parties"]) for d in alliances(pipeline, text, published)]


@pytest.fixture(scope="module")
def ungated(pipeline) -> Pipeline:
    """The default pipeline with gating off, sharing the loaded model."""
    return Pipeline({"nlp": {"gating": False}}, nlp=pipeline.nlp)


# -- the seed article -------------------------------------------------------------


@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_seed_alliances_are_russia_and_north_korea(pipeline, path):
    found = alliances(pipeline, path.read_text(encoding="utf-8"))
    assert found, "the invitation of Kim Jong-un to Russia must be found"
    for detection in found:
        assert detection["parties"] == ["KP", "RU"], detection
        assert detection["relation"] in ("invitation", "military-support"), detection
    invitation = next(d for d in found if d["relation"] == "invitation")
    assert invitation["evidence"]["text"].startswith("Vladimir Putin invited Kim Jong-un")
    assert invitation["severity"] == DEFAULT_SEVERITY["invitation"]
    assert "Russia" in invitation["summary"] and "North Korea" in invitation["summary"]


def test_seed_has_seeds():
    assert SEEDS


# -- gating loses nothing ---------------------------------------------------------


def test_gating_loses_no_alliance(pipeline, ungated):
    gated = Pipeline({"nlp": {"gating": True}}, nlp=pipeline.nlp)
    cases = [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines()]
    texts = [c["text"] for c in cases] + [p.read_text(encoding="utf-8") for p in SEEDS]
    for text in texts:
        assert alliances(gated, text) == alliances(ungated, text), text[:80]


# -- parties are the states in the relation ---------------------------------------


def test_parties_exclude_bystanders(pipeline):
    text = (
        "During a summit in Beijing on Monday, Russia and Belarus signed a treaty on security "
        "guarantees as Ukraine braced for new strikes."
    )
    assert relations(pipeline, text) == [("treaty", ["BY", "RU"])]


def test_accession_verb_noun_and_passive(pipeline):
    assert relations(pipeline, "Finland joined NATO on Tuesday.") == [("accession", ["FI", "NATO"])]
    text = "Sweden's accession to NATO was completed on Thursday after Hungary's vote."
    assert relations(pipeline, text) == [("accession", ["NATO", "SE"])]
    assert relations(pipeline, "Egypt was admitted to BRICS.") == [("accession", ["BRICS", "EG"])]
    text = "NATO leaders met in Vilnius. Sweden became the alliance's 32nd member on Thursday."
    assert relations(pipeline, text) == [("accession", ["NATO", "SE"])]
    # Invited to join is not yet joined: an invitation (to a bloc, not a state visit).
    text = "After years of talks, Ukraine and Moldova were invited to join the EU."
    assert relations(pipeline, text) == [("invitation", ["EU", "MD", "UA"])]
    assert relations(pipeline, "Japan joined NATO leaders at the summit in The Hague.") == []


def test_becoming_allies_or_partners(pipeline):
    text = "Russia and North Korea became formal allies on Wednesday."
    assert relations(pipeline, text) == [("alliance", ["KP", "RU"])]
    text = "Vietnam became a strategic partner of the United States."
    assert relations(pipeline, text) == [("partnership", ["US", "VN"])]


def test_relations_in_documents_and_upgrades(pipeline):
    text = "Washington and Hanoi upgraded ties to a comprehensive strategic partnership."
    assert relations(pipeline, text) == [("partnership", ["US", "VN"])]
    text = "Kyiv and London signed a 100-year partnership agreement on Thursday."
    assert relations(pipeline, text) == [("partnership", ["GB", "UA"])]
    text = "Tokayev and Putin signed a declaration on strategic partnership and alliance."
    assert relations(pipeline, text) == [("alliance", ["KZ", "RU"])]


def test_mutual_defence_and_two_leaders(pipeline):
    text = (
        "Emmanuel Macron received Donald Tusk in Nancy on Friday. "
        "The two leaders signed a treaty on mutual defence."
    )
    assert relations(pipeline, text) == [("mutual-defence", ["FR", "PL"])]


def test_military_support_pledges(pipeline):
    text = "North Korea vowed to support Russia's war effort against Ukraine."
    assert relations(pipeline, text) == [("military-support", ["KP", "RU"])]
    text = "Norway pledged to send more weapons to Ukraine."
    assert relations(pipeline, text) == [("military-support", ["NO", "UA"])]
    assert relations(pipeline, "Japan pledged humanitarian aid to Sudan.") == []


def test_invitations_need_a_visit_or_a_destination(pipeline):
    text = "Donald Trump invited Xi Jinping to the White House for a state visit."
    found = alliances(pipeline, text)
    assert [(d["relation"], d["parties"]) for d in found] == [("invitation", ["CN", "US"])]
    assert found[0]["summary"] == "The United States invited China to a state visit"
    assert relations(pipeline, "The Kremlin invited journalists to a briefing.") == []
    text = "NATO invited Ukraine's foreign minister to attend a meeting in Brussels."
    assert relations(pipeline, text) == []


def test_surname_resolves_across_gated_windows(pipeline):
    text = (
        "Kim Jong Un arrived in Vladivostok by armoured train on Tuesday. "
        "Officials said the talks would cover food and energy. "
        "Reporters waited outside the station for hours. "
        "Kim accepted an invitation from Vladimir Putin to visit Moscow."
    )
    assert relations(pipeline, text) == [("invitation", ["KP", "RU"])]


# -- background, wishes and other senses are not new alliances -----------------


@pytest.mark.parametrize(
    "text",
    [
        "NATO was founded in 1949. The alliance was founded in 1949 by twelve countries.",
        "Since joining NATO in 2004, Estonia has hosted allied troops.",
        "Russia and North Korea cemented their partnership last year with a pact.",
        "The pact signed last year obliges both nations to provide military assistance.",
        "Finland had joined NATO in 2023, a year before Sweden.",
        "Beijing and Moscow declared a no-limits partnership in 2022.",
        "Ukraine hopes to join NATO, its foreign minister said.",
        "Donald Trump ruled out Ukraine joining NATO.",
        "Switzerland will not join NATO, its defence minister said.",
        "Analysts said Iran and Russia could sign a mutual defence pact.",
        "US and Japanese officials pledged to strengthen their decades-old alliance.",
        "Georgia suspended EU accession talks.",
        "Russia withdrew from the treaty with the United States.",
    ],
)
def test_background_and_unreal_relations_are_not_news(pipeline, text):
    assert relations(pipeline, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Air China joined the Star Alliance, the airline said.",
        "Renault and Nissan signed a new alliance agreement on Thursday.",
        "Microsoft announced a partnership with OpenAI on Tuesday.",
        "Manchester United announced a partnership with Saudi Arabia's tourism authority.",
        "England's Joe Root and Harry Brook shared a 200-run partnership against India.",
        "The UN, in partnership with Kenya's health ministry, launched a vaccine drive.",
        "India and Britain signed a free trade agreement in London.",
        "The US and Ukraine signed a minerals partnership on Wednesday.",
        "Armenia and Azerbaijan initialled a peace treaty in Washington.",
        "Germany and Qatar signed a 15-year gas deal.",
        "Japan's ruling party formed an alliance with the Japan Innovation Party.",
    ],
)
def test_other_senses_are_not_alliances(pipeline, text):
    assert relations(pipeline, text) == []


def test_the_publication_year_decides_what_is_past(pipeline):
    text = "Finland joined NATO in April 2023, doubling its border with Russia."
    assert relations(pipeline, text, published="2023-04-04T12:00:00Z") == [
        ("accession", ["FI", "NATO"])
    ]
    assert relations(pipeline, text, published="2026-01-10") == []


def test_one_detection_per_relation_and_parties_per_article(pipeline):
    text = (
        "Finland joined NATO on Tuesday. Finland joined NATO after decades of neutrality, "
        "officials repeated."
    )
    assert relations(pipeline, text) == [("accession", ["FI", "NATO"])]


# -- settings ---------------------------------------------------------------------


def test_default_settings():
    settings = load_settings(AllianceSettings, None, "detectors.alliance")
    assert settings.enabled
    assert set(DEFAULT_SEVERITY) == set(RELATIONS)


def test_relations_can_be_turned_off_and_severity_changed(pipeline):
    text = "Donald Trump invited Xi Jinping to the White House for a state visit."
    quiet = Pipeline(
        {"detectors": {"alliance": {"relations": {"invitation": False}}}}, nlp=pipeline.nlp
    )
    assert relations(quiet, text) == []
    loud = Pipeline(
        {"detectors": {"alliance": {"severity": {"invitation": "high"}}}}, nlp=pipeline.nlp
    )
    assert [d["severity"] for d in alliances(loud, text)] == ["high"]
    off = Pipeline({"detectors": {"alliance": {"enabled": False}}}, nlp=pipeline.nlp)
    assert relations(off, text) == []


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ({"relations": {"friendship": True}}, "detectors.alliance.relations.friendship"),
        ({"severity": {"treaty": "urgent"}}, "detectors.alliance.severity.treaty"),
        ({"severity": {"handshake": "low"}}, "detectors.alliance.severity.handshake"),
        ({"repeat_window": "7d"}, "detectors.alliance.repeat_window"),
        ({"window": "7d"}, "detectors.alliance.window"),
    ],
)
def test_bad_settings_name_the_key(section, key):
    with pytest.raises(ConfigError) as info:
        load_settings(AllianceSettings, section, "detectors.alliance")
    assert info.value.key == key


def test_triggers_cover_every_relation_word(pipeline):
    detector = next(d for d in pipeline.detectors if d.name == "alliance")
    triggers = set(detector.triggers())
    for word in ("treaty", "pact", "alliance", "partnership", "accession", "joined", "invited"):
        assert word in triggers
    for word in ("invitation", "pledged", "vowed", "promising", "admitted", "32nd member"):
        assert word in triggers
    # General words only with a qualifier: alone they would double what the gate parses.
    assert "defence agreement" in triggers and "partnership agreement" in triggers
    assert not {"agreement", "deal", "member", "members"} & triggers
