"""What the alert commands do over Kafka: subscriptions, silences, redelivery, tail.

Subscriptions and silences are records on compacted topics (key → latest
value); running workers follow them (``views.TopicView``), so a change
reaches every worker within seconds and survives restarts. Nothing here
prints a secret: URLs are shown masked.
"""

from __future__ import annotations

import getpass
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from alerts.delivery import (
    display_urls,
    effective_urls,
    invalid_url_reason,
    mask_url,
    subscription,
    subscription_key,
)
from alerts.dispatch import DELIVERED
from alerts.fields import severity_rank
from alerts.silences import Silence, SilenceError, check_label_names, known_labels
from detectors.records import SEVERITIES

from .config import Config
from .topics import ensure_topics
from .views import publish, read_all, read_view


class ControlError(Exception):
    """A command that cannot be carried out; the message says why."""


def _channel(config: Config, name: str) -> Any:
    for channel in config.channels:
        if channel.name == name:
            return channel
    known = ", ".join(c.name for c in config.channels) or "none"
    where = config.path or "the config"
    raise ControlError(f"no channel named {name!r} in {where} (channels: {known})")


def subscribe(config: Config, channel: str, url: str) -> str:
    """Add ``url`` to ``channel``; returns the masked URL."""
    _channel(config, channel)
    reason = invalid_url_reason(url)
    if reason:
        raise ControlError(reason)
    ensure_topics(config)
    record = subscription(channel, url, active=True, at=time.time())
    publish(
        config.kafka.bootstrap,
        config.topic("news.subscriptions"),
        subscription_key(channel, url),
        record,
    )
    return mask_url(url)


def unsubscribe(config: Config, channel: str, url: str) -> bool:
    """Remove a subscription; False if there was none (config URLs can't be removed here)."""
    _channel(config, channel)
    ensure_topics(config)
    topic = config.topic("news.subscriptions")
    key = subscription_key(channel, url)
    if key not in read_view(config.kafka.bootstrap, topic):
        return False
    publish(config.kafka.bootstrap, topic, key, None)
    return True


def _subscribed(settings: Any, subs: dict[str, Any]) -> list[str]:
    """A channel's URLs added by subscription (not written in the config), unmasked."""
    return [u for u in effective_urls(settings, subs) if u not in settings.urls]


def subscribed_urls(config: Config, channel: str) -> list[str]:
    """The full subscribed URLs of ``channel``, in the order ``channels()`` lists them masked
    (so a page showing masked URLs can name one by position)."""
    settings = _channel(config, channel).settings
    ensure_topics(config)
    return _subscribed(
        settings, read_view(config.kafka.bootstrap, config.topic("news.subscriptions"))
    )


@dataclass(frozen=True)
class ChannelRow:
    name: str
    urls: list[str]  # masked
    subscribed: list[str]  # masked
    filters: str


def channels(config: Config) -> list[ChannelRow]:
    """Every configured channel with its config URLs and subscriptions, masked."""
    ensure_topics(config)
    subs = read_view(config.kafka.bootstrap, config.topic("news.subscriptions"))
    rows = []
    for channel in config.channels:
        s = channel.settings
        every = effective_urls(s, subs)
        shown = dict(zip(every, display_urls(every), strict=True))
        subscribed = _subscribed(s, subs)
        filters = ", ".join(
            part
            for part in (
                f"detectors={','.join(s.detectors)}" if s.detectors else "",
                f"min_severity={s.min_severity}" if s.min_severity != "low" else "",
                f"actors={','.join(s.actors)}" if s.actors else "",
                f"config={s.config}" if s.config else "",
            )
            if part
        )
        rows.append(
            ChannelRow(
                channel.name,
                [shown[u] for u in s.urls],
                [shown[u] for u in subscribed],
                filters or "all detections",
            )
        )
    return rows


def add_silence(config: Config, matchers: list[str], duration_s: float, comment: str) -> Silence:
    try:
        check_label_names(matchers, known_labels())
        silence = Silence.create(
            matchers,
            now=time.time(),
            duration_s=duration_s,
            comment=comment,
            created_by=getpass.getuser(),
        )
    except SilenceError as exc:
        raise ControlError(str(exc)) from exc
    ensure_topics(config)
    publish(config.kafka.bootstrap, config.topic("news.silences"), silence.id, silence.to_dict())
    return silence


def list_silences(config: Config, *, include_expired: bool = False) -> list[Silence]:
    ensure_topics(config)
    now = time.time()
    found = [
        Silence.from_dict(v)
        for v in read_view(config.kafka.bootstrap, config.topic("news.silences")).values()
    ]
    return sorted(
        (s for s in found if include_expired or not s.is_expired(now)), key=lambda s: s.starts_at
    )


def expire_silence(config: Config, silence_id: str) -> Silence:
    ensure_topics(config)
    topic = config.topic("news.silences")
    stored = read_view(config.kafka.bootstrap, topic).get(silence_id)
    if stored is None:
        raise ControlError(f"no silence with id {silence_id!r} (see `newswatch silence list`)")
    silence = Silence.from_dict(stored).expire(time.time())
    publish(config.kafka.bootstrap, topic, silence.id, silence.to_dict())
    return silence


