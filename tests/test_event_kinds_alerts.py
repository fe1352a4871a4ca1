"""The four event kinds through backtest, routing and messages, with nothing in alerts/
knowing them: channel filters by detector and by actors, and silences on their own labels."""

from __future__ import annotations

import io
import json

import pytest

from alerts.channels import load_channels
from alerts.routing import QUEUED, SILENCED, UNROUTED, Router
from alerts.silences import Silence
from detectors.pipeline import Pipeline
from stream.backtest import backtest

ARTICLES = [
    {
        "id": "test-1",
        "title": "North Korea tests ICBM",
        "url": "https://news.example/test-1",
        "text": "North Korea test-fired a Hwasong-19 intercontinental ballistic missile on "
        "Thursday, Japan's defence ministry said. The missile flew for 86 minutes.",
    },
    {
        "id": "coup-1",
        "text": "Soldiers in Niger detained the president on Wednesday and said on state "
        "television that they had seized power. Borders were closed.",
    },
    {
        "id": "sanc-1",
        "text": "The European Union adopted its 17th package of sanctions against Russia on "
        "Tuesday, including an asset freeze on 30 more companies.",
    },
    {
        "id": "cf-1",
        "text": "India and Pakistan agreed to an immediate ceasefire on Saturday after four "
        "days of fighting, officials in both countries said.",
    },
]

KINDS = {"test-1": "weapons_test", "coup-1": "coup", "sanc-1": "sanctions", "cf-1": "ceasefire"}


@pytest.fixture(scope="module")
def records(pipeline, tmp_path_factory):
    path = tmp_path_factory.mktemp("events") / "articles.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n")
    out = io.StringIO()
    assert backtest(Pipeline({}, nlp=pipeline.nlp), [path], fmt="jsonl", out=out) == 0
    found = {}
    for line in out.getvalue().splitlines():
        record = json.loads(line)
        kind = KINDS[record["id"]]
        record["detections"] = [d for d in record["detections"] if d["detector"] == kind]
        found[record["id"]] = record
    return found


def test_backtest_shows_each_kinds_fields_and_the_generic_ones(records):
    (test,) = records["test-1"]["detections"]
    assert (test["actor"], test["weapon"], test["system"]) == ("KP", "icbm", "Hwasong-19")
    assert test["labels"]["weapon"] == "icbm" and test["actors"] == ["KP"]
    (coup,) = records["coup-1"]["detections"]
    assert (coup["country"], coup["outcome"]) == ("NE", "seized")
    assert coup["labels"]["outcome"] == "seized" and coup["actors"] == ["NE"]
    (sanc,) = records["sanc-1"]["detections"]
    assert (sanc["imposer"], sanc["target"], sanc["package"]) == ("EU", "RU", 17)
    assert sanc["measures"] == ["asset freeze"]
    assert sanc["labels"]["imposer"] == "EU" and sanc["actors"] == ["EU", "RU"]
    (cf,) = records["cf-1"]["detections"]
    assert (cf["parties"], cf["status"]) == (["IN", "PK"], "agreed")
    assert cf["labels"]["status"] == "agreed" and cf["actors"] == ["IN", "PK"]
    for d in (test, coup, sanc, cf):
        assert d["event"].startswith(d["detector"] + "|") and d["facts"]


def router(channels: list[dict], silences: dict | None = None) -> Router:
    blocs = {"EU": frozenset({"DE", "FR"})}
    return Router(
        load_channels(channels, members=blocs),
        notified={},
        pending={},
        silences=silences or {},
        blocs=blocs,
        names={"KP": "North Korea", "NE": "Niger", "RU": "Russia"}.get,
    )


def result(record: dict) -> dict:
    item = next(a for a in ARTICLES if a["id"] == record["id"])
    meta = {k: v for k, v in item.items() if k != "text"}
    return {"id": record["id"], "item": meta, "detections": record["detections"]}


def test_channel_filters_by_detector_and_actors(records):
    r = router(
        [
            {"name": "coups", "urls": ["json://127.0.0.1:9/c"], "detectors": ["coup"]},
            {"name": "korea", "urls": ["json://127.0.0.1:9/k"], "actors": ["KP"]},
            {"name": "europe", "urls": ["json://127.0.0.1:9/e"], "actors": ["EU"]},
        ]
    )
    routed = {rid: r.add(result(records[rid]), now=1000.0) for rid in KINDS}
    assert [(e.kind, e.channel) for e in routed["coup-1"]] == [(QUEUED, "coups")]
    assert [(e.kind, e.channel) for e in routed["test-1"]] == [(QUEUED, "korea")]
    assert [(e.kind, e.channel) for e in routed["sanc-1"]] == [(QUEUED, "europe")]
    assert [e.kind for e in routed["cf-1"]] == [UNROUTED]
    alerts = {a.channel: a for a in r.flush(now=5000.0)}
    assert "Hwasong-19" in alerts["korea"].body and "icbm" in alerts["korea"].body.lower()
    assert "seized" in alerts["coups"].body


@pytest.mark.parametrize(
    ("rid", "label"),
    [
        ("test-1", "weapon=icbm"),
        ("coup-1", "outcome=seized"),
        ("sanc-1", "imposer=EU"),
        ("cf-1", "status=agreed"),
    ],
)
def test_a_silence_on_one_of_its_labels(records, rid, label):
    mute = Silence.create([label], now=0.0, duration_s=3600.0)
    other = Silence.create([label.split("=")[0] + "=none"], now=0.0, duration_s=3600.0)
    channels = [{"name": "all", "urls": ["json://127.0.0.1:9/x"]}]
    muted = router(channels, {mute.id: mute.to_dict()}).add(result(records[rid]), now=10.0)
    assert [(e.kind, e.silence_id) for e in muted] == [(SILENCED, mute.id)]
    kept = router(channels, {other.id: other.to_dict()}).add(result(records[rid]), now=10.0)
    assert [e.kind for e in kept] == [QUEUED]
