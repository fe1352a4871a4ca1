"""Ceasefires: a ceasefire or truce agreed, taking effect or extended.

Fires on "Armenia and Azerbaijan agreed to a ceasefire", "A ceasefire between
Israel and Lebanon's Hezbollah took effect", "Israel and Hamas agreed to extend
their truce"; not on talks, proposals, calls, violations, a collapse, or
ceasefires of earlier years mentioned as background.

Fields: ``parties`` (ISO alpha-2 codes of the sides, sorted; a non-state side
by the state it fights from once the entity data knows the group) and
``status`` (agreed, in-effect, extended). Reading a sentence lives in
``reader``; this module holds the settings and the flow. An article tells of
one ceasefire per set of sides; a later sentence about it without sides of
its own ("The truce will start at midnight") adds nothing.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ...article import Article
from ...base import Detector, register
from ...language.text import join_names
from ...records import Detection
from ...settings import ConfigError, Settings
from .reader import Ceasefire, CeasefireReader

Severity = Literal["low", "medium", "high", "critical"]

STATUSES = ("agreed", "in-effect", "extended")
#: Severity of each status unless ``severity`` says otherwise.
DEFAULT_SEVERITY: dict[str, Severity] = {
    "agreed": "high",
    "in-effect": "high",
    "extended": "medium",
}

#: Gate phrases: a ceasefire is told with one of these.
TRIGGERS = [
    "ceasefire", "ceasefires", "cease-fire", "cease fire", "truce", "truces", "armistice",
    "cessation of hostilities",
]  # fmt: skip


class CeasefireSettings(Settings):
    """The ``detectors.ceasefire`` section.

    enabled (bool): run this detector. Defaults to True.
    severity (dict[str, str]): severity by status over the defaults (high for
        agreed and in-effect, medium for extended). Defaults to {}.
    """

    enabled: bool = True
    severity: dict[str, Severity] = {}

    @model_validator(mode="after")
    def _check(self) -> CeasefireSettings:
        for name in self.severity:
            if name not in STATUSES:
                raise ConfigError(
                    f"severity.{name}",
                    f"unknown status; known statuses are: {', '.join(STATUSES)}",
                )
        return self


@register("ceasefire")
class CeasefireDetector(Detector):
    """Ceasefires and truces agreed, in effect or extended."""

    # Labels it adds (silences and group_by accept them).
    label_names = ("parties", "status")

    Settings = CeasefireSettings

    def triggers(self) -> list[str]:
        return list(TRIGGERS)

    def detect(self, article: Article) -> list[Detection]:
        settings: CeasefireSettings = self.settings
        out: list[Detection] = []
        seen: list[set[str]] = []
        for sentence in article.sentences:
            reader = CeasefireReader(self.gazetteer, article, sentence, article.reference_year)
            for cf in reader.ceasefires():
                sides = set(cf.parties)
                # The same sides, or a later mention of the one ceasefire with fewer sides named.
                if any(sides <= old or (not sides) for old in seen) or (not sides and out):
                    continue
                seen.append(sides)
                severity = settings.severity.get(cf.status, DEFAULT_SEVERITY[cf.status])
                out.append(
                    Detection(
                        item_id=article.item.id,
                        detector=self.name,
                        severity=severity,
                        summary=self.summary(cf),
                        evidence=article.evidence(sentence),
                        fields={"parties": cf.parties, "status": cf.status},
                        labels={"parties": ",".join(cf.parties), "status": cf.status},
                        actors=cf.parties,
                        event=f"{self.name}|parties={','.join(cf.parties)}|status={cf.status}",
                        facts=[
                            (
                                "Parties",
                                join_names([self.gazetteer.name(p) for p in cf.parties])
                                or "not named",
                            ),
                            ("Status", cf.status),
                        ],
                    )
                )
        return out

    def summary(self, cf: Ceasefire) -> str:
        """ "Ceasefire agreed: Armenia and Azerbaijan"."""
        what = {
            "agreed": "Ceasefire agreed",
            "in-effect": "Ceasefire in effect",
            "extended": "Ceasefire extended",
        }
        names = join_names([self.gazetteer.display_name(p) for p in cf.parties])
        return f"{what[cf.status]}: {names}" if names else what[cf.status]
