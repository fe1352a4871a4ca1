"""10,000 random and hostile records through a real broker: each ends as one outcome.

Every record sent to news.items must end as exactly one detection result or one
dead letter with a reason; valid items between the hostile ones get their
detections as if alone; no agent is restarted; the worker's memory after is
within 20% of before. The worst time one item took is printed (from the
worker's "slow item" log lines).
"""

from __future__ import annotations

import json
import random
import re
import time

import pytest

from .harness import OutcomeCounter, WorkerProcess, produce_keyed, topic_name

TOTAL = 10_000
WARM_UP = 1_000
MAX_ITEM_BYTES = 600_000


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def valid_item(key: str, rnd: random.Random) -> tuple[dict, int | None]:
    """A valid item (id == key) and the strike total it must give, if it is a strike."""
    if rnd.random() < 0.5:
        total = rnd.randint(100, 900)
        text = f"Russia fired {total} drones at Kharkiv overnight, officials said."
        return {"id": key, "text": text}, total
    words = rnd.choices(["council", "budget", "met", "rain", "the", "market", "quiet"], k=30)
    return {"id": key, "text": " ".join(words).capitalize() + "."}, None


def hostile(key: str, rnd: random.Random) -> bytes | None:
    """One random or hostile value (never a valid item)."""
    kind = rnd.randrange(14)
    if kind == 0:
        return rnd.randbytes(rnd.randint(0, 2_000))
    if kind == 1:
        return b'{"id": "' + key.encode() + b'", "text": "abc \xff\xfe \xc3\x28"}'
    if kind == 2:
        return json.dumps(rnd.choice([[1, 2], 42, "text", None, True, 3.5, []])).encode()
    if kind == 3:
        bad = rnd.choice(
            [
                {"id": [key], "text": "x"},
                {"id": {"k": 1}, "text": "x"},
                {"id": True, "text": "x"},
                {"id": key, "text": 12},
                {"id": key, "text": ["a"]},
                {"id": key, "text": "x", "title": 5},
                {"id": " ", "text": "x"},
                {"id": key, "text": "   "},
                {"id": key},
                {"text": "no id"},
            ]
        )
        return json.dumps(bad).encode()
    if kind == 4:
        depth = rnd.randint(2_000, 20_000)
        return b'{"id":"%s","text":"x","e":%s%s}' % (key.encode(), b"[" * depth, b"]" * depth)
    if kind == 5:
        digits = rnd.randint(4_400, 40_000)
        return b'{"id":"%s","text":"x","n":%s}' % (key.encode(), b"9" * digits)
    if kind == 6:
        field = rnd.choice(["id", "text", "title"])
        value = {"id": key, "text": "abc", field: "a\\ud800b"}
        return json.dumps(value).replace("\\\\ud800", "\\ud800").encode()
    if kind == 7:
        return None  # a record with no value
    if kind == 8:
        return json.dumps({rnd.choice("abcdef"): rnd.random() for _ in range(5)}).encode()
    if kind == 9:
        return b'{"id": "' + key.encode() + b'", "text": "unterminated'
    if kind == 10 and rnd.random() < 0.1:  # over the size limit; rarer, they are large
        return json.dumps({"id": key, "text": "x" * (MAX_ITEM_BYTES + 10)}).encode()
    if kind == 10:
        return json.dumps({"id": key, "text": "x", "title": ["list"]}).encode()
    if kind == 11:
        return b"\xef\xbb\xbf" + json.dumps({"id": key, "text": "bom"}).encode()
    if kind == 12:
        return json.dumps({"id": key, "text": "x", "e": "\x00" * 10}).encode()[:-3]
    return b" " * rnd.randint(0, 10)


def heavy_valid(key: str, n: int) -> dict:
    """Valid but costly: megabyte-ish texts and long number runs (never more than the limit)."""
    runs = [
        "Russia fired " + "twenty-" * 70_000 + " drones at Ukraine.",
        "Russia fired " + "9" * 400_000 + " drones at Ukraine.",
        "Russia fired " + "1,000," * 80_000 + " drones at Ukraine.",
        "Russia fired twenty " * 25_000,
        "word " * 110_000,
        "Missiles. " * 55_000,
    ]
    return {"id": key, "text": runs[n % len(runs)]}


