"""Plain functions that shape history rows for the pages and the JSON API.

Nothing here builds HTML: templates escape every value (autoescape); this
module only cuts text into parts, e.g. the article text around the evidence.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from alerts.fields import detection_actors, detection_facts, detection_labels
from detectors.settings import ConfigError, parse_duration

from ..history import Filters

CONTEXT_CHARS = 300
SEVERITIES = ("low", "medium", "high", "critical")


def safe_link(url: Any) -> str | None:
    """``url`` if it is http(s), else None (no ``javascript:`` links from article data)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def highlight(text: str, start: Any, end: Any, evidence: str = "") -> dict[str, str] | None:
    """``text`` cut around the evidence: {"before", "mark", "after"}; None if not found.

    The offsets are trusted only when they point at the evidence text; else the
    evidence is looked up in the text.
    """
    if not text:
        return None
    ok = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
    if ok and evidence and text[start:end].strip() != evidence.strip():
        ok = False
    if not ok and evidence:
        start = text.find(evidence)
        end = start + len(evidence)
        ok = start >= 0
    if not ok:
        return None
    return {"before": text[:start], "mark": text[start:end], "after": text[end:]}


def context(parts: dict[str, str] | None, chars: int = CONTEXT_CHARS) -> dict[str, str] | None:
    """The evidence with up to ``chars`` of text either side, cut at spaces."""
    if parts is None:
        return None
    before, after = parts["before"], parts["after"]
    if len(before) > chars:
        cut = before[-chars:]
        before = "… " + cut[cut.find(" ") + 1 :] if " " in cut else "… " + cut
    if len(after) > chars:
        cut = after[:chars]
        after = (cut[: cut.rfind(" ")] if " " in cut else cut) + " …"
    return {"before": before, "mark": parts["mark"], "after": after}


def detection_view(d: Mapping[str, Any], article: Mapping[str, Any] | None) -> dict[str, Any]:
    """One detection for a page: summary, facts, actors, labels, evidence in the article."""
    evidence = d.get("evidence") if isinstance(d.get("evidence"), Mapping) else {}
    parts = highlight(
        (article or {}).get("text") or "",
        evidence.get("start"),
        evidence.get("end"),
        str(evidence.get("text") or ""),
    )
    return {
        "id": d.get("id"),
        "item_id": d.get("item_id"),
        "detector": d.get("detector"),
        "severity": d.get("severity"),
        "summary": d.get("summary"),
        "facts": detection_facts(d),
        "actors": detection_actors(d),
        "labels": sorted(detection_labels(d).items()),
        "evidence": str(evidence.get("text") or ""),
        "in_text": parts,
        "context": context(parts),
        "article": article_view(article, d.get("item_id")),
    }


def article_view(article: Mapping[str, Any] | None, item_id: Any) -> dict[str, Any]:
    article = article or {}
    return {
        "id": article.get("id") or item_id,
        "title": article.get("title") or str(item_id or ""),
        "link": safe_link(article.get("url")),
        "source": article.get("source"),
        "published": article.get("published"),
    }


def alert_view(alert: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]]) -> dict:
    """One alert for a page, its detections with their evidence and also-reported articles."""
    items = alert.get("items") if isinstance(alert.get("items"), Mapping) else {}
    detections = []
    for d in alert.get("detections") or []:
        item_id = d.get("item_id")
        article = articles.get(item_id) or items.get(item_id)
        view = detection_view(d, article)
        also_ids = (alert.get("also") or {}).get(d.get("id")) or []
        view["also"] = [
            article_view(articles.get(i) or items.get(i) or {"id": i}, i) for i in also_ids
        ]
        detections.append(view)
    return {
        "id": alert.get("id"),
        "channel": alert.get("channel"),
        "severity": alert.get("severity"),
        "title": alert.get("title"),
        "created_at": alert.get("created_at"),
        "when": when(alert.get("created_at")),
        "delivery": alert.get("delivery"),
        "detections": detections,
    }


def item_ids_of(alerts: list[Mapping[str, Any]]) -> set[str]:
    ids: set[str] = set()
    for alert in alerts:
        for d in alert.get("detections") or []:
            ids.add(str(d.get("item_id")))
        for also in (alert.get("also") or {}).values():
            ids.update(str(i) for i in also)
    return ids


def when(ts: Any) -> str:
    if not isinstance(ts, int | float):
        return ""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


def iso(ts: Any) -> str:
    ts = ts if isinstance(ts, int | float) else 0
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FilterError(ValueError):
    """A filter value the console cannot read; the message names it."""


def parse_time(value: str, name: str, now: float | None = None) -> float | None:
    """``7d`` (that long ago), ``2026-12-01`` or ``2026-12-01T10:00`` (UTC) → POSIX seconds."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return (now if now is not None else time.time()) - parse_duration(value, name)
    except ConfigError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise FilterError(
            f"{name}: expected a time such as 2026-12-01, 2026-12-01T10:00 or an age such as "
            f"24h or 7d, got {value!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def filters_from(params: Mapping[str, str], page_size: int = 50) -> Filters:
    """Filters from query parameters (detector, severity, actor, channel, since, until, q, page)."""
    severity = params.get("severity", "")
    if severity and severity not in SEVERITIES:
        raise FilterError(f"severity: expected one of {', '.join(SEVERITIES)}, got {severity!r}")
    try:
        page = max(1, int(params.get("page") or 1))
    except ValueError:
        raise FilterError(f"page: expected a number, got {params.get('page')!r}") from None
    try:
        limit = min(500, max(1, int(params.get("limit") or page_size)))
    except ValueError:
        raise FilterError(f"limit: expected a number, got {params.get('limit')!r}") from None
    return Filters(
        detector=params.get("detector", "").strip(),
        severity=severity,
        actor=params.get("actor", "").strip(),
        channel=params.get("channel", "").strip(),
        since=parse_time(params.get("since", ""), "since"),
        until=parse_time(params.get("until", ""), "until"),
        q=params.get("q", "").strip(),
        limit=limit,
        offset=(page - 1) * limit,
    )
