"""Whether an event happened now: modality (unreal) and background (past).

Event detectors use these to tell news from the rest: "Finland joined NATO on
Tuesday" and "Russia launched 500 drones" are events; "Ukraine hopes to join
NATO", "Russia could launch 1,000 drones", "did not fire" are not real, and
"since joining NATO in 2004", "the pact signed last year" are background.
One modality check and one background check for every kind; they look only
at the parse, tags and DATE entities, never at particular wordings of articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Token

from .clauses import governors, lemma_of, lemmas
from .quantities import years_in

# Verbs under which an event is only wished, planned, refused or undone.
UNREAL_GOVERNORS = frozenset(
    {
        "want",
        "seek",
        "hope",
        "aim",
        "plan",
        "try",
        "attempt",
        "apply",
        "bid",
        "push",
        "wish",
        "aspire",
        "intend",
        "consider",
        "mull",
        "weigh",
        "explore",
        "discuss",
        "debate",
        "negotiate",
        "propose",
        "urge",
        "demand",
        "call",
        "lobby",
        "refuse",
        "reject",
        "deny",
        "rule",
        "oppose",
        "block",
        "veto",
        "delay",
        "postpone",
        "suspend",
        "halt",
        "freeze",
        "fail",
        "decline",
        "stop",
        "abandon",
        "threaten",
        "warn",
        "fear",
        "prepare",
        "move",
        "vow",
    }
)
# Modal auxiliaries that make an event possible rather than real.
UNREAL_MODALS = frozenset({"could", "would", "might", "may", "should", "must", "can", "ought"})
# Adverbs that place an event in the past.
PAST_ADVERBS = frozenset({"previously", "already", "formerly", "once", "originally", "long"})
# Verbs of reporting: under them a past perfect is the reporter's tense, not background.
SPEECH_VERBS = frozenset(
    {"say", "tell", "announce", "report", "confirm", "state", "add", "note", "disclose", "reveal"}
)

_RELATIVE_PAST = re.compile(
    r"\b(last|previous|past) (year|month|decade|century)\b|\bago\b|\bin the past\b"
    r"|\b(decades|centuries) (earlier|before)\b|\byears (earlier|before)\b"
)


# Modals of the future: for some kinds an announced event is not one that happened.
FUTURE_MODALS = frozenset({"will", "shall"})


def is_unreal(event: Token | Iterable[Token], *, modals: frozenset[str] = UNREAL_MODALS) -> bool:
    """True if the event is negated, hypothetical, wished, planned or refused.

    Looks at each verb (negation, a modal, "if"/"whether", "is able to"), the
    verbs it hangs off as a complement ("hopes to join", "refused to sign",
    "ruled out joining", "plans to fire"), and a question mark ending the
    sentence.

    event (Token | Iterable[Token]): the event's verb, or the chain of words
        that govern it (each is looked at).
    modals (frozenset[str]): auxiliaries that make it unreal. Defaults to
        UNREAL_MODALS; a kind for which an announced event is not news adds
        FUTURE_MODALS ("will launch").
    """
    tokens = [event] if isinstance(event, Token) else list(event)
    return any(_unreal(verb, modals) for verb in tokens)


def _unreal(verb: Token, modals: frozenset[str]) -> bool:
    if verb.sent.text.rstrip().endswith("?"):
        return True
    current = verb
    while True:
        for child in current.children:
            if child.dep_ == "neg":
                return True
            if child.dep_ == "aux" and child.lower_ in modals:
                return True
            if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                return True
        gerund_object = current.dep_ == "dobj" and current.tag_ == "VBG"
        chain = ("xcomp", "pcomp", "ccomp", "conj", "advcl")
        if (current.dep_ not in chain and not gerund_object) or current.head == current:
            return False
        head = current.head
        if current.dep_ == "xcomp" and lemma_of(head) == "be":
            if any(c.lower_ in ("able", "capable") for c in head.children):
                return True  # "is able to launch"
        if current.dep_ in ("xcomp", "pcomp") or gerund_object or head.dep_ == "prep":
            if lemmas(head) & UNREAL_GOVERNORS:
                return True
            if head.dep_ == "prep" and lemmas(head.head) & UNREAL_GOVERNORS:
                return True
        if current.dep_ == "advcl":
            # A bare participle may be the complement the parser took for an adverbial
            # ("ruled out Ukraine joining"); one with "while", "after" ... is not.
            bare = current.tag_ == "VBG" and not any(c.dep_ == "mark" for c in current.children)
            return bare and bool(lemmas(head) & UNREAL_GOVERNORS)
        if current.dep_ == "ccomp":
            return False  # a reported clause keeps its own modality
        current = head


def _reported(verb: Token) -> bool:
    return any(g.lemma_.lower() in SPEECH_VERBS for g in governors(verb)[:2])


def under_since(token: Token) -> bool:
    """True if ``token`` hangs off "since" ("since joining NATO", "since its accession")."""
    current = token
    while current.head != current:
        if current.dep_ in ("pcomp", "pobj") and current.head.lower_ == "since":
            return True
        if current.dep_ not in ("pcomp", "pobj", "prep", "conj", "compound"):
            return False
        current = current.head
    return False


def is_background(tokens: Iterable[Token], heads: Iterable[Token], ref_year: int) -> bool:
    """True if the event is told as the past, not as news.

    tokens (Iterable[Token]): the event's words (its clause and its noun phrase);
        DATE entities among them with a year before ``ref_year``, or relative
        past ("last year", "two years ago"), make it background.
    heads (Iterable[Token]): the event's verb and noun. A "since ..." phrase
        over either, or on the verb a past perfect ("had signed", unless in
        reported speech) or an adverb such as "previously", makes it background.
    ref_year (int): the year the article was published.
    """
    seen_ents: set[tuple[int, int]] = set()
    for token in tokens:
        if token.ent_type_ != "DATE":
            continue
        ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        if ent is None or (ent.start, ent.end) in seen_ents:
            continue
        seen_ents.add((ent.start, ent.end))
        text = ent.text.lower()
        if any(y < ref_year for y in years_in(text)) or _RELATIVE_PAST.search(text):
            return True
    for head in heads:
        if under_since(head):
            return True
        if head.pos_ not in ("VERB", "AUX"):
            continue
        children = list(head.children)
        if any(c.dep_ == "advmod" and c.lower_ in PAST_ADVERBS for c in children):
            return True
        perfect = any(c.dep_ == "aux" and c.lower_ == "had" for c in children)
        if perfect and not _reported(head):
            return True
    return False
