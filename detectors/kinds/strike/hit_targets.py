"""What an attack hit: categories such as "energy infrastructure" or "railways".

A thing counts as hit when it is the object of hitting or damaging ("damaged
energy infrastructure", "strikes on the port"); its category comes from the
head noun and the words that qualify it ("power plant", "residential building").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ...language.clauses import lemma_of
from .attack_words import CONDITIONAL_VERBS, HIT_VERBS, LAUNCH_VERBS, TARGET_HEADS, is_attack_noun

# Verbs whose object was hit: "damaged the grid", "knocked out power".
DAMAGE_VERBS = HIT_VERBS | {"knock", "cut", "ignite", "burn", "set", "disable", "leave"}
# (modifier or head words, category), first match wins.
TARGET_CATEGORIES = (
    ({"railway", "rail", "railroad", "train", "locomotive"}, "railways"),
    ({"oil", "fuel", "refinery", "petrol", "diesel"}, "oil and fuel facilities"),
    (
        {
            "energy",
            "power",
            "grid",
            "substation",
            "electricity",
            "electrical",
            "thermal",
            "hydroelectric",
            "gas",
            "heating",
            "nuclear",
            "dam",
        },
        "energy infrastructure",
    ),
    ({"port", "harbour", "harbor", "grain"}, "ports"),
    ({"hospital", "clinic", "medical"}, "hospitals"),
    ({"school", "kindergarten", "university"}, "schools"),
    (
        {"airfield", "airport", "military", "air", "base", "barracks", "ammunition", "arms"},
        "military sites",
    ),
    (
        {"government", "administrative", "administration", "parliament", "ministry", "office"},
        "government buildings",
    ),
    (
        {"residential", "apartment", "house", "home", "housing", "high-rise", "storey"},
        "residential buildings",
    ),
    ({"factory", "industrial", "enterprise", "plant", "warehouse"}, "industrial sites"),
    ({"bridge"}, "bridges"),
    ({"building", "block"}, "buildings"),
    ({"infrastructure"}, "infrastructure"),
)


def _target_category(token: Token) -> str | None:
    words = {lemma_of(token), token.lower_}
    for c in token.children:
        if c.dep_ in ("compound", "amod", "nmod", "npadvmod"):
            words |= {lemma_of(c), c.lower_}
            words |= {lemma_of(g) for g in c.children if g.dep_ in ("compound", "amod")}
    if token.dep_ == "compound":
        words.add(lemma_of(token.head))
    for keys, category in TARGET_CATEGORIES:
        if words & keys:
            if category == "residential buildings" and lemma_of(token) == "base":
                continue
            bare = ("line", "site", "terminal", "station", "depot", "system", "facility")
            if lemma_of(token) in bare and not (words - {lemma_of(token), token.lower_}):
                return None  # a bare "line" or "station" says nothing
            return category
    return None


def hit_targets(spans: list[Span]) -> list[str]:
    """Categories of what was hit ("energy infrastructure", "railways"), in order."""
    out: list[str] = []
    for span in spans:
        for t in span:
            if lemma_of(t) not in TARGET_HEADS or t.pos_ not in ("NOUN", "PROPN"):
                continue
            if t.dep_ == "compound" and lemma_of(t.head) in TARGET_HEADS:
                continue  # "power plant": the head decides
            if not _was_hit(t):
                continue
            category = _target_category(t)
            if category and category not in out:
                out.append(category)
    return out


def _was_hit(token: Token) -> bool:
    """True when the thing is the object of hitting: "damaged energy infrastructure"."""
    cur = token
    for _ in range(5):
        if any(c.dep_ == "amod" and lemma_of(c) in HIT_VERBS for c in cur.children):
            return True  # "damaged power lines", and "damaging power substations" misparsed
        dep, head = cur.dep_, cur.head
        if head.i == cur.i:
            return False
        if dep in ("conj", "appos", "compound"):
            cur = head
            continue
        if dep == "pobj":
            prep = lemma_of(head)
            owner = head.head
            if prep in ("on", "at", "against", "targeting", "toward", "towards"):
                if is_attack_noun(owner) or lemma_of(owner) in HIT_VERBS | LAUNCH_VERBS:
                    return True
                if owner.pos_ in ("VERB",) and lemma_of(owner) in CONDITIONAL_VERBS:
                    return True
            if prep == "of" and owner.pos_ == "NOUN":
                cur = owner  # "the outskirts of the plant" / "parts of the grid"
                continue
            return False
        if dep in ("dobj", "nsubjpass"):
            return lemma_of(head) in DAMAGE_VERBS - {"kill", "injure", "wound", "leave"}
        return False
    return False
