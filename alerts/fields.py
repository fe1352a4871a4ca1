"""Read the fields alerts care about from a detection dict (as on the wire).

Detections are plain dicts (``Detection.to_dict()``); detector kinds add
their own fields beside the base ones. The helpers here are the one place
that knows which of those fields name states or blocs, and how severities
order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from detectors.records import SEVERITIES

# Fields that hold a state code or bloc name (str) or a list of them:
# strike ``actor``/``target``, alliance ``parties``, rule ``actors``/``states``.
ACTOR_FIELDS = ("actor", "target", "parties", "actors", "states")

#: Bloc members: a mapping bloc name → member codes, or a callable name → codes.
Members = Mapping[str, Iterable[str]] | Callable[[str], Iterable[str]]


def severity_rank(severity: Any) -> int:
    """Position of ``severity`` in low < medium < high < critical; unknown values rank lowest."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


def as_list(value: Any) -> list[str]:
    """A field value as a list of non-empty strings (None → [], "RU" → ["RU"])."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return [str(v) for v in value if v is not None and v != ""]
    return [str(value)]


def detection_actors(detection: Mapping[str, Any]) -> list[str]:
    """Every state or bloc a detection names, in field order, without repeats."""
    seen: dict[str, None] = {}
    for name in ACTOR_FIELDS:
        for actor in as_list(detection.get(name)):
            seen.setdefault(actor, None)
    return list(seen)


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
