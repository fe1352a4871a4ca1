"""One poll of one source: fetch, parse, keep the new entries, build items.

``poll_source`` returns what to do (items for ``news.items``, skip records for
``news.items.skipped``, the source's next state) and publishes nothing, so it
is tested against a local HTTP server without Kafka. Parsing, text
extraction and language detection run in ``executor``, off the event loop.
"""

from __future__ import annotations

import asyncio
import calendar
import hashlib
import logging
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from detectors.records import NewsItem

from .fetch import PAGE_ACCEPT, HostGate, fetch
from .fulltext import extract_text
from .language import MODEL_LANGUAGES, item_language, readable
from .model import PollerSettings, Source
from .parse import Entry, ParsedFeed, parse_feed
from .state import (
    SourceState,
    count_published,
    count_skipped,
    record_failure,
    record_success,
    remember,
)

log = logging.getLogger(__name__)

MAX_ID_CHARS = 200
NO_TEXT = "no text"


@dataclass
class PollResult:
    """What one poll found.

    items (list): new items, oldest first, for news.items.
    skipped (list): skip records (new entries not sent to the detectors, with the reason).
    state (SourceState): the source's state after this poll, to save once items are sent.
    error (str | None): why the poll failed, if it did.
    known (int): entries in the feed already published before.
    long_failing (bool): the source has been failing for ``failing_log_s``: log it.
    """

    state: SourceState
    items: list[NewsItem] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    not_modified: bool = False
    known: int = 0
    too_old: int = 0
    long_failing: bool = False


def item_id(source: str, entry_id: str) -> str:
    """``source:entry-id`` (hashed when the entry id is very long)."""
    if len(entry_id) > MAX_ID_CHARS:
        entry_id = "sha1:" + hashlib.sha1(entry_id.encode("utf-8")).hexdigest()
    return f"{source}:{entry_id}"


# A line ending in one of these already ends its sentence.
SENTENCE_END = tuple(".!?:;…\"'”’)")


def _sentence(line: str) -> str:
    """A headline or a paragraph as a sentence of its own.

    Headlines and extracted headings carry no full stop; without one the
    sentence splitter glues them to the next paragraph, and a strike told in
    the headline and again in the first sentence would read as one sentence
    with the numbers twice. No library does this one-line job.
    """
    line = " ".join(line.split())
    return line if not line or line.endswith(SENTENCE_END) else f"{line}."


def item_text(title: str | None, body: str, max_chars: int) -> str:
    """The title as the first paragraph (headlines carry the news), then the body's paragraphs."""
    paragraphs = [_sentence(p) for p in body.splitlines() if p.strip()]
    head = _sentence(title or "")
    if head and not (paragraphs and paragraphs[0].rstrip(".") == head.rstrip(".")):
        paragraphs.insert(0, head)
    return "\n\n".join(paragraphs)[:max_chars]


def build_item(
    source: Source, entry: Entry, body: str, feed_language: str | None, max_chars: int
) -> tuple[NewsItem | None, dict[str, Any] | None]:
    """(item, None) to publish, or (None, skip record) with the reason. CPU work: off the loop."""
    text = item_text(entry.title, body, max_chars)
    record = {
        "id": item_id(source.name, entry.id),
        "text": text,
        "title": entry.title,
        "url": entry.link,
        "source": source.name,
        "published": entry.published,
    }
    if not text:
        return None, skip_record(record, NO_TEXT, "the entry has no title, summary or text")
    language, how = item_language(
        text, configured=source.language, entry=entry.language, feed=feed_language
    )
    record["language"] = language
    if not readable(language):
        models = ", ".join(sorted(MODEL_LANGUAGES))
        reason = f"language {language!r} ({how}) is not one the NLP model reads ({models})"
        return None, skip_record(record, f"language:{language}", reason)
    return NewsItem.from_dict({k: v for k, v in record.items() if v is not None}), None


def skip_record(item: dict[str, Any], kind: str, reason: str) -> dict[str, Any]:
    """What goes to ``news.items.skipped``: the item, a short kind to count by, the reason."""
    return {
        "id": item["id"],
        "source": item["source"],
        "kind": kind,
        "reason": reason,
        "item": {k: v for k, v in item.items() if v is not None},
        "skipped_at": time.time(),
    }


