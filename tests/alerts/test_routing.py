"""Routing: de-duplication, grouping (group_wait / group_interval), repeats, silences.

State lives in ``JsonStore``s that keep only JSON text, as a Faust table
keeps only what is assigned: a value changed in place after assignment
would be lost here, and a value that is not JSON-safe fails at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, MutableMapping
from typing import Any

from alerts.alert import Alert
from alerts.channels import load_channels
from alerts.routing import Router, notified_key
from alerts.silences import Silence

from .conftest import BLOCS, alliance, result, strike

T0 = 1714564800.0  # 2024-05-01T12:00:00Z


class JsonStore(MutableMapping):
    """A mapping that stores JSON text: reads give fresh copies, so only assignments persist."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def __getitem__(self, key: str) -> Any:
        return json.loads(self.data[key])

    def __setitem__(self, key: str, value: Any) -> None:
        assert isinstance(key, str)
        self.data[key] = json.dumps(value, allow_nan=False)

    def __delitem__(self, key: str) -> None:
        del self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.data))

    def __len__(self) -> int:
        return len(self.data)


def make_router(*entries: dict, silences: dict | None = None) -> Router:
    channels = load_channels(
        list(entries)
        or [
            {"name": "ops", "urls": ["json://127.0.0.1:9/a"]},
            {"name": "mail", "urls": ["json://127.0.0.1:9/b"]},
        ]
    )
    return Router(
        channels,
        notified=JsonStore(),
        pending=JsonStore(),
        silences=silences if silences is not None else JsonStore(),
        blocs=BLOCS,
    )


def kinds(events) -> list[tuple[str, str | None]]:
    return [(e.kind, e.channel) for e in events]


def test_same_event_from_two_items_gives_one_alert_per_channel():
    router = make_router()
    ev1 = router.add(result("a1", strike("a1")), T0)
    ev2 = router.add(result("a2", strike("a2", drones=150)), T0 + 5)
    assert kinds(ev1) == [("queued", "ops"), ("queued", "mail")]
    assert kinds(ev2) == [("queued", "ops"), ("queued", "mail")]  # joins a1's entry
    assert {e.detail for e in ev2} == {"also reported by"}
    assert router.flush(T0 + 29) == []  # group_wait (30s) not over
    alerts = router.flush(T0 + 30)
    assert sorted(a.channel for a in alerts) == ["mail", "ops"]
    for alert in alerts:
        assert len(alert.detections) == 1 and len(alert.fingerprints) == 1
        assert alert.detections[0]["item_id"] == "a1"
        assert set(alert.items) == {"a1", "a2"}  # the second report is kept as a source
        assert "https://news.example/a2" in alert.body
        sent = router.notified[notified_key(alert.channel, alert.fingerprints[0])]
        assert sent == {"at": T0 + 30, "items": ["a1", "a2"]}
    assert router.flush(T0 + 1000) == []


def test_second_add_of_same_result_after_flush_gives_nothing():
    router = make_router()
    res = result("a1", strike("a1"), alliance("a1"))
    router.add(res, T0)
    assert len(router.flush(T0 + 30)) == 4  # two events, two channels, one message each
    events = router.add(res, T0 + 60)
    assert {e.kind for e in events} == {"duplicate"} and len(events) == 4
    assert router.flush(T0 + 1000) == []
    assert router.next_due() is None


def test_default_group_by_event_gives_each_event_its_own_message():
    router = make_router({"name": "ops", "urls": ["json://127.0.0.1:9/a"]})
    router.add(result("a1", strike("a1")), T0)
    router.add(result("b1", alliance("b1")), T0 + 20)
    alerts = router.flush(T0 + 60)
    assert sorted(a.title for a in alerts) == [
        "[HIGH] RU attacked UA with 140 drones and missiles",
        "[MEDIUM] CN and RU: treaty",
    ]


