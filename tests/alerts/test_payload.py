"""The alert as JSON fields for webhooks, from the generic detection fields only."""

from __future__ import annotations

from alerts.payload import alert_fields

from .conftest import item, strike


def test_alert_fields_carry_every_generic_field_and_the_articles():
    det = strike("a1")
    alert = {
        "id": "al1",
        "channel": "ops",
        "severity": "high",
        "title": "t",
        "created_at": 1.0,
        "detections": [det],
        "items": {"a1": item("a1"), "a2": item("a2", title=None, url=None, source="b.txt")},
        "also": {det["id"]: ["a2"]},
        "updates": [det["id"]],
    }
    fields = alert_fields(alert)
    assert {k: fields[k] for k in ("id", "channel", "severity")} == {
        "id": "al1",
        "channel": "ops",
        "severity": "high",
    }
    [d] = fields["detections"]
    assert d["actors"] == ["RU", "UA"] and d["labels"]["actor"] == "RU"
    assert d["facts"]["Munitions"] == "120 drones, 20 missiles (total 140)"
    assert d["evidence"].startswith("Overnight Russia launched") and d["update"] is True
    assert d["article"]["url"] == "https://news.example/a1"
    assert [a["name"] for a in d["also_reported"]] == ["b.txt"]
