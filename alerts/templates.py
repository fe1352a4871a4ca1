"""Custom ``title``/``body`` templates of a channel: placeholders, checks, filling.

Templates use ``str.format`` syntax. Every value is text (missing ones are
empty), so format specs for text work (``{summary:.80}``, ``{actor:>4}``)
and numeric ones (``{total:d}``) do not. ``{detection[FIELD]}`` reaches any
field of the detection, including fields of rule detections.

The body template is filled once per detection and the parts are joined
with a ``---`` line; the title template is filled once, with the values of
the most severe detection of the group plus the group placeholders.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from detectors.settings import ConfigError

#: Placeholder → what it holds. Shown in errors and documented in README.
PLACEHOLDERS: dict[str, str] = {
    "detector": "detector name, e.g. strike",
    "severity": "low, medium, high or critical",
    "SEVERITY": "severity in capitals",
    "summary": "the detector's one-sentence summary",
    "evidence": "the sentence the detection rests on",
    "actor": "strike: attacking state",
    "target": "strike: attacked state",
    "parties": "alliance: parties, comma separated",
    "relation": "alliance: treaty, pact, partnership, ...",
    "actors": "every state or bloc named, comma separated",
    "rule": "rule detections: the rule name",
    "total": "strike: munitions in total",
    "munitions": "strike: e.g. '100 drones, 20 missiles'",
    "killed": "strike: people killed",
    "injured": "strike: people injured",
    "targets": "strike: what was hit, comma separated",
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

_FORMATTER = string.Formatter()


class _Blank(dict):
    """A dict that answers "" for a missing key, so ``{detection[x]}`` never fails."""

    def __missing__(self, key: Any) -> str:
        return ""


def check_template(template: str, key: str) -> None:
    """Raise ConfigError at ``key`` if ``template`` is malformed or uses unknown placeholders."""
    try:
        fields = [f for _, f, _, _ in _FORMATTER.parse(template) if f is not None]
    except ValueError as exc:
        raise ConfigError(
            key, f"malformed template ({exc}); write a literal brace as {{{{ or }}}}"
        ) from None
    for field_name in fields:
        root = field_name.split("[", 1)[0]
        if "." in root:
            raise ConfigError(key, f"attribute access {{{field_name}}} is not supported")
        if root not in PLACEHOLDERS:
            known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            shown = "{" + field_name + "}" if field_name else "{}"
            raise ConfigError(key, f"unknown placeholder {shown}; known placeholders are: {known}")
    sample = {name: "x" for name in PLACEHOLDERS if name != "detection"}
    try:
        fill(template, sample)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        raise ConfigError(key, f"template cannot be filled ({exc}); values are text") from None


def fill(template: str, values: Mapping[str, Any]) -> str:
    """Fill ``template`` with ``values``; placeholders without a value become ""."""
    blank = _Blank({name: "" for name in PLACEHOLDERS})
    blank.update(values)
    blank["detection"] = _Blank(values.get("detection") or {})
    return template.format_map(blank)
