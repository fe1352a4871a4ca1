"""The feed poller inside the Faust worker: two topic views, a runner, a timer.

Every worker follows ``news.sources`` (sources added at runtime) and
``news.sources.state`` (health, validators and seen ids), but only the
group's leader polls, so each source is polled by one worker. The timer
starts polls only once both views are read to their end: a poller that
started before knowing what it had published would publish it again.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from detectors.records import NewsItem

from ..views import TopicView
from .model import PollerSettings
from .runner import FeedRunner

TICK_S = 1.0


def register_feeds(nw: Any, settings: PollerSettings | None = None) -> FeedRunner:
    """Declare the feed views and the poll timer on ``nw`` (a ``stream.app.Newswatch``)."""
    app, config = nw.app, nw.config
    bootstrap = config.kafka.bootstrap
    sources_view = TopicView(
        bootstrap,
        nw.topics["sources"].get_topic_name(),
        describe=lambda s: f"{s.get('name')} {s.get('url')} every {s.get('every')}s",
    )
    states_view = TopicView(bootstrap, nw.topics["source_state"].get_topic_name())
    nw.views["sources"], nw.views["source_state"] = sources_view, states_view

    # Sends are buffered; a source's state (which marks its items as published)
    # goes out only once the broker has acknowledged those items.
    unacked: dict[str, list[Any]] = {}

    async def publish_item(item: NewsItem) -> None:
        value = json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")
        sent = await nw.topics["items"].send(key=item.id.encode("utf-8"), value=value)
        unacked.setdefault(item.source or "", []).append(sent)

    async def publish_skip(key: str, record: dict) -> None:
        sent = await nw.topics["skipped"].send(key=key.encode("utf-8"), value=record)
        unacked.setdefault(record.get("source") or "", []).append(sent)

    async def save_state(name: str, record: dict) -> None:
        pending = unacked.pop(name, [])
        if pending:
            await asyncio.gather(*pending)
        await nw.topics["source_state"].send(key=name.encode("utf-8"), value=record)

    runner = FeedRunner(
        settings or PollerSettings(),
        configured=list(config.sources),
        runtime=sources_view.data,
        saved=states_view.data,
        publish_item=publish_item,
        publish_skip=publish_skip,
        save_state=save_state,
        executor=ThreadPoolExecutor(2, thread_name_prefix="feeds"),
    )

    async def poll_feeds() -> None:
        if sources_view.ready.is_set() and states_view.ready.is_set():
            runner.tick(leader=app.is_leader())

    app.timer(TICK_S, name="poll_feeds")(poll_feeds)
    return runner
