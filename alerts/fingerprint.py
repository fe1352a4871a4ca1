"""Event fingerprints: one per real-world event, whichever article reported it.

Two articles about the same strike on the same day give the same
fingerprint, so the event is notified once per channel. The key is built
from what identifies the event, never from the article:

- rule detections (a ``rule`` field): detector + rule name + the states or
  blocs it resolved (``actors``, ``states``, ``actor``, ``target``,
  ``parties``), if any;
- alliances (``parties``): detector + sorted parties + relation;
- strikes (``actor``/``target``): detector + actor + target;
- anything else, or a strike naming neither side: detector + the summary,
  case- and space-folded;

plus the UTC day of the item's ``published`` time (else of the time given).
Numbers (munitions, casualties) are left out on purpose: reports of one
attack disagree on them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from .fields import as_list, detection_actors


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
    detector = str(detection.get("detector", ""))
    day = event_day(item, now)
    rule = detection.get("rule")
    parties = sorted(as_list(detection.get("parties")))
    actor = detection.get("actor") or ""
    target = detection.get("target") or ""
    if rule:
        actors = ",".join(sorted(detection_actors(detection)))
        return f"{detector}|rule={rule}|actors={actors}|{day}"
    if parties:
        relation = detection.get("relation") or ""
        return f"{detector}|parties={','.join(parties)}|relation={relation}|{day}"
    if actor or target:
        return f"{detector}|actor={actor}|target={target}|{day}"
    summary = " ".join(str(detection.get("summary", "")).casefold().split())
    return f"{detector}|summary={summary}|{day}"


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
