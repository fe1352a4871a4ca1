"""Large military strikes: munitions counted per type, who struck whom, what was hit.

How a sentence becomes a strike (all from the dependency parse and lemmas):

1. Munition words ("drones", "Shaheds", "ballistic missiles", "glide bombs",
   "artillery rounds", ...) are found and counted with the numbers layer
   (``detectors.language.quantities``): "roughly 500 drones", "two dozen missiles",
   "hundreds of drones", "a 500-drone attack". "524 drones and missiles" is
   one count for both types.
2. Each count gets a role by climbing the parse to the word that governs it:
   launched ("Russia fired 500 drones", "attacked Kyiv with 40 missiles",
   "drones hit the grid", "a barrage of 40 missiles"), intercepted ("shot down
   450 of the drones", "100 were shot down"), or none ("supplied 500 shells",
   "produces 2,700 drones", "the record of 728 drones", "500 drones lit up the
   sky"). Only launched and intercepted counts make a strike. Verbs that can go
   either way ("used", "sent", "deployed") need a sign of hostility in the
   sentence (an attack noun, a target, casualties, interceptions).
3. Counts in one sentence form one attack unless the parse says otherwise:
   a different attacker, a different time ("on Monday" vs "on Tuesday"), a
   gapped second clause, or "another". Attacks in different sentences are never
   added up; a sentence that only reports interceptions adds them to the
   attack before it.
4. An attack is dropped when it is a show or a test ("light show", "test-fired",
   "drill"), in the past ("80 years ago", "in 1944", "during the Blitz", "World
   War", an anniversary remembered without a date of today), a running total
   or a rate ("since the start of the war", "this year", "in July", "a day",
   "during the 78-day operation"), hypothetical ("could launch"), denied ("did
   not fire"), a reference to another attack ("the record 728 drones"), or
   drones launched by no one we can name at nothing we can name ("launched 60
   drones to search for survivors").
5. Launched counts are what is counted; intercepted ones are kept apart in
   ``intercepted``. When only interceptions are reported for a type, at least
   that many were launched, so that number counts as launched.

The attacker comes from the subject of the launching verb (or "by Russia",
"Russian drones", "Russia's attack", "from Russia"), else from the sentence
before; the target from "on/at/against/across Ukraine", the object of
"attacked"/"struck", or the side whose air defences intercepted. What was hit
and the casualties come from the sentence and, when ``read_next_sentence``, the
sentence after it ("The assault damaged energy infrastructure ..., injuring at
least four railway workers"), which the gate parses for it (``next_sentence_triggers``),
or the sentence before when that one tells of the attack's toll.

Fields: ``munitions`` {type: launched count} for the types counted on their own
("524 drones and missiles" alone gives ``total`` 524 and no per-type split),
``total``, ``actor`` and ``target`` (ISO alpha-2 or None), ``casualties``
{killed, injured} (a key only when the article gives the figure), ``targets``
(categories of what was hit, in order), and ``intercepted`` {type: count} (see docs/contracts.md).
Summaries keep the hedges: "Russia struck Ukraine with ~500 drones and 24
missiles; energy infrastructure hit; 4 injured".

Where each step lives: munition words and counts with their roles in
``munitions`` (on ``language.counts`` and ``attack_words``); vetoes in
``vetoes``; grouping counts into attacks in ``grouping``;
attacker and target in ``parties``; what was hit and the casualties in
``hit_targets`` and ``casualties``; the summary line in ``summary``.
This module holds the settings and the flow: sentences with munitions →
mentions → attacks → one detection per large attack.

Severity: an attack is reported only when large (``min_total`` munitions or
``min_missiles`` missiles). It is "medium", "high" when it reaches
``high_total`` munitions, ``high_missiles`` missiles, ``high_killed`` killed or
``high_injured`` injured, and "critical" at the ``critical_*`` thresholds.
"""

from __future__ import annotations

from pydantic import model_validator

