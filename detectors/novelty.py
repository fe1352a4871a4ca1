"""Is a detection news? Alliances already alerted within a window are not new.

A detector kind opts in by having a ``repeat_window`` setting (a Duration):
a detection of that kind whose key (detector, parties, relation) was seen
within the window is "known". The memory is a mapping the stream backs with
a Faust table, so it survives restarts; values are POSIX seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from .base import detector_kinds
from .settings import load_settings


def novelty_windows(config: Mapping[str, Any]) -> dict[str, float]:
    """Detector name → repeat window in seconds, for kinds that declare one."""
    sections = config.get("detectors") or {}
    windows = {}
    for name, kind in detector_kinds().items():
        if "repeat_window" not in getattr(kind.Settings, "__dataclass_fields__", {}):
            continue
        settings = load_settings(kind.Settings, sections.get(name), f"detectors.{name}")
        windows[name] = float(settings.repeat_window)
    return windows


def novelty_key(detection: Mapping[str, Any]) -> str:
    """What makes two detections "the same news": detector, parties, relation."""
    parties = ",".join(sorted(str(p) for p in detection.get("parties") or []))
    return f"{detection.get('detector')}|{parties}|{detection.get('relation', '')}"


def split_new(
    detections: list[dict[str, Any]],
    seen: MutableMapping[str, float],
    now: float,
    windows: Mapping[str, float],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(new, known) detections; remembers the new ones in ``seen`` at ``now``."""
    new, known = [], []
    for detection in detections:
        window = windows.get(str(detection.get("detector")))
        if window is None:
            new.append(detection)
            continue
        key = novelty_key(detection)
        last = seen.get(key)
        if last is not None and now - last < window:
            known.append(detection)
        else:
            seen[key] = now
            new.append(detection)
    return new, known
