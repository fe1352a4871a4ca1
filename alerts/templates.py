"""Custom ``title``/``body`` templates of a channel: placeholders, checks, filling.

Templates use ``str.format`` syntax. Every value is text (missing ones are
empty), so format specs for text work (``{summary:.80}``, ``{detector:>8}``)
and numeric ones (``{count:d}``) do not. ``{labels[NAME]}`` reaches any label
of the detection (``{labels[actor]}``), ``{detection[FIELD]}`` any field,
including a kind's own (``{detection[total]}``).

The body template is filled once per detection and the parts are joined
with a ``---`` line; the title template is filled once, with the values of
the most severe detection of the group plus the group placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from detectors.settings import ConfigError
from detectors.settings import check_template as check_placeholders

#: Placeholder → what it holds. Shown in errors and documented in README.
PLACEHOLDERS: dict[str, str] = {
    "detector": "detector name, e.g. strike",
    "severity": "low, medium, high or critical",
    "SEVERITY": "severity in capitals",
    "summary": "the detector's one-sentence summary",
    "evidence": "the sentence the detection rests on",
    "actors": "states and blocs involved, codes, comma separated",
    "names": "states and blocs involved, names, comma separated",
    "facts": "the kind's facts, e.g. 'Munitions: 100 drones (total 100); Casualties: 2 killed'",
    "event": "the event key, e.g. strike|actor=RU|target=UA",
    "labels": "the detection's labels: {labels[NAME]}, e.g. {labels[actor]}",
    "item_id": "id of the news item",
    "title": "article title",
    "url": "article link",
    "source": "article source",
    "published": "article publication time (ISO 8601)",
    "link": "markdown link to the article",
    "also": "other articles on the same event, as markdown links",
    "detection": "the detection itself: {detection[FIELD]}",
    "channel": "channel name",
    "count": "detections in this message",
    "summaries": "all summaries of the message, '; ' separated",
}


class _Blank(dict):
    """A dict that answers "" for a missing key, so ``{detection[x]}`` never fails."""

    def __missing__(self, key: Any) -> str:
        return ""


def check_template(template: str, key: str) -> None:
    """Raise ConfigError at ``key`` if ``template`` is malformed or uses unknown placeholders."""
    check_placeholders(template, key, PLACEHOLDERS)
    sample = {name: "x" for name in PLACEHOLDERS if name not in ("detection", "labels")}
    try:
        fill(template, sample)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        raise ConfigError(key, f"template cannot be filled ({exc}); values are text") from None


def fill(template: str, values: Mapping[str, Any]) -> str:
    """Fill ``template`` with ``values``; placeholders without a value become ""."""
    blank = _Blank({name: "" for name in PLACEHOLDERS})
    blank.update(values)
    blank["detection"] = _Blank(values.get("detection") or {})
    blank["labels"] = _Blank(values.get("labels") or {})
    return template.format_map(blank)
