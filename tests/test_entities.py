"""The entity layer: who is who (states, leaders, capitals, demonyms, seats, blocs)."""

from __future__ import annotations

import pytest
import spacy
import yaml

from detectors.entities import (
    EntitySettings,
    Gazetteer,
    actors,
    add_entity_layer,
    mentions,
)
from detectors.entities.gazetteer import load_data
from detectors.pipeline import Pipeline
from detectors.settings import ConfigError, load_settings

OBSERVERS_AND_OTHERS = {"PS", "VA", "TW", "XK"}


@pytest.fixture(scope="module")
def gazetteer(pipeline) -> Gazetteer:
    return pipeline.gazetteer


def ents(pipeline, text: str) -> list[tuple[str, str, str | None]]:
    doc = pipeline.nlp(text)
    return [(e.text, e.label_, e._.actor) for e in doc.ents]


# -- coverage of the data -------------------------------------------------------


def test_every_un_member_is_there_with_name_demonym_and_capital(gazetteer):
    states = load_data()["states"]
    members = set(states) - OBSERVERS_AND_OTHERS
    assert len(members) == 193
    for code, entry in states.items():
        assert gazetteer.resolve(entry["name"]) == code, entry["name"]
        for demonym in entry.get("demonyms", []):
            assert gazetteer.resolve(demonym) == code, demonym
        for capital in entry.get("capitals", []):
            assert gazetteer.resolve(capital) == code, capital
    # Without a demonym of their own: the Vatican, and two states whose demonym is
    # listed under the neighbour most meant by it ("Congolese" → CD, "Dominican" → DO).
    no_demonym = {c for c, e in states.items() if not e.get("demonyms")}
    assert no_demonym == {"CG", "DM", "VA"}


def test_shipped_data_has_no_ambiguous_alias(gazetteer):
    assert gazetteer.ambiguous == set()


def test_bloc_members_are_known_codes(gazetteer):
    codes = set(load_data()["states"]) | set(load_data()["territories"])
    for bloc, members in gazetteer.members.items():
        assert members, bloc
        assert members <= codes, (bloc, members - codes)


# -- resolution -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Russian Federation", "RU"),
        ("DPRK", "KP"),
        ("the U.S.", "US"),
        ("US", "US"),
        ("America", "US"),
        ("UK", "GB"),
        ("Britain", "GB"),
        ("Türkiye", "TR"),
        ("Ivory Coast", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("Czech Republic", "CZ"),
        ("Burma", "MM"),
        ("DR Congo", "CD"),
        ("Congo-Brazzaville", "CG"),
        ("Taiwan", "TW"),
        ("Greenland", "GL"),
    ],
)
def test_names_and_short_names(gazetteer, text, actor):
    assert gazetteer.resolve(text) == actor


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("North Korean", "KP"),
        ("North Koreans", "KP"),
        ("Ukrainians", "UA"),
        ("Filipino", "PH"),
        ("Dutch", "NL"),
        ("Emirati", "AE"),
        ("Kyiv", "UA"),
        ("Kiev", "UA"),
        ("Pyongyang", "KP"),
        ("Tehran", "IR"),
        ("Abuja", "NG"),
        ("Sino", "CN"),
    ],
)
def test_demonyms_and_capitals(gazetteer, text, actor):
    assert gazetteer.resolve(text) == actor


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Vladimir Putin", "RU"),
        ("Putin", "RU"),
        ("President Putin", "RU"),
        ("Sergei Lavrov", "RU"),
        ("Andrei Belousov", "RU"),
        ("Volodymyr Zelenskyy", "UA"),
        ("Xi Jinping", "CN"),
        ("President Xi", "CN"),
        ("Wang Yi", "CN"),
        ("Kim Jong-un", "KP"),
        ("Kim Jong Un", "KP"),
        ("Donald Trump", "US"),
        ("Marco Rubio", "US"),
        ("Pete Hegseth", "US"),
        ("Keir Starmer", "GB"),
        ("Emmanuel Macron", "FR"),
        ("Friedrich Merz", "DE"),
        ("Sanae Takaichi", "JP"),
        ("Lee Jae-myung", "KR"),
        ("Narendra Modi", "IN"),
        ("Recep Tayyip Erdoğan", "TR"),
        ("Erdogan", "TR"),
        ("Mohammed bin Salman", "SA"),
        ("MBS", "SA"),
        ("Benjamin Netanyahu", "IL"),
        ("Masoud Pezeshkian", "IR"),
        ("Mark Rutte", "NATO"),
        ("Ursula von der Leyen", "EU"),
    ],
)
def test_leaders(gazetteer, text, actor):
    assert gazetteer.resolve(text) == actor


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("the Kremlin", "RU"),
        ("the White House", "US"),
        ("Pentagon", "US"),
        ("Downing Street", "GB"),
        ("the Élysée", "FR"),
        ("Elysee Palace", "FR"),
        ("Zhongnanhai", "CN"),
        ("the Knesset", "IL"),
        ("People’s Liberation Army", "CN"),
        ("the Russian Defence Ministry", "RU"),
        ("Chinese military", "CN"),
        ("US Army", "US"),
        ("Ukraine's armed forces", "UA"),
    ],
)
def test_seats_of_government_and_institutions(gazetteer, text, actor):
    assert gazetteer.resolve(text) == actor


