"""The alert as JSON fields, for machines (webhooks): what the markdown says, as data.

A json:// channel posts apprise's ``{"version", "title", "message", "type"}``
plus ``idempotency_key`` and ``alert`` (this module's object; README "Webhook
payload" documents it). It is built from the alert record and the generic
detection fields only (docs/contracts.md), so every kind fills it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .fields import detection_actors, detection_facts, detection_labels
from .message import article_name

#: The JSON field of a webhook payload that carries the alert.
PAYLOAD_FIELD = "alert"


def article_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    """One article: id, name (title, else file name), title, url, source, published."""
    return {
        "id": str(item.get("id", "")),
        "name": article_name(item),
        "title": item.get("title"),
        "url": item.get("url"),
        "source": item.get("source"),
        "published": item.get("published"),
    }


def alert_fields(alert: Mapping[str, Any]) -> dict[str, Any]:
    """The ``alert`` object of a webhook payload for an ``Alert.to_dict()``.

    ``{"id", "channel", "severity", "title", "created_at", "detections": [
    {"id", "detector", "severity", "summary", "actors", "labels", "facts"
    (name → value, in order), "evidence", "event", "update", "article",
    "also_reported": [article, ...]}, ...]}``.
    """
    items: Mapping[str, Mapping[str, Any]] = alert.get("items") or {}
    also: Mapping[str, list[str]] = alert.get("also") or {}
    updates = {str(u) for u in alert.get("updates") or []}

    def article(item_id: Any) -> dict[str, Any]:
        return article_fields(items.get(str(item_id)) or {"id": item_id})

    detections = []
    for d in alert.get("detections") or []:
        det_id = str(d.get("id", ""))
        evidence = d.get("evidence") if isinstance(d.get("evidence"), Mapping) else {}
        detections.append(
            {
                "id": det_id,
                "detector": d.get("detector"),
                "severity": d.get("severity"),
                "summary": d.get("summary"),
                "actors": detection_actors(d),
                "labels": detection_labels(d),
                "facts": dict(detection_facts(d)),
                "evidence": evidence.get("text", ""),
                "event": d.get("event"),
                "update": det_id in updates,
                "article": article(d.get("item_id")),
                "also_reported": [article(i) for i in also.get(det_id, [])],
            }
        )
    return {
        "id": alert.get("id"),
        "channel": alert.get("channel"),
        "severity": alert.get("severity"),
        "title": alert.get("title"),
        "created_at": alert.get("created_at"),
        "detections": detections,
    }
