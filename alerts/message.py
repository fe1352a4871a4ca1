"""Turn a group of detections into one notification: a title and a markdown body.

The built-in message says what happened (the detector's summary), how bad
(severity), who (the detection's ``actors``), the facts its kind lists
(munitions, casualties, parties, ...), the evidence sentence, and links to
the article (and to other articles on the same event). It reads only the
generic fields of a detection (docs/contracts.md), so every kind renders. Several detections in
one group give one message that lists them, most severe first.

A channel's ``title``/``body`` templates replace the built-in text; see
``alerts.templates`` for the placeholders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from detectors.language.text import shorten

from .fields import (
    detection_actors,
    detection_event,
    detection_facts,
    detection_labels,
    severity_rank,
)
from .templates import fill

#: State names for display: a mapping code → name, or a callable.
Names = Mapping[str, str] | Callable[[str], str]

MAX_TITLE = 250


def _name(names: Names | None, code: str) -> str:
    if names is None:
        return code
    if callable(names) and not isinstance(names, Mapping):
        return names(code) or code
    return names.get(code, code)


def article_name(item: Mapping[str, Any]) -> str:
    """How people know an article: its title, else the file it was read from, else its source.

    Never only an id hash: a replayed file without a title is named by its
    file name (``source``, as replay sets it); the id is the last resort.
    """
    for key in ("title", "source", "id"):
        value = str(item.get(key) or "").strip()
        if value:
            if key == "source" and "/" in value:
                value = value.rstrip("/").rsplit("/", 1)[-1] or value
            return value
    return "article"


def link(item: Mapping[str, Any]) -> str:
    """A markdown link to the article, or its name (``article_name``) when it has no URL."""
    label = article_name(item).replace("[", "(").replace("]", ")")
    url = item.get("url")
    return f"[{label}]({url})" if url else label


def detection_values(
    detection: Mapping[str, Any],
    item: Mapping[str, Any] | None,
    *,
    channel: str = "",
    also: Iterable[Mapping[str, Any]] = (),
    names: Names | None = None,
) -> dict[str, Any]:
    """The template values (all text) for one detection; see ``templates.PLACEHOLDERS``."""
    item = item or {}
    evidence = detection.get("evidence")
    evidence = evidence.get("text", "") if isinstance(evidence, Mapping) else ""
    severity = str(detection.get("severity", ""))
    facts = detection_facts(detection)

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    return {
        "detector": text(detection.get("detector")),
        "severity": severity,
        "SEVERITY": severity.upper(),
        "summary": text(detection.get("summary")),
        "evidence": " ".join(str(evidence).split()),
        "actors": ", ".join(detection_actors(detection)),
        "names": ", ".join(_name(names, a) for a in detection_actors(detection)),
        "facts": "; ".join(f"{name}: {value}" for name, value in facts),
        "event": detection_event(detection),
        "labels": detection_labels(detection),
        "item_id": text(detection.get("item_id") or item.get("id")),
        "title": text(item.get("title")),
        "url": text(item.get("url")),
        "source": text(item.get("source")),
        "published": text(item.get("published")),
        "link": link({"id": detection.get("item_id"), **item}),
        "also": ", ".join(link(other) for other in also),
        "detection": dict(detection),
        "channel": channel,
        "count": "1",
        "summaries": text(detection.get("summary")),
    }


def default_section(
    detection: Mapping[str, Any],
    item: Mapping[str, Any] | None,
    *,
    also: Iterable[Mapping[str, Any]] = (),
    names: Names | None = None,
    heading: str = "",
) -> str:
    """The built-in markdown text for one detection."""
    v = detection_values(detection, item, also=also, names=names)
    lines = [heading or f"**{v['summary']}**", ""]
    lines.append(" · ".join(f for f in (f"**{v['SEVERITY']}**", v["detector"], v["names"]) if f))
    details = [f"- {name}: {value}" for name, value in detection_facts(detection)]
    if details:
        lines += ["", *details]
    if v["evidence"]:
        lines += ["", "> " + v["evidence"]]
    named = article_name({"id": detection.get("item_id"), **(item or {})})
    shown_source = v["source"] if v["source"] != named else ""  # not "x.txt · x.txt"
    source = [v["link"], shown_source, v["published"]]
    lines += ["", "Source: " + " · ".join(s for s in source if s)]
    if v["also"]:
        lines.append("Also reported by: " + v["also"])
    return "\n".join(lines)


def render(
    channel: Any,
    detections: list[Mapping[str, Any]],
    items: Mapping[str, Mapping[str, Any]],
    *,
    also: Mapping[str, list[str]] | None = None,
    names: Names | None = None,
    updates: Iterable[str] = (),
) -> tuple[str, str]:
    """The title and markdown body of one notification for ``detections``.

    channel (Channel | ChannelSettings): supplies the name and templates.
    detections (list): wire dicts; listed most severe first (stable otherwise).
    items (Mapping): item id → item metadata (title, url, source, published).
    also (Mapping | None): detection id → ids of other items on the same
        event. Defaults to None.
    names (Mapping | Callable | None): state code → name for display.
        Defaults to None (codes are shown).
    updates (Iterable[str]): ids of detections that update an event notified
        before; their title and heading say "Update". Defaults to ().
    """
    if not detections:
        raise ValueError("render() needs at least one detection")
    settings = getattr(channel, "settings", channel)
    name = str(getattr(settings, "name", ""))
    also = also or {}
    ordered = sorted(detections, key=lambda d: -severity_rank(d.get("severity")))
    count = len(ordered)

    def item_of(d: Mapping[str, Any]) -> Mapping[str, Any]:
        return items.get(str(d.get("item_id")), {})

    def others(d: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        return [items.get(i, {"id": i}) for i in also.get(str(d.get("id")), [])]

    values = [
        detection_values(d, item_of(d), channel=name, also=others(d), names=names) for d in ordered
    ]
    group = {
        "channel": name,
        "count": str(count),
        "summaries": "; ".join(v["summary"] for v in values),
    }
    for v in values:
        v.update(group)
    updated = set(updates)
    for d, v in zip(ordered, values, strict=True):
        if str(d.get("id")) in updated:
            v["summary"] = f"Update: {v['summary']}"
    lead = values[0]

    title_template = getattr(settings, "title", None)
    if title_template:
        title = fill(title_template, lead)
    elif count == 1:
        title = f"[{lead['SEVERITY']}] {lead['summary']}"
    else:  # a digest: every event is named, none hides behind the first
        title = f"[{lead['SEVERITY']}] {count} alerts: " + "; ".join(v["summary"] for v in values)

    body_template = getattr(settings, "body", None)
    if body_template:
        body = "\n\n---\n\n".join(fill(body_template, v) for v in values)
    elif count == 1:
        body = default_section(
            ordered[0],
            item_of(ordered[0]),
            also=others(ordered[0]),
            names=names,
            heading=f"**{lead['summary']}**",
        )
    else:
        sections = [
            default_section(
                d, item_of(d), also=others(d), names=names, heading=f"### {i}. {v['summary']}"
            )
            for i, (d, v) in enumerate(zip(ordered, values, strict=True), start=1)
        ]
        where = f" on {name}" if name else ""
        body = f"{count} alerts{where}:\n\n" + "\n\n---\n\n".join(sections)
    return shorten(title, MAX_TITLE), body