from ...article import Article, Sentence
from ...base import Detector, register
from ...entities import Gazetteer
from ...language.clauses import lemma_of
from ...language.quantities import Quantity
from ...language.text import plural
from ...records import Detection
from ...settings import ConfigError, Settings
from .attack_words import is_attack_noun
from .casualties import casualties
from .event import event_key
from .grouping import Attack, add_interceptions, group_attacks
from .hit_targets import hit_targets
from .munitions import (
    AIR_PHRASES,
    KINDS,
    MUNITION_FORMS,
    ROUND_PHRASES,
    Mention,
    find_mentions,
    munition_kind,
    uncounted_attack,
)
from .parties import StrikeParties
from .summary import attack_summary, outcome_tail

# A next sentence with one of these words is about something else.
SEPARATE_LEMMAS = frozenset({"separate", "separately", "elsewhere", "meanwhile", "earlier"})


class StrikeSettings(Settings):
    """The ``detectors.strike`` section.

    enabled (bool): run this detector. Defaults to True.
    min_total (int): munitions in one attack that make it large. Defaults to 50.
    min_missiles (int): missiles in one attack that make it large. Defaults to 10.
    min_killed (int): people killed that make an attack large without a count of its
        munitions ("an air strike on a hospital killed 27"). Defaults to 20.
    high_total (int): munitions for severity "high". Defaults to 200.
    high_missiles (int): missiles for severity "high". Defaults to 30.
    high_killed (int): people killed for severity "high". Defaults to 5.
    high_injured (int): people injured for severity "high". Defaults to 20.
    critical_total (int): munitions for severity "critical". Defaults to 500.
    critical_missiles (int): missiles for severity "critical". Defaults to 60.
    critical_killed (int): people killed for severity "critical". Defaults to 20.
    critical_injured (int): people injured for severity "critical". Defaults to 100.
    read_next_sentence (bool): also read the sentence after an attack for damage and
        casualties; the gate then parses the sentence after each munition word. Defaults to True.
    """

    enabled: bool = True
    min_total: int = 50
    min_missiles: int = 10
    min_killed: int = 20
    high_total: int = 200
    high_missiles: int = 30
    high_killed: int = 5
    high_injured: int = 20
    critical_total: int = 500
    critical_missiles: int = 60
    critical_killed: int = 20
    critical_injured: int = 100
    read_next_sentence: bool = True

    @model_validator(mode="after")
    def _check(self) -> StrikeSettings:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if type(value) is int and value < 1:
                raise ConfigError(name, f"must be 1 or more, got {value}")
        # Each step must be at least the one below it: min <= high <= critical.
        for what in ("total", "missiles", "killed", "injured"):
            # min_killed makes an attack large; it is no step of severity.
            levels = ("high", "critical")
            if what in ("total", "missiles"):
                levels = ("min", *levels)
            steps = [f"{level}_{what}" for level in levels]
            steps = [name for name in steps if hasattr(self, name)]
            for lower, upper in zip(steps, steps[1:], strict=False):
                low, high = getattr(self, lower), getattr(self, upper)
                if high < low:
                    raise ConfigError(
                        upper,
                        f"must be at least {lower} ({low}), got {high}; "
                        f"raise {upper} or lower {lower}",
                    )
        return self