def test_group_by_detector_makes_a_digest_per_detector():
    router = make_router({"name": "ops", "urls": ["json://h/p"], "group_by": ["detector"]})
    router.add(result("a1", strike("a1")), T0)
    router.add(result("a2", strike("a2", target="PL")), T0 + 1)
    router.add(result("b1", alliance("b1")), T0 + 2)
    alerts = sorted(router.flush(T0 + 60), key=lambda a: a.title)
    assert [len(a.detections) for a in alerts] == [2, 1]
    assert alerts[0].title == (
        "[HIGH] 2 alerts: RU attacked UA with 140 drones and missiles; "
        "RU attacked PL with 140 drones and missiles"
    )


def test_group_wait_bundles_two_detections_into_one_alert():
    router = make_router(
        {"name": "ops", "urls": ["json://127.0.0.1:9/a"], "group_wait": "30s", "group_by": []}
    )
    router.add(result("a1", strike("a1")), T0)
    router.add(result("b1", alliance("b1")), T0 + 20)
    assert router.next_due() == T0 + 30  # the group's first detection sets the time
    (alert,) = router.flush(T0 + 30)
    assert [d["detector"] for d in alert.detections] == ["strike", "alliance"]  # high first
    assert len(set(alert.fingerprints)) == 2
    assert alert.title.startswith("[HIGH] 2 alerts")
    assert Alert.from_dict(json.loads(json.dumps(alert.to_dict()))) == alert


def test_group_interval_holds_later_detections_then_group_closes():
    router = make_router(
        {
            "name": "ops",
            "urls": ["json://h/p"],
            "group_wait": 30,
            "group_interval": 300,
            "group_by": [],
        }
    )
    router.add(result("a1", strike("a1")), T0)
    assert len(router.flush(T0 + 30)) == 1
    # Added to a group notified 10s ago: waits for last_sent + group_interval.
    router.add(result("b1", alliance("b1")), T0 + 40)
    assert router.flush(T0 + 40 + 30) == []
    assert router.flush(T0 + 329) == []
    (second,) = router.flush(T0 + 330)
    assert second.detections[0]["detector"] == "alliance"
    # After a quiet group_interval the group is closed: the next one waits group_wait.
    router.flush(T0 + 330 + 300)
    assert "ops\x00*" not in router.pending
    router.add(result("c1", alliance("c1", parties=["IR", "RU"])), T0 + 1000)
    assert router.next_due() == T0 + 1030


def test_critical_never_waits_behind_group_interval_even_in_a_digest():
    router = make_router(
        {
            "name": "ops",
            "urls": ["json://h/p"],
            "group_wait": 30,
            "group_interval": 300,
            "group_by": [],
        }
    )
    router.add(result("b1", alliance("b1")), T0)
    assert len(router.flush(T0 + 30)) == 1
    router.add(result("a1", strike("a1", severity="critical")), T0 + 40)
    (alert,) = router.flush(T0 + 70)
    assert alert.severity == "critical"


def test_new_article_on_a_notified_event_is_an_update_at_most_once_per_group_interval():
    router = make_router(
        {"name": "ops", "urls": ["json://h/p"], "group_wait": 30, "group_interval": 300}
    )
    router.add(result("a1", strike("a1")), T0)
    (first,) = router.flush(T0 + 30)
    assert kinds(router.add(result("a2", strike("a2")), T0 + 40)) == [("queued", "ops")]
    assert kinds(router.add(result("a3", strike("a3")), T0 + 50)) == [("queued", "ops")]
    assert router.flush(T0 + 329) == []  # the event's group was notified at T0 + 30
    (update,) = router.flush(T0 + 330)
    assert update.title == "[HIGH] Update: RU attacked UA with 140 drones and missiles"
    assert update.fingerprints == first.fingerprints
    [det_id] = update.updates
    assert update.also[det_id] == ["a2", "a3"]
    assert "Also reported by: [Report a2](https://news.example/a2), [Report a3]" in update.body
    # Articles already sent are duplicates; the full notification's time is kept.
    assert kinds(router.add(result("a2", strike("a2")), T0 + 400)) == [("duplicate", "ops")]
    sent = router.notified[notified_key("ops", first.fingerprints[0])]
    assert sent == {"at": T0 + 30, "items": ["a1", "a2", "a3"]}


