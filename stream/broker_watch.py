"""Say when the Kafka broker goes away and comes back.

The Kafka clients retry quietly, so with the broker down a worker used to
print nothing at all. ``BrokerWatch`` turns periodic reachability checks into
log lines: one as soon as the broker is unreachable, a reminder every
``remind_every_s`` while it stays so, and one when it is back (the clients
then reconnect by themselves and go on from their committed offsets).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


async def reachable(bootstrap: str, timeout_s: float = 2.0) -> tuple[bool, str]:
    """Whether a TCP connection to any bootstrap address opens: (ok, reason if not)."""
    reason = "no address"
    for address in bootstrap.split(","):
        host, _, port = address.strip().rpartition(":")
        try:
            _reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host or "127.0.0.1", int(port)), timeout_s
            )
        except (TimeoutError, OSError, ValueError) as exc:
            reason = f"{exc.__class__.__name__}: {exc}" if str(exc) else exc.__class__.__name__
            continue
        writer.close()
        return True, ""
    return False, reason


@dataclass
class BrokerWatch:
    """What to log about the broker, given each check's result.

    bootstrap (str): the broker address, for the messages.
    remind_every_s (float): while down, repeat the warning this often. Defaults to 30.
    """

    bootstrap: str
    remind_every_s: float = 30.0
    down_since: float | None = None
    reminded_at: float = 0.0

    def observe(self, ok: bool, reason: str, now: float) -> str | None:
        """The line to log for this check, if any (also returned for tests)."""
        if ok:
            if self.down_since is None:
                return None
            down_s, self.down_since = now - self.down_since, None
            return (
                f"Kafka broker {self.bootstrap} is reachable again after {down_s:.0f}s; "
                "the worker reconnects and goes on from its committed offsets"
            )
        if self.down_since is None:
            self.down_since = self.reminded_at = now
            return (
                f"Kafka broker {self.bootstrap} is unreachable ({reason}); "
                "waiting for it, nothing is read or sent until it is back"
            )
        if now - self.reminded_at >= self.remind_every_s:
            self.reminded_at = now
            return (
                f"Kafka broker {self.bootstrap} still unreachable after "
                f"{now - self.down_since:.0f}s ({reason})"
            )
        return None

    async def check(self, now: float) -> None:
        ok, reason = await reachable(self.bootstrap)
        line = self.observe(ok, reason, now)
        if line:
            (log.info if ok else log.warning)(line)
