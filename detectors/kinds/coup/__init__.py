"""Coups: soldiers seizing power, ousting or detaining a ruler, or an attempt foiled.

Fires on "Myanmar's military seized power in a coup", "Mutinous soldiers
detained President Keita", "Troops stormed the palace in an apparent coup
attempt", "Authorities said they had foiled a coup attempt"; not on coup
trials, anniversaries, accusations ("the opposition called it a coup"),
martial law declared by a sitting government, elections, or coups of earlier
years told as background.

Fields: ``country`` (ISO alpha-2 code of the state where it happened),
``outcome`` (seized, attempted, foiled) and ``by`` (the leader or unit who
staged it, when named). Reading a sentence lives in ``reader`` with its word
lists in ``words``; this module holds the settings and the flow.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ...article import Article
from ...base import Detector, register
from ...records import Detection
from ...settings import ConfigError, Settings
from .reader import Coup, CoupReader

Severity = Literal["low", "medium", "high", "critical"]

OUTCOMES = ("seized", "attempted", "foiled")
#: Severity of each outcome unless ``severity`` says otherwise.
DEFAULT_SEVERITY: dict[str, Severity] = {
    "seized": "critical",
    "attempted": "high",
    "foiled": "medium",
}

#: Gate phrases: a coup is told with one of these.
TRIGGERS = [
    "coup", "coups", "putsch", "coup d'etat", "coup d'état",
    "seized power", "seize power", "seizes power", "seizing power",
    "took power", "taken power", "take power", "takes power", "taking power",
    "took control", "taken control", "seized control",
    "overthrow", "overthrew", "overthrown", "overthrowing",
    "ousted", "oust", "ousting", "deposed", "depose", "toppled", "topple",
    "mutinous", "mutiny", "mutineers",
    "dissolved the government", "dissolving the government", "dissolve the government",
    "suspended the constitution", "declared himself", "proclaimed himself",
]  # fmt: skip


class CoupSettings(Settings):
    """The ``detectors.coup`` section.

    enabled (bool): run this detector. Defaults to True.
    severity (dict[str, str]): severity by outcome over the defaults (critical
        for seized, high for attempted, medium for foiled). Defaults to {}.
    """

    enabled: bool = True
    severity: dict[str, Severity] = {}

    @model_validator(mode="after")
    def _check(self) -> CoupSettings:
        for name in self.severity:
            if name not in OUTCOMES:
                raise ConfigError(
                    f"severity.{name}",
                    f"unknown outcome; known outcomes are: {', '.join(OUTCOMES)}",
                )
        return self


@register("coup")
class CoupDetector(Detector):
    """Coups and coup attempts reported as happening."""

    # Labels it adds (silences and group_by accept them).
    label_names = ("country", "outcome", "by")

    Settings = CoupSettings

    def triggers(self) -> list[str]:
        return list(TRIGGERS)

    def detect(self, article: Article) -> list[Detection]:
        settings: CoupSettings = self.settings
        out: list[Detection] = []
        seen: set[str | None] = set()
        for sentence in article.sentences:
            reader = CoupReader(self.gazetteer, article, sentence, article.reference_year)
            for coup in reader.coups():
                if coup.country in seen or (coup.country is None and out):
                    continue  # a coup told again, or without a country after one with it
                seen.add(coup.country)
                severity = settings.severity.get(coup.outcome, DEFAULT_SEVERITY[coup.outcome])
                where = self.gazetteer.display_name(coup.country) if coup.country else None
                out.append(
                    Detection(
                        item_id=article.item.id,
                        detector=self.name,
                        severity=severity,
                        summary=summary(coup, where),
                        evidence=article.evidence(sentence),
                        fields={"country": coup.country, "outcome": coup.outcome, "by": coup.by},
                        labels={
                            "country": coup.country or "",
                            "outcome": coup.outcome,
                            "by": coup.by or "",
                        },
                        actors=[coup.country] if coup.country else [],
                        # One coup per country, whatever each report says of how it ended.
                        event=f"{self.name}|country={coup.country or ''}"
                        + ("" if coup.country else f"|summary={summary(coup, None).casefold()}"),
                        facts=[
                            ("Country", where or "unknown"),
                            ("Outcome", coup.outcome),
                            *([("By", coup.by)] if coup.by else []),
                        ],
                    )
                )
        return out


def summary(coup: Coup, where: str | None) -> str:
    """ "Coup in Niger: power seized (by the presidential guard)"."""
    what = {"seized": "power seized", "attempted": "coup attempt", "foiled": "coup attempt foiled"}
    text = f"Coup in {where}" if where else "Coup"
    text += f": {what[coup.outcome]}"
    return text + (f" by {coup.by}" if coup.by else "")
