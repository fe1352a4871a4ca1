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
from datetime import date

from spacy.tokens import Token

from .clauses import SPEECH_VERBS, governors, lemma_of, lemmas
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
        "expect",
        "accuse",
        "blame",
        "allege",
        "suspect",
        "talk",
        "work",
        "cooperate",
        "co-operate",
        "strive",
        "view",
    }
)
# Modal auxiliaries that make an event possible rather than real.
UNREAL_MODALS = frozenset({"could", "would", "might", "may", "should", "must", "can", "ought"})
# Adverbs that place an event in the past.
PAST_ADVERBS = frozenset({"previously", "already", "formerly", "once", "originally", "long"})

_RELATIVE_PAST = re.compile(
    r"\b(last|previous|past) (year|month|decade|century)\b|\bago\b|\bin the past\b"
    r"|\b(decades|centuries) (earlier|before)\b|\byears (earlier|before)\b"
)
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
# The recent past, for events whose news lasts days (tests, coups, sanctions, ceasefires):
# "last week", "last July", "last summer", "earlier this month".
_RECENT_PAST = re.compile(
    r"\b(last|previous|past) (week|weekend|spring|summer|autumn|fall|winter|"
    + "|".join(_MONTHS)
    + r")\b|\bearlier this (month|year)\b|\bweeks (earlier|before)\b|\brecent (years|months)\b"
)
# Prepositions whose gerund is a topic: "talks on extending", "a debate about joining".
TOPIC_PREPS = frozenset({"on", "about", "regarding", "concerning", "over"})
# Words that date an event today, so a clause told in passing is still news.
TODAY_WORDS = frozenset(
    "today tonight yesterday overnight monday tuesday wednesday thursday friday saturday sunday "
    "hours".split()
)
# Conjunctions of a time clause: "after Iran tested a missile, Trump tweeted".
TIME_MARKS = frozenset({"after", "since", "when", "before", "once", "following", "until"})
# Nouns a relative clause of time hangs on: "the day the White House announced sanctions".
TIME_NOUNS = frozenset({"day", "week", "month", "year", "time", "moment", "night", "morning"})


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
        if current.dep_ == "pcomp" and head.lower_ in TOPIC_PREPS:
            return True  # "talks on extending the ceasefire": a topic, not an event
        if current.dep_ == "xcomp" and lemma_of(head) == "be":
            return True  # "is able to launch", "are to be sanctioned", "the plan is to sign"
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


def is_background(
    tokens: Iterable[Token],
    heads: Iterable[Token],
    ref_year: int,
    *,
    recent: bool = False,
    ref_date: date | None = None,
) -> bool:
    """True if the event is told as the past, not as news.

    tokens (Iterable[Token]): the event's words (its clause and its noun phrase);
        DATE entities among them with a year before ``ref_year``, or relative
        past ("last year", "two years ago"), make it background.
    heads (Iterable[Token]): the event's verb and noun. A "since ..." phrase
        over either, or on the verb a past perfect ("had signed", unless in
        reported speech) or an adverb such as "previously", makes it background.
    ref_year (int): the year the article was published.
    recent (bool): the recent past is background too: "last week", "last July", "last
        summer", and an event told in passing (see ``told_in_passing``). For events whose
        news lasts days. Defaults to False.
    ref_date (date | None): with ``recent``, the day the article was published: a date
        naming another month ("in December", "on December 30"), or a day of this month
        more than three days before, is background. Defaults to None (unknown: dates
        are not compared).
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
        if recent and _RECENT_PAST.search(text):
            return True
        if recent and ent.root.dep_ == "pobj" and ent.root.head.lower_ in ("within", "throughout"):
            return True  # "within one year, around 20 missiles were test-fired": a total
        if recent and ref_date is not None and _days_before(text, ref_date) > 3:
            return True
    for head in heads:
        if under_since(head):
            return True
        if recent and told_in_passing(head):
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


def told_in_passing(head: Token) -> bool:
    """True if the event is told in passing as a time or a description, with no time of
    today in its clause: "after Iran tested a missile, Trump tweeted", "since a ceasefire
    took effect", "the day the White House announced sanctions", "Traore, who came to
    power in a coup". "after North Korea fired two missiles on Thursday" is still news.
    """
    current = head
    for _ in range(4):
        if current.head == current:
            return False
        marked = current.dep_ in ("advcl", "ccomp", "relcl") and any(
            c.dep_ in ("mark", "advmod") and c.lower_ in TIME_MARKS for c in current.children
        )
        after_prep = current.dep_ == "pcomp" and current.head.lower_ in TIME_MARKS
        relative = current.dep_ in ("relcl", "acl") and current.pos_ in ("VERB", "AUX")
        if relative and current.head.ent_type_ in ("DATE", "TIME"):
            marked = True  # "in early 2016, when Pyongyang conducted a test"
        if marked or after_prep or relative:
            if relative and not marked and lemma_of(current.head) not in TIME_NOUNS:
                relative_of_person = current.head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
                if not (relative_of_person or current.head.pos_ in ("PROPN", "PRON")):
                    return False  # "a ceasefire agreed by the two sides": the kind decides
            # The clause's own words: those after its conjunction ("On Saturday, a day after
            # X imposed sanctions" dates the main clause, whatever the parse says).
            mark = next((c.i for c in current.children if c.dep_ in ("mark", "advmod")), -1)
            own = [t for t in current.subtree if t.i > mark]
            return not any(t.lower_ in TODAY_WORDS for t in own)
        if current.dep_ not in ("ccomp", "xcomp", "conj", "dobj", "pobj", "prep"):
            return False
        current = current.head
    return False


def _days_before(text: str, ref: date) -> int:
    """How many days before ``ref`` a date text names (0 when it names no month, or
    ``ref``'s month without a day): "December 30" → the days since the last December 30."""
    named = [i + 1 for i, m in enumerate(_MONTHS) if re.search(rf"\b{m[:3]}", text)]
    if not named:
        return 0
    month = named[0]
    if (month - ref.month) % 12 in (1, 2):
        return 0  # "from April 1", said in March: ahead, not behind
    day = next((int(d) for d in re.findall(r"\b(\d{1,2})\b", text) if 1 <= int(d) <= 31), None)
    if day is None:
        return 0 if month == ref.month else 31  # "in February", said in March: old news
    year = ref.year if (month, day) <= (ref.month, ref.day) else ref.year - 1
    try:
        return (ref - date(year, month, day)).days
    except ValueError:
        return 0
