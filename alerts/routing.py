"""Route detections to channels: filters, silences, de-duplication, grouping.

The route agent calls ``Router.add`` for every detection result and
``Router.flush`` on a timer; ``flush`` returns the Alerts to publish. The
timings follow Prometheus Alertmanager. A channel's detections are grouped
by its ``group_by`` names (default ``[event]``: one group per event, so
unrelated events never share a message or wait for each other); ``[detector]``
or any label names give digests, ``[]`` one digest per channel:

- ``group_wait``: a detection that opens a new group waits this long, so
  detections arriving meanwhile go out in the same message.
- ``group_interval``: once a group was notified, detections added to it go
  out no sooner than ``group_interval`` after that notification (one
  message per channel per interval at most). A group not notified for
  ``group_interval`` is closed; the next detection opens a new one and
  waits ``group_wait`` again.
- ``repeat_interval``: an event (fingerprint) notified on a channel is not
  sent to it again in full until this much time has passed. A new article
  on it in between is never dropped: it goes out as an update ("also
  reported by"), through the event's group, so at most once per
  ``group_interval``. The same article again is a duplicate. (News events do
  not resolve; the day in the fingerprint also starts new events daily.)
- A critical detection never waits longer than ``group_wait``, even when it
  joins a digest group that was notified recently.

Silences are checked when a detection is added and again when its group is
flushed, so a silence set during ``group_wait`` still mutes it.

State lives in the mappings given to the Router, which the stream backs
with Faust tables. Values are JSON-safe and every change is an assignment
(``store[key] = new``), never an in-place mutation, because Faust persists
assignments only:

- ``notified["<channel>\\x00<fingerprint>"] = {"at": <POSIX seconds notified>,
  "items": [ids of the articles sent on it]}`` (a bare float from older
  versions is read as ``{"at": value, "items": []}``)
- ``pending["<channel>\\x00<group key>"] = {"channel", "due_at": float | None,
  "last_sent": float | None, "entries": [{"fingerprint", "detection", "item",
  "also": [item, ...], "queued_at", "update": bool}, ...]}``
- ``silences["<silence id>"] = Silence.to_dict()`` (read only here)

Times are POSIX seconds (``time.time()``), as state outlives the process.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from .alert import Alert, alert_id
from .channels import Channel
from .fields import Members, severity_rank
from .fingerprint import fingerprint
from .message import Names, render
from .silences import Silence, active_silences, is_silenced, labels

QUEUED = "queued"
DUPLICATE = "duplicate"
SILENCED = "silenced"
UNROUTED = "unrouted"
DROPPED = "dropped"


def notified_key(channel: str, fingerprint: str) -> str:
    """The key of the ``notified`` store for an event on a channel."""
    return f"{channel}\x00{fingerprint}"


def notified_value(value: Any) -> dict[str, Any]:
    """A ``notified`` store value as ``{"at", "items"}`` (older values are bare floats)."""
    if isinstance(value, Mapping):
        return {"at": float(value.get("at") or 0.0), "items": list(value.get("items") or [])}
    return {"at": float(value), "items": []}


def group_key(
    channel: Channel, detection: Mapping[str, Any], fingerprint: str, item: Mapping[str, Any]
) -> str:
    """The ``pending`` key of the group a detection joins on a channel.

    ``group_by`` names labels of the detection (``detector``, ``severity``,
    ``actor``, ...); ``event`` stands for the event fingerprint. ``[]`` puts
    every detection of the channel in one group.
    """
    names = channel.settings.group_by
    if not names:
        return f"{channel.name}\x00*"
    lbls = labels(detection, channel.name, item)
    parts = [fingerprint if n == "event" else f"{n}={lbls.get(n, '')}" for n in names]
    return f"{channel.name}\x00" + "|".join(parts)


@dataclass(frozen=True)
class RouteEvent:
    """What happened to one detection on one channel (for logs and metrics).

    kind (str): "queued" (waits in the channel's group), "duplicate"
        (already pending or notified within repeat_interval), "silenced",
        "unrouted" (no channel accepts it; ``channel`` is None) or "dropped"
        (its channel is no longer configured).
    detection_id (str): the detection's id.
    item_id (str): the item it came from.
    channel (str | None): the channel name.
    fingerprint (str | None): the event fingerprint.
    silence_id (str | None): the silence that muted it.
    detail (str): a human explanation.
    """

    kind: str
    detection_id: str
    item_id: str
    channel: str | None = None
    fingerprint: str | None = None
    silence_id: str | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def _empty_group(channel: str) -> dict[str, Any]:
    return {"channel": channel, "due_at": None, "last_sent": None, "entries": []}


def _group_channel(key: str, group: Mapping[str, Any]) -> str:
    return str(group.get("channel") or key.split("\x00", 1)[0])


class Router:
    """Channels plus the state that de-duplicates and groups their detections.

    channels (list[Channel]): the configured channels.
    notified (MutableMapping[str, float]): event → time notified (see module doc).
    pending (MutableMapping[str, dict]): channel → its group (see module doc).
    silences (Mapping[str, dict]): silence id → ``Silence.to_dict()``.
    blocs (Mapping[str, frozenset]): bloc name → member codes, for the
        channels' ``actors`` filters.
    names (Mapping | Callable | None): state code → name for messages.
        Defaults to None.
    """

    def __init__(
        self,
        channels: list[Channel],
        *,
        notified: MutableMapping[str, float],
        pending: MutableMapping[str, dict],
        silences: Mapping[str, dict],
        blocs: Members,
        names: Names | None = None,
    ) -> None:
        self.channels = list(channels)
        self.by_name = {c.name: c for c in self.channels}
        self.notified = notified
        self.pending = pending
        self.silences = silences
        self.blocs = blocs
        self.names = names

    def _silences(self, now: float) -> list[Silence]:
        return active_silences(self.silences.values(), now)

    def add(
        self, result: Mapping[str, Any], now: float, *, known: Collection[str] = ()
    ) -> list[RouteEvent]:
        """Route every detection of one detection result; return what happened to each.

        result (Mapping): ``{"id": item_id, "item": {metadata}, "detections": [...]}``;
            ``item`` may be missing.
        now (float): POSIX seconds.
        known (Collection[str]): ids of detections that are not news (``novelty``):
            they go out only as updates of their event ("also reported by"),
            never as a new notification. Defaults to ().
        """
        item_id = str(result.get("id", ""))
        item = {**(result.get("item") or {})}
        item.setdefault("id", item_id)
        silences = self._silences(now)
        events: list[RouteEvent] = []
        for detection in result.get("detections") or []:
            fp = fingerprint(detection, item, now)
            det_id = str(detection.get("id", ""))
            base = {"detection_id": det_id, "item_id": item_id, "fingerprint": fp}
            channels = [c for c in self.channels if c.accepts(detection, members=self.blocs)]
            if not channels:
                events.append(RouteEvent(UNROUTED, **base, detail="no channel accepts it"))
            update = det_id in known
            for channel in channels:
                events.append(
                    self._route(channel, detection, item, fp, silences, now, base, update)
                )
        return events

    def _route(
        self,
        channel: Channel,
        detection: Mapping[str, Any],
        item: dict[str, Any],
        fp: str,
        silences: list[Silence],
        now: float,
        base: dict[str, Any],
        update: bool = False,
    ) -> RouteEvent:
        name = channel.name
        silence = is_silenced(labels(detection, name, item), silences, now)
        if silence is not None:
            return RouteEvent(SILENCED, **base, channel=name, silence_id=silence.id)
        raw = self.notified.get(notified_key(name, fp))
        if raw is not None:
            sent = notified_value(raw)
            if update or now - sent["at"] < channel.settings.repeat_interval:
                if item["id"] in sent["items"]:
                    return RouteEvent(
                        DUPLICATE, **base, channel=name, detail="this article was notified"
                    )
                update = True  # a new report of a notified event: "also reported by"
        key = group_key(channel, detection, fp, item)
        group = self.pending.get(key) or _empty_group(name)
        entries = list(group["entries"])
        for i, entry in enumerate(entries):
            if entry["fingerprint"] != fp:
                continue
            known = {entry["item"].get("id")} | {o.get("id") for o in entry["also"]}
            if item["id"] in known:
                return RouteEvent(DUPLICATE, **base, channel=name, detail="already pending")
            entries[i] = {**entry, "also": [*entry["also"], dict(item)]}
            self.pending[key] = {**group, "entries": entries}
            return RouteEvent(QUEUED, **base, channel=name, detail="also reported by")
        due_at = group["due_at"]
        if due_at is None:
            due_at = self._due_at(channel, group, now)
        if detection.get("severity") == "critical":  # never waits behind group_interval
            due_at = min(due_at, now + channel.settings.group_wait)
        entry = {
            "fingerprint": fp,
            "detection": dict(detection),
            "item": dict(item),
            "also": [],
            "queued_at": now,
            "update": update,
        }
        self.pending[key] = {**group, "due_at": due_at, "entries": [*entries, entry]}
        what = "update" if update else "new"
        return RouteEvent(
            QUEUED, **base, channel=name, detail=f"{what}, due in {due_at - now:.0f}s"
        )

    @staticmethod
    def _due_at(channel: Channel, group: Mapping[str, Any], now: float) -> float:
        """When a group that had nothing queued becomes due, given a detection at ``now``."""
        last_sent = group.get("last_sent")
        interval = channel.settings.group_interval
        if last_sent is not None and now < last_sent + interval:
            return last_sent + interval
        return now + channel.settings.group_wait

    def flush(self, now: float, *, events: list[RouteEvent] | None = None) -> list[Alert]:
        """Turn every group that is due into one Alert, and mark its events notified.

        A group is due ``group_wait`` after its first detection, or at
        ``last_sent + group_interval`` for detections added to a group
        notified recently. Entries silenced since they were queued are left
        out (and reported in ``events`` when a list is given). Groups idle
        for ``group_interval`` are removed.

        now (float): POSIX seconds.
        events (list | None): if given, "silenced"/"dropped" RouteEvents of
            this flush are appended to it. Defaults to None.
        """
        alerts: list[Alert] = []
        silences: list[Silence] | None = None
        for key in list(self.pending.keys()):
            group = self.pending.get(key)
            if group is None:
                continue
            name = _group_channel(key, group)
            channel = self.by_name.get(name)
            if channel is None:
                for entry in group["entries"]:
                    self._note(events, DROPPED, entry, name, detail="channel not configured")
                del self.pending[key]
                continue
            if not group["entries"]:
                last_sent = group.get("last_sent")
                if last_sent is None or now >= last_sent + channel.settings.group_interval:
                    del self.pending[key]
                continue
            if group["due_at"] is not None and now < group["due_at"]:
                continue
            if silences is None:
                silences = self._silences(now)
            keep = []
            for entry in group["entries"]:
                lbls = labels(entry["detection"], name, entry["item"])
                silence = is_silenced(lbls, silences, now)
                if silence is None:
                    keep.append(entry)
                else:
                    self._note(events, SILENCED, entry, name, silence_id=silence.id)
            if keep:
                alerts.append(self._alert(channel, keep, now))
                for entry in keep:
                    self._mark_notified(name, entry, now)
            last_sent = now if keep else group.get("last_sent")
            self.pending[key] = {
                "channel": name,
                "due_at": None,
                "last_sent": last_sent,
                "entries": [],
            }
        return alerts

    def _mark_notified(self, channel: str, entry: Mapping[str, Any], now: float) -> None:
        """Remember the event as notified, with every article sent on it so far.

        An update keeps the time of the full notification, so the event is
        notified in full again ``repeat_interval`` after that one.
        """
        key = notified_key(channel, entry["fingerprint"])
        raw = self.notified.get(key)
        before = notified_value(raw) if raw is not None else {"at": now, "items": []}
        ids = [str(entry["item"].get("id")), *(str(o.get("id")) for o in entry["also"])]
        at = before["at"] if entry.get("update") else now
        items = list(dict.fromkeys([*before["items"], *ids]))
        self.notified[key] = {"at": at, "items": items}

    @staticmethod
    def _note(
        events: list[RouteEvent] | None,
        kind: str,
        entry: Mapping[str, Any],
        channel: str,
        **kw: Any,
    ) -> None:
        if events is None:
            return
        detection = entry["detection"]
        events.append(
            RouteEvent(
                kind,
                detection_id=str(detection.get("id", "")),
                item_id=str(entry["item"].get("id", "")),
                channel=channel,
                fingerprint=entry["fingerprint"],
                **kw,
            )
        )

    def _alert(self, channel: Channel, entries: list[Mapping[str, Any]], now: float) -> Alert:
        entries = sorted(entries, key=lambda e: -severity_rank(e["detection"].get("severity")))
        detections = [dict(e["detection"]) for e in entries]
        items: dict[str, dict[str, Any]] = {}
        also: dict[str, list[str]] = {}
        updates: list[str] = []
        for entry in entries:
            det_id = str(entry["detection"].get("id", ""))
            items[str(entry["item"]["id"])] = dict(entry["item"])
            for other in entry["also"]:
                items[str(other["id"])] = dict(other)
            others = [str(o["id"]) for o in entry["also"]]
            if entry.get("update"):  # the new article itself is "also reported"
                updates.append(det_id)
                others = [str(entry["item"]["id"]), *others]
            if others:
                also[det_id] = others
        title, body = render(
            channel, detections, items, also=also, names=self.names, updates=updates
        )
        fingerprints = [e["fingerprint"] for e in entries]
        return Alert(
            id=alert_id(channel.name, fingerprints, now),
            channel=channel.name,
            fingerprints=fingerprints,
            detections=detections,
            items=items,
            title=title,
            body=body,
            created_at=now,
            also=also,
            updates=updates,
        )

    def next_due(self) -> float | None:
        """The earliest ``due_at`` of the groups with queued detections, or None."""
        due = [
            g["due_at"] for g in self.pending.values() if g["entries"] and g["due_at"] is not None
        ]
        return min(due) if due else None

    def prune(self, now: float) -> int:
        """Forget notified events older than their channel's ``repeat_interval``; return how many.

        Call it now and then (e.g. hourly) to keep the ``notified`` store small.
        """
        stale = []
        for key, raw in list(self.notified.items()):
            channel = self.by_name.get(key.split("\x00", 1)[0])
            at = notified_value(raw)["at"]
            if channel is None or now - at >= channel.settings.repeat_interval:
                stale.append(key)
        for key in stale:
            del self.notified[key]
        return len(stale)
