"""Channels (temporary minimal version; replaced by the alerts branch)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from detectors.settings import ConfigError, load_settings


@dataclass(frozen=True)
class ChannelSettings:
    name: str
    urls: list[str] = field(default_factory=list)


def load_channels(section: Any, key: str = "channels") -> list[ChannelSettings]:
    if section is None:
        return []
    if not isinstance(section, list):
        raise ConfigError(key, "expected a list of channels, each with a name and urls")
    return [load_settings(ChannelSettings, c, f"{key}[{i}]") for i, c in enumerate(section)]
