"""kill -9 the worker at several points: every item still gets an outcome.

At least once: an item's offset is committed only after its outcome record is
on the broker, so a crash can repeat outcomes (counted and printed here) but
never lose one. Detection ids are deterministic, so a repeated outcome carries
the same ids and routing de-duplicates it.
"""

from __future__ import annotations

import json
import random

from .harness import OutcomeCounter, WorkerProcess, produce_keyed, topic_name

ITEMS = 640

ACTORS = ["Russia", "Ukraine", "Israel", "Iran", "China", "India", "Pakistan", "Turkey"]
PLACES = ["Kharkiv", "Odesa", "Gaza", "Haifa", "Tehran", "Lahore", "Aleppo", "Kyiv"]
WEAPONS = ["drones", "missiles", "rockets", "shells", "ballistic missiles"]


def synthetic_articles(n: int, seed: int = 13) -> list[dict]:
    """``n`` varied articles: strikes, alliances, quiet news, of different lengths."""
    rnd = random.Random(seed)
    articles = []
    for i in range(n):
        a, b = rnd.sample(ACTORS, 2)
        kind = i % 4
        if kind == 0:
            text = (
                f"{a} launched {rnd.randint(3, 900)} {rnd.choice(WEAPONS)} at "
                f"{rnd.choice(PLACES)} overnight, officials said. "
                f"{rnd.randint(0, 40)} people were injured."
            )
        elif kind == 1:
            text = f"{a} and {b} signed a mutual defence treaty in {rnd.choice(PLACES)} on Monday."
        elif kind == 2:
            text = " ".join(
                f"The city council of {rnd.choice(PLACES)} met for the {j + 1}th time to "
                f"discuss the budget of {rnd.randint(1, 99)} million."
                for j in range(rnd.randint(1, 12))
            )
        else:
            text = f"Markets in {rnd.choice(PLACES)} were quiet as traders awaited data."
        articles.append({"id": f"crash-{i:04d}", "title": f"Item {i}", "text": text})
    return articles


def test_kill_9_at_several_points_loses_no_item(broker, config_for, tmp_path):
    config = config_for(
        kafka={"partitions": 4, "session_timeout_s": 6},
        worker={"batch_size": 16, "batch_wait_s": 0.05},
    )
    items = synthetic_articles(ITEMS)
    counter = OutcomeCounter(
        broker.bootstrap,
        [topic_name(config, "news.detections"), topic_name(config, "news.deadletter")],
    )
    kills = []
    try:
        first = WorkerProcess(config, tmp_path).start()
        produce_keyed(
            broker.bootstrap,
            topic_name(config, "news.items"),
            [(item["id"].encode(), json.dumps(item).encode()) for item in items],
        )
        # 1. Before the first outcome: right after the items arrive.
        kills.append(("before first outcome", counter.total()))
        first.proc.kill()
        first.proc.wait(10)
        # 2. Mid-batch: a few outcomes of the first batch are out, the rest not yet.
        second = WorkerProcess(config, tmp_path).start()
        counter.wait_for(lambda c: c.total() >= 3, 120, "the first outcomes")
        kills.append(("mid-batch", counter.total()))
        second.proc.kill()
        second.proc.wait(10)
        # 3. Mid-stream: about half the items have outcomes.
        third = WorkerProcess(config, tmp_path).start()
        counter.wait_for(lambda c: c.distinct() >= ITEMS // 2, 180, "half the outcomes")
        kills.append(("mid-stream", counter.total()))
        third.proc.kill()
        third.proc.wait(10)
        # 4. A last worker runs until every item has an outcome (or time runs out).
        last = WorkerProcess(config, tmp_path).start()
        try:
            counter.wait_for(lambda c: c.distinct() >= ITEMS, 180, "every item's outcome")
        finally:
            last.stop()
        ids = {item["id"] for item in items}
        missing = sorted(ids - set(counter.counts))
        duplicates = sum(n - 1 for n in counter.counts.values() if n > 1)
        print(
            f"\ncrash test: {ITEMS} items, kills at {kills}, {len(missing)} without outcome, "
            f"{duplicates} duplicate outcome records"
        )
        assert missing == []
        assert set(counter.counts) == ids
        assert "Restarting dead" not in last.log()
        # A repeated outcome is the same record: same detection ids for the item.
        by_item: dict[str, set] = {}
        for topic, key, record in counter.records:
            if topic.endswith("news.detections"):
                found = tuple(sorted(d["id"] for d in record["detections"]))
                by_item.setdefault(key, set()).add(found)
        assert all(len(variants) == 1 for variants in by_item.values())
    finally:
        counter.close()
