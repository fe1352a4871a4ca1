"""Large military strikes: munitions counted per type, who struck whom, what was hit.

How a sentence becomes a strike (all from the dependency parse and lemmas):

1. Munition words ("drones", "Shaheds", "ballistic missiles", "glide bombs",
   "artillery rounds", ...) are found and counted with the numbers layer
   (``detectors.quantities``): "roughly 500 drones", "two dozen missiles",
   "hundreds of drones", "a 500-drone attack". "524 drones and missiles" is
   one count for both types.
2. Each count gets a role by climbing the parse to the word that governs it:
   launched ("Russia fired 500 drones", "attacked Kyiv with 40 missiles",
   "drones hit the grid", "a barrage of 40 missiles"), intercepted ("shot down
   450 of the drones", "100 were shot down"), or none ("supplied 500 shells",
   "produces 2,700 drones", "the record of 728 drones", "500 drones lit up the
   sky"). Only launched and intercepted counts make a strike. Verbs that can go
   either way ("used", "sent", "deployed") need a sign of hostility in the
   sentence (an attack noun, a target, casualties, interceptions).
3. Counts in one sentence form one attack unless the parse says otherwise:
   a different attacker, a different time ("on Monday" vs "on Tuesday"), a
   gapped second clause, or "another". Attacks in different sentences are never
   added up; a sentence that only reports interceptions adds them to the
   attack before it.
4. An attack is dropped when it is a show or a test ("light show", "test-fired",
   "drill"), in the past ("80 years ago", "in 1944", "during the Blitz", "World
   War", an anniversary remembered without a date of today), a running total
   or a rate ("since the start of the war", "this year", "in July", "a day",
   "during the 78-day operation"), hypothetical ("could launch"), denied ("did
   not fire"), a reference to another attack ("the record 728 drones"), or
   drones launched by no one we can name at nothing we can name ("launched 60
   drones to search for survivors").
5. Launched counts are what is counted; intercepted ones are kept apart in
   ``intercepted``. When only interceptions are reported for a type, at least
   that many were launched, so that number counts as launched.

The attacker comes from the subject of the launching verb (or "by Russia",
"Russian drones", "Russia's attack", "from Russia"), else from the sentence
before; the target from "on/at/against/across Ukraine", the object of
"attacked"/"struck", or the side whose air defences intercepted. What was hit
and the casualties come from the sentence and, when ``read_next_sentence``, the
sentence after it ("The assault damaged energy infrastructure ..., injuring at
least four railway workers"), which the gate parses for it (``next_sentence_triggers``),
or the sentence before when that one tells of the attack's toll.

Fields: ``munitions`` {type: launched count} for the types counted on their own
("524 drones and missiles" alone gives ``total`` 524 and no per-type split),
``total``, ``actor`` and ``target`` (ISO alpha-2 or None), ``casualties``
{killed, injured} (0 when none are reported), ``targets`` (categories of what was
hit, in order), and ``intercepted`` {type: count} (an addition to DESIGN.md).
Summaries keep the hedges: "Russia struck Ukraine with ~500 drones and 24
missiles; energy infrastructure hit; 4 injured".

Severity: an attack is reported only when large (``min_total`` munitions or
``min_missiles`` missiles). It is "medium", "high" when it reaches
``high_total`` munitions, ``high_missiles`` missiles, ``high_killed`` killed or
``high_injured`` injured, and "critical" at the ``critical_*`` thresholds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from spacy.tokens import Span, Token

from ..article import Article, Sentence
from ..base import Detector, register
from ..quantities import Quantity, find_quantities, format_quantity
from ..records import Detection
from ..settings import ConfigError

# Munition types in the order summaries list them.
KINDS = ("drone", "missile", "rocket", "shell", "bomb")
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
}
# "rounds" is a munition only with one of these before it ("artillery rounds").
ROUND_COMPOUNDS = frozenset({"artillery", "mortar", "tank", "howitzer"})
# Every surface form of a munition word, for the gate.
MUNITION_FORMS = frozenset(
    [w for w in MUNITIONS if w != "shahe"]
    + [w + "s" for w in MUNITIONS if w not in ("shahe", "atacms")]
    + ["uavs", "kabs"]
)
ROUND_PHRASES = [f"{c} {r}" for c in ROUND_COMPOUNDS for r in ("round", "rounds")]

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
WATERS = frozenset({"sea", "ocean", "water", "waters", "gulf", "bay", "strait"})
# A count of these is a reference to another attack: "the record 728 drones".
REFERENCE_LEMMAS = frozenset({"record", "previous", "prior", "earlier", "last"})
# Nouns a count passes through on its way up: "a wave of 100 drones".
CONTAINER_NOUNS = frozenset(
    "barrage salvo volley wave swarm total number combination mix group hail flurry series".split()
)
# Nouns that are numbers: "hundreds of drones", "a dozen missiles".
NUMBER_NOUNS = frozenset({"dozen", "hundred", "thousand", "million", "score", "couple", "ten"})
# Determiners that make "450 of the drones" a part of a whole.
THE_WORDS = frozenset({"the", "these", "those", "its", "their", "them"})
# Entity types of numbers that are not counts.
NOT_COUNTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
# Words before "of the drones" that take part of a whole: "450 of the drones".
PARTITIVE_HEADS = frozenset({"most", "all", "some", "many", "none", "half", "majority", "bulk"})
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
CUMULATIVE_POBJ = frozenset({"war", "invasion", "conflict", "campaign", "start", "beginning"})
CAMPAIGN_NOUNS = frozenset({"operation", "campaign", "offensive", "war", "conflict", "siege"})
RATE_DETS = frozenset({"a", "an", "per", "every", "each"})
RATE_WORDS = frozenset({"day", "night", "week", "month", "year", "hour"})
RATE_ADVERBS = frozenset({"daily", "nightly", "weekly", "monthly", "average"})
HYPOTHETICAL_AUX = frozenset({"could", "might", "may", "would", "will", "can", "should", "shall"})
PLAN_VERBS = frozenset({"plan", "threaten", "prepare", "want", "aim", "seek", "intend", "vow"})
# A next sentence with one of these words is about something else.
SEPARATE_LEMMAS = frozenset({"separate", "separately", "elsewhere", "meanwhile", "earlier"})
MAKER_LEMMAS = frozenset({"make", "design", "build", "supply", "produce", "manufacture"})
PRONOUNS = frozenset({"it", "they", "its", "their", "he", "she", "we"})

KILL_LEMMAS = frozenset({"kill", "die", "dead", "death"})
INJURE_LEMMAS = frozenset({"injure", "wound", "hurt", "injured", "wounded"})
DAMAGE_VERBS = HIT_VERBS | {"knock", "cut", "ignite", "burn", "set", "disable", "leave"}

# What was hit: head nouns, then the category from the words around them.
TARGET_HEADS = frozenset(
    "infrastructure grid substation plant station facility site refinery depot terminal "
    "railway rail railroad line train port harbour harbor hospital clinic school kindergarten "
    "building block house home apartment bridge airfield airport base factory enterprise "
    "warehouse dam system".split()
)
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


@dataclass(frozen=True)
class StrikeSettings:
    """The ``detectors.strike`` section.

    enabled (bool): run this detector. Defaults to True.
    min_total (int): munitions in one attack that make it large. Defaults to 50.
    min_missiles (int): missiles in one attack that make it large. Defaults to 10.
    high_total (int): munitions for severity "high". Defaults to 200.
    high_missiles (int): missiles for severity "high". Defaults to 30.
    high_killed (int): people killed for severity "high". Defaults to 5.
    high_injured (int): people injured for severity "high". Defaults to 20.
    critical_total (int): munitions for severity "critical". Defaults to 500.
    critical_missiles (int): missiles for severity "critical". Defaults to 60.
    critical_killed (int): people killed for severity "critical". Defaults to 20.
    critical_injured (int): people injured for severity "critical". Defaults to 100.
    read_next_sentence (bool): also read the sentence after an attack for damage and
        casualties; the gate then parses the sentence after each munition word. Defaults to True.
    """

    enabled: bool = True
    min_total: int = 50
    min_missiles: int = 10
    high_total: int = 200
    high_missiles: int = 30
    high_killed: int = 5
    high_injured: int = 20
    critical_total: int = 500
    critical_missiles: int = 60
    critical_killed: int = 20
    critical_injured: int = 100
    read_next_sentence: bool = True

    def __post_init__(self) -> None:
        key = "detectors.strike"
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type in (int, "int") and value < 1:
                raise ConfigError(f"{key}.{f.name}", f"must be 1 or more, got {value}")
        # Each step must be at least the one below it: min <= high <= critical.
        for what in ("total", "missiles", "killed", "injured"):
            steps = [f"{level}_{what}" for level in ("min", "high", "critical")]
            steps = [name for name in steps if hasattr(self, name)]
            for lower, upper in zip(steps, steps[1:], strict=False):
                low, high = getattr(self, lower), getattr(self, upper)
                if high < low:
                    raise ConfigError(
                        f"{key}.{upper}",
                        f"must be at least {lower} ({low}), got {high}; "
                        f"raise {upper} or lower {lower}",
                    )


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


@dataclass
class Attack:
    """Munition counts that belong to one attack, and what is known about it."""

    sentence: Sentence
    mentions: list[Mention] = field(default_factory=list)
    actor: str | None = None
    target: str | None = None
    times: frozenset[str] = frozenset()
    intercepted: dict[str, int] = field(default_factory=dict)

    def counts(self) -> tuple[dict[str, int], dict[str, list[Quantity]], int, list[Mention]]:
        """Per-type munitions, the quantities behind them, the total, and combined counts."""
        launched = {k: 0 for k in KINDS}
        shown: dict[str, list[Quantity]] = {k: [] for k in KINDS}
        detail = {k: 0 for k in KINDS}
        detail_q: dict[str, list[Quantity]] = {k: [] for k in KINDS}
        combined: list[Mention] = []
        for m in self.mentions:
            if m.role != "launched":
                continue
            if len(m.kinds) > 1:
                combined.append(m)
            elif m.breakdown:
                detail[m.kinds[0]] += m.quantity.value
                detail_q[m.kinds[0]].append(m.quantity)
            else:
                launched[m.kinds[0]] += m.quantity.value
                shown[m.kinds[0]].append(m.quantity)
        munitions: dict[str, int] = {}
        explicit = sum(launched.values()) + sum(m.quantity.value for m in combined)
        for k in KINDS:
            value, qs = launched[k], shown[k]
            if detail[k] > value:
                value, qs = detail[k], detail_q[k]
            downed = self.intercepted.get(k, 0)
            if downed > value:
                at_least = Quantity(downed, "at least", False, str(downed), 0, 0)
                value, qs = downed, [at_least]
            if value:
                munitions[k] = value
                shown[k] = qs
        total = max(explicit, sum(munitions.values()))
        return munitions, shown, total, combined


# ---------------------------------------------------------------- parse helpers


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def munition_kind(token: Token) -> str | None:
    """The munition type a noun names, or None."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    lower = token.lower_
    for word in (_lemma(token), lower, lower[:-1] if lower.endswith("s") else lower):
        if word in MUNITIONS:
            return MUNITIONS[word]
    if _lemma(token) == "round" and any(
        c.dep_ == "compound" and c.lower_ in ROUND_COMPOUNDS for c in token.children
    ):
        return "shell"
    return None