@register("strike")
class StrikeDetector(Detector):
    """Large military strikes, with munitions, attacker, target, damage and casualties."""

    # Labels it adds (silences and group_by accept them).
    label_names = ("actor", "target")

    Settings = StrikeSettings

    def __init__(self, settings: StrikeSettings, gazetteer: Gazetteer) -> None:
        super().__init__(settings, gazetteer)
        self.parties = StrikeParties(gazetteer)

    def triggers(self) -> list[str]:
        return sorted(MUNITION_FORMS) + ROUND_PHRASES + AIR_PHRASES

    def next_sentence_triggers(self) -> list[str]:
        return self.triggers() if self.settings.read_next_sentence else []

    def detect(self, article: Article) -> list[Detection]:
        attacks: list[Attack] = []
        for sentence in article.sentences:
            if not any(t.lower_ in MUNITION_FORMS or munition_kind(t) for t in sentence.span):
                continue  # the gate only guarantees sentences with a munition word
            mentions = find_mentions(sentence.span) or _uncounted(sentence)
            if not mentions:
                continue
            previous = article.previous(sentence)
            for attack in group_attacks(sentence, mentions, previous, self.parties):
                launched = [m for m in attack.mentions if m.role == "launched"]
                if not launched and attacks and attacks[-1].sentence.index < sentence.index:
                    add_interceptions(attacks[-1], attack)
                    continue
                if attacks and _next_wave(attacks[-1], attack):
                    _join(attacks[-1], attack)  # waves of one night are one attack
                    continue
                attacks.append(attack)
        kept: dict[tuple, Attack] = {}
        for attack in attacks:
            munitions, _, total, _ = attack.counts()
            key = (attack.actor, repr(sorted(munitions.items())), total)
            if total == 1:  # an uncounted strike retold: the first telling names it
                key = ("uncounted", tuple(munitions))
            if key in kept:  # the same attack told twice: keep the first telling
                add_interceptions(kept[key], attack)
                continue
            kept[key] = attack
        out = []
        for attack in kept.values():
            detection = self._detection(article, attack)
            if detection is not None:
                out.append(detection)
        return out

    def _next_sentence(self, article: Article, sentence: Sentence) -> Sentence | None:
        """The sentence after, when it goes on about the same attack."""
        if not self.settings.read_next_sentence:
            return None
        if sentence.index + 1 >= len(article.sentences):
            return None
        nxt = article.sentences[sentence.index + 1]
        if article.item.text[sentence.end : nxt.start].strip():
            return None  # not parsed, or not next to it
        if any(lemma_of(t) in SEPARATE_LEMMAS for t in nxt.span):
            return None
        if find_mentions(nxt.span):
            return None  # it tells of munitions of its own
        return nxt

    @staticmethod
    def _previous_sentence(article: Article, sentence: Sentence) -> Sentence | None:
        """The sentence before, when it tells of the attack's toll: "An attack on Dnipro
        killed 12 people. Russia used 26 missiles and 44 drones in the attack." """
        prev = article.previous(sentence)
        if prev is None:
            return None
        if any(lemma_of(t) in SEPARATE_LEMMAS for t in [*prev.span, *sentence.span]):
            return None
        if not any(is_attack_noun(t) for t in prev.span):
            return None
        if find_mentions(prev.span):
            return None  # it tells of munitions of its own: another attack
        return prev

    def _detection(self, article: Article, attack: Attack) -> Detection | None:
        s = self.settings
        munitions, shown, total, combined = attack.counts()
        missiles = munitions.get("missile", 0)
        spans = [attack.sentence.span]
        nxt = self._next_sentence(article, attack.sentence)
        if nxt is not None:
            spans.append(nxt.span)
        before = self._previous_sentence(article, attack.sentence)
        if before is not None:
            spans.append(before.span)
        hurt = casualties(spans)
        large = total >= s.min_total or missiles >= s.min_missiles
        if not large and hurt.get("killed", 0) < s.min_killed:
            return None
        hit = hit_targets(spans)
        target = attack.target
        if target is None and nxt is not None:
            for code in self.parties.states(nxt.span):
                if code != attack.actor:
                    target = code
                    break
        severity = self._severity(total, missiles, hurt)
        fields_ = {
            "munitions": munitions,
            "total": total,
            "actor": attack.actor,
            "target": target,
            "casualties": hurt,
            "targets": hit,
            "intercepted": {k: attack.intercepted[k] for k in KINDS if attack.intercepted.get(k)},
        }
        summary = attack_summary(
            self.gazetteer, attack.actor, target, munitions, shown, total, combined
        )
        group = _group_name(attack, before)
        if group:  # an armed group keeps its name beside its state's code
            fields_["actor_group"] = group
            name = self.gazetteer.name(attack.actor)
            summary = summary.replace(name, f"{group} ({name})", 1)
        summary += outcome_tail(fields_["intercepted"], hit, hurt)
        sides = {"actor": attack.actor, "target": target}
        # Sides, places, time of day and size tell one attack from another (event.py);
        # with nobody to name, the summary does.
        event = event_key(
            self.name, attack.actor, target, spans, attack.times, total, self.gazetteer
        )
        return Detection(
            item_id=article.item.id,
            detector=self.name,
            severity=severity,
            summary=summary,
            evidence=article.evidence(attack.sentence),
            fields=fields_,
            labels={k: v for k, v in sides.items() if v},
            actors=[code for code in sides.values() if code],
            event=event,
            facts=self._facts(attack.actor, target, munitions, total, fields_),
        )

    def _facts(
        self,
        actor: str | None,
        target: str | None,
        munitions: dict[str, int],
        total: int,
        fields_: dict,
    ) -> list[tuple[str, str]]:
        """The lines people read under the summary."""
        out = []
        if actor or target:
            who = [self.gazetteer.name(c) if c else "?" for c in (actor, target)]
            out.append(("Attack", " → ".join(who)))
        counted = ", ".join(f"{n} {plural(kind, n)}" for kind, n in munitions.items() if n)
        out.append(("Munitions", f"{counted or total} (total {total})"))
        if fields_["intercepted"]:
            shot = fields_["intercepted"].items()
            out.append(("Intercepted", ", ".join(f"{n} {plural(k, n)}" for k, n in shot)))
        given = fields_["casualties"]
        hurt = [f"{given[k]} {k}" for k in ("killed", "injured") if given.get(k)]
        if hurt:
            out.append(("Casualties", ", ".join(hurt)))
        if fields_["targets"]:
            out.append(("Targets", ", ".join(fields_["targets"])))
        return out

    def _severity(self, total: int, missiles: int, hurt: dict[str, int]) -> str:
        s = self.settings
        if (
            total >= s.critical_total
            or missiles >= s.critical_missiles
            or hurt.get("killed", 0) >= s.critical_killed
            or hurt.get("injured", 0) >= s.critical_injured
        ):
            return "critical"
        if (
            total >= s.high_total
            or missiles >= s.high_missiles
            or hurt.get("killed", 0) >= s.high_killed
            or hurt.get("injured", 0) >= s.high_injured
        ):
            return "high"
        return "medium"


