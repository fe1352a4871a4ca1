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
  number attached, min <= number <= max ("3,000 troops", "5k troops",
  "thousands of soldiers"). Numbers are read by the numbers layer the strike
  detector uses too (``detectors.language.quantities``): digits ("3,000", "1.5k"),
  number words ("two thousand five hundred"), ranges as their lower end
  ("2,000 to 3,000" = 2,000), and vague words as the smallest they can mean,
  so a guess never crosses a threshold: "dozens" = 24, "several hundred" =
  300, "hundreds" = 200, "thousands" = 2,000, "tens of thousands" = 20,000.

Rules know background, as the built-in kinds do: a sentence that tells of the
past ("after the January 2015 attacks", "the 1950-53 Korean War", "last
year", "had deployed"), of what is only wished, planned or hypothetical
("hopes to", "could", "if"), or negated ("did not deploy") does not fire,
unless the rule sets ``background: allow``. The check reads the verbs that
govern the matched words (``language.modality``), never particular wordings.

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

Where each part lives: conditions, their settings and the gate words of a
rule in ``conditions``; numbers in ``quantities`` (read) and
``counts`` (found on a noun); word forms in ``word_forms``. This module holds
the rule settings, compiling the ``rules`` list, matching a rule on a sentence
and the detector.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from spacy.tokens import Span

from ...article import Article, Sentence
from ...base import Detector, detector_kinds, register
from ...entities import Gazetteer, mentions
from ...language.clauses import governors, lemma_of, lemmas
from ...language.modality import UNREAL_GOVERNORS, UNREAL_MODALS, is_background, is_unreal
from ...language.quantities import find_quantities
from ...language.text import join_names, shorten
from ...records import Detection
from ...settings import ConfigError, Settings, check_template, coerce
from .conditions import Condition, ConditionSettings, compile_condition, rule_triggers

if TYPE_CHECKING:
    from ...config import DetectorConfig

#: Placeholders a rule's ``summary`` may use.
PLACEHOLDERS = ("rule", "states", "codes", "sentence", "matched", "number", "title", "severity")
#: The summary used when a rule sets none.
DEFAULT_SUMMARY = "{rule}: {states}: {sentence}"
#: Longest sentence quoted in a summary, in characters.
MAX_SENTENCE_CHARS = 240
#: What ``{states}`` says when the sentence names no known state.
NO_STATES = "unknown parties"

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class RuleSettings(Settings):
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
    background (str): "veto" to skip sentences that tell of the past, of what is
        hypothetical or wished, or of what did not happen; "allow" to fire on them
        too. Defaults to "veto".
    """

    name: str
    all: list[ConditionSettings] = []
    any: list[ConditionSettings] = []
    exclude: list[ConditionSettings] = []
    severity: Literal["low", "medium", "high", "critical"] = "medium"
    summary: str = DEFAULT_SUMMARY
    enabled: bool = True
    max_per_article: int = 1
    background: Literal["veto", "allow"] = "veto"


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
        # A number condition's words begin with the count it read: "3,000 troops".
        counted = (find_quantities(w) for c, found in hits if c.kind == "number" for w in found)
        return Match(words, [qs[0].value for qs in counted if qs])


@dataclass(frozen=True)
class Match:
    """What satisfied a rule in one sentence.

    words (list[str]): the matched text, in condition order, without repeats.
    numbers (list[int]): the numbers read by its ``number`` conditions.
    """

    words: list[str]
    numbers: list[int]


def compile_rules(
    data: Any,
    gazetteer: Gazetteer,
    *,
    gating: bool = True,
    model: str | None = None,
    reserved: Iterable[str] = (),
) -> list[Rule]:
    """Check the top-level ``rules`` list and compile its enabled rules.

    data (Any): the ``rules`` list, validated (RuleSettings) or as read from
        YAML; None means no rules.
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
        check_template(rule.summary, f"{key}.summary", PLACEHOLDERS)
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
    named = join_names(names) if names else NO_STATES
    text = shorten(sentence.text, MAX_SENTENCE_CHARS)
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

    # Labels it adds (silences and group_by accept them).
    label_names = ("rule", "states")

    def __init__(self, rules: list[Rule], gazetteer: Gazetteer) -> None:
        super().__init__(rules, gazetteer)
        self.rules = rules

    # Rules are configured by the top-level ``rules`` list, not a ``detectors.rules`` section.
    Settings = None

    @classmethod
    def from_config(cls, config: DetectorConfig, gazetteer: Gazetteer) -> Detector | None:
        """Compile ``config.rules``; None when there is no enabled rule."""
        nlp = config.nlp
        reserved = [name for name in detector_kinds()]
        rules = compile_rules(
            config.rules, gazetteer, gating=nlp.gating, model=nlp.model, reserved=reserved
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
                if rule.settings.background == "veto" and told_as_background(
                    sentence.span, match, article.reference_year
                ):
                    continue
                states = sorted({m.actor for m in mentions(sentence.span, self.gazetteer)})
                summary = render_summary(rule, sentence, match, states, self.gazetteer, article)
                out.append(
                    Detection(
                        item_id=article.item.id,
                        detector=rule.name,
                        severity=rule.settings.severity,
                        summary=summary,
                        evidence=article.evidence(sentence),
                        fields={"rule": rule.name, "states": states, "matched": match.words},
                        labels={"rule": rule.name, "states": ",".join(states)},
                        actors=states,
                        event=f"{rule.name}|rule={rule.name}|actors={','.join(states)}",
                        facts=[("Rule", rule.name), ("Matched", ", ".join(match.words))],
                    )
                )
                found += 1
                if limit and found >= limit:
                    break
        return out


# Adverbs that make a matched event a habit or a story of old.
HABITUAL = frozenset({"repeatedly", "often", "frequently", "regularly", "routinely", "long"})
# Auxiliaries that make a matched event unreal for a rule.
RULE_MODALS = UNREAL_MODALS - {"would"}


def told_as_background(span: Span, match: Match, ref_year: int) -> bool:
    """True if the matched words tell of the past, the unreal or the negated.

    The event is the matched words and the verbs that govern them ("troops
    *deployed* after the January 2015 attacks", "hopes to *send* troops"); its
    clause's dates and tense decide, as for the built-in kinds.
    """
    firsts = {w.split()[0].lower() for w in match.words if w.strip()}
    heads = [t for t in span if t.lower_ in firsts or t.text.lower() in firsts]
    if not heads:
        return False
    # The event's verb: a matched verb, else the verb nearest above the matched word
    # (``is_unreal`` climbs on from there only as far as its complements reach).
    verbs: list = []
    for t in heads:
        chain = [t] if t.pos_ in ("VERB", "AUX") else governors(t)[:1]
        verbs += [v for v in chain if v not in verbs]
    for t in heads:  # "the UN has 19,000 troops deployed in Congo": a standing force
        if t.tag_ == "VBN" and t.dep_ in ("acl", "amod") and lemma_of(t.head.head) == "have":
            return True
    above = [v for t in heads for v in [t, *governors(t)[:3]]]
    if any(c.dep_ == "advmod" and c.lower_ in HABITUAL for v in above for c in v.children):
        return True  # "has repeatedly pressed for sanctions": a habit, not today's news
    # "said the talks would resume" announces; "could", "may", "if" do not.
    if verbs and is_unreal(verbs, modals=RULE_MODALS):
        return True
    # "Poland hopes the US will send troops": wished, even as a reported clause.
    # (A matched verb is the event itself: "called for sanctions" is the call.)
    events = [t if t.pos_ in ("VERB", "AUX") else next(iter(governors(t)), t) for t in heads]
    for event in events:
        wisher = event.head
        if event.dep_ in ("ccomp", "xcomp") and wisher not in heads:
            if lemmas(wisher) & UNREAL_GOVERNORS:
                return True
    return is_background(span, [*heads, *verbs], ref_year)
