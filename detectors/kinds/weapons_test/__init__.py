"""Weapons tests: a test launch or a nuclear test reported as carried out.

Fires on "North Korea test-fired a Hwasong-18 intercontinental ballistic
missile", "Russia carried out a test launch of its Sarmat missile", "India
flight-tested the Agni-V", "conducted its seventh nuclear test", "fired two
short-range ballistic missiles into the sea" and "is reported to have
test-fired"; not on drills the article does not call a test, weapons fired in
war (that is ``strike``), preparations ("could test", "is preparing for a
test"), denials, or a test told as background.

Fields: ``actor`` (ISO alpha-2 code of the state that tested), ``weapon``
(icbm, irbm, srbm, ballistic, cruise, hypersonic, slbm, nuclear, other),
``system`` (e.g. "Hwasong-18", "Sarmat", "Agni-V") when named, ``count`` when
stated. Reading a sentence lives in ``reader``, the weapon's class, name and
count in ``weapons``; this module holds the settings and the flow.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ...article import Article
from ...base import Detector, register
from ...records import Detection
from ...settings import ConfigError, Settings
from .reader import Test, TestReader
from .weapons import PHRASES, WEAPONS

Severity = Literal["low", "medium", "high", "critical"]

#: Severity of each weapon class unless ``severity`` says otherwise.
DEFAULT_SEVERITY: dict[str, Severity] = {
    "nuclear": "critical",
    "icbm": "high",
    "slbm": "high",
    "irbm": "high",
    "hypersonic": "high",
}

#: Gate phrases: how a test is told. Not "test" or "tests" alone: exams, medical and
#: sports tests are far more common, and the gate would parse every one of them.
TRIGGERS = [
    "tested", "test-fired", "test-fire", "test-fires", "test-firing", "test-launched",
    "test-launch", "test-launches", "test launch", "test launches", "test firing",
    "flight-tested", "flight-test", "flight test", "nuclear test", "nuclear tests",
    "missile test", "missile tests", "weapons test", "weapon test", "bomb test", "icbm test",
    "in a test", "as a test", "test of",
]  # fmt: skip
#: Launches into the sea are told without "test" ("fired a ballistic missile into the East
#: Sea"): the weapon words let the gate see them (the strike kind parses them anyway).
SEA_TRIGGERS = ["missile", "missiles", "icbm", "icbms", "slbm", "slbms"]


class WeaponsTestSettings(Settings):
    """The ``detectors.weapons_test`` section.

    enabled (bool): run this detector. Defaults to True.
    severity (dict[str, str]): severity by weapon class over the defaults
        (critical for nuclear; high for icbm, slbm, irbm and hypersonic; medium
        for the rest). Defaults to {}.
    """

    enabled: bool = True
    severity: dict[str, Severity] = {}

    @model_validator(mode="after")
    def _check(self) -> WeaponsTestSettings:
        for name in self.severity:
            if name not in WEAPONS:
                raise ConfigError(
                    f"severity.{name}",
                    f"unknown weapon class; known classes are: {', '.join(WEAPONS)}",
                )
        return self


@register("weapons_test")
class WeaponsTestDetector(Detector):
    """Missile launches and nuclear tests reported as carried out."""

    # Labels it adds (silences and group_by accept them).
    label_names = ("actor", "weapon", "system")

    Settings = WeaponsTestSettings

    def triggers(self) -> list[str]:
        return [*TRIGGERS, *SEA_TRIGGERS]

    def detect(self, article: Article) -> list[Detection]:
        settings: WeaponsTestSettings = self.settings
        out: list[Detection] = []
        seen: set[tuple[str, str, str | None]] = set()
        for sentence in article.sentences:
            reader = TestReader(self.gazetteer, article, sentence, article.reference_year)
            for test in reader.tests():
                key = (test.actor, test.weapon, test.system)
                if key in seen:
                    continue
                seen.add(key)
                severity = settings.severity.get(
                    test.weapon, DEFAULT_SEVERITY.get(test.weapon, "medium")
                )
                out.append(
                    Detection(
                        item_id=article.item.id,
                        detector=self.name,
                        severity=severity,
                        summary=summary(test, self.gazetteer.display_name(test.actor)),
                        evidence=article.evidence(sentence),
                        fields={
                            "actor": test.actor,
                            "weapon": test.weapon,
                            "system": test.system,
                            "count": test.count,
                        },
                        **self.contract(test),
                    )
                )
        return out

    def contract(self, test: Test) -> dict:
        """The generic fields (docs/contracts.md): labels, actors, event and facts."""
        facts = [("Tested by", self.gazetteer.name(test.actor)), ("Weapon", PHRASES[test.weapon])]
        if test.system:
            facts.append(("System", test.system))
        if test.count:
            facts.append(("Count", str(test.count)))
        return {
            "labels": {"actor": test.actor, "weapon": test.weapon, "system": test.system or ""},
            "actors": [test.actor],
            "event": f"{self.name}|actor={test.actor}|weapon={test.weapon}"
            f"|system={test.system or ''}",
            "facts": facts,
        }


def summary(test: Test, actor: str) -> str:
    """ "North Korea tested 2 short-range ballistic missiles (Hwasong-11)"."""
    if test.weapon == "nuclear":
        return f"{actor[:1].upper()}{actor[1:]} conducted a nuclear test"
    phrase = PHRASES[test.weapon]
    what = f"{test.count} {phrase}s" if test.count and test.count > 1 else f"a {phrase}"
    if test.weapon == "other" and test.system:
        what = f"the {test.system}"
    elif test.system:
        what += f" ({test.system})"
    if test.weapon in ("icbm", "irbm", "other", "hypersonic") and what.startswith("a i"):
        what = "an" + what[1:]
    return f"{actor[:1].upper()}{actor[1:]} tested {what}"
