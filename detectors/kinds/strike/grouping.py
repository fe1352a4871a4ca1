"""Grouping the munition counts of one sentence into attacks.

Counts in one sentence form one attack unless the parse says otherwise: a
different attacker, a different time ("on Monday" vs "on Tuesday"), a gapped
second clause, or "another". Counts that a veto rules out are left out; an
attack that is a show, or an unclear use ("used 500 drones") without signs of
hostility, is dropped. Each attack gets its attacker, target and interceptions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ...article import Sentence
from ...language.clauses import lemma_of
from ...language.modality import FUTURE_MODALS, UNREAL_MODALS, is_unreal
from ...language.quantities import Quantity
from .attack_words import ATTACK_VERBS, aimed, clause_chain, is_attack_noun
from .casualties import casualties
from .hit_targets import hit_targets
from .munitions import KINDS, Mention
from .parties import StrikeParties
from .vetoes import is_cumulative, is_history, is_show_or_test, spans_days


@dataclass
class Attack:
    """Munition counts that belong to one attack, and what is known about it.

    sentence (Sentence): the sentence that tells of it.
    mentions (list[Mention]): its counts of munitions.
    actor (str | None): the attacker's code, if known.
    target (str | None): the target's code, if known.
    times (frozenset[str]): the dates and times its counts are told with.
    intercepted (dict[str, int]): intercepted munitions by type.
    """

    sentence: Sentence
    mentions: list[Mention] = field(default_factory=list)
    actor: str | None = None
    target: str | None = None
    times: frozenset[str] = frozenset()
    intercepted: dict[str, int] = field(default_factory=dict)

    def counts(self) -> tuple[dict[str, int], dict[str, list[Quantity]], int, list[Mention]]:
        """Per-type munitions, the quantities behind them, the total, and combined counts."""
        launched = {k: 0 for k in KINDS}
        shown: dict[str, list[Quantity]] = {k: [] for k in KINDS}
        detail = {k: 0 for k in KINDS}
        detail_q: dict[str, list[Quantity]] = {k: [] for k in KINDS}
        combined: list[Mention] = []
        for m in self.mentions:
            if m.role != "launched":
                continue
            if len(m.kinds) > 1:
                combined.append(m)
            elif m.breakdown:
                detail[m.kinds[0]] += m.quantity.value
                detail_q[m.kinds[0]].append(m.quantity)
            else:
                launched[m.kinds[0]] += m.quantity.value
                shown[m.kinds[0]].append(m.quantity)
        munitions: dict[str, int] = {}
        explicit = sum(launched.values()) + sum(m.quantity.value for m in combined)
        for k in KINDS:
            value, qs = launched[k], shown[k]
            if detail[k] > value:
                value, qs = detail[k], detail_q[k]
            downed = self.intercepted.get(k, 0)
            if downed > value:
                at_least = Quantity(downed, "at least", False, str(downed), 0, 0)
                value, qs = downed, [at_least]
            if value:
                munitions[k] = value
                shown[k] = qs
        total = max(explicit, sum(munitions.values()))
        return munitions, shown, total, combined


# A launch that will, could or may happen is not one that did.
LAUNCH_MODALS = UNREAL_MODALS | FUTURE_MODALS


def group_attacks(
    sentence: Sentence, mentions: list[Mention], previous: Sentence | None, parties: StrikeParties
) -> list[Attack]:
    """The attacks a sentence's mentions tell of, vetoed ones left out.

    sentence (Sentence): the sentence of the mentions.
    mentions (list[Mention]): its counts of munitions, in text order (``find_mentions``).
    previous (Sentence | None): the sentence before, for vetoes, attacker and target.
    parties (StrikeParties): finds attackers and targets.
    """
    span = sentence.span
    prev_span = previous.span if previous else None
    groups: list[Attack] = []
    for n, m in enumerate(mentions):
        chain = clause_chain(m.pred)
        if is_unreal(chain, modals=LAUNCH_MODALS) or is_cumulative(chain, [m.anchor]):
            continue
        if is_history(span, prev_span, chain) or spans_days(span, prev_span):
            continue
        actor = parties.attacker(m, chain)
        next_i = mentions[n + 1].anchor.i if n + 1 < len(mentions) else span.end
        times = _mention_times(m, chain, next_i)
        joined = None
        for g in groups:
            if m.another:
                break
            clash_actor = actor and g.actor and actor != g.actor
            clash_time = times and g.times and times != g.times
            same_clause = any(x.clause == m.clause for x in g.mentions)
            if not clash_actor and (same_clause or not clash_time):
                joined = g
                break
        if joined is None:
            joined = Attack(sentence, times=times)
            groups.append(joined)
        joined.mentions.append(m)
        joined.actor = joined.actor or actor
        joined.times = joined.times or times
    out = []
    for g in groups:
        _finish(g, prev_span, parties)
        if _keep(g, span, prev_span):
            out.append(g)
    return out


def _keep(attack: Attack, span: Span, prev_span: Span | None) -> bool:
    """Drop shows, tests and unclear uses ("used 500 drones") without hostile signs."""
    hostile = _hostile(attack, span)
    if is_show_or_test(span, prev_span) and not hostile:
        return False
    launched = [m for m in attack.mentions if m.role == "launched"]
    if launched and all(m.conditional for m in launched):
        return hostile
    if all(m.kinds == ("drone",) for m in attack.mentions) and not hostile:
        # Drones also search, film and deliver: launched by nobody we know, at nothing
        # we can name, they are not an attack.
        return attack.actor is not None or attack.target is not None
    return True


def _hostile(attack: Attack, span: Span) -> bool:
    """Signs of a military attack: an attack noun, a target, interceptions, losses."""
    if any(m.role == "intercepted" for m in attack.mentions):
        return True
    if any(is_attack_noun(t) for t in span):
        return True
    if any(t.pos_ == "VERB" and lemma_of(t) in ATTACK_VERBS and aimed(t) for t in span):
        return True  # "struck Kyiv", not "struck a deal"
    hurt = casualties([span])
    if hurt.get("killed") or hurt.get("injured") or hit_targets([span]):
        return True
    return any(aimed(t, dobj=False) for m in attack.mentions for t in clause_chain(m.pred))


def _finish(attack: Attack, prev_span: Span | None, parties: StrikeParties) -> None:
    """Intercepted counts and the target; fall back to the sentence before for actors."""
    for m in attack.mentions:
        if m.role == "intercepted" and len(m.kinds) == 1:
            k = m.kinds[0]
            attack.intercepted[k] = attack.intercepted.get(k, 0) + m.quantity.value
    attack.target = parties.target(attack.mentions, attack.actor)
    if prev_span is not None and (attack.actor is None or attack.target is None):
        actor, target = parties.from_previous(prev_span)
        if attack.actor is None and actor != attack.target:
            attack.actor = actor
        if attack.target is None and target != attack.actor:
            attack.target = target
    if attack.target == attack.actor:
        attack.target = None


def add_interceptions(into: Attack, extra: Attack) -> None:
    """Interceptions told apart from the attack (a later sentence) join it, not add to it."""
    for k, v in extra.intercepted.items():
        into.intercepted[k] = max(into.intercepted.get(k, 0), v)
    into.actor = into.actor or extra.actor
    into.target = into.target or extra.target


def _times(tokens: Iterable[Token]) -> dict[str, int]:
    """DATE/TIME expressions attached to ``tokens`` (directly or by a preposition),
    with the token index where each is written."""
    out: dict[str, int] = {}
    for t in tokens:
        for c in t.children:
            cands = [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" else [c]
            for g in cands:
                if g.ent_type_ in ("DATE", "TIME"):
                    out[" ".join(x.lower_ for x in g.subtree if x.ent_type_)] = g.i
    return out


def _mention_times(m: Mention, chain: list[Token], next_i: int) -> frozenset[str]:
    """When a count happened: its own date ("35 drones on Tuesday"), else the clause's;
    a clause with several dates gives each count the one written after it
    ("30 drones on Monday and 35 drones on Tuesday")."""
    own = _times([m.anchor])
    if own:
        return frozenset(own)
    clause = _times(chain)
    if len(clause) > 1:
        after = {k for k, i in clause.items() if m.anchor.i < i < next_i}
        if after:
            return frozenset(after)
        before = [(i, k) for k, i in clause.items() if i < m.anchor.i]
        if before:
            return frozenset([max(before)[1]])
    return frozenset(clause)