def _is_number(token: Token) -> bool:
    return token.like_num or token.tag_ == "CD" or _lemma(token) in NUMBER_NOUNS


def _count_at(token: Token, *, inclusive: bool) -> Quantity | None:
    """The count written before ``token`` (or ending with it when ``inclusive``)."""
    doc = token.doc
    start = token.left_edge.i
    if start >= token.i and not inclusive:
        return None
    span = doc[start : token.i + 1]  # with the token itself: "500-drone" needs its "-drone"
    text = span.text
    if inclusive and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "of":
        text = doc[start : token.i + 2].text  # "scores of"
    token_start = token.idx - span.start_char
    token_end = token_start + len(token.text)
    found = [q for q in find_quantities(text) if inclusive or q.end <= token_start]
    if not found:
        return None
    q = found[-1]
    if inclusive:
        if q.end < token_end:
            return None  # the count must end at the token itself, not earlier in its subtree
    else:
        numbers = [c for c in token.children if c.dep_ in ("nummod", "quantmod")]
        if not numbers:
            return None
        offsets = {c.idx - span.start_char for n in numbers for c in n.subtree}
        if not any(q.start <= o < q.end for o in offsets):
            return None
    base = span.start_char  # offsets into the parsed text
    return Quantity(q.value, q.hedge, q.approximate, q.text, base + q.start, base + q.end)


