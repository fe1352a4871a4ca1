"""Prometheus metrics of a worker, and its /metrics, /health and /ready endpoint.

Faust's own Prometheus sensor (``faust.sensors.prometheus``) counts messages,
events, sends, commits and rebalances under the ``faust_`` prefix; the
``newswatch_`` metrics below say what became of the news: items by outcome,
detections, dead letters by reason class, alerts by channel and outcome,
latency, NLP batch time and consumer lag. The agents call the small hook
functions here (``item_done``, ``dead_letter``, ...) and nothing else.

One registry per process: metrics are process-wide (several apps built in
one test process share them), which is what a scrape of a worker reads.
Labels take values from small fixed sets (reason classes, outcomes, the
configured detectors and channels) so the number of series stays bounded.

The endpoint is a small aiohttp server (aiohttp comes with Faust) run as a
task of the app rather than Faust's web server, whose default views (tables,
router) we do not want to expose on a metrics port.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

log = logging.getLogger(__name__)

disable_created_metrics()  # no *_created series: half the output, nothing a dashboard uses
REGISTRY = CollectorRegistry(auto_describe=True)

#: Dead-letter reason classes: (class, substrings of the reason that select it), first match
#: wins. The free-text reason stays on the dead-letter record; the metric keeps a fixed set.
REASON_CLASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("empty_message", ("empty message",)),
    ("too_large", ("over the limit",)),
    ("not_utf8", ("not valid UTF-8",)),
    ("not_json", ("not JSON", "expected a JSON object")),
    ("missing_field", ("missing required field",)),
    ("empty_text", ("is empty",)),
    ("bad_field", ("must be a",)),
    ("detector_error", ("detector ", "detection failed")),
    ("routing_error", ("routing failed",)),
)
OTHER_REASON = "other"

#: Alert outcomes: sent, duplicate, silenced (routing), failed (a delivery attempt that
#: failed and was retried or gave up), dead (went to news.alerts.dead).
ROUTE_OUTCOMES = {"duplicate": "duplicate", "silenced": "silenced"}

ITEMS = Counter(
    "newswatch_items",
    "News items read, by outcome: detected (one or more detections), nothing, dead",
    ["outcome"],
    registry=REGISTRY,
)
DETECTIONS = Counter(
    "newswatch_detections",
    "Detections made, by detector and severity",
    ["detector", "severity"],
    registry=REGISTRY,
)
DEAD_LETTERS = Counter(
    "newswatch_dead_letters",
    "Records sent to news.deadletter, by reason class",
    ["reason"],
    registry=REGISTRY,
)
ALERTS = Counter(
    "newswatch_alerts",
    "Alerts by channel and outcome: sent, duplicate, silenced, failed (attempts), dead",
    ["channel", "outcome"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "newswatch_item_detection_latency_seconds",
    "From an item's write to news.items to its result's write to news.detections",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300),
    registry=REGISTRY,
)
NLP_BATCH = Histogram(
    "newswatch_nlp_batch_seconds",
    "Time to run the NLP pipeline and detectors over one batch of items",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
    registry=REGISTRY,
)
NLP_BATCH_ITEMS = Histogram(
    "newswatch_nlp_batch_items",
    "Items per NLP batch",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128),
    registry=REGISTRY,
)
LAG = Gauge(
    "newswatch_consumer_lag",
    "Messages not yet processed by this worker, per topic (its assigned partitions)",
    ["topic"],
    registry=REGISTRY,
)
READY = Gauge(
    "newswatch_ready",
    "1 when partitions are assigned and state (tables, silences, subscriptions) is read",
    registry=REGISTRY,
)

LAG_EVERY_S = 5.0


def reason_class(reason: str) -> str:
    """The fixed class of a dead-letter reason, e.g. "not JSON: ..." → "not_json"."""
    for name, needles in REASON_CLASSES:
        if any(needle in reason for needle in needles):
            return name
    return OTHER_REASON


# --- hooks the agents call -------------------------------------------------------------


def item_done(outcome: Any, written_at_s: float | None) -> None:
    """An item got its result on news.detections.

    outcome (Outcome): the pipeline's outcome for the item.
    written_at_s (float | None): the item message's Kafka timestamp, POSIX seconds.
    """
    detections = list(getattr(outcome, "detections", []) or [])
    ITEMS.labels("detected" if detections else "nothing").inc()
    for detection in detections:
        data = detection if isinstance(detection, Mapping) else detection.to_dict()
        DETECTIONS.labels(str(data.get("detector")), str(data.get("severity"))).inc()
    if written_at_s:
        LATENCY.observe(max(0.0, time.time() - written_at_s))


def dead_letter(reason: str, *, item: bool) -> None:
    """A record went to news.deadletter; ``item`` when it was a news item (not a routing one)."""
    DEAD_LETTERS.labels(reason_class(reason)).inc()
    if item:
        ITEMS.labels("dead").inc()


def timed_batch(run: Callable[[list], Any]) -> Callable[[list], Any]:
    """``run`` (the pipeline's batch detect) timed into ``newswatch_nlp_batch_seconds``."""

    @functools.wraps(run)
    def timed(items: list, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return run(items, **kwargs)
        finally:
            NLP_BATCH.observe(time.perf_counter() - started)
            NLP_BATCH_ITEMS.observe(len(items))

    return timed


def route_event(event: Any) -> None:
    """A routing outcome (``alerts.routing.RouteEvent``): duplicates and silenced count."""
    outcome = ROUTE_OUTCOMES.get(event.kind)
    if outcome and event.channel:
        ALERTS.labels(event.channel, outcome).inc()


def counted(dispatch: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """``alerts.dispatch.dispatch`` counted into ``newswatch_alerts``: sent, failed, dead.

    It compares the alert's ``deliveries`` entry before and after, so an alert read
    again that was already delivered (a restart, a redelivery) is not counted twice.
    """

    @functools.wraps(dispatch)
    async def run(alert: Mapping[str, Any], **kwargs: Any) -> Any:
        deliveries = kwargs["deliveries"]
        before = dict(deliveries.get(alert["id"]) or {})
        try:
            dead = await dispatch(alert, **kwargs)
        except Exception:
            ALERTS.labels(str(alert.get("channel")), "dead").inc()
            raise
        alert_delivered(alert, before, dict(deliveries.get(alert["id"]) or {}), dead)
        return dead

    return run


def alert_delivered(
    alert: Mapping[str, Any], before: Mapping[str, Any], after: Mapping[str, Any], dead: Any
) -> None:
    """Count what one dispatch did: sent or dead, and its failed attempts."""
    channel = str(alert.get("channel"))
    attempts = int((dead or after).get("attempts") or 0)
    if dead is not None:
        ALERTS.labels(channel, "dead").inc()
        if attempts:
            ALERTS.labels(channel, "failed").inc(attempts)
    elif after.get("status") == "delivered" and before.get("status") != "delivered":
        ALERTS.labels(channel, "sent").inc()
        if attempts > 1:
            ALERTS.labels(channel, "failed").inc(attempts - 1)


# --- wiring into the app ----------------------------------------------------------------


def install(nw: Any) -> None:
    """Attach Faust's Prometheus sensor, the lag timer and the HTTP endpoint to ``nw.app``."""
    from faust.sensors.prometheus import PrometheusMonitor

    nw.app.monitor = PrometheusMonitor(metrics=_faust_metrics())
    settings = nw.config.metrics

    async def consumer_lag() -> None:
        await update_lag(nw)

    async def metrics_endpoint() -> None:
        await serve(nw, settings.bind, settings.port)

    nw.app.timer(LAG_EVERY_S, name="consumer_lag")(consumer_lag)
    if settings.port is not None:
        nw.app.task(metrics_endpoint)


@functools.cache
def _faust_metrics() -> Any:
    """Faust's sensor metrics, created once per process in our registry (prefix ``faust``)."""
    from faust.sensors.prometheus import FaustMetrics

    return FaustMetrics.create(REGISTRY, "faust")


def source_topics(nw: Any) -> set[str]:
    """The topics this worker's agents consume."""
    return {nw.topics[key].get_topic_name() for key in ("items", "detections", "alerts")}


async def update_lag(nw: Any) -> None:
    """Set ``newswatch_consumer_lag`` per topic: end offset − committed, over held partitions."""
    app = nw.app
    if app.rebalancing or app.consumer is None:
        return
    wanted = source_topics(nw)
    tps = [tp for tp in app.consumer.assignment() if tp.topic in wanted]
    if not tps:
        for topic in wanted:
            LAG.labels(topic).set(0)
        return
    try:
        ends = await app.consumer.highwaters(*tps)
    except Exception as exc:  # lag is best effort; the next tick tries again
        log.debug("consumer lag: %s", exc)
        return
    committed = app.consumer._committed_offset  # noqa: SLF001 - Faust keeps no public copy
    progress = getattr(nw, "progress", None)  # news.items commits its own (stream/progress.py)
    lag = dict.fromkeys(wanted, 0)
    for tp in tps:
        end = ends.get(tp)
        if end is None:
            continue
        done = max(committed.get(tp) or 0, (progress.position(tp) if progress else None) or 0)
        lag[tp.topic] += max(0, end - done)
    for topic, value in lag.items():
        LAG.labels(topic).set(value)


def is_ready(nw: Any) -> tuple[bool, str]:
    """Partitions assigned and state read: tables recovered, silences and subscriptions read."""
    app = nw.app
    if app.rebalancing:
        return False, "rebalancing"
    if app.consumer is None or not app.consumer.assignment():
        return False, "no partitions assigned yet"
    recovery = getattr(app.tables, "recovery", None)
    if recovery is not None and (recovery.in_recovery or not recovery.completed.is_set()):
        return False, "recovering tables"
    waiting = [name for name, view in nw.views.items() if not view.ready.is_set()]
    if waiting:
        return False, f"reading {', '.join(sorted(waiting))}"
    return True, "ready"


async def serve(nw: Any, bind: str, port: int) -> None:
    """Serve /metrics, /health and /ready until cancelled."""
    from aiohttp import web

    async def metrics(_request: web.Request) -> web.Response:
        ready, _ = is_ready(nw)
        READY.set(1 if ready else 0)
        return web.Response(
            body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    async def health(_request: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def ready(_request: web.Request) -> web.Response:
        ok, detail = is_ready(nw)
        return web.json_response(
            {"status": "ready" if ok else "not ready", "detail": detail}, status=200 if ok else 503
        )

    server = web.Application()
    server.router.add_get("/metrics", metrics)
    server.router.add_get("/health", health)
    server.router.add_get("/ready", ready)
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, bind, port)
    try:
        await site.start()
    except OSError as exc:
        log.error(
            "metrics: cannot listen on %s:%s (%s); set metrics.port (0 picks a free port)",
            bind,
            port,
            exc.strerror or exc,
        )
        await runner.cleanup()
        return
    sockets = getattr(site._server, "sockets", None) or []  # noqa: SLF001 - the bound port
    bound = sockets[0].getsockname()[1] if sockets else port
    log.info("metrics on http://%s:%s/metrics (also /health, /ready)", bind, bound)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
