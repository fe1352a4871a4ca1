"""Reading the ceasefires one sentence tells of, off the dependency parse.

A ceasefire noun ("ceasefire", "truce", "armistice", "cessation of
hostilities", or an agreement named by one: "a ceasefire agreement") becomes a
detection when a verb makes it happen:

- agreed: "agreed to a ceasefire", "agreed a truce", "signed a ceasefire
  agreement", "declared a 30-hour truce", "A ceasefire was reached";
- in effect: "took effect", "came into force", "went into effect", "began";
- extended: "extended their truce", "The truce ... was extended", "extended the
  deadline of their ceasefire".

Talks, proposals, calls, violations, a collapse and ceasefires of earlier
years are not made by those verbs, or are left out by the shared modality and
background checks ("could agree", "hoped ... would be signed", "despite a
ceasefire agreed in 2022", "since a ceasefire took effect in 2020").

Parties are the sides in the noun's own slots ("between Israel and Lebanon's
Hezbollah", "a truce in Ukraine") or the subjects of the verb ("Armenia and
Azerbaijan agreed"); a broker ("U.S.-brokered", "talks hosted by Malaysia") or
a reporter ("Qatar said") is not a party.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ...entities.parties import SentenceParties
from ...language import clauses, modality
from ...language.clauses import lemma_of

#: Nouns that are a ceasefire.
CEASEFIRE_NOUNS = frozenset({"ceasefire", "ceasefires", "cease-fire", "truce", "armistice"})
#: Nouns a ceasefire names as a compound: "a ceasefire agreement".
AGREEMENT_NOUNS = frozenset({"agreement", "deal", "accord", "pact", "arrangement"})
#: Verbs that agree a ceasefire, as its object or passive subject.
AGREE_VERBS = frozenset(
    """agree reach sign declare announce seal strike conclude accept order establish
    broker""".split()
)
#: Verbs with a ceasefire as subject that put it in effect: "took effect", "began".
EFFECT_VERBS = frozenset({"begin", "start", "hold", "commence"})
#: Verbs that extend one.
EXTEND_VERBS = frozenset({"extend", "prolong", "renew"})
#: Nouns through which an extension reaches the ceasefire: "the deadline of their ceasefire".
EXTENDED_PARTS = frozenset({"deadline", "term", "duration", "period"})
#: Prepositions of the noun that name sides: "between Israel and Hezbollah", "in Gaza".
SIDE_PREPS = ("between", "among", "with", "in", "on")


@dataclass
class Ceasefire:
    """One ceasefire read from a sentence.

    parties (list[str]): ISO alpha-2 codes of the sides, sorted.
    status (str): agreed, in-effect or extended.
    """

    parties: list[str]
    status: str


class CeasefireReader(SentenceParties):
    """Reads the ceasefires of one sentence (its states come from ``SentenceParties``)."""

    def ceasefires(self) -> list[Ceasefire]:
        found: list[Ceasefire] = []
        for token in self.span:
            if token.pos_ not in ("NOUN", "PROPN", "VERB", "ADJ") or not _is_ceasefire(token):
                continue
            got = self._read(token)
            if got is not None:
                found.append(got)
        return found

    def _read(self, noun: Token) -> Ceasefire | None:
        phrase = noun
        if noun.dep_ == "compound":
            if lemma_of(noun.head) not in AGREEMENT_NOUNS:
                return None  # "ceasefire talks", "ceasefire line", "ceasefire proposal"
            phrase = noun.head
        verb, status = _making_verb(phrase)
        if verb is None or modality.is_unreal(verb):
            return None
        words = [*clauses.event_words(verb), *phrase.subtree]
        when = self.article.reference_date
        if modality.is_background(words, [verb, phrase], self.ref_year, recent=True, ref_date=when):
            return None
        return Ceasefire(self._parties(phrase, verb, status), status)

    def _parties(self, phrase: Token, verb: Token, status: str) -> list[str]:
        between = clauses.prep_objects(phrase, ("between", "among"))
        if between:
            return sorted(set(self._states(between)))
        tokens = [o for o in clauses.prep_objects(phrase, SIDE_PREPS)]
        tokens += [c for c in phrase.children if c.dep_ == "poss"]
        if lemma_of(verb) != "broker" and (status != "in-effect" or verb.dep_ != "acl"):
            if phrase.dep_ not in ("nsubj", "nsubjpass") or lemma_of(verb) in EXTEND_VERBS:
                tokens += [t for t in clauses.doers(verb) if not _reporter(t, verb)]
            if phrase.dep_ in ("dobj", "pobj"):
                tokens += clauses.prep_objects(verb, ("with", "between"))
        if status == "in-effect":
            tokens += clauses.prep_objects(verb, ("in",))  # "took hold in Gaza"
        return sorted(set(self._states(tokens)))

    def _states(self, tokens: list[Token]) -> list[str]:
        """States named in the tokens' phrases (a place counts for its state; blocs do not)."""
        out: list[str] = []
        for token in tokens:
            for t in _phrase(token):
                mention = self.at.get(t.i)
                if mention is None or self.gazetteer.is_bloc(mention.actor):
                    continue
                if mention.actor not in out:
                    out.append(mention.actor)
        return out