def _own_count(token: Token) -> Quantity | None:
    """The count a munition noun carries itself: "roughly 500 drones", "500-drone"."""
    if not any(c.dep_ in ("nummod", "quantmod") for c in token.children):
        return None
    return _count_at(token, inclusive=False)


def _particles(verb: Token) -> set[str]:
    """Particles of a phrasal verb; the parser also labels "shot down" as advmod."""
    return {
        c.lower_
        for c in verb.children
        if c.dep_ in ("prt", "advmod") or (c.dep_ == "prep" and not list(c.children))
    }


def _verb_role(verb: Token, dep: str) -> str | None:
    """The role of a count that is the ``dep`` of ``verb`` ("nsubj" or "dobj")."""
    lemma = _lemma(verb)
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


def _role(anchor: Token) -> tuple[str, Token, bool] | None:
    """Climb from a count to what governs it: (role, governing token, is breakdown)."""
    for child in anchor.children:  # "the 180 missiles fired by Iran", "test-fired 10 missiles"
        if child.dep_ in ("acl", "relcl", "amod") and child.pos_ == "VERB":
            role = _verb_role(child, "dobj")
            if role in ("launched", "intercepted"):
                return role, child, False
    breakdown = False
    cur = anchor
    for _ in range(12):
        dep, head = cur.dep_, cur.head
        if head.i == cur.i:
            return None
        if dep in ("conj", "appos"):
            if head.pos_ in ("VERB", "AUX"):
                role = _verb_role(head, "dobj")  # a gapped object: "... and 30 drones at Odesa"
                return (role, head, breakdown) if role else None
            cur = head
            continue
        if dep == "pobj":
            prep, owner = _lemma(head), head.head
            if prep == "of":
                if _is_attack_noun(owner):
                    return "launched", owner, breakdown  # "an attack of 500 drones"
                if _is_number(owner) or _lemma(owner) in CONTAINER_NOUNS | PARTITIVE_HEADS:
                    cur = owner
                    continue
                return None  # "production of", "the record of 728 drones"
            if prep == "with" and _lemma(owner) not in ("along", "together"):
                if _is_attack_noun(owner) or (
                    owner.pos_ == "VERB" and _lemma(owner) in ATTACK_VERBS | LAUNCH_VERBS
                ):
                    return "launched", owner, breakdown  # "attacked Kyiv with 40 missiles"
                if not munition_kind(owner):
                    return None  # "armed with 40 missiles"
            elif prep in ("include", "including"):
                breakdown = True
            elif prep == "by" and head.dep_ == "agent":
                if _lemma(owner) in HIT_VERBS:
                    return "launched", owner, breakdown  # "Kyiv was hit by 40 missiles"
                return None
            elif prep not in ("with", "along", "alongside", "plus", "besides", "as"):
                return None
            if _lemma(owner) in ("along", "together"):  # "along with"
                owner = owner.head
            if owner.pos_ in ("VERB", "AUX"):
                role = _verb_role(owner, "dobj")  # "fired 300 drones along with 20 missiles"
                return (role, owner, breakdown) if role else None
            cur = owner
            continue
        if dep == "npadvmod" and _is_number(cur) and head.pos_ == "VERB":
            dep = "dobj"  # "shot down 52 of 62 drones", parsed as npadvmod
        if dep in ("dobj", "obj", "nsubjpass", "attr", "oprd", "nsubj"):
            if head.pos_ not in ("VERB", "AUX"):
                return None
            role = _verb_role(head, "nsubj" if dep == "nsubj" else "dobj")
            return (role, head, breakdown) if role else None
        if dep == "compound" and _is_attack_noun(head):
            return "launched", head, breakdown  # "a 500-drone attack"
        return None
    return None


def _intercepts(token: Token) -> bool:
    """True for a verb that intercepts its object: "shot down", "intercepted"."""
    return token.pos_ in ("VERB", "AUX") and _verb_role(token, "dobj") == "intercepted"


def _is_attack_noun(token: Token) -> bool:
    """An attack, not a labour, hunger or lightning strike or a "strike" in a game."""
    if _lemma(token) not in ATTACK_NOUNS or token.pos_ not in ("NOUN", "PROPN"):
        return False
    if _lemma(token) != "strike":
        return True
    modifiers = {_lemma(c) for c in token.children if c.dep_ in ("compound", "amod", "poss")}
    if modifiers & NOT_ATTACK_STRIKES:
        return False
    head = token.head
    # "went on strike", "are on strike"
    return not (
        token.dep_ == "pobj"
        and _lemma(head) == "on"
        and head.head.pos_ in ("VERB", "AUX")
        and _lemma(head.head) in ("go", "be", "remain", "stay", "walk")
    )


def _is_place(token: Token) -> bool:
    """A place or a thing that can be a target: "Kyiv", "the village", "energy facilities"."""
    if any(_lemma(t) in WATERS for t in token.subtree):
        return False  # "into the sea": where tests and drills land
    if token.ent_type_ in ("GPE", "LOC", "FAC", "NORP"):
        return True
    if token.ent_type_ and token.ent_type_ not in ("ORG",):
        return False  # "on Thursday", "at 0300 GMT"
        return True
    if _lemma(token) in PLACE_NOUNS or _lemma(token) in TARGET_HEADS:
        return True
    return token.pos_ == "PROPN"


