"""The states and blocs one sentence names, and which of them a word refers to.

Words refer to states and blocs directly ("Russia", "NATO"), through a
state's organs ("Russia's government", "the North Korean leader"), or back to
two named before ("the two leaders", "both countries"); "the alliance" means
the one bloc named nearby. Event kinds (alliance, weapons_test, coup,
sanctions, ceasefire) build on this to find the states in an event's slots.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..article import Article, Sentence
from ..language import clauses
from ..language.text import join_names
from . import Gazetteer, Mention, mentions

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


class SentenceParties:
    """The states and blocs named in one sentence, by token.

    gazetteer (Gazetteer): knows blocs and display names.
    article (Article): the article, for the text before the sentence and the sentence before.
    sentence (Sentence): the sentence read.
    ref_year (int): the year the article was published.
    """

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
        self._previous_parties: SentenceParties | None | bool = False  # False: not read yet

    def parties(self, tokens: list[Token]) -> list[str]:
        """Distinct states and blocs named by ``tokens``, in order."""
        out: list[str] = []
        for token in tokens:
            for actor in self._actors_of(token):
                if actor not in out:
                    out.append(actor)
        return out

    def _actors_of(self, token: Token) -> list[str]:
        """States and blocs one token refers to: named, by an organ, or back to two."""
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
        """True for "they", "both", "the two leaders", "both countries"."""
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
        previous = self.previous()
        return two(previous.mentions) if previous is not None else []

    def previous(self) -> SentenceParties | None:
        """The parties of the sentence just before, if it was parsed."""
        if self._previous_parties is False:
            prev = self.article.previous(self.sentence)
            self._previous_parties = (
                SentenceParties(self.gazetteer, self.article, prev, self.ref_year)
                if prev is not None
                else None
            )
        return self._previous_parties or None

    def inside_name(self, token: Token) -> bool:
        """True if the word is part of a name ("Star Alliance", "Alliance of Sahel States")."""
        if not token.ent_type_:
            return False
        return token.ent_type_ in NAME_LABELS or token.i in self.at

    def names(self, actors: list[str]) -> str:
        """ "the United States and Japan": readable names for a summary."""
        return join_names([self.gazetteer.display_name(a) for a in actors])

    def blocs(self, tokens: list[Token]) -> list[str]:
        """Blocs the tokens themselves name ("NATO", not "NATO leaders"); "the alliance"
        means the one bloc named nearby."""
        named = [self.at[t.i] for t in tokens if t.i in self.at]
        out = list(dict.fromkeys(m.actor for m in named if self.gazetteer.is_bloc(m.actor)))
        if not out and any(t.lemma_.lower() in BLOC_NOUNS and t.i not in self.at for t in tokens):
            out = self.only_bloc_nearby()
        return out

    def only_bloc_nearby(self) -> list[str]:
        """The one bloc named in this sentence, else in the one before; none if several."""
        previous = self.previous()
        for pool in (self.mentions, previous.mentions if previous else []):
            blocs = {m.actor for m in pool if self.gazetteer.is_bloc(m.actor)}
            if blocs:
                return sorted(blocs) if len(blocs) == 1 else []
        return []
