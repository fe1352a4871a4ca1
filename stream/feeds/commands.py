"""What ``newswatch sources add|list|remove`` do over Kafka.

Runtime sources are records on the compacted topic ``news.sources`` (name →
source); running workers follow it, so a source added here is polled within
seconds, and survives restarts. ``list`` joins the config's and the runtime
sources with their health from ``news.sources.state``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from detectors.settings import ConfigError, coerce

from ..config import Config
from ..topics import ensure_topics
from ..views import publish, read_view
from .model import Source
from .runner import effective_sources
from .state import SourceState


class SourceError(Exception):
    """A sources command that cannot be carried out; the message says why."""


def _runtime(config: Config) -> dict[str, Any]:
    return read_view(config.kafka.bootstrap, config.topic("news.sources"))


def name_for(url: str, taken: set[str]) -> str:
    """A source name from the URL's host (``www.bbc.co.uk`` → ``bbc.co.uk``), made unique."""
    host = (urlsplit(url).hostname or "feed").lower().removeprefix("www.")
    base = re.sub(r"[^a-z0-9._-]+", "-", host).strip("-._")[:56] or "feed"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def checked_source(
    name: str, url: str, every: str | float, full_text: bool, language: str | None
) -> Source:
    """The source the command describes, or SourceError naming the bad option."""
    record: dict[str, Any] = {"name": name, "url": url, "every": every, "full_text": full_text}
    if language:
        record["language"] = language
    try:
        return coerce(record, Source)
    except ConfigError as exc:
        raise SourceError(str(exc)) from None


def add_source(
    config: Config,
    url: str,
    *,
    name: str | None = None,
    every: str | float = "5m",
    full_text: bool = False,
    language: str | None = None,
) -> Source:
    """Add (or, for a runtime source of the same name, replace) a source."""
    checked_source(name or "unnamed", url, every, full_text, language)  # before any Kafka
    configured = {s.name for s in config.sources}
    if name in configured:
        raise SourceError(
            f"a source named {name!r} is in {config.path or 'the config'}; edit it there "
            "or pick another --name"
        )
    ensure_topics(config)
    if name is None:
        name = name_for(url, configured | set(_runtime(config)))
    source = checked_source(name, url, every, full_text, language)
    value = {**source.to_dict(), "added_at": time.time()}
    publish(config.kafka.bootstrap, config.topic("news.sources"), source.name, value)
    return source


def remove_source(config: Config, name: str) -> None:
    ensure_topics(config)
    if name in {s.name for s in config.sources}:
        raise SourceError(
            f"source {name!r} is written in {config.path or 'the config'}; remove it there"
        )
    if name not in _runtime(config):
        raise SourceError(f"no source named {name!r} (see `newswatch sources list`)")
    publish(config.kafka.bootstrap, config.topic("news.sources"), name, None)


@dataclass(frozen=True)
class SourceRow:
    """One line of ``sources list``."""

    source: Source
    origin: str  # "config" or "runtime"
    state: SourceState


def list_sources(config: Config) -> list[SourceRow]:
    ensure_topics(config)
    runtime = _runtime(config)
    states = read_view(config.kafka.bootstrap, config.topic("news.sources.state"))
    configured = {s.name for s in config.sources}
    return [
        SourceRow(
            source,
            "config" if source.name in configured else "runtime",
            SourceState.from_dict(states[source.name])
            if states.get(source.name)
            else SourceState(source.name),
        )
        for source in effective_sources(config.sources, runtime)
    ]


def _ago(when: float | None, now: float) -> str:
    if when is None:
        return "never"
    seconds = max(0.0, now - when)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit} ago"
    return f"{seconds:.0f}s ago"


def _every(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:.0f}{unit}"
    return f"{seconds:g}s"


def format_row(row: SourceRow, now: float) -> str:
    """A block of lines describing one source and its health."""
    s, st = row.source, row.state
    flags = [f"every {_every(s.every)}", row.origin]
    if s.full_text:
        flags.append("full text")
    if s.language:
        flags.append(f"language {s.language}")
    lines = [f"{s.name}  {s.url}  ({', '.join(flags)})"]
    status = f" (HTTP {st.last_status})" if st.last_status else ""
    lines.append(
        f"  last poll {_ago(st.last_poll, now)}{status}, last success {_ago(st.last_success, now)}"
    )
    if st.last_error:
        since = _ago(st.failing_since, now).removesuffix(" ago")
        lines.append(f"  last error: {st.last_error} ({st.failures} in a row, for {since})")
    if st.backing_off(now):
        lines.append(f"  backing off: next try in {(st.backoff_until or now) - now:.0f}s")
    skipped = ", ".join(f"{k} {v}" for k, v in sorted(st.skipped.items()))
    lines.append(
        f"  items {st.items_total} total, {st.items_last_day(now)} in the last day; "
        f"skipped {st.skipped_total}{f' ({skipped})' if skipped else ''}; "
        f"{st.entries} entries in the feed"
    )
    if st.warning:
        lines.append(f"  warning: malformed but readable: {st.warning}")
    return "\n".join(lines)
