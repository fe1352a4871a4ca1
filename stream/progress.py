"""Which news.items offsets may be committed: only those whose outcome is on the broker.

Faust's own acking is switched off for news.items (see app.py) because it can
commit offsets whose items never reached the agent: events it skips around a
rebalance (an old generation, or flow control paused) are acked anyway, and
after a restart those acks moved the group's offset past items that had no
outcome yet. Here the detect agent reports the offsets it has finished (their
result or dead letter acknowledged by the broker), and an offset is committed
only when every offset below it on its partition is finished too: at least
once, whatever the crash point.

Plain code, no Faust: ``Progress`` is fed offsets and answers what to commit.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable


class Progress:
    """Per partition: the next offset to commit and the finished offsets beyond it.

    committed (Callable): the group's committed offset for a partition as the consumer
        last read it (None when the group has none yet); asked when a partition is
        first seen or after it was reassigned.
    """

    def __init__(self, committed: Callable[[Hashable], int | None]) -> None:
        self._committed = committed
        self._next: dict[Hashable, int] = {}
        self._done: dict[Hashable, set[int]] = {}

    def forget(self, partitions: Iterable[Hashable]) -> None:
        """Drop what is known of partitions that were revoked or reassigned."""
        for tp in partitions:
            self._next.pop(tp, None)
            self._done.pop(tp, None)

    def finished(self, tp: Hashable, offsets: Iterable[int]) -> int | None:
        """Record finished offsets of ``tp``; the new offset to commit, or None for no change."""
        offsets = sorted(offsets)
        if not offsets:
            return None
        if tp not in self._next:
            start = self._committed(tp)
            # No commit yet (a new group): the first offset read is where reading began.
            self._next[tp] = offsets[0] if start is None else start
        position = self._next[tp]
        done = self._done.setdefault(tp, set())
        done.update(o for o in offsets if o >= position)
        advanced = position
        while advanced in done:
            done.discard(advanced)
            advanced += 1
        if advanced == position:
            return None
        self._next[tp] = advanced
        return advanced

    def position(self, tp: Hashable) -> int | None:
        """The offset committed last for ``tp`` by this worker (the next one to read), if any."""
        return self._next.get(tp)

    def pending(self, tp: Hashable) -> int:
        """Finished offsets of ``tp`` waiting for a gap below them to be filled."""
        return len(self._done.get(tp, ()))
