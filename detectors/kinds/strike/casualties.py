"""Casualties reported in sentences: people killed and injured.

Reads the verbs and adjectives of killing and wounding with their counted
subjects or objects ("killed 12 people", "30 were injured", "12 dead", "the
death toll rose to 15", "left four wounded", "14 were killed and 52 wounded");
"no one was hurt" is 0. A figure the text does not give is left out: absent,
never 0 (docs/contracts.md).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ...language.clauses import lemma_of
from ...language.counts import count_at, is_number, own_count

# Words of killing and of wounding.
KILL_LEMMAS = frozenset({"kill", "die", "dead", "death"})
INJURE_LEMMAS = frozenset({"injure", "wound", "hurt", "injured", "wounded"})


def _count_of(token: Token) -> int | None:
    """A count for a casualty word's subject or object: "12 people", "dozens", "four";
    None when it gives no figure ("civilians")."""
    if any(t.lower_ in ("no", "none", "nobody") for t in token.subtree if t.i <= token.i):
        return 0  # "no one was hurt"
    q = count_at(token, inclusive=True) if is_number(token) else own_count(token)
    return q.value if q else None


def casualties(spans: list[Span]) -> dict[str, int]:
    """Killed and injured, the largest count of each reported in ``spans``; a key only
    when a figure is given."""
    out: dict[str, int] = {}
    for span in spans:
        for t in span:
            lemma = lemma_of(t)
            if lemma in KILL_LEMMAS:
                key = "killed"
            elif lemma in INJURE_LEMMAS:
                key = "injured"
            else:
                continue
            counted: list[Token] = []
            if lemma == "death":
                if t.dep_ == "compound" and lemma_of(t.head) == "toll":
                    counted = _toll_numbers(t.head)
            elif t.pos_ == "VERB" or lemma in ("injured", "wounded"):
                for c in t.children:
                    if c.dep_ in ("dobj", "nsubjpass") or (c.dep_ == "nsubj" and lemma == "die"):
                        counted.extend([c, *[x for x in c.conjuncts if x.dep_ == "conj"]])
                if not counted and t.dep_ in ("acl", "amod") and t.head.pos_ in ("NOUN", "NUM"):
                    counted = [t.head]  # "12 people killed in the attack"
            if lemma in ("dead", "injured", "wounded") and not counted:
                if t.head.like_num or t.head.tag_ == "CD":
                    counted = [t.head]  # "12 dead"
                elif t.dep_ in ("oprd", "ccomp", "acomp", "xcomp") and lemma_of(t.head) == "leave":
                    counted = [c for c in t.head.children if c.dep_ == "dobj"]
                counted += [c for c in t.children if c.dep_ == "nummod"]
            if not counted and t.dep_ == "conj" and lemma_of(t.head) in KILL_LEMMAS | INJURE_LEMMAS:
                # "14 people were killed and 52 wounded": the figure hangs on the second verb
                counted = [c for c in t.children if c.like_num or c.tag_ == "CD"]
                counted = counted or [c for c in t.lefts if c.dep_ in ("nsubj", "npadvmod")]
            values = [_count_of(c) for c in counted if not _under_including(c, t)]
            values = [v for v in values if v is not None]
            if values:
                out[key] = max(out.get(key, 0), sum(values))
    return out


def _under_including(token: Token, root: Token) -> bool:
    cur = token
    while cur is not root and cur.head.i != cur.i:
        if cur.dep_ == "prep" and lemma_of(cur) in ("include", "including"):
            return True
        cur = cur.head
    return False


def _toll_numbers(toll: Token) -> list[Token]:
    verb = toll.head
    out = []
    for t in verb.subtree if verb.i != toll.i else toll.subtree:
        if t.like_num and t.head.dep_ == "prep" and lemma_of(t.head) in ("to", "at", "of"):
            out.append(t)
    return out
