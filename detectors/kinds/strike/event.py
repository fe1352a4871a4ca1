"""The strike's ``event`` key: what places one attack apart from another.

Two reports are one event when they agree on the kind, the two sides and the
facts that place the attack (docs/contracts.md): the places named where it
hit (a city, a region; not the states, which are the sides), the part of the
day (night or day) and the weekday when the article gives them, and the size
of the attack within a tolerance. The size is the total rounded on a
logarithmic scale (a factor of about 1.4 per step), so "500 drones" and
"524 munitions" agree while "90 drones" is another attack; two counts either
side of a step boundary still split (an exact key cannot do better).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from spacy.tokens import Span

from detectors.entities.gazetteer import Gazetteer

#: Entity labels that name a place an attack can hit.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Prepositions that put a place where an attack landed ("on Odesa", "in Kharkiv region").
PLACE_PREPS = frozenset({"on", "in", "at", "against", "over", "near", "around", "across", "into"})
#: How a place entity's head word hangs in the sentence when it is where the attack hit.
PLACE_DEPS = frozenset({"dobj", "nsubjpass", "nsubj", "appos", "conj"})
#: Gazetteer kinds of a town (a place inside a state).
TOWN_KINDS = frozenset({"place", "capital"})
#: Words that put an attack at night or in the day.
NIGHT_WORDS = frozenset({"night", "overnight", "tonight", "nighttime", "evening", "nightly"})
DAY_WORDS = frozenset({"morning", "afternoon", "daytime", "midday", "noon", "daylight"})
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _where_hit(ent: Span) -> bool:
    """Whether the entity stands as a place the attack went to ("struck Odesa", "on
    Kharkiv"), not as a modifier of something else ("the same Beijing event")."""
    root = ent.root
    if root.dep_ == "pobj":
        return root.head.lower_ in PLACE_PREPS
    return root.dep_ in PLACE_DEPS


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("’s", "").replace("'s", "").split())


def places(spans: Iterable[Span], gazetteer: Gazetteer, target: str | None = None) -> list[str]:
    """Places where the attack hit, named in ``spans``, case-folded.

    A city or capital the gazetteer knows counts when it lies in ``target``
    (even where the parser took "Odesa overnight" for a time); another place
    entity counts when it stands where the attack went (``_where_hit``). The
    states themselves are the sides, already in the key.
    """
    found = set()
    for span in spans:
        for token in span:
            alias = gazetteer.lookup(token.text)
            if alias is not None and alias.kind in TOWN_KINDS and alias.actor == target:
                found.add(_fold(token.text))
        for ent in span.ents:
            if ent.label_ not in PLACE_LABELS or len(ent) == 1 and _fold(ent.text) in found:
                continue
            alias = gazetteer.lookup(ent.text)
            if alias is not None:
                if alias.kind in TOWN_KINDS and alias.actor == target:
                    found.add(_fold(ent.text))
                continue  # a state, or a town elsewhere ("the same Beijing event")
            if _where_hit(ent):
                found.add(_fold(ent.text))
    return sorted(found)


def when(spans: Iterable[Span], times: Iterable[str]) -> tuple[str, str]:
    """(part of day, weekday) the attack is told with; "" where the text does not say."""
    words = {t.lower_ for span in spans for t in span}
    for time in times:
        words.update(time.split())
    part = "night" if words & NIGHT_WORDS else "day" if words & DAY_WORDS else ""
    day = next((d for d in WEEKDAYS if d in words), "")
    return part, day


def size_step(total: int) -> int:
    """``total`` on a logarithmic scale (steps of a factor √2), the count tolerance."""
    return round(2 * math.log2(total)) if total > 0 else 0


def event_key(
    name: str,
    actor: str | None,
    target: str | None,
    spans: list[Span],
    times: Iterable[str],
    total: int,
    gazetteer: Gazetteer,
) -> str:
    """E.g. ``strike|actor=RU|target=UA|place=odesa|part=night|day=|size=18``.

    Empty when neither side is known (the summary then tells the attack apart).
    """
    if not (actor or target):
        return ""
    part, day = when(spans, times)
    fields = {
        "actor": actor or "",
        "target": target or "",
        "place": ",".join(places(spans, gazetteer, target)),
        "part": part,
        "day": day,
        "size": str(size_step(total)),
    }
    return "|".join([name, *(f"{k}={v}" for k, v in fields.items())])
