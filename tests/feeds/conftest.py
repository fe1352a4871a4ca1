"""Feed tests: a local feed server of the tests' own, and a poll helper."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from stream.feeds.model import PollerSettings, Source
from stream.feeds.poll import PollResult, poll_source
from stream.feeds.state import SourceState
from tests.feed_server import FeedServer

FIXTURES = Path(__file__).parent / "fixtures"

# Small limits so the error cases are quick; no politeness delay between test requests.
FAST = PollerSettings(timeout_s=2.0, page_timeout_s=2.0, host_interval_s=0.0)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def server():
    with FeedServer() as feeds:
        yield feeds


@pytest.fixture
async def poll():
    """``await poll(source, state)`` → PollResult; ``state`` defaults to a fresh one."""
    async with aiohttp.ClientSession() as session:

        async def run(
            source: Source, state: SourceState | None = None, settings=FAST, **kw
        ) -> PollResult:
            state = state or SourceState(source.name)
            return await poll_source(source, state, session=session, settings=settings, **kw)

        yield run
