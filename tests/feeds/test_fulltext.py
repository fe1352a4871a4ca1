"""Full text: the entry's page fetched and its main text extracted, else the summary."""

from __future__ import annotations

from stream.feeds.fulltext import extract_text
from stream.feeds.model import Source
from tests.feed_server import rss

from .conftest import fixture

SUMMARY = "Ministers agreed on flood defences."


def feed(server, link_path: str) -> str:
    return rss(
        [{"title": "Ministers agree on new flood defences", "link": server.url(link_path),
          "guid": "flood-1", "description": SUMMARY}]
    )  # fmt: skip


def test_extract_text_keeps_the_article_and_drops_the_boilerplate():
    text = extract_text(fixture("article.html"), url="http://127.0.0.1/a")
    assert "2.4 billion euros over ten years" in text
    assert "watch closely whether the money promised" in text
    for boilerplate in ("Subscribe now", "Celebrity chef", "Cookie settings", "All rights"):
        assert boilerplate not in text


async def test_full_text_from_the_local_article_page(server, poll):
    server.route("/article", fixture("article.html"), content_type="text/html; charset=utf-8")
    server.route("/feed.xml", feed(server, "/article"))
    source = Source(name="wire", url=server.url("/feed.xml"), full_text=True)
    [item] = (await poll(source)).items
    # The page's headline leads its text already: the title is not repeated.
    assert item.text.startswith("Ministers agree on new flood defences.\n\nEnvironment ministers")
    assert item.text.count("Ministers agree on new flood defences") == 1
    assert "shared warning network that will give towns at least 48 hours" in item.text
    assert "Subscribe now" not in item.text and "Privacy policy" not in item.text
    assert server.hits_for("/article")[0]["headers"]["Accept"].startswith("text/html")


async def test_without_full_text_the_page_is_not_fetched(server, poll):
    server.route("/article", fixture("article.html"), content_type="text/html")
    server.route("/feed.xml", feed(server, "/article"))
    [item] = (await poll(Source(name="wire", url=server.url("/feed.xml")))).items
    assert item.text.endswith(SUMMARY) and server.hits_for("/article") == []


async def test_a_missing_or_empty_page_falls_back_to_the_summary(server, poll):
    server.route("/feed.xml", feed(server, "/missing"))
    source = Source(name="wire", url=server.url("/feed.xml"), full_text=True)
    [item] = (await poll(source)).items
    assert item.text == f"Ministers agree on new flood defences.\n\n{SUMMARY}"
    server.route("/empty", b"<html><body><p>Hi</p></body></html>", content_type="text/html")
    server.route("/feed2.xml", feed(server, "/empty"))
    source = Source(name="wire2", url=server.url("/feed2.xml"), full_text=True)
    [item] = (await poll(source)).items
    assert item.text.endswith(SUMMARY)


async def test_an_oversized_page_is_not_read(server, poll):
    from stream.feeds.model import PollerSettings

    big = b"<html><body>" + b"<p>word word word.</p>" * 10_000 + b"</body></html>"
    server.route("/huge", big, content_type="text/html")
    server.route("/feed.xml", feed(server, "/huge"))
    settings = PollerSettings(max_page_bytes=50_000, host_interval_s=0)
    source = Source(name="wire", url=server.url("/feed.xml"), full_text=True)
    [item] = (await poll(source, settings=settings)).items
    assert item.text.endswith(SUMMARY) and "word word" not in item.text


async def test_item_text_is_bounded(server, poll):
    from stream.feeds.model import PollerSettings

    long = rss([{"title": "Long", "guid": "l", "description": "Many words here. " * 2000}])
    server.route("/feed.xml", long)
    settings = PollerSettings(max_text_chars=1000, host_interval_s=0)
    [item] = (await poll(Source(name="w", url=server.url("/feed.xml")), settings=settings)).items
    assert len(item.text) == 1000
