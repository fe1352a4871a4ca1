"""Fingerprints: the same event from different articles on one day is one event."""

from __future__ import annotations

from alerts.fingerprint import event_day, fingerprint, fingerprint_key

from .conftest import alliance, item, strike

NOON = 1714564800.0  # 2024-05-01T12:00:00Z


def test_same_strike_two_articles_same_day():
    a = strike("a1", drones=120, sentence="Russia fired 120 drones at Ukraine overnight.")
    b = strike("a2", drones=150, sentence="Kyiv said 150 Russian drones were launched.")
    assert a["id"] != b["id"]
    fa = fingerprint(a, item("a1", "2024-05-01T02:00:00+00:00"), NOON)
    fb = fingerprint(b, item("a2", "2024-05-01T21:30:00Z"), NOON)
    assert fa == fb
    assert len(fa) == 16 and int(fa, 16) >= 0


def test_different_day_side_or_detector_differs():
    base = fingerprint(strike(), item("a1", "2024-05-01T10:00:00Z"))
    assert fingerprint(strike(), item("a1", "2024-05-02T10:00:00Z")) != base
    assert fingerprint(strike(actor="UA", target="RU"), item("a1", "2024-05-01")) != base
    assert fingerprint(strike(target="PL"), item("a1", "2024-05-01")) != base


def test_published_zone_is_converted_to_utc():
    # 23:30 at UTC-05:00 is the next day in UTC.
    assert event_day({"published": "2024-05-01T23:30:00-05:00"}, 0) == "2024-05-02"
    assert event_day({"published": "2024-05-01T23:30:00"}, 0) == "2024-05-01"


def test_missing_or_bad_published_uses_now():
    assert event_day(None, NOON) == "2024-05-01"
    assert event_day({"published": "yesterday"}, NOON) == "2024-05-01"
    assert fingerprint(strike(), None, NOON) == fingerprint(strike(), item("x", "2024-05-01"), 0)


def test_alliance_parties_order_and_relation():
    a = alliance(parties=["CN", "RU"], relation="treaty")
    b = dict(a, parties=["RU", "CN"], id="other", item_id="b2")
    assert fingerprint(a, None, NOON) == fingerprint(b, None, NOON)
    c = alliance(parties=["CN", "RU"], relation="partnership")
    assert fingerprint(a, None, NOON) != fingerprint(c, None, NOON)
    assert "parties=CN,RU|relation=treaty|2024-05-01" in fingerprint_key(a, None, NOON)


def test_any_kind_keys_on_its_event():
    r1 = {
        "id": "1",
        "item_id": "x",
        "detector": "sanctions",
        "severity": "low",
        "summary": "s1",
        "event": "sanctions|rule=sanctions|actors=IR,US",
    }
    r2 = dict(r1, id="2", item_id="y", summary="a different sentence")
    r3 = dict(r1, event="sanctions|rule=sanctions|actors=RU")
    assert fingerprint(r1, None, NOON) == fingerprint(r2, None, NOON)
    assert fingerprint(r1, None, NOON) != fingerprint(r3, None, NOON)
    assert fingerprint_key(r1, None, NOON) == "sanctions|rule=sanctions|actors=IR,US|2024-05-01"


def test_unattributed_strikes_fall_back_to_summary():
    a = strike(actor=None, target=None, drones=100)
    b = strike(actor=None, target=None, drones=200)
    assert a["summary"] != b["summary"]
    assert fingerprint(a, None, NOON) != fingerprint(b, None, NOON)
    # A record without an event (from an older producer) keys on its summary too.
    old = {k: v for k, v in a.items() if k != "event"}
    assert fingerprint(old, None, NOON) == fingerprint(a, None, NOON)
