"""Silences: mute matching detections for a while, as in Prometheus Alertmanager.

A silence is a list of matchers over a detection's labels plus a time
window. It mutes a detection on a channel when every matcher matches and
``starts_at <= now < ends_at``. Matchers follow Alertmanager:

- ``KEY=VALUE``   the label equals VALUE;
- ``KEY!=VALUE``  the label does not equal VALUE;
- ``KEY=~REGEX``  the label matches REGEX in full (anchored);
- ``KEY!~REGEX``  the label does not match REGEX in full.

A label that is absent counts as the empty string, so ``actor=`` matches
detections without an actor. VALUE may be double-quoted. At least one
matcher must not match the empty string, so a silence cannot mute
everything by accident.

Labels (``labels``): the detection's own ``labels`` (always detector,
severity and kind, plus what its kind adds: strike actor and target,
alliance parties and relation, rule rule and states), then actors (its
``actors``, comma separated), channel, item_id and source.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .fields import detection_actors, detection_labels

_MATCHER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$", re.S)
_OPS = ("=", "!=", "=~", "!~")


class SilenceError(ValueError):
    """A silence or matcher that cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class Matcher:
    """One ``KEY op VALUE`` condition on a label.

    name (str): the label name, e.g. "actor".
    op (str): one of "=", "!=", "=~", "!~".
    value (str): the value, or the regular expression for =~ and !~.
    """

    name: str
    op: str
    value: str
    _regex: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.op not in _OPS:
            raise SilenceError(f"unknown matcher operator {self.op!r}; use one of {_OPS}")
        if self.op in ("=~", "!~"):
            try:
                object.__setattr__(self, "_regex", re.compile(self.value))
            except re.error as exc:
                raise SilenceError(
                    f"matcher {self.name}{self.op}{self.value}: invalid regular expression ({exc})"
                ) from None

    @classmethod
    def parse(cls, text: str) -> Matcher:
        """Parse ``KEY=VALUE``, ``KEY!=VALUE``, ``KEY=~REGEX`` or ``KEY!~REGEX``."""
        match = _MATCHER.match(text) if isinstance(text, str) else None
        if not match:
            raise SilenceError(
                f"invalid matcher {text!r}: expected KEY=VALUE, KEY!=VALUE, KEY=~REGEX or "
                "KEY!~REGEX, e.g. actor=RU or detector=~strike|alliance"
            )
        name, op, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        return cls(name, op, value)

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Whether the label (absent = "") satisfies this matcher."""
        value = labels.get(self.name, "")
        if self.op == "=":
            return value == self.value
        if self.op == "!=":
            return value != self.value
        hit = self._regex is not None and self._regex.fullmatch(value) is not None
        return hit if self.op == "=~" else not hit

    def __str__(self) -> str:
        value = self.value
        if not value or any(c in value for c in ' "=!~,'):
            value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"{self.name}{self.op}{value}"


def _time(value: Any, key: str) -> float:
    """POSIX seconds from a number or an ISO 8601 string (no zone = UTC)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return when.timestamp()
    raise SilenceError(f"{key}: expected POSIX seconds or an ISO 8601 time, got {value!r}")


