"""What was tested: the weapon class, the named system and how many were fired.

All read off the weapon's noun phrase in the parse: "a Hwasong-18
intercontinental ballistic missile" is an ``icbm`` named "Hwasong-18"; "two
short-range ballistic missiles" are two ``srbm``; "a nuclear test" is
``nuclear``. The classes are the issue's: icbm, irbm, srbm, ballistic,
cruise, hypersonic, slbm, nuclear, other.
"""

from __future__ import annotations

from spacy.tokens import Token

from ...language.clauses import lemma_of
from ...language.counts import count_at, noun_count

#: Nouns that name a weapon that can be test-fired.
WEAPON_NOUNS = frozenset(
    """missile missiles icbm icbms irbm irbms srbm srbms slbm slbms mrbm mrbms warhead torpedo
    weapon device bomb""".split()
)
#: Nouns that name a weapon only with a qualifier ("nuclear device", "hypersonic weapon").
NEEDS_QUALIFIER = frozenset({"weapon", "device", "bomb"})
#: Words of a nuclear explosion (a "nuclear-capable missile" is not one).
NUCLEAR_WORDS = frozenset({"nuclear", "atomic", "hydrogen", "thermonuclear"})
#: Weapon classes in order of precedence, each with the words that mark it.
CLASSES: tuple[tuple[str, frozenset[str]], ...] = (
    ("slbm", frozenset({"slbm", "slbms", "submarine-launched", "sub-launched"})),
    ("icbm", frozenset({"icbm", "icbms", "intercontinental"})),
    ("irbm", frozenset({"irbm", "irbms", "intermediate-range"})),
    ("srbm", frozenset({"srbm", "srbms", "short-range", "close-range"})),
    ("hypersonic", frozenset({"hypersonic"})),
    ("cruise", frozenset({"cruise"})),
    ("ballistic", frozenset({"ballistic", "mrbm", "mrbms", "medium-range"})),
)
#: How a summary names each class.
PHRASES = {
    "icbm": "intercontinental ballistic missile",
    "irbm": "intermediate-range ballistic missile",
    "srbm": "short-range ballistic missile",
    "slbm": "submarine-launched ballistic missile",
    "ballistic": "ballistic missile",
    "cruise": "cruise missile",
    "hypersonic": "hypersonic missile",
    "nuclear": "nuclear device",
    "other": "weapon",
}
WEAPONS = tuple(PHRASES)
# Upper-case words in a noun phrase that are classes or owners, not a system's name.
_NOT_NAMES = frozenset({"icbm", "irbm", "srbm", "slbm", "mrbm", "u.s.", "us", "new", "the"})
# Containers that carry the weapon in an "of" phrase: "a salvo of six missiles".
_CONTAINERS = frozenset({"salvo", "barrage", "volley", "pair", "batch", "number", "series"})


def weapon_head(token: Token) -> Token | None:
    """The weapon noun in the phrase headed by ``token`` ("a salvo of six missiles" →
    "missiles"; "its Sarmat missile" → "missile"), or None when it names no weapon."""
    current = token
    for _ in range(3):
        if is_weapon(current):
            return current
        if lemma_of(current) not in _CONTAINERS:
            return None
        objects = [g for c in current.children if c.lower_ == "of" for g in c.children]
        if not objects:
            return None
        current = objects[0]
    return None


def is_weapon(token: Token) -> bool:
    """True for a weapon noun ("missile", "ICBM", "nuclear device", "hypersonic weapon")."""
    word = token.lower_
    if word not in WEAPON_NOUNS and lemma_of(token) not in WEAPON_NOUNS:
        return False
    if lemma_of(token) in NEEDS_QUALIFIER or word in NEEDS_QUALIFIER:
        return weapon_class(modifier_words(token)) != "other" or nuclear(token)
    return True


def modifier_words(head: Token) -> list[str]:
    """Lower-cased words before ``head`` in its phrase, hyphenated words joined
    ("short - range" → "short-range"), and the head itself."""
    left = [t for t in head.subtree if t.i < head.i and t.dep_ not in ("det", "poss", "case")]
    words: list[str] = []
    for t in left:
        if t.text in ("-", "–") and words:
            words[-1] += "-"
        elif words and words[-1].endswith("-"):
            words[-1] += t.lower_
        else:
            words.append(t.lower_)
    return [*words, head.lower_]


def weapon_class(words: list[str]) -> str:
    """The class the words mark, by precedence; "other" when none does."""
    found = set(words)
    for name, marks in CLASSES:
        if found & marks:
            return name
    return "other"


def nuclear(token: Token) -> bool:
    """True when ``token`` is qualified as a nuclear explosion: "nuclear test",
    "hydrogen bomb"; not "nuclear-capable" or "nuclear-powered"."""
    for child in token.children:
        if child.dep_ not in ("amod", "compound", "nmod") or lemma_of(child) not in NUCLEAR_WORDS:
            continue
        after = child.nbor(1) if child.i + 1 < len(child.doc) else None
        if after is None or after.text not in ("-", "–"):
            return True
    return False


def system_name(head: Token, states: set[int]) -> str | None:
    """The named system in the phrase: "Hwasong-18", "Minuteman III", "Kheibar Shekan".

    head (Token): the weapon noun.
    states (set[int]): indices of tokens inside names of states (never a system).
    """
    for child in head.children:
        if child.dep_ == "appos" and child.text[:1].isupper():
            words = [
                t for t in child.subtree if t.dep_ != "det" and not t.is_punct or t.text == "-"
            ]
            name = _name_of(words, states)
            if name:
                return name
    left = [t for t in head.subtree if t.i < head.i]
    run: list[Token] = []
    for t in left:
        if _name_part(t, states, run):
            run.append(t)
        elif run:
            break
    if head.pos_ == "PROPN" and not run:
        run = [head]
    return _name_of(run, states)


def _name_part(t: Token, states: set[int], run: list[Token]) -> bool:
    if t.i in states or t.lower_ in _NOT_NAMES:
        return False
    if t.text in ("-", "–") or (t.like_num and run):
        return bool(run)
    if run and run[-1].text in ("-", "–"):
        return True  # "Agni-V", "Shaheen-III"
    return t.text[:1].isupper() and t.pos_ in ("PROPN", "NOUN", "ADJ", "NUM")


def _name_of(words: list[Token], states: set[int]) -> str | None:
    words = [t for t in words if t.i not in states]
    while words and words[-1].text in ("-", "–"):
        words.pop()
    if not words:
        return None
    text = "".join(t.text_with_ws for t in words[:-1]) + words[-1].text
    return text.strip() or None


def count_of(head: Token) -> int | None:
    """How many were fired, when the text says: "two missiles" → 2, "a missile" → None."""
    q = noun_count(head)
    if q is None:  # "two Hsiung Feng III missiles": the number may hang on the name
        numbers = [t for t in head.subtree if t.i < head.i and t.dep_ == "nummod"]
        q = count_at(head, inclusive=False, numbers=numbers) if numbers else None
    if q is None or q.vague or q.value < 1:
        return None
    return q.value