@pytest.mark.parametrize(
    ("text", "actor"),
    [("North Korea’s", "KP"), ("Russia's", "RU"), ("the Philippines'", "PH"), ("Putin’s", "RU")],
)
def test_possessives_are_stripped(gazetteer, text, actor):
    assert gazetteer.resolve(text) == actor


def test_words_that_name_nothing_do_not_resolve(gazetteer):
    for text in ("Microsoft", "the alliance", "Star Alliance", "Western", "Kim", "Korean"):
        assert gazetteer.resolve(text) is None, text


def test_surface_forms_for_gate_phrases(gazetteer):
    forms = gazetteer.surface_forms(["KP"])
    assert {"North Korea", "Pyongyang", "Kim Jong-un", "Kim Jong Un", "DPRK"} <= set(forms)
    assert "Democratic People’s Republic of Korea" in forms  # curly apostrophe variant
    assert "Seoul" not in forms


def test_surname_needs_the_full_name_earlier(gazetteer):
    assert gazetteer.resolve("Kim") is None
    assert gazetteer.resolve("Kim", before="Kim Jong Un arrived by train.") == "KP"
    # The latest full name wins: the South Korean prime minister, then.
    before = "Kim Jong Un fired missiles. Seoul's Kim Min-seok condemned it."
    assert gazetteer.resolve("Kim", before=before) == "KR"
    assert gazetteer.resolve("Lee", before="President Lee Jae-myung said") == "KR"
    # A surname that is a country's name stays the country.
    assert gazetteer.resolve("Montenegro", before="Luís Montenegro spoke.") == "ME"


@pytest.mark.parametrize(
    ("text", "bloc"),
    [
        ("NATO", "NATO"),
        ("the North Atlantic Treaty Organization", "NATO"),
        ("European Union", "EU"),
        ("BRICS", "BRICS"),
        ("G7", "G7"),
        ("Group of 20", "G20"),
        ("AUKUS", "AUKUS"),
        ("ASEAN", "ASEAN"),
        ("African Union", "African Union"),
        ("AU", "African Union"),
        ("Shanghai Cooperation Organisation", "SCO"),
        ("CSTO", "CSTO"),
        ("Quad", "Quad"),
        ("Gulf Cooperation Council", "GCC"),
        ("OPEC", "OPEC"),
        ("Alliance of Sahel States", "AES"),
    ],
)
def test_blocs(gazetteer, text, bloc):
    assert gazetteer.resolve(text) == bloc
    assert gazetteer.is_bloc(bloc)


