"""Feeds through the real broker: a locally served feed → news.items → alert at a receiver.

The feed server and the receiver are the tests' own (tests/feed_server.py,
tests/receivers.py); the worker runs as ``newswatch worker`` in a subprocess.
"""

from __future__ import annotations

import time

from tests.feed_server import FeedServer, rss
from tests.receivers import HttpReceiver

from .harness import newswatch, read_topic, topic_name

FAST = {"group_wait": "1s", "group_interval": "2s", "retries": 2, "retry_backoff": "0.2s"}

CALM = {
    "title": "Harbour expansion gets final approval",
    "link": "http://127.0.0.1/news/harbour",
    "guid": "wire-harbour",
    "description": "The port authority approved the expansion plan on Monday.",
}
STRIKE = {
    "title": "Russia launches 500 drones and 24 missiles at Ukraine",
    "link": "http://127.0.0.1/news/strike",
    "guid": "wire-strike",
    "description": "Russia launched 500 drones and 24 missiles at Ukraine overnight, "
    "targeting energy infrastructure in several regions, Ukraine's air force said.",
}


def wait_for_hits(server: FeedServer, path: str, count: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while len(server.hits_for(path)) < count:
        assert time.monotonic() < deadline, f"{path} polled {len(server.hits_for(path))} times"
        time.sleep(0.1)


def items_on(config, broker) -> list[dict]:
    """Everything on news.items now (read until quiet)."""
    return read_topic(broker.bootstrap, topic_name(config, "news.items"), count=10**6, timeout_s=4)


def test_feed_entry_alerts_once_across_polls_and_restarts_and_runtime_sources_are_polled(
    config_for, workers, broker
):
    """One worker start costs half a minute here: the runtime part reuses the restarted one."""
    with FeedServer() as server, HttpReceiver() as hook:
        server.route("/wire.xml", rss([CALM]), content_type="application/rss+xml")
        config = config_for(
            channels=[{"name": "ops", "urls": [hook.url], **FAST}],
            sources=[{"name": "wire", "url": server.url("/wire.xml"), "every": "5s"}],
        )
        worker = workers(config)
        worker.wait_for_log("feed wire: 1 new item(s)", 30)

        server.update("/wire.xml", rss([STRIKE, CALM]))
        appeared = time.monotonic()
        [alert] = hook.wait_for(1, timeout=60)
        latency = time.monotonic() - appeared
        print(f"\nentry in the feed (every: 5s) → alert at the receiver: {latency:.1f}s")
        assert "500" in alert["message"] and "drone" in alert["message"]
        assert "Russia" in alert["message"] and "Ukraine" in alert["message"]

        [calm, strike] = items_on(config, broker)
        assert strike["id"] == "wire:wire-strike" and strike["source"] == "wire"
        assert strike["title"] == STRIKE["title"] and strike["url"] == STRIKE["link"]
        assert strike["language"] == "en" and calm["id"] == "wire:wire-harbour"

        # Polled again (304, then a re-ordered feed): nothing new is published.
        polls = len(server.hits_for("/wire.xml"))
        wait_for_hits(server, "/wire.xml", polls + 1, 15)
        server.update("/wire.xml", rss([CALM, STRIKE]))
        wait_for_hits(server, "/wire.xml", polls + 3, 20)
        assert len(items_on(config, broker)) == 2

        # Restarted: the new worker knows what was published and sends nothing again.
        worker.stop()
        restarted = workers(config)
        polls = len(server.hits_for("/wire.xml"))
        wait_for_hits(server, "/wire.xml", polls + 2, 40)
        assert len(items_on(config, broker)) == 2
        assert len(hook.requests) == 1
        # It went on from the saved state: a conditional GET with the ETag it had.
        first_after = server.hits_for("/wire.xml")[polls]["headers"]
        assert first_after.get("If-None-Match"), first_after
        assert "new item(s)" not in restarted.log()

        listed = newswatch("sources", "list", "--config", str(config))
        assert listed.returncode == 0, listed.stderr
        assert "wire  " in listed.stdout and "items 2 total, 2 in the last day" in listed.stdout

        sources_added_at_runtime_are_polled(server, config, restarted, broker)


def sources_added_at_runtime_are_polled(server, config, worker, broker):
    """`sources add` reaches the running worker; `sources remove` stops the polling."""
    server.route("/live.xml", rss([CALM]), content_type="application/rss+xml")
    server.route("/fr.xml", rss([{**CALM, "guid": "fr-1"}], language="fr"))
    before = len(items_on(config, broker))

    added = newswatch(
        "sources", "add", server.url("/live.xml"), "--name", "live", "--every", "2s",
        "--config", str(config),
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "added source live" in added.stdout
    worker.wait_for_log("feed live: 1 new item(s)", 30)
    [item] = items_on(config, broker)[before:]
    assert item["id"] == "live:wire-harbour" and item["source"] == "live"

    # A French feed: recorded on news.items.skipped with the reason, counted per source.
    newswatch("sources", "add", server.url("/fr.xml"), "--name", "fr", "--config", str(config))
    worker.wait_for_log("feed fr: 0 new item(s), 1 skipped", 30)
    [skip] = read_topic(broker.bootstrap, topic_name(config, "news.items.skipped"), count=1)
    assert skip["kind"] == "language:fr" and skip["item"]["id"] == "fr:fr-1"
    listed = newswatch("sources", "list", "--config", str(config))
    assert "live  " + server.url("/live.xml") + "  (every 2s, runtime)" in listed.stdout
    assert "skipped 1 (language:fr 1)" in listed.stdout

    # Removed: the worker stops polling it.
    removed = newswatch("sources", "remove", "live", "--config", str(config))
    assert removed.returncode == 0, removed.stderr
    worker.wait_for_log("news.sources removed: live", 15)
    polls = len(server.hits_for("/live.xml"))
    time.sleep(5)
    assert len(server.hits_for("/live.xml")) == polls
    missing = newswatch("sources", "remove", "live", "--config", str(config))
    assert missing.returncode == 1 and "no source named 'live'" in missing.stderr
    assert len(items_on(config, broker)) == before + 1
