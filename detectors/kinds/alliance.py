"""New alliances between states (first, simple version)."""

from __future__ import annotations

from dataclasses import dataclass

from ..article import Article
from ..base import Detector, register
from ..records import Detection

RELATIONS = {
    "pact": "pact",
    "treaty": "treaty",
    "alliance": "alliance",
    "partnership": "partnership",
    "invite": "invitation",
    "invitation": "invitation",
}


@dataclass(frozen=True)
class AllianceSettings:
    """The ``detectors.alliance`` section.

    enabled (bool): run this detector. Defaults to True.
    """

    enabled: bool = True


@register("alliance")
class AllianceDetector(Detector):
    Settings = AllianceSettings

    def triggers(self) -> list[str]:
        return ["pact", "treaty", "alliance", "partnership", "invited", "invites", "invitation"]

    def detect(self, article: Article) -> list[Detection]:
        out = []
        for sentence in article.sentences:
            relation = next(
                (
                    RELATIONS[t.lemma_.lower()]
                    for t in sentence.span
                    if t.lemma_.lower() in RELATIONS
                ),
                None,
            )
            parties = sorted({e._.actor for e in sentence.span.ents if e._.actor})
            if not relation or len(parties) < 2:
                continue
            names = " and ".join(self.gazetteer.name(p) for p in parties)
            out.append(
                Detection(
                    item_id=article.item.id,
                    detector=self.name,
                    severity="medium",
                    summary=f"{names}: {relation}",
                    evidence=article.evidence(sentence),
                    fields={"parties": parties, "relation": relation},
                )
            )
            break
        return out