def test_bloc_members_and_names(gazetteer):
    assert len(gazetteer.members["NATO"]) == 32
    assert {"FI", "SE", "US", "TR"} <= gazetteer.members["NATO"]
    assert "UA" not in gazetteer.members["NATO"]
    assert len(gazetteer.members["EU"]) == 27
    assert {"ID", "IR", "AE", "EG", "ET"} <= gazetteer.members["BRICS"]
    assert gazetteer.members["AUKUS"] == {"AU", "GB", "US"}
    assert not gazetteer.is_bloc("RU")
    assert gazetteer.name("KP") == "North Korea"
    assert gazetteer.name("NATO") == "NATO"
    assert gazetteer.display_name("US") == "the United States"
    assert gazetteer.display_name("JP") == "Japan"


# -- the spaCy layer ------------------------------------------------------------


def test_layer_fixes_known_ner_misses(pipeline):
    found = ents(pipeline, "Ukrainian drones struck an oil refinery in Kursk and Belgorod.")
    assert ("Kursk", "GPE", "RU") in found  # the model says PRODUCT
    assert ("Belgorod", "GPE", "RU") in found  # the model says PERSON
    found = ents(pipeline, "Still, Kremlin officials objected to Trump’s proposals.")
    assert ("Kremlin", "ORG", "RU") in found
    assert ("Trump", "PERSON", "US") in found  # the model says ORG


def test_layer_labels_people_who_speak_for_a_bloc_as_people(pipeline):
    found = ents(pipeline, "The EU's Kaja Kallas and NATO chief Mark Rutte arrived in Kyiv.")
    assert ("Kaja Kallas", "PERSON", "EU") in found
    assert ("Mark Rutte", "PERSON", "NATO") in found
    assert ("Kyiv", "GPE", "UA") in found


def test_layer_splits_glued_names_and_trims_possessives(pipeline):
    found = ents(pipeline, "Mali, Burkina Faso and Niger formed a bloc.")
    assert [(t, a) for t, _, a in found] == [
        ("Mali", "ML"),
        ("Burkina Faso", "BF"),
        ("Niger", "NE"),
    ]
    found = ents(pipeline, "The summit highlighted Xi Jinping’s balancing act.")
    assert ("Xi Jinping", "PERSON", "CN") in found


def test_combining_forms_count_only_before_a_hyphen(pipeline):
    found = ents(pipeline, "Sino-Russian ties recalled the days of Franco in Madrid.")
    assert ("Sino", "NORP", "CN") in found and ("Russian", "NORP", "RU") in found
    assert not any(a == "FR" for _, _, a in found)


def test_layer_keeps_names_that_contain_a_country(pipeline):
    found = ents(pipeline, "Air China joined the Star Alliance, the Washington Post reported.")
    names = {t: a for t, _, a in found}
    assert names["Air China"] is None
    assert "China" not in names and "Washington" not in names


def test_layer_sets_kind_and_aliases_surnames_within_the_doc(pipeline):
    doc = pipeline.nlp("Kim Jong Un arrived in Beijing. Kim later met Putin in Kursk.")
    by_text = {e.text: (e._.actor, e._.actor_kind) for e in doc.ents}
    assert by_text["Kim"] == ("KP", "leader")
    assert by_text["Beijing"] == ("CN", "capital")
    assert by_text["Kursk"] == ("RU", "place")


def test_mentions_use_the_article_text_before_a_window(pipeline, gazetteer):
    window = pipeline.nlp("Kim embraced Putin in Moscow and toured the Kursk region.")
    alone = mentions(window[:], gazetteer)
    assert [m.actor for m in alone] == ["RU", "RU", "RU"]  # Kim is unknown here
    with_context = mentions(window[:], gazetteer, preceding="Kim Jong Un left Pyongyang. ")
    assert [m.actor for m in with_context] == ["KP", "RU", "RU", "RU"]
    assert [m.acting for m in with_context] == [True, True, True, False]
    # Which states/blocs act in the span: places do not count, each actor once.
    assert actors(window[:], gazetteer, "Kim Jong Un left Pyongyang. ") == ["KP", "RU"]


