"""The local broker's cluster ids and the CLI's global options, without a broker."""

from __future__ import annotations

import base64
import subprocess

import pytest

from stream.broker import random_cluster_id
from stream.cli import build_parser


def test_cluster_ids_never_start_with_a_dash():
    # About one random id in 64 would begin with '-', which the storage tool
    # reads as an option; 20,000 draws hit that case ~300 times.
    ids = [random_cluster_id() for _ in range(20_000)]
    assert not [i for i in ids if i.startswith("-")]
    assert len(set(ids)) == len(ids)
    for cluster_id in ids[:100]:  # still 16 bytes of URL-safe base64, as Kafka expects
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


@pytest.mark.parametrize(
    "argv",
    [
        ["-v", "--config", "c.yml", "backtest", "a.txt"],
        ["backtest", "a.txt", "-v", "--config", "c.yml"],
        ["-v", "backtest", "--config", "c.yml", "a.txt"],
        ["broker", "status", "-v", "--config", "c.yml"],
        ["demo", "--config", "c.yml", "-v"],
        ["silence", "add", "--match", "detector=strike", "--for", "1h", "-v", "--config", "c.yml"],
        ["--config", "other.yml", "tail", "--config", "c.yml", "-v"],
    ],
)
def test_global_options_work_before_or_after_the_command(argv):
    args = build_parser().parse_args(argv)
    assert (args.verbose, args.config) == (True, "c.yml")


def test_global_options_default_when_not_given():
    args = build_parser().parse_args(["backtest", "a.txt"])
    assert (args.verbose, args.config) == (False, None)


def test_start_up_is_judged_by_the_started_process_not_its_command_line(tmp_path, monkeypatch):
    # The java launcher re-executes itself at start; a look at /proc/PID/cmdline
    # in that moment once made a live broker count as "exited during start-up".
    from stream.broker import BrokerError, LocalBroker, free_port

    broker = LocalBroker(tmp_path, port=free_port())
    monkeypatch.setattr(broker, "ping", lambda: (False, "nothing listens"))  # no broker here
    alive = subprocess.Popen(["sleep", "30"])  # a process with no "kafka.Kafka" in its args
    try:
        with pytest.raises(BrokerError, match="did not become ready"):
            broker.wait_ready(1.0, alive.pid, alive)
    finally:
        alive.kill()
        alive.wait()
    with pytest.raises(BrokerError, match="exited during start-up"):
        broker.wait_ready(1.0, alive.pid, alive)