def _aimed(verb: Token, *, dobj: bool = True) -> bool:
    """True when a verb is aimed at a place: "struck Kyiv", "fired ... at the village"."""
    for c in verb.children:
        if dobj and c.dep_ in ("dobj", "nsubjpass") and _is_place(c):
            return True
        if c.dep_ == "prep" and _lemma(c) in TARGET_PREPS - {"in", "over"}:
            if any(g.dep_ == "pobj" and _is_place(g) for g in c.children):
                return True
    return False


def _chain(pred: Token) -> list[Token]:
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


def _attack_nouns(tokens: Iterable[Token]) -> list[Token]:
    """Attack nouns attached to the given tokens (and the tokens that are attack nouns)."""
    out = []
    for t in tokens:
        if _is_attack_noun(t):
            out.append(t)
        for c in t.children:
            if _is_attack_noun(c):
                out.append(c)
            if c.dep_ == "prep":
                out.extend(g for g in c.children if _is_attack_noun(g))
    return out


class _Resolver:
    """Finds states in parts of the parse with the gazetteer."""

    def __init__(self, gazetteer: object) -> None:
        self.gazetteer = gazetteer

    def states(self, tokens: Iterable[Token], *, bloc: bool = False) -> list[str]:
        """Actors named in ``tokens``, in order; codes only unless ``bloc``."""
        seen: list[str] = []
        tokens = sorted(set(tokens), key=lambda t: t.i)
        done: set[int] = set()
        for t in tokens:
            if t.i in done:
                continue
            actor = None
            if t.ent_type_:
                ent = next((e for e in t.doc.ents if e.start <= t.i < e.end), None)
                if ent is not None:
                    done.update(range(ent.start, ent.end))
                    actor = ent._.actor
            if actor is None and t.pos_ in ("PROPN", "ADJ", "NOUN") and t.text[:1].isupper():
                actor = self.gazetteer.resolve(t.text)  # NER misses: "Kyiv overnight" as TIME
            if actor and (bloc or (len(actor) == 2 and actor.isupper())) and actor not in seen:
                seen.append(actor)
        return seen

    def subtree(self, token: Token) -> list[str]:
        return self.states(token.subtree)

    def subject(self, verb: Token) -> list[str]:
        """States in the subject of ``verb``; a pronoun subject is the reporter's ("said it")."""
        for c in verb.children:
            if c.dep_ != "nsubj":
                continue
            found = self.subtree(c)
            if found:
                return found
            pronoun = c.lower_ in PRONOUNS or any(
                g.dep_ == "poss" and g.lower_ in PRONOUNS for g in c.children
            )
            if pronoun:
                cur = verb
                while cur.dep_ in ("ccomp", "conj", "advcl", "xcomp") and cur.head.i != cur.i:
                    cur = cur.head
                    for s in cur.children:
                        if s.dep_ == "nsubj":
                            found = self.subtree(s)
                            if found:
                                return found
        return []


# ---------------------------------------------------------------- mentions


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
        if any(_lemma(c) in REFERENCE_LEMMAS for c in token.children if c.dep_ != "prep"):
            continue  # "the record 728 drones", "the previous 40 missiles": another attack
        own = _own_count(token)
        # (count, anchor, role) for this noun; a partitive gives two: part and whole.
        found: list[tuple[Quantity, Token, tuple[str, Token, bool] | None]] = []
        owner = token.head.head if token.dep_ == "pobj" and _lemma(token.head) == "of" else None
        if owner is not None and (_is_number(owner) or owner.lower_ in PARTITIVE_HEADS):
            partitive = (
                own is not None
                or owner.lower_ in PARTITIVE_HEADS
                or any(c.dep_ in ("det", "poss") and c.lower_ in THE_WORDS for c in token.children)
            )
            part_role = _role(owner)
            part = _count_at(owner, inclusive=True) if _is_number(owner) else None
            if part is not None and not partitive:
                found.append((part, owner, part_role))  # "hundreds of drones"
            elif part_role is not None:
                if part is not None:
                    found.append((part, owner, part_role))  # "450 of the drones"
                if own is not None:  # "80 of the 100 drones": the whole was launched
                    whole = "launched" if part_role[0] == "intercepted" else part_role[0]
                    found.append((own, token, (whole, part_role[1], part_role[2])))
        elif own is not None:
            found.append((own, token, _role(token)))
        kinds = [kind]
        for c in token.conjuncts:  # "524 drones and missiles": one count for both
            if c.i > token.i and munition_kind(c) and _own_count(c) is None and c.dep_ == "conj":
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
        quantity = _count_at(token, inclusive=True)
        if not before or len(before[-1].kinds) > 1 or quantity is None:
            continue
        used.add(token.i)
        out.append(_mention(before[-1].kinds, quantity, token, *role))
    out.sort(key=lambda m: m.anchor.i)
    return out


def _mention(
    kinds: tuple[str, ...], q: Quantity, anchor: Token, role: str, pred: Token, breakdown: bool
) -> Mention:
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


