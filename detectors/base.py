"""The detector contract and the registry of detector kinds.

A detector kind is one package (or module) in ``detectors/kinds/`` with one
class that subclasses ``Detector`` and is decorated with ``@register("name")``.
It is configured by its own section, ``detectors.<name>`` in the config,
validated against its ``Settings`` model, and fills the generic fields of
each Detection it makes (labels, actors, event, facts: docs/contracts.md),
which are all alerts/ reads. Adding a kind touches nothing else; the README
("Adding a detector kind") has a complete example.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Any, ClassVar

from .article import Article
from .entities import Gazetteer
from .records import Detection
from .settings import Settings as SettingsModel

if TYPE_CHECKING:
    from .config import DetectorConfig

_REGISTRY: dict[str, type[Detector]] = {}


class NoSettings(SettingsModel):
    """For detectors without settings of their own."""


class Detector:
    """Base class of detector kinds.

    Subclasses set ``name`` (by ``@register``) and ``Settings`` (a
    ``detectors.settings.Settings`` model with defaults; None for a kind with
    no ``detectors.<name>`` section, such as rules), and implement
    ``triggers`` and ``detect``.
    """

    # Name under which the kind is registered and configured.
    name: ClassVar[str] = ""
    # Model of this kind's ``detectors.<name>`` section, with defaults.
    Settings: ClassVar[type[SettingsModel] | None] = NoSettings
    # Label names this kind adds to its detections' ``labels`` (beyond detector,
    # severity and kind): silences and ``group_by`` accept these names.
    label_names: ClassVar[tuple[str, ...]] = ()

    def __init__(self, settings: Any, gazetteer: Gazetteer) -> None:
        self.settings = settings
        self.gazetteer = gazetteer

    @classmethod
    def from_config(cls, config: DetectorConfig, gazetteer: Gazetteer) -> Detector | None:
        """Build from its validated section ``config.detectors[name]``; None when not enabled."""
        settings = config.detectors[cls.name]
        if not getattr(settings, "enabled", True):
            return None
        return cls(settings, gazetteer)

    def triggers(self) -> list[str]:
        """Phrases (case-insensitive) without which no sentence can match.

        The gate parses only sentences that contain one of them, so a
        detector must not fire on a sentence that has none of its triggers
        nearby.
        """
        raise NotImplementedError

    def next_sentence_triggers(self) -> list[str]:
        """Triggers whose next sentence the detector reads too; the gate parses it.

        Empty by default. A phrase listed here need not be in ``triggers``.
        """
        return []

    def detect(self, article: Article) -> list[Detection]:
        """All detections in the article."""
        raise NotImplementedError


def register(name: str) -> Any:
    """Class decorator: register a Detector subclass under ``name``."""

    def wrap(cls: type[Detector]) -> type[Detector]:
        if name in _REGISTRY and _REGISTRY[name] is not cls:
            raise ValueError(f"two detector kinds are registered as {name!r}")
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return wrap


#: Labels every detection has (docs/contracts.md).
COMMON_LABELS = ("detector", "severity", "kind")


def label_names() -> dict[str, list[str]]:
    """Every label name a detection can carry → the kinds that add it (common ones: ``*``)."""
    out: dict[str, list[str]] = {name: ["*"] for name in COMMON_LABELS}
    for kind, cls in sorted(detector_kinds().items()):
        for name in cls.label_names:
            out.setdefault(name, []).append(kind)
    return out


def detector_kinds() -> dict[str, type[Detector]]:
    """All registered kinds, importing every module in ``detectors/kinds/`` once."""
    from . import kinds

    for module in pkgutil.iter_modules(kinds.__path__):
        importlib.import_module(f"{kinds.__name__}.{module.name}")
    return dict(_REGISTRY)
