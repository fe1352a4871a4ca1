"""Silences: Alertmanager matcher semantics, time window, storage round trip."""

from __future__ import annotations

import pytest

from alerts.silences import Matcher, Silence, SilenceError, is_silenced, labels

from .conftest import alliance, item, strike

T0 = 1_000_000.0


def test_labels_of_a_strike_and_an_alliance():
    s = labels(strike(), "ops", item("a1"))
    assert s["detector"] == "strike" and s["severity"] == "high"
    assert (s["actor"], s["target"], s["channel"]) == ("RU", "UA", "ops")
    assert s["actors"] == "RU,UA" and s["source"] == "Example News"
    a = labels(alliance(parties=["RU", "CN"]), "ops")
    assert a["parties"] == "CN,RU" and a["relation"] == "treaty"
    assert "actor" not in a


@pytest.mark.parametrize(
    "text, matching, not_matching",
    [
        ("actor=RU", {"actor": "RU"}, {"actor": "UA"}),
        ("actor!=RU", {"actor": "UA"}, {"actor": "RU"}),
        ("actor!=RU", {}, {"actor": "RU"}),  # absent label is ""
        ("detector=~strike|alliance", {"detector": "alliance"}, {"detector": "strikes"}),
        ("parties=~.*CN.*", {"parties": "CN,RU"}, {"parties": "RU,US"}),
        ("severity!~low|medium", {"severity": "high"}, {"severity": "low"}),
        ('comment="a b"', {"comment": "a b"}, {"comment": "a"}),
        ("actor=", {}, {"actor": "RU"}),
    ],
)
def test_matcher_semantics(text, matching, not_matching):
    m = Matcher.parse(text)
    assert m.matches(matching)
    assert not m.matches(not_matching)
    assert Matcher.parse(str(m)) == m


@pytest.mark.parametrize("text", ["actor", "=RU", "actor~RU", "1x=2", "actor=~("])
def test_bad_matchers_are_rejected(text):
    with pytest.raises(SilenceError) as err:
        Matcher.parse(text)
    assert "matcher" in str(err.value)


def test_silence_needs_a_real_matcher_and_window():
    with pytest.raises(SilenceError, match="at least one matcher"):
        Silence.create([], now=T0, duration_s=60)
    with pytest.raises(SilenceError, match="mute everything"):
        Silence.create(["actor=~.*"], now=T0, duration_s=60)
    with pytest.raises(SilenceError, match="end after"):
        Silence.create(["actor=RU"], now=T0, duration_s=0)


def test_is_silenced_respects_window_and_all_matchers():
    lbl = labels(strike(), "ops")
    s = Silence.create(["actor=RU", "channel=ops"], now=T0, duration_s=3600, comment="flood")
    other = Silence.create(["actor=RU", "channel=mail"], now=T0, duration_s=3600)
    assert is_silenced(lbl, [other, s], T0 + 10) is s
    assert is_silenced(lbl, [other], T0 + 10) is None
    assert is_silenced(lbl, [s], T0 - 1) is None  # not started
    assert is_silenced(lbl, [s], T0 + 3600) is None  # ended
    expired = s.expire(T0 + 100)
    assert expired.is_expired(T0 + 100) and is_silenced(lbl, [expired], T0 + 100) is None


def test_round_trip_through_storage_dict():
    s = Silence.create(
        ['detector=~"strike|alliance"', "actor!=UA"],
        now=T0,
        duration_s=60,
        comment="c",
        created_by="me",
    )
    stored = s.to_dict()
    assert stored["matchers"] == ["detector=~strike|alliance", "actor!=UA"]
    back = Silence.from_dict(stored)
    assert back == s
    # Stored dicts work directly, and ISO times are read too.
    iso = dict(stored, starts_at="1970-01-12T13:46:40Z", ends_at="1970-01-12T13:47:40+00:00")
    assert Silence.from_dict(iso).ends_at == T0 + 60
    assert is_silenced(labels(strike(), "ops"), [stored], T0 + 1).id == s.id
    with pytest.raises(SilenceError, match="missing 'matchers'"):
        Silence.from_dict({"id": "x", "starts_at": 0, "ends_at": 1})


def test_a_matcher_on_an_unknown_label_is_an_error_listing_the_labels():
    from alerts.silences import check_label_names, known_labels

    known = known_labels()
    check_label_names(["actor=RU", "detector=~strike|alliance", "channel=ops"], known)
    with pytest.raises(SilenceError) as caught:
        check_label_names(["nation=RU"], known)
    message = str(caught.value)
    assert "no detection has a label 'nation'" in message
    assert "actor (strike, weapons_test)" in message and "parties (alliance, ceasefire)" in message
    assert "rule (rules)" in message and "channel" in message
