"""Topic names and their creation up front, with known partition counts.

A table's changelog must have as many partitions as the topic of the agent
that writes it, or the worker crashes (PartitionsMismatch), so every topic is
created here before the worker starts, and an existing topic with the wrong
count is reported instead of silently used.

``news.items`` and ``news.alerts`` have ``kafka.partitions`` partitions, so
detection and delivery spread over workers. The routing topics have one:
de-duplication, grouping and novelty need every detection of a channel in one
place, and routing is cheap. Subscriptions and silences are compacted topics
that every worker reads whole; so are the feed sources added at runtime and
the feed poller's per-source state (stream/feeds/).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .config import Config

log = logging.getLogger(__name__)

# Logical name → (topic name without prefix, compacted?, spread over kafka.partitions?)
TOPICS: dict[str, tuple[str, bool, bool]] = {
    "items": ("news.items", False, True),
    "detections": ("news.detections", False, False),
    "deadletter": ("news.deadletter", False, True),
    "alerts": ("news.alerts", False, True),
    "alerts_dead": ("news.alerts.dead", False, False),
    "subscriptions": ("news.subscriptions", True, False),
    "silences": ("news.silences", True, False),
    # Feeds (stream/feeds): runtime sources, per-source poll state, items not sent on.
    "sources": ("news.sources", True, False),
    "source_state": ("news.sources.state", True, False),
    "skipped": ("news.items.skipped", False, True),
}


# How long to try reaching the broker before saying it cannot be reached.
CONNECT_TIMEOUT_MS = 8000


class TopicError(RuntimeError):
    """A topic exists with settings newswatch cannot use."""


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    compacted: bool


def topic_specs(config: Config) -> dict[str, TopicSpec]:
    """Every topic newswatch uses, by logical name."""
    return {
        key: TopicSpec(config.topic(name), config.kafka.partitions if spread else 1, compacted)
        for key, (name, compacted, spread) in TOPICS.items()
    }


def admin_client(bootstrap: str):  # noqa: ANN201 - kafka-python has no public types
    from kafka import KafkaAdminClient
    from kafka.errors import KafkaError

    try:
        return KafkaAdminClient(
            bootstrap_servers=bootstrap,
            client_id="newswatch-admin",
            request_timeout_ms=15000,
            bootstrap_timeout_ms=CONNECT_TIMEOUT_MS,
        )
    except KafkaError as exc:
        raise TopicError(
            f"cannot reach Kafka at {bootstrap} ({exc.__class__.__name__}). Start the local "
            "broker with `newswatch broker start`, or set kafka.bootstrap in the config "
            "(or NEWSWATCH_KAFKA_BOOTSTRAP)."
        ) from exc


def ensure_topics(config: Config) -> list[str]:
    """Create missing topics; check existing ones' partitions. Returns the names created."""
    from kafka.admin import NewTopic
    from kafka.errors import TopicAlreadyExistsError

    specs = topic_specs(config).values()
    admin = admin_client(config.kafka.bootstrap)
    try:
        existing = set(admin.list_topics())
        missing = [s for s in specs if s.name not in existing]
        created = []
        for spec in missing:
            configs = {"cleanup.policy": "compact"} if spec.compacted else {}
            try:
                admin.create_topics(
                    [NewTopic(spec.name, spec.partitions, 1, topic_configs=configs)]
                )
                created.append(spec.name)
            except TopicAlreadyExistsError:
                pass
        present = [s for s in specs if s.name in existing]
        if present:
            described = admin.describe_topics([s.name for s in present])
            counts = {t.get("name", t.get("topic")): len(t["partitions"]) for t in described}
            for spec in present:
                if counts.get(spec.name) != spec.partitions:
                    raise TopicError(
                        f"topic {spec.name} has {counts.get(spec.name)} partitions but newswatch "
                        f"needs {spec.partitions} (kafka.partitions); set kafka.partitions to "
                        "match or use a new kafka.topic_prefix"
                    )
        if created:
            log.info("created topics: %s", ", ".join(created))
        return created
    finally:
        admin.close()
