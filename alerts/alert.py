"""The Alert record: one notification for one channel, as it goes on ``news.alerts``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .fields import severity_rank


def alert_id(channel: str, fingerprints: Iterable[str], created_at: float) -> str:
    """A deterministic id from the channel, the event fingerprints and the creation time.

    The time is part of it so that a repeat notification of the same events
    (after ``repeat_interval``) is a new alert, while a re-sent copy of one
    alert record keeps its id (the deliver side can de-duplicate on it).
    """
    key = f"{channel}\x00{','.join(sorted(fingerprints))}\x00{created_at:.3f}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Alert:
    """One message for one channel, bundling the detections of one group.

    id (str): see ``alert_id``.
    channel (str): the channel name.
    fingerprints (list[str]): event fingerprints, one per detection.
    detections (list[dict]): the detections (wire dicts), most severe first.
    items (dict): item id → item metadata of every article involved.
    title (str): rendered title.
    body (str): rendered markdown body.
    created_at (float): POSIX seconds the group was flushed.
    also (dict): detection id → ids of other items that reported the same
        event. Defaults to {}.
    updates (list[str]): ids of the detections that are updates of an event
        notified before (their ``also`` lists the new articles). Defaults to [].
    """

    id: str
    channel: str
    fingerprints: list[str]
    detections: list[dict[str, Any]]
    items: dict[str, dict[str, Any]]
    title: str
    body: str
    created_at: float
    also: dict[str, list[str]] = field(default_factory=dict)
    updates: list[str] = field(default_factory=list)

    @property
    def severity(self) -> str:
        """The highest severity among the detections."""
        return max(
            (str(d.get("severity", "low")) for d in self.detections),
            key=severity_rank,
            default="low",
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape on ``news.alerts``."""
        return {
            "id": self.id,
            "channel": self.channel,
            "severity": self.severity,
            "fingerprints": list(self.fingerprints),
            "detections": [dict(d) for d in self.detections],
            "items": {k: dict(v) for k, v in self.items.items()},
            "also": {k: list(v) for k, v in self.also.items()},
            "updates": list(self.updates),
            "title": self.title,
            "body": self.body,
            "created_at": self.created_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Alert:
        """Read the JSON shape back; raise ValueError naming a missing field."""
        for key in ("id", "channel", "title", "body", "created_at"):
            if key not in data:
                raise ValueError(f"alert record is missing field {key!r}")
        return cls(
            id=str(data["id"]),
            channel=str(data["channel"]),
            fingerprints=[str(f) for f in data.get("fingerprints") or []],
            detections=[dict(d) for d in data.get("detections") or []],
            items={str(k): dict(v) for k, v in (data.get("items") or {}).items()},
            title=str(data["title"]),
            body=str(data["body"]),
            created_at=float(data["created_at"]),
            also={str(k): list(v) for k, v in (data.get("also") or {}).items()},
            updates=[str(u) for u in data.get("updates") or []],
        )
