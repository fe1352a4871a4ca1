"""Vetoes: counts of munitions that are not an attack happening now.

A launch is not a strike to report when it is a show or a test ("light show",
"test-fired"), in the past ("80 years ago", "during the Blitz", an anniversary
remembered), a running total or a rate ("since the start of the war", "a
day", "during the 78-day operation"), or hypothetical, planned or denied
("could launch", "plans to fire", "did not fire": the shared
``language.modality.is_unreal``, read by ``grouping``). Each test takes the
sentence (and the one before it) or the chain of governing words of a count.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ...language.clauses import lemma_of
from ...language.counts import count_at
from ...language.quantities import is_year

# Signs the munitions are a show or a test.
SHOW_LEMMAS = frozenset(
    "show display performance festival celebration spectacle firework parade exhibition "
    "demonstration concert ceremony test drill exercise rehearsal choreograph choreographed".split()
)
# Dates that place an attack in the current news.
TODAY_WORDS = frozenset(
    "today tonight yesterday overnight night morning evening monday tuesday wednesday thursday "
    "friday saturday sunday weekend".split()
)
# Signs the sentence remembers a past event.
HISTORY_LEMMAS = frozenset({"anniversary", "commemorate", "commemoration", "memorial"})
# Time words that make a count a running total.
CUMULATIVE_WORDS = frozenset(
    {"week", "weeks", "month", "months", "year", "years", "decade", "decades", "recent"}
)
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
# Objects of "during", "over", ... that make a count a running total: "during the war".
CUMULATIVE_POBJ = frozenset({"war", "invasion", "conflict", "campaign", "start", "beginning"})
# Campaigns whose length in days makes their counts totals: "the 78-day operation".
CAMPAIGN_NOUNS = frozenset({"operation", "campaign", "offensive", "war", "conflict", "siege"})
# A rate: "a day", "every night", "daily", "on average".
RATE_DETS = frozenset({"a", "an", "per", "every", "each"})
RATE_WORDS = frozenset({"day", "night", "week", "month", "year", "hour"})
RATE_ADVERBS = frozenset({"daily", "nightly", "weekly", "monthly", "average"})


def is_show_or_test(span: Span, previous: Span | None) -> bool:
    """A show or a test: "light show", "drone display", "test-fired", "drill"."""
    for part in (span, previous):
        if part is None:
            continue
        for t in part:
            if lemma_of(t) in SHOW_LEMMAS and t.pos_ in ("NOUN", "VERB", "PROPN"):
                if lemma_of(t) == "show" and t.pos_ == "VERB":
                    continue  # "data show", "figures show"
                return True
            if lemma_of(t) == "test" or t.lower_.startswith("test-"):
                return True
    return False


def is_history(span: Span, previous: Span | None, chain: list[Token]) -> bool:
    """A past event: "80 years ago", "in 1944", "World War II", an anniversary remembered."""
    for part in (span, previous):
        if part is None:
            continue
        for ent in part.ents:
            if _after_since(ent.root):
                continue  # "the largest attack since World War Two", "since 1945"
            low = ent.text.lower()
            if ent.label_ == "EVENT" and "war" in low and ("world" in low or "ii" in low):
                return True
            if ent.label_ == "DATE" and low.endswith(" ago"):
                if any(w in low for w in ("year", "decade", "centur")):
                    return True
            if ent.label_ == "DATE" and any(is_year(t.text) and t.text < "2000" for t in ent):
                return True  # "in 1944", "the winter of 1940"
    for t in chain:
        for c in t.children:
            dated = c.subtree if c.dep_ == "prep" and lemma_of(c) in ("in", "on", "during") else []
            if c.ent_type_ == "DATE":
                dated = c.subtree
            if any(g.ent_type_ == "DATE" and is_year(g.text) for g in dated):
                return True  # "in 1944", "on this day in 1944"
            if c.dep_ == "prep" and lemma_of(c) == "during":
                for g in c.children:  # "during the Blitz", "during the Battle of Britain"
                    if (
                        g.dep_ == "pobj"
                        and g.pos_ == "PROPN"
                        and g.ent_type_ not in ("DATE", "TIME")
                    ):
                        return True
    # "marks the anniversary" (not "attacked on the anniversary of ..."), with no time of today
    on_the_day = {g.i for t in chain for c in t.children if c.dep_ == "prep" for g in c.subtree}
    remembered = any(
        lemma_of(t) in HISTORY_LEMMAS and t.i not in on_the_day
        for part in (span, previous)
        if part is not None
        for t in part
    )
    return remembered and not any(e.label_ == "TIME" or _is_today(e) for e in span.ents)


def _after_since(token: Token) -> bool:
    """True when the token hangs from "since" (or "than": "more than in 1944")."""
    for t in [token, *token.ancestors]:
        if t.dep_ == "prep" and lemma_of(t) in ("since", "than"):
            return True
        if t.pos_ in ("VERB", "AUX"):
            return False
    return False


def _is_today(ent: Span) -> bool:
    words = {t.lower_ for t in ent}
    return bool(words & TODAY_WORDS) and not any(is_year(t.text) for t in ent)


def is_cumulative(chain: list[Token], anchors: list[Token]) -> bool:
    """A running total or a rate: "since the start of the war", "this year", "a day"."""
    sentence = chain[0].sent
    # "the largest attack since July", "the biggest this year": a comparison, not a total
    compared = any(t.tag_ in ("JJS", "RBS") for t in sentence)
    for t in chain:
        for c in t.children:
            lemma = lemma_of(c)
            if not compared:
                if c.dep_ == "prep" and lemma == "since":
                    return True
                if c.dep_ == "prep" and lemma == "from":
                    if any(g.ent_type_ == "DATE" for g in c.subtree):
                        return True  # "from November 8 ... flew 420 sorties": a campaign's total
                if c.dep_ == "prep" and lemma in ("during", "throughout", "over", "in", "for"):
                    for g in c.children:
                        if g.dep_ == "pobj" and lemma_of(g) in CUMULATIVE_POBJ:
                            return True  # "during the war"
                        words = {x.lower_ for x in g.subtree}
                        day = any(x.like_num for x in g.subtree)  # "on July 9" is one day
                        if g.ent_type_ == "DATE" and (
                            words & CUMULATIVE_WORDS or (words & MONTHS and not day)
                        ):
                            return True  # "over the past week", "in July" (not "on July 9")
                if c.ent_type_ == "DATE" and any(x.lower_ in CUMULATIVE_WORDS for x in c.subtree):
                    return True  # "this year"
                if c.lower_ == "so" and c.i + 1 < len(c.doc) and c.nbor(1).lower_ == "far":
                    return True
            if lemma in RATE_ADVERBS:
                return True
    for t in [*chain, *anchors]:
        for c in t.children:
            if c.dep_ == "npadvmod" and lemma_of(c) in RATE_WORDS:
                if any(d.lower_ in RATE_DETS for d in c.children):
                    return True  # "a day", "every night"
            if c.dep_ == "prep" and c.lower_ == "per":
                return True
            if c.dep_ == "prep" and lemma_of(c) == "on":
                if any(lemma_of(g) == "average" for g in c.children):
                    return True
    return False


def spans_days(span: Span, previous: Span | None) -> bool:
    """Counts told over a campaign of several days are totals: "During the 78-day
    operation, ...", "the three-week offensive"."""
    for part in (span, previous):
        if part is None:
            continue
        for t in part:
            if lemma_of(t) not in CAMPAIGN_NOUNS:
                continue
            for m in t.children:
                if m.dep_ not in ("compound", "amod", "nmod") or lemma_of(m) not in RATE_WORDS:
                    continue
                for n in m.children:
                    length = count_at(n, inclusive=True) if n.dep_ == "nummod" else None
                    if length is not None and length.value > 1:
                        return True
    return False