def fuzz_records(
    prefix: str, total: int, rnd: random.Random
) -> tuple[list[tuple[bytes, bytes | None]], set[str], dict[str, int]]:
    """``total`` keyed records: mostly hostile, 12% valid, every 800th a heavy valid one.

    Returns the records, the keys of the valid ones and the strike total each valid
    strike must give.
    """
    records: list[tuple[bytes, bytes | None]] = []
    expected_strikes: dict[str, int] = {}
    valid_keys: set[str] = set()
    for i in range(total):
        key = f"{prefix}-{i:05d}"
        roll = rnd.random()
        if i % 800 == 7:
            records.append((key.encode(), json.dumps(heavy_valid(key, i // 800)).encode()))
            valid_keys.add(key)
        elif roll < 0.12:
            item, strike_total = valid_item(key, rnd)
            records.append((key.encode(), json.dumps(item).encode()))
            valid_keys.add(key)
            if strike_total is not None:
                expected_strikes[key] = strike_total
        else:
            records.append((key.encode(), hostile(key, rnd)))
    return records, valid_keys, expected_strikes


@pytest.mark.timeout(600)
def test_ten_thousand_hostile_records_each_end_as_one_outcome(broker, config_for, tmp_path):
    config = config_for(
        kafka={"partitions": 2},
        worker={"batch_size": 32, "batch_wait_s": 0.05, "max_item_bytes": MAX_ITEM_BYTES},
    )
    rnd = random.Random(2026)
    items_topic = topic_name(config, "news.items")
    counter = OutcomeCounter(
        broker.bootstrap,
        [topic_name(config, "news.detections"), topic_name(config, "news.deadletter")],
    )
    worker = WorkerProcess(config, tmp_path).start()
    try:
        # Warm up on a sample of the same mix (the model's buffers, Kafka's fetch and
        # send buffers grow to their working size), then take the "before" memory: what
        # grows after that with the number of records handled is a leak.
        warm, _, _ = fuzz_records("warm", WARM_UP, rnd)
        produce_keyed(broker.bootstrap, items_topic, warm)
        counter.wait_for(lambda c: c.distinct() >= WARM_UP, 240, "the warm-up outcomes")
        before_kb = rss_kb(worker.proc.pid)

        records, valid_keys, expected_strikes = fuzz_records("fz", TOTAL, rnd)
        produce_keyed(broker.bootstrap, items_topic, records)
        counter.wait_for(lambda c: c.distinct() >= WARM_UP + TOTAL, 540, "every record's outcome")
        time.sleep(2)  # the last batch's buffers are freed once it is committed
        after_kb = rss_kb(worker.proc.pid)
        log = worker.log()
    finally:
        worker.stop()
        counter.close()

    keys = {key.decode() for key, _ in records}
    outcomes: dict[str, list[tuple[str, dict]]] = {}
    for topic, key, record in counter.records:
        if key in keys:
            outcomes.setdefault(key, []).append((topic, record))
    assert set(outcomes) == keys
    repeated = {k: len(v) for k, v in outcomes.items() if len(v) != 1}
    assert repeated == {}, list(repeated.items())[:5]
    dead = {k: v[0][1] for k, v in outcomes.items() if v[0][0].endswith("news.deadletter")}
    results = {k: v[0][1] for k, v in outcomes.items() if v[0][0].endswith("news.detections")}
    assert set(results) == valid_keys, sorted(set(results) ^ valid_keys)[:5]
    assert all(d["reason"] for d in dead.values())
    assert all(len(json.dumps(d)) < 100_000 for d in dead.values())
    for key, total in expected_strikes.items():  # neighbours unaffected
        strikes = [d for d in results[key]["detections"] if d["detector"] == "strike"]
        assert [s["total"] for s in strikes] == [total], (key, results[key])
    assert "Restarting dead" not in log and "Crashed reason" not in log
    times = [float(t) for t in re.findall(r"slow item .*?: ([0-9.]+)s", log)]
    worst = max(times, default=0.0)
    reasons: dict[str, int] = {}
    for record in dead.values():
        head = re.sub(r"[0-9]+", "N", record["reason"].split(":")[0])[:40]
        reasons[head] = reasons.get(head, 0) + 1
    print(
        f"\nfuzz: {TOTAL} records, {len(results)} results, {len(dead)} dead letters, "
        f"worst item {worst:.2f}s ({len(times)} items over 0.5s), "
        f"RSS before {before_kb / 1024:.0f} MB after {after_kb / 1024:.0f} MB; "
        f"reasons {sorted(reasons.items(), key=lambda kv: -kv[1])[:8]}"
    )
    assert after_kb <= before_kb * 1.2, (before_kb, after_kb)
