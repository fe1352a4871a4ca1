"""Language: the source's setting, the entry's, the feed's, else a detected one when sure."""

from __future__ import annotations

from stream.feeds.language import detect, item_language, normalize, readable


def test_codes_are_normalized():
    assert normalize("en-US") == "en" and normalize("EN_gb") == "en" and normalize(" fr ") == "fr"
    assert normalize("") is None and normalize(None) is None


def test_declared_languages_win_in_order():
    text = "Le gouvernement a présenté son budget mardi devant le parlement."
    assert item_language(text, configured="en", entry="fr", feed="de") == ("en", "config")
    assert item_language(text, configured=None, entry="fr-CA", feed="de") == ("fr", "entry")
    assert item_language(text, configured=None, entry=None, feed="de-AT") == ("de", "feed")
    language, how = item_language(text, configured=None, entry=None, feed=None)
    assert language == "fr" and how.startswith("detected (")


def test_detection_abstains_when_unsure():
    assert detect("") == (None, 0.0)
    code, probability = detect("NATO")
    assert code is None and probability < 0.5
    assert (
        detect("Ministers agreed on Tuesday to build new flood defences along the river.")[0]
        == "en"
    )


def test_only_known_other_languages_are_kept_from_the_detectors():
    assert readable("en") and readable(None)
    assert not readable("fr") and not readable("ru")
