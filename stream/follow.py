"""Fill the console's history by following the topics (Kafka stays the source of truth).

``HistoryFollower`` runs in a thread of ``newswatch web``: one consumer, no
consumer group (it must not take partitions from the workers), assigned every
partition of the followed topics and positioned at the offsets the history
stored (or the beginning), so a restart goes on where it stopped and a fresh
database is rebuilt from the topics.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from .config import Config
from .history import History

log = logging.getLogger(__name__)

#: Logical history kinds → topic names (without prefix).
FOLLOWED = {
    "items": "news.items",
    "detections": "news.detections",
    "alerts": "news.alerts",
    "alerts_dead": "news.alerts.dead",
    "deadletter": "news.deadletter",
}
PRUNE_EVERY_S = 600.0
RETRY_S = 2.0
RESCAN_S = 30.0


def followed_topics(config: Config) -> dict[str, str]:
    """Topic name → history kind, including the deliveries table's changelog."""
    topics = {config.topic(name): kind for kind, name in FOLLOWED.items()}
    topics[f"{config.kafka.app_id}-deliveries-changelog"] = "deliveries"
    return topics


def decode(kind: str, key: bytes | None, value: bytes | None) -> Any:
    """A record's value as the history wants it; None for what cannot be read."""
    if kind == "deliveries":  # Faust table changelog: JSON key and value
        try:
            name = json.loads(key) if key is not None else None
            return (str(name), json.loads(value) if value else None)
        except ValueError:
            return None
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:  # e.g. an invalid item: the dead-letter record tells its story
        return None


class HistoryFollower:
    """Follows the topics into ``history`` until ``stop()``.

    caught_up (threading.Event): set once every partition was read to the end
        it had when the follower started.
    """

    def __init__(self, config: Config, history: History) -> None:
        self.config = config
        self.history = history
        self.stopping = threading.Event()
        self.caught_up = threading.Event()
        self.thread = threading.Thread(target=self.run, name="history", daemon=True)
        self.error: str | None = None

    def start(self) -> HistoryFollower:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=10)

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self._follow()
            except Exception as exc:  # broker away: say so, keep serving what is stored
                self.error = f"{exc.__class__.__name__}: {exc}"
                log.warning("history: following the topics failed (%s); retrying", self.error)
                self.stopping.wait(RETRY_S)

    def _follow(self) -> None:
        from kafka import KafkaConsumer, TopicPartition

        topics = followed_topics(self.config)
        consumer = KafkaConsumer(
            bootstrap_servers=self.config.kafka.bootstrap,
            group_id=None,
            enable_auto_commit=False,
            client_id="newswatch-web-history",
            request_timeout_ms=15000,
        )
        try:
            tps = []
            for topic in topics:
                for partition in sorted(consumer.partitions_for_topic(topic) or ()):
                    tps.append(TopicPartition(topic, partition))
            if not tps:
                raise RuntimeError("no newswatch topics yet (start a worker or replay first)")
            consumer.assign(tps)
            stored = self.history.offsets()
            for tp in tps:
                if (tp.topic, tp.partition) in stored:
                    consumer.seek(tp, stored[(tp.topic, tp.partition)])
                else:
                    consumer.seek_to_beginning(tp)
            end = consumer.end_offsets(tps)
            self.error = None
            retention = self.config.history.retention
            self.history.prune(retention)
            pruned_at = time.monotonic()
            read = 0
            held = {t: sum(1 for tp in tps if tp.topic == t) for t in topics}
            checked_at = time.monotonic()
            while not self.stopping.is_set():
                batch = []
                for tp, records in consumer.poll(timeout_ms=500, max_records=2000).items():
                    kind = topics[tp.topic]
                    for r in records:
                        value = decode(kind, r.key, r.value)
                        if value is not None:
                            batch.append(
                                (kind, tp.topic, tp.partition, r.offset, value, r.timestamp / 1000)
                            )
                if batch:
                    read += self.history.apply_batch(batch)
                if not self.caught_up.is_set() and all(
                    consumer.position(tp) >= end[tp] for tp in tps
                ):
                    self.caught_up.set()
                    log.info("history: caught up with the topics (%d records read)", read)
                if time.monotonic() - checked_at > RESCAN_S:
                    checked_at = time.monotonic()
                    consumer.topics()  # refreshes the metadata
                    if any(
                        len(consumer.partitions_for_topic(t) or ()) != held.get(t, 0)
                        for t in topics
                    ):
                        return  # a topic appeared or grew: assign again from stored offsets
                if time.monotonic() - pruned_at > PRUNE_EVERY_S:
                    self.history.prune(retention)
                    pruned_at = time.monotonic()
        finally:
            consumer.close()
