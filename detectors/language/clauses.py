"""Reading a clause off the dependency parse: who did it, whether it happened, and when.

Event detectors (alliances here) use these to tell news from background:
"Finland joined NATO on Tuesday" is an event; "since joining NATO in 2004",
"the pact signed last year" and "Ukraine hopes to join NATO" are not. The
functions take spaCy tokens of one parsed sentence and look only at the
parse, tags and DATE entities — never at particular wordings of articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Token

# Dependents that open a clause of their own: their dates and negations are not the verb's.
CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "csubj", "pcomp"})

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

_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_RELATIVE_PAST = re.compile(
    r"\b(last|previous|past) (year|month|decade|century)\b|\bago\b|\bin the past\b"
    r"|\b(decades|centuries) (earlier|before)\b|\byears (earlier|before)\b"
)


def lemma_of(token: Token) -> str:
    """The token's lemma, lower-cased ("Struck" → "strike")."""
    return token.lemma_.lower()


def lemmas(token: Token) -> set[str]:
    """The token's lemma and its inflection-stripped forms (the small model's lemmas slip:
    "hopes" → "hop")."""
    word = token.lower_
    out = {token.lemma_.lower(), word}
    for suffix in ("ing", "ed", "es", "s", "d"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            out.update({stem, stem + "e"})
            if len(stem) > 3 and stem[-1] == stem[-2]:  # "committed" → "commit"
                out.add(stem[:-1])
    return out


def conjuncts(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it ("Russia and North Korea")."""
    return [token, *token.conjuncts]


def clause(verb: Token) -> list[Token]:
    """The tokens of ``verb``'s own clause: its subtree without nested clauses."""
    out = [verb]
    stack = [c for c in verb.children if c.dep_ not in CLAUSE_DEPS and c.dep_ != "conj"]
    while stack:
        token = stack.pop()
        out.append(token)
        stack.extend(c for c in token.children if c.dep_ not in CLAUSE_DEPS)
    return sorted(out, key=lambda t: t.i)


def subjects(verb: Token) -> list[Token]:
    """Who does ``verb``: its subject (through coordination), or a controller's.

    For a passive verb the ``by`` agent counts. A verb without a subject of
    its own (an infinitive, a participle, a second verb in coordination)
    takes it from the verb it hangs off; an object-control verb ("invited
    Kim to join") gives its object.
    """
    seen: set[int] = set()
    current: Token | None = verb
    while current is not None and current.i not in seen:
        seen.add(current.i)
        found = [c for c in current.children if c.dep_ in ("nsubj", "csubj")]
        if not found:
            for agent in (c for c in current.children if c.dep_ == "agent"):
                found.extend(c for c in agent.children if c.dep_ == "pobj")
        if found:
            return [t for s in found for t in conjuncts(s)]
        if current.dep_ == "xcomp":
            # "invited Kim to visit", "Kim was invited to visit": the controller's object.
            controllers = ("dobj", "dative", "nsubjpass")
            objects = [c for c in current.head.children if c.dep_ in controllers]
            if objects:
                return [t for o in objects for t in conjuncts(o)]
        if current.dep_ == "conj" and current.tag_ == "VBG" and current.head.tag_ != "VBG":
            # "insisting that Russia adhere ... and vowing": the parser put "vowing" under
            # "adhere"; its real conjunct is the participle above.
            above = next((g for g in governors(current) if g.tag_ == "VBG"), None)
            if above is not None:
                current = above
                continue
        if current.dep_ in ("xcomp", "advcl", "conj", "acl", "pcomp") and current.head != current:
            current = current.head
            continue
        current = None
    return []


def passive_subjects(verb: Token) -> list[Token]:
    """The passive subject of ``verb`` ("Sweden was admitted"), through coordination."""
    return [t for c in verb.children if c.dep_ == "nsubjpass" for t in conjuncts(c)]


def objects(verb: Token) -> list[Token]:
    """Direct objects (and datives) of ``verb``, through coordination."""
    return [t for c in verb.children if c.dep_ in ("dobj", "dative") for t in conjuncts(c)]


def prep_objects(token: Token, preps: Iterable[str]) -> list[Token]:
    """Objects of the given prepositions attached to ``token`` ("with Iran" → Iran)."""
    wanted = set(preps)
    out = []
    for prep in token.children:
        if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ in wanted:
            out.extend(t for c in prep.children if c.dep_ == "pobj" for t in conjuncts(c))
    return out


def governors(token: Token) -> list[Token]:
    """The verbs above ``token`` up to the sentence root, nearest first."""
    out = []
    current = token
    while current.head != current:
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            out.append(current)
    return out


def is_unreal(verb: Token) -> bool:
    """True if ``verb``'s event is negated, hypothetical, wished or refused.

    Looks at the verb (negation, modal, "if"/"whether"), the verbs it hangs
    off as a complement ("hopes to join", "refused to sign", "ruled out
    joining"), and a question mark ending the sentence.
    """
    if verb.sent.text.rstrip().endswith("?"):
        return True
    current = verb
    while True:
        for child in current.children:
            if child.dep_ == "neg":
                return True
            if child.dep_ == "aux" and child.lower_ in UNREAL_MODALS:
                return True
            if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                return True
        gerund_object = current.dep_ == "dobj" and current.tag_ == "VBG"
        chain = ("xcomp", "pcomp", "ccomp", "conj", "advcl")
        if (current.dep_ not in chain and not gerund_object) or current.head == current:
            return False
        head = current.head
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
        if any(int(y) < ref_year for y in _YEAR.findall(text)) or _RELATIVE_PAST.search(text):
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
