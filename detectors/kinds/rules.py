"""User rules: detectors written in config, not code.

Rules live under the top-level ``rules:`` key of the config. Each rule looks at
one sentence at a time and fires when all of its ``all`` conditions, at least
one of its ``any`` conditions (if it has any) and none of its ``exclude``
conditions hold in that sentence::

    rules:
      - name: troop-deployment          # the Detection's ``detector`` (and ``rule``) field
        severity: high                  # low | medium | high | critical. Defaults to medium.
        summary: "{states}: {number} troops deployed"
        all:
          - number: {of: [troop, soldier], min: 1000}
          - lemmas: [deploy, send]
        exclude:
          - lemmas: [withdraw]

A condition sets exactly one of:

- ``phrases``: any of these phrases, case-insensitive, on word boundaries
  (list variants yourself: "air defence", "air defences", "air defense").
- ``lemmas``: any token whose lemma (or lower-case text) is one of these
  ("deploy" matches "deployed"; not "deployment", which has its own lemma).
- ``labels``: any named entity with one of these spaCy labels (GPE, NORP, ...).
- ``states``: any entity that resolves to one of these states or blocs. Codes
  ("RU"), bloc names ("NATO") or any alias the gazetteer knows ("Russia").
- ``in_bloc``: any entity that resolves to a member state of this bloc
  ("in_bloc: NATO" matches "Poland", not "NATO" itself; use ``states: [NATO]``
  for the bloc).
- ``number``: ``{of: [noun lemmas], min: N, max: M}``: one of the nouns with a
  number attached, min <= number <= max ("3,000 troops", "thousands of
  soldiers"). Numbers are read by a small local reader (digits, number words,
  and vague plurals read as lower bounds: "thousands" = 2,000, "tens of
  thousands" = 20,000).

A rule is at most ``max_per_article`` detections per article (default 1: the
first sentence that matches), so one story does not alert ten times.

A rule's ``summary`` template may use ``{rule}``, ``{states}`` (names of the
states and blocs in the sentence, "Poland and Russia", or "unknown parties"),
``{codes}`` ("PL, RU"), ``{sentence}`` (the sentence, cut at 240 characters),
``{matched}`` (the matched words), ``{number}`` (the largest number a
``number`` condition read, "3,000"; empty without one), ``{title}`` (the
item's title) and ``{severity}``. Other placeholders are config errors.

Each firing rule gives a Detection whose ``detector`` and ``rule`` fields are
the rule's name, with ``states`` (every state or bloc the sentence names,
sorted) and ``matched`` (the words that satisfied the conditions). Rule names
must not be the name of a built-in detector kind.

Gating: the gate only parses sentences that contain a trigger, so every rule
needs words without which it cannot match. In order of preference: the first
phrases/lemmas/number condition of ``all``; else the ``any`` group if all its
conditions are phrases/lemmas/number; else the first states/in_bloc condition
of ``all`` (by the gazetteer's aliases, which are often common words); else
the ``any`` group if all its conditions have words. A rule that can match
without any word of its own (say, only ``labels``) is rejected while
``nlp.gating`` is on. Lemmas and number nouns are expanded to word forms with
the spaCy model's own lemma tables (regular suffixes and irregular forms such
as send → sent).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from spacy.tokens import Span, Token

from ..article import Article, Sentence
from ..base import Detector, detector_kinds, register
from ..entities import Gazetteer
from ..records import Detection
from ..settings import ConfigError, coerce, load_settings

#: Placeholders a rule's ``summary`` may use.
PLACEHOLDERS = ("rule", "states", "codes", "sentence", "matched", "number", "title", "severity")
#: The summary used when a rule sets none.
DEFAULT_SUMMARY = "{rule}: {states}: {sentence}"
#: Longest sentence quoted in a summary, in characters.
MAX_SENTENCE_CHARS = 240
#: What ``{states}`` says when the sentence names no known state.
NO_STATES = "unknown parties"

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_CONDITION_KINDS = ("phrases", "lemmas", "labels", "states", "in_bloc", "number")


@dataclass(frozen=True)
class NumberSettings:
    """A ``number`` condition.

    of (str | list[str]): lemmas of the counted noun, e.g. [troop, soldier]. Required.
    min (int): smallest number that matches. Defaults to 1.
    max (int | None): largest number that matches. Defaults to None (no limit).
    """

    of: str | list[str]
    min: int = 1
    max: int | None = None


@dataclass(frozen=True)
class ConditionSettings:
    """One condition; exactly one of its fields is set."""

    phrases: str | list[str] | None = None
    lemmas: str | list[str] | None = None
    labels: str | list[str] | None = None
    states: str | list[str] | None = None
    in_bloc: str | None = None
    # A mapping checked against NumberSettings in compile_condition, so that
    # errors name the inner key (rules[0].all[1].number.min).
    number: dict[str, Any] | None = None


@dataclass(frozen=True)
class RuleSettings:
    """One entry of the top-level ``rules`` list.

    name (str): lower-case letters, digits, - and _; becomes the Detection's detector. Required.
    all (list): conditions that must all hold in the sentence. Defaults to [].
    any (list): conditions of which at least one must hold, if given. Defaults to [].
    exclude (list): conditions of which none may hold. Defaults to [].
    severity (str): low, medium, high or critical. Defaults to "medium".
    summary (str): template for the Detection summary. Defaults to "{rule}: {states}: {sentence}".
    enabled (bool): run this rule. Defaults to True.
    max_per_article (int): detections per article at most, first sentences first; 0 for
        no limit. Defaults to 1.
    """

    name: str
    all: list[ConditionSettings] = field(default_factory=list)
    any: list[ConditionSettings] = field(default_factory=list)
    exclude: list[ConditionSettings] = field(default_factory=list)
    severity: Literal["low", "medium", "high", "critical"] = "medium"
    summary: str = DEFAULT_SUMMARY
    enabled: bool = True
    max_per_article: int = 1


# ---------------------------------------------------------------------------
# Numbers: a small reader for "3,000", "1.5 thousand", "two thousand five
# hundred", "thousands", "tens of thousands".

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Vague plurals, read as their lower bound ("thousands" = at least 2,000).
_VAGUE = {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000,
          "millions": 1_000_000, "billions": 1_000_000_000}  # fmt: skip
_DIGITS = re.compile(r"^(\d+(?:,\d{3})*(?:\.\d+)?|\d*\.\d+)(k|m|bn)?$")
_SUFFIX = {None: 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}


def read_number(words: Iterable[str]) -> int | None:
    """The first number in a run of words, or None.

    words (Iterable[str]): tokens such as ["more", "than", "10,000"]. Words before
        the number are skipped; the number ends at the first word that is not
        part of it, so a range "2,000 to 3,000" reads as its lower end.
    """
    total, current, seen = 0.0, 0.0, False
    for raw in words:
        word = raw.lower().strip()
        parts = [word] if _DIGITS.match(word) else [p for p in word.split("-") if p]
        for part in parts:
            match = _DIGITS.match(part)
            if seen and part in ("and", "of", "-"):
                continue
            if match:
                if seen:
                    return _finish(total, current)
                current = float(match.group(1).replace(",", "")) * _SUFFIX[match.group(2)]
            elif part in _UNITS:
                unit = _UNITS[part]
                # "twenty five", "hundred twenty" add up; "ten twenty" is two numbers.
                if seen and not (current % 100 == 0 or (current % 10 == 0 and unit < 10)):
                    return _finish(total, current)
                current += unit
            elif part in _SCALES:
                current = (current if seen and current else 1) * _SCALES[part]
                if _SCALES[part] >= 1_000:
                    total, current = total + current, 0.0
            elif part == "dozen":
                current = (current if seen and current else 1) * 12
            elif part in _VAGUE:
                # "thousands" is at least 2,000; "tens of thousands" at least 20,000.
                base = (total + current) if seen else 2
                total, current = 0.0, base * _VAGUE[part]
            elif seen:
                return _finish(total, current)
            else:
                continue
            seen = True
    return _finish(total, current) if seen else None


def _finish(total: float, current: float) -> int:
    return int(round(total + current))


def _number_like(token: Token) -> bool:
    lower = token.lower_
    return token.like_num or lower in _VAGUE or lower in ("dozen", "dozens")


def count_of(token: Token) -> tuple[int, Span] | None:
    """The number attached to a noun token and the span that says it, or None.

    Reads "3,000 troops" (nummod), "1.5 thousand soldiers", and "thousands of
    troops" / "tens of thousands of troops" (the noun under "of").
    """
    doc = token.doc
    words = [c for c in token.children if c.dep_ == "nummod" and c.i < token.i]
    words += [
        c
        for c in token.children
        if c.dep_ in ("quantmod", "compound", "amod") and c.i < token.i and _number_like(c)
    ]
    if words:
        first = min(t.left_edge.i for t in words)
        value = read_number(t.text for t in doc[first : token.i])
        if value is not None:
            return value, doc[first : token.i + 1]
    # "thousands of troops": troops <-pobj- of <-prep- thousands
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of" and _number_like(head.head):
        top = head.head
        first = top.left_edge.i
        value = read_number(t.text for t in doc[first : head.i])
        if value is not None:
            return value, doc[first : token.i + 1]
    return None


# ---------------------------------------------------------------------------
# Word forms of a lemma, for the gate.

# The English rule lemmatizer's suffix rules (form suffix, lemma suffix), used
# in reverse when the model's own tables cannot be read.
_FALLBACK_RULES = [
    ("s", ""), ("es", ""), ("ies", "y"), ("ves", "f"), ("men", "man"),
    ("es", "e"), ("ed", "e"), ("ed", ""), ("ied", "y"), ("ing", "e"), ("ing", ""),
]  # fmt: skip


@lru_cache(maxsize=8)
def lemma_tables(model: str) -> tuple[tuple[tuple[str, str], ...], dict[str, frozenset[str]]]:
    """Suffix rules and irregular forms (lemma → forms) from a spaCy model's lemmatizer.

    model (str): the model's load name or path. Returns the fallback rules and
        no irregular forms when the model has no readable lemma tables.
    """
    from spacy.lookups import Lookups
    from spacy.util import get_package_path

    try:
        root = Path(model) if Path(model).exists() else get_package_path(model)
        path = next(root.glob("**/lemmatizer/lookups/lookups.bin"))
        lookups = Lookups().from_disk(path.parent)
        rules_table = lookups.get_table("lemma_rules")
        exc_table = lookups.get_table("lemma_exc")
    except Exception:  # no package, no lemmatizer, or another layout: fall back
        return tuple(_FALLBACK_RULES), {}
    rules = {tuple(r) for pos in ("noun", "verb") for r in rules_table.get(pos, [])}
    rules.add(("ied", "y"))
    irregular: dict[str, set[str]] = {}
    for pos in ("noun", "verb", "adj", "adv"):
        for form, lemmas in exc_table.get(pos, {}).items():
            for lemma in lemmas:
                irregular.setdefault(lemma, set()).add(form)
    return tuple(sorted(rules)), {k: frozenset(v) for k, v in irregular.items()}


def word_forms(lemma: str, model: str | None = None) -> list[str]:
    """Inflected forms of ``lemma``: deploy → deploy, deploys, deployed, deploying.

    lemma (str): a lower-case lemma. Over-generation is harmless: forms that
        are not words never occur in text.
    model (str | None): spaCy model whose lemma tables add irregular forms
        (send → sent). Defaults to None (suffix rules only).
    """
    rules, irregular = lemma_tables(model) if model else (tuple(_FALLBACK_RULES), {})
    forms = {lemma}
    for form_suffix, lemma_suffix in rules:
        if lemma.endswith(lemma_suffix):
            forms.add(lemma[: len(lemma) - len(lemma_suffix)] + form_suffix)
    # Doubled final consonant: plan → planned, planning; ship → shipped.
    if re.search(r"[^aeiou][aeiou][bdgklmnprtv]$", lemma):
        forms.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})
    forms.update(irregular.get(lemma, ()))
    return sorted(forms)


# ---------------------------------------------------------------------------
# Compiled conditions.

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
            count = count_of(token)
            if count and count[0] >= low and (high is None or count[0] <= high):
                found.append(count[1].text)
        return found or None

    return check


def _aliases_of(gazetteer: Gazetteer, actors: Iterable[str]) -> tuple[str, ...]:
    wanted = set(actors)
    return tuple(sorted(alias for alias, actor in gazetteer.aliases.items() if actor in wanted))


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


# ---------------------------------------------------------------------------
# Compiled rules.


@dataclass(frozen=True)
class Rule:
    """A compiled rule: its settings, its conditions and its gate triggers."""

    settings: RuleSettings
    all: tuple[Condition, ...]
    any: tuple[Condition, ...]
    exclude: tuple[Condition, ...]
    triggers: tuple[str, ...] | None

    @property
    def name(self) -> str:
        return self.settings.name

    def match(self, span: Span) -> Match | None:
        """What satisfied the rule in this sentence, or None if it does not fire."""
        hits: list[tuple[Condition, list[str]]] = []
        for condition in self.all:
            found = condition.check(span)
            if found is None:
                return None
            hits.append((condition, found))
        if self.any:
            any_hits = [(c, found) for c in self.any if (found := c.check(span)) is not None]
            if not any_hits:
                return None
            hits += any_hits
        if any(c.check(span) is not None for c in self.exclude):
            return None
        words = list(dict.fromkeys(w for _, found in hits for w in found))
        counted = (read_number(w.split()) for c, found in hits if c.kind == "number" for w in found)
        return Match(words, [n for n in counted if n is not None])


@dataclass(frozen=True)
class Match:
    """What satisfied a rule in one sentence.

    words (list[str]): the matched text, in condition order, without repeats.
    numbers (list[int]): the numbers read by its ``number`` conditions.
    """

    words: list[str]
    numbers: list[int]


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


def _check_summary(template: str, key: str) -> None:
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise ConfigError(
            key, f"bad template ({exc}); write literal braces as {{{{ and }}}}"
        ) from exc
    for name in fields:
        if name not in PLACEHOLDERS:
            raise ConfigError(
                key,
                f"unknown placeholder {{{name}}}; known: "
                + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
            )


def compile_rules(
    data: Any,
    gazetteer: Gazetteer,
    *,
    gating: bool = True,
    model: str | None = None,
    reserved: Iterable[str] = (),
) -> list[Rule]:
    """Check the top-level ``rules`` list and compile its enabled rules.

    data (Any): the value of ``rules`` from the config; None means no rules.
    gazetteer (Gazetteer): resolves ``states`` and ``in_bloc`` values.
    gating (bool): whether the gate is on; then every rule needs trigger words.
        Defaults to True.
    model (str | None): spaCy model whose lemma tables inflect lemmas. Defaults to None.
    reserved (Iterable[str]): names rules may not take (the built-in kinds). Defaults to ().
    """
    settings: list[RuleSettings] = coerce([] if data is None else data, list[RuleSettings], "rules")
    reserved = set(reserved)
    seen: dict[str, int] = {}
    rules = []
    for i, rule in enumerate(settings):
        key = f"rules[{i}]"
        if not _NAME.match(rule.name):
            raise ConfigError(
                f"{key}.name",
                f"expected lower-case letters, digits, - and _ (e.g. troop-deployment), "
                f"got {rule.name!r}",
            )
        if rule.name in reserved:
            raise ConfigError(
                f"{key}.name",
                f"{rule.name!r} is the name of a built-in detector kind; pick another "
                f"(taken: {', '.join(sorted(reserved))})",
            )
        if rule.name in seen:
            raise ConfigError(
                f"{key}.name", f"{rule.name!r} is already used by rules[{seen[rule.name]}]"
            )
        seen[rule.name] = i
        if rule.max_per_article < 0:
            raise ConfigError(f"{key}.max_per_article", "must be 0 (no limit) or more")
        _check_summary(rule.summary, f"{key}.summary")
        if not rule.all and not rule.any:
            raise ConfigError(key, "a rule needs at least one condition under all or any")

        def build(group: str, conditions: list[ConditionSettings], key: str = key) -> tuple:
            return tuple(
                compile_condition(c, f"{key}.{group}[{j}]", gazetteer, model)
                for j, c in enumerate(conditions)
            )

        all_, any_ = build("all", rule.all), build("any", rule.any)
        exclude = build("exclude", rule.exclude)
        triggers = rule_triggers(all_, any_)
        if triggers is None and gating:
            raise ConfigError(
                key,
                "this rule has no words to gate on: add a phrases, lemmas, number, states or "
                "in_bloc condition under all (or use only such conditions under any), "
                "or turn gating off with nlp.gating: false",
            )
        if rule.enabled:
            rules.append(Rule(rule, all_, any_, exclude, triggers))
    return rules


def render_summary(
    rule: Rule, sentence: Sentence, match: Match, states: list[str],
    gazetteer: Gazetteer, article: Article,
) -> str:  # fmt: skip
    """Fill the rule's summary template for one match."""
    names = [gazetteer.name(s) for s in states]
    if not names:
        named = NO_STATES
    elif len(names) == 1:
        named = names[0]
    else:
        named = ", ".join(names[:-1]) + " and " + names[-1]
    text = " ".join(sentence.text.split())
    if len(text) > MAX_SENTENCE_CHARS:
        text = text[: MAX_SENTENCE_CHARS - 1].rstrip() + "…"
    values = {
        "rule": rule.name,
        "states": named,
        "codes": ", ".join(states),
        "sentence": text,
        "matched": ", ".join(match.words),
        "number": f"{max(match.numbers):,}" if match.numbers else "",
        "title": article.item.title or "",
        "severity": rule.settings.severity,
    }
    return rule.settings.summary.format(**values)


