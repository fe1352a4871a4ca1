"""Alliance vocabulary and reading relation words off the parse.

Which nouns name a relation between states (treaty, pact, alliance,
partnership, accession) and which qualifiers make one a security relation or
something else ("defence pact" vs "trade pact"); which verbs make a relation
("signed a treaty", "entered into an alliance", "came into force"); the
phrases the gate looks for; and small parse readers for a relation noun: the
verb it hangs off, its qualifiers and its noun phrase.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from ...language import clauses
from ...language.clauses import lemma_of

#: Relation kinds, strongest first (one detection per sentence and parties keeps the first).
RELATIONS = (
    "mutual-defence",
    "alliance",
    "treaty",
    "pact",
    "accession",
    "partnership",
    "military-support",
    "invitation",
)
# Nouns that name a relation, and the relation they make.
NOUN_RELATIONS = {
    "treaty": "treaty",
    "pact": "pact",
    "alliance": "alliance",
    "partnership": "partnership",
    "accession": "accession",
    "membership": "accession",
    "agreement": "pact",
    "accord": "pact",
    "deal": "pact",
}
# Documents a relation may be written into ("a declaration on strategic partnership").
DOCUMENT_NOUNS = frozenset(
    {"declaration", "agreement", "treaty", "memorandum", "accord", "pact", "charter", "deal"}
    | {"status"}  # "a status of forces agreement"
)
# General nouns that count only with a defence or security qualifier.
NEEDS_QUALIFIER = frozenset({"agreement", "accord", "deal"})
SECURITY = frozenset(
    {"defence", "defense", "security", "military", "mutual", "strategic", "non-aggression"}
    # access and status-of-forces agreements put one's troops on the other's soil
    | {"access", "reciprocal", "forces", "troop", "troops", "basing", "visiting"}
)
# Verbs that grow a security relation, and the nouns they grow ("agreed to expand
# security ties", "pledged to deepen defence cooperation").
EXPAND_VERBS = frozenset(
    "expand deepen strengthen boost bolster broaden enhance upgrade intensify".split()
)
TIES_NOUNS = frozenset({"tie", "ties", "cooperation", "relations", "partnership", "links"})
# Qualifiers that make a pact something other than an alliance.
NON_SECURITY = frozenset(
    """trade free-trade economic commercial business investment tax energy climate green
    digital technology tech research scientific science academic cultural education health
    sports sport sponsorship marketing media airline codeshare aviation peace ceasefire truce
    border extradition arms-control nuclear non-proliferation fisheries fishing grain gas oil
    migration data space public-private broadcasting licensing distribution supply
    manufacturing banking financial insurance shipping retail football cricket batting
    music brand customs tariff""".split()
)
# What a relation is for, when it is no security relation: "an alliance to bid for the
# World Cup", "an alliance of state-backed firms to invest in hydrogen".
CIVIL_PURPOSE = frozenset(
    """bid host co-host invest investment develop build produce manufacture trade export
    import market promote research fund finance compete sell buy tourism cup championship
    olympics olympic games tournament film films museum museums exhibition exhibitions
    antiquities heritage culture art arts language students universities""".split()
)
# Members that make an alliance one of companies or clubs, not of states.
CIVIL_MEMBERS = frozenset(
    """firm firms company companies business businesses federation federations club clubs
    university universities bank banks airline airlines carrier carriers broadcaster
    broadcasters league leagues museum museums school schools startup startups maker makers
    producer producers operator operators group groups""".split()
)
# Nouns that may qualify a relation noun ("friendship treaty"); any other common noun
# makes it a deal about that thing ("minerals partnership", "chip alliance").
RELATION_COMPOUNDS = SECURITY | frozenset(
    {"friendship", "cooperation", "partnership", "alliance", "assistance", "aggression", "forces"}
    | {"force", "access"}
)
# Qualifiers that make a pact old news.
OLD = frozenset(
    {"former", "old", "existing", "longstanding", "long-standing", "decades-old", "original"}
)
# Verbs that make a relation (with the relation noun as object or passive subject).
FORMATION = frozenset(
    """sign conclude forge form seal ink agree reach strike clinch finalise finalize establish
    create launch announce unveil cement formalise formalize ratify approve endorse complete
    initial adopt build declare found hammer""".split()
)
# Verb + preposition that make a relation (the noun as object of the preposition).
PREP_FORMATION = frozenset(
    {
        ("enter", "into"),
        ("upgrade", "to"),
        ("elevate", "to"),
        ("raise", "to"),
        ("lift", "to"),
        ("agree", "on"),
        ("agree", "to"),
        ("sign", "up"),
        ("cement", "with"),
        ("seal", "with"),
        ("formalise", "with"),
        ("formalize", "with"),
    }
)
PLEDGE_VERBS = frozenset({"pledge", "promise", "vow", "offer"})
SUPPORT_VERBS = frozenset(
    """support help assist back aid arm defend bolster provide supply send deliver give
    transfer""".split()
)
# Materiel: pledging it is pledging military support ("€500 million for drones for Ukraine").
MATERIEL = frozenset(
    """weapons weapon arms troops soldiers munitions ammunition shells artillery missiles
    missile drones drone tanks tank jets fighter fighters""".split()
)
SUPPORT_NOUNS = frozenset({"support", "aid", "assistance", "help", "backing", "equipment"})
MILITARY = MATERIEL | frozenset(
    """military militarily defence defense security war army lethal defend arm""".split()
)
VISIT_VERBS = frozenset({"visit", "come", "travel"})


def _trigger_phrases() -> list[str]:
    """Phrases without which no rule here fires (the gate parses only near them).

    Relation nouns and verbs in all their forms; the general nouns
    (agreement, accord, deal) only with a qualifier before them, and
    membership only as "a member of", "full member", "32nd member": alone
    those words are common enough to double the text the gate lets through.
    """
    words = """treaty treaties pact pacts alliance alliances partnership partnerships accession
        membership join joins joined joining accede accedes acceded acceding admit admits
        admitted admitting ally allies partner partners invite invites invited inviting
        invitation invitations pledge pledges pledged pledging promise promises promised
        promising vow vows vowed vowing offered offers""".split()
    qualifiers = ("defence", "defense", "security", "military", "mutual", "strategic")
    qualifiers += ("partnership", "alliance", "non-aggression", "cooperation")
    nouns = ("agreement", "agreements", "accord", "accords", "deal", "deals")
    phrases = [f"{q} {n}" for q in qualifiers for n in nouns]
    phrases += [
        f"{q} {c}"
        for q in ("defence", "defense", "security", "military")
        for c in (
            "cooperation",
            "ties",
        )
    ]
    phrases += ["mutual defence", "mutual defense", "mutual-defence", "mutual-defense"]
    phrases += [f"{q} {n}" for q in ("access", "forces", "basing") for n in (*nouns, "pact")]
    phrases += ["member of", "members of", "full member", "full members", "new member"]
    phrases += ["newest member", "official member", "fully fledged member"]
    ordinals = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
    ordinals += [f"{n}{_suffix(n)}" for n in range(1, 61)]
    phrases += [f"{o} member" for o in ordinals]
    return words + phrases


def _suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


TRIGGERS = _trigger_phrases()
TRIGGER_RE = re.compile(
    r"\b(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in TRIGGERS) + r")\b",
    re.IGNORECASE,
)


def with_owners(tokens: list[Token]) -> list[Token]:
    """Tokens and their possessors: who is helped by "support for Russia's war" is Russia."""
    return [*tokens, *(c for t in tokens for c in t.children if c.dep_ == "poss")]


def governor(noun: Token) -> tuple[Token | None, str, str]:
    """The verb a relation noun hangs off, its role there, and the preposition if any."""
    current = noun
    while current.dep_ in ("conj", "appos") and current.head != current:
        current = current.head
    if current.dep_ in ("dobj", "nsubjpass", "nsubj", "attr", "oprd"):
        head = current.head
        return (head, current.dep_, "") if head.pos_ in ("VERB", "AUX") else (None, "", "")
    if current.dep_ == "pobj" and current.head.dep_ in ("prep", "agent", "prt"):
        prep = current.head
        head = prep.head
        if head.pos_ in ("VERB", "AUX"):
            return head, "pobj", prep.lower_
        if prep.lower_ in ("on", "of") and lemma_of(head) in DOCUMENT_NOUNS:
            # "signed a declaration on strategic partnership": the document's verb.
            return governor(head)
        if head.dep_ == "dobj" and head.head.pos_ == "VERB":
            # "upgraded ties to a partnership": the parser hung "to" on the object.
            return head.head, "pobj", prep.lower_
    return None, "", ""


def makes_relation(verb: Token, role: str, prep: str) -> bool:
    """True if ``verb`` makes the relation its noun names (in the given role)."""
    lemma = lemma_of(verb)
    if role in ("dobj", "nsubjpass", "oprd") and lemma in FORMATION:
        return True
    if role == "pobj":
        return (lemma, prep) in PREP_FORMATION
    if role == "nsubj":
        children = list(verb.children)
        if lemma == "take" and any(c.dep_ == "dobj" and lemma_of(c) == "effect" for c in children):
            return True
        if lemma in ("come", "enter", "go"):
            into = clauses.prep_objects(verb, ("into",))
            return any(lemma_of(t) in ("force", "effect") for t in into)
        if lemma == "become":
            return any(
                c.dep_ in ("acomp", "attr") and c.lower_ in ("official", "effective", "law")
                for c in children
            )
    return False


def qualifier_words(noun: Token) -> set[str]:
    """Lower-cased words that qualify a relation noun ("mutual defence", "trade")."""
    words: set[str] = set()
    for child in noun.children:
        if child.dep_ in ("amod", "compound", "nmod", "npadvmod") and child.i < noun.i:
            words.update(t.lower_ for t in child.subtree)
        elif child.dep_ == "prep" and child.lower_ in ("on", "of", "for"):
            words.update(t.lower_ for t in child.subtree)
    for word in list(words):
        words.update(word.split("-"))
    return words


def compound_nouns(noun: Token) -> list[Token]:
    """Common nouns compounded before a relation noun ("trade" in "trade pact")."""
    return [
        t
        for c in noun.children
        if c.dep_ == "compound" and c.i < noun.i
        for t in c.subtree
        if t.pos_ == "NOUN"
        and t.dep_ == "compound"
        and not any(g.dep_ == "nummod" for g in t.children)  # "a 100-year partnership"
    ]


def mutual_defence(noun: Token) -> bool:
    """True if the noun's modifiers say "mutual/collective defence, assistance or security"."""
    words = " ".join(
        t.lower_ for c in noun.children if c.dep_ != "relcl" for t in c.subtree if t.i != noun.i
    )
    return bool(re.search(r"\b(mutual|collective)[\s-]*(defen[cs]e|assistance|security)", words))


