"""Compacted topics read whole into memory: subscriptions and silences.

Every worker needs every subscription and silence, and a change made with the
CLI must reach running workers within seconds. A ``TopicView`` is that: it
reads its compacted topic from the beginning with its own consumer (no
consumer group, all partitions) and keeps following it, so ``view.data`` is
the latest value per key. A ``None`` value (tombstone) deletes the key.
Restarts rebuild the view from the topic, so it survives them.

``read_all``, ``read_view`` and ``publish`` serve the CLI, with kafka-python.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

log = logging.getLogger(__name__)

RETRY_S = 2.0


def _decode(key: bytes | None, value: bytes | None) -> tuple[str | None, Any]:
    name = key.decode("utf-8", "replace") if key is not None else None
    if value is None:
        return name, None
    try:
        return name, json.loads(value)
    except ValueError:
        log.warning("ignoring a record that is not JSON under key %r", name)
        return None, None


class TopicView:
    """The latest JSON value per key of one compacted topic, kept current.

    bootstrap (str): broker address.
    topic (str): the compacted topic.
    describe (Callable | None): value → a loggable line (no secrets) for changes
        seen after start-up. Defaults to None (changes are not logged).
    """

    def __init__(
        self, bootstrap: str, topic: str, describe: Callable[[Any], str] | None = None
    ) -> None:
        self.bootstrap = bootstrap
        self.topic = topic
        self.describe = describe
        self.data: dict[str, Any] = {}
        self.ready = asyncio.Event()

    def apply(self, key: bytes | None, value: bytes | None) -> None:
        name, data = _decode(key, value)
        if name is None:
            return
        old = self.data.pop(name, None) if data is None else None
        if data is not None:
            self.data[name] = data
        if self.describe is not None and self.ready.is_set() and (data or old) is not None:
            action = "removed" if data is None else "set"
            log.info("%s %s: %s", self.topic, action, self.describe(data or old))

    async def run(self) -> None:
        """Follow the topic until cancelled, reconnecting after errors."""
        while True:
            try:
                await self._follow()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("following %s failed; retrying in %.0fs", self.topic, RETRY_S)
                await asyncio.sleep(RETRY_S)

    async def _follow(self) -> None:
        """Read the topic from the beginning and keep up; ``ready`` is set once caught up."""
        from aiokafka import AIOKafkaConsumer, TopicPartition

        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap,
            enable_auto_commit=False,
            group_id=None,
            client_id=f"newswatch-view-{self.topic}",
        )
        await consumer.start()
        try:
            partitions = consumer.partitions_for_topic(self.topic) or set()
            if not partitions:
                await consumer._client.force_metadata_update()  # noqa: SLF001
                partitions = consumer.partitions_for_topic(self.topic) or {0}
            tps = [TopicPartition(self.topic, p) for p in sorted(partitions)]
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
            end = await consumer.end_offsets(tps)
            while True:
                batches = await consumer.getmany(timeout_ms=500)
                for records in batches.values():
                    for record in records:
                        self.apply(record.key, record.value)
                if not self.ready.is_set():
                    positions = {tp: await consumer.position(tp) for tp in tps}
                    if all(positions[tp] >= end[tp] for tp in tps):
                        self.ready.set()
                        log.info("%s: %d entries", self.topic, len(self.data))
        finally:
            await consumer.stop()


def read_all(
    bootstrap: str, topic: str, timeout_s: float = 30.0
) -> Iterator[tuple[bytes | None, bytes | None]]:
    """Every (key, value) of ``topic`` from the beginning to its end now (for the CLI)."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        group_id=None,
        client_id="newswatch-cli",
    )
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        if not tps:
            return
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        end = consumer.end_offsets(tps)
        deadline = time.monotonic() + timeout_s
        while any(consumer.position(tp) < end[tp] for tp in tps):
            if time.monotonic() > deadline:
                raise TimeoutError(f"reading {topic} took over {timeout_s:.0f}s")
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    yield record.key, record.value
    finally:
        consumer.close()


def read_view(bootstrap: str, topic: str) -> dict[str, Any]:
    """The latest value per key of a compacted ``topic``, read to its end now (for the CLI)."""
    view = TopicView(bootstrap, topic)
    for key, value in read_all(bootstrap, topic):
        view.apply(key, value)
    return view.data


def publish(bootstrap: str, topic: str, key: str, value: Any) -> None:
    """Write one JSON value (or a tombstone for None) and wait for the broker's ack."""
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", client_id="newswatch-cli")
    try:
        payload = None if value is None else json.dumps(value).encode("utf-8")
        producer.send(topic, key=key.encode("utf-8"), value=payload).get(timeout=30)
    finally:
        producer.close()
