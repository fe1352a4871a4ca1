"""Sanctions imposed: adopted, imposed, or announced as in force, by a state, bloc or the UN.

Fires on "EU countries adopted a 14th package of sanctions against Russia",
"The U.S. Treasury sanctioned six Iranian officials", "Britain imposed an
asset freeze and travel ban on four settlers", "The EU's 16th package entered
into force"; not on calls, threats and proposals ("expected to approve",
"urged"), sanctions lifted or eased, sports or disciplinary sanctions, or
sanctions told as background ("under Western sanctions since 2014").

Fields: ``imposer`` (ISO alpha-2 code, bloc name such as EU, or UN),
``target`` (the state whose government, companies or people are sanctioned),
``measures`` (asset freeze, travel ban, export controls, import ban, price
cap, arms embargo, financial), ``package`` when numbered. Reading a sentence
lives in ``reader``, the measures and package numbers in ``measures``; this
module holds the settings and the flow.
"""

from __future__ import annotations

from typing import Literal

from ...article import Article
from ...base import Detector, register
from ...language.text import join_names
from ...records import Detection
from ...settings import Settings
from .reader import Sanction, SanctionsReader

Severity = Literal["low", "medium", "high", "critical"]

#: Gate phrases: a sanctions decision is told with one of these.
TRIGGERS = [
    "sanction", "sanctions", "sanctioned", "sanctioning",
    "asset freeze", "froze the assets", "freeze the assets", "freezing the assets", "froze assets",
    "travel ban", "travel bans", "entry ban", "entry bans", "export controls", "export ban",
    "export bans", "price cap", "arms embargo", "blacklist", "entity list",
]  # fmt: skip


class SanctionsSettings(Settings):
    """The ``detectors.sanctions`` section.

    enabled (bool): run this detector. Defaults to True.
    severity (str): severity of every sanctions detection. Defaults to "medium".
    severity_numbered (str): severity of a numbered package (an EU-style round
        of many measures). Defaults to "high".
    """

    enabled: bool = True
    severity: Severity = "medium"
    severity_numbered: Severity = "high"


@register("sanctions")
class SanctionsDetector(Detector):
    """Sanctions adopted, imposed or in force."""

    # Labels it adds (silences and group_by accept them).
    label_names = ("imposer", "target", "measures", "package")

    Settings = SanctionsSettings

    def triggers(self) -> list[str]:
        return list(TRIGGERS)

    def detect(self, article: Article) -> list[Detection]:
        settings: SanctionsSettings = self.settings
        out: list[Detection] = []
        seen: set[tuple[str, str | None]] = set()
        for sentence in article.sentences:
            reader = SanctionsReader(self.gazetteer, article, sentence, article.reference_year)
            for sanction in reader.sanctions():
                key = (sanction.imposer, sanction.target)
                if key in seen or (sanction.target is None and any(k[0] == key[0] for k in seen)):
                    continue
                seen.add(key)
                numbered = sanction.package is not None
                out.append(
                    Detection(
                        item_id=article.item.id,
                        detector=self.name,
                        severity=settings.severity_numbered if numbered else settings.severity,
                        summary=self.summary(sanction),
                        evidence=article.evidence(sentence),
                        fields={
                            "imposer": sanction.imposer,
                            "target": sanction.target,
                            "measures": sanction.measures,
                            "package": sanction.package,
                        },
                        **self.contract(sanction),
                    )
                )
        return out

    def contract(self, s: Sanction) -> dict:
        """The generic fields (docs/contracts.md): labels, actors, event and facts."""
        name = self.gazetteer.name
        facts = [("Imposed by", name(s.imposer))]
        if s.target:
            facts.append(("Target", name(s.target)))
        if s.measures:
            facts.append(("Measures", ", ".join(s.measures)))
        if s.package:
            facts.append(("Package", str(s.package)))
        return {
            "labels": {
                "imposer": s.imposer,
                "target": s.target or "",
                "measures": ",".join(s.measures),
                "package": str(s.package) if s.package else "",
            },
            "actors": [s.imposer, *([s.target] if s.target else [])],
            "event": f"{self.name}|imposer={s.imposer}|target={s.target or ''}"
            f"|package={s.package or ''}",
            "facts": facts,
        }

    def summary(self, s: Sanction) -> str:
        """ "The EU imposed sanctions on Russia (package 14): asset freeze, travel ban"."""
        name = self.gazetteer.display_name
        text = f"{name(s.imposer)} imposed sanctions"
        text = text[:1].upper() + text[1:]
        if s.target:
            text += f" on {name(s.target)}"
        if s.package:
            text += f" (package {s.package})"
        if s.measures:
            text += ": " + join_names(s.measures)
        return text