def noun_phrase(noun: Token) -> list[Token]:
    """The noun and its dependents, without relative clauses (checked as predicates)."""
    out = [noun]
    stack = [c for c in noun.children if c.dep_ not in ("relcl", "acl")]
    while stack:
        token = stack.pop()
        out.append(token)
        stack.extend(token.children)
    return out


def civil_purpose(noun: Token, predicates: list[Token]) -> bool:
    """True if the relation is for sport, business or culture, or between companies or
    clubs: its purpose clause ("to bid for the World Cup") or its members ("of firms")."""
    purposes = [c for c in noun.children if c.dep_ in ("acl", "relcl")]
    for p in predicates:
        purposes += [c for c in p.children if c.dep_ in ("advcl", "xcomp")]
    for clause in purposes:
        if not any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
            continue
        words = {lemma_of(t) for t in clause.subtree} | {t.lower_ for t in clause.subtree}
        if lemma_of(clause) in CIVIL_PURPOSE or words & (CIVIL_PURPOSE | NON_SECURITY):
            if not words & SECURITY_PURPOSE:
                return True
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "between", "among"):
            members = [t for t in prep.subtree if t.dep_ == "pobj" or t.dep_ == "conj"]
            if any(t.lower_ in CIVIL_MEMBERS or lemma_of(t) in CIVIL_MEMBERS for t in members):
                return True
    return False


# Words that keep a purpose a security one: "to deter", "to defend", "troops", "attack".
SECURITY_PURPOSE = frozenset(
    """defend defence defense deter deterrence security military troops attack attacked
    threat threats aggression protect weapons arms""".split()
)
