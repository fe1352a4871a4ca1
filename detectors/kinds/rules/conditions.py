"""Rule conditions: their settings, their sentence tests and their gate words.

A condition of a rule (``phrases``, ``lemmas``, ``labels``, ``states``,
``in_bloc`` or ``number``) is checked and compiled into a ``Condition``: a
test of one sentence that returns the words that satisfied it, and the words
without which it cannot hold (for the gate). ``rule_triggers`` picks the words
a whole rule is gated on. The config reference is in ``detectors/kinds/rules.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span

from ...entities import Gazetteer
from ...language.counts import noun_count
from ...settings import ConfigError, Settings, load_settings
from .word_forms import word_forms

_CONDITION_KINDS = ("phrases", "lemmas", "labels", "states", "in_bloc", "number")


class NumberSettings(Settings):
    """A ``number`` condition.

    of (str | list[str]): lemmas of the counted noun, e.g. [troop, soldier]. Required.
    min (int): smallest number that matches. Defaults to 1.
    max (int | None): largest number that matches. Defaults to None (no limit).
    """

    of: str | list[str]
    min: int = 1
    max: int | None = None


class ConditionSettings(Settings):
    """One condition; exactly one of its fields is set."""

    phrases: str | list[str] | None = None
    lemmas: str | list[str] | None = None
    labels: str | list[str] | None = None
    states: str | list[str] | None = None
    in_bloc: str | None = None
    # A mapping checked against NumberSettings in compile_condition, so that
    # errors name the inner key (rules[0].all[1].number.min).
    number: dict[str, Any] | None = None


#: A check returns the words that satisfied it, or None when it does not hold.
Check = Callable[[Span], list[str] | None]


@dataclass(frozen=True)
class Condition:
    """A compiled condition.

    kind (str): which condition field was set (phrases, lemmas, ...).
    check (Check): the sentence test.
    triggers (tuple[str, ...] | None): words without which it cannot hold;
        None when it has none (``labels``).
    """

    kind: str
    check: Check
    triggers: tuple[str, ...] | None

    @property
    def is_text(self) -> bool:
        return self.triggers is not None


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _phrase_check(phrases: list[str]) -> Check:
    pattern = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in phrases)
    regex = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)

    def check(span: Span) -> list[str] | None:
        found = [m.group(0) for m in regex.finditer(span.text)]
        return found or None

    return check


def _lemma_check(lemmas: set[str]) -> Check:
    def check(span: Span) -> list[str] | None:
        found = [t.text for t in span if t.lemma_.lower() in lemmas or t.lower_ in lemmas]
        return found or None

    return check


def _label_check(labels: set[str]) -> Check:
    def check(span: Span) -> list[str] | None:
        found = [e.text for e in span.ents if e.label_ in labels]
        return found or None

    return check


def _actor_check(actors: frozenset[str]) -> Check:
    def check(span: Span) -> list[str] | None:
        found = [e.text for e in span.ents if e._.actor in actors]
        return found or None

    return check


def _number_check(nouns: set[str], low: int, high: int | None) -> Check:
    def check(span: Span) -> list[str] | None:
        found = []
        for token in span:
            if token.lemma_.lower() not in nouns and token.lower_ not in nouns:
                continue
            count = noun_count(token)
            if count and count.value >= low and (high is None or count.value <= high):
                found.append(token.doc.text[count.start : token.idx + len(token)])
        return found or None

    return check


def _aliases_of(gazetteer: Gazetteer, actors: Iterable[str]) -> tuple[str, ...]:
    """Gate phrases for a states/in_bloc condition: every way the gazetteer writes them."""
    return tuple(gazetteer.surface_forms(actors))


def _resolve_actor(value: str, gazetteer: Gazetteer, key: str) -> str:
    if value in gazetteer.names or value in gazetteer.members:
        return value
    if value.upper() in gazetteer.names or value.upper() in gazetteer.members:
        return value.upper()
    actor = gazetteer.resolve(value)
    if actor is None:
        raise ConfigError(
            key,
            f"unknown state or bloc {value!r}; use an ISO 3166-1 alpha-2 code (RU), a bloc "
            f"({', '.join(sorted(gazetteer.members))}) or add it under entities.states",
        )
    return actor


def compile_condition(
    settings: ConditionSettings, key: str, gazetteer: Gazetteer, model: str | None
) -> Condition:
    """Check one condition's settings and build its sentence test."""
    chosen = [k for k in _CONDITION_KINDS if getattr(settings, k) is not None]
    if len(chosen) != 1:
        got = ", ".join(chosen) if chosen else "none"
        raise ConfigError(
            key,
            f"a condition sets exactly one of {', '.join(_CONDITION_KINDS)} (got {got}); "
            "write each as its own list item",
        )
    kind = chosen[0]
    sub = f"{key}.{kind}"
    if kind == "in_bloc":
        bloc = _resolve_actor(str(settings.in_bloc), gazetteer, sub)
        if bloc not in gazetteer.members:
            raise ConfigError(sub, f"{bloc!r} is a state, not a bloc; use states: [{bloc}]")
        members = gazetteer.members[bloc]
        return Condition(kind, _actor_check(members), _aliases_of(gazetteer, members))
    if kind == "number":
        number = load_settings(NumberSettings, settings.number, sub)
        nouns = [n.strip().lower() for n in _as_list(number.of)]
        _check_words(nouns, f"{sub}.of", "a noun lemma")
        if number.min < 0:
            raise ConfigError(f"{sub}.min", f"must be 0 or more, got {number.min}")
        if number.max is not None and number.max < number.min:
            raise ConfigError(
                f"{sub}.max", f"must be at least min ({number.min}), got {number.max}"
            )
        forms = {f for n in nouns for f in word_forms(n, model)}
        check = _number_check(set(nouns), number.min, number.max)
        return Condition(kind, check, tuple(sorted(forms)))
    values = [v.strip() for v in _as_list(getattr(settings, kind))]
    if not values or not all(values):
        raise ConfigError(sub, "expected one or more non-empty values")
    if kind == "phrases":
        return Condition(kind, _phrase_check(values), tuple(v.lower() for v in values))
    if kind == "lemmas":
        lemmas = [v.lower() for v in values]
        _check_words(lemmas, sub, "a lemma")
        forms = {f for lemma in lemmas for f in word_forms(lemma, model)}
        return Condition(kind, _lemma_check(set(lemmas)), tuple(sorted(forms)))
    if kind == "labels":
        return Condition(kind, _label_check({v.upper() for v in values}), None)
    actors = frozenset(_resolve_actor(v, gazetteer, f"{sub}[{i}]") for i, v in enumerate(values))
    return Condition(kind, _actor_check(actors), _aliases_of(gazetteer, actors))