def test_two_strikes_on_different_places_are_two_events():
    router = make_router({"name": "ops", "urls": ["json://h/p"]})
    odesa = {**strike("a1"), "event": "strike|actor=RU|target=UA|place=odesa|part=night"}
    kharkiv = {**strike("a2"), "event": "strike|actor=RU|target=UA|place=kharkiv|part=night"}
    router.add(result("a1", odesa), T0)
    router.add(result("a2", kharkiv), T0 + 5)
    assert len(router.flush(T0 + 60)) == 2


def test_repeat_interval_renotifies_after_it_elapsed():
    router = make_router({"name": "ops", "urls": ["json://h/p"], "repeat_interval": "1h"})
    res = result("a1", strike("a1"))
    router.add(res, T0)
    (first,) = router.flush(T0 + 30)
    assert kinds(router.add(res, T0 + 3000)) == [("duplicate", "ops")]
    assert router.flush(T0 + 4000) == []
    assert kinds(router.add(res, T0 + 30 + 3600)) == [("queued", "ops")]
    (again,) = router.flush(T0 + 30 + 3600 + 30)
    assert again.fingerprints == first.fingerprints
    assert again.id != first.id  # a new notification, not a re-sent record


def test_filters_route_to_the_right_channels():
    router = make_router(
        {"name": "nato", "urls": ["json://h/p"], "actors": ["NATO"]},
        {"name": "big", "urls": ["json://h/q"], "min_severity": "critical"},
    )
    assert kinds(router.add(result("a1", strike("a1", target="PL")), T0)) == [("queued", "nato")]
    assert kinds(router.add(result("a2", strike("a2")), T0)) == [("unrouted", None)]


def test_silence_at_add_and_at_flush():
    silences = JsonStore()
    router = make_router(silences=silences)
    mute_ops = Silence.create(["actor=RU", "channel=ops"], now=T0, duration_s=600)
    silences[mute_ops.id] = mute_ops.to_dict()
    events = router.add(result("a1", strike("a1")), T0 + 1)
    assert kinds(events) == [("silenced", "ops"), ("queued", "mail")]
    assert events[0].silence_id == mute_ops.id
    # A silence set while the group waits still mutes it at flush time.
    mute_mail = Silence.create(["channel=mail"], now=T0 + 10, duration_s=600)
    silences[mute_mail.id] = mute_mail.to_dict()
    flush_events: list = []
    assert router.flush(T0 + 40, events=flush_events) == []
    assert kinds(flush_events) == [("silenced", "mail")]
    # Once the silences expire, the event is notified.
    router.add(result("a1", strike("a1")), T0 + 700)
    assert sorted(a.channel for a in router.flush(T0 + 730)) == ["mail", "ops"]


def test_prune_forgets_old_notifications_and_removed_channels():
    router = make_router({"name": "ops", "urls": ["json://h/p"], "repeat_interval": "1h"})
    router.add(result("a1", strike("a1")), T0)
    router.flush(T0 + 30)
    router.notified[notified_key("gone", "abc")] = T0
    assert router.prune(T0 + 60) == 1
    assert router.prune(T0 + 30 + 3600) == 1
    assert len(router.notified) == 0


def test_pending_group_of_a_removed_channel_is_dropped_with_an_event():
    router = make_router()
    router.add(result("a1", strike("a1")), T0)
    router2 = Router(
        [c for c in router.channels if c.name == "ops"],
        notified=router.notified,
        pending=router.pending,
        silences={},
        blocs=BLOCS,
    )
    events: list = []
    (alert,) = router2.flush(T0 + 30, events=events)
    assert alert.channel == "ops" and kinds(events) == [("dropped", "mail")]
