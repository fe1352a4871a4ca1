"""Deliver one alert exactly once per URL, remembering what was delivered.

The deliver agent calls ``dispatch`` for every record on ``news.alerts``.
``deliveries`` (a Faust table in the stream) maps alert id → status, so an
alert read again after a restart, or sent back by ``alerts redeliver``, goes
only to the URLs that have not had it yet. A failure returns the record for
``news.alerts.dead``: the alert, the reason and the masked URLs — never a
secret.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from .channels import Channel
from .delivery import deliver_alert

log = logging.getLogger(__name__)

DELIVERED, FAILED = "delivered", "failed"


async def dispatch(
    alert: Mapping[str, Any],
    *,
    channels: Mapping[str, Channel],
    deliveries: MutableMapping[str, Any],
    subscriptions: Mapping[str, Mapping[str, Any]],
    now: Callable[[], float] = time.time,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> dict[str, Any] | None:
    """Deliver ``alert`` to its channel; return a dead-letter record if it failed.

    alert (Mapping): an ``Alert.to_dict()``.
    channels (Mapping[str, Channel]): configured channels by name.
    deliveries (MutableMapping): alert id → ``{"status", "delivered", "attempts", "at"}``.
    subscriptions (Mapping): the subscription store (see ``delivery.effective_urls``).
    """
    alert_id, name = str(alert["id"]), str(alert.get("channel"))
    previous = deliveries.get(alert_id) or {}
    if previous.get("status") == DELIVERED:
        log.info("alert %s was already delivered to %s; not sending again", alert_id, name)
        return None
    channel = channels.get(name)
    started = now()
    if channel is None:
        reason = f"channel {name!r} is not configured"
        delivered: list[str] = list(previous.get("delivered", []))
        attempts, failed = 0, []
    else:
        result = await deliver_alert(
            alert, channel, subscriptions, sleep=sleep, skip=previous.get("delivered", ())
        )
        reason, attempts, failed = result.error, result.attempts, result.failed
        delivered = sorted(set(result.delivered))
        if result.ok:
            reason = ""
    status = FAILED if reason else DELIVERED
    deliveries[alert_id] = {
        "status": status,
        "delivered": delivered,
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
