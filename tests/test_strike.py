"""The large-strike detector: the seed, settings and thresholds, counting rules, gating."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detectors.base import detector_kinds
from detectors.kinds.strike import StrikeDetector, StrikeSettings
from detectors.kinds.strike.casualties import casualties
from detectors.kinds.strike.hit_targets import hit_targets
from detectors.pipeline import Pipeline
from detectors.records import NewsItem
from detectors.settings import ConfigError

ROOT = Path(__file__).parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ARTICLES = ROOT / "tests" / "articles" / "strike.jsonl"


def strikes(pipeline: Pipeline, text: str) -> list[dict]:
    found = pipeline.detect(NewsItem(id="t", text=text))
    return [d.to_dict() for d in found if d.detector == "strike"]


def configured(pipeline: Pipeline, **strike: object) -> Pipeline:
    """A pipeline with ``detectors.strike`` set, reusing the loaded spaCy model."""
    return Pipeline({"detectors": {"strike": strike}}, nlp=pipeline.nlp)


# ---------------------------------------------------------------- the seed


def test_seed_article_gives_exactly_one_strike(pipeline):
    assert SEEDS, "no seed article in seeds/"
    text = SEEDS[0].read_text(encoding="utf-8")
    (strike,) = strikes(pipeline, text)
    assert strike["munitions"] == {"drone": 500, "missile": 24}
    assert strike["total"] == 524
    assert (strike["actor"], strike["target"]) == ("RU", "UA")
    assert "energy infrastructure" in strike["targets"]
    assert strike["casualties"]["injured"] == 4
    assert strike["summary"] == (
        "Russia struck Ukraine with ~500 drones and 24 missiles; "
        "energy infrastructure hit; 4 injured"
    )
    evidence = strike["evidence"]
    assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    assert "roughly 500 drones and two dozen missiles" in evidence["text"]
    assert strike["severity"] == "critical"  # 524 munitions >= critical_total 500


def test_seed_without_the_next_sentence(pipeline):
    """read_next_sentence off: the damage and injuries told after the counts are not read."""
    (strike,) = strikes(configured(pipeline, read_next_sentence=False), SEEDS[0].read_text())
    assert strike["munitions"] == {"drone": 500, "missile": 24}
    assert strike["targets"] == [] and strike["casualties"] == {}  # not given: absent, never 0


# ---------------------------------------------------------------- gating loses nothing


def _cases() -> list[dict]:
    return [json.loads(line) for line in ARTICLES.read_text().splitlines() if line.strip()]


def test_gating_loses_nothing(pipeline):
    gated = Pipeline({"nlp": {"gating": True}}, nlp=pipeline.nlp)
    full = Pipeline({"nlp": {"gating": False}}, nlp=pipeline.nlp)
    texts = [c["text"] for c in _cases()] + [p.read_text() for p in SEEDS]
    fired = 0
    for i, text in enumerate(texts):
        item = NewsItem(id=str(i), text=text)
        with_gate = [d.to_dict() for d in gated.detect(item)]
        without = [d.to_dict() for d in full.detect(item)]
        assert with_gate == without, text[:80]
        fired += bool(without)
    assert fired >= 15  # the comparison is not vacuous


def test_triggers_cover_munition_words_and_synonyms(pipeline):
    detector = StrikeDetector(StrikeSettings(), pipeline.gazetteer)
    triggers = set(detector.triggers())
    for word in ("drone", "drones", "missiles", "rockets", "shells", "bombs", "uavs", "shaheds"):
        assert word in triggers
    assert "artillery rounds" in triggers and "injuring" not in triggers
    assert set(detector.next_sentence_triggers()) == triggers
    quiet = StrikeDetector(StrikeSettings(read_next_sentence=False), pipeline.gazetteer)
    assert quiet.next_sentence_triggers() == []


def test_gate_parses_the_sentence_after_a_munition_word(pipeline):
    text = SEEDS[0].read_text(encoding="utf-8")
    injured = text.index("injuring at least four")
    assert any(s <= injured < e for s, e in pipeline.windows(text))
    # Only the strike detector, so no other kind's trigger puts the sentence in a window.
    others = {k: {"enabled": False} for k in detector_kinds() if k not in ("strike", "rules")}
    config = {"detectors": {"strike": {"read_next_sentence": False}, **others}}
    quiet = Pipeline(config, nlp=pipeline.nlp)
    assert not any(s <= injured < e for s, e in quiet.windows(text))


# ---------------------------------------------------------------- settings


def test_default_settings():
    s = StrikeSettings()
    assert (s.min_total, s.min_missiles) == (50, 10)
    assert s.high_total <= s.critical_total and s.read_next_sentence


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ({"min_total": 0}, "detectors.strike.min_total"),
        ({"min_total": "fifty"}, "detectors.strike.min_total"),
        ({"high_total": 10}, "detectors.strike.high_total"),  # below min_total 50
        ({"critical_missiles": 20}, "detectors.strike.critical_missiles"),  # below high 30
        ({"min_drones": 5}, "detectors.strike.min_drones"),
    ],
)
def test_bad_settings_name_the_key(pipeline, section, key):
    with pytest.raises(ConfigError) as err:
        configured(pipeline, **section)
    assert err.value.key == key


FORTY_DRONES = "Russia launched 40 drones at Ukraine overnight, the air force said."
EIGHT_MISSILES = "Russia fired eight cruise missiles at Kyiv on Monday, officials said."


def test_thresholds_from_config_change_results(pipeline):
    assert strikes(pipeline, FORTY_DRONES) == []
    assert strikes(pipeline, EIGHT_MISSILES) == []
    (forty,) = strikes(configured(pipeline, min_total=40), FORTY_DRONES)
    assert forty["munitions"] == {"drone": 40} and forty["severity"] == "medium"
    (eight,) = strikes(configured(pipeline, min_missiles=8), EIGHT_MISSILES)
    assert eight["munitions"] == {"missile": 8} and eight["target"] == "UA"


def test_severity_from_size_and_casualties(pipeline):
    text = "Russia fired 120 drones at Ukraine overnight, killing three people."
    (medium,) = strikes(pipeline, text)
    assert medium["severity"] == "medium"
    (high,) = strikes(configured(pipeline, high_killed=3), text)
    assert high["severity"] == "high"
    (critical,) = strikes(configured(pipeline, high_total=100, critical_total=120), text)
    assert critical["severity"] == "critical"


# ---------------------------------------------------------------- counting rules


def test_launched_kept_apart_from_intercepted(pipeline):
    text = (
        "Russia attacked Ukraine overnight, the air force said. In total, 120 drones were "
        "launched, and 100 were shot down or jammed."
    )
    (strike,) = strikes(pipeline, text)
    assert strike["munitions"] == {"drone": 120} and strike["total"] == 120
    assert strike["intercepted"] == {"drone": 100}
    assert strike["actor"] == "RU" and strike["target"] == "UA"
    assert strike["summary"] == "Russia struck Ukraine with 120 drones (100 drones intercepted)"


def test_partitive_counts_the_whole_as_launched(pipeline):
    text = "Air defences destroyed 80 of the 100 drones that Russia launched at Ukraine."
    (strike,) = strikes(pipeline, text)
    assert strike["munitions"] == {"drone": 100} and strike["intercepted"] == {"drone": 80}


def test_only_interceptions_reported_count_as_at_least_launched(pipeline):
    text = "Ukraine's air force said it shot down 75 Russian drones overnight."
    (strike,) = strikes(pipeline, text)
    assert strike["munitions"] == {"drone": 75} and strike["intercepted"] == {"drone": 75}
    assert strike["summary"].startswith("Russia struck Ukraine with at least 75 drones")


def test_two_attacks_are_not_added_together(pipeline):
    one_sentence = (
        "Russia launched 30 drones at Sumy on Monday and 35 drones at Kharkiv on Tuesday."
    )
    two_sentences = (
        "Russia launched 30 drones at Sumy on Monday. On Tuesday it fired another 35 drones "
        "at Kharkiv."
    )
    for text in (one_sentence, two_sentences):
        assert strikes(pipeline, text) == [], text  # 65 in all, but no attack of 50
        found = strikes(configured(pipeline, min_total=30), text)
        assert sorted(d["total"] for d in found) == [30, 35], text


def test_combined_count_is_total_without_invented_split(pipeline):
    text = "Russia launched 524 drones and missiles at Ukraine overnight."
    (strike,) = strikes(pipeline, text)
    assert strike["total"] == 524 and strike["munitions"] == {}
    assert strike["summary"] == "Russia struck Ukraine with 524 drones and missiles"
    text = (
        "Russia launched 524 drones and missiles at Ukraine overnight, including 500 Shahed "
        "drones and 24 missiles."
    )
    (strike,) = strikes(pipeline, text)
    assert strike["total"] == 524 and strike["munitions"] == {"drone": 500, "missile": 24}


@pytest.mark.parametrize(
    "text",
    [
        "Pyongyang has supplied artillery shells, missiles and thousands of soldiers to Russia.",
        "Russia has fired more than 3,000 missiles at Ukraine since the start of the war.",
        "Russia could launch as many as 1,000 drones a day by the end of the year.",
        "Organisers launched 500 drones over the harbour for the New Year celebrations.",
        "On this day in 1944, the Luftwaffe dropped 1,200 bombs on London.",
        "Russia did not fire 100 missiles at Kyiv, the ministry said.",
    ],
)
def test_not_an_attack(pipeline, text):
    assert strikes(pipeline, text) == []


# ---------------------------------------------------------------- consequences


def test_casualties_and_what_was_hit(pipeline):
    doc = pipeline.nlp(
        "The strike killed at least 12 people and injured 30 others, damaging power "
        "substations and a railway station."
    )
    spans = list(doc.sents)
    assert casualties(spans) == {"killed": 12, "injured": 30}
    assert hit_targets(spans) == ["energy infrastructure", "railways"]
    doc = pipeline.nlp("Twelve people were killed and dozens were injured in the attack.")
    assert casualties(list(doc.sents)) == {"killed": 12, "injured": 24}
    doc = pipeline.nlp("The attack injured four railway workers near Kyiv.")
    assert hit_targets(list(doc.sents)) == []  # the workers were hurt, not a railway hit
