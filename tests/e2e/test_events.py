"""Events, grouping and webhook fields through the real broker to a real HTTP receiver.

One message per event: distinct strikes the same day are two messages, one
strike reported by three articles is one message and then an update listing
the others; a critical event is not held behind another event's
group_interval; a json:// receiver gets the alert as JSON fields.
"""

from __future__ import annotations

import json
import time

from tests.receivers import HttpReceiver

from .test_alerts import assert_quiet, replay

DAY = "2026-12-01T{}:00Z"


def articles(tmp_path, name, *records):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return str(path)


ODESA = {
    "id": "odesa",
    "title": "Odesa hit overnight",
    "published": DAY.format("08:00"),
    "text": "Russia launched 90 drones at Odesa overnight, Ukraine's air force said. "
    "Three people were injured.",
}
KHARKIV = {
    "id": "kharkiv",
    "title": "Kharkiv attacked",
    "published": DAY.format("09:00"),
    "text": "Russia attacked Kharkiv with 120 drones and 12 missiles on Monday night, "
    "officials in Ukraine said.",
}
KYIV = [
    {
        "id": "kyiv-1",
        "title": "Massive strike on Kyiv",
        "url": "https://news.example/kyiv-1",
        "published": DAY.format("07:00"),
        "text": "Overnight, Russia fired 500 drones and 24 missiles at Kyiv, Ukraine's capital, "
        "in one of the largest attacks of the war.",
    },
    {
        "id": "kyiv-2",
        "title": "Kyiv under fire",
        "published": DAY.format("07:30"),
        "text": "Russia struck Kyiv overnight with about 500 drones and 24 missiles, "
        "Ukrainian officials said.",
    },
    {
        "id": "kyiv-3",
        "url": "https://news.example/kyiv-3",
        "published": DAY.format("10:00"),
        "text": "Ukraine said Russia launched 510 drones and 24 missiles against Kyiv overnight.",
    },
]
PACT = [
    {
        "id": "pact-1",
        "title": "Japan, Philippines sign pact",
        "published": DAY.format("08:00"),
        "text": "Japan and the Philippines signed a mutual defence pact on Monday, "
        "officials in Tokyo said.",
    },
    {
        "id": "pact-2",
        "title": "Tokyo and Manila seal defence deal",
        "published": DAY.format("09:00"),
        "text": "The Philippines and Japan signed a mutual defence pact in Manila on Monday.",
    },
]


def channel(url, **extra):
    return {"name": "ops", "urls": [url], "retries": 1, "retry_backoff": "0.2s", **extra}


def test_two_strikes_same_day_same_actor_on_different_places_are_two_messages(
    config_for, workers, tmp_path
):
    with HttpReceiver() as hook:
        config = config_for(channels=[channel(hook.url, group_wait="2s", group_interval="2s")])
        workers(config)
        replay(config, articles(tmp_path, "two.jsonl", ODESA, KHARKIV))
        payloads = hook.wait_for(2, timeout=60)
        titles = sorted(p["title"] for p in payloads)
        assert len(titles) == 2 and titles[0] != titles[1]
        assert any("90" in t for t in titles) and any("132" in t or "120" in t for t in titles)
        for p in payloads:  # each message is about one strike only
            assert ("Odesa" in p["message"]) != ("Kharkiv" in p["message"])
        assert_quiet(hook, 2, 4)


def test_one_strike_in_three_articles_is_one_message_then_an_update(config_for, workers, tmp_path):
    with HttpReceiver() as hook:
        config = config_for(channels=[channel(hook.url, group_wait="1s", group_interval="3s")])
        workers(config)
        started = time.monotonic()
        replay(config, articles(tmp_path, "first.jsonl", KYIV[0]))
        [first] = hook.wait_for(1, timeout=60)
        print(f"\nreplay → json:// receiver (one article): {time.monotonic() - started:.1f}s")
        assert first["title"].startswith("[CRITICAL] ") and "Update" not in first["title"]

        replay(config, articles(tmp_path, "more.jsonl", KYIV[1], KYIV[2]))
        [_, update] = hook.wait_for(2, timeout=60)
        assert update["title"].startswith("[CRITICAL] Update: ")
        assert "Also reported by: " in update["message"]
        assert "Kyiv under fire" in update["message"]  # named by title (no URL)
        assert "https://news.example/kyiv-3" in update["message"]
        [det] = update["alert"]["detections"]
        assert det["update"] is True
        assert det["event"] == first["alert"]["detections"][0]["event"]
        # Both new articles, never the one already sent.
        assert sorted(a["id"] for a in det["also_reported"]) == ["kyiv-2", "kyiv-3"]
        assert_quiet(hook, 2, 5)


def test_webhook_gets_the_alert_as_json_fields(config_for, workers, tmp_path):
    with HttpReceiver() as hook:
        config = config_for(channels=[channel(hook.url, group_wait="1s")])
        workers(config)
        replay(config, articles(tmp_path, "kyiv.jsonl", KYIV[0]))
        [payload] = hook.wait_for(1, timeout=60)
        print("\nwebhook payload:\n" + json.dumps(payload, indent=2, ensure_ascii=False))
        alert = payload["alert"]
        assert alert["severity"] == "critical" and alert["channel"] == "ops"
        assert alert["id"] and payload["idempotency_key"].startswith(alert["id"])
        [det] = alert["detections"]
        assert det["detector"] == "strike" and det["severity"] == "critical"
        assert det["actors"] == ["RU", "UA"]
        assert det["labels"]["actor"] == "RU" and det["labels"]["target"] == "UA"
        assert det["facts"]["Munitions"].startswith("500 drones, 24 missiles")
        assert "500 drones and 24 missiles at Kyiv" in det["evidence"]
        assert "500" in det["summary"]
        assert det["article"] == {
            "id": "kyiv-1",
            "name": "Massive strike on Kyiv",
            "title": "Massive strike on Kyiv",
            "url": "https://news.example/kyiv-1",
            "source": None,
            "published": DAY.format("07:00"),
        }
        assert det["also_reported"] == []
        # Chat and e-mail keep the markdown: the same text as the message.
        assert payload["message"].startswith("**Russia")


def test_critical_event_is_not_held_behind_another_groups_interval(config_for, workers, tmp_path):
    with HttpReceiver() as hook:
        config = config_for(channels=[channel(hook.url, group_wait="1s", group_interval="60s")])
        worker = workers(config)
        replay(config, articles(tmp_path, "pact.jsonl", PACT[0]))
        [pact] = hook.wait_for(1, timeout=60)
        assert "mutual-defence" in pact["title"]
        # A second report of the pact waits out its group's 60 s interval ...
        replay(config, articles(tmp_path, "pact2.jsonl", PACT[1]))
        worker.wait_for_log("update, due in", timeout_s=30)
        # ... while a critical strike, another event, goes out after group_wait.
        started = time.monotonic()
        replay(config, articles(tmp_path, "kyiv.jsonl", KYIV[0]))
        [_, strike] = hook.wait_for(2, timeout=30)
        waited = time.monotonic() - started
        print(f"\ncritical strike delivered {waited:.1f}s after its replay started")
        assert strike["title"].startswith("[CRITICAL] ") and "Kyiv" in strike["message"]
        assert waited < 20
        assert len(hook.requests) == 2  # the pact update still waits
