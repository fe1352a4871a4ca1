"""The agents under Faust's test_context: every record ends in an output or a dead letter."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest

from detectors.base import Detector
from stream.app import build_app
from stream.config import load_config


class Recorder:
    """Stands in for an output topic: records what the agent sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[bytes | None, dict]] = []

    async def send(self, *, key=None, value=None):
        self.sent.append((key, value))
        done = asyncio.get_running_loop().create_future()
        done.set_result(None)  # like Faust's send: a future for the broker's ack
        return done


class Exploding(Detector):
    name = "exploding"

    def triggers(self):
        return ["missiles"]

    def detect(self, article):
        if article.sentences:  # only articles that mention its trigger
            raise ZeroDivisionError("boom")
        return []


@pytest.fixture
def newswatch(pipeline, tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSWATCH_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "newswatch.yml").write_text("worker: {max_item_bytes: 2000, batch_wait_s: 0.01}\n")
    nw = build_app(load_config(), pipeline)
    nw.topics["detections"] = Recorder()
    nw.topics["deadletter"] = Recorder()
    for view in nw.views.values():  # as if subscriptions and silences were read from Kafka
        view.ready.set()
    return nw


async def until_sent(sent: list, timeout_s: float = 2.5) -> None:
    """Wait (briefly) for an agent running in the background to send something."""
    for _ in range(int(timeout_s / 0.05)):
        if sent:
            return
        await asyncio.sleep(0.05)


async def put(nw, value: bytes, key: bytes = b"k"):
    async with nw.agents["detect"].test_context() as agent:
        await agent.put(value=value, key=key)


async def test_valid_item_gives_one_result_record(newswatch):
    item = {
        "id": "a1",
        "text": "Russia fired 120 drones at Kharkiv overnight, officials said.",
        "url": "https://example.org/a1",
    }
    await put(newswatch, json.dumps(item).encode())
    assert newswatch.topics["deadletter"].sent == []
    [(key, record)] = newswatch.topics["detections"].sent
    assert key == b"a1"
    assert record["id"] == "a1"
    assert record["item"] == {"id": "a1", "url": "https://example.org/a1"}
    assert [d["detector"] for d in record["detections"]] == ["strike"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"not json at all", "not JSON"),
        (b'{"text": "no id"}', "missing required field 'id'"),
        (b'{"id": "x", "text": ""}', "'text' is empty"),
        (b"\xff\xfe\x00", "not valid UTF-8"),
        (json.dumps({"id": "big", "text": "word " * 1000}).encode(), "over the limit of 2000"),
    ],
)
async def test_bad_input_is_dead_lettered_with_reason_and_original_bytes(newswatch, value, reason):
    await put(newswatch, value, key=b"bad")
    assert newswatch.topics["detections"].sent == []
    [(key, record)] = newswatch.topics["deadletter"].sent
    assert key == b"bad"
    assert reason in record["reason"]
    assert base64.b64decode(record["value_base64"]) == value


async def test_a_detector_that_raises_dead_letters_only_its_item(newswatch):
    newswatch.pipeline.detectors.append(Exploding(None, newswatch.pipeline.gazetteer))
    try:
        quiet = {"id": "q", "text": "The central bank left interest rates unchanged."}
        loud = {"id": "l", "text": "Russia launched 40 missiles at Ukraine's power grid."}
        async with newswatch.agents["detect"].test_context() as agent:
            await agent.put(value=json.dumps(quiet).encode(), key=b"q")
            await agent.put(value=json.dumps(loud).encode(), key=b"l")
    finally:
        newswatch.pipeline.detectors.pop()
    assert [k for k, _ in newswatch.topics["detections"].sent] == [b"q"]
    [(key, record)] = newswatch.topics["deadletter"].sent
    assert key == b"l"
    assert "detector 'exploding' failed: ZeroDivisionError: boom" in record["reason"]


async def test_a_routing_record_that_breaks_the_router_is_dead_lettered(newswatch):
    newswatch.topics["alerts"] = Recorder()
    async with newswatch.agents["route"].test_context() as agent:
        await agent.put(value={"id": "x", "detections": "not a list of detections"}, key=b"x")
        await agent.put(value={"id": "y", "detections": []}, key=b"y")
    [(key, record)] = newswatch.topics["deadletter"].sent
    assert key == b"x"
    assert record["reason"].startswith("routing failed:")
    assert json.loads(base64.b64decode(record["value_base64"]))["id"] == "x"


async def test_routing_waits_until_the_silences_are_read(newswatch):
    """Routing before the silences topic is read could send an alert someone silenced."""
    newswatch.views["silences"].ready.clear()
    newswatch.topics["alerts"] = Recorder()
    dead = newswatch.topics["deadletter"].sent
    async with newswatch.agents["route"].test_context() as agent:
        await agent.put(value={"id": "x", "detections": "breaks the router"}, key=b"x", wait=False)
        await asyncio.sleep(0.3)
        assert dead == []  # held, not routed
        newswatch.views["silences"].ready.set()
        await until_sent(dead)
    assert [key for key, _ in dead] == [b"x"]


async def test_delivery_waits_until_the_subscriptions_are_read(newswatch):
    """Delivering before news.subscriptions is read would miss subscribers' URLs."""
    newswatch.views["subscriptions"].ready.clear()
    newswatch.topics["alerts_dead"] = Recorder()
    dead = newswatch.topics["alerts_dead"].sent
    alert = {"id": "a1", "channel": "not-configured", "title": "t", "body": "b"}
    async with newswatch.agents["deliver"].test_context() as agent:
        await agent.put(value=alert, key=b"a1", wait=False)
        await asyncio.sleep(0.3)
        assert dead == []  # held, not delivered
        newswatch.views["subscriptions"].ready.set()
        await until_sent(dead)
    assert [key for key, _ in dead] == [b"a1"]
    assert "not configured" in dead[0][1]["reason"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b'{"id":"d","text":"x","e":' + b"[" * 10_000 + b"]" * 10_000 + b"}", "nested"),
        (b'{"id":"h","text":"x","n":' + b"9" * 5_000 + b"}", "cannot be read"),
        (b'{"id":"a\\ud800","text":"abc"}', "no UTF-8 form"),
    ],
)
async def test_poison_items_are_dead_lettered_and_the_agent_goes_on(newswatch, value, reason):
    newswatch.config.worker.__dict__["max_item_bytes"] = 1_000_000  # frozen dataclass
    good = json.dumps({"id": "ok", "text": "The council met on Tuesday."}).encode()
    async with newswatch.agents["detect"].test_context() as agent:
        await agent.put(value=value, key=b"bad")
        await agent.put(value=good, key=b"ok")
    [(key, record)] = newswatch.topics["deadletter"].sent
    assert key == b"bad" and reason in record["reason"]
    assert [k for k, _ in newswatch.topics["detections"].sent] == [b"ok"]


async def test_an_item_over_its_time_budget_is_dead_lettered(newswatch):
    newswatch.config.worker.__dict__["item_budget_s"] = 1e-9
    await put(newswatch, json.dumps({"id": "slow", "text": "Anything at all."}).encode())
    [(_, record)] = newswatch.topics["deadletter"].sent
    assert "over the time budget" in record["reason"]
    assert "worker.item_budget_s" in record["reason"]
