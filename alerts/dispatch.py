"""Deliver one alert once per URL, remembering what was delivered and what was in flight.

The deliver agent calls ``dispatch`` for every record on ``news.alerts``.
``deliveries`` (a Faust table in the stream) maps alert id → status, with URLs
by ``url_key`` (never by their masked form, which two URLs can share), so an
alert read again after a restart, or sent back by ``alerts redeliver``, goes
only to the URLs that have not had it yet.

Before each round of sends the record says which URLs are in flight, and
``persist`` makes that durable before anything is sent. A worker that dies
mid-send leaves that mark; the next one to read the alert resends only to
those URLs (and any not yet tried), with the same idempotency key, and says
so in the log. So delivery is at least once, and a repeat happens only for a
send in flight at a crash, carrying the key of the first attempt.

A failure returns the record for ``news.alerts.dead``: the alert, the reason
and the masked URLs — never a secret.

A channel with no URL at all (none configured, no subscription, no apprise
config file) prints its alerts in the worker's log instead, so the shipped
config shows alerts on first run and never fills ``news.alerts.dead``;
``newswatch subscribe CHANNEL URL`` then sends them on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from .channels import Channel
from .delivery import deliver_alert, effective_urls

log = logging.getLogger(__name__)

DELIVERED, FAILED, IN_FLIGHT = "delivered", "failed", "in-flight"


async def _nothing() -> None:
    return None


async def dispatch(
    alert: Mapping[str, Any],
    *,
    channels: Mapping[str, Channel],
    deliveries: MutableMapping[str, Any],
    subscriptions: Mapping[str, Mapping[str, Any]],
    now: Callable[[], float] = time.time,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    persist: Callable[[], Awaitable[Any]] = _nothing,
) -> dict[str, Any] | None:
    """Deliver ``alert`` to its channel; return a dead-letter record if it failed.

    alert (Mapping): an ``Alert.to_dict()``.
    channels (Mapping[str, Channel]): configured channels by name.
    deliveries (MutableMapping): alert id → ``{"status", "delivered", "in_flight",
        "attempts", "at", "channel"}``; ``delivered`` and ``in_flight`` hold URL keys.
    subscriptions (Mapping): the subscription store (see ``delivery.effective_urls``).
    persist (Callable): awaited after marking URLs in flight, before sending;
        the stream flushes the table's changelog there. Defaults to a no-op.
    """
    alert_id, name = str(alert["id"]), str(alert.get("channel"))
    previous = deliveries.get(alert_id) or {}
    if previous.get("status") == DELIVERED:
        log.info("alert %s was already delivered to %s; not sending again", alert_id, name)
        return None
    done_before: list[str] = list(previous.get("delivered", []))
    if previous.get("status") == IN_FLIGHT:
        log.warning(
            "alert %s to %s was being sent to %d URL(s) when a worker stopped; "
            "sending to those again with the same idempotency key",
            alert_id,
            name,
            len(previous.get("in_flight", [])),
        )
    channel = channels.get(name)
    started = now()

    async def mark_in_flight(keys: list[str], delivered: list[str]) -> None:
        deliveries[alert_id] = {
            **(deliveries.get(alert_id) or {}),
            "status": IN_FLIGHT,
            "delivered": sorted(delivered),
            "in_flight": keys,
            "at": now(),
            "channel": name,
        }
        await persist()

    if channel is None:
        reason = f"channel {name!r} is not configured"
        delivered: list[str] = done_before
        attempts, failed = 0, []
    elif not channel.settings.config and not effective_urls(channel, subscriptions):
        log.info(
            "alert %s on %s (no URL: shown here; `newswatch subscribe %s URL` sends it on)\n"
            "%s\n\n%s\n",
            alert_id,
            name,
            name,
            alert.get("title"),
            alert.get("body"),
        )
        reason, attempts, failed, delivered = "", 0, [], []
    else:
        result = await deliver_alert(
            alert, channel, subscriptions, sleep=sleep, skip=done_before, on_attempt=mark_in_flight
        )
        reason, attempts, failed = result.error, result.attempts, result.failed
        delivered = sorted(set(result.delivered))
        if result.ok:
            reason = ""
    status = FAILED if reason else DELIVERED
    deliveries[alert_id] = {
        "status": status,
        "delivered": delivered,
        "in_flight": [],
        "attempts": attempts,
        "at": now(),
        "channel": name,
    }
    seconds = now() - started
    if status == DELIVERED:
        log.info(
            "delivered alert %s to %s (%d URLs, %d attempts, %.2fs)",
            alert_id,
            name,
            len(delivered),
            attempts,
            seconds,
        )
        return None
    log.warning("alert %s to %s failed: %s", alert_id, name, reason)
    return {
        "alert": dict(alert),
        "channel": name,
        "reason": reason,
        "failed": failed,
        "delivered": delivered,
        "attempts": attempts,
        "failed_at": now(),
    }
