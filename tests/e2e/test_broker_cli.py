"""`newswatch broker status|stop` find a running broker by data dir, port or bootstrap."""

from __future__ import annotations

import os
import re

from .harness import newswatch


def test_status_and_stop_find_the_broker_by_port_env_or_data_dir(tmp_path):
    data_dir = tmp_path / "broker"
    started = newswatch("broker", "start", "--port", "0", "--data-dir", str(data_dir))
    assert started.returncode == 0, started.stderr
    port = re.search(r"127\.0\.0\.1:(\d+)", started.stdout).group(1)
    env = {**os.environ, "NEWSWATCH_KAFKA_BOOTSTRAP": f"127.0.0.1:{port}"}
    try:
        for args, extra in (
            (("--data-dir", str(data_dir)), {}),
            (("--port", port), {}),
            ((), {"env": env}),
        ):
            status = newswatch("broker", "status", *args, **extra)
            assert status.returncode == 0, (args, status.stdout, status.stderr)
            assert "ready, pid" in status.stdout and f":{port}" in status.stdout

        stopped = newswatch("broker", "stop", env=env)
        assert stopped.returncode == 0 and "broker stopped" in stopped.stdout, stopped.stdout
        assert str(data_dir.resolve()) in stopped.stdout
    finally:
        newswatch("broker", "stop", "--data-dir", str(data_dir))

    down = newswatch("broker", "status", env=env)
    assert down.returncode == 1 and f"not running at 127.0.0.1:{port}" in down.stdout
    again = newswatch("broker", "stop", "--port", port)
    assert again.returncode == 0 and "nothing to stop" in again.stdout
