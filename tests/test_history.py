"""The console's SQLite history: storing records from the topics, filters, search, retention."""

from __future__ import annotations

from stream.history import UNMATCHED_TEXT_S, Filters, History, fts_query

TEXT = (
    "Officials met on Monday. Russia launched 300 drones at Kyiv overnight, officials said. "
    "Repairs began at dawn."
)
EVIDENCE = "Russia launched 300 drones at Kyiv overnight, officials said."


def strike(det_id="d1", item_id="a1", severity="high", actor="RU", target="UA"):
    start = TEXT.index(EVIDENCE)
    return {
        "id": det_id,
        "item_id": item_id,
        "detector": "strike",
        "severity": severity,
        "summary": f"{actor} struck {target} with 300 drones",
        "evidence": {"text": EVIDENCE, "start": start, "end": start + len(EVIDENCE)},
        "labels": {"detector": "strike", "severity": severity, "actor": actor, "target": target},
        "actors": sorted([actor, target]),
        "event": f"strike|actor={actor}|target={target}",
        "facts": [["munitions", "drone: 300"], ["total", "300"]],
        "munitions": {"drone": 300},
        "actor": actor,
        "target": target,
    }


def fill(history, ts=1000.0):
    history.apply("items", {"id": "a1", "title": "Night attack", "text": TEXT}, ts)
    history.apply("items", {"id": "quiet", "text": "Nothing happened at the fair."}, ts)
    history.apply(
        "detections",
        {"id": "a1", "item": {"id": "a1", "title": "Night attack"}, "detections": [strike()]},
        ts + 1,
    )
    history.apply("detections", {"id": "quiet", "item": {"id": "quiet"}, "detections": []}, ts + 1)
    history.apply(
        "alerts",
        {
            "id": "al1",
            "channel": "ops",
            "severity": "high",
            "title": "RU struck UA",
            "body": "...",
            "created_at": ts + 2,
            "detections": [strike()],
            "items": {"a1": {"id": "a1", "title": "Night attack"}},
            "also": {"d1": ["a2"]},
        },
        ts + 2,
    )


def test_records_become_searchable_alerts_with_their_article():
    history = History(":memory:")
    fill(history)
    page = history.alerts(Filters())
    assert page.total == 1
    [alert] = page.rows
    assert alert["id"] == "al1" and alert["delivery"] == "pending"
    assert history.article("a1")["text"] == TEXT
    # Full text: words of the article text, of the summary, and prefixes.
    assert history.alerts(Filters(q="dawn")).total == 1  # only in the article text
    assert history.alerts(Filters(q="drone*")).total == 1
    assert history.alerts(Filters(q="ceasefire")).total == 0
    assert history.detections(Filters(q="Kyiv")).total == 1


def test_filters_by_detector_severity_actor_channel_and_time():
    history = History(":memory:")
    fill(history, ts=1000.0)
    assert history.alerts(Filters(detector="strike")).total == 1
    assert history.alerts(Filters(detector="alliance")).total == 0
    assert history.alerts(Filters(severity="high")).total == 1
    assert history.alerts(Filters(severity="critical")).total == 0
    assert history.alerts(Filters(actor="UA")).total == 1
    assert history.alerts(Filters(actor="U")).total == 0  # whole codes only
    assert history.alerts(Filters(channel="ops")).total == 1
    assert history.alerts(Filters(channel="mail")).total == 0
    assert history.alerts(Filters(since=1001.0)).total == 1
    assert history.alerts(Filters(since=1003.0)).total == 0
    assert history.detections(Filters(channel="ops")).total == 1
    assert history.detections(Filters(until=1000.5)).total == 0


def test_replaying_the_same_records_does_not_duplicate():
    history = History(":memory:")
    fill(history)
    fill(history)
    assert history.counts()["alerts"] == 1
    assert history.counts()["detections"] == 1
    assert history.alerts(Filters(q="drones")).total == 1


def test_text_of_items_without_detections_is_dropped_after_a_while():
    history = History(":memory:")
    fill(history, ts=1000.0)
    assert history.article("quiet") is not None
    later = 1000.0 + UNMATCHED_TEXT_S + 10
    history.apply_batch(
        [("detections", "t", 0, 5, {"id": "x", "item": {"id": "x"}, "detections": []}, later)]
    )
    # a batch with a newer detection result: nothing matched "quiet" within the window
    history.apply_batch(
        [("detections", "t", 0, 6, {"id": "z", "detections": [strike("d9", "z")]}, later)]
    )
    assert history.article("quiet") is None
    assert history.article("a1")["text"] == TEXT
    assert history.offsets() == {("t", 0): 7}


def test_detection_read_before_its_item_still_gets_the_text():
    history = History(":memory:")
    history.apply("detections", {"id": "a1", "item": {"id": "a1"}, "detections": [strike()]}, 5)
    history.apply("items", {"id": "a1", "title": "Night attack", "text": TEXT}, 4)
    assert history.article("a1")["text"] == TEXT
    assert history.detections(Filters(q="dawn")).total == 1


def test_retention_prunes_old_rows():
    history = History(":memory:")
    fill(history, ts=1000.0)
    deleted = history.prune(retention_s=100, now=1050.0)
    assert deleted == 0
    deleted = history.prune(retention_s=100, now=5000.0)
    assert deleted > 0
    assert history.counts() == {
        "alerts": 0,
        "detections": 0,
        "articles": 0,
        "dead_alerts": 0,
        "dead_letters": 0,
    }
    assert history.alerts(Filters(q="drones")).total == 0


def test_dead_alerts_show_if_delivered_since_and_dead_letters_keep_reasons():
    history = History(":memory:")
    fill(history)
    history.apply(
        "alerts_dead",
        {
            "alert": {"id": "al1", "channel": "ops", "title": "RU"},
            "reason": "HTTP 500",
            "attempts": 3,
        },
        10,
    )
    assert [d["status"] for d in history.dead_alerts()] == ["dead"]
    history.apply("deliveries", ("al1", {"status": "delivered", "at": 20}), 20)
    assert [d["status"] for d in history.dead_alerts()] == ["delivered since"]
    history.apply(
        "deadletter",
        {"reason": "not JSON: x", "source": {"topic": "news.items", "partition": 0, "offset": 3}},
        30,
        where=("news.deadletter", 0, 0),
    )
    [row] = history.dead_letters()
    assert row["reason"] == "not JSON: x" and row["source"] == "news.items[0]@3"


def test_facts_and_actors_come_from_the_generic_fields():
    history = History(":memory:")
    fill(history)
    assert history.detections(Filters(q="munitions")).total == 1  # a fact's name
    assert history.detections(Filters(actor="RU")).total == 1
    [d] = history.detections(Filters()).rows
    assert d["facts"] == [["munitions", "drone: 300"], ["total", "300"]]


def test_fts_query_never_breaks_on_user_syntax():
    assert fts_query('drone* "AND (OR') == '"drone"* "AND" "OR"'
    history = History(":memory:")
    fill(history)
    assert history.alerts(Filters(q='"unbalanced (')).total == 0
