"""Munition words, and finding the launched or intercepted counts of them in a sentence.

``find_mentions`` finds each munition word ("drones", "Shaheds", "artillery
rounds"), reads the count written on it ("roughly 500 drones", "450 of the
drones", "524 drones and missiles"), and climbs the parse from the count to
the word that governs it to give the count a role: launched ("Russia fired 500
drones", "a barrage of 40 missiles"), intercepted ("shot down 450 of them") or
none ("supplied 500 shells", "the record 728 drones"). Counts without a role
are not mentions.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from ...language.clauses import lemma_of
from ...language.counts import count_at, is_number, own_count
from ...language.quantities import Quantity
from .attack_words import ATTACK_VERBS, HIT_VERBS, LAUNCH_VERBS, is_attack_noun, verb_role

# Munition types in the order summaries list them; an air strike or sortie counts as one
# "airstrike" ("more than 100 air strikes across Gaza").
KINDS = ("drone", "missile", "rocket", "shell", "bomb", "airstrike")
# Munition words (lemma or lower-cased form) and their type.
MUNITIONS = {
    "drone": "drone",
    "uav": "drone",
    "shahed": "drone",
    "shahe": "drone",  # the lemmatizer's take on "Shaheds"
    "geran": "drone",
    "decoy": "drone",
    "quadcopter": "drone",
    "missile": "missile",
    "iskander": "missile",
    "kinzhal": "missile",
    "kalibr": "missile",
    "atacms": "missile",
    "rocket": "rocket",
    "shell": "shell",
    "mortar": "shell",
    "bomb": "bomb",
    "kab": "bomb",
    "airstrike": "airstrike",
    "sortie": "airstrike",
}
# "strikes" and "raids" are air strikes with "air" before them ("air strikes", "air raids").
AIR_ATTACK_LEMMAS = frozenset({"strike", "raid", "attack"})
# "rounds" is a munition only with one of these before it ("artillery rounds").
ROUND_COMPOUNDS = frozenset({"artillery", "mortar", "tank", "howitzer"})
# Every surface form of a munition word, for the gate.
MUNITION_FORMS = frozenset(
    [w for w in MUNITIONS if w != "shahe"]
    + [w + "s" for w in MUNITIONS if w not in ("shahe", "atacms")]
    + ["uavs", "kabs"]
)
AIR_PHRASES = [f"air {w}" for w in ("strike", "strikes", "raid", "raids")] + [
    "air-strike",
    "air-strikes",
]
ROUND_PHRASES = [f"{c} {r}" for c in ROUND_COMPOUNDS for r in ("round", "rounds")]
# A count of these is a reference to another attack: "the record 728 drones".
REFERENCE_LEMMAS = frozenset({"record", "previous", "prior", "earlier", "last"})
# Nouns a count passes through on its way up: "a wave of 100 drones".
CONTAINER_NOUNS = frozenset(
    "barrage salvo volley wave swarm total number combination mix group hail flurry series".split()
)
# Nouns that tell one part of an attack: "a second wave of 60 drones".
WAVE_NOUNS = frozenset({"wave", "salvo", "barrage"})
# Determiners that make "450 of the drones" a part of a whole.
THE_WORDS = frozenset({"the", "these", "those", "its", "their", "them"})
# Entity types of numbers that are not counts.
NOT_COUNTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
# Words before "of the drones" that take part of a whole: "450 of the drones".
PARTITIVE_HEADS = frozenset({"most", "all", "some", "many", "none", "half", "majority", "bulk"})


@dataclass
class Mention:
    """One count of munitions and what it says about them.

    kinds (tuple[str, ...]): munition types the count covers ("524 drones and missiles": two).
    quantity (Quantity): the count as written.
    anchor (Token): the token whose place in the parse gives the role.
    role (str): "launched" or "intercepted".
    pred (Token): the verb or attack noun that gave the role.
    breakdown (bool): the count details a bigger one ("including 500 drones").
    clause (int): token index of the clause the count belongs to.
    another (bool): the count is of another attack ("another 40 drones").
    conditional (bool): launched by a verb that launches only in a hostile context
        ("used 426 drones").
    """

    kinds: tuple[str, ...]
    quantity: Quantity
    anchor: Token
    role: str
    pred: Token
    breakdown: bool = False
    clause: int = 0
    another: bool = False
    conditional: bool = False


def munition_kind(token: Token) -> str | None:
    """The munition type a noun names, or None."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    lower = token.lower_
    for word in (lemma_of(token), lower, lower[:-1] if lower.endswith("s") else lower):
        if word in MUNITIONS:
            return MUNITIONS[word]
    if lemma_of(token) == "round" and any(
        c.dep_ == "compound" and c.lower_ in ROUND_COMPOUNDS for c in token.children
    ):
        return "shell"
    if lemma_of(token) in AIR_ATTACK_LEMMAS and any(
        c.lower_ == "air" and c.dep_ in ("compound", "amod", "nmod") for c in token.children
    ):
        return "airstrike"
    return None


