"""Turn a group of detections into one notification: a title and a markdown body.

The built-in message says what happened (the detector's summary), how bad
(severity), who (actor → target, or the parties and relation), the numbers
(munitions, casualties, targets), the evidence sentence, and links to the
article (and to other articles on the same event). Several detections in
one group give one message that lists them, most severe first.

A channel's ``title``/``body`` templates replace the built-in text; see
``alerts.templates`` for the placeholders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .fields import as_list, detection_actors, severity_rank
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


def _plural(word: str, n: Any) -> str:
    return word if n == 1 else word + "s"


def munitions_text(munitions: Any) -> str:
    """``{"drone": 100, "missile": 20}`` → ``"100 drones, 20 missiles"``."""
    if not isinstance(munitions, Mapping):
        return ""
    return ", ".join(f"{n} {_plural(kind, n)}" for kind, n in munitions.items() if n)


def link(item: Mapping[str, Any]) -> str:
    """A markdown link to the article, or its title / id when it has no URL."""
    label = str(item.get("title") or item.get("source") or item.get("id") or "article")
    label = label.replace("[", "(").replace("]", ")")
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
    casualties = detection.get("casualties")
    casualties = casualties if isinstance(casualties, Mapping) else {}
    evidence = detection.get("evidence")
    evidence = evidence.get("text", "") if isinstance(evidence, Mapping) else ""
    severity = str(detection.get("severity", ""))

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    return {
        "detector": text(detection.get("detector")),
        "severity": severity,
        "SEVERITY": severity.upper(),
        "summary": text(detection.get("summary")),
        "evidence": " ".join(str(evidence).split()),
        "actor": text(detection.get("actor")),
        "target": text(detection.get("target")),
        "parties": ", ".join(as_list(detection.get("parties"))),
        "relation": text(detection.get("relation")),
        "actors": ", ".join(detection_actors(detection)),
        "rule": text(detection.get("rule")),
        "total": text(detection.get("total")),
        "munitions": munitions_text(detection.get("munitions")),
        "killed": text(casualties.get("killed")),
        "injured": text(casualties.get("injured")),
        "targets": ", ".join(as_list(detection.get("targets"))),
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


def _who(detection: Mapping[str, Any], names: Names | None) -> str:
    actor, target = detection.get("actor"), detection.get("target")
    if actor or target:
        left = _name(names, actor) if actor else "?"
        right = _name(names, target) if target else "?"
        return f"{left} → {right}"
    parties = as_list(detection.get("parties"))
    if parties:
        return " and ".join(_name(names, p) for p in parties)
    actors = detection_actors(detection)
    return ", ".join(_name(names, a) for a in actors)


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
    facts = [f"**{v['SEVERITY']}**", v["detector"]]
    who = _who(detection, names)
    if who:
        facts.append(who)
    lines.append(" · ".join(f for f in facts if f))
    details = []
    if v["munitions"] or v["total"]:
        total = f" (total {v['total']})" if v["total"] else ""
        details.append(f"- Munitions: {v['munitions'] or v['total']}{total}")
    casualties = [f"{v[k]} {k}" for k in ("killed", "injured") if v[k]]
    if casualties:
        details.append(f"- Casualties: {', '.join(casualties)}")
    if v["targets"]:
        details.append(f"- Targets: {v['targets']}")
    if v["parties"]:
        relation = f" · relation: {v['relation']}" if v["relation"] else ""
        details.append(f"- Parties: {v['parties']}{relation}")
    elif v["relation"]:
        details.append(f"- Relation: {v['relation']}")
    if v["rule"]:
        details.append(f"- Rule: {v['rule']}")
    if details:
        lines += ["", *details]
    if v["evidence"]:
        lines += ["", "> " + v["evidence"]]
    source = [v["link"], v["source"], v["published"]]
    lines += ["", "Source: " + " · ".join(s for s in source if s)]
    if v["also"]:
        lines.append("Also reported by: " + v["also"])
    return "\n".join(lines)


def _shorten(text: str, limit: int = MAX_TITLE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render(
    channel: Any,
    detections: list[Mapping[str, Any]],
    items: Mapping[str, Mapping[str, Any]],
    *,
    also: Mapping[str, list[str]] | None = None,
    names: Names | None = None,
) -> tuple[str, str]:
    """The title and markdown body of one notification for ``detections``.

    channel (Channel | ChannelSettings): supplies the name and templates.
    detections (list): wire dicts; listed most severe first (stable otherwise).
    items (Mapping): item id → item metadata (title, url, source, published).
    also (Mapping | None): detection id → ids of other items on the same
        event. Defaults to None.
    names (Mapping | Callable | None): state code → name for display.
        Defaults to None (codes are shown).
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
    lead = values[0]

    title_template = getattr(settings, "title", None)
    if title_template:
        title = fill(title_template, lead)
    elif count == 1:
        title = f"[{lead['SEVERITY']}] {lead['summary']}"
    else:
        title = f"[{lead['SEVERITY']}] {count} alerts: {lead['summary']} (+{count - 1} more)"

    body_template = getattr(settings, "body", None)
    if body_template:
        body = "\n\n---\n\n".join(fill(body_template, v) for v in values)
    elif count == 1:
        body = default_section(
            ordered[0], item_of(ordered[0]), also=others(ordered[0]), names=names
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
    return _shorten(title), body
