"""Attack vocabulary and the parse tests built on it.

What the strike detector needs to know about words around munitions: which
nouns name an attack ("barrage", "strike", but not a "hunger strike"), which
verbs launch, hit or intercept what they govern ("fired 500 drones", "drones
hit the grid", "shot down 450"), which words are places an attack is aimed at,
and the chain of governing words a count hangs from within one clause. All of
it reads lemmas and the dependency parse, never particular wordings.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from ...language.clauses import lemma_of

# Nouns that name an attack.
ATTACK_NOUNS = frozenset(
    "attack strike airstrike assault barrage bombardment raid bombing shelling onslaught "
    "salvo volley blitz".split()
)
# Strikes that are not attacks: "hunger strike", "general strike", "lightning strike".
NOT_ATTACK_STRIKES = frozenset(
    "hunger general labour labor worker union teacher rail nurse doctor pilot wildcat warning "
    "lightning sympathy national pay staff student".split()
)
# Places an attack can be aimed at (besides named places and TARGET_HEADS).
PLACE_NOUNS = frozenset(
    "city town village region capital area position positions target territory front frontline "
    "settlement district oblast province suburb outskirts neighbourhood neighborhood country "
    "community coast island".split()
)
# Waters: munitions that land there hit no target (tests, drills).
WATERS = frozenset({"sea", "ocean", "water", "waters", "gulf", "bay", "strait"})
# Things an attack can hit (head nouns); hit_targets.py sorts them into categories.
TARGET_HEADS = frozenset(
    "infrastructure grid substation plant station facility site refinery depot terminal "
    "railway rail railroad line train port harbour harbor hospital clinic school kindergarten "
    "building block house home apartment bridge airfield airport base factory enterprise "
    "warehouse dam system".split()
)
# Munitions are the object of these: "fired 500 drones".
LAUNCH_VERBS = frozenset(
    {"launch", "fire", "unleash", "hurl", "lob", "shoot", "drop", "rain", "throw", "fling"}
)
# "attacked Kyiv with 40 missiles"; also the object of these is a target.
ATTACK_VERBS = frozenset(
    "attack strike hit target pound bombard pummel batter blast assault hammer shell raid "
    "slam barrage blitz".split()
)
# Munitions as the subject of these were launched: "drones hit the grid".
HIT_VERBS = ATTACK_VERBS | frozenset(
    "damage destroy kill injure wound smash explode crash rock ravage reach".split()
)
# Munitions as the object of these were intercepted.
INTERCEPT_VERBS = frozenset(
    "intercept down neutralise neutralize repel repulse jam jammed suppress thwart eliminate "
    "destroy stop".split()
)
# "shoot down", "bring down", "knock out", "take out".
INTERCEPT_PHRASAL = {
    "shoot": {"down"},
    "bring": {"down"},
    "knock": {"down", "out"},
    "take": {"out", "down"},
}
# Verbs that launch only in a hostile context: "used 426 drones in the attack".
CONDITIONAL_VERBS = frozenset(
    {"use", "deploy", "employ", "involve", "include", "send", "feature", "comprise", "be"}
)
# Prepositions whose object is a target: "on Ukraine", "at Kyiv".
TARGET_PREPS = frozenset(
    {"on", "at", "against", "toward", "towards", "across", "over", "into", "in", "upon"}
)


def _particles(verb: Token) -> set[str]:
    """Particles of a phrasal verb; the parser also labels "shot down" as advmod."""
    return {
        c.lower_
        for c in verb.children
        if c.dep_ in ("prt", "advmod") or (c.dep_ == "prep" and not list(c.children))
    }


def verb_role(verb: Token, dep: str) -> str | None:
    """The role of a count that is the ``dep`` of ``verb`` ("nsubj" or "dobj")."""
    lemma = lemma_of(verb)
    if _particles(verb) & INTERCEPT_PHRASAL.get(lemma, set()):
        return None if dep == "nsubj" else "intercepted"
    if dep == "nsubj":
        return "launched" if lemma in HIT_VERBS else None
    if lemma in INTERCEPT_VERBS:
        return "intercepted"
    if lemma in LAUNCH_VERBS:
        return "launched"
    if lemma in CONDITIONAL_VERBS:
        return "conditional"
    return None


def intercepts(token: Token) -> bool:
    """True for a verb that intercepts its object: "shot down", "intercepted"."""
    return token.pos_ in ("VERB", "AUX") and verb_role(token, "dobj") == "intercepted"


def is_attack_noun(token: Token) -> bool:
    """An attack, not a labour, hunger or lightning strike or a "strike" in a game."""
    if lemma_of(token) not in ATTACK_NOUNS or token.pos_ not in ("NOUN", "PROPN"):
        return False
    if lemma_of(token) != "strike":
        return True
    modifiers = {lemma_of(c) for c in token.children if c.dep_ in ("compound", "amod", "poss")}
    if modifiers & NOT_ATTACK_STRIKES:
        return False
    head = token.head
    # "went on strike", "are on strike"
    return not (
        token.dep_ == "pobj"
        and lemma_of(head) == "on"
        and head.head.pos_ in ("VERB", "AUX")
        and lemma_of(head.head) in ("go", "be", "remain", "stay", "walk")
    )


def is_place(token: Token) -> bool:
    """A place or a thing that can be a target: "Kyiv", "the village", "energy facilities"."""
    if any(lemma_of(t) in WATERS for t in token.subtree):
        return False  # "into the sea": where tests and drills land
    if token.ent_type_ in ("GPE", "LOC", "FAC", "NORP"):
        return True
    if token.ent_type_ and token.ent_type_ not in ("ORG",):
        return False  # "on Thursday", "at 0300 GMT"
    if lemma_of(token) in PLACE_NOUNS or lemma_of(token) in TARGET_HEADS:
        return True
    return token.pos_ == "PROPN"


def aimed(verb: Token, *, dobj: bool = True) -> bool:
    """True when a verb is aimed at a place: "struck Kyiv", "fired ... at the village"."""
    for c in verb.children:
        if dobj and c.dep_ in ("dobj", "nsubjpass") and is_place(c):
            return True
        if c.dep_ == "prep" and lemma_of(c) in TARGET_PREPS - {"in", "over"}:
            if any(g.dep_ == "pobj" and is_place(g) for g in c.children):
                return True
    return False


def clause_chain(pred: Token) -> list[Token]:
    """The governing token and the verbs it hangs from within one clause.

    An attack noun hangs from its verb ("a barrage ... hit Kyiv", "unleashed a strike
    with 60 drones"); a verb from the verbs it modifies ("unleashed ..., firing 500
    drones"), but not from a verb of saying ("said Russia launched").
    """
    out = [pred]
    cur = pred
    for _ in range(4):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            break
        if cur.dep_ not in ("pobj", "prep", "agent", "dobj", "nsubj", "nsubjpass", "conj", "appos"):
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            out.append(cur)
    while cur.dep_ in ("advcl", "xcomp", "conj", "acl", "relcl") and cur.head.i != cur.i:
        cur = cur.head
        if cur.pos_ not in ("VERB", "AUX"):
            break
        out.append(cur)
    return out


def attack_nouns(tokens: Iterable[Token]) -> list[Token]:
    """Attack nouns attached to the given tokens (and the tokens that are attack nouns)."""
    out = []
    for t in tokens:
        if is_attack_noun(t):
            out.append(t)
        for c in t.children:
            if is_attack_noun(c):
                out.append(c)
            if c.dep_ == "prep":
                out.extend(g for g in c.children if is_attack_noun(g))
    return out