def _times(tokens: Iterable[Token]) -> dict[str, int]:
    """DATE/TIME expressions attached to ``tokens`` (directly or by a preposition),
    with the token index where each is written."""
    out: dict[str, int] = {}
    for t in tokens:
        for c in t.children:
            cands = [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" else [c]
            for g in cands:
                if g.ent_type_ in ("DATE", "TIME"):
                    out[" ".join(x.lower_ for x in g.subtree if x.ent_type_)] = g.i
    return out


def _mention_times(m: Mention, chain: list[Token], next_i: int) -> frozenset[str]:
    """When a count happened: its own date ("35 drones on Tuesday"), else the clause's;
    a clause with several dates gives each count the one written after it
    ("30 drones on Monday and 35 drones on Tuesday")."""
    own = _times([m.anchor])
    if own:
        return frozenset(own)
    clause = _times(chain)
    if len(clause) > 1:
        after = {k for k, i in clause.items() if m.anchor.i < i < next_i}
        if after:
            return frozenset(after)
        before = [(i, k) for k, i in clause.items() if i < m.anchor.i]
        if before:
            return frozenset([max(before)[1]])
    return frozenset(clause)


# ---------------------------------------------------------------- vetoes


def _is_show_or_test(span: Span, previous: Span | None) -> bool:
    for part in (span, previous):
        if part is None:
            continue
        for t in part:
            if _lemma(t) in SHOW_LEMMAS and t.pos_ in ("NOUN", "VERB", "PROPN"):
                if _lemma(t) == "show" and t.pos_ == "VERB":
                    continue  # "data show", "figures show"
                return True
            if _lemma(t) == "test" or t.lower_.startswith("test-"):
                return True
    return False


def _is_history(span: Span, previous: Span | None, chain: list[Token]) -> bool:
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
            if ent.label_ == "DATE" and any(_is_year(t) and t.text < "2000" for t in ent):
                return True  # "in 1944", "the winter of 1940"
    for t in chain:
        for c in t.children:
            dated = c.subtree if c.dep_ == "prep" and _lemma(c) in ("in", "on", "during") else []
            if c.ent_type_ == "DATE":
                dated = c.subtree
            if any(g.ent_type_ == "DATE" and _is_year(g) for g in dated):
                return True  # "in 1944", "on this day in 1944"
            if c.dep_ == "prep" and _lemma(c) == "during":
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
        _lemma(t) in HISTORY_LEMMAS and t.i not in on_the_day
        for part in (span, previous)
        if part is not None
        for t in part
    )
    return remembered and not any(e.label_ == "TIME" or _is_today(e) for e in span.ents)


def _after_since(token: Token) -> bool:
    """True when the token hangs from "since" (or "than": "more than in 1944")."""
    for t in [token, *token.ancestors]:
        if t.dep_ == "prep" and _lemma(t) in ("since", "than"):
            return True
        if t.pos_ in ("VERB", "AUX"):
            return False
    return False


def _is_year(token: Token) -> bool:
    return len(token.text) == 4 and token.text.isdigit() and token.text[:2] in ("18", "19", "20")


def _is_today(ent: Span) -> bool:
    words = {t.lower_ for t in ent}
    return bool(words & TODAY_WORDS) and not any(_is_year(t) for t in ent)


def _is_cumulative(chain: list[Token], anchors: list[Token]) -> bool:
    """A running total or a rate: "since the start of the war", "this year", "a day"."""
    sentence = chain[0].sent
    # "the largest attack since July", "the biggest this year": a comparison, not a total
    compared = any(t.tag_ in ("JJS", "RBS") for t in sentence)
    for t in chain:
        for c in t.children:
            lemma = _lemma(c)
            if not compared:
                if c.dep_ == "prep" and lemma == "since":
                    return True
                if c.dep_ == "prep" and lemma in ("during", "throughout", "over", "in", "for"):
                    for g in c.children:
                        if g.dep_ == "pobj" and _lemma(g) in CUMULATIVE_POBJ:
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
            if c.dep_ == "npadvmod" and _lemma(c) in RATE_WORDS:
                if any(d.lower_ in RATE_DETS for d in c.children):
                    return True  # "a day", "every night"
            if c.dep_ == "prep" and c.lower_ == "per":
                return True
            if c.dep_ == "prep" and _lemma(c) == "on":
                if any(_lemma(g) == "average" for g in c.children):
                    return True
    return False


def _spans_days(span: Span, previous: Span | None) -> bool:
    """Counts told over a campaign of several days are totals: "During the 78-day
    operation, ...", "the three-week offensive"."""
    for part in (span, previous):
        if part is None:
            continue
        for t in part:
            if _lemma(t) not in CAMPAIGN_NOUNS:
                continue
            for m in t.children:
                if m.dep_ not in ("compound", "amod", "nmod") or _lemma(m) not in RATE_WORDS:
                    continue
                for n in m.children:
                    length = _count_at(n, inclusive=True) if n.dep_ == "nummod" else None
                    if length is not None and length.value > 1:
                        return True
    return False


def _is_unreal(chain: list[Token]) -> bool:
    """Hypothetical, planned or denied: "could launch", "plans to fire", "did not fire"."""
    for t in chain:
        for c in t.children:
            if c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX:
                return True
            if c.dep_ == "neg":
                return True
        if t.dep_ == "xcomp" and _lemma(t.head) in PLAN_VERBS:
            return True
        if (
            t.dep_ == "xcomp"
            and _lemma(t.head) == "be"
            and any(c.lower_ in ("able", "capable") for c in t.head.children)
        ):
            return True
    return False


# ---------------------------------------------------------------- consequences


def _count_of(token: Token) -> int:
    """A count for a casualty word's subject or object: "12 people", "dozens", "four"."""
    if any(t.lower_ in ("no", "none", "nobody") for t in token.subtree if t.i <= token.i):
        return 0  # "no one was hurt"
    q = _count_at(token, inclusive=True) if _is_number(token) else _own_count(token)
    return q.value if q else 0


def casualties(spans: list[Span]) -> dict[str, int]:
    """Killed and injured, the largest count of each reported in ``spans``."""
    out = {"killed": 0, "injured": 0}
    for span in spans:
        for t in span:
            lemma = _lemma(t)
            if lemma in KILL_LEMMAS:
                key = "killed"
            elif lemma in INJURE_LEMMAS:
                key = "injured"
            else:
                continue
            counted: list[Token] = []
            if lemma == "death":
                if t.dep_ == "compound" and _lemma(t.head) == "toll":
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
                elif t.dep_ in ("oprd", "ccomp", "acomp", "xcomp") and _lemma(t.head) == "leave":
                    counted = [c for c in t.head.children if c.dep_ == "dobj"]
                counted += [c for c in t.children if c.dep_ == "nummod"]
            value = sum(_count_of(c) for c in counted if not _under_including(c, t))
            out[key] = max(out[key], value)
    return out


