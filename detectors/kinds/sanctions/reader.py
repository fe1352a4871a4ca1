"""Reading the sanctions one sentence tells of, off the dependency parse.

A sanctions decision is found as:

- the verb "sanction" ("Britain sanctioned 30 more vessels of Russia's shadow
  fleet", "were sanctioned by the Treasury");
- a sanctions noun or a measure noun made by a verb of adopting ("adopted a
  14th package of sanctions against Russia", "imposed an asset freeze and travel
  ban on four settlers", "Sanctions were imposed on ... by the United States")
  or said to be in force ("The EU's 16th package ... entered into force");
- assets frozen ("froze the assets of 15 Venezuelan officials") or firms put on
  a trade blacklist ("added 140 Chinese companies to its trade blacklist").

Calls, threats, proposals and expectations ("urged allies to impose", "are
expected to approve", "proposed a new package") are left out by the shared
modality check; sanctions lifted, eased or annulled are never made by these
verbs; sanctions by no state, bloc or the UN (a football body, a medical
council) have no imposer and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Token

from ...entities.parties import SentenceParties
from ...gate import rough_sentences
from ...language import clauses, modality
from ...language.clauses import lemma_of
from .measures import measures_in, ordinal

# Verbs that adopt sanctions: "imposed", "adopted", "announced", "slapped".
ADOPT_VERBS = frozenset(
    """impose adopt announce approve introduce unveil levy slap place put agree enact issue
    extend renew expand roll""".split()
)
# Nouns that are sanctions, and measure nouns with the qualifier that makes them one.
SANCTION_NOUNS = frozenset({"sanction", "sanctions"})
MEASURE_NOUNS = {
    "freeze": frozenset({"asset", "assets"}),
    "ban": frozenset({"travel", "entry", "visa", "export", "import"}),
    "bans": frozenset({"travel", "entry", "visa", "export", "import"}),
    "embargo": frozenset(),  # any embargo: arms, oil, trade
    "cap": frozenset({"price"}),
    "control": frozenset({"export"}),
    "controls": frozenset({"export"}),
}
# Verbs that sanction someone: "sanctioned six officials", "designated 12 individuals".
SANCTION_VERBS = frozenset({"sanction", "designate", "blacklist"})
# Verbs that hit someone with sanctions: "were hit with new sanctions".
HIT_VERBS = frozenset({"hit", "slap", "target"})
# Where a sanctions decision names its target: "on Russia", "against Iranian officials".
TARGET_PREPS = ("on", "against", "targeting")
# A sanctions word, without which a travel or entry ban is not a sanction.
SANCTION_WORD = re.compile(r"\bsanction|\bblacklist|\basset freeze|\bfroze", re.IGNORECASE)
# Bans on people, which are sanctions only when the sentence says so.
PERSONAL_BANS = frozenset({"travel", "entry", "visa"})
# Lists that put firms under export controls: "its trade blacklist", "the Entity List".
LISTS = frozenset({"blacklist", "list"})


@dataclass
class Sanction:
    """One sanctions decision read from a sentence.

    imposer (str): ISO alpha-2 code, bloc name (EU) or UN.
    target (str | None): the state whose government, companies or people are sanctioned.
    measures (list[str]): measure names (see ``measures.MEASURES``), sorted.
    package (int | None): the package number, when numbered.
    """

    imposer: str
    target: str | None
    measures: list[str] = field(default_factory=list)
    package: int | None = None


class SanctionsReader(SentenceParties):
    """Reads the sanctions decisions of one sentence (states from ``SentenceParties``)."""

    def sanctions(self) -> list[Sanction]:
        found: list[Sanction] = []
        for token in self.span:
            lemma = lemma_of(token)
            got = None
            if token.pos_ == "VERB" and lemma in SANCTION_VERBS:
                # "sanction" also means "approve" ("a campaign sanctioned by Putin"): only a
                # decision against someone of a named state counts.
                sanctioned = clauses.objects(token) + clauses.passive_subjects(token)
                got = self._decision(token, sanctioned, need_target=True)
            elif token.pos_ == "VERB" and lemma == "freeze":
                assets = [o for o in clauses.objects(token) if lemma_of(o) in ("asset", "assets")]
                if assets:
                    got = self._decision(
                        token, clauses.prep_objects(assets[0], ("of", "belonging"))
                    )
            elif token.pos_ == "VERB" and lemma == "add":
                lists = [o for o in clauses.prep_objects(token, ("to",)) if lemma_of(o) in LISTS]
                if lists:
                    got = self._decision(token, clauses.objects(token))
            elif token.pos_ in ("NOUN", "PROPN") and self._is_sanction_noun(token):
                got = self._noun(token)
            if got is not None:
                found.append(got)
        return _merged(found)

    # -- nouns ------------------------------------------------------------

    def _is_sanction_noun(self, noun: Token) -> bool:
        lemma, word = lemma_of(noun), noun.lower_
        if lemma in SANCTION_NOUNS or word in SANCTION_NOUNS:
            # "a package of sanctions": the package is the decision.
            return not (noun.dep_ == "pobj" and lemma_of(noun.head.head) == "package")
        if lemma == "package":
            return any(
                lemma_of(t) in SANCTION_NOUNS or t.lower_ in SANCTION_NOUNS
                for t in noun.subtree
                if t.i <= noun.i + 3
            )
        qualifiers = MEASURE_NOUNS.get(word, MEASURE_NOUNS.get(lemma))
        if qualifiers is None:
            return False
        mods = {lemma_of(c) for c in noun.children if c.dep_ in ("compound", "amod", "nmod")}
        if mods & PERSONAL_BANS and not SANCTION_WORD.search(self.span.text):
            return False  # a travel ban without sanctions is immigration policy
        if noun.dep_ == "conj" and self._is_sanction_noun(noun.head):
            return False  # "an asset freeze and travel ban": one decision
        mods = {lemma_of(c) for c in noun.children if c.dep_ in ("compound", "amod", "nmod")}
        return not qualifiers or bool(mods & qualifiers)

    def _noun(self, noun: Token) -> Sanction | None:
        verb = _adopting_verb(noun)
        if verb is None:
            return None
        # "sanctions on Russia", "a package of sanctions against Russia", "a ban on ... and".
        targets = [
            o
            for t in [noun, *noun.conjuncts, *_phrase(noun)]
            if t.pos_ in ("NOUN", "PROPN")
            for o in clauses.prep_objects(t, TARGET_PREPS)
        ]
        for child in noun.children:  # "sanctions targeting Chinese firms"
            if child.dep_ == "acl" and lemma_of(child) == "target":
                targets += clauses.objects(child)
        if noun.dep_ == "pobj" and lemma_of(verb) in HIT_VERBS:
            targets += clauses.passive_subjects(verb) + clauses.objects(verb)
        owners = [c for c in noun.children if c.dep_ == "poss"]
        # "new U.S. sanctions": the last resort for who imposes ("Iran sanctions" names the
        # target, which the check that a state does not sanction itself then drops).
        owners += [c for c in noun.children if c.dep_ in ("compound", "nmod", "amod")]
        return self._decision(verb, targets, noun=noun, owners=owners)

    # -- shared -----------------------------------------------------------

    def _decision(
        self,
        verb: Token,
        targets: list[Token],
        *,
        noun: Token | None = None,
        owners: list[Token] | None = None,
        need_target: bool = False,
    ) -> Sanction | None:
        if modality.is_unreal(verb) or _on_hold(verb):
            return None
        words = [*clauses.event_words(verb), *(noun.subtree if noun is not None else [])]
        heads = [verb, *([noun] if noun is not None else [])]
        when = self.article.reference_date
        if modality.is_background(words, heads, self.ref_year, recent=True, ref_date=when):
            return None
        imposer = self._imposer(verb, owners or [])
        if imposer is None:
            return None
        targets = targets + clauses.prep_objects(verb, TARGET_PREPS)
        targets = [t for t in targets if t.ent_type_ not in ("DATE", "TIME")]  # "on Monday"
        named = self._states(targets)
        if named and all(s == imposer for s in named):
            return None  # a state does not sanction itself: the parse took the target for it
        found = [s for s in named if s != imposer]
        if not found:  # "Iran sanctions were extended": a modifier names the target
            found = [s for s in self._states(owners or []) if s != imposer]
        if need_target and not found:
            return None
        package = None
        if noun is not None and lemma_of(noun) == "package":
            package = next((n for c in noun.children if (n := ordinal(c.text)) is not None), None)
        return Sanction(imposer, found[0] if found else None, self._measures(), package)

    def _imposer(self, verb: Token, owners: list[Token]) -> str | None:
        """Who imposes: the verb's doer ("European Union countries adopted"), the "by"
        agent, the decision's owner ("the EU's 16th package"), else the reporter."""
        pools = [clauses.doers(verb), clauses.prep_objects(verb, ("by",)), owners]
        reporter = clauses.reporting_verb(verb)
        if reporter is not None:
            pools.append(clauses.subjects(reporter))
        for pool in pools:
            found = self._states([t for p in pool for t in _phrase(p)], acting=True)
            if found:
                return found[0]
        return None

    def _states(self, tokens: list[Token], *, acting: bool = False) -> list[str]:
        """States and blocs named in the tokens' phrases, in order."""
        out: list[str] = []
        for token in sorted({t for tok in tokens for t in _phrase(tok)}, key=lambda t: t.i):
            mention = self.at.get(token.i)
            if mention is None or (acting and not mention.acting):
                continue
            if mention.actor not in out:
                out.append(mention.actor)
        return out

    def _measures(self) -> list[str]:
        """Measures named in the sentence and the one after it."""
        text = self.sentence.text
        rest = self.article.item.text[self.sentence.end :]
        after = rough_sentences(rest)
        following = rest[after[0][0] : after[0][1]] if after else ""
        return measures_in(f"{text} {following}")


