"""Reading a clause off the dependency parse: lemmas, subjects, objects, governors.

Whether the clause's event happened, and when, is read by ``modality``.
The functions take spaCy tokens of one parsed sentence and look only at the
parse and tags, never at particular wordings of articles.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

# Verbs of reporting: "..., the ministry said" (a past perfect under them is the reporter's
# tense, not background; their subject is who reports, not who acted).
SPEECH_VERBS = frozenset(
    {"say", "tell", "announce", "report", "confirm", "state", "add", "note", "disclose", "reveal"}
)
# Dependents that open a clause of their own: their dates and negations are not the verb's.
CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "csubj", "pcomp"})


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


def reporting_verb(token: Token) -> Token | None:
    """The verb of saying that reports ``token``'s clause ("..., the ministry said"), if any.

    Looks at the two nearest governing verbs, as the past-perfect check does.
    """
    return next((g for g in governors(token)[:2] if g.lemma_.lower() in SPEECH_VERBS), None)


def modifier_reading(verb: Token) -> tuple[list[Token], Token] | None:
    """Who and what, when the small model reads a finite verb as a noun's modifier.

    In "North Korea test-fired three missiles" or, after a dateline, "Myanmar's
    military seized power", the parser may make the verb an ``amod`` of the noun
    after it. Returns the words before the verb in that noun's phrase (outside
    prepositional phrases and clauses: the doers) and the noun (the object), or
    None when the verb is not read so.
    """
    if verb.pos_ != "VERB" or verb.dep_ != "amod" or verb.head.i < verb.i:
        return None
    noun = verb.head
    before = []
    for t in noun.subtree:
        if t.i >= verb.i or t in verb.subtree:
            continue
        path = [t, *t.ancestors]
        inside = path[: path.index(noun)] if noun in path else path
        if not any(a.dep_ in ("prep", "relcl", "acl", "advcl", "appos") for a in inside):
            before.append(t)
    before += [t for t in verb.subtree if t.i < verb.i]
    return sorted(set(before), key=lambda t: t.i), noun


def doers(verb: Token) -> list[Token]:
    """Who did ``verb``: its subjects, with a pronoun ("it said it had tested") or a
    passive without agent ("was test-fired, the ministry said") read as the reporter."""
    found = subjects(verb)
    own = [c for c in verb.children if c.dep_ == "nsubj"]
    if len(own) > 1:  # a dateline parsed as a second subject: the one next to the verb acts
        found = conjuncts(max(own, key=lambda t: t.i))
    if found and not all(t.pos_ == "PRON" for t in found):
        return found
    reporter = reporting_verb(verb)
    if reporter is not None and (found or passive_subjects(verb)):
        return subjects(reporter)
    if not found and not passive_subjects(verb):
        # The parse lost the subject ("North Korea test-fired" read as a compound): the
        # words before the verb in its own phrase, outside prepositions and clauses.
        found = [t for t in clause(verb) if t.i < verb.i and not _under_prep(t, verb)]
    return found


def _under_prep(token: Token, top: Token) -> bool:
    current = token
    while current != top and current.head != current:
        if current.dep_ in ("prep", "pobj", "agent"):
            return True
        current = current.head
    return False


def event_words(verb: Token) -> list[Token]:
    """The words that date ``verb``'s event: its clause, the clauses of verbs coordinated
    with it ("was overthrown in a coup and died in 1973") and of the verbs it completes
    ("By the end of 2016 the two were co-operating to reach a ceasefire")."""
    out = list(clause(verb))
    for other in verb.conjuncts:
        out += clause(other)
    current = verb
    for _ in range(3):
        bare = not any(c.dep_ == "mark" for c in current.children)
        if current.dep_ not in ("xcomp", "advcl", "acomp") or not bare or current.head == current:
            break
        current = current.head
        out += clause(current)
    return out
