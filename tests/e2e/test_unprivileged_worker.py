"""The worker as the Docker image runs it: without privileges, in code it cannot write
to, with state only under NEWSWATCH_HOME (docker-compose.yml mounts a volume there).

This machine's Python lives under /root (mode 700), so another user could not even
start it; instead the worker runs as uid 0 with every capability dropped
(``setpriv --bounding-set=-all``), which takes away root's power to write where
the file modes say no, just as for the image's non-root user.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from .harness import WorkerProcess, produce, read_topic, topic_name

UNPRIVILEGED = ("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--")
pytestmark = pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv")


def test_worker_runs_unprivileged_in_a_read_only_directory(broker, config_for, tmp_path):
    config = config_for()
    root = Path(tempfile.mkdtemp(prefix="nw-nobody-"))
    try:
        root.chmod(0o755)
        code_dir = root / "app"  # stands in for the image's /app: readable, not writable
        code_dir.mkdir(mode=0o755)
        shutil.copy(config, code_dir / "newswatch.yml")
        (code_dir / "newswatch.yml").chmod(0o644)
        code_dir.chmod(0o555)
        home = root / "state"  # the volume, writable by the worker's user
        home.mkdir()
        env = {
            **os.environ,
            "NEWSWATCH_CONFIG": str(code_dir / "newswatch.yml"),
            "NEWSWATCH_HOME": str(home),
            "HOME": str(home),
        }
        worker = WorkerProcess(config, tmp_path, UNPRIVILEGED, cwd=code_dir, env=env)
        worker.start()
        try:
            item = {"id": "nobody-1", "text": "Russia launched 300 drones at Ukraine overnight."}
            produce(broker.bootstrap, topic_name(config, "news.items"), [json.dumps(item).encode()])
            [result] = read_topic(broker.bootstrap, topic_name(config, "news.detections"), count=1)
            assert result["id"] == "nobody-1"
            assert [d["detector"] for d in result["detections"]] == ["strike"]
        finally:
            worker.stop()
        assert "PermissionError" not in worker.log(), worker.log()[-3000:]
        assert sorted(p.name for p in code_dir.iterdir()) == ["newswatch.yml"]
        # The same check the worker got: without capabilities, the code dir is read-only.
        probe = subprocess.run([*UNPRIVILEGED, "touch", str(code_dir / "x")], capture_output=True)
        assert probe.returncode != 0 and b"Permission denied" in probe.stderr
        assert (home / "worker").is_dir()  # Faust's data dir went to NEWSWATCH_HOME
    finally:
        code_dir.chmod(0o755)
        shutil.rmtree(root, ignore_errors=True)
