"""Reading the coups one sentence tells of, off the dependency parse.

Three shapes make a coup:

- soldiers seizing power or ousting, detaining or capturing a ruler ("Soldiers
  in Niger detained President Bazoum ... and declared they had seized power",
  "army captain Ibrahim Traore ousted interim president Damiba", "the military
  had taken control of the government", "dissolved the government");
- the same verbs under "attempted to" / "tried to": an attempt;
- a coup noun as an event: carried out ("seized power in a coup"), stopped
  ("foiled a coup attempt", "crushed a coup attempt"), or framing an action
  ("stormed the palace in an apparent coup attempt", "in what the president
  called a failed coup attempt").

A coup named but not happening now is left out: a trial, an anniversary, an
accusation ("called the move a coup"), fears and warnings, and every coup told
as background (an earlier year, "since", a past perfect outside reported
speech, or a relative clause about a leader: "who came to power in a coup").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ...entities.gazetteer import fold, strip_titles
from ...entities.parties import SentenceParties
from ...language import clauses, modality
from ...language.clauses import lemma_of
from .words import (
    ANNOUNCE_VERBS,
    ATTEMPT_NOUNS,
    ATTEMPT_VERBS,
    ATTEMPTED,
    COUP_NOUNS,
    COUP_SUBJECT_VERBS,
    DISSOLVE_VERBS,
    DISSOLVED,
    FAILED,
    FOIL_VERBS,
    FRAMED_VERBS,
    HOLD_VERBS,
    MILITARY,
    NAMING_VERBS,
    OUST_VERBS,
    RULER_PHRASES,
    RULERS,
    SEIZE_VERBS,
    SEIZED,
    SEIZED_CONTROL_OF,
    STAGE_VERBS,
    UNITS,
)


@dataclass
class Coup:
    """One coup read from a sentence.

    country (str | None): ISO alpha-2 code of the state where it happened.
    outcome (str): seized, attempted or foiled.
    by (str | None): the unit or leader who staged it, when named.
    """

    country: str | None
    outcome: str
    by: str | None


class CoupReader(SentenceParties):
    """Reads the coups of one sentence (its states come from ``SentenceParties``)."""

    def coups(self) -> list[Coup]:
        found: list[Coup] = []
        for token in self.span:
            coup = None
            if token.pos_ in ("VERB", "AUX"):
                coup = self._verb(token)
            elif token.pos_ in ("NOUN", "PROPN") and lemma_of(token) in COUP_NOUNS:
                coup = self._noun(token)
            if coup is not None:
                found.append(coup)
        return found

    # -- verbs ------------------------------------------------------------

    def _verb(self, verb: Token) -> Coup | None:
        lemma = lemma_of(verb)
        objects = clauses.objects(verb)
        misread = clauses.modifier_reading(verb)
        if misread is not None and not objects:
            objects = [misread[1]]
        if lemma in SEIZE_VERBS and any(_is_power(o) for o in objects):
            pass
        elif lemma in OUST_VERBS | HOLD_VERBS and any(self._is_ruler(o) for o in objects):
            pass
        elif lemma in DISSOLVE_VERBS and any(lemma_of(o) in DISSOLVED for o in objects):
            pass
        elif lemma in ANNOUNCE_VERBS and any(_dissolution(o) for o in objects):
            pass  # "announced the dissolution of the government"
        elif lemma == "declare" and _declared_ruler(verb):
            pass
        else:
            return None
        doers = clauses.doers(verb) or (misread[0] if misread else [])
        framed = _in_a_coup(verb) or (_in_a_coup(misread[1]) if misread else None)
        if not framed and not any(_military(t) for t in doers):
            return None
        outcome = "seized"
        anchor = verb
        if verb.dep_ == "xcomp" and lemma_of(verb.head) in ATTEMPT_VERBS:
            outcome, anchor = "attempted", verb.head
        if framed is not None:
            outcome = _noun_outcome(framed, default=outcome)
        if modality.is_unreal(anchor) or self._background(anchor, list(clauses.clause(anchor))):
            return None
        return Coup(self._country([*doers, *objects, verb]), outcome, self._by(verb, doers))

    def _is_ruler(self, token: Token) -> bool:
        mention = self.at.get(token.i)
        if mention is not None and mention.kind == "leader":
            return True
        words = {lemma_of(t) for t in token.subtree if t.i <= token.i}
        phrase = " ".join(t.lower_ for t in token.subtree)
        return bool(words & RULERS) or any(p in phrase for p in RULER_PHRASES)

    # -- nouns ------------------------------------------------------------

    def _noun(self, noun: Token) -> Coup | None:
        if noun.tag_ in ("NNS", "NNPS"):
            return None  # "four coups since independence": a record, not one coup
        if any(c.dep_ == "det" and c.lower_ in ("that", "those", "this") for c in noun.children):
            return None  # "That coup failed": one told before
        phrase = (
            noun.head if noun.dep_ == "compound" and lemma_of(noun.head) in ATTEMPT_NOUNS else noun
        )
        if phrase is noun and noun.dep_ == "compound":
            return None  # "coup leader", "coup trial": a coup named, not happening
        verb, outcome = self._noun_event(phrase)
        if verb is None:
            return None
        outcome = _noun_outcome(phrase, default=outcome)
        if modality.is_unreal(verb):
            return None
        if self._background(verb, [*clauses.clause(verb), *phrase.subtree]):
            return None
        stagers = clauses.doers(verb) if lemma_of(verb) in STAGE_VERBS else []
        if lemma_of(verb) in STAGE_VERBS and not any(_military(t) for t in stagers):
            return None  # "He attempted a coup", said of a politician: a charge, not a report
        by_phrase = clauses.prep_objects(phrase, ("by",))
        tokens = [*phrase.subtree, *stagers, *clauses.doers(verb), verb]
        return Coup(self._country(tokens), outcome, self._by(verb, [*stagers, *by_phrase]))

    def _noun_event(self, phrase: Token) -> tuple[Token | None, str]:
        """The verb that makes the coup noun an event, and the outcome it gives."""
        head = phrase.head
        if phrase.dep_ in ("dobj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
            lemma = lemma_of(head)
            if lemma in FOIL_VERBS:
                return head, "foiled"
            if lemma in STAGE_VERBS:
                return head, "attempted" if lemma == "attempt" else "seized"
        if phrase.dep_ == "nsubj" and head.pos_ == "VERB":
            if lemma_of(head) == "fail":
                return head, "foiled"
            if lemma_of(head) in COUP_SUBJECT_VERBS:
                return head, "seized"
        if phrase.dep_ == "pobj" and head.lower_ == "in" and lemma_of(head.head) in FRAMED_VERBS:
            return head.head, "seized"  # "seized power in a coup", "stormed ... in a coup attempt"
        if phrase.dep_ in ("oprd", "dobj") and lemma_of(head) in NAMING_VERBS:
            # "in what the president called a failed coup attempt" frames the event; "called
            # the move a coup" accuses.
            framing = head.head if head.dep_ == "pcomp" else None
            if framing is not None and framing.lower_ == "in" and framing.head.pos_ == "VERB":
                return framing.head, "attempted"
        return None, ""

    # -- shared -----------------------------------------------------------

    def _background(self, verb: Token, words: list[Token]) -> bool:
        words = words + clauses.event_words(verb)
        return modality.is_background(
            words, [verb], self.ref_year, recent=True, ref_date=self.article.reference_date
        )

    def _country(self, tokens: list[Token]) -> str | None:
        """Where it happened: a state named in the event's own words, else by whoever
        reports it, else anywhere in the sentence, else in the sentence before."""
        pools = [_with_phrases(tokens)]
        anchor = tokens[-1]
        reporter = clauses.reporting_verb(anchor)
        if reporter is not None:
            pools.append(_with_phrases(clauses.subjects(reporter)))
        pools.append(list(self.span))
        for pool in pools:
            found = self._states(pool)
            if found:
                return found[0]
        previous = self.previous()
        for mention in previous.mentions if previous is not None else []:
            if not self.gazetteer.is_bloc(mention.actor):
                return mention.actor
        return None

    def _states(self, tokens: list[Token]) -> list[str]:
        out: list[str] = []
        for token in sorted(set(tokens), key=lambda t: t.i):
            mention = self.at.get(token.i)
            if mention is None or self.gazetteer.is_bloc(mention.actor):
                continue
            if mention.actor not in out:
                out.append(mention.actor)
        return out

    def _by(self, verb: Token, doers: list[Token]) -> str | None:
        """The leader or unit that staged it: a named officer among the doers ("army
        captain Ibrahim Traore"), else the officer who announced it, else a named unit."""
        pools = [doers]
        reporter = clauses.reporting_verb(verb)
        if reporter is not None:
            pools.append(clauses.subjects(reporter))
        for pool in pools:
            for token in pool:
                words = list(token.subtree)
                person = next(
                    (e for e in self.span.ents if e.label_ == "PERSON" and e.root in words), None
                )
                if person is not None and any(_military(t) for t in words):
                    mention = self.at.get(person.root.i)
                    if mention is None or mention.kind != "leader" or pool is doers:
                        return _without_titles(person)
        for token in doers:
            if lemma_of(token) in UNITS and any(
                c.dep_ in ("amod", "compound") for c in token.children
            ):
                words = [t for t in token.subtree if t.dep_ not in ("det", "poss", "case")]
                words = [t for t in words if t.i not in self.at and t.i <= token.i]
                return " ".join(t.lower_ for t in words) or None
        return None


def _is_power(token: Token) -> bool:
    """ "power", "control of the government"."""
    lemma = lemma_of(token)
    if lemma in SEIZED:
        return True
    if lemma == "control":
        return any(
            lemma_of(o) in SEIZED_CONTROL_OF for o in clauses.prep_objects(token, ("of", "over"))
        )
    return False


def _declared_ruler(verb: Token) -> bool:
    """ "declared himself the country's new leader", "proclaimed himself president"."""
    roles = [
        t for c in verb.children if c.dep_ in ("oprd", "xcomp", "attr", "ccomp") for t in c.subtree
    ]
    reflexive = any(t.lower_ in ("himself", "themselves") for t in [*verb.children, *roles])
    return reflexive and any(lemma_of(t) in RULERS for t in roles)


def _military(token: Token) -> bool:
    """True when the phrase headed by ``token`` names soldiers or an officer."""
    return any(lemma_of(t) in MILITARY or t.lower_ in MILITARY for t in token.subtree)


def _in_a_coup(verb: Token) -> Token | None:
    """The coup noun in "seized power in a coup", "in an apparent coup attempt"."""
    for obj in clauses.prep_objects(verb, ("in",)):
        if lemma_of(obj) in COUP_NOUNS:
            return obj
        if lemma_of(obj) in ATTEMPT_NOUNS and any(lemma_of(c) in COUP_NOUNS for c in obj.children):
            return obj
    return None


def _noun_outcome(phrase: Token, default: str) -> str:
    """How a coup noun's own words say it ended: "failed coup" → foiled, "coup attempt" →
    attempted, else ``default``."""
    words = {t.lower_ for t in phrase.subtree if t.i <= phrase.i}
    if words & FAILED:
        return "foiled"
    if lemma_of(phrase) in ATTEMPT_NOUNS or words & ATTEMPTED:
        return "attempted" if default == "seized" else default
    return default


def _with_phrases(tokens: list[Token]) -> list[Token]:
    """The tokens with their subtrees, for states named inside ("Soldiers in Niger")."""
    out: list[Token] = []
    for token in tokens:
        out.extend(token.subtree if token.pos_ != "VERB" else [token])
    return out


def _without_titles(person) -> str:  # noqa: ANN001 - a spaCy Span
    words = list(person)
    while len(words) > 1 and not strip_titles(fold(words[0].text) + " "):
        words = words[1:]
    return "".join(t.text_with_ws for t in words).strip()


def _dissolution(token: Token) -> bool:
    """ "the dissolution of the government", "the suspension of the constitution"."""
    if lemma_of(token) not in ("dissolution", "suspension"):
        return False
    return any(lemma_of(o) in DISSOLVED for o in clauses.prep_objects(token, ("of",)))