def _check_words(words: list[str], key: str, what: str) -> None:
    if not words:
        raise ConfigError(key, f"expected {what} or a list of them")
    for word in words:
        if not word or len(word.split()) != 1:
            raise ConfigError(
                key, f"expected {what} (one word), got {word!r}; use phrases for more"
            )


def rule_triggers(all_: Iterable[Condition], any_: Iterable[Condition]) -> tuple[str, ...] | None:
    """Words without which the rule cannot match, or None if there are none.

    Any one condition of ``all`` is enough, since it must hold; the ``any``
    group needs the triggers of all its conditions together. Phrases, lemmas
    and numbers are preferred to state and bloc aliases, which are often
    common words ("US", "Washington"): first a word condition of ``all``,
    then an ``any`` group of word conditions, then an alias condition of
    ``all``, then an ``any`` group that includes aliases.
    """
    all_, any_ = list(all_), list(any_)

    def words(condition: Condition) -> bool:
        return condition.is_text and condition.kind not in ("states", "in_bloc")

    def group(conditions: list[Condition]) -> tuple[str, ...]:
        return tuple(sorted({t for c in conditions for t in c.triggers or ()}))

    if first := next((c for c in all_ if words(c)), None):
        return first.triggers
    if any_ and all(words(c) for c in any_):
        return group(any_)
    if first := next((c for c in all_ if c.is_text), None):
        return first.triggers
    if any_ and all(c.is_text for c in any_):
        return group(any_)
    return None
