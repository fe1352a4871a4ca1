"""Who struck whom: the attacker and the target of an attack, as states.

States are read with the gazetteer from the slots around a launching verb or an
attack noun: the attacker from the subject ("Russia fired"), an agent ("by
Russia"), a modifier ("Russian drones", "Russia's attack") or "from Russia";
the target from "on/at/against Ukraine", the object of "attacked", or the side
whose air defences intercepted. A sentence before the attack can supply both.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from ...entities import Gazetteer
from ...language.clauses import lemma_of
from .attack_words import (
    ATTACK_VERBS,
    LAUNCH_VERBS,
    TARGET_PREPS,
    attack_nouns,
    clause_chain,
    intercepts,
    is_attack_noun,
)
from .munitions import Mention

# Modifiers with these say who made the munitions, not who fired them: "Iranian-made".
MAKER_LEMMAS = frozenset({"make", "design", "build", "supply", "produce", "manufacture"})
# A subject with these is the reporter's: "it said", "their air force said".
PRONOUNS = frozenset({"it", "they", "its", "their", "he", "she", "we"})


class StrikeParties:
    """Finds states in parts of the parse with the gazetteer: attackers and targets.

    gazetteer (Gazetteer): resolves names the entity layer missed.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def states(self, tokens: Iterable[Token], *, bloc: bool = False) -> list[str]:
        """Actors named in ``tokens``, in order; codes only unless ``bloc``."""
        seen: list[str] = []
        tokens = sorted(set(tokens), key=lambda t: t.i)
        done: set[int] = set()
        for t in tokens:
            if t.i in done:
                continue
            actor = None
            if t.ent_type_:
                ent = next((e for e in t.doc.ents if e.start <= t.i < e.end), None)
                if ent is not None:
                    done.update(range(ent.start, ent.end))
                    actor = ent._.actor
            if actor is None and t.pos_ in ("PROPN", "ADJ", "NOUN") and t.text[:1].isupper():
                actor = self.gazetteer.resolve(t.text)  # NER misses: "Kyiv overnight" as TIME
            if actor and (bloc or (len(actor) == 2 and actor.isupper())) and actor not in seen:
                seen.append(actor)
        return seen

    def subtree(self, token: Token) -> list[str]:
        """States named in the subtree of ``token``."""
        return self.states(token.subtree)

    def subject(self, verb: Token) -> list[str]:
        """States in the subject of ``verb``; a pronoun subject is the reporter's ("said it")."""
        for c in verb.children:
            if c.dep_ != "nsubj":
                continue
            found = self.subtree(c)
            if found:
                return found
            pronoun = c.lower_ in PRONOUNS or any(
                g.dep_ == "poss" and g.lower_ in PRONOUNS for g in c.children
            )
            if pronoun:
                cur = verb
                while cur.dep_ in ("ccomp", "conj", "advcl", "xcomp") and cur.head.i != cur.i:
                    cur = cur.head
                    for s in cur.children:
                        if s.dep_ == "nsubj":
                            found = self.subtree(s)
                            if found:
                                return found
        return []

    def attacker(self, m: Mention, chain: list[Token]) -> str | None:
        """The state that launched the count ``m``; ``chain`` is its clause chain."""
        res = self
        if m.role == "launched":
            for v in chain:
                if v.pos_ in ("VERB", "AUX") and not intercepts(v):
                    for c in v.children:
                        if c.dep_ == "agent":
                            found = res.subtree(c)
                            if found:
                                return found[0]
                    found = res.subject(v)
                    if found:
                        return found[0]
        for t in [m.anchor, *m.anchor.conjuncts]:
            for c in t.children:
                if c.dep_ in ("amod", "poss", "compound", "nmod"):
                    if any(lemma_of(g) in MAKER_LEMMAS for g in c.subtree):
                        continue  # "Iranian-made drones" say who built them, not who fired
                    found = res.subtree(c)
                    if found:
                        return found[0]
                if c.dep_ == "prep" and lemma_of(c) == "by" and is_attack_noun(t):
                    found = res.subtree(c)  # "an air strike by the US-led coalition"
                    if found:
                        return found[0]
                if c.dep_ in ("acl", "relcl"):
                    for g in c.children:
                        if g.dep_ == "agent":
                            found = res.subtree(g)
                            if found:
                                return found[0]
        if m.anchor.dep_ == "pobj" and m.anchor.head.head.i != m.anchor.i:
            owner = m.anchor.head.head
            for c in owner.children:
                if c.dep_ in ("amod", "poss"):
                    found = res.subtree(c)
                    if found:
                        return found[0]
        for noun in attack_nouns(chain):
            for c in noun.children:
                if c.dep_ in ("amod", "poss", "compound"):
                    found = res.subtree(c)
                    if found:
                        return found[0]
        for t in chain + [m.anchor]:
            for c in t.children:
                if c.dep_ == "prep" and lemma_of(c) == "from":
                    found = res.subtree(c)
                    if found:
                        return found[0]
        return None

    def target(self, mentions: list[Mention], actor: str | None) -> str | None:
        """The state an attack of ``mentions`` by ``actor`` was aimed at."""
        res = self
        candidates: list[str] = []
        reporters: list[str] = []
        nested: list[str] = []
        for m in mentions:
            chain = clause_chain(m.pred)
            if intercepts(m.pred):
                candidates += res.subject(m.pred)  # the side that shot them down
            top = chain[-1]
            if top.dep_ == "ccomp" and lemma_of(top.head) in ("say", "report", "announce"):
                for c in top.head.children:  # "Ukraine's air force said ..."
                    if c.dep_ == "nsubj" and {"air", "force", "defence", "defense"} & {
                        x.lower_ for x in c.subtree
                    }:
                        reporters += res.subtree(c)
            focus = chain + attack_nouns(chain) + [m.anchor]
            for t in focus:
                for c in t.children:
                    if c.dep_ == "prep" and lemma_of(c) in TARGET_PREPS:
                        for g in c.children:
                            if g.dep_ == "pobj":
                                candidates += res.subtree(g)
                    if (
                        c.dep_ in ("dobj", "nsubjpass")
                        and t.pos_ == "VERB"
                        and lemma_of(t) in ATTACK_VERBS
                    ):
                        candidates += res.subtree(c)
            for t in m.anchor.subtree:  # "20 missiles of various types against Ukraine"
                if t.dep_ == "prep" and lemma_of(t) in TARGET_PREPS - {"in", "over", "into"}:
                    nested += [
                        code for g in t.children if g.dep_ == "pobj" for code in res.subtree(g)
                    ]
        for code in candidates + nested + reporters:
            if code != actor:
                return code
        return None

    def from_previous(self, span: Span) -> tuple[str | None, str | None]:
        """Attacker and target of an attack told in the sentence before."""
        actor = target = None
        for t in span:
            lemma = lemma_of(t)
            if t.pos_ == "VERB" and lemma in ATTACK_VERBS | LAUNCH_VERBS:
                actor = actor or next(iter(self.subject(t)), None)
                for c in t.children:
                    if c.dep_ == "dobj" and lemma in ATTACK_VERBS:
                        target = target or next(iter(self.subtree(c)), None)
            if is_attack_noun(t):
                for c in t.children:
                    if c.dep_ in ("amod", "poss", "compound"):
                        actor = actor or next(iter(self.subtree(c)), None)
                    if c.dep_ == "prep" and lemma_of(c) in ("on", "against"):
                        target = target or next(iter(self.subtree(c)), None)
                if t.dep_ in ("dobj", "nsubjpass"):
                    actor = actor or next(iter(self.subject(t.head)), None)
        return actor, target
