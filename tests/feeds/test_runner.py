"""The runner: only the leader polls, one poll per source at a time, state survives restarts."""

from __future__ import annotations

import asyncio
import json

import pytest

from stream.feeds.model import PollerSettings, Source
from stream.feeds.runner import FeedRunner, effective_sources
from tests.feed_server import rss

from .conftest import fixture

SETTINGS = PollerSettings(timeout_s=2.0, host_interval_s=0.0)


class Sink:
    """Records what the runner publishes, in order, as Kafka would keep it."""

    def __init__(self) -> None:
        self.items, self.skipped, self.log = [], [], []
        self.states: dict[str, dict] = {}

    async def item(self, item):
        self.items.append(item)
        self.log.append(("item", item.id))

    async def skip(self, key, record):
        self.skipped.append(record)
        self.log.append(("skip", key))

    async def state(self, name, record):
        self.states[name] = json.loads(json.dumps(record))  # what a restart reads back
        self.log.append(("state", name))


def runner_for(sink, configured, runtime=None, saved=None):
    return FeedRunner(
        SETTINGS,
        configured=configured,
        runtime=runtime if runtime is not None else {},
        saved=saved if saved is not None else sink.states,
        publish_item=sink.item,
        publish_skip=sink.skip,
        save_state=sink.state,
    )


async def run_tick(runner, **kw):
    tasks = runner.tick(**kw)
    if tasks:
        await asyncio.gather(*tasks)
    return tasks


async def test_only_the_leader_polls(server):
    server.route("/feed.xml", fixture("rss2.xml"))
    sink = Sink()
    runner = runner_for(sink, [Source(name="wire", url=server.url("/feed.xml"))])
    assert await run_tick(runner, leader=False) == []
    assert server.hits == [] and sink.items == []
    assert len(await run_tick(runner, leader=True)) == 1
    assert len(sink.items) == 2
    # Items go out before the state that remembers them.
    assert [kind for kind, _ in sink.log] == ["item", "item", "state"]


async def test_a_source_is_polled_when_due_and_once_at_a_time(server):
    server.route("/feed.xml", fixture("rss2.xml"), delay_s=0.3)
    sink = Sink()
    runner = runner_for(sink, [Source(name="wire", url=server.url("/feed.xml"), every=60)])
    first = runner.tick(leader=True)
    assert runner.tick(leader=True) == []  # still running: not started twice
    await asyncio.gather(*first)
    assert await run_tick(runner, leader=True) == []  # not due for a minute
    due = runner.states["wire"].next_poll
    assert len(await run_tick(runner, leader=True, now=due)) == 1
    assert len(server.hits) == 2


async def test_a_restarted_poller_publishes_nothing_new(server):
    server.route("/feed.xml", rss([{"title": "A story", "guid": "a", "description": "Text."}]))
    sink = Sink()
    source = Source(name="wire", url=server.url("/feed.xml"), every=1)
    await run_tick(runner_for(sink, [source]), leader=True)
    assert [i.id for i in sink.items] == ["wire:a"]
    # A new runner (a restart, or another worker elected leader) reads the saved state.
    # The feed changed in the meantime but still carries the entry.
    server.update(
        "/feed.xml",
        rss(
            [
                {"title": "Another story", "guid": "b", "description": "More."},
                {"title": "A story, edited", "guid": "a", "description": "Text, edited."},
            ]
        ),
    )
    restarted = runner_for(sink, [source])
    await run_tick(restarted, leader=True, now=10**10)
    assert [i.id for i in sink.items] == ["wire:a", "wire:b"]


async def test_losing_leadership_reloads_state_from_the_saved_records(server):
    server.route("/feed.xml", rss([{"title": "A story", "guid": "a", "description": "Text."}]))
    sink = Sink()
    runner = runner_for(sink, [Source(name="wire", url=server.url("/feed.xml"))])
    await run_tick(runner, leader=True)
    assert runner.states
    runner.tick(leader=False)
    assert runner.states == {}
    assert runner.state_of("wire").items_total == 1  # from the saved record


async def test_runtime_sources_are_polled_and_config_names_win(server):
    server.route("/a.xml", rss([{"title": "From A", "guid": "a", "description": "A."}]))
    server.route("/b.xml", rss([{"title": "From B", "guid": "b", "description": "B."}]))
    runtime: dict = {}
    sink = Sink()
    runner = runner_for(sink, [Source(name="a", url=server.url("/a.xml"))], runtime=runtime)
    await run_tick(runner, leader=True)
    runtime["b"] = {"name": "b", "url": server.url("/b.xml"), "every": 5, "added_at": 1.0}
    runtime["a"] = {"name": "a", "url": server.url("/b.xml")}  # shadowed by the config
    runtime["bad"] = {"name": "bad", "url": "ftp://nowhere"}  # ignored
    await run_tick(runner, leader=True)
    assert sorted(i.id for i in sink.items) == ["a:a", "b:b"]
    names = [s.name for s in effective_sources(runner.configured, runtime)]
    assert names == ["a", "b"]


async def test_a_failing_publish_is_retried_at_the_next_interval(server):
    server.route("/feed.xml", rss([{"title": "A story", "guid": "a", "description": "Text."}]))
    sink = Sink()

    async def broken(item):
        raise ConnectionError("broker down")

    runner = runner_for(sink, [Source(name="wire", url=server.url("/feed.xml"), every=30)])
    runner.publish_item = broken
    [task] = runner.tick(leader=True)
    assert await task is None and sink.states == {}
    assert runner.states["wire"].next_poll > 0
    runner.publish_item = sink.item
    await run_tick(runner, leader=True, now=runner.states["wire"].next_poll)
    assert [i.id for i in sink.items] == ["wire:a"]  # nothing lost


@pytest.mark.parametrize("concurrency", [1])
async def test_concurrency_limit(server, concurrency):
    for n in range(3):
        server.route(f"/{n}.xml", rss([{"title": f"S{n}", "guid": f"{n}", "description": "x"}]),
                     delay_s=0.2)  # fmt: skip
    sink = Sink()
    runner = runner_for(sink, [Source(name=f"s{n}", url=server.url(f"/{n}.xml")) for n in range(3)])
    runner._slots = asyncio.Semaphore(concurrency)
    loop = asyncio.get_running_loop()
    began = loop.time()
    await run_tick(runner, leader=True)
    assert loop.time() - began >= 0.6 and len(sink.items) == 3