@register("rules")
class RulesDetector(Detector):
    """Runs every enabled rule of the top-level ``rules`` config list."""

    def __init__(self, rules: list[Rule], gazetteer: Gazetteer) -> None:
        super().__init__(rules, gazetteer)
        self.rules = rules

    @classmethod
    def from_config(cls, config: Mapping[str, Any], gazetteer: Gazetteer) -> Detector | None:
        """Compile ``config["rules"]``; None when there is no enabled rule."""
        from ..pipeline import NlpSettings

        if "rules" in (config.get("detectors") or {}):
            raise ConfigError(
                "detectors.rules", "rules are configured under the top-level `rules:` key"
            )
        nlp = load_settings(NlpSettings, config.get("nlp"), "nlp")
        reserved = [name for name in detector_kinds()]
        rules = compile_rules(
            config.get("rules"), gazetteer, gating=nlp.gating, model=nlp.model, reserved=reserved
        )
        return cls(rules, gazetteer) if rules else None

    def triggers(self) -> list[str]:
        return sorted({t for rule in self.rules for t in rule.triggers or ()})

    def detect(self, article: Article) -> list[Detection]:
        out = []
        for rule in self.rules:
            limit = rule.settings.max_per_article
            found = 0
            for sentence in article.sentences:
                match = rule.match(sentence.span)
                if match is None:
                    continue
                states = sorted({e._.actor for e in sentence.span.ents if e._.actor})
                summary = render_summary(rule, sentence, match, states, self.gazetteer, article)
                out.append(
                    Detection(
                        item_id=article.item.id,
                        detector=rule.name,
                        severity=rule.settings.severity,
                        summary=summary,
                        evidence=article.evidence(sentence),
                        fields={"rule": rule.name, "states": states, "matched": match.words},
                    )
                )
                found += 1
                if limit and found >= limit:
                    break
        return out