def uncounted_attack(token: Token) -> bool:
    """An air strike told without a count ("an Israeli air strike on a hospital"), or an
    attack noun named for its munition ("a missile strike"): one attack, whose size
    comes from its toll (``min_killed``), not a number of munitions."""
    if own_count(token) is not None or token.tag_ not in ("NN", "NNP"):
        return False
    if munition_kind(token) == "airstrike":
        return True
    # A "car bomb attack" or "mortar attack" is no military strike told by its toll.
    return is_attack_noun(token) and any(
        c.dep_ == "compound" and munition_kind(c) in UNCOUNTED_KINDS for c in token.children
    )


# Munitions whose strike, told without a count, may be large by its toll alone.
UNCOUNTED_KINDS = frozenset({"missile", "drone", "rocket", "airstrike"})


def _role(anchor: Token) -> tuple[str, Token, bool] | None:
    """Climb from a count to what governs it: (role, governing token, is breakdown)."""
    for child in anchor.children:  # "the 180 missiles fired by Iran", "test-fired 10 missiles"
        if child.dep_ in ("acl", "relcl", "amod") and child.pos_ == "VERB":
            role = verb_role(child, "dobj")
            if role in ("launched", "intercepted"):
                return role, child, False
    breakdown = False
    cur = anchor
    for _ in range(12):
        dep, head = cur.dep_, cur.head
        if head.i == cur.i:
            return None
        if dep in ("conj", "appos"):
            if lemma_of(head) in WAVE_NOUNS and not _role(head):
                return "launched", head, breakdown  # "a wave of 60 drones and 12 missiles"
            if head.pos_ in ("VERB", "AUX"):
                role = verb_role(head, "dobj")  # a gapped object: "... and 30 drones at Odesa"
                return (role, head, breakdown) if role else None
            cur = head
            continue
        if dep == "pobj" and lemma_of(head) == "between" and head.head.pos_ == "VERB":
            role = verb_role(head.head, "dobj")  # "launched between 300 and 400 drones"
            return (role, head.head, breakdown) if role else None
        if dep == "pobj":
            prep, owner = lemma_of(head), head.head
            if prep == "of":
                if is_attack_noun(owner) or (
                    lemma_of(owner) in WAVE_NOUNS and not _role(owner)
                ):  # "an attack of 500 drones", "a second wave of 60 drones followed"
                    return "launched", owner, breakdown
                if is_number(owner) or lemma_of(owner) in CONTAINER_NOUNS | PARTITIVE_HEADS:
                    cur = owner
                    continue
                return None  # "production of", "the record of 728 drones"
            if prep == "with" and lemma_of(owner) not in ("along", "together"):
                if is_attack_noun(owner) or (
                    owner.pos_ == "VERB" and lemma_of(owner) in ATTACK_VERBS | LAUNCH_VERBS
                ):
                    return "launched", owner, breakdown  # "attacked Kyiv with 40 missiles"
                if not munition_kind(owner):
                    return None  # "armed with 40 missiles"
            elif prep in ("include", "including"):
                breakdown = True
            elif prep == "by" and head.dep_ == "agent":
                if lemma_of(owner) in HIT_VERBS:
                    return "launched", owner, breakdown  # "Kyiv was hit by 40 missiles"
                return None
            elif prep not in ("with", "along", "alongside", "plus", "besides", "as"):
                return None
            if lemma_of(owner) in ("along", "together"):  # "along with"
                owner = owner.head
            if owner.pos_ in ("VERB", "AUX"):
                role = verb_role(owner, "dobj")  # "fired 300 drones along with 20 missiles"
                return (role, owner, breakdown) if role else None
            cur = owner
            continue
        if dep == "npadvmod" and is_number(cur) and head.pos_ == "VERB":
            dep = "dobj"  # "shot down 52 of 62 drones", parsed as npadvmod
        if dep in ("dobj", "obj", "nsubjpass", "attr", "oprd", "nsubj"):
            if head.pos_ not in ("VERB", "AUX"):
                return None
            role = verb_role(head, "nsubj" if dep == "nsubj" else "dobj")
            return (role, head, breakdown) if role else None
        if dep == "compound" and is_attack_noun(head):
            return "launched", head, breakdown  # "a 500-drone attack"
        return None
    return None


