"""The CLI without a broker: backtest contract, clear errors, dry-run replay."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def newswatch(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stream.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_backtest_jsonl_follows_the_contract(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "quiet", "text": "The city council approved a new budget."})
        + "\n"
        + json.dumps(
            {
                "id": "loud",
                "text": "Russia launched 300 drones at Ukraine overnight, officials in Kyiv said.",
            }
        )
        + "\n"
    )
    done = newswatch("backtest", str(feed), str(REPO / "seeds"), "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in records] == ["quiet", "loud", "000_9696cf9e361b758d"]
    assert records[0]["detections"] == []
    [strike] = records[1]["detections"]
    assert strike["detector"] == "strike" and strike["munitions"] == {"drone": 300}
    assert all(d["item_id"] == r["id"] for r in records for d in r["detections"])


def test_backtest_reflects_a_config_change(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Russia launched 80 drones at Ukraine overnight, the air force said.")
    strict = tmp_path / "strict.yml"
    strict.write_text("detectors:\n  strike:\n    min_total: 100\n")
    default = json.loads(newswatch("backtest", str(article), "--format", "jsonl").stdout)
    tuned = json.loads(
        newswatch("backtest", str(article), "--format", "jsonl", "--config", str(strict)).stdout
    )
    assert [d["detector"] for d in default["detections"]] == ["strike"]
    assert tuned["detections"] == []


def test_missing_spacy_model_is_a_clear_error(tmp_path):
    config = tmp_path / "c.yml"
    config.write_text("nlp:\n  model: en_core_web_nonexistent\n")
    done = newswatch("backtest", str(REPO / "seeds"), "--config", str(config))
    assert done.returncode == 1
    assert "spaCy model 'en_core_web_nonexistent' is not installed" in done.stderr
    assert "pip install" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_config_names_file_line_and_key(tmp_path):
    config = tmp_path / "bad.yml"
    config.write_text(
        'channels:\n  - name: ops\n    urls: ["json://127.0.0.1:1/x"]\n    min_severity: urgent\n'
    )
    done = newswatch("replay", str(REPO / "seeds"), "--dry-run", "--config", str(config))
    assert done.returncode == 2
    assert f"{config}:4: channels[0].min_severity:" in done.stderr


def test_unreachable_broker_is_a_clear_error(tmp_path):
    config = tmp_path / "c.yml"
    config.write_text('kafka: {bootstrap: "127.0.0.1:1"}\n')
    done = newswatch("channels", "--config", str(config))
    assert done.returncode == 1
    assert "cannot reach Kafka at 127.0.0.1:1" in done.stderr
    assert "Traceback" not in done.stderr
