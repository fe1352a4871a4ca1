"""The records that cross the wire: NewsItem in, Detection out.

They are plain dataclasses (no Faust, no Kafka) so detectors and alerts can be
used offline; ``to_dict``/``from_dict`` give the JSON shapes documented in
docs/contracts.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("low", "medium", "high", "critical")

# Fields every Detection has; anything else in a dict is a field of the kind.
_DETECTION_BASE = (
    "id", "item_id", "detector", "severity", "summary", "evidence",
    "labels", "actors", "event", "facts",
)  # fmt: skip


class InvalidItem(ValueError):
    """A news item that cannot be processed; the message says why."""


@dataclass(frozen=True)
class NewsItem:
    """One news article. ``id`` and ``text`` are required."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    language: str | None = None

    @classmethod
    def from_dict(cls, data: Any) -> NewsItem:
        """Validate a decoded JSON object; raise InvalidItem naming the field."""
        if not isinstance(data, dict):
            raise InvalidItem(f"expected a JSON object, got {type(data).__name__}")
        for key in ("id", "text"):
            if key not in data or data[key] is None:
                raise InvalidItem(f"missing required field '{key}'")
        item_id, text = data["id"], data["text"]
        if isinstance(item_id, int) and not isinstance(item_id, bool):
            item_id = str(item_id)
        if not isinstance(item_id, str) or not item_id.strip():
            raise InvalidItem("field 'id' must be a non-empty string")
        if not isinstance(text, str):
            raise InvalidItem(f"field 'text' must be a string, got {type(text).__name__}")
        if not text.strip():
            raise InvalidItem("field 'text' is empty")
        optional = {}
        for key in ("title", "url", "source", "published", "language"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise InvalidItem(f"field '{key}' must be a string, got {type(value).__name__}")
            optional[key] = value
        return cls(id=item_id.strip(), text=text, **optional)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Evidence:
    """The sentence a detection rests on, with character offsets into the item text."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Detection:
    """One match of one detector in one item (the contract: docs/contracts.md).

    The generic fields are all that alerts/ reads, so any kind plugs in:

    labels (dict[str, str]): flat text → text that silences and filters match;
        ``detector`` and ``severity`` are always set from the fields of the same
        name, the kind adds what people match on (strike: actor, target).
    actors (list[str]): the states and blocs involved, sorted (channel ``actors:``).
    event (str): the key that makes two reports one event, chosen by the kind;
        defaults to the detector and the case-folded summary.
    facts (list[tuple[str, str]]): ordered (name, value) lines for people to read,
        e.g. ("Munitions", "500 drones, 24 missiles").

    ``fields`` holds the kind's own fields for tools (strike: munitions, total,
    ...); on the wire they sit beside the generic ones.
    """

    item_id: str
    detector: str
    severity: str
    summary: str
    evidence: Evidence
    fields: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    actors: list[str] = field(default_factory=list)
    event: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")
        clash = sorted(set(self.fields) & set(_DETECTION_BASE))
        if clash:
            raise ValueError(f"a kind's fields cannot be named like generic ones: {clash}")
        own = {str(k): str(v) for k, v in self.labels.items() if v is not None and v != ""}
        self.labels = {"detector": self.detector, "severity": self.severity}
        self.labels.update({k: v for k, v in own.items() if k not in self.labels})
        self.actors = sorted({str(a) for a in self.actors if a})
        if not self.event:
            self.event = f"{self.detector}|summary={' '.join(self.summary.casefold().split())}"
        self.facts = [(str(name), str(value)) for name, value in self.facts]
        if not self.id:
            # Deterministic: the same item replayed gives the same detection id.
            key = f"{self.item_id}|{self.detector}|{self.evidence.start}|{self.evidence.end}"
            key += "|" + repr(sorted(self.fields.items()))
            self.id = hashlib.sha1(key.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "item_id": self.item_id,
            "detector": self.detector,
            "severity": self.severity,
            "summary": self.summary,
            "evidence": self.evidence.to_dict(),
            "labels": dict(self.labels),
            "actors": list(self.actors),
            "event": self.event,
            "facts": [[name, value] for name, value in self.facts],
        }
        out.update(self.fields)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Detection:
        ev = data["evidence"]
        return cls(
            id=data["id"],
            item_id=data["item_id"],
            detector=data["detector"],
            severity=data["severity"],
            summary=data["summary"],
            evidence=Evidence(ev["text"], int(ev["start"]), int(ev["end"])),
            fields={k: v for k, v in data.items() if k not in _DETECTION_BASE},
            labels=dict(data.get("labels") or {}),
            actors=list(data.get("actors") or []),
            event=str(data.get("event") or ""),
            facts=[(n, v) for n, v in data.get("facts") or []],
        )
