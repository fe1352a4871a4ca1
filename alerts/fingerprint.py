"""Event fingerprints: one per real-world event, whichever article reported it.

Two articles about the same strike on the same day give the same
fingerprint, so the event is notified once per channel. The key is the
detection's ``event`` (chosen by its kind from what identifies the event,
never from the article: strike actor and target, alliance parties and
relation, a rule and its states) plus the UTC day of the item's
``published`` time (else of the time given).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from .fields import detection_event


def event_day(item: Mapping[str, Any] | None, now: float) -> str:
    """The UTC date (YYYY-MM-DD) of ``item["published"]``, else of ``now``.

    item (Mapping | None): item metadata; ``published`` is ISO 8601, a time
        without zone is taken as UTC. Missing or unreadable → ``now`` is used.
    now (float): POSIX seconds.
    """
    published = (item or {}).get("published")
    if isinstance(published, str) and published.strip():
        try:
            when = datetime.fromisoformat(published.strip())
        except ValueError:
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return when.astimezone(UTC).date().isoformat()
    return datetime.fromtimestamp(now, UTC).date().isoformat()


def fingerprint_key(
    detection: Mapping[str, Any], item: Mapping[str, Any] | None = None, now: float = 0.0
) -> str:
    """The readable event key, e.g. ``strike|actor=RU|target=UA|2024-05-01``."""
    return f"{detection_event(detection)}|{event_day(item, now)}"


def fingerprint(
    detection: Mapping[str, Any], item: Mapping[str, Any] | None = None, now: float = 0.0
) -> str:
    """A stable 16-hex-digit hash of ``fingerprint_key`` (same event → same value).

    detection (Mapping): the detection as on the wire.
    item (Mapping | None): metadata of the item it came from (``published``).
    now (float): POSIX seconds, used for the day when ``published`` is missing.
    """
    key = fingerprint_key(detection, item, now)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
