"""What the poller keeps per source: health, conditional-GET validators, back-off, seen ids.

One ``SourceState`` per source is written to the compacted topic
``news.sources.state`` after every poll (after the poll's items are
published), so a restarted or newly elected poller goes on where the last one
stopped: it sends ``If-None-Match``/``If-Modified-Since`` again, keeps backing
off, and knows every entry id it already published.

Seen ids are kept as short hashes with the last time each was in the feed.
An id stays while its entry is in the feed, and for ``seen_retention_s``
after it left (at most ``max_seen`` of those, newest first), so a feed that
re-orders or re-emits its entries publishes nothing again; entries published
before the retention window are too old to be news and are not published.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .model import PollerSettings

HOUR_S = 3600
DAY_S = 86400


def id_hash(entry_id: str) -> str:
    """A short stable key for an entry id (64 bits of SHA-1; ids can be long URLs)."""
    return hashlib.sha1(entry_id.encode("utf-8")).hexdigest()[:16]


def backoff_s(failures: int, every_s: float, max_s: float) -> float:
    """Wait after ``failures`` failures in a row: every × 2^failures, at most ``max_s``."""
    return min(max_s, every_s * (2 ** min(failures, 32)))


@dataclass
class SourceState:
    """One source's poll history (JSON on ``news.sources.state``, keyed by name)."""

    name: str
    url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_poll: float | None = None
    last_success: float | None = None
    last_status: int | None = None
    last_error: str | None = None
    warning: str | None = None
    failures: int = 0
    failing_since: float | None = None
    failing_logged: float | None = None
    next_poll: float = 0.0
    backoff_until: float | None = None
    entries: int = 0
    items_total: int = 0
    skipped_total: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    too_old: int = 0
    hourly: dict[str, int] = field(default_factory=dict)
    seen: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceState:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def is_seen(self, entry_id: str) -> bool:
        return id_hash(entry_id) in self.seen

    def backing_off(self, now: float) -> bool:
        return self.backoff_until is not None and self.backoff_until > now

    def items_last_day(self, now: float) -> int:
        since = int(now - DAY_S) // HOUR_S * HOUR_S
        return sum(n for hour, n in self.hourly.items() if int(hour) >= since)


def remember(
    state: SourceState, entry_ids: list[str], now: float, settings: PollerSettings
) -> None:
    """Mark the ids in the feed now as seen at ``now``; forget the ones long gone."""
    for entry_id in entry_ids:
        state.seen[id_hash(entry_id)] = now
    cutoff = now - settings.seen_retention_s
    kept = sorted(
        ((h, t) for h, t in state.seen.items() if t >= cutoff), key=lambda ht: ht[1], reverse=True
    )
    state.seen = dict(kept[: settings.max_seen + len(set(entry_ids))])


def count_published(state: SourceState, count: int, now: float) -> None:
    """Add ``count`` items to the total and to this hour's bucket; drop buckets over a day old."""
    state.items_total += count
    hour = str(int(now) // HOUR_S * HOUR_S)
    if count:
        state.hourly[hour] = state.hourly.get(hour, 0) + count
    oldest = int(now - DAY_S) // HOUR_S * HOUR_S
    state.hourly = {h: n for h, n in state.hourly.items() if int(h) >= oldest}


def count_skipped(state: SourceState, reasons: list[str]) -> None:
    for reason in reasons:
        state.skipped[reason] = state.skipped.get(reason, 0) + 1
    state.skipped_total += len(reasons)


def record_success(
    state: SourceState, now: float, *, every_s: float, status: int | None, warning: str | None
) -> None:
    state.last_poll = state.last_success = now
    state.last_status = status
    state.last_error = None
    state.warning = warning
    state.failures = 0
    state.failing_since = state.failing_logged = state.backoff_until = None
    state.next_poll = now + every_s


def record_failure(
    state: SourceState,
    now: float,
    *,
    every_s: float,
    status: int | None,
    error: str,
    settings: PollerSettings,
) -> bool:
    """Note a failed poll and back off; True when the source should be logged as long failing."""
    state.last_poll = now
    state.last_status = status
    state.last_error = error
    state.failures += 1
    if state.failing_since is None:
        state.failing_since = now
    wait = backoff_s(state.failures, every_s, settings.max_backoff_s)
    state.backoff_until = state.next_poll = now + wait
    failing_for = now - state.failing_since
    due = state.failing_logged is None or now - state.failing_logged >= settings.failing_log_s
    if failing_for >= settings.failing_log_s and due:
        state.failing_logged = now
        return True
    return False