def _under_including(token: Token, root: Token) -> bool:
    cur = token
    while cur is not root and cur.head.i != cur.i:
        if cur.dep_ == "prep" and _lemma(cur) in ("include", "including"):
            return True
        cur = cur.head
    return False


def _toll_numbers(toll: Token) -> list[Token]:
    verb = toll.head
    out = []
    for t in verb.subtree if verb.i != toll.i else toll.subtree:
        if t.like_num and t.head.dep_ == "prep" and _lemma(t.head) in ("to", "at", "of"):
            out.append(t)
    return out


def _target_category(token: Token) -> str | None:
    words = {_lemma(token), token.lower_}
    for c in token.children:
        if c.dep_ in ("compound", "amod", "nmod", "npadvmod"):
            words |= {_lemma(c), c.lower_}
            words |= {_lemma(g) for g in c.children if g.dep_ in ("compound", "amod")}
    if token.dep_ == "compound":
        words.add(_lemma(token.head))
    for keys, category in TARGET_CATEGORIES:
        if words & keys:
            if category == "residential buildings" and _lemma(token) == "base":
                continue
            bare = ("line", "site", "terminal", "station", "depot", "system", "facility")
            if _lemma(token) in bare and not (words - {_lemma(token), token.lower_}):
                return None  # a bare "line" or "station" says nothing
            return category
    return None


def hit_targets(spans: list[Span]) -> list[str]:
    """Categories of what was hit ("energy infrastructure", "railways"), in order."""
    out: list[str] = []
    for span in spans:
        for t in span:
            if _lemma(t) not in TARGET_HEADS or t.pos_ not in ("NOUN", "PROPN"):
                continue
            if t.dep_ == "compound" and _lemma(t.head) in TARGET_HEADS:
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
        if any(c.dep_ == "amod" and _lemma(c) in HIT_VERBS for c in cur.children):
            return True  # "damaged power lines", and "damaging power substations" misparsed
        dep, head = cur.dep_, cur.head
        if head.i == cur.i:
            return False
        if dep in ("conj", "appos", "compound"):
            cur = head
            continue
        if dep == "pobj":
            prep = _lemma(head)
            owner = head.head
            if prep in ("on", "at", "against", "targeting", "toward", "towards"):
                if _is_attack_noun(owner) or _lemma(owner) in HIT_VERBS | LAUNCH_VERBS:
                    return True
                if owner.pos_ in ("VERB",) and _lemma(owner) in CONDITIONAL_VERBS:
                    return True
            if prep == "of" and owner.pos_ == "NOUN":
                cur = owner  # "the outskirts of the plant" / "parts of the grid"
                continue
            return False
        if dep in ("dobj", "nsubjpass"):
            return _lemma(head) in DAMAGE_VERBS - {"kill", "injure", "wound", "leave"}
        return False
    return False


# ---------------------------------------------------------------- the detector


