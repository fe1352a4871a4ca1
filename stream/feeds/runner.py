"""Which sources are due, and one poll at a time per source; publishing through callbacks.

``FeedRunner.tick()`` is called every second by the worker (see ``worker``);
only the group's leader polls, so each source is polled once across workers.
The runner keeps the states it wrote itself while it leads (the topic view
lags behind its own writes), and reloads them from the view when it becomes
leader again. Publishing goes through the three callbacks, in this order —
items, skip records, then the state — so a crash in between re-publishes
(at least once) rather than loses an entry.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Executor
from typing import Any

import aiohttp

from detectors.records import NewsItem
from detectors.settings import ConfigError, coerce

from .fetch import HostGate
from .model import PollerSettings, Source
from .poll import PollResult, poll_source
from .state import SourceState

log = logging.getLogger(__name__)

PublishItem = Callable[[NewsItem], Awaitable[Any]]
PublishRecord = Callable[[str, dict[str, Any]], Awaitable[Any]]


def effective_sources(
    configured: list[Source], runtime: Mapping[str, Any], *, invalid: dict[str, str] | None = None
) -> list[Source]:
    """Sources from the config, then those added at runtime (a config name wins).

    A runtime record that is not a valid source is left out; with ``invalid``
    given, its name and the reason are put there.
    """
    sources = list(configured)
    names = {s.name for s in sources}
    for name, record in sorted(runtime.items()):
        if name in names or not isinstance(record, dict):
            continue
        fields = {k: v for k, v in record.items() if k in Source.model_fields}  # not added_at
        try:
            sources.append(coerce(fields, Source))
        except ConfigError as exc:
            if invalid is not None:
                invalid[name] = str(exc)
    return sources


class FeedRunner:
    """Polls due sources; everything it learns goes out through the callbacks.

    configured (list): sources from the config.
    runtime (Mapping): name → source record, from news.sources (kept current by a view).
    saved (Mapping): name → state record, from news.sources.state.
    publish_item, publish_skip, save_state: send an item / a skip record / a state.
    """

    def __init__(
        self,
        settings: PollerSettings,
        *,
        configured: list[Source],
        runtime: Mapping[str, Any],
        saved: Mapping[str, Any],
        publish_item: PublishItem,
        publish_skip: PublishRecord,
        save_state: PublishRecord,
        executor: Executor | None = None,
    ) -> None:
        self.settings = settings
        self.configured = configured
        self.runtime = runtime
        self.saved = saved
        self.publish_item = publish_item
        self.publish_skip = publish_skip
        self.save_state = save_state
        self.executor = executor
        self.gate = HostGate(settings.host_interval_s)
        self.states: dict[str, SourceState] = {}
        self.running: dict[str, asyncio.Task] = {}
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._leading = False
        self._invalid: dict[str, str] = {}

    def sources(self) -> list[Source]:
        invalid: dict[str, str] = {}
        sources = effective_sources(self.configured, self.runtime, invalid=invalid)
        for name, why in invalid.items():
            if self._invalid.get(name) != why:
                log.warning("ignoring source %r from news.sources: %s", name, why)
        self._invalid = invalid
        return sources

    def state_of(self, name: str) -> SourceState:
        if name not in self.states:
            saved = self.saved.get(name)
            self.states[name] = SourceState.from_dict(saved) if saved else SourceState(name)
        return self.states[name]

    def tick(self, *, leader: bool, now: float | None = None) -> list[asyncio.Task]:
        """Start a poll for every due source not being polled; returns the tasks started."""
        if not leader:
            if self._leading:
                log.info("no longer the leader: another worker polls the feeds")
            self._leading = False
            self.states.clear()  # reload from news.sources.state when leading again
            return []
        if not self._leading:
            log.info("leader: polling the feeds (%d sources)", len(self.sources()))
            self._leading = True
        now = time.time() if now is None else now
        started = []
        for source in self.sources():
            if source.name in self.running:
                continue
            if self.state_of(source.name).next_poll <= now:
                task = asyncio.create_task(self.poll(source), name=f"poll {source.name}")
                self.running[source.name] = task
                task.add_done_callback(lambda _t, name=source.name: self.running.pop(name, None))
                started.append(task)
        return started

    async def poll(self, source: Source) -> PollResult | None:
        """Poll one source and publish what it found; errors are logged, never raised."""
        async with self._slots:
            state = self.state_of(source.name)
            began = time.monotonic()
            try:
                async with aiohttp.ClientSession() as session:
                    result = await poll_source(
                        source,
                        state,
                        session=session,
                        settings=self.settings,
                        gate=self.gate,
                        executor=self.executor,
                    )
                for item in result.items:
                    await self.publish_item(item)
                for record in result.skipped:
                    await self.publish_skip(record["id"], record)
                await self.save_state(source.name, result.state.to_dict())
            except Exception:  # Kafka down, a bug: try again at the next interval
                log.exception(
                    "polling feed %s failed; trying again in %gs", source.name, source.every
                )
                state.next_poll = time.time() + source.every
                return None
            self.states[source.name] = result.state
            _log_result(source, result, time.monotonic() - began)
            return result


def _log_result(source: Source, result: PollResult, took_s: float) -> None:
    state = result.state
    if result.error:
        wait = (state.backoff_until or 0) - (state.last_poll or 0)
        log.warning(
            "feed %s: %s (failure %d in a row; next try in %.0fs)",
            source.name,
            result.error,
            state.failures,
            wait,
        )
        if result.long_failing:
            failing_for = (state.last_poll or 0) - (state.failing_since or 0)
            log.error(
                "feed %s has been failing for %.1fh (%s): last error %s",
                source.name,
                failing_for / 3600,
                source.url,
                result.error,
            )
    elif result.not_modified:
        log.debug("feed %s: not modified (%.2fs)", source.name, took_s)
    else:
        log.info(
            "feed %s: %d new item(s), %d skipped, %d known, %d too old (%.2fs)",
            source.name,
            len(result.items),
            len(result.skipped),
            result.known,
            result.too_old,
            took_s,
        )
        if state.warning:
            log.info("feed %s was malformed but readable: %s", source.name, state.warning)
