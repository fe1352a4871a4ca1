"""Read the generic fields of a detection dict (as on the wire).

alerts/ reads only what every detection kind fills (docs/contracts.md):
``detector``, ``severity``, ``summary``, ``evidence``, ``labels``, ``actors``,
``event`` and ``facts``, plus the article it came from. A kind's own fields
(strike ``munitions``, alliance ``relation``, ...) are for tools and for
``{detection[FIELD]}`` in templates, never for routing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from detectors.records import SEVERITIES

#: Bloc members: a mapping bloc name → member codes, or a callable name → codes.
Members = Mapping[str, Iterable[str]] | Callable[[str], Iterable[str]]


def severity_rank(severity: Any) -> int:
    """Position of ``severity`` in low < medium < high < critical; unknown values rank lowest."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


def detection_labels(detection: Mapping[str, Any]) -> dict[str, str]:
    """The detection's ``labels`` as text, always with ``detector`` and ``severity``."""
    labels = detection.get("labels")
    out = {str(k): str(v) for k, v in (labels or {}).items() if v is not None and v != ""}
    out.setdefault("detector", str(detection.get("detector", "")))
    out.setdefault("severity", str(detection.get("severity", "")))
    return out


def detection_actors(detection: Mapping[str, Any]) -> list[str]:
    """The states and blocs the detection involves (its ``actors``), sorted."""
    return sorted({str(a) for a in detection.get("actors") or [] if a})


def detection_event(detection: Mapping[str, Any]) -> str:
    """The detection's ``event`` key; a record without one is its detector and summary."""
    event = detection.get("event")
    if event:
        return str(event)
    summary = " ".join(str(detection.get("summary", "")).casefold().split())
    return f"{detection.get('detector', '')}|summary={summary}"


def detection_facts(detection: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The detection's ``facts`` as (name, value) pairs, in order."""
    out = []
    for fact in detection.get("facts") or []:
        if isinstance(fact, list | tuple) and len(fact) == 2:
            out.append((str(fact[0]), str(fact[1])))
    return out


def bloc_members(members: Members | None, bloc: str) -> frozenset[str]:
    """The member codes of ``bloc`` (case-insensitive name), or an empty set.

    members (Mapping | Callable | None): bloc name → member codes, e.g.
        ``Gazetteer.members``; a callable is called with the bloc name.
    bloc (str): the bloc name as written in config, e.g. "NATO".
    """
    if members is None:
        return frozenset()
    if callable(members) and not isinstance(members, Mapping):
        return frozenset(members(bloc) or ())
    if bloc in members:
        return frozenset(members[bloc])
    folded = bloc.casefold()
    for name, codes in members.items():
        if name.casefold() == folded:
            return frozenset(codes)
    return frozenset()
