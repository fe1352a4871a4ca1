"""The Faust app: topics, tables and agents, declared once, in one place.

``build_app(config, pipeline)`` returns a ``Newswatch`` holding the app and
everything declared on it. The agents are short loops calling plain
functions (``intake.py``, ``detectors``, ``alerts``) so the logic is tested
without a broker.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import faust

from detectors.pipeline import Outcome, Pipeline
from detectors.records import InvalidItem

from .config import Config
from .intake import deadletter_record, decode_item, result_record
from .topics import topic_specs

log = logging.getLogger(__name__)


@dataclass
class Newswatch:
    """The app and what is declared on it."""

    config: Config
    app: faust.App
    topics: dict[str, faust.TopicT]
    pipeline: Pipeline | None
    agents: dict[str, Any] = field(default_factory=dict)
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="nlp")
    )


def make_app(config: Config) -> faust.App:
    """A Faust app for ``config`` (memory tables recovered from changelogs, no web server)."""
    return faust.App(
        config.kafka.app_id,
        broker=f"kafka://{config.kafka.bootstrap}",
        topic_partitions=config.kafka.partitions,
        topic_replication_factor=1,
        topic_allow_declare=True,
        store="memory://",
        web_enabled=False,
        producer_acks=-1,
        consumer_auto_offset_reset="earliest",
        broker_commit_every=100,
        broker_commit_interval=1.0,
        table_cleanup_interval=300.0,
    )


def build_app(config: Config, pipeline: Pipeline | None) -> Newswatch:
    """Declare topics and agents on a new app."""
    app = make_app(config)
    specs = topic_specs(config)
    raw = {"key_serializer": "raw", "value_serializer": "raw"}
    as_json = {"key_serializer": "raw", "value_serializer": "json"}
    topics = {
        "items": app.topic(specs["items"].name, partitions=specs["items"].partitions, **raw),
        **{
            key: app.topic(spec.name, partitions=spec.partitions, **as_json)
            for key, spec in specs.items()
            if key != "items"
        },
    }
    nw = Newswatch(config=config, app=app, topics=topics, pipeline=pipeline)
    nw.agents["detect"] = app.agent(topics["items"], name="detect")(_detect_agent(nw))
    return nw


def _detect_agent(nw: Newswatch) -> Any:
    """news.items → news.detections, or news.deadletter with the reason."""
    settings = nw.config.worker

    async def detect(stream: faust.StreamT) -> Any:
        async for events in stream.take_events(settings.batch_size, within=settings.batch_wait_s):
            await process_batch(nw, events)
            for event in events:
                yield event.message.offset

    return detect


async def process_batch(nw: Newswatch, events: list[faust.EventT]) -> None:
    """Detect on a batch of raw item events; every event ends in one output record."""
    valid: list[tuple[faust.EventT, Any]] = []
    for event in events:
        try:
            valid.append((event, decode_item(event.value, nw.config.worker.max_item_bytes)))
        except InvalidItem as exc:
            await send_dead(nw, event, str(exc))
    if not valid:
        return
    loop = asyncio.get_running_loop()
    try:
        assert nw.pipeline is not None, "the worker was started without a pipeline"
        items = [item for _, item in valid]
        outcomes: list[Outcome] = await loop.run_in_executor(
            nw.executor, nw.pipeline.detect_batch, items
        )
    except Exception as exc:  # the whole batch failed: dead-letter each item with the reason
        log.exception("detection failed for a batch of %d items", len(valid))
        for event, _ in valid:
            await send_dead(nw, event, f"detection failed: {exc.__class__.__name__}: {exc}")
        return
    for (event, item), outcome in zip(valid, outcomes, strict=True):
        if outcome.error:
            await send_dead(nw, event, outcome.error)
        else:
            await nw.topics["detections"].send(key=item.id.encode(), value=result_record(outcome))


async def send_dead(nw: Newswatch, event: faust.EventT, reason: str) -> None:
    message = event.message
    log.warning(
        "dead-letter %s[%s]@%s: %s", message.topic, message.partition, message.offset, reason
    )
    record = deadletter_record(
        reason,
        event.value,
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=message.key,
    )
    await nw.topics["deadletter"].send(key=message.key, value=record)
