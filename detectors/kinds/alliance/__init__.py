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
- an invitation to a state visit ("Putin invited Kim Jong-un to Russia"), or to join a
  bloc ("NATO invited Finland and Sweden to join"): both relation "invitation", told apart
  by the summary and the parties (a bloc among them);
- named states or leaders agreeing to expand security ties (a partnership); access and
  status-of-forces agreements (security pacts). Alliances for sport, business or culture
  ("formed an alliance to bid for the World Cup", "an alliance of firms") are not alliances.

Parties are the states and blocs in the relation's own slots (subject,
object, "with", "between", possessor, "to NATO"), never every name in the
sentence: in "invited Kim to Russia during a meeting in Beijing as Ukraine
suffers", Beijing and Ukraine are not parties. Relations that are background
are skipped: dated in a past year or "last year", "since joining", a past
perfect, an adverb like "previously", or a former/existing pact; so are
relations wished, refused, negated or hypothetical ("hopes to join", "ruled
out joining", "could sign"), and any whose parties are not states or blocs
(business, sports and airline alliances, domestic coalitions).

Where each part lives: relation words, gate phrases and relation-noun parse
readers in ``relations``; which states and blocs a word refers to
in ``parties``; reading the relations of one sentence in
``reader``. This module holds the settings and the flow: sentences
with a trigger → candidates → one detection per relation and parties.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ...article import Article
from ...base import Detector, register
from ...language.text import join_names
from ...records import Detection
from ...settings import ConfigError, Settings
from .reader import RelationReader
from .relations import RELATIONS, TRIGGER_RE, TRIGGERS

#: Severity of each relation kind unless ``severity`` says otherwise.
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

Severity = Literal["low", "medium", "high", "critical"]


class AllianceSettings(Settings):
    """The ``detectors.alliance`` section.

    enabled (bool): run this detector. Defaults to True.
    relations (dict[str, bool]): relation kinds to report or not, e.g.
        ``{invitation: false}``; kinds not named are on. Known kinds:
        mutual-defence, alliance, treaty, pact, accession, partnership,
        military-support, invitation. Defaults to {}.
    severity (dict[str, str]): severity by relation kind over the defaults
        (high for mutual-defence, alliance, treaty, pact and accession; medium
        for partnership and military-support; low for invitation). Defaults to {}.
    """

    enabled: bool = True
    relations: dict[str, bool] = {}
    severity: dict[str, Severity] = {}

    @model_validator(mode="after")
    def _check(self) -> AllianceSettings:
        for section in ("relations", "severity"):
            for name in getattr(self, section):
                if name not in RELATIONS:
                    raise ConfigError(
                        f"{section}.{name}",
                        f"unknown relation kind; known kinds are: {', '.join(RELATIONS)}",
                    )
        return self


@register("alliance")
class AllianceDetector(Detector):
    """Treaties, pacts, accessions, military-support pledges and state-visit invitations."""

    # Labels it adds (silences and group_by accept them).
    label_names = ("parties", "relation")

    Settings = AllianceSettings

    def triggers(self) -> list[str]:
        return list(TRIGGERS)

    def detect(self, article: Article) -> list[Detection]:
        settings: AllianceSettings = self.settings
        ref_year = article.reference_year
        out: list[Detection] = []
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for sentence in article.sentences:
            if not TRIGGER_RE.search(sentence.text):
                continue
            reader = RelationReader(self.gazetteer, article, sentence, ref_year)
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
                        labels={"parties": ",".join(cand.parties), "relation": cand.relation},
                        actors=cand.parties,
                        event=f"{self.name}|parties={','.join(sorted(cand.parties))}"
                        f"|relation={cand.relation}",
                        facts=[
                            ("Parties", join_names([self.gazetteer.name(p) for p in cand.parties])),
                            ("Relation", cand.relation),
                        ],
                    )
                )
        return out