@register("strike")
class StrikeDetector(Detector):
    """Large military strikes, with munitions, attacker, target, damage and casualties."""

    Settings = StrikeSettings

    def __init__(self, settings: StrikeSettings, gazetteer: object) -> None:
        super().__init__(settings, gazetteer)
        self.resolve = _Resolver(gazetteer)

    def triggers(self) -> list[str]:
        return sorted(MUNITION_FORMS) + ROUND_PHRASES

    def next_sentence_triggers(self) -> list[str]:
        return self.triggers() if self.settings.read_next_sentence else []

    def detect(self, article: Article) -> list[Detection]:
        attacks: list[Attack] = []
        for sentence in article.sentences:
            if not any(t.lower_ in MUNITION_FORMS for t in sentence.span) and not any(
                munition_kind(t) == "shell" and _lemma(t) == "round" for t in sentence.span
            ):
                continue  # the gate only guarantees sentences with a munition word
            mentions = find_mentions(sentence.span)
            if not mentions:
                continue
            previous = article.previous(sentence)
            groups = self._group(sentence, mentions, previous)
            for attack in groups:
                launched = [m for m in attack.mentions if m.role == "launched"]
                if not launched and attacks and attacks[-1].sentence.index < sentence.index:
                    self._add_interceptions(attacks[-1], attack)
                    continue
                attacks.append(attack)
        kept: dict[tuple, Attack] = {}
        for attack in attacks:
            munitions, _, total, _ = attack.counts()
            key = (attack.actor, repr(sorted(munitions.items())), total)
            if key in kept:  # the same attack told twice: keep the first telling
                self._add_interceptions(kept[key], attack)
                continue
            kept[key] = attack
        out = []
        for attack in kept.values():
            detection = self._detection(article, attack)
            if detection is not None:
                out.append(detection)
        return out

    # -- grouping

    def _group(
        self, sentence: Sentence, mentions: list[Mention], previous: Sentence | None
    ) -> list[Attack]:
        span = sentence.span
        prev_span = previous.span if previous else None
        groups: list[Attack] = []
        for n, m in enumerate(mentions):
            chain = _chain(m.pred)
            if _is_unreal(chain) or _is_cumulative(chain, [m.anchor]):
                continue
            if _is_history(span, prev_span, chain) or _spans_days(span, prev_span):
                continue
            actor = self._attacker(m, chain)
            next_i = mentions[n + 1].anchor.i if n + 1 < len(mentions) else span.end
            times = _mention_times(m, chain, next_i)
            joined = None
            for g in groups:
                if m.another:
                    break
                clash_actor = actor and g.actor and actor != g.actor
                clash_time = times and g.times and times != g.times
                same_clause = any(x.clause == m.clause for x in g.mentions)
                if not clash_actor and (same_clause or not clash_time):
                    joined = g
                    break
            if joined is None:
                joined = Attack(sentence, times=times)
                groups.append(joined)
            joined.mentions.append(m)
            joined.actor = joined.actor or actor
            joined.times = joined.times or times
        out = []
        for g in groups:
            self._finish(g, prev_span)
            if self._keep(g, span, prev_span):
                out.append(g)
        return out

    def _keep(self, attack: Attack, span: Span, prev_span: Span | None) -> bool:
        """Drop shows, tests and unclear uses ("used 500 drones") without hostile signs."""
        hostile = self._hostile(attack, span)
        if _is_show_or_test(span, prev_span) and not hostile:
            return False
        launched = [m for m in attack.mentions if m.role == "launched"]
        if launched and all(m.conditional for m in launched):
            return hostile
        if all(m.kinds == ("drone",) for m in attack.mentions) and not hostile:
            # Drones also search, film and deliver: launched by nobody we know, at nothing
            # we can name, they are not an attack.
            return attack.actor is not None or attack.target is not None
        return True

    def _hostile(self, attack: Attack, span: Span) -> bool:
        """Signs of a military attack: an attack noun, a target, interceptions, losses."""
        if any(m.role == "intercepted" for m in attack.mentions):
            return True
        if any(_is_attack_noun(t) for t in span):
            return True
        if any(t.pos_ == "VERB" and _lemma(t) in ATTACK_VERBS and _aimed(t) for t in span):
            return True  # "struck Kyiv", not "struck a deal"
        hurt = casualties([span])
        if hurt["killed"] or hurt["injured"] or hit_targets([span]):
            return True
        return any(_aimed(t, dobj=False) for m in attack.mentions for t in _chain(m.pred))

    def _finish(self, attack: Attack, prev_span: Span | None) -> None:
        """Intercepted counts and the target; fall back to the sentence before for actors."""
        for m in attack.mentions:
            if m.role == "intercepted" and len(m.kinds) == 1:
                k = m.kinds[0]
                attack.intercepted[k] = attack.intercepted.get(k, 0) + m.quantity.value
        attack.target = self._target(attack)
        if prev_span is not None and (attack.actor is None or attack.target is None):
            actor, target = self._from_previous(prev_span)
            if attack.actor is None and actor != attack.target:
                attack.actor = actor
            if attack.target is None and target != attack.actor:
                attack.target = target
        if attack.target == attack.actor:
            attack.target = None

    @staticmethod
    def _add_interceptions(into: Attack, extra: Attack) -> None:
        """Interceptions told apart from the attack (a later sentence) join it, not add to it."""
        for k, v in extra.intercepted.items():
            into.intercepted[k] = max(into.intercepted.get(k, 0), v)
        into.actor = into.actor or extra.actor
        into.target = into.target or extra.target

    # -- who and whom

    def _attacker(self, m: Mention, chain: list[Token]) -> str | None:
        res = self.resolve
        if m.role == "launched":
            for v in chain:
                if v.pos_ in ("VERB", "AUX") and not _intercepts(v):
                    for c in v.children:
                        if c.dep_ == "agent":
                            found = res.subtree(c)
                            if found:
                                return found[0]
                    found = res.subject(v)
                    if found:
                        return found[0]
        for t in [m.anchor, *m.anchor.conjuncts]:
            for c in t.children:
                if c.dep_ in ("amod", "poss", "compound", "nmod"):
                    if any(_lemma(g) in MAKER_LEMMAS for g in c.subtree):
                        continue  # "Iranian-made drones" say who built them, not who fired
                    found = res.subtree(c)
                    if found:
                        return found[0]
                if c.dep_ in ("acl", "relcl"):
                    for g in c.children:
                        if g.dep_ == "agent":
                            found = res.subtree(g)
                            if found:
                                return found[0]
        if m.anchor.dep_ == "pobj" and m.anchor.head.head.i != m.anchor.i:
            owner = m.anchor.head.head
            for c in owner.children:
                if c.dep_ in ("amod", "poss"):
                    found = res.subtree(c)
                    if found:
                        return found[0]
        for noun in _attack_nouns(chain):
            for c in noun.children:
                if c.dep_ in ("amod", "poss", "compound"):
                    found = res.subtree(c)
                    if found:
                        return found[0]
        for t in chain + [m.anchor]:
            for c in t.children:
                if c.dep_ == "prep" and _lemma(c) == "from":
                    found = res.subtree(c)
                    if found:
                        return found[0]
        return None

    def _target(self, attack: Attack) -> str | None:
        res = self.resolve
        actor = attack.actor
        candidates: list[str] = []
        reporters: list[str] = []
        nested: list[str] = []
        for m in attack.mentions:
            chain = _chain(m.pred)
            if _intercepts(m.pred):
                candidates += res.subject(m.pred)  # the side that shot them down
            top = chain[-1]
            if top.dep_ == "ccomp" and _lemma(top.head) in ("say", "report", "announce"):
                for c in top.head.children:  # "Ukraine's air force said ..."
                    if c.dep_ == "nsubj" and {"air", "force", "defence", "defense"} & {
                        x.lower_ for x in c.subtree
                    }:
                        reporters += res.subtree(c)
            focus = chain + _attack_nouns(chain) + [m.anchor]
            for t in focus:
                for c in t.children:
                    if c.dep_ == "prep" and _lemma(c) in TARGET_PREPS:
                        for g in c.children:
                            if g.dep_ == "pobj":
                                candidates += res.subtree(g)
                    if (
                        c.dep_ in ("dobj", "nsubjpass")
                        and t.pos_ == "VERB"
                        and _lemma(t) in ATTACK_VERBS
                    ):
                        candidates += res.subtree(c)
            for t in m.anchor.subtree:  # "20 missiles of various types against Ukraine"
                if t.dep_ == "prep" and _lemma(t) in TARGET_PREPS - {"in", "over", "into"}:
                    nested += [
                        code for g in t.children if g.dep_ == "pobj" for code in res.subtree(g)
                    ]
        for code in candidates + nested + reporters:
            if code != actor:
                return code
        return None

    def _from_previous(self, span: Span) -> tuple[str | None, str | None]:
        """Attacker and target of an attack told in the sentence before."""
        actor = target = None
        for t in span:
            lemma = _lemma(t)
            if t.pos_ == "VERB" and lemma in ATTACK_VERBS | LAUNCH_VERBS:
                actor = actor or next(iter(self.resolve.subject(t)), None)
                for c in t.children:
                    if c.dep_ == "dobj" and lemma in ATTACK_VERBS:
                        target = target or next(iter(self.resolve.subtree(c)), None)
            if _is_attack_noun(t):
                for c in t.children:
                    if c.dep_ in ("amod", "poss", "compound"):
                        actor = actor or next(iter(self.resolve.subtree(c)), None)
                    if c.dep_ == "prep" and _lemma(c) in ("on", "against"):
                        target = target or next(iter(self.resolve.subtree(c)), None)
                if t.dep_ in ("dobj", "nsubjpass"):
                    actor = actor or next(iter(self.resolve.subject(t.head)), None)
        return actor, target

    # -- the detection

    def _next_sentence(self, article: Article, sentence: Sentence) -> Sentence | None:
        """The sentence after, when it goes on about the same attack."""
        if not self.settings.read_next_sentence:
            return None
        if sentence.index + 1 >= len(article.sentences):
            return None
        nxt = article.sentences[sentence.index + 1]
        if article.item.text[sentence.end : nxt.start].strip():
            return None  # not parsed, or not next to it
        if any(_lemma(t) in SEPARATE_LEMMAS for t in nxt.span):
            return None
        if find_mentions(nxt.span):
            return None  # it tells of munitions of its own
        return nxt

    @staticmethod
    def _previous_sentence(article: Article, sentence: Sentence) -> Sentence | None:
        """The sentence before, when it tells of the attack's toll: "An attack on Dnipro
        killed 12 people. Russia used 26 missiles and 44 drones in the attack." """
        prev = article.previous(sentence)
        if prev is None:
            return None
        if any(_lemma(t) in SEPARATE_LEMMAS for t in [*prev.span, *sentence.span]):
            return None
        if not any(_is_attack_noun(t) for t in prev.span):
            return None
        if find_mentions(prev.span):
            return None  # it tells of munitions of its own: another attack
        return prev

    def _detection(self, article: Article, attack: Attack) -> Detection | None:
        s = self.settings
        munitions, shown, total, combined = attack.counts()
        missiles = munitions.get("missile", 0)
        if total < s.min_total and missiles < s.min_missiles:
            return None
        spans = [attack.sentence.span]
        nxt = self._next_sentence(article, attack.sentence)
        if nxt is not None:
            spans.append(nxt.span)
        before = self._previous_sentence(article, attack.sentence)
        if before is not None:
            spans.append(before.span)
        hurt = casualties(spans)
        hit = hit_targets(spans)
        target = attack.target
        if target is None and nxt is not None:
            for code in self.resolve.states(nxt.span):
                if code != attack.actor:
                    target = code
                    break
        severity = self._severity(total, missiles, hurt)
        fields_ = {
            "munitions": munitions,
            "total": total,
            "actor": attack.actor,
            "target": target,
            "casualties": hurt,
            "targets": hit,
            "intercepted": {k: attack.intercepted[k] for k in KINDS if attack.intercepted.get(k)},
        }
        summary = self._summary(attack.actor, target, munitions, shown, total, combined)
        summary += self._tail(fields_["intercepted"], hit, hurt)
        return Detection(
            item_id=article.item.id,
            detector=self.name,
            severity=severity,
            summary=summary,
            evidence=article.evidence(attack.sentence),
            fields=fields_,
        )

    def _severity(self, total: int, missiles: int, hurt: dict[str, int]) -> str:
        s = self.settings
        if (
            total >= s.critical_total
            or missiles >= s.critical_missiles
            or hurt["killed"] >= s.critical_killed
            or hurt["injured"] >= s.critical_injured
        ):
            return "critical"
        if (
            total >= s.high_total
            or missiles >= s.high_missiles
            or hurt["killed"] >= s.high_killed
            or hurt["injured"] >= s.high_injured
        ):
            return "high"
        return "medium"

    def _summary(
        self,
        actor: str | None,
        target: str | None,
        munitions: dict[str, int],
        shown: dict[str, list[Quantity]],
        total: int,
        combined: list[Mention],
    ) -> str:
        parts = []
        for k, value in munitions.items():
            qs = shown[k]
            if len(qs) == 1 and qs[0].value == value:
                number = format_quantity(qs[0])
                of = " of" if qs[0].vague else ""
            else:
                number = f"~{value:,}" if any(q.approximate for q in qs) else f"{value:,}"
                of = ""
            parts.append(f"{number}{of} {k if value == 1 else k + 's'}")
        accounted = sum(munitions.values())
        if combined and total > accounted:
            for m in combined:
                if all(k in munitions for k in m.kinds):
                    continue
                names = _join([k + "s" for k in m.kinds])
                of = " of" if m.quantity.vague else ""
                parts.append(f"{format_quantity(m.quantity)}{of} {names}")
        what = _join(parts)
        if actor and target:
            head = f"{self.gazetteer.name(actor)} struck {self.gazetteer.name(target)} with"
        elif actor:
            head = f"{self.gazetteer.name(actor)} launched"
        elif target:
            head = f"{self.gazetteer.name(target)} was struck with"
        else:
            head = "Strike with"
        return f"{head} {what}"

    @staticmethod
    def _tail(intercepted: dict[str, int], hit: list[str], hurt: dict[str, int]) -> str:
        tail = ""
        if intercepted:
            downed = _join([f"{v:,} {k if v == 1 else k + 's'}" for k, v in intercepted.items()])
            tail += f" ({downed} intercepted)"
        if hit:
            tail += f"; {_join(hit)} hit"
        losses = [f"{hurt[k]:,} {k}" for k in ("killed", "injured") if hurt[k]]
        if losses:
            tail += "; " + ", ".join(losses)
        return tail


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
