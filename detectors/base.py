"""The detector contract and the registry of detector kinds.

A detector kind is one module in ``detectors/kinds/`` with one class that
subclasses ``Detector`` and is decorated with ``@register("name")``. It is
configured by its own section, ``detectors.<name>`` in the config, checked
against its ``Settings`` dataclass. Adding a kind touches nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from .article import Article
from .entities import Gazetteer
from .records import Detection
from .settings import load_settings

_REGISTRY: dict[str, type[Detector]] = {}


@dataclass(frozen=True)
class NoSettings:
    """For detectors without settings of their own."""


class Detector:
    """Base class of detector kinds.

    Subclasses set ``name`` (by ``@register``) and ``Settings`` (a dataclass),
    and implement ``triggers`` and ``detect``.
    """

    # Name under which the kind is registered and configured.
    name: ClassVar[str] = ""
    # Dataclass of this kind's settings, with defaults.
    Settings: ClassVar[type] = NoSettings

    def __init__(self, settings: Any, gazetteer: Gazetteer) -> None:
        self.settings = settings
        self.gazetteer = gazetteer

    @classmethod
    def from_config(cls, config: Mapping[str, Any], gazetteer: Gazetteer) -> Detector | None:
        """Build from ``config["detectors"][name]``; None when its ``enabled`` is false."""
        section = (config.get("detectors") or {}).get(cls.name)
        settings = load_settings(cls.Settings, section, f"detectors.{cls.name}")
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


def detector_kinds() -> dict[str, type[Detector]]:
    """All registered kinds, importing every module in ``detectors/kinds/`` once."""
    from . import kinds

    for module in pkgutil.iter_modules(kinds.__path__):
        importlib.import_module(f"{kinds.__name__}.{module.name}")
    return dict(_REGISTRY)