def _today(token: Token) -> bool:
    return any(t.lower_ in modality.TODAY_WORDS for t in token.subtree)


def _is_ceasefire(token: Token) -> bool:
    if token.tag_ in ("NNS", "NNPS"):
        return False  # "worked to broker ceasefires": a habit, not one ceasefire
    if token.lower_ in CEASEFIRE_NOUNS or lemma_of(token) in CEASEFIRE_NOUNS:
        return True
    # "a cessation of hostilities"
    return lemma_of(token) == "cessation" and any(
        lemma_of(o) in ("hostility", "hostilities") for o in clauses.prep_objects(token, ("of",))
    )


def _making_verb(phrase: Token) -> tuple[Token | None, str]:
    """The verb that agrees, starts or extends the ceasefire, and which it does."""
    head, dep = phrase.head, phrase.dep_
    if dep == "appos":  # an appositive takes the role of the noun it renames
        head, dep = head.head, head.dep_
    if dep == "conj":
        return _making_verb(head)
    if dep == "pobj" and lemma_of(head.head) in EXTENDED_PARTS:
        verb, status = _making_verb(head.head)  # "extended the deadline of their ceasefire"
        return (verb, status) if status == "extended" else (None, "")
    if dep == "pobj" and head.lower_ in ("to", "on"):
        head, dep = head.head, "dobj"  # "agreed to a ceasefire", "agreed on a truce"
    lemma = lemma_of(head)
    if dep in ("dobj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
        if lemma in EXTEND_VERBS:
            return head, "extended"
        if lemma in AGREE_VERBS and lemma_of(phrase) not in EXTENDED_PARTS:
            return head, "agreed"
    if dep == "nsubj" and head.pos_ in ("VERB", "AUX") and lemma_of(phrase) not in EXTENDED_PARTS:
        into = {lemma_of(o) for o in clauses.prep_objects(head, ("into", "in"))}
        if lemma in ("come", "go", "enter") and into & {"force", "effect"}:
            return head, "in-effect"
        if lemma == "take" and any(
            lemma_of(o) in ("effect", "hold") for o in clauses.objects(head)
        ):
            return head, "in-effect"
        if lemma in EFFECT_VERBS:
            return head, "in-effect"
    for child in phrase.children:
        # "the ceasefire agreed by the two sides", "a truce extended until Friday"
        # A participle names an existing ceasefire unless dated today ("the truce agreed on
        # Tuesday"); "a ceasefire established in Aleppo" is a reference.
        if child.dep_ == "acl" and child.tag_ == "VBN" and _today(child):
            if lemma_of(child) in EXTEND_VERBS:
                return child, "extended"
            if lemma_of(child) in AGREE_VERBS and lemma_of(child) != "broker":
                return child, "agreed"
    return None, ""


def _reporter(token: Token, verb: Token) -> bool:
    """True when the token is the subject of a verb of saying above ``verb``."""
    reporter = clauses.reporting_verb(verb)
    return reporter is not None and token in clauses.subjects(reporter)


def _phrase(token: Token) -> list[Token]:
    """The token's phrase without clauses and without brokers ("U.S.-brokered")."""
    out = [token]
    stack = [c for c in token.children if c.dep_ not in clauses.CLAUSE_DEPS and c.dep_ != "conj"]
    while stack:
        t = stack.pop()
        if any(lemma_of(x) in ("broker", "mediate", "host") for x in t.subtree):
            continue
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in clauses.CLAUSE_DEPS)
    return out
