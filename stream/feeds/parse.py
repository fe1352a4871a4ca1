"""Feed bytes → entries, with feedparser (RSS 0.9x/1.0/2.0, Atom, RDF).

A malformed feed that feedparser can still read (its "bozo" flag set, entries
found) is read, with the problem kept as a warning; a body with no feed in it
is an error. Each entry gets a stable id (``entry_id``), a plain-text summary
(HTML turned into text), an ISO 8601 UTC ``published`` and a language when
the feed says one.
"""

from __future__ import annotations

import calendar
import hashlib
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import feedparser
import lxml.html
from lxml.etree import ParserError
from trafilatura import html2txt

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Entry:
    """One feed entry, read.

    id (str): guid/id, else link, else ``sha1:`` + hash of title and date.
    text (str): the longest of content and summary, as plain text ("" if none).
    """

    id: str
    title: str | None
    link: str | None
    published: str | None
    text: str
    language: str | None


@dataclass
class ParsedFeed:
    """A feed's entries, or the error that stopped reading it.

    warning (str | None): a problem feedparser read past (malformed XML, wrong encoding).
    """

    entries: list[Entry] = field(default_factory=list)
    title: str | None = None
    language: str | None = None
    error: str | None = None
    warning: str | None = None


def plain_text(value: str | None, content_type: str | None = "text/html") -> str:
    """HTML (a summary or content) as plain text; plain text stays as it is."""
    if not value or not value.strip():
        return ""
    if content_type not in HTML_TYPES and "<" not in value:
        return " ".join(value.split())
    try:
        fragment = lxml.html.fragment_fromstring(value, create_parent="div")
    except (ParserError, ValueError):
        return " ".join(value.split())
    return " ".join(html2txt(fragment).split())


def iso_utc(parsed: time.struct_time | None) -> str | None:
    """feedparser's UTC struct_time as ISO 8601 (``2026-12-02T00:30:00Z``)."""
    if parsed is None:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(parsed)))
    except (OverflowError, ValueError):
        return None


def entry_id(entry: Any) -> str:
    """The entry's guid/id, else its link, else a hash of its title and date.

    The same story must get the same id on every poll, whatever else changes
    in the entry (an edited summary is not a new story). An entry with neither
    title nor date is hashed by its summary: it has nothing else to tell it apart.
    """
    for key in ("id", "link"):
        value = (entry.get(key) or "").strip()
        if value:
            return value
    title = (entry.get("title") or "").strip()
    date = (entry.get("published") or entry.get("updated") or entry.get("created") or "").strip()
    seed = f"{title}\n{date}" if title or date else (entry.get("summary") or "").strip()
    return "sha1:" + hashlib.sha1(seed.encode("utf-8")).hexdigest()


def _text(entry: Any) -> str:
    """The longest of the entry's content blocks and summary, as plain text."""
    candidates = [
        plain_text(block.get("value"), block.get("type")) for block in entry.get("content") or []
    ]
    detail = entry.get("summary_detail") or {}
    candidates.append(plain_text(entry.get("summary"), detail.get("type", "text/html")))
    return max(candidates, key=len)


def _language(entry: Any) -> str | None:
    for key in ("title_detail", "summary_detail"):
        language = (entry.get(key) or {}).get("language")
        if language:
            return language
    return None


def _entry(entry: Any, base_url: str) -> Entry:
    link = (entry.get("link") or "").strip()
    title = plain_text(entry.get("title"), (entry.get("title_detail") or {}).get("type")) or None
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    return Entry(
        id=entry_id(entry),
        title=title,
        link=urljoin(base_url, link) if link else None,
        published=iso_utc(published),
        text=_text(entry),
        language=_language(entry),
    )


def parse_feed(body: bytes, *, url: str = "", content_type: str | None = None) -> ParsedFeed:
    """Read a feed body. ``content_type`` (with its charset) and ``url`` help decoding."""
    # No content-location: feedparser would resolve relative guids against it, and
    # an entry's id must not change when the feed moves. Links are resolved here.
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, feedparser.NonXMLContentType):  # text/plain etc.: harmless
        problem = None
    problem_text = f"{problem.__class__.__name__}: {problem}" if problem else None
    feed = parsed.get("feed") or {}
    if not parsed.entries and (problem is not None or not parsed.get("version")):
        why = problem_text or "no RSS, Atom or RDF document found"
        return ParsedFeed(error=f"not a readable feed ({why})")
    return ParsedFeed(
        entries=[_entry(e, url) for e in parsed.entries],
        title=plain_text(feed.get("title")) or None,
        language=feed.get("language") or None,
        warning=problem_text,
    )
