"""stream.rewind: after Faust's seek to committed offsets, partitions with none start over."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from faust.types import TP

from stream.rewind import install, rewind_uncommitted

ITEMS0, ITEMS1 = TP("news.items", 0), TP("news.items", 1)
ALERTS0, ALERTS1 = TP("news.alerts", 0), TP("news.alerts", 1)
CHANGELOG = TP("app-deliveries-changelog", 0)


class Consumer:
    """The part of faust's Consumer that rewind uses, with aiokafka's seek_to_committed rule."""

    def __init__(self, committed: dict, earliest: dict, positions: dict) -> None:
        self.committed = committed  # the group's committed offsets (None: none)
        self.earliest = earliest
        self.positions = positions  # where the fetcher would read next
        self._committed_offset: dict = defaultdict(lambda: None)
        self._read_offset: dict = defaultdict(lambda: None)
        self.seeks: list = []

    def assignment(self) -> set:
        return set(self.positions)

    def _is_changelog_tp(self, tp: TP) -> bool:
        return tp.topic.endswith("-changelog")

    async def perform_seek(self) -> None:
        for tp in self.assignment():
            offset = self.committed.get(tp)
            if offset and offset > 0:  # aiokafka seeks only past offset 0
                self.positions[tp] = offset
            if offset is not None:
                self._committed_offset[tp] = offset or None

    async def earliest_offsets(self, *tps: TP) -> dict:
        return {tp: self.earliest[tp] for tp in tps}

    async def seek(self, tp: TP, offset: int) -> None:
        self.seeks.append((tp, offset))
        self.positions[tp] = offset
        self._read_offset[tp] = offset or None


def fetched_past_the_start() -> Consumer:
    """Records fetched and dropped before the seek: every position is past the start."""
    return Consumer(
        committed={ITEMS0: 7, ITEMS1: 0, ALERTS0: None, ALERTS1: None},
        earliest={ITEMS0: 0, ITEMS1: 0, ALERTS0: 0, ALERTS1: 3},
        positions={ITEMS0: 9, ITEMS1: 2, ALERTS0: 1, ALERTS1: 4, CHANGELOG: 5},
    )


def test_faust_seek_alone_leaves_uncommitted_partitions_past_what_was_dropped():
    consumer = fetched_past_the_start()
    asyncio.run(consumer.perform_seek())
    assert consumer.positions[ITEMS0] == 7
    assert consumer.positions[ALERTS0] == 1  # offset 0 would never be read again


def test_the_wrapped_seek_rewinds_partitions_without_a_committed_offset():
    consumer = fetched_past_the_start()
    install(consumer)
    asyncio.run(consumer.perform_seek())
    assert consumer.positions == {ITEMS0: 7, ITEMS1: 0, ALERTS0: 0, ALERTS1: 3, CHANGELOG: 5}
    assert sorted(consumer.seeks) == [(ALERTS0, 0), (ALERTS1, 3), (ITEMS1, 0)]
    assert consumer._read_offset[ALERTS1] == 3 and consumer._read_offset[ALERTS0] is None


def test_install_wraps_once_and_nothing_is_sought_when_all_is_committed():
    consumer = Consumer(
        committed={ITEMS0: 4}, earliest={ITEMS0: 0}, positions={ITEMS0: 6, CHANGELOG: 1}
    )
    install(consumer)
    install(consumer)
    asyncio.run(consumer.perform_seek())
    assert consumer.seeks == [] and consumer.positions[ITEMS0] == 4
    assert asyncio.run(rewind_uncommitted(consumer)) == []


def test_topics_that_commit_their_own_offsets_are_left_alone():
    consumer = fetched_past_the_start()
    install(consumer, skip={ITEMS0.topic})
    asyncio.run(consumer.perform_seek())
    assert sorted(consumer.seeks) == [(ALERTS0, 0), (ALERTS1, 3)]
