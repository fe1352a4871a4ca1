"""Rendering: the built-in message carries the facts; templates replace it."""

from __future__ import annotations

from alerts.message import render

from .conftest import alliance, channel, item, strike


def test_single_strike_message_has_the_facts():
    d = strike("a1")
    title, body = render(channel(), [d], {"a1": item("a1")}, names={"RU": "Russia"})
    assert title == f"[HIGH] {d['summary']}"
    assert "**HIGH** · strike · Russia, UA" in body
    assert "- Attack: RU → UA" in body
    assert "- Munitions: 120 drones, 20 missiles (total 140)" in body
    assert "- Casualties: 3 killed, 12 injured" in body
    assert "- Targets: energy infrastructure" in body
    assert "> Overnight Russia launched 120 drones" in body
    assert "[Report a1](https://news.example/a1)" in body
    assert "Example News" in body and "2024-05-01T06:00:00Z" in body


def test_alliance_message_names_parties_and_relation():
    title, body = render(channel(), [alliance("b1")], {})
    assert "**MEDIUM** · alliance · CN, RU" in body
    assert "- Parties: CN, RU\n- Relation: treaty" in body
    # No item metadata: the item id stands in for the link.
    assert "Source: b1" in body


def test_group_lists_every_detection_most_severe_first():
    low = alliance("b1", severity="low")
    high = strike("a1", severity="critical")
    title, body = render(
        channel(), [low, high], {"a1": item("a1"), "b1": item("b1")}, also={high["id"]: ["a9"]}
    )
    # A digest title names every event, most severe first, none hidden behind "+1 more".
    assert (
        title
        == "[CRITICAL] 2 alerts: RU attacked UA with 140 drones and missiles; CN and RU: treaty"
    )
    assert body.startswith("2 alerts on ops:")
    first, second = body.index("### 1. "), body.index("### 2. ")
    assert body.index(high["summary"]) < body.index(low["summary"])
    assert first < second
    assert "https://news.example/a1" in body and "https://news.example/b1" in body
    assert "Also reported by: a9" in body


def test_custom_templates():
    c = channel(
        title="{SEVERITY} {count} on {channel}: {labels[actor]}->{labels[target]}",
        body="{summary} | {facts:.40} | {detection[total]} | {link} | {detection[nope]}|",
    )
    a, b = strike("a1"), strike("a2", actor="BY", drones=5, missiles=0)
    title, body = render(c, [a, b], {"a1": item("a1")})
    assert title == "HIGH 2 on ops: RU->UA"
    parts = body.split("\n\n---\n\n")
    link = "[Report a1](https://news.example/a1)"
    facts = "Attack: RU → UA; Munitions: 120 drones, "
    assert parts[0] == f"{a['summary']} | {facts} | 140 | {link} | |"
    assert parts[1].startswith(f"{b['summary']} | Attack: BY → UA; Munitions: 5 drones, 0")


def test_article_named_by_title_else_file_name_never_only_an_id():
    from alerts.message import article_name

    assert article_name({"id": "9696cf", "title": "Kyiv hit", "source": "x.txt"}) == "Kyiv hit"
    assert article_name({"id": "000_9696cf", "source": "seeds/000_9696cf.txt"}) == "000_9696cf.txt"
    assert article_name({"id": "000_9696cf"}) == "000_9696cf"  # nothing else is known


def test_a_replayed_text_file_is_named_once_by_its_file_name():
    from alerts.message import default_section

    det = strike("000_9696")
    text = default_section(det, {"id": "000_9696", "source": "000_9696.txt"})
    assert "Source: 000_9696.txt\n" in text + "\n" and "000_9696.txt · 000_9696.txt" not in text
