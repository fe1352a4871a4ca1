"""A kind registered in tests/ only goes through backtest, routing, dedup, silences,
channel filters and messages with nothing edited outside its module."""

from __future__ import annotations

import io
import json

import pytest

from alerts.channels import load_channels
from alerts.routing import QUEUED, SILENCED, UNROUTED, Router
from alerts.silences import Silence
from detectors.base import detector_kinds
from detectors.pipeline import Pipeline
from stream.backtest import backtest

from . import evacuation_kind

ARTICLES = [
    {
        "id": "evac-1",
        "title": "Embassy closes",
        "url": "https://news.example/evac-1",
        "published": "2024-05-01T06:00:00Z",
        "text": "Germany evacuated its embassy in Niger on Tuesday as fighting spread. "
        "Officials said the staff were safe.",
    },
    {
        "id": "evac-2",
        "published": "2024-05-01T09:00:00Z",
        "text": "The embassy of Germany in Niger was evacuated after gunfire near the capital.",
    },
    {
        "id": "quiet",
        "text": "Germany and Niger discussed trade on Tuesday.",
    },
]


@pytest.fixture(scope="module")
def evacuations(pipeline, tmp_path_factory):
    """The backtest's jsonl output for ARTICLES with the kind switched on."""
    path = tmp_path_factory.mktemp("evac") / "articles.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n")
    config = {"detectors": {"evacuation": {"enabled": True, "severity": "high"}}}
    out = io.StringIO()
    bad = backtest(Pipeline(config, nlp=pipeline.nlp), [path], fmt="jsonl", out=out)
    assert bad == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_registered_and_off_by_default(pipeline):
    assert detector_kinds()["evacuation"] is evacuation_kind.EvacuationDetector
    assert "evacuation" not in [d.name for d in Pipeline({}, nlp=pipeline.nlp).detectors]


def test_backtest_carries_its_own_fields_and_the_generic_ones(evacuations):
    assert [r["id"] for r in evacuations] == ["evac-1", "evac-2", "quiet"]
    first = [d for d in evacuations[0]["detections"] if d["detector"] == "evacuation"]
    assert len(first) == 1
    d = first[0]
    assert (d["what"], d["states"], d["severity"]) == ("embassy", ["DE", "NE"], "high")
    assert d["labels"] == {
        "detector": "evacuation",
        "severity": "high",
        "what": "embassy",
        "kind": "evacuation",
    }
    assert d["actors"] == ["DE", "NE"]
    assert d["event"] == "evacuation|states=DE,NE|what=embassy"
    assert d["facts"] == [["Evacuated", "embassy"], ["States", "Germany and Niger"]]
    second = [d for d in evacuations[1]["detections"] if d["detector"] == "evacuation"]
    assert [d["event"] for d in second] == [d["event"]]  # another report, the same event
    assert evacuations[2]["detections"] == []


def router(channels: list[dict], silences: dict | None = None) -> Router:
    return Router(
        load_channels(channels, members={"EU": {"DE", "FR"}, "AU": {"NE", "NG"}}),
        notified={},
        pending={},
        silences=silences or {},
        blocs={"EU": frozenset({"DE", "FR"}), "AU": frozenset({"NE", "NG"})},
        names={"DE": "Germany", "NE": "Niger"}.get,
    )


def result(record: dict) -> dict:
    item = next(a for a in ARTICLES if a["id"] == record["id"])
    meta = {k: v for k, v in item.items() if k != "text"}
    return {"id": record["id"], "item": meta, "detections": record["detections"]}


def test_routing_filters_dedups_and_renders(evacuations):
    r = router(
        [
            {"name": "europe", "urls": ["json://127.0.0.1:9/e"], "actors": ["EU"]},
            {"name": "asia", "urls": ["json://127.0.0.1:9/a"], "actors": ["CN"]},
        ]
    )
    first = r.add(result(evacuations[0]), now=1000.0)
    assert [(e.kind, e.channel) for e in first] == [(QUEUED, "europe")]  # asia filtered out
    second = r.add(result(evacuations[1]), now=1001.0)
    assert [(e.kind, e.detail) for e in second] == [(QUEUED, "also reported by")]
    (alert,) = r.flush(now=2000.0)
    assert alert.channel == "europe"
    assert alert.title == "[HIGH] Germany and Niger: embassy evacuated"
    assert "**HIGH** · evacuation · Germany, Niger" in alert.body
    assert "- Evacuated: embassy\n- States: Germany and Niger" in alert.body
    assert "> Germany evacuated its embassy in Niger on Tuesday" in alert.body
    assert "[Embassy closes](https://news.example/evac-1)" in alert.body
    assert "Also reported by: evac-2" in alert.body
    nobody = router([{"name": "asia", "urls": ["json://127.0.0.1:9/a"], "actors": ["CN"]}])
    assert [e.kind for e in nobody.add(result(evacuations[0]), now=1000.0)] == [UNROUTED]


def test_a_silence_on_its_own_label(evacuations):
    mute = Silence.create(["what=embassy"], now=0.0, duration_s=3600.0)
    other = Silence.create(["what=citizens"], now=0.0, duration_s=3600.0)
    channels = [{"name": "all", "urls": ["json://127.0.0.1:9/x"]}]
    muted = router(channels, {mute.id: mute.to_dict()}).add(result(evacuations[0]), now=10.0)
    assert [(e.kind, e.silence_id) for e in muted] == [(SILENCED, mute.id)]
    kept = router(channels, {other.id: other.to_dict()}).add(result(evacuations[0]), now=10.0)
    assert [e.kind for e in kept] == [QUEUED]