# -- extending from config ------------------------------------------------------


def settings(data: object) -> EntitySettings:
    return load_settings(EntitySettings, data, "entities")


def test_config_adds_state_aliases_and_blocs():
    base = Gazetteer.load()
    assert base.resolve("Rosneft") is None
    extended = Gazetteer.load(
        settings(
            {
                "states": {"RU": ["Rosneft", "Shoigu"], "GL": ["Nuuk government"]},
                "blocs": {
                    "Weimar Triangle": {
                        "aliases": ["Weimar triangle"],
                        "members": ["DE", "FR", "PL"],
                        "display": "the Weimar Triangle",
                    },
                    "NATO": {"members": ["UA"]},
                },
            }
        )
    )
    assert extended.resolve("Rosneft") == "RU"
    assert extended.resolve("Rosneft's") == "RU"
    assert extended.resolve("Nuuk government") == "GL"
    assert extended.resolve("the Weimar Triangle") == "Weimar Triangle"
    assert extended.members["Weimar Triangle"] == {"DE", "FR", "PL"}
    assert extended.display_name("Weimar Triangle") == "the Weimar Triangle"
    assert extended.display_name("EU") == "the EU"
    assert "UA" in extended.members["NATO"] and "FI" in extended.members["NATO"]
    assert extended.resolve("NATO") == "NATO"  # extending a bloc keeps its aliases


def test_config_aliases_reach_the_spacy_layer():
    nlp = spacy.blank("en")  # no NER: entities come from the gazetteer matcher alone
    add_entity_layer(nlp, Gazetteer.load(settings({"states": {"RU": ["Rosneft"]}})))
    doc = nlp("Rosneft and the Kremlin welcomed the deal with Sinopec in Beijing.")
    assert [(e.text, e._.actor) for e in doc.ents] == [
        ("Rosneft", "RU"),
        ("Kremlin", "RU"),
        ("Beijing", "CN"),
    ]


@pytest.mark.parametrize(
    ("data", "key", "words"),
    [
        ({"states": {"XX": ["Foo"]}}, "entities.states.XX", "ISO 3166-1"),
        ({"states": {"ru": ["Foo"]}}, "entities.states.ru", "did you mean 'RU'"),
        ({"states": {"RU": "Shoigu"}}, "entities.states.RU", "list"),
        ({"states": ["RU"]}, "entities.states", "mapping"),
        (
            {"blocs": {"Weimar": {"members": ["DE", "XY"]}}},
            "entities.blocs.Weimar.members[1]",
            "XY",
        ),
        ({"blocs": {"Weimar": {"member": ["DE"]}}}, "entities.blocs.Weimar.member", "unknown"),
        ({"blocs": {"AU": {"members": ["DE"]}}}, "entities.blocs.AU", "state code"),
        ({"countries": {}}, "entities.countries", "unknown"),
    ],
)
def test_bad_entity_config_names_the_key(data, key, words):
    with pytest.raises(ConfigError) as info:
        settings(data)
    assert info.value.key == key
    assert words in info.value.message


def test_unquoted_no_in_yaml_gets_a_hint():
    data = yaml.safe_load("states:\n  NO: [Oslo government]\n")  # YAML 1.1: NO is false
    with pytest.raises(ConfigError) as info:
        settings(data)
    assert info.value.key == "entities.states.False"
    assert "quote" in info.value.message


def test_pipeline_rejects_bad_entities_section(pipeline):
    with pytest.raises(ConfigError) as info:
        Pipeline({"entities": {"states": {"ZZ": ["x"]}}}, nlp=pipeline.nlp)
    assert info.value.key == "entities.states.ZZ"