def _too_old(entry: Entry, now: float, retention_s: float) -> bool:
    if not entry.published:
        return False
    published = calendar.timegm(time.strptime(entry.published, "%Y-%m-%dT%H:%M:%SZ"))
    return published < now - retention_s


async def full_text(
    session: aiohttp.ClientSession,
    url: str,
    *,
    settings: PollerSettings,
    gate: HostGate | None,
    executor: Executor | None,
) -> tuple[str | None, str | None]:
    """(article text, None) or (None, why not) for one entry's page."""
    page = await fetch(
        session,
        url,
        timeout_s=settings.page_timeout_s,
        max_bytes=settings.max_page_bytes,
        max_redirects=settings.max_redirects,
        accept=PAGE_ACCEPT,
        gate=gate,
    )
    if page.error:
        return None, page.error
    loop = asyncio.get_running_loop()
    text = await loop.run_in_executor(executor, lambda: extract_text(page.body, url=page.url))
    return (text, None) if text else (None, "no main text found on the page")


async def poll_source(
    source: Source,
    state: SourceState,
    *,
    session: aiohttp.ClientSession,
    settings: PollerSettings,
    gate: HostGate | None = None,
    executor: Executor | None = None,
    now: float | None = None,
) -> PollResult:
    """Poll ``source`` once; ``state`` is not changed (the result holds the next one)."""
    now = time.time() if now is None else now
    state = SourceState.from_dict(state.to_dict())
    if state.url != source.url:  # a new URL: its validators are not ours
        state.url, state.etag, state.last_modified = source.url, None, None
    result = PollResult(state=state)
    response = await fetch(
        session,
        source.url,
        timeout_s=settings.timeout_s,
        max_bytes=settings.max_feed_bytes,
        max_redirects=settings.max_redirects,
        etag=state.etag,
        last_modified=state.last_modified,
        gate=gate,
    )
    if response.error:
        return _failed(result, now, source, response.status, response.error, settings)
    if response.not_modified:
        record_success(state, now, every_s=source.every, status=304, warning=state.warning)
        result.not_modified = True
        return result
    loop = asyncio.get_running_loop()
    feed: ParsedFeed = await loop.run_in_executor(
        executor,
        lambda: parse_feed(response.body, url=response.url, content_type=response.content_type),
    )
    if feed.error:
        return _failed(result, now, source, response.status, feed.error, settings)
    state.etag, state.last_modified = response.etag, response.last_modified
    state.entries = len(feed.entries)

    new: list[Entry] = []
    ids_now: list[str] = []
    for entry in reversed(feed.entries):  # feeds list the newest first; publish oldest first
        if entry.id in ids_now:
            continue
        ids_now.append(entry.id)
        if state.is_seen(entry.id):
            result.known += 1
        elif _too_old(entry, now, settings.seen_retention_s):
            result.too_old += 1
        else:
            new.append(entry)

    for entry in new:
        body = entry.text
        if source.full_text and entry.link:
            text, why = await full_text(
                session, entry.link, settings=settings, gate=gate, executor=executor
            )
            if text and len(text) > len(body):
                body = text
            elif why:
                log.info(
                    "feed %s: no full text for %s (%s); using the summary",
                    source.name,
                    entry.link,
                    why,
                )
        item, skipped = await loop.run_in_executor(
            executor,
            build_item,
            source,
            entry,
            body,
            feed.language,
            settings.max_text_chars,
        )
        if item is not None:
            result.items.append(item)
        else:
            result.skipped.append(skipped)

    remember(state, ids_now, now, settings)
    count_published(state, len(result.items), now)
    count_skipped(state, [s["kind"] for s in result.skipped])
    state.too_old += result.too_old
    record_success(state, now, every_s=source.every, status=response.status, warning=feed.warning)
    return result


def _failed(
    result: PollResult,
    now: float,
    source: Source,
    status: int | None,
    error: str,
    settings: PollerSettings,
) -> PollResult:
    result.error = error
    result.long_failing = record_failure(
        result.state, now, every_s=source.every, status=status, error=error, settings=settings
    )
    return result