def redeliver(config: Config, channel: str | None = None) -> int:
    """Send dead alerts not delivered since back to news.alerts; returns how many.

    The deliver agent then sends each only to the URLs that have not had it.
    """
    from kafka import KafkaProducer

    if channel is not None:
        _channel(config, channel)
    ensure_topics(config)
    bootstrap = config.kafka.bootstrap
    deliveries_topic = f"{config.kafka.app_id}-deliveries-changelog"
    status: dict[str, Any] = {}
    for key, value in read_all(bootstrap, deliveries_topic):
        if key is not None:  # Faust writes table keys as JSON (table_key_serializer)
            status[json.loads(key)] = json.loads(value) if value else None
    dead: dict[str, dict[str, Any]] = {}
    for _key, value in read_all(bootstrap, config.topic("news.alerts.dead")):
        record = json.loads(value)
        alert = record["alert"]
        if channel is None or alert.get("channel") == channel:
            dead[alert["id"]] = alert
    todo = [a for aid, a in dead.items() if (status.get(aid) or {}).get("status") != DELIVERED]
    if todo:
        producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", client_id="newswatch-cli")
        try:
            for alert in todo:
                producer.send(
                    config.topic("news.alerts"),
                    key=alert["id"].encode(),
                    value=json.dumps(alert).encode(),
                )
            producer.flush()
        finally:
            producer.close()
    return len(todo)


@dataclass(frozen=True)
class TailFilter:
    """Which alerts ``tail`` shows: all filters must pass.

    channel (str | None): only this channel. since (float | None): only alerts
    created at or after this POSIX time. severity (str | None): only alerts at
    least this severe. detector (str | None): only alerts with a detection of
    this detector.
    """

    channel: str | None = None
    since: float | None = None
    severity: str | None = None
    detector: str | None = None

    def accepts(self, alert: dict[str, Any]) -> bool:
        if self.channel and alert.get("channel") != self.channel:
            return False
        if self.since is not None and float(alert.get("created_at") or 0) < self.since:
            return False
        if self.severity and severity_rank(alert.get("severity")) < severity_rank(self.severity):
            return False
        detectors = {d.get("detector") for d in alert.get("detections") or []}
        return not (self.detector and self.detector not in detectors)


def tail_filter(
    config: Config,
    *,
    channel: str | None = None,
    since_s: float | None = None,
    severity: str | None = None,
    detector: str | None = None,
    now: float | None = None,
) -> TailFilter:
    """Check the ``tail`` options against the config; an unknown channel lists the channels."""
    if channel is not None:
        _channel(config, channel)
    if severity is not None and severity not in SEVERITIES:
        raise ControlError(f"unknown severity {severity!r}; use one of {', '.join(SEVERITIES)}")
    since = None if since_s is None else (time.time() if now is None else now) - since_s
    return TailFilter(channel, since, severity, detector)


def delivery_status(config: Config) -> dict[str, dict[str, Any]]:
    """Alert id → the deliver agent's record (status, attempts), from its table's changelog."""
    status: dict[str, Any] = {}
    topic = f"{config.kafka.app_id}-deliveries-changelog"
    for key, value in read_all(config.kafka.bootstrap, topic):
        if key is not None:  # Faust writes table keys as JSON (table_key_serializer)
            status[json.loads(key)] = json.loads(value) if value else None
    return {k: v for k, v in status.items() if v}


def history(config: Config, topic: str) -> list[dict[str, Any]]:
    """The records of ``topic`` so far, one per alert (a redelivered alert once, its
    latest record), in the order the alerts were made."""
    latest: dict[str, dict[str, Any]] = {}
    for _key, value in read_all(config.kafka.bootstrap, topic):
        try:
            record = json.loads(value) if value else None
        except ValueError:
            continue
        if isinstance(record, dict):
            alert = record.get("alert", record)
            latest[str(alert.get("id"))] = record
    return sorted(latest.values(), key=lambda r: float(r.get("alert", r).get("created_at") or 0))


def follow(config: Config, topic: str) -> Iterator[dict]:
    """Yield JSON records of ``topic`` as they arrive from now on (until interrupted)."""
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=config.kafka.bootstrap,
        group_id=None,
        auto_offset_reset="latest",
        enable_auto_commit=False,
        client_id="newswatch-tail",
    )
    try:
        for message in consumer:
            try:
                yield json.loads(message.value)
            except ValueError:
                continue
    finally:
        consumer.close()


def format_alert(alert: dict[str, Any], delivery: dict[str, Any] | None = None) -> str:
    """A readable block for the terminal; ``delivery`` adds its status and attempts."""
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(alert.get("created_at", 0)))
    head = f"── {when}  [{alert.get('channel')}]  {alert.get('title')}"
    if delivery:
        tries = delivery.get("attempts")
        head += f"  ({delivery.get('status')}" + (f", {tries} attempt(s))" if tries else ")")
    return f"{head}\n{alert.get('body', '').rstrip()}\n"
