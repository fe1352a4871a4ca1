"""New alliances between states, or between a state and a bloc.

A detection is a relation being made now, read off the dependency parse:

- a treaty, pact, alliance or partnership signed, formed, sealed, upgraded
  to, or coming into force ("Russia and Iran signed a strategic partnership
  treaty"); an agreement, accord or deal counts only as a defence or security
  one; "mutual defence" makes the relation ``mutual-defence``;
- accession to a bloc ("Finland joined NATO", "Sweden's accession to NATO was
  completed", "Egypt was admitted to BRICS", "became NATO's 32nd member");
- a pledge of military support ("promising to support Moscow's military
  efforts", "pledged military aid to Ukraine");
- an invitation to a state visit ("Putin invited Kim Jong-un to Russia").

Parties are the states and blocs in the relation's own slots (subject,
object, "with", "between", possessor, "to NATO"), never every name in the
sentence: in "invited Kim to Russia during a meeting in Beijing as Ukraine
suffers", Beijing and Ukraine are not parties. Relations that are background
are skipped: dated in a past year or "last year", "since joining", a past
perfect, an adverb like "previously", or a former/existing pact; so are
relations wished, refused, negated or hypothetical ("hopes to join", "ruled
out joining", "could sign"), and any whose parties are not states or blocs
(business, sports and airline alliances, domestic coalitions).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from spacy.tokens import Span, Token

from .. import clauses
from ..article import Article, Sentence
from ..base import Detector, register
from ..entities import Gazetteer, Mention, mentions
from ..records import Detection
from ..settings import ConfigError, Duration

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
DEFAULT_SEVERITY = {
    "mutual-defence": "high",
    "alliance": "high",
    "treaty": "high",
    "pact": "high",
    "accession": "high",
    "partnership": "medium",
    "military-support": "medium",
    "invitation": "low",
}
# How a summary names each relation after the parties.
_PHRASES = {
    "mutual-defence": "mutual-defence pact",
    "alliance": "new alliance",
    "treaty": "new treaty",
    "pact": "new security pact",
    "partnership": "new partnership",
    "invitation": "invitation to a state visit",
}

Severity = Literal["low", "medium", "high", "critical"]


@dataclass(frozen=True)
class AllianceSettings:
    """The ``detectors.alliance`` section.

    enabled (bool): run this detector. Defaults to True.
    relations (dict[str, bool]): relation kinds to report or not, e.g.
        ``{invitation: false}``; kinds not named are on. Known kinds:
        mutual-defence, alliance, treaty, pact, accession, partnership,
        military-support, invitation. Defaults to {}.
    severity (dict[str, str]): severity by relation kind over the defaults
        (high for mutual-defence, alliance, treaty, pact and accession; medium
        for partnership and military-support; low for invitation). Defaults to {}.
    repeat_window (Duration): after an alliance between the same parties,
        how long a new report of it is not new (used by the stream). Defaults to 30d.
    """

    enabled: bool = True
    relations: dict[str, bool] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)
    repeat_window: Duration = Duration(30 * 86400.0)

    def __post_init__(self) -> None:
        for section in ("relations", "severity"):
            for name in getattr(self, section):
                if name not in RELATIONS:
                    raise ConfigError(
                        f"detectors.alliance.{section}.{name}",
                        f"unknown relation kind; known kinds are: {', '.join(RELATIONS)}",
                    )


# -- vocabulary ---------------------------------------------------------------

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
)
# General nouns that count only with a defence or security qualifier.
NEEDS_QUALIFIER = frozenset({"agreement", "accord", "deal"})
SECURITY = frozenset(
    {"defence", "defense", "security", "military", "mutual", "strategic", "non-aggression"}
)
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
# Nouns that may qualify a relation noun ("friendship treaty"); any other common noun
# makes it a deal about that thing ("minerals partnership", "chip alliance").
RELATION_COMPOUNDS = SECURITY | frozenset(
    {"friendship", "cooperation", "partnership", "alliance", "assistance", "aggression", "forces"}
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
# Nouns for a state's organs: "Russia's government", "the North Korean leader".
ORGAN_NOUNS = frozenset(
    """government leader leaders president prime minister ministers official officials
    parliament lawmakers army military forces navy administration regime delegation
    counterpart authorities cabinet ministry envoy state""".split()
)
# Nouns that refer back to two parties: "the two leaders", "both countries".
ANAPHORS = frozenset(
    """leader country nation side government state neighbour neighbor capital ally partner
    power""".split()
)
# Nouns that, joined, mean the bloc named nearby ("joined the alliance").
BLOC_NOUNS = frozenset({"alliance", "bloc", "union", "club", "group", "organisation"})
# Entity labels under which a relation word is a name, not a relation ("Star Alliance").
NAME_LABELS = frozenset({"ORG", "PRODUCT", "FAC", "WORK_OF_ART", "PERSON", "EVENT", "NORP", "GPE"})


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


_TRIGGERS = _trigger_phrases()
_TRIGGER_RE = re.compile(
    r"\b(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in _TRIGGERS) + r")\b",
    re.IGNORECASE,
)


@dataclass
class Candidate:
    """A relation found in one sentence, before filtering by settings."""

    relation: str
    parties: list[str]
    summary: str

    def __post_init__(self) -> None:
        self.summary = self.summary[:1].upper() + self.summary[1:]


@register("alliance")
class AllianceDetector(Detector):
    """Treaties, pacts, accessions, military-support pledges and state-visit invitations."""

    Settings = AllianceSettings

    def triggers(self) -> list[str]:
        return list(_TRIGGERS)

    def detect(self, article: Article) -> list[Detection]:
        settings: AllianceSettings = self.settings
        ref_year = _reference_year(article)
        out: list[Detection] = []
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for sentence in article.sentences:
            if not _TRIGGER_RE.search(sentence.text):
                continue
            reader = _SentenceReader(self.gazetteer, article, sentence, ref_year)
            for cand in reader.candidates():
                if not settings.relations.get(cand.relation, True):
                    continue
                key = (cand.relation, tuple(cand.parties))
                if key in seen:
                    continue
                seen.add(key)
                severity = settings.severity.get(cand.relation, DEFAULT_SEVERITY[cand.relation])
                out.append(
                    Detection(
                        item_id=article.item.id,
                        detector=self.name,
                        severity=severity,
                        summary=cand.summary,
                        evidence=article.evidence(sentence),
                        fields={"parties": cand.parties, "relation": cand.relation},
                    )
                )
        return out


def _reference_year(article: Article) -> int:
    """The publication year, or this year when the item has no date."""
    published = article.item.published or ""
    if published[:4].isdigit():
        return int(published[:4])
    return datetime.now(UTC).year


class _SentenceReader:
    """Reads the relations of one sentence."""

    def __init__(
        self, gazetteer: Gazetteer, article: Article, sentence: Sentence, ref_year: int
    ) -> None:
        self.gazetteer = gazetteer
        self.article = article
        self.sentence = sentence
        self.span: Span = sentence.span
        self.ref_year = ref_year
        preceding = article.item.text[: sentence.start]
        self.mentions = mentions(self.span, self.gazetteer, preceding)
        # Token index → mention, for every token inside a resolved entity.
        self.at: dict[int, Mention] = {}
        for mention in self.mentions:
            for token in mention.span:
                self.at[token.i] = mention
        self._previous_reader: _SentenceReader | None | bool = False  # False: not read yet

    # -- dispatch ---------------------------------------------------------

    def candidates(self) -> list[Candidate]:
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
            if cand is not None:
                found.append(cand)
        return _strongest_per_parties(found)

    # -- relation nouns ---------------------------------------------------

    def _relation_noun(self, noun: Token) -> Candidate | None:
        lemma = noun.lemma_.lower()
        if noun.dep_ == "compound" or self._inside_name(noun):
            return None
        if noun.dep_ == "pobj" and noun.head.lower_ == "in":  # "in partnership with"
            return None
        if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
            return None
        words = _qualifiers(noun)
        secure = bool(words & SECURITY)
        if words & NON_SECURITY and not secure:
            return None
        if any(_lemma(t) not in RELATION_COMPOUNDS for t in _compound_nouns(noun)):
            return None
        relation = NOUN_RELATIONS[lemma]
        if lemma in NEEDS_QUALIFIER:
            # "a partnership agreement" is a partnership; "an agreement to deepen defence
            # cooperation" a defence pact; any other agreement is not an alliance.
            kinds = [_lemma(t) for t in _compound_nouns(noun)]
            named = next((k for k in kinds if k in ("partnership", "alliance")), None)
            purpose = {t.lower_ for c in noun.children if c.dep_ == "acl" for t in c.subtree}
            if named:
                relation = named
            elif not (secure or purpose & SECURITY):
                return None
        if words & OLD:
            return None
        if _mutual_defence(noun):
            relation = "mutual-defence"
        verb, role, prep = _governor(noun)
        predicates = [verb] if verb is not None and _forms(verb, role, prep) else []
        predicates += [
            c for c in noun.children if c.dep_ in ("acl", "relcl") and _lemma(c) in FORMATION
        ]
        if not predicates:
            return None
        if any(clauses.is_unreal(p) for p in predicates):
            return None
        words_of_event = [*_noun_phrase(noun), *(t for p in predicates for t in clauses.clause(p))]
        if clauses.is_background(words_of_event, [noun, *predicates], self.ref_year):
            return None

        own = self._noun_arguments(noun)
        if relation == "accession":
            return self._accession(own, [t for p in predicates for t in clauses.subjects(p)])
        parties = self._parties(clauses.prep_objects(noun, ("between", "among")))
        if len(parties) < 2:
            tokens = list(own)
            for p in predicates:
                tokens += clauses.subjects(p) + clauses.prep_objects(p, ("with", "between"))
                if p.dep_ in ("acl", "relcl"):
                    tokens += clauses.prep_objects(p, ("by",))
            parties = self._parties(tokens)
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
            blocs = self._blocs(clauses.objects(verb))
            states = clauses.subjects(verb)
        elif lemma == "accede":
            blocs = self._blocs(clauses.prep_objects(verb, ("to",)))
            states = clauses.subjects(verb)
        else:  # admit
            passive = clauses.passive_subjects(verb)
            if passive:
                states = passive
                blocs = self._blocs(clauses.prep_objects(verb, ("to", "into")))
                blocs = blocs or self._blocs(clauses.subjects(verb))
            else:
                states = clauses.objects(verb)
                blocs = self._blocs(clauses.subjects(verb))
        if not blocs or clauses.is_unreal(verb):
            return None
        if clauses.is_background(clauses.clause(verb), [verb], self.ref_year):
            return None
        return self._accession(states, [], blocs)

    def _accession(
        self, own: list[Token], subjects: list[Token], blocs: list[str] | None = None
    ) -> Candidate | None:
        """State(s) joining bloc(s): states from ``own`` (else ``subjects``)."""
        found = self._parties(own)
        states = [p for p in found if not self.gazetteer.is_bloc(p)]
        if not states:
            states = [p for p in self._parties(subjects) if not self.gazetteer.is_bloc(p)]
        blocs = blocs or [p for p in found if self.gazetteer.is_bloc(p)]
        if not blocs:
            blocs = self._only_bloc_nearby()
        if not states or not blocs:
            return None
        summary = f"{self._names(states)}: accession to {self._names(blocs)}"
        return Candidate("accession", sorted({*states, *blocs}), summary)

    def _blocs(self, tokens: list[Token]) -> list[str]:
        """Blocs the tokens themselves name ("NATO", not "NATO leaders"); "the alliance"
        means the one bloc named nearby."""
        named = [self.at[t.i] for t in tokens if t.i in self.at]
        out = list(dict.fromkeys(m.actor for m in named if self.gazetteer.is_bloc(m.actor)))
        if not out and any(t.lemma_.lower() in BLOC_NOUNS and t.i not in self.at for t in tokens):
            out = self._only_bloc_nearby()
        return out

    def _only_bloc_nearby(self) -> list[str]:
        """The one bloc named in this sentence, else in the one before; none if several."""
        previous = self._previous()
        for pool in (self.mentions, previous.mentions if previous else []):
            blocs = {m.actor for m in pool if self.gazetteer.is_bloc(m.actor)}
            if blocs:
                return sorted(blocs) if len(blocs) == 1 else []
        return []

    def _become(self, verb: Token) -> Candidate | None:
        """ "became NATO's 32nd member", "became allies", "became strategic partners"."""
        attrs = [c for c in verb.children if c.dep_ in ("attr", "oprd")]
        for attr in attrs:
            lemma = attr.lemma_.lower()
            if lemma not in ("member", "ally", "partner"):
                continue
            if clauses.is_unreal(verb) or clauses.is_background(
                clauses.clause(verb), [verb], self.ref_year
            ):
                return None
            own = self._noun_arguments(attr)
            if lemma == "member":
                return self._accession([], clauses.subjects(verb), self._blocs(own) or None)
            parties = self._parties([*clauses.subjects(verb), *own])
            return self._candidate("alliance" if lemma == "ally" else "partnership", parties)
        return None

    # -- invitations ------------------------------------------------------

    def _invite_verb(self, verb: Token) -> Candidate | None:
        if clauses.is_unreal(verb):
            return None
        inviters = self._parties(clauses.subjects(verb))
        invitees = self._parties(clauses.objects(verb) or clauses.passive_subjects(verb))
        hosts, visit = self._destinations(verb)
        return self._invitation(verb, inviters, invitees, hosts, visit)

    def _invitation_noun(self, noun: Token) -> Candidate | None:
        verb, role, _ = _governor(noun)
        if verb is not None and clauses.is_unreal(verb):
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
            anchor, self._parties(inviter_tokens), self._parties(invitee_tokens), hosts, visit
        )

    def _destinations(self, head: Token, extra: Sequence[Token] = ()) -> tuple[list[str], bool]:
        """States the guest is asked to (places count), and whether a visit is named."""
        tokens = list(extra) + clauses.prep_objects(head, ("to",))
        visit = False
        for child in head.children:
            if child.dep_ in ("xcomp", "acl", "advcl") and _lemma(child) in VISIT_VERBS:
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
        if any(c.dep_ == "xcomp" and _lemma(c) == "join" for c in anchor.children):
            return None  # an invitation to join a bloc is read as accession
        if clauses.is_background(clauses.clause(anchor), [anchor], self.ref_year):
            return None
        inviters = inviters or hosts
        parties = sorted({*inviters, *invitees})
        if len(parties) < 2 or not inviters:
            return None
        summary = f"{self._names(inviters)} invited {self._names(invitees)} to a state visit"
        return Candidate("invitation", parties, summary)

    # -- pledges of military support --------------------------------------

    def _pledge(self, verb: Token) -> Candidate | None:
        givers_phrase = {t.i for c in verb.children if c.dep_ == "nsubj" for t in c.subtree}
        words = [t for t in clauses.clause(verb) if t.i not in givers_phrase]
        military = any(t.lower_ in MILITARY for t in words)
        supported = any(
            (_lemma(t) in SUPPORT_NOUNS and t.pos_ == "NOUN") or t.lower_ in MATERIEL for t in words
        )
        # Who gets it: "to Ukraine", "for Russia's war", anywhere in the pledge's clause.
        beneficiaries = [c for c in verb.children if c.dep_ == "dative"]
        for token in words:
            beneficiaries += _with_owners(clauses.prep_objects(token, ("to", "for")))
        for child in verb.children:
            if child.dep_ != "xcomp" or _lemma(child) not in SUPPORT_VERBS:
                continue
            supported = True
            inner = clauses.clause(child)
            military = military or any(t.lower_ in MILITARY for t in inner)
            beneficiaries += _with_owners(clauses.objects(child))
            for token in inner:
                beneficiaries += _with_owners(clauses.prep_objects(token, ("to", "for")))
        if not (supported and military) or clauses.is_unreal(verb):
            return None
        if clauses.is_background(words, [verb], self.ref_year):
            return None
        givers = self._parties(clauses.subjects(verb))
        takers = [p for p in self._parties(beneficiaries) if p not in givers]
        if not givers or not takers:
            return None
        summary = f"{self._names(givers)} pledged military support to {self._names(takers)}"
        return Candidate("military-support", sorted({*givers, *takers}), summary)

    # -- parties ----------------------------------------------------------

    def _parties(self, tokens: list[Token]) -> list[str]:
        """Distinct states and blocs named by ``tokens``, in order."""
        out: list[str] = []
        for token in tokens:
            for actor in self._actors_of(token):
                if actor not in out:
                    out.append(actor)
        return out

    def _actors_of(self, token: Token) -> list[str]:
        mention = self.at.get(token.i)
        if mention is not None:
            return [mention.actor] if mention.acting else []
        lemma = token.lemma_.lower()
        if lemma in ORGAN_NOUNS:
            # "Russia's government", "the North Korean leader", "the governments of Mali and Niger"
            owners = [c for c in token.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
            owners += clauses.prep_objects(token, ("of",))
            found = [m.actor for m in map(self.at.get, (t.i for t in owners)) if m and m.acting]
            if found:
                return list(dict.fromkeys(found))
        if self._refers_to_two(token):
            return self._antecedents(token)
        return []

    def _refers_to_two(self, token: Token) -> bool:
        if token.lower_ in ("they", "them", "both"):
            return True
        if token.lemma_.lower() not in ANAPHORS or token.tag_ not in ("NNS", "NNPS"):
            return False
        return any(
            (c.dep_ == "nummod" and c.lower_ == "two") or (c.dep_ == "det" and c.lower_ == "both")
            for c in token.children
        )

    def _antecedents(self, anaphor: Token) -> list[str]:
        """The two states or blocs "the two leaders"/"both countries" refer back to:
        those named earlier in the sentence, else in the sentence before."""
        leaders_only = anaphor.lemma_.lower() == "leader"

        def two(pool: list[Mention]) -> list[str]:
            kinds = [m for m in pool if m.acting and (m.kind == "leader" or not leaders_only)]
            actors = [m.actor for m in kinds]
            distinct = list(dict.fromkeys(actors))
            return distinct if len(distinct) == 2 else []

        earlier = two([m for m in self.mentions if m.span.end <= anaphor.i])
        if earlier:
            return earlier
        previous = self._previous()
        return two(previous.mentions) if previous is not None else []

    def _previous(self) -> _SentenceReader | None:
        """The reader of the sentence just before, if it was parsed."""
        if self._previous_reader is False:
            prev = self.article.previous(self.sentence)
            self._previous_reader = (
                _SentenceReader(self.gazetteer, self.article, prev, self.ref_year)
                if prev is not None
                else None
            )
        return self._previous_reader or None

    def _inside_name(self, token: Token) -> bool:
        """True if the word is part of a name ("Star Alliance", "Alliance of Sahel States")."""
        if not token.ent_type_:
            return False
        return token.ent_type_ in NAME_LABELS or token.i in self.at

    def _candidate(self, relation: str, parties: list[str]) -> Candidate | None:
        if len(parties) < 2:
            return None
        return Candidate(relation, sorted(parties), f"{self._names(parties)}: {_PHRASES[relation]}")

    def _names(self, actors: list[str]) -> str:
        """ "the United States and Japan": readable names for a summary."""
        return _join_names([self.gazetteer.display_name(a) for a in actors])


# -- parse helpers --------------------------------------------------------------


def _with_owners(tokens: list[Token]) -> list[Token]:
    """Tokens and their possessors: who is helped by "support for Russia's war" is Russia."""
    return [*tokens, *(c for t in tokens for c in t.children if c.dep_ == "poss")]


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _governor(noun: Token) -> tuple[Token | None, str, str]:
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
        if prep.lower_ in ("on", "of") and _lemma(head) in DOCUMENT_NOUNS:
            # "signed a declaration on strategic partnership": the document's verb.
            return _governor(head)
        if head.dep_ == "dobj" and head.head.pos_ == "VERB":
            # "upgraded ties to a partnership": the parser hung "to" on the object.
            return head.head, "pobj", prep.lower_
    return None, "", ""


def _forms(verb: Token, role: str, prep: str) -> bool:
    """True if ``verb`` makes the relation its noun names (in the given role)."""
    lemma = _lemma(verb)
    if role in ("dobj", "nsubjpass", "oprd") and lemma in FORMATION:
        return True
    if role == "pobj":
        return (lemma, prep) in PREP_FORMATION
    if role == "nsubj":
        children = list(verb.children)
        if lemma == "take" and any(c.dep_ == "dobj" and _lemma(c) == "effect" for c in children):
            return True
        if lemma in ("come", "enter", "go"):
            into = clauses.prep_objects(verb, ("into",))
            return any(_lemma(t) in ("force", "effect") for t in into)
        if lemma == "become":
            return any(
                c.dep_ in ("acomp", "attr") and c.lower_ in ("official", "effective", "law")
                for c in children
            )
    return False


def _qualifiers(noun: Token) -> set[str]:
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


def _compound_nouns(noun: Token) -> list[Token]:
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


def _mutual_defence(noun: Token) -> bool:
    words = " ".join(
        t.lower_ for c in noun.children if c.dep_ != "relcl" for t in c.subtree if t.i != noun.i
    )
    return bool(re.search(r"\b(mutual|collective)[\s-]*(defen[cs]e|assistance|security)", words))


def _noun_phrase(noun: Token) -> list[Token]:
    """The noun and its dependents, without relative clauses (checked as predicates)."""
    out = [noun]
    stack = [c for c in noun.children if c.dep_ not in ("relcl", "acl")]
    while stack:
        token = stack.pop()
        out.append(token)
        stack.extend(token.children)
    return out


def _strongest_per_parties(found: list[Candidate]) -> list[Candidate]:
    best: dict[tuple[str, ...], Candidate] = {}
    for cand in found:
        key = tuple(cand.parties)
        old = best.get(key)
        if old is None or RELATIONS.index(cand.relation) < RELATIONS.index(old.relation):
            best[key] = cand
    return list(best.values())


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
