"""Reading the alliance relations of one sentence.

``RelationReader.candidates`` goes through the sentence's words and reads
each relation word in its own way: a relation noun with the verb that makes
it ("signed a strategic partnership treaty"), an accession verb ("Finland
joined NATO"), "became a member/ally/partner", an invitation ("invited Kim
Jong-un to Russia") and a pledge of military support ("pledged military aid
to Ukraine"). Background, wished, refused and hypothetical relations are
left out; the strongest relation per set of parties is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from ...entities.parties import SentenceParties
from ...language import clauses, modality
from ...language.clauses import lemma_of
from .relations import (
    EXPAND_VERBS,
    FORMATION,
    MATERIEL,
    MILITARY,
    NEEDS_QUALIFIER,
    NON_SECURITY,
    NOUN_RELATIONS,
    OLD,
    PLEDGE_VERBS,
    RELATION_COMPOUNDS,
    RELATIONS,
    SECURITY,
    SUPPORT_NOUNS,
    SUPPORT_VERBS,
    TIES_NOUNS,
    VISIT_VERBS,
    civil_purpose,
    compound_nouns,
    governor,
    makes_relation,
    mutual_defence,
    noun_phrase,
    qualifier_words,
    with_owners,
)

# Qualifiers that make ties a security relation ("security ties", "defence cooperation").
MILITARY_TIES = frozenset({"security", "defence", "defense", "military"})

# How a summary names each relation after the parties.
_PHRASES = {
    "mutual-defence": "mutual-defence pact",
    "alliance": "new alliance",
    "treaty": "new treaty",
    "pact": "new security pact",
    "partnership": "new partnership",
    "invitation": "invitation to a state visit",
}


@dataclass
class Candidate:
    """A relation found in one sentence, before filtering by settings.

    relation (str): the relation kind, one of ``RELATIONS``.
    parties (list[str]): codes and bloc names of the parties, sorted.
    summary (str): the detection's summary; its first letter is made upper-case.
    """

    relation: str
    parties: list[str]
    summary: str

    def __post_init__(self) -> None:
        self.summary = self.summary[:1].upper() + self.summary[1:]


class RelationReader(SentenceParties):
    """Reads the relations of one sentence (its parties come from ``SentenceParties``)."""

    # -- dispatch ---------------------------------------------------------

    def candidates(self) -> list[Candidate]:
        """The relations the sentence tells of, the strongest per set of parties."""
        found: list[Candidate] = []
        for token in self.span:
            lemma = token.lemma_.lower()
            cand: Candidate | None = None
            if token.pos_ in ("NOUN", "PROPN") and lemma in NOUN_RELATIONS:
                cand = self._relation_noun(token)
            elif token.pos_ == "NOUN" and lemma == "invitation":
                cand = self._invitation_noun(token)
            elif token.pos_ == "VERB" and lemma in ("join", "accede", "admit"):
                cand = self._accession_verb(token)
            elif token.pos_ == "VERB" and lemma == "invite":
                cand = self._invite_verb(token)
            elif token.pos_ == "VERB" and lemma in PLEDGE_VERBS:
                cand = self._pledge(token)
            elif token.pos_ in ("VERB", "AUX") and lemma == "become":
                cand = self._become(token)
            elif token.pos_ == "VERB" and lemma in EXPAND_VERBS:
                cand = self._expand_ties(token)
            if cand is not None:
                found.append(cand)
        return _strongest_per_parties(found)

    # -- relation nouns ---------------------------------------------------

    def _relation_noun(self, noun: Token) -> Candidate | None:
        lemma = noun.lemma_.lower()
        if noun.dep_ == "compound" or self.inside_name(noun):
            return None
        if noun.dep_ == "pobj" and noun.head.lower_ == "in":  # "in partnership with"
            return None
        if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
            return None
        words = qualifier_words(noun)
        secure = bool(words & SECURITY)
        if words & NON_SECURITY and not secure:
            return None
        if any(lemma_of(t) not in RELATION_COMPOUNDS for t in compound_nouns(noun)):
            return None
        relation = NOUN_RELATIONS[lemma]
        if lemma in NEEDS_QUALIFIER:
            # "a partnership agreement" is a partnership; "an agreement to deepen defence
            # cooperation" a defence pact; any other agreement is not an alliance.
            kinds = [lemma_of(t) for t in compound_nouns(noun)]
            named = next((k for k in kinds if k in ("partnership", "alliance")), None)
            purpose = {t.lower_ for c in noun.children if c.dep_ == "acl" for t in c.subtree}
            if named:
                relation = named
            elif not (secure or purpose & SECURITY):
                return None
        if words & OLD:
            return None
        if mutual_defence(noun):
            relation = "mutual-defence"
        verb, role, prep = governor(noun)
        predicates = [verb] if verb is not None and makes_relation(verb, role, prep) else []
        predicates += [
            c for c in noun.children if c.dep_ in ("acl", "relcl") and lemma_of(c) in FORMATION
        ]
        if not predicates or civil_purpose(noun, predicates):
            return None
        if any(modality.is_unreal(p) for p in predicates):
            return None
        words_of_event = [*noun_phrase(noun), *(t for p in predicates for t in clauses.clause(p))]
        if modality.is_background(words_of_event, [noun, *predicates], self.ref_year):
            return None

        own = self._noun_arguments(noun)
        if relation == "accession":
            return self._accession(own, [t for p in predicates for t in clauses.subjects(p)])
        parties = self.parties(clauses.prep_objects(noun, ("between", "among")))
        if len(parties) < 2:
            tokens = list(own)
            for p in predicates:
                tokens += clauses.subjects(p) + clauses.prep_objects(p, ("with", "between"))
                if p.dep_ in ("acl", "relcl"):
                    tokens += clauses.prep_objects(p, ("by",))
            parties = self.parties(tokens)
        return self._candidate(relation, parties)

    def _noun_arguments(self, noun: Token) -> list[Token]:
        """Tokens that may name parties in the noun phrase: possessor, modifiers, PPs."""
        out: list[Token] = []
        for child in noun.children:
            if child.dep_ == "poss":
                out.extend(clauses.conjuncts(child))
            elif child.dep_ in ("compound", "amod", "nmod", "npadvmod") and child.i < noun.i:
                out.extend(child.subtree)
            elif child.dep_ == "prep" and child.lower_ in ("between", "among", "with", "to", "of"):
                out.extend(clauses.prep_objects(noun, (child.lower_,)))
        return out

    # -- accession --------------------------------------------------------

    def _accession_verb(self, verb: Token) -> Candidate | None:
        lemma = verb.lemma_.lower()
        if lemma == "join":
            blocs = self.blocs(clauses.objects(verb))
            states = clauses.subjects(verb)
        elif lemma == "accede":
            blocs = self.blocs(clauses.prep_objects(verb, ("to",)))
            states = clauses.subjects(verb)
        else:  # admit
            passive = clauses.passive_subjects(verb)
            if passive:
                states = passive
                blocs = self.blocs(clauses.prep_objects(verb, ("to", "into")))
                blocs = blocs or self.blocs(clauses.subjects(verb))
            else:
                states = clauses.objects(verb)
                blocs = self.blocs(clauses.subjects(verb))
        asked = lemma == "join" and verb.dep_ == "xcomp" and lemma_of(verb.head) == "invite"
        if asked:  # "NATO invited Finland and Sweden to join (the alliance)"
            return self._invitation_to_join(verb.head, blocs)
        if not blocs or modality.is_unreal(verb):
            return None
        if modality.is_background(clauses.clause(verb), [verb], self.ref_year):
            return None
        return self._accession(states, [], blocs)

    def _invitation_to_join(self, invite: Token, blocs: list[str]) -> Candidate | None:
        """An invitation to join a bloc: not yet an accession, and not a state visit."""
        if modality.is_unreal(invite):
            return None
        if modality.is_background(clauses.clause(invite), [invite], self.ref_year):
            return None
        inviters = self.parties(clauses.subjects(invite))
        blocs = blocs or [p for p in inviters if self.gazetteer.is_bloc(p)]
        blocs = blocs or self.only_bloc_nearby()
        invited = clauses.objects(invite) or clauses.passive_subjects(invite)
        states = [p for p in self.parties(invited) if not self.gazetteer.is_bloc(p)]
        if not states or not blocs:
            return None
        summary = f"{self.names(blocs)} invited {self.names(states)} to join"
        return Candidate("invitation", sorted({*states, *blocs}), summary)

    def _accession(
        self, own: list[Token], subjects: list[Token], blocs: list[str] | None = None
    ) -> Candidate | None:
        """State(s) joining bloc(s): states from ``own`` (else ``subjects``)."""
        found = self.parties(own)
        states = [p for p in found if not self.gazetteer.is_bloc(p)]
        if not states:
            states = [p for p in self.parties(subjects) if not self.gazetteer.is_bloc(p)]
        blocs = blocs or [p for p in found if self.gazetteer.is_bloc(p)]
        if not blocs:
            blocs = self.only_bloc_nearby()
        if not states or not blocs:
            return None
        summary = f"{self.names(states)}: accession to {self.names(blocs)}"
        return Candidate("accession", sorted({*states, *blocs}), summary)

    def _become(self, verb: Token) -> Candidate | None:
        """ "became NATO's 32nd member", "became allies", "became strategic partners"."""
        attrs = [c for c in verb.children if c.dep_ in ("attr", "oprd")]
        for attr in attrs:
            lemma = attr.lemma_.lower()
            if lemma not in ("member", "ally", "partner"):
                continue
            if modality.is_unreal(verb) or modality.is_background(
                clauses.clause(verb), [verb], self.ref_year
            ):
                return None
            own = self._noun_arguments(attr)
            if lemma == "member":
                return self._accession([], clauses.subjects(verb), self.blocs(own) or None)
            parties = self.parties([*clauses.subjects(verb), *own])
            return self._candidate("alliance" if lemma == "ally" else "partnership", parties)
        return None

    def _expand_ties(self, verb: Token) -> Candidate | None:
        """Named states or leaders agreeing to grow security ties: "Biden, Kishida and Yoon
        agreed at a summit to expand security ties" (a partnership)."""
        ties = [
            t for t in clauses.objects(verb) if lemma_of(t) in TIES_NOUNS or t.lower_ in TIES_NOUNS
        ]
        if not ties or not any(qualifier_words(t) & MILITARY_TIES for t in ties):
            return None
        to = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        agreed = verb.dep_ in ("xcomp", "advcl") and to
        agreed = agreed and lemma_of(verb.head) in ("agree", "pledge", "vow")
        head = verb.head if agreed else verb
        if not agreed or modality.is_unreal(head) or modality.is_unreal(verb):
            return None
        if modality.is_background(clauses.clause(head), [head, verb], self.ref_year):
            return None
        # "Biden, Japan's Kishida and Korea's Yoon": names the parser hangs off a subject
        parties = self.parties([t for s in clauses.subjects(head) for t in s.subtree])
        if len(parties) < 2:
            return None
        summary = f"{self.names(parties)}: agreed to expand security ties"
        return Candidate("partnership", sorted(parties), summary)

    # -- invitations ------------------------------------------------------

    def _invite_verb(self, verb: Token) -> Candidate | None:
        if modality.is_unreal(verb):
            return None
        inviters = self.parties(clauses.subjects(verb))
        invitees = self.parties(clauses.objects(verb) or clauses.passive_subjects(verb))
        hosts, visit = self._destinations(verb)
        return self._invitation(verb, inviters, invitees, hosts, visit)

    def _invitation_noun(self, noun: Token) -> Candidate | None:
        verb, role, _ = governor(noun)
        if verb is not None and modality.is_unreal(verb):
            return None
        inviter_tokens = [
            t for c in noun.children if c.dep_ == "poss" for t in clauses.conjuncts(c)
        ] + clauses.prep_objects(noun, ("from",))
        invitee_tokens: list[Token] = []
        to_tokens = clauses.prep_objects(noun, ("to",))
        if verb is not None and role == "dobj":
            lemma = verb.lemma_.lower()
            if lemma in ("extend", "issue", "send", "deliver", "renew", "convey", "hand", "make"):
                inviter_tokens += clauses.subjects(verb)
                to_tokens += clauses.prep_objects(verb, ("to",))
                invitee_tokens += [c for c in verb.children if c.dep_ == "dative"]
            elif lemma in ("accept", "receive", "welcome", "take"):
                invitee_tokens += clauses.subjects(verb)
            else:
                return None
        # "an invitation to Kim" names the guest; "an invitation to Moscow" the host.
        for token in to_tokens:
            mention = self.at.get(token.i)
            if mention is not None and mention.kind == "leader":
                invitee_tokens.append(token)
        hosts, visit = self._destinations(noun, extra=to_tokens)
        anchor = verb if verb is not None else noun
        return self._invitation(
            anchor, self.parties(inviter_tokens), self.parties(invitee_tokens), hosts, visit
        )

    def _destinations(self, head: Token, extra: Sequence[Token] = ()) -> tuple[list[str], bool]:
        """States the guest is asked to (places count), and whether a visit is named."""
        tokens = list(extra) + clauses.prep_objects(head, ("to",))
        visit = False
        for child in head.children:
            if child.dep_ in ("xcomp", "acl", "advcl") and lemma_of(child) in VISIT_VERBS:
                visit = True
                tokens += clauses.objects(child) + clauses.prep_objects(child, ("to",))
        words = clauses.clause(head) if head.pos_ in ("VERB", "AUX") else list(head.subtree)
        visit = visit or any(t.lemma_.lower() == "visit" for t in words)
        hosts = []
        for token in tokens:
            mention = self.at.get(token.i)
            if mention is not None and mention.kind != "leader" and mention.actor not in hosts:
                if not self.gazetteer.is_bloc(mention.actor):
                    hosts.append(mention.actor)
        return hosts, visit

    def _invitation(
        self,
        anchor: Token,
        inviters: list[str],
        invitees: list[str],
        hosts: list[str],
        visit: bool,
    ) -> Candidate | None:
        if not (visit or hosts) or not invitees:
            return None
        if any(c.dep_ == "xcomp" and lemma_of(c) == "join" for c in anchor.children):
            return None  # an invitation to join a bloc is read as accession
        if modality.is_background(clauses.clause(anchor), [anchor], self.ref_year):
            return None
        inviters = inviters or hosts
        parties = sorted({*inviters, *invitees})
        if len(parties) < 2 or not inviters:
            return None
        summary = f"{self.names(inviters)} invited {self.names(invitees)} to a state visit"
        return Candidate("invitation", parties, summary)

    # -- pledges of military support --------------------------------------

    def _pledge(self, verb: Token) -> Candidate | None:
        givers_phrase = {t.i for c in verb.children if c.dep_ == "nsubj" for t in c.subtree}
        words = [t for t in clauses.clause(verb) if t.i not in givers_phrase]
        military = any(t.lower_ in MILITARY for t in words)
        supported = any(
            (lemma_of(t) in SUPPORT_NOUNS and t.pos_ == "NOUN") or t.lower_ in MATERIEL
            for t in words
        )
        # Who gets it: "to Ukraine", "for Russia's war", anywhere in the pledge's clause.
        beneficiaries = [c for c in verb.children if c.dep_ == "dative"]
        for token in words:
            beneficiaries += with_owners(clauses.prep_objects(token, ("to", "for")))
        for child in verb.children:
            if child.dep_ != "xcomp" or lemma_of(child) not in SUPPORT_VERBS:
                continue
            supported = True
            inner = clauses.clause(child)
            military = military or any(t.lower_ in MILITARY for t in inner)
            beneficiaries += with_owners(clauses.objects(child))
            for token in inner:
                beneficiaries += with_owners(clauses.prep_objects(token, ("to", "for")))
        if not (supported and military) or modality.is_unreal(verb):
            return None
        if modality.is_background(words, [verb], self.ref_year):
            return None
        givers = self.parties(clauses.subjects(verb))
        takers = [p for p in self.parties(beneficiaries) if p not in givers]
        if not givers or not takers:
            return None
        summary = f"{self.names(givers)} pledged military support to {self.names(takers)}"
        return Candidate("military-support", sorted({*givers, *takers}), summary)

    def _candidate(self, relation: str, parties: list[str]) -> Candidate | None:
        if len(parties) < 2:
            return None
        return Candidate(relation, sorted(parties), f"{self.names(parties)}: {_PHRASES[relation]}")


def _strongest_per_parties(found: list[Candidate]) -> list[Candidate]:
    """One candidate per set of parties: the strongest relation (first in ``RELATIONS``)."""
    best: dict[tuple[str, ...], Candidate] = {}
    for cand in found:
        key = tuple(cand.parties)
        old = best.get(key)
        if old is None or RELATIONS.index(cand.relation) < RELATIONS.index(old.relation):
            best[key] = cand
    return list(best.values())