def find_mentions(span: Span) -> list[Mention]:
    """Every launched or intercepted count of munitions in a sentence."""
    out: list[Mention] = []
    used: set[int] = set()  # tokens already counted
    for token in span:
        kind = munition_kind(token)
        if kind is None or token.i in used:
            continue
        if token.dep_ == "compound" and munition_kind(token.head):
            continue  # "Shahed drones": the head noun counts
        if any(lemma_of(c) in REFERENCE_LEMMAS for c in token.children if c.dep_ != "prep"):
            continue  # "the record 728 drones", "the previous 40 missiles": another attack
        own = own_count(token)
        # (count, anchor, role) for this noun; a partitive gives two: part and whole.
        found: list[tuple[Quantity, Token, tuple[str, Token, bool] | None]] = []
        owner = token.head.head if token.dep_ == "pobj" and lemma_of(token.head) == "of" else None
        if owner is not None and (is_number(owner) or owner.lower_ in PARTITIVE_HEADS):
            partitive = (
                own is not None
                or owner.lower_ in PARTITIVE_HEADS
                or any(c.dep_ in ("det", "poss") and c.lower_ in THE_WORDS for c in token.children)
            )
            part_role = _role(owner)
            part = count_at(owner, inclusive=True) if is_number(owner) else None
            if part is not None and not partitive:
                found.append((part, owner, part_role))  # "hundreds of drones"
            elif part_role is not None:
                if part is not None:
                    found.append((part, owner, part_role))  # "450 of the drones"
                if own is not None:  # "80 of the 100 drones": the whole was launched
                    whole = "launched" if part_role[0] == "intercepted" else part_role[0]
                    found.append((own, token, (whole, part_role[1], part_role[2])))
        elif own is not None:
            role = _role(token)
            if role is None and kind == "airstrike":
                role = ("launched", token, False)  # an air strike is itself an attack
            found.append((own, token, role))
        kinds = [kind]
        for c in token.conjuncts:  # "524 drones and missiles": one count for both
            if c.i > token.i and munition_kind(c) and own_count(c) is None and c.dep_ == "conj":
                if munition_kind(c) not in kinds:
                    kinds.append(munition_kind(c))
                used.add(c.i)
        for quantity, anchor, role in found:
            if role is None or anchor.i in used:
                continue
            used.add(anchor.i)
            together = tuple(kinds) if anchor.i == token.i or len(found) == 1 else (kind,)
            out.append(_mention(together, quantity, anchor, *role))
    # Counts without a munition noun: "100 were shot down", "of which 120 were intercepted".
    for token in span:
        if token.i in used or not token.like_num:
            continue
        if token.dep_ not in ("nsubjpass", "dobj") or token.ent_type_ in NOT_COUNTS:
            continue
        role = _role(token)
        if not role or role[0] != "intercepted":
            continue
        before = [m for m in out if m.anchor.i < token.i]
        quantity = count_at(token, inclusive=True)
        if not before or len(before[-1].kinds) > 1 or quantity is None:
            continue
        used.add(token.i)
        out.append(_mention(before[-1].kinds, quantity, token, *role))
    out.sort(key=lambda m: m.anchor.i)
    return out


def _mention(
    kinds: tuple[str, ...], q: Quantity, anchor: Token, role: str, pred: Token, breakdown: bool
) -> Mention:
    """A Mention of a count with the role its governing word gave it."""
    gapped = anchor.dep_ == "conj" and anchor.head.pos_ in ("VERB", "AUX")
    another = any(c.lower_ in ("another", "more") for c in anchor.children) or "another" in [
        t.lower_ for t in anchor.subtree if t.i < anchor.i
    ]
    conditional = role == "conditional"
    return Mention(
        kinds=kinds,
        quantity=q,
        anchor=anchor,
        role="launched" if conditional else role,
        pred=pred,
        breakdown=breakdown,
        clause=anchor.i if gapped else pred.i,
        another=another,
        conditional=conditional,
    )