def _adopting_verb(noun: Token) -> Token | None:
    """The verb that makes the sanctions: "imposed sanctions", "sanctions were imposed",
    "entered into force", "took effect"; None for "urged sanctions", "lifted sanctions"."""
    head = noun.head
    if noun.dep_ == "conj":
        return _adopting_verb(head)
    if noun.dep_ in ("dobj", "nsubjpass") and lemma_of(head) in ADOPT_VERBS:
        return head
    if noun.dep_ == "pobj" and head.lower_ == "with" and lemma_of(head.head) in HIT_VERBS:
        return head.head  # "Russian banks were hit with new U.S. sanctions"
    if noun.dep_ == "nsubj" and head.pos_ == "VERB":
        lemma = lemma_of(head)
        force = {lemma_of(o) for o in clauses.prep_objects(head, ("into", "in"))}
        if lemma in ("enter", "come", "go") and force & {"force", "effect"}:
            return head
        if lemma == "take" and any(lemma_of(o) == "effect" for o in clauses.objects(head)):
            return head
    return None


def _phrase(token: Token) -> list[Token]:
    """The token's noun phrase without nested clauses ("30 more vessels of Russia's fleet")."""
    if token.pos_ in ("VERB", "AUX"):
        return [token]
    out = [token]
    stack = [c for c in token.children if c.dep_ not in clauses.CLAUSE_DEPS]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in clauses.CLAUSE_DEPS)
    return out


def _merged(found: list[Sanction]) -> list[Sanction]:
    """One decision per imposer in a sentence: targets, measures and package joined."""
    out: dict[str, Sanction] = {}
    for s in found:
        old = out.get(s.imposer)
        if old is None:
            out[s.imposer] = s
            continue
        old.target = old.target or s.target
        old.package = old.package or s.package
        old.measures = sorted({*old.measures, *s.measures})
    return list(out.values())


def _on_hold(verb: Token) -> bool:
    """ "put the travel ban on hold": suspended, not imposed."""
    return any(lemma_of(o) == "hold" for o in clauses.prep_objects(verb, ("on",)))
