"""Through the real broker: replay → worker → detections; bad input → dead letters."""

from __future__ import annotations

import json

from .harness import REPO, newswatch, produce, read_topic, topic_name

SEED = REPO / "seeds"


def test_every_item_read_ends_as_a_result_or_a_dead_letter(broker, config_for, workers, tmp_path):
    config = config_for(worker={"max_item_bytes": 4000, "batch_wait_s": 0.05})
    worker = workers(config)
    good = [{"id": f"g{i}", "text": f"Story {i}: the council met on Tuesday."} for i in range(5)]
    bad = [
        b"this is not json",
        b'{"id": "no-text"}',
        b'{"id": "blank", "text": "  "}',
        b"\xc3\x28 invalid utf-8",
        json.dumps({"id": "huge", "text": "long " * 2000}).encode(),
    ]
    values = [json.dumps(g).encode() for g in good] + bad
    produce(broker.bootstrap, topic_name(config, "news.items"), values)

    results = read_topic(broker.bootstrap, topic_name(config, "news.detections"), count=5)
    dead = read_topic(broker.bootstrap, topic_name(config, "news.deadletter"), count=5)
    assert sorted(r["id"] for r in results) == [f"g{i}" for i in range(5)]
    assert all(r["detections"] == [] for r in results)
    reasons = sorted(d["reason"] for d in dead)
    assert len(reasons) == 5, reasons
    for expected in (
        "not JSON",
        "missing required field 'text'",
        "'text' is empty",
        "not valid UTF-8",
        "over the limit of 4000",
    ):
        assert any(expected in r for r in reasons), (expected, reasons)
    assert len(results) + len(dead) == len(values)
    assert worker.alive()

    # The worker goes on after bad input: a new item still gets a result.
    produce(
        broker.bootstrap,
        topic_name(config, "news.items"),
        [json.dumps({"id": "after", "text": "Another quiet day."}).encode()],
    )
    results = read_topic(broker.bootstrap, topic_name(config, "news.detections"), count=6)
    assert "after" in [r["id"] for r in results]


def test_replayed_seed_is_detected_through_kafka(broker, config_for, workers):
    config = config_for()
    workers(config)
    done = newswatch("replay", str(SEED), "--config", str(config), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "replay: 1 sent, 0 skipped, 0 errors" in done.stdout
    [result] = read_topic(broker.bootstrap, topic_name(config, "news.detections"), count=1)
    assert result["id"] == "000_9696cf9e361b758d"
    strikes = [d for d in result["detections"] if d["detector"] == "strike"]
    alliances = [d for d in result["detections"] if d["detector"] == "alliance"]
    [strike] = strikes
    assert strike["munitions"] == {"drone": 500, "missile": 24}
    assert strike["total"] == 524
    assert (strike["actor"], strike["target"]) == ("RU", "UA")
    assert "energy infrastructure" in strike["targets"]
    assert strike["casualties"]["injured"] == 4
    assert alliances and all(a["parties"] == ["KP", "RU"] for a in alliances)
    # The same detections the offline backtest gives for this article.
    offline = newswatch("backtest", str(SEED), "--format", "jsonl", "--config", str(config))
    assert json.loads(offline.stdout)["detections"] == result["detections"]


def test_replay_reports_bad_lines_and_exit_code(broker, config_for, tmp_path):
    config = config_for()
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"id": "a", "text": "Fine."}\n{"id": "b"}\n{"id": "c", "text": "Fine too."}\n')
    done = newswatch("replay", str(path), "--config", str(config), "--no-progress")
    assert done.returncode == 1
    assert f"{path}:2: missing required field 'text'" in done.stderr
    assert "replay: 2 sent, 1 skipped, 0 errors" in done.stdout
    items = read_topic(broker.bootstrap, topic_name(config, "news.items"), count=2)
    assert sorted(i["id"] for i in items) == ["a", "c"]
