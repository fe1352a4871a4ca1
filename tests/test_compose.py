"""docker-compose.yml and the Dockerfile against the images' documented contracts.

There is no Docker engine here, so these read the files: the apache/kafka image
writes to KAFKA_LOG_DIRS (else /tmp/kraft-combined-logs, outside any volume);
the worker writes only under NEWSWATCH_HOME (tests/e2e/test_unprivileged_worker.py
runs it that way), which must be a volume its non-root user owns.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
DOCKERFILE = (REPO / "Dockerfile").read_text()


def _mounts(service: dict) -> dict[str, str]:
    """Container path → source, for a service's volumes."""
    out = {}
    for spec in service.get("volumes", []):
        source, target, *_ = spec.split(":")
        out[target] = source
    return out


def _dockerfile_env() -> dict[str, str]:
    joined = DOCKERFILE.replace("\\\n", " ")
    env = {}
    for line in joined.splitlines():
        if line.startswith("ENV "):
            env.update(re.findall(r"(\w+)=(\S+)", line))
    return env


def test_kafka_data_goes_to_its_volume():
    kafka = COMPOSE["services"]["kafka"]
    log_dirs = kafka["environment"]["KAFKA_LOG_DIRS"]
    assert _mounts(kafka).get(log_dirs) in COMPOSE["volumes"], (log_dirs, _mounts(kafka))


def test_worker_state_is_a_volume_its_user_owns():
    worker = COMPOSE["services"]["worker"]
    home = worker["environment"]["NEWSWATCH_HOME"]
    assert _mounts(worker).get(home) in COMPOSE["volumes"], (home, _mounts(worker))
    assert _dockerfile_env()["NEWSWATCH_HOME"] == home
    [user] = re.findall(r"^USER (\S+)", DOCKERFILE, re.MULTILINE)
    assert user != "root"
    # A named volume starts as a copy of the image's directory, owner included.
    assert re.search(rf"mkdir -p {re.escape(home)}\b.*chown {user} {re.escape(home)}", DOCKERFILE)
    # Everything else it reads from the host is read-only.
    assert all(spec.endswith(":ro") for spec in worker["volumes"] if spec.startswith("./"))


def test_services_wait_for_a_healthy_broker_and_have_health_checks():
    services = COMPOSE["services"]
    assert services["kafka"]["healthcheck"]["test"]
    assert services["worker"]["healthcheck"]["test"]
    for name in ("worker", "replay"):
        assert services[name]["depends_on"]["kafka"]["condition"] == "service_healthy"
    if "pgrep" in services["worker"]["healthcheck"]["test"]:
        assert "procps" in DOCKERFILE  # python:3.11-slim has no pgrep
