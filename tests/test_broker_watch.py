"""What the worker says about the broker going away and coming back."""

from __future__ import annotations

import asyncio

from stream.broker import free_port
from stream.broker_watch import BrokerWatch, reachable


def test_down_is_said_at_once_then_every_interval_then_back():
    watch = BrokerWatch("127.0.0.1:9", remind_every_s=30)
    assert watch.observe(True, "", 0.0) is None
    first = watch.observe(False, "refused", 10.0)
    assert first and "unreachable (refused)" in first
    assert watch.observe(False, "refused", 20.0) is None
    assert "still unreachable after 30s" in watch.observe(False, "refused", 40.0)
    assert watch.observe(False, "refused", 55.0) is None
    assert "reachable again after 50s" in watch.observe(True, "", 60.0)
    assert watch.observe(True, "", 63.0) is None


def test_reachable_opens_a_real_connection():
    async def check() -> tuple:
        server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            up = await reachable(f"127.0.0.1:{free_port()},127.0.0.1:{port}")
        down = await reachable(f"127.0.0.1:{port}")  # closed now
        return up, down

    up, down = asyncio.run(check())
    assert up == (True, "")
    assert down[0] is False and "Refused" in down[1]
