"""Reading the weapons tests one sentence tells of, off the dependency parse.

A test is found in one of three shapes:

- a testing verb with a weapon as its object (or passive subject): "tested a
  new ballistic missile", "test-fired two cruise missiles", "flight-tested the
  Agni-V", "A Zircon missile was test-fired";
- a launch verb ("fired", "launched") with a weapon, framed as a test ("in a
  test", "in what state media described as a test") or sent into the sea with
  no target ("fired two short-range ballistic missiles into the sea");
- a test noun carried out: "conducted its seventh nuclear test", "carried out
  a successful test launch of its Sarmat missile".

Tests wished, planned, denied or hypothetical ("could test", "plans to
test-fire", "has not been test-fired") and tests told as background (an
earlier year, a past perfect outside reported speech, "since") are left out,
with the shared modality and background checks of ``detectors.clauses``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ...entities.parties import SentenceParties
from ...language import clauses, modality
from ...language.clauses import lemma_of
from .weapons import (
    count_of,
    is_weapon,
    modifier_words,
    nuclear,
    system_name,
    weapon_class,
    weapon_head,
)

# Verbs that fire or set off a weapon.
LAUNCH_VERBS = frozenset({"fire", "launch", "detonate"})
# Verbs that carry out a test named by a noun: "conducted a nuclear test".
CONDUCT_VERBS = frozenset(
    {"conduct", "carry", "stage", "perform", "hold", "complete", "undertake", "execute", "make"}
)
# Nouns that, with "test" beside them, name a test: "test launch", "flight test".
TEST_EVENT_NOUNS = frozenset({"test", "launch", "firing", "flight", "detonation", "explosion"})
# Where a launch with no target goes when it is a test: "into the sea", "off its coast".
SEA_WORDS = frozenset({"sea", "ocean", "waters", "water", "coast", "pacific", "gulf", "bay"})
SEA_PREPS = frozenset({"into", "toward", "towards", "off", "over", "in"})
# Prepositions that give a launch a target: "fired missiles at Kharkiv".
TARGET_PREPS = frozenset({"at", "on", "against"})
# Entity labels of a time, which a launch is "on" without aiming at it.
TIME_LABELS = frozenset({"DATE", "TIME"})


@dataclass
class Test:
    """One weapons test read from a sentence.

    actor (str): ISO alpha-2 code of the state that tested.
    weapon (str): the class, one of ``weapons.WEAPONS``.
    system (str | None): the named system, when the text names it.
    count (int | None): how many were fired, when the text says.
    """

    actor: str
    weapon: str
    system: str | None
    count: int | None


class TestReader(SentenceParties):
    """Reads the weapons tests of one sentence (its states come from ``SentenceParties``)."""

    def tests(self) -> list[Test]:
        found: list[Test] = []
        for token in self.span:
            test = None
            if token.pos_ in ("VERB", "AUX") and _is_test_verb(token):
                test = self._verb(token, framed=True)
            elif token.pos_ == "VERB" and lemma_of(token) in LAUNCH_VERBS:
                test = self._verb(token, framed=False)
            elif token.pos_ in ("NOUN", "PROPN") and _is_test_noun(token):
                test = self._noun(token)
            if test is not None:
                found.append(test)
        return found

    # -- verbs ------------------------------------------------------------

    def _verb(self, verb: Token, *, framed: bool) -> Test | None:
        heads = clauses.objects(verb) or clauses.passive_subjects(verb)
        # "fired what appeared to be a ballistic missile": the weapon is inside the clause.
        heads = [_named_inside(h) if lemma_of(h) == "what" else h for h in heads]
        heads += [_named_inside(w) for w in _what_clauses(verb)]
        misread = clauses.modifier_reading(verb)
        if misread is not None:
            heads = heads or [misread[1]]
        weapons = [w for w in map(weapon_head, heads) if w is not None]
        if not weapons:
            return None
        if not framed and not (_framed_as_test(verb) or self._into_the_sea(verb)):
            return None
        if not self._real(verb, weapons[0]):
            return None
        return self._test(verb, weapons[0], test_noun=None)

    def _into_the_sea(self, verb: Token) -> bool:
        """Sent into the sea and at nothing: how a test launch is often told ("fired two
        missiles into the sea", "launched an ICBM that landed in waters off Japan")."""
        landing = [
            verb,
            *(c for o in clauses.objects(verb) for c in o.children if c.dep_ == "relcl"),
        ]
        landing += [
            t for w in _what_clauses(verb) for t in w.head.subtree if t.pos_ in ("VERB", "AUX")
        ]
        seaward = any(
            lemma_of(t) in SEA_WORDS for v in landing for t in clauses.prep_objects(v, SEA_PREPS)
        )
        aimed = [  # "at Kharkiv", "at ships in the Red Sea"; "on Thursday" aims at nothing
            t for t in clauses.prep_objects(verb, TARGET_PREPS) if t.ent_type_ not in TIME_LABELS
        ]
        return seaward and not aimed

    # -- nouns ------------------------------------------------------------

    def _noun(self, noun: Token) -> Test | None:
        verb = noun.head if noun.dep_ == "dobj" else None
        if verb is None or lemma_of(verb) not in CONDUCT_VERBS:
            return None
        weapon = _noun_weapon(noun)
        if weapon is None or not self._real(verb, noun):
            return None
        return self._test(verb, weapon, test_noun=noun)

    # -- shared -----------------------------------------------------------

    def _real(self, verb: Token, noun: Token) -> bool:
        if modality.is_unreal(verb) or _denied(verb):
            return False
        words = [*clauses.event_words(verb), *noun.subtree]
        return not modality.is_background(
            words,
            [verb, noun],
            self.ref_year,
            recent=True,
            ref_date=self.article.reference_date,
        )

    def _test(self, verb: Token, weapon: Token, test_noun: Token | None) -> Test | None:
        actor = self._actor(verb, weapon)
        if actor is None:
            return None
        if (test_noun is not None and nuclear(test_noun)) or (
            lemma_of(weapon) in ("device", "bomb", "weapon") and nuclear(weapon)
        ):
            kind = "nuclear"
        else:
            kind = weapon_class(modifier_words(weapon))
        system = None if kind == "nuclear" else system_name(weapon, set(self.at))
        count = None if weapon is test_noun else count_of(weapon)
        return Test(actor, kind, system, count)

    def _actor(self, verb: Token, weapon: Token) -> str | None:
        """The state that tested: the doer of the verb, else the owner of the weapon."""
        pools = [clauses.doers(verb), clauses.prep_objects(verb, ("by",))]
        pools.append([c for c in weapon.children if c.dep_ in ("poss", "amod", "compound")])
        misread = clauses.modifier_reading(verb)
        if misread is not None:
            pools.append(misread[0])
        for tokens in pools:
            found = [a for a in self.parties(_with_phrase(tokens)) if not self.gazetteer.is_bloc(a)]
            if found:
                return found[0]
        return None


def _with_phrase(tokens: list[Token]) -> list[Token]:
    """The tokens and their modifiers ("the U.S. Air Force", "Russia's defence ministry")."""
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        out.extend(
            t
            for c in token.children
            if c.dep_ in ("poss", "compound", "amod", "nmod")
            for t in c.subtree
        )
    return out


def _what_clauses(verb: Token) -> list[Token]:
    """The "what" of "launched what appeared to be a missile" (a clause as the object)."""
    return [
        g for c in verb.children if c.dep_ == "ccomp" for g in c.children if lemma_of(g) == "what"
    ]


def _named_inside(what: Token) -> Token:
    """The weapon in "what appeared to be a ballistic missile", else ``what`` itself."""
    return next((t for t in what.head.subtree if t.i > what.i and is_weapon(t)), what)


def _is_test_verb(token: Token) -> bool:
    """ "tested", "test-fired", "test-launched", "flight-tested"."""
    if lemma_of(token) == "test":
        return True
    return lemma_of(token) in ("fire", "launch") and any(
        lemma_of(c) == "test" and c.i < token.i for c in token.children if c.dep_ != "prep"
    )


def _is_test_noun(token: Token) -> bool:
    """ "a nuclear test", "a test launch", "a flight test" (not "test" inside "test-fired")."""
    lemma = lemma_of(token)
    if token.dep_ in ("npadvmod", "compound") and token.head.pos_ == "VERB":
        return False
    if token.tag_ in ("NNS", "NNPS"):
        return False  # "has conducted five nuclear tests": a record, not one test
    if lemma == "test":
        return True
    return lemma in TEST_EVENT_NOUNS and any(
        lemma_of(c) == "test" for c in token.children if c.dep_ in ("compound", "amod", "nmod")
    )


def _noun_weapon(noun: Token) -> Token | None:
    """The weapon a test noun tests: "a nuclear test" (the noun itself), "a missile test",
    "a test launch of its Sarmat missile"."""
    if nuclear(noun):
        return noun
    for child in noun.children:
        if child.dep_ in ("compound", "nmod") and is_weapon(child):
            return child
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                head = weapon_head(obj)
                if head is not None:
                    return head
    return None


def _framed_as_test(verb: Token) -> bool:
    """ "in a test", "as a test", "in what state media described as a test"."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "as"):
            if any(lemma_of(t) == "test" and t.pos_ == "NOUN" for t in prep.subtree):
                return True
    return False


def _denied(verb: Token) -> bool:
    """Under a denial: "denied reports that it had tested"."""
    return any(lemma_of(g) in ("deny", "dismiss") for g in clauses.governors(verb)[:3])
