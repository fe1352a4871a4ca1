"""Who is who: the entity layer that ties spaCy entities to states and blocs.

``add_entity_layer`` adds one component, ``newswatch_actors``, after the NER.
It does three cheap things on every parsed window:

1. fixes the small model's known misses with a case-sensitive PhraseMatcher
   over the gazetteer's aliases: it tags names the NER left out, relabels
   exact matches the NER got wrong ("Kursk" PRODUCT → GPE, "Trump" ORG →
   PERSON, "Belgorod" PERSON → GPE) and splits entities that glue names
   together ("Mali, Burkina Faso" ORG → two GPEs); it trims a trailing
   possessive off entities ("Xi Jinping’s" → "Xi Jinping");
2. sets ``Span._.actor`` (an ISO 3166-1 alpha-2 code such as "RU", or a bloc
   name such as "NATO") and ``Span._.actor_kind`` (see ``gazetteer.KINDS``)
   on every entity the gazetteer resolves;
3. resolves a surname alone ("Kim") when the window named the person in full
   before ("Kim Jong Un").

With gating, a window may start after the full name; ``mentions(span,
gazetteer, preceding=...)`` resolves against the whole article text instead,
so detectors get the same answer with gating on or off.

The data lives in ``detectors/entities/data/*.yml``; the ``entities`` config section
extends it::

    entities:
      states: {RU: [Rosneft, Rosatom]}         # more aliases for a state
      groups: {YE: [Ansarullah]}               # armed groups, by the state they fight from
      blocs:
        Weimar Triangle: {aliases: [Weimar triangle], members: [DE, FR, PL]}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import model_validator
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..settings import ConfigError, Settings
from .gazetteer import (
    ACTING_KINDS,
    KINDS,
    Alias,
    Gazetteer,
    fold,
    known_codes,
    normalise,
    variants,
)

__all__ = [
    "ACTING_KINDS",
    "KINDS",
    "Alias",
    "BlocSettings",
    "EntitySettings",
    "Gazetteer",
    "Mention",
    "actors",
    "add_entity_layer",
    "fold",
    "mentions",
    "normalise",
]


class BlocSettings(Settings):
    """One bloc under ``entities.blocs``: a new one, or more for a shipped one.

    aliases (list[str]): names that resolve to the bloc. Defaults to [].
    members (list[str]): ISO 3166-1 alpha-2 codes of member states, added to
        any shipped members. Defaults to [].
    leaders (list[str]): officials who speak for the bloc. Defaults to [].
    display (str): how a summary names it, e.g. "the Weimar Triangle". Defaults to
        the bloc's name (or the shipped display name).
    """

    aliases: list[str] = []
    members: list[str] = []
    leaders: list[str] = []
    display: str = ""


class EntitySettings(Settings):
    """The ``entities`` config section.

    states (dict[str, list[str]]): extra aliases by ISO 3166-1 alpha-2 code,
        e.g. ``{RU: [Shoigu]}``. Each resolves on its own, and wins over a
        shipped alias of the same text. Defaults to {}.
    blocs (dict[str, BlocSettings]): extra blocs, or more aliases and members
        for shipped ones, by bloc name. Defaults to {}.
    groups (dict[str, list[str]]): extra non-state armed groups by the ISO code of
        the state they fight from, e.g. ``{YE: [Ansarullah]}``; shipped ones are in
        ``data/armed_groups.yml``. Defaults to {}.
    """

    states: dict[Any, list[str]] = {}
    blocs: dict[str, BlocSettings] = {}
    groups: dict[Any, list[str]] = {}

    @model_validator(mode="after")
    def _check(self) -> EntitySettings:
        codes = known_codes()
        for code in self.states:
            _check_code(code, f"states.{code}", codes)
        for code in self.groups:
            _check_code(code, f"groups.{code}", codes)
        for name, bloc in self.blocs.items():
            key = f"blocs.{name}"
            if name in codes:
                raise ConfigError(
                    key,
                    f"{name!r} is a state code, so it cannot name a bloc; use the bloc's "
                    "full name (e.g. 'African Union' rather than 'AU') and list the short "
                    "form under aliases",
                )
            for i, member in enumerate(bloc.members):
                _check_code(member, f"{key}.members[{i}]", codes)
        return self


def _check_code(code: Any, key: str, codes: frozenset[str]) -> None:
    if isinstance(code, bool):
        raise ConfigError(
            key,
            "YAML read this code as true/false; quote it, e.g. 'NO' for Norway",
        )
    if not isinstance(code, str) or code not in codes:
        hint = f" (did you mean {code.upper()!r}?)" if str(code).upper() in codes else ""
        raise ConfigError(
            key,
            f"{code!r} is not an ISO 3166-1 alpha-2 code{hint}; use two capital letters "
            "such as RU, US or GB (XK for Kosovo)",
        )


# -- spaCy component ------------------------------------------------------

if not Span.has_extension("actor"):
    Span.set_extension("actor", default=None)
if not Span.has_extension("actor_kind"):
    Span.set_extension("actor_kind", default=None)

# The NER label an added entity gets, and the labels it may keep, by kind.
_LABEL = {
    "name": "GPE",
    "capital": "GPE",
    "place": "GPE",
    "territory": "GPE",
    "demonym": "NORP",
    "prefix": "NORP",
    "institution": "ORG",
    "bloc": "ORG",
    "leader": "PERSON",
    "alias": "ORG",
    "group": "ORG",
}
_ACCEPTED = {
    "name": {"GPE", "LOC", "NORP", "ORG", "FAC"},
    "capital": {"GPE", "LOC", "ORG", "FAC"},
    "place": {"GPE", "LOC", "FAC"},
    "territory": {"GPE", "LOC"},
    "demonym": {"NORP", "GPE"},
    "prefix": {"NORP", "GPE"},
    "institution": {"ORG", "FAC", "GPE", "NORP"},
    "bloc": {"ORG", "GPE", "NORP"},
    "leader": {"PERSON"},
    "alias": {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT"},
    "group": {"ORG", "NORP"},
}
# Tokens an entity may have besides the names in it and still be split ("Mali, Burkina Faso").
_GLUE = {"punct", "cc", "det", "case"}
_POSSESSIVE_TOKENS = {"'s", "’s", "'", "’"}


def add_entity_layer(nlp: Language, gazetteer: Gazetteer) -> None:
    """Add (or replace) the ``newswatch_actors`` component at the end of ``nlp``."""
    if "newswatch_actors" in nlp.pipe_names:
        nlp.remove_pipe("newswatch_actors")
    component = nlp.add_pipe("newswatch_actors", last=True)
    component.set_gazetteer(gazetteer)


@Language.factory("newswatch_actors")
def _make_actors(nlp: Language, name: str) -> EntityLayer:
    return EntityLayer(nlp)


class EntityLayer:
    """Fixes entity spans and labels, then sets ``_.actor`` and ``_.actor_kind``.

    nlp (Language): the pipeline (its vocab and tokenizer build the matcher).
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.gazetteer: Gazetteer | None = None
        self.matcher: PhraseMatcher | None = None

    def set_gazetteer(self, gazetteer: Gazetteer) -> None:
        """Use ``gazetteer`` and build the matcher of its aliases (case-sensitive)."""
        self.gazetteer = gazetteer
        matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        by_kind: dict[str, set[str]] = {}
        for surface in gazetteer.surfaces():
            by_kind.setdefault(surface.kind, set()).update(variants(surface.text))
        for kind, texts in sorted(by_kind.items()):
            matcher.add(kind, list(self.nlp.tokenizer.pipe(sorted(texts))))
        self.matcher = matcher

    def __call__(self, doc: Doc) -> Doc:
        if self.gazetteer is None or self.matcher is None:
            return doc
        doc.ents = self._fixed_ents(doc)
        for ent in doc.ents:
            found = self.gazetteer.lookup(ent.text)
            if found is None and self.gazetteer.is_surname(ent.text):
                found = self.gazetteer.lookup(ent.text, doc.text[: ent.start_char])
            ent._.actor = found.actor if found else None
            ent._.actor_kind = found.kind if found else None
        return doc

    def _fixed_ents(self, doc: Doc) -> list[Span]:
        strings = doc.vocab.strings
        # Matches carry their kind as label until placed; filter_spans keeps the longest.
        found = [Span(doc, s, e, label=strings[m]) for m, s, e in self.matcher(doc)]
        # A combining form names a state only before a hyphen: "Sino-Russian", not "Franco".
        found = [m for m in found if m.label_ != "prefix" or _before_hyphen(m)]
        matches = filter_spans(found)
        ents: list[Span] = []
        used: set[int] = set()  # indices of matches placed
        for ent in doc.ents:
            ent = _trim_possessive(ent)
            inside = [i for i, m in enumerate(matches) if ent.start <= m.start and m.end <= ent.end]
            exact = [
                i for i in inside if (matches[i].start, matches[i].end) == (ent.start, ent.end)
            ]
            if exact:
                match = matches[exact[0]]
                keep = ent.label_ in _ACCEPTED[match.label_]
                ents.append(ent if keep else _as_entity(match))
                used.add(exact[0])
            elif inside and _only_glue(ent, [matches[i] for i in inside]):
                ents.extend(_as_entity(matches[i]) for i in inside)
                used.update(inside)
            else:
                ents.append(ent)
        for i, match in enumerate(matches):
            if i in used:
                continue
            overlapping = [e for e in ents if e.start < match.end and match.start < e.end]
            if all(match.start <= e.start and e.end <= match.end for e in overlapping):
                # No overlap, or the match covers whole entities: the longer name wins.
                ents = [e for e in ents if e not in overlapping]
                ents.append(_as_entity(match))
        return sorted(ents, key=lambda e: e.start)