# Words that make a toll a running total or a hearsay of many strikes.
TOLL_TOTAL_LEMMAS = frozenset({"since", "so", "far", "total", "campaign", "airstrikes"})


def _uncounted(sentence: Sentence) -> list[Mention]:
    """One attack told without a count ("an Israeli air strike on a hospital killed
    27"): a mention of one munition, large only by its toll (``min_killed``), which
    must be told in the same sentence (``casualties``) and not as a running total
    ("300 killed since mid-February")."""
    if not casualties([sentence.span]).get("killed"):
        return []
    if any(
        lemma_of(t) in TOLL_TOTAL_LEMMAS or t.lower_ in TOLL_TOTAL_LEMMAS for t in sentence.span
    ):
        return []
    for t in sentence.span:
        if uncounted_attack(t):
            kinds = [munition_kind(c) for c in [t, *t.children]]
            kind = next(k for k in kinds if k)
            one = Quantity(1, None, False, "1", t.idx, t.idx + len(t.text))
            return [Mention(kinds=(kind,), quantity=one, anchor=t, role="launched", pred=t)]
    return []


def _group_name(attack: Attack, before: Sentence | None) -> str | None:
    """The armed group named for the attacker ("Hezbollah" for LB), if one is."""
    if attack.actor is None:
        return None
    spans = [attack.sentence.span] + ([before.span] if before is not None else [])
    for span in spans:
        for ent in span.ents:
            if ent._.actor_kind == "group" and ent._.actor == attack.actor:
                return ent.text
    return None


# Words that make a later sentence's counts part of the attack before it.
WAVE_LEMMAS = frozenset({"wave"})


def _next_wave(before: Attack, attack: Attack) -> bool:
    """True if ``attack`` is a further wave of ``before``: told in the next sentence or
    the one after as a "wave", by the same attacker (or an unnamed one)."""
    if not 0 < attack.sentence.index - before.sentence.index <= 2:
        return False
    if not any(lemma_of(t) in WAVE_LEMMAS for t in attack.sentence.span):
        return False
    if any(t.lower_ in ("another", "separate") for t in attack.sentence.span):
        return False
    return attack.actor in (None, before.actor) and attack.target in (None, before.target)


def _join(into: Attack, wave: Attack) -> None:
    into.mentions.extend(wave.mentions)
    add_interceptions(into, wave)
