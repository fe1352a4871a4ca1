"""Is a detection news? An event already alerted within a window is not new.

Novelty is a routing concern keyed on the detection's ``event``: the
``routing.novelty_windows`` config section maps a detector name to a window
(default: alliances, 30 days); a detection of that detector whose event was
seen within the window is "known" and is not routed. The memory is a mapping
the stream backs with a Faust table, so it survives restarts; values are
POSIX seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from detectors.settings import Duration, Settings

from .fields import detection_event


class RoutingSettings(Settings):
    """The ``routing`` section.

    novelty_windows (dict[str, Duration]): detector name → how long after an
        event was alerted a new report of it is not news (``event`` equal).
        Detectors not named are always news. Defaults to {alliance: 30d}.
    """

    novelty_windows: dict[str, Duration] = {"alliance": 30 * 86400.0}


def split_new(
    detections: list[dict[str, Any]],
    seen: MutableMapping[str, float],
    now: float,
    windows: Mapping[str, float],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(new, known) detections; remembers the new ones in ``seen`` at ``now``.

    detections (list[dict]): detections as on the wire.
    seen (MutableMapping[str, float]): event → POSIX seconds it was last new.
    now (float): POSIX seconds.
    windows (Mapping[str, float]): detector → window in seconds.
    """
    new, known = [], []
    for detection in detections:
        window = windows.get(str(detection.get("detector")))
        if window is None:
            new.append(detection)
            continue
        key = detection_event(detection)
        last = seen.get(key)
        if last is not None and now - last < window:
            known.append(detection)
        else:
            seen[key] = now
            new.append(detection)
    return new, known
