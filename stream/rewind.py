"""Re-read, after a rebalance, records Faust fetched but never handed to an agent.

After an assignment Faust's recovery resumes the stream partitions and only then
seeks them to the group's committed offsets (faust-streaming 0.15.3,
``Recovery.on_recovery_completed``). A record fetched in between can be skipped
without reaching any agent (the consumer's set of active partitions changes
while the batch is iterated), yet aiokafka has already moved the position past
it. On a partition with a committed offset the seek that follows moves it back;
but aiokafka's ``seek_to_committed`` seeks nothing where the group has no
committed offset (or 0), so there the record is gone for this process: a
worker started after a kill -9 never read the alert the dead one was sending
(news.alerts had nothing committed yet) until another restart.

``rewind_uncommitted`` completes Faust's seek: stream partitions without a
committed offset go back to their first offset, which is where a consumer with
``auto_offset_reset="earliest"`` starts. A record handled in that window is read
again, as Faust already does for partitions with a committed offset; the agents
are idempotent for such repeats (progress.py, alerts/dispatch.py). No Faust
setting or hook does this, hence the wrapper around ``perform_seek``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Collection
from typing import Any

log = logging.getLogger(__name__)

_WRAPPED = "_newswatch_rewinds_uncommitted"


async def rewind_uncommitted(consumer: Any, skip: Collection[str] = ()) -> list:
    """Seek assigned stream partitions with no committed offset (or 0) to their start.

    consumer (faust Consumer): after its ``perform_seek``, whose committed offsets
        are in ``_committed_offset`` (None or 0 where the group has none).
    skip (Collection[str]): topics left alone: news.items commits its own offsets
        (progress.py), which Faust's ``_committed_offset`` does not see.
    Returns the partitions sought.
    """
    tps = sorted(
        (
            tp
            for tp in consumer.assignment()
            if tp.topic not in skip
            and not consumer._is_changelog_tp(tp)
            and not consumer._committed_offset.get(tp)
        ),
        key=lambda tp: (tp.topic, tp.partition),
    )
    if not tps:
        return []
    earliest = await consumer.earliest_offsets(*tps)
    for tp in tps:
        # Consumer.seek also forgets the partition's read offset, so the record is
        # not taken for one already seen.
        await consumer.seek(tp, earliest.get(tp) or 0)
    log.debug("partitions without a committed offset read from their start: %s", tps)
    return tps


def install(consumer: Any, skip: Collection[str] = ()) -> None:
    """Make ``consumer.perform_seek`` rewind uncommitted partitions too (once per consumer)."""
    if getattr(consumer, _WRAPPED, False):
        return
    seek_committed = consumer.perform_seek

    @functools.wraps(seek_committed)
    async def perform_seek() -> None:
        await seek_committed()
        await rewind_uncommitted(consumer, skip)

    consumer.perform_seek = perform_seek
    setattr(consumer, _WRAPPED, True)