def _before_hyphen(span: Span) -> bool:
    return span.end < len(span.doc) and span.doc[span.end].text in ("-", "–")


def _as_entity(match: Span) -> Span:
    """A matched alias (labelled with its kind) as an entity with the NER label for that kind."""
    return Span(match.doc, match.start, match.end, label=_LABEL[match.label_])


def _trim_possessive(ent: Span) -> Span:
    if len(ent) > 1 and ent[-1].text in _POSSESSIVE_TOKENS:
        return Span(ent.doc, ent.start, ent.end - 1, label=ent.label)
    return ent


def _only_glue(ent: Span, inside: list[Span]) -> bool:
    covered = {t.i for m in inside for t in m}
    rest = [t for t in ent if t.i not in covered]
    return all(t.dep_ in _GLUE or t.is_punct or t.lower_ in ("and", "the") for t in rest)


# -- lookups for detectors ------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A state or bloc named in a span.

    actor (str): ISO 3166-1 alpha-2 code or bloc name.
    kind (str): how it is named (see ``gazetteer.KINDS``).
    span (Span): the entity.
    """

    actor: str
    kind: str
    span: Span

    @property
    def acting(self) -> bool:
        """True if the name stands for the state or bloc itself, not a place in it."""
        return self.kind in ACTING_KINDS


def mentions(span: Span, gazetteer: Gazetteer, preceding: str = "") -> list[Mention]:
    """States and blocs named in ``span``, in text order.

    span (Span): a sentence (or any span) of a doc that ran the entity layer.
    gazetteer (Gazetteer): the gazetteer to resolve with.
    preceding (str): the article text before ``span``. An entity the layer
        left unresolved is looked up again with it, so a surname resolves
        after a full name anywhere earlier in the article. Defaults to "".
    """
    out = []
    for ent in span.ents:
        actor, kind = ent._.actor, ent._.actor_kind
        if actor is None and preceding and gazetteer.is_surname(ent.text):
            before = preceding + span.doc[span.start : ent.start].text_with_ws
            found = gazetteer.lookup(ent.text, before)
            if found:
                actor, kind = found.actor, found.kind
        if actor is not None:
            out.append(Mention(actor, kind or "name", ent))
    return out


def actors(
    span: Span,
    gazetteer: Gazetteer,
    preceding: str = "",
    *,
    kinds: Iterable[str] = ACTING_KINDS,
) -> list[str]:
    """Distinct actors named in ``span`` by a mention of one of ``kinds``, in text order.

    kinds (Iterable[str]): which kinds count. Defaults to the acting kinds
        (not places or territories).
    """
    wanted = set(kinds)
    seen: dict[str, None] = {}
    for mention in mentions(span, gazetteer, preceding):
        if mention.kind in wanted:
            seen.setdefault(mention.actor)
    return list(seen)
