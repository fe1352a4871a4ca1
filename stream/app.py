"""The Faust app: topics, tables and agents, declared once, in one place.

``build_app(config, pipeline)`` returns a ``Newswatch`` holding the app and
everything declared on it. The agents are short loops calling plain
functions (``intake.py``, ``detectors``, ``alerts``) so the logic is tested
without a broker.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import faust
from faust.exceptions import ConsumerNotStarted

from alerts.delivery import mask_url
from alerts.dispatch import dispatch
from alerts.novelty import split_new
from alerts.routing import Router
from detectors.pipeline import Outcome, Pipeline
from detectors.records import InvalidItem

from . import metrics
from .broker import newswatch_home
from .broker_watch import BrokerWatch
from .config import Config
from .feeds.worker import register_feeds
from .intake import clip, deadletter_record, decode_item, result_record
from .progress import Progress
from .rewind import install as rewind_uncommitted_on_seek
from .topics import topic_specs
from .views import TopicView

log = logging.getLogger(__name__)

PRUNE_EVERY_S = 3600.0
BROKER_CHECK_EVERY_S = 3.0
# Items whose detection takes at least this long are logged with their time.
SLOW_ITEM_S = 0.5


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
    progress: Progress | None = None


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
        broker_session_timeout=config.kafka.session_timeout_s,
        broker_heartbeat_interval=min(3.0, config.kafka.session_timeout_s / 3),
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
    items = specs["items"]
    topics = {
        # acks=False: Faust must not commit news.items; the detect agent commits an
        # offset once the item's outcome is on the broker (see progress.py).
        "items": app.topic(items.name, partitions=items.partitions, acks=False, **raw),
        **{
            key: app.topic(spec.name, partitions=spec.partitions, **as_json)
            for key, spec in specs.items()
            if key != "items"
        },
    }
    nw = Newswatch(config=config, app=app, topics=topics, pipeline=pipeline)
    declare_state(nw)
    track_progress(nw)
    register_feeds(nw)  # leader-only feed poller, stream/feeds/worker.py
    nw.agents["detect"] = app.agent(topics["items"], name="detect")(_detect_agent(nw))
    nw.agents["route"] = app.agent(topics["detections"], name="route")(_route_agent(nw))
    nw.agents["deliver"] = app.agent(topics["alerts"], name="deliver")(_deliver_agent(nw))
    app.timer(1.0, name="flush_groups")(_flush_timer(nw))
    app.timer(PRUNE_EVERY_S, name="prune_routing_state")(_prune_timer(nw))
    watch = BrokerWatch(config.kafka.bootstrap)
    app.timer(BROKER_CHECK_EVERY_S, name="broker_watch")(lambda: watch.check(time.time()))
    for view in nw.views.values():
        app.task(view.run)
    metrics.install(nw)
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
    nw.tables["novelty"] = app.Table("novelty", **routing, help="event → time last new")
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
    gazetteer = config.settings.gazetteer  # loaded once, when the config was validated
    nw.router = Router(
        config.channels,
        notified=nw.tables["notified"],
        pending=nw.tables["pending"],
        silences=nw.views["silences"].data,
        blocs=gazetteer.members,
        names=gazetteer.names,
    )


def _detect_agent(nw: Newswatch) -> Any:
    """news.items → news.detections, or news.deadletter with the reason; then commit."""
    settings = nw.config.worker

    async def detect(stream: faust.StreamT) -> Any:
        async for events in stream.take_events(settings.batch_size, within=settings.batch_wait_s):
            finished = await process_batch(nw, events)
            await commit_finished(nw, finished)
            release_memory(events)
            for event in events:
                yield event.message.offset

    return detect


def track_progress(nw: Newswatch) -> None:
    """Keep ``nw.progress`` right across rebalances: forget partitions that moved."""
    consumer_offsets = lambda tp: nw.app.consumer._committed_offset.get(tp)  # noqa: E731
    nw.progress = Progress(consumer_offsets)
    owned: set = set()

    items_topic = {nw.topics["items"].get_topic_name()}  # commits its own offsets

    async def on_revoked(app: Any, revoked: set, **kwargs: Any) -> None:
        # Sent before every join, the first included, so before recovery seeks.
        rewind_uncommitted_on_seek(nw.app.consumer, skip=items_topic)
        nw.progress.forget(revoked)
        owned.difference_update(revoked)

    async def on_assigned(app: Any, assigned: set, **kwargs: Any) -> None:
        rewind_uncommitted_on_seek(nw.app.consumer, skip=items_topic)
        nw.progress.forget(set(assigned) - owned)  # another worker may have moved them on
        owned.clear()
        owned.update(assigned)

    nw.app.on_partitions_revoked.connect(on_revoked, weak=False)
    nw.app.on_partitions_assigned.connect(on_assigned, weak=False)


# A batch that read this many bytes is followed by a trim of the C heap (see release_memory).
TRIM_AFTER_BYTES = 1024 * 1024


def _load_malloc_trim() -> Any:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return None


_MALLOC_TRIM = _load_malloc_trim()


def release_memory(events: list[faust.EventT]) -> None:
    """After a batch of large values, hand the C heap's free pages back to the system.

    glibc keeps memory freed by large transient buffers (a megabyte value, its tokens)
    in per-thread arenas, so a worker's RSS would ratchet up after hostile input
    although nothing is held; ``malloc_trim(0)`` returns those pages (a few ms).
    """
    size = sum(len(e.value) for e in events if isinstance(e.value, bytes | bytearray))
    if _MALLOC_TRIM is not None and size >= TRIM_AFTER_BYTES:
        _MALLOC_TRIM(0)


async def commit_finished(nw: Newswatch, events: list[faust.EventT]) -> None:
    """Commit, per partition, up to the first offset whose outcome is not yet on the broker."""
    if nw.progress is None or not events:
        return
    try:
        assigned = nw.app.consumer.assignment()
    except ConsumerNotStarted:  # agents run without Kafka (test_context): nothing to commit
        return
    by_tp: dict[Any, list[int]] = {}
    for event in events:
        if event.message.tp in assigned:  # a revoked partition is another worker's now
            by_tp.setdefault(event.message.tp, []).append(event.message.offset)
    offsets = {}
    for tp, finished in by_tp.items():
        new = nw.progress.finished(tp, finished)
        if new is not None:
            offsets[tp] = new
    if offsets:
        # Faust has no public call to commit given offsets; _commit is its consumer's own
        # (aiokafka's commit in the consumer thread, limited to assigned partitions).
        await nw.app.consumer._commit(offsets)


async def process_batch(nw: Newswatch, events: list[faust.EventT]) -> list[faust.EventT]:
    """Detect on a batch of raw item events; every event ends in one output record.

    Returns the events whose output record the broker has acknowledged, which are
    the ones whose offsets may be committed. Nothing in an item's bytes can raise
    out of here: each failure is that item's dead letter.
    """
    sends: list[tuple[faust.EventT, Any]] = []
    valid: list[tuple[faust.EventT, Any]] = []
    for event in events:
        try:
            valid.append((event, decode_item(event.value, nw.config.worker.max_item_bytes)))
        except InvalidItem as exc:
            sends.append((event, await send_dead(nw, event, str(exc))))
        except Exception as exc:  # anything else the decoder meets is this item's fault too
            reason = f"cannot decode: {exc.__class__.__name__}: {exc}"
            sends.append((event, await send_dead(nw, event, reason)))
    if valid:
        outcomes = await detect_items(nw, [item for _, item in valid])
        for (event, item), outcome in zip(valid, outcomes, strict=True):
            if outcome.seconds >= SLOW_ITEM_S:
                log.info("slow item %s (%s): %.2fs", _where(event), item.id[:80], outcome.seconds)
            if outcome.error:
                sends.append((event, await send_dead(nw, event, outcome.error)))
                continue
            try:
                sent = await nw.topics["detections"].send(
                    key=item.id.encode(), value=result_record(outcome)
                )
                metrics.item_done(outcome, event.message.timestamp)
            except Exception as exc:  # e.g. a value the serializer refuses
                reason = f"result could not be sent: {exc.__class__.__name__}: {exc}"
                sent = await send_dead(nw, event, reason)
            sends.append((event, sent))
    return await acknowledged(nw, sends)


async def acknowledged(nw: Newswatch, sends: list[tuple[faust.EventT, Any]]) -> list:
    """Wait for each send's broker acknowledgement; the events whose record is on the broker.

    A record the broker refuses is replaced by a dead letter saying why (a dead letter
    always fits); if that fails too, the event is left out, so its offset is not
    committed and the item is read again after a restart.
    """
    finished = []
    for event, sent in sends:
        try:
            if sent is not None:
                await sent
            finished.append(event)
        except Exception as exc:
            log.error("sending the outcome of %s failed: %r", _where(event), exc)
            try:
                reason = f"outcome could not be sent: {exc.__class__.__name__}: {exc}"
                retry = await send_dead(nw, event, reason)
                if retry is not None:
                    await retry
                finished.append(event)
            except Exception:
                log.exception("dead-lettering %s failed; not committing it", _where(event))
    return finished


async def detect_items(nw: Newswatch, items: list[Any]) -> list[Outcome]:
    """The pipeline on ``items`` in the NLP thread; one Outcome each, never an exception."""
    assert nw.pipeline is not None, "the worker was started without a pipeline"
    loop = asyncio.get_running_loop()
    budget = nw.config.worker.item_budget_s
    run = functools.partial(metrics.timed_batch(nw.pipeline.detect_batch), budget_s=budget)
    try:
        return await loop.run_in_executor(nw.executor, run, items)
    except Exception:  # e.g. MemoryError: try each item alone so only the bad one fails
        log.exception("detection failed for a batch of %d items; retrying one by one", len(items))
    outcomes = []
    for item in items:
        try:
            [outcome] = await loop.run_in_executor(nw.executor, run, [item])
        except Exception as exc:
            outcome = Outcome(
                item, error=clip(f"detection failed: {exc.__class__.__name__}: {exc}")
            )
        outcomes.append(outcome)
    return outcomes


def _where(event: faust.EventT) -> str:
    message = event.message
    return f"{message.topic}[{message.partition}]@{message.offset}"


async def send_dead(nw: Newswatch, event: faust.EventT, reason: str) -> Any:
    """Send a dead letter for ``event``; returns the send's future (await it for the ack)."""
    message = event.message
    metrics.dead_letter(reason, item=message.topic == nw.topics["items"].get_topic_name())
    log.warning("dead-letter %s: %s", _where(event), clip(reason, 300))
    record = deadletter_record(
        reason,
        event.value,
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=message.key,
    )
    return await nw.topics["deadletter"].send(key=message.key, value=record)


def _route_agent(nw: Newswatch) -> Any:
    """news.detections → channel groups (novelty, silences, de-duplication) → news.alerts."""
    windows = {k: float(v) for k, v in nw.config.routing.novelty_windows.items()}

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
    """Novelty first (events already alerted within a window are not news), then channels."""
    now = time.time()
    new, known = split_new(result.get("detections") or [], nw.tables["novelty"], now, windows)
    for detection in known:
        log.info(
            "not new: %s (%s); an update at most", detection.get("summary"), detection.get("id")
        )
    ids = {str(d.get("id")) for d in known}
    for routed in nw.router.add({**result, "detections": [*new, *known]}, now, known=ids):
        metrics.route_event(routed)
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
        metrics.route_event(event)
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
                dead = await metrics.counted(dispatch)(
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