@dataclass(frozen=True)
class Silence:
    """Mutes detections whose labels match all ``matchers`` between two times.

    id (str): unique id (a random hex string unless given).
    matchers (tuple[Matcher, ...]): conditions, all of which must hold.
    starts_at (float): POSIX seconds the silence begins.
    ends_at (float): POSIX seconds it ends (exclusive).
    comment (str): why it was set. Defaults to "".
    created_by (str | None): who set it. Defaults to None.
    """

    id: str
    matchers: tuple[Matcher, ...]
    starts_at: float
    ends_at: float
    comment: str = ""
    created_by: str | None = None

    def __post_init__(self) -> None:
        if not self.matchers:
            raise SilenceError("a silence needs at least one matcher, e.g. actor=RU")
        if all(m.matches({}) for m in self.matchers):
            raise SilenceError(
                "every matcher of this silence also matches an empty label, so it would mute "
                "everything; add a matcher such as detector=strike"
            )
        if self.ends_at <= self.starts_at:
            raise SilenceError("a silence must end after it starts")

    @classmethod
    def create(
        cls,
        matchers: Iterable[str | Matcher],
        *,
        now: float,
        duration_s: float | None = None,
        ends_at: float | None = None,
        starts_at: float | None = None,
        comment: str = "",
        created_by: str | None = None,
        id: str | None = None,  # noqa: A002 - matches the stored field
    ) -> Silence:
        """Make a silence from matcher strings, starting ``now`` unless ``starts_at`` is given.

        Give either ``duration_s`` (seconds from the start) or ``ends_at``.
        """
        start = now if starts_at is None else starts_at
        if (duration_s is None) == (ends_at is None):
            raise SilenceError("give exactly one of a duration or an end time for the silence")
        end = start + duration_s if duration_s is not None else ends_at
        parsed = tuple(m if isinstance(m, Matcher) else Matcher.parse(m) for m in matchers)
        return cls(
            id=id or uuid.uuid4().hex[:12],
            matchers=parsed,
            starts_at=float(start),
            ends_at=float(end),  # type: ignore[arg-type]
            comment=comment,
            created_by=created_by,
        )

    def is_active(self, now: float) -> bool:
        """Whether it mutes at ``now`` (``starts_at <= now < ends_at``)."""
        return self.starts_at <= now < self.ends_at

    def is_expired(self, now: float) -> bool:
        """Whether it has ended."""
        return now >= self.ends_at

    def expire(self, now: float) -> Silence:
        """A copy that ends at ``now`` (Alertmanager's "expire"); unchanged if already over."""
        if self.is_expired(now):
            return self
        start = min(self.starts_at, now - 1e-6)
        return Silence(self.id, self.matchers, start, now, self.comment, self.created_by)

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Whether every matcher matches ``labels`` (time is not considered)."""
        return all(m.matches(labels) for m in self.matchers)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict for storage; ``from_dict`` reads it back."""
        return {
            "id": self.id,
            "matchers": [str(m) for m in self.matchers],
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "comment": self.comment,
            "created_by": self.created_by,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Silence:
        """Read a stored silence; times may be POSIX seconds or ISO 8601."""
        if not isinstance(data, Mapping):
            raise SilenceError(f"a silence must be a mapping, got {data!r}")
        for key in ("id", "matchers", "starts_at", "ends_at"):
            if key not in data:
                raise SilenceError(f"silence is missing {key!r}")
        matchers = data["matchers"]
        if isinstance(matchers, str) or not isinstance(matchers, Iterable):
            raise SilenceError(f"silence matchers must be a list, got {matchers!r}")
        return cls(
            id=str(data["id"]),
            matchers=tuple(Matcher.parse(m) for m in matchers),
            starts_at=_time(data["starts_at"], "starts_at"),
            ends_at=_time(data["ends_at"], "ends_at"),
            comment=str(data.get("comment") or ""),
            created_by=data.get("created_by"),
        )


#: Names silences match beside a detection's own labels (see ``labels``).
ROUTING_LABELS = ("actors", "channel", "item_id", "source")


def known_labels() -> dict[str, list[str]]:
    """Every name a matcher may use → where it comes from (kinds, or ``*`` for all).

    The detection labels come from the kinds' declarations
    (``detectors.base.label_names``), so a new kind adds its labels here.
    """
    from detectors.base import label_names  # imports every kind: only when asked

    out = label_names()
    for name in ROUTING_LABELS:
        out[name] = ["*"]
    return out


def check_label_names(matchers: Iterable[Matcher | str], known: Mapping[str, Any]) -> None:
    """Raise SilenceError for a matcher on a label no detection has, listing the labels."""
    for matcher in matchers:
        m = matcher if isinstance(matcher, Matcher) else Matcher.parse(matcher)
        if m.name not in known:
            listed = ", ".join(
                name if kinds == ["*"] else f"{name} ({', '.join(kinds)})"
                for name, kinds in known.items()
            )
            raise SilenceError(
                f"matcher {m}: no detection has a label {m.name!r}, so it would mute "
                f"nothing; labels: {listed}"
            )


def labels(
    detection: Mapping[str, Any],
    channel: Any,
    item: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """The labels silences match against, for one detection on one channel.

    detection (Mapping): the detection as on the wire.
    channel (Channel | str): the channel (or its name).
    item (Mapping | None): item metadata, for ``source``. Defaults to None.
    """
    out = detection_labels(detection)
    out["actors"] = ",".join(detection_actors(detection))
    out["channel"] = str(getattr(channel, "name", channel))
    out["item_id"] = str(detection.get("item_id", ""))
    if item and item.get("source"):
        out["source"] = str(item["source"])
    return {k: v for k, v in out.items() if v}


def is_silenced(
    labels: Mapping[str, str], silences: Iterable[Silence | Mapping[str, Any]], now: float
) -> Silence | None:
    """The first silence active at ``now`` whose matchers all match ``labels``, else None.

    silences (Iterable): Silence objects or their stored dicts.
    """
    for silence in silences:
        if not isinstance(silence, Silence):
            silence = Silence.from_dict(silence)
        if silence.is_active(now) and silence.matches(labels):
            return silence
    return None


def active_silences(silences: Iterable[Silence | Mapping[str, Any]], now: float) -> list[Silence]:
    """The silences not yet expired at ``now`` (pending ones included), as objects."""
    parsed = [s if isinstance(s, Silence) else Silence.from_dict(s) for s in silences]
    return [s for s in parsed if not s.is_expired(now)]
