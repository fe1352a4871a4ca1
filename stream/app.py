"""The Faust app: topics, tables and agents, declared once, in one place.

``build_app(config, pipeline)`` returns a ``Newswatch`` holding the app and
everything declared on it. The agents are short loops calling plain
functions (``intake.py``, ``detectors``, ``alerts``) so the logic is tested
without a broker.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import faust

from alerts.delivery import mask_url
from alerts.dispatch import dispatch
from alerts.routing import Router
from detectors.entities import EntitySettings, Gazetteer
from detectors.novelty import novelty_windows, split_new
from detectors.pipeline import Outcome, Pipeline
from detectors.records import InvalidItem
from detectors.settings import load_settings

from .broker import newswatch_home
from .broker_watch import BrokerWatch
from .config import Config
from .intake import deadletter_record, decode_item, result_record
from .topics import topic_specs
from .views import TopicView

log = logging.getLogger(__name__)

PRUNE_EVERY_S = 3600.0
BROKER_CHECK_EVERY_S = 3.0


@dataclass
class Newswatch:
    """The app and what is declared on it."""

    config: Config
    app: faust.App
    topics: dict[str, faust.TopicT]
    pipeline: Pipeline | None
    agents: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Any] = field(default_factory=dict)
    views: dict[str, TopicView] = field(default_factory=dict)
    router: Router | None = None
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
        # Faust's default data dir is "<app id>-data" in the working directory,
        # which may be read-only (a container's /app); keep it with our state.
        datadir=str(newswatch_home() / "worker" / config.kafka.app_id),
        web_enabled=False,
        producer_acks=-1,
        consumer_auto_offset_reset="earliest",
        # A worker that died without leaving the group (kill -9, broker gone)
        # holds its partitions until this expires: keep it short so the next
        # worker starts within seconds. Heartbeats run off the event loop.
        broker_session_timeout=10.0,
        broker_heartbeat_interval=3.0,
        broker_commit_every=100,
        broker_commit_interval=1.0,
        broker_session_timeout=config.kafka.session_timeout_s,
        broker_heartbeat_interval=min(3.0, config.kafka.session_timeout_s / 4),
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
    declare_state(nw)
    nw.agents["detect"] = app.agent(topics["items"], name="detect")(_detect_agent(nw))
    nw.agents["route"] = app.agent(topics["detections"], name="route")(_route_agent(nw))
    nw.agents["deliver"] = app.agent(topics["alerts"], name="deliver")(_deliver_agent(nw))
    app.timer(1.0, name="flush_groups")(_flush_timer(nw))
    app.timer(PRUNE_EVERY_S, name="prune_routing_state")(_prune_timer(nw))
    watch = BrokerWatch(config.kafka.bootstrap)
    app.timer(BROKER_CHECK_EVERY_S, name="broker_watch")(lambda: watch.check(time.time()))
    for view in nw.views.values():
        app.task(view.run)
    return nw


def declare_state(nw: Newswatch) -> None:
    """Tables (changelogged in Kafka, so they survive restarts) and topic views.

    Routing state (one partition, see topics.py) is written from the route
    agent and from the flush timer, so it is partitioned by key
    (``use_partitioner``); deliveries are keyed like news.alerts.
    """
    app, config = nw.app, nw.config
    routing = {"partitions": 1, "use_partitioner": True, "key_type": str}
    nw.tables["pending"] = app.Table("pending", **routing, help="channel → its alert group")
    nw.tables["notified"] = app.Table("notified", **routing, help="channel+event → time sent")
    nw.tables["novelty"] = app.Table("novelty", **routing, help="alliance → time first seen")
    nw.tables["deliveries"] = app.Table(
        "deliveries",
        partitions=config.kafka.partitions,
        key_type=str,
        help="alert id → delivery status",
    )
    describe = {
        "subscriptions": lambda s: f"{s.get('channel')} ← {mask_url(str(s.get('url')))}",
        "silences": lambda s: f"{s.get('id')} {' '.join(s.get('matchers', []))}",
    }
    for key, text in describe.items():
        topic = nw.topics[key].get_topic_name()
        nw.views[key] = TopicView(config.kafka.bootstrap, topic, describe=text)
    if nw.pipeline is not None:  # reuse its gazetteer: same config, already loaded
        gazetteer = nw.pipeline.gazetteer
    else:
        entities = load_settings(EntitySettings, config.raw.get("entities"), "entities")
        gazetteer = Gazetteer.load(entities)
    nw.router = Router(
        config.channels,
        notified=nw.tables["notified"],
        pending=nw.tables["pending"],
        silences=nw.views["silences"].data,
        blocs=gazetteer.members,
        names=gazetteer.names,
    )


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


def _route_agent(nw: Newswatch) -> Any:
    """news.detections → channel groups (novelty, silences, de-duplication) → news.alerts."""
    windows = novelty_windows(nw.config.raw)

    async def route(stream: faust.StreamT) -> Any:
        await nw.views["silences"].ready.wait()  # never route past a silence not yet read
        async for event in stream.events():
            try:
                route_result(nw, event.value, windows)
                await publish_due(nw, time.time())
            except Exception as exc:  # a raising agent would skip the record: keep it instead
                log.exception("routing failed for %r", event.message.key)
                await send_dead(nw, event, f"routing failed: {exc.__class__.__name__}: {exc}")
            yield event.message.offset

    return route


def route_result(nw: Newswatch, result: dict[str, Any], windows: dict[str, float]) -> None:
    """Novelty first (alliances already alerted are not news), then channels and groups."""
    now = time.time()
    new, known = split_new(result.get("detections") or [], nw.tables["novelty"], now, windows)
    for detection in known:
        log.info("not new: %s (%s)", detection.get("summary"), detection.get("id"))
    for routed in nw.router.add({**result, "detections": new}, now):
        log.info(
            "route %s: %s %s %s",
            routed.kind,
            routed.channel or "-",
            routed.detection_id,
            routed.detail,
        )


def owns_routing(nw: Newswatch) -> bool:
    """Whether this worker holds the (single) routing partition right now."""
    if nw.app.rebalancing:
        return False
    topic = nw.topics["detections"].get_topic_name()
    return any(tp.topic == topic for tp in nw.app.assignor.assigned_actives())


async def publish_due(nw: Newswatch, now: float) -> None:
    """Send every alert group that is due to news.alerts."""
    events: list = []
    for alert in nw.router.flush(now, events=events):
        log.info("alert %s for %s: %s", alert.id, alert.channel, alert.title)
        await nw.topics["alerts"].send(key=alert.id.encode(), value=alert.to_dict())
    for event in events:
        log.info("at flush, %s: %s %s", event.kind, event.channel, event.detection_id)


def _flush_timer(nw: Newswatch) -> Any:
    async def flush_groups() -> None:
        ready = nw.views["silences"].ready.is_set()
        if ready and owns_routing(nw) and nw.router.next_due() is not None:
            await publish_due(nw, time.time())

    return flush_groups


def _prune_timer(nw: Newswatch) -> Any:
    """Forget events whose repeat_interval has passed, so the table stays small."""

    async def prune_routing_state() -> None:
        if owns_routing(nw):
            removed = nw.router.prune(time.time())
            if removed:
                log.info("forgot %d notified events older than their repeat_interval", removed)

    return prune_routing_state


def _deliver_agent(nw: Newswatch) -> Any:
    """news.alerts → apprise; recorded in ``deliveries``; failures → news.alerts.dead."""

    channels = {c.name: c for c in nw.config.channels}

    async def deliver(stream: faust.StreamT) -> Any:
        await nw.views["subscriptions"].ready.wait()  # a subscriber must not be missed at start
        async for alert in stream:
            try:
                dead = await dispatch(
                    alert,
                    channels=channels,
                    deliveries=nw.tables["deliveries"],
                    subscriptions=nw.views["subscriptions"].data,
                    persist=nw.app.producer.flush,  # the in-flight mark, before sending
                )
            except Exception as exc:  # keep the alert for `alerts redeliver`
                log.exception("delivering alert %s failed", alert.get("id"))
                dead = {
                    "alert": alert,
                    "channel": alert.get("channel"),
                    "reason": f"delivery failed: {exc.__class__.__name__}: {exc}",
                    "failed": [],
                    "delivered": [],
                    "attempts": 0,
                    "failed_at": time.time(),
                }
            if dead is not None:
                await nw.topics["alerts_dead"].send(key=str(alert["id"]).encode(), value=dead)
            yield alert.get("id")

    return deliver
