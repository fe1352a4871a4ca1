"""Polling against a local server: formats, conditional GET, de-duplication, failures."""

from __future__ import annotations

import time

from stream.feeds.model import PollerSettings, Source
from stream.feeds.state import SourceState
from tests.feed_server import rss

from .conftest import FAST, fixture


def src(server, path="/feed.xml", **kw) -> Source:
    return Source(name=kw.pop("name", "local"), url=server.url(path), **kw)


async def test_rss2_items_carry_title_url_source_published_language(server, poll):
    server.route("/feed.xml", fixture("rss2.xml"), content_type="application/rss+xml")
    result = await poll(src(server))
    assert result.error is None
    # Oldest first (the feed lists the newest first); ids from the guids.
    assert [i.id for i in result.items] == ["local:wire-1001", "local:wire-1002"]
    storm, budget = result.items
    assert storm.title == "Storm closes schools across the region"
    assert storm.url == "http://127.0.0.1/news/storm"
    assert storm.source == "local"
    assert storm.published == "2026-12-01T08:15:00Z"  # +0100 in the feed, UTC here
    assert storm.language == "en"  # the feed's en-us
    # content:encoded is preferred over the shorter description; the title leads the text.
    assert storm.text.startswith("Storm closes schools across the region.\n\nHeavy rain")
    assert "resume on Thursday" in storm.text
    # HTML in the description became plain text.
    assert "<b>" not in budget.text and "voted 212 to 190 in favour" in budget.text


async def test_atom_and_rdf_are_read(server, poll):
    server.route("/atom", fixture("atom.xml"), content_type="application/atom+xml")
    server.route("/rdf", fixture("rdf.xml"), content_type="application/rdf+xml")
    atom = await poll(src(server, "/atom", name="atom"))
    rdf = await poll(src(server, "/rdf", name="rdf"))
    assert [i.id for i in atom.items] == [
        "atom:tag:example.org,2026:museum",
        "atom:tag:example.org,2026:trade-talks",
    ]
    talks = atom.items[1]
    assert talks.title == "Talks on the trade deal resume in Geneva"  # type="html" title
    assert talks.published == "2026-12-01T08:00:00Z"
    assert "A statement is expected by Friday." in talks.text
    assert atom.items[0].published == "2026-11-30T08:00:00Z"  # only <updated>: used
    assert [i.id for i in rdf.items] == [
        "rdf:http://127.0.0.1/rdf/bridge",
        "rdf:http://127.0.0.1/rdf/harbour",
    ]
    assert rdf.items[1].published == "2026-11-30T14:00:00Z"
    assert rdf.items[1].language == "en"


async def test_etag_is_sent_back_and_304_publishes_nothing(server, poll):
    server.route("/feed.xml", fixture("rss2.xml"))
    source = src(server)
    first = await poll(source)
    assert len(first.items) == 2 and first.state.etag
    second = await poll(source, first.state)
    assert second.not_modified and second.items == [] and second.error is None
    assert server.hits_for("/feed.xml")[1]["headers"]["If-None-Match"] == first.state.etag
    assert second.state.last_status == 304 and second.state.last_success is not None


async def test_last_modified_is_sent_back_and_304_publishes_nothing(server, poll):
    server.route("/feed.xml", fixture("rss2.xml"), etag=False, last_modified=time.time() - 60)
    source = src(server)
    first = await poll(source)
    assert first.state.etag is None and first.state.last_modified
    second = await poll(source, first.state)
    assert second.not_modified and second.items == []
    sent = server.hits_for("/feed.xml")[1]["headers"]
    assert sent["If-Modified-Since"] == first.state.last_modified
    # The feed changes: a new Last-Modified, a full answer, the new entry only.
    server.update("/feed.xml", fixture("rss2.xml").replace(b"wire-1002", b"wire-1003"))
    third = await poll(source, second.state)
    assert [i.id for i in third.items] == ["local:wire-1003"]


ENTRIES = [
    {"title": f"Story number {n} about the harbour", "link": f"http://127.0.0.1/s/{n}",
     "guid": f"s-{n}", "description": f"Details of story {n} from the harbour district."}
    for n in range(1, 6)
]  # fmt: skip


async def test_reordered_and_reemitted_entries_are_not_published_again(server, poll):
    source = src(server)
    server.route("/feed.xml", rss(ENTRIES[:3]))
    first = await poll(source)
    assert len(first.items) == 3
    # Re-ordered, with one dropped: nothing new.
    server.update("/feed.xml", rss([ENTRIES[2], ENTRIES[0]]))
    second = await poll(source, first.state)
    assert second.items == [] and second.known == 2
    # The dropped entry re-emitted among two new ones: only the new ones.
    server.update("/feed.xml", rss([ENTRIES[4], ENTRIES[1], ENTRIES[3]]))
    third = await poll(source, second.state)
    assert [i.id for i in third.items] == ["local:s-4", "local:s-5"]
    assert third.known == 1
    assert third.state.items_total == 5


async def test_an_edited_entry_is_not_a_new_story(server, poll):
    source = src(server)
    server.route("/feed.xml", rss(ENTRIES[:2]))
    first = await poll(source)
    edited = {**ENTRIES[0], "title": "Story number 1 (updated)", "description": "Corrected."}
    server.update("/feed.xml", rss([edited, ENTRIES[1]]))
    second = await poll(source, first.state)
    assert second.error is None and second.items == [] and second.known == 2


async def test_404_is_an_error_and_backs_off(server, poll):
    source = src(server, "/gone.xml", every=60)
    result = await poll(source, now=1000.0)
    assert result.error == "HTTP 404 Not Found" and result.items == []
    state = result.state
    assert state.failures == 1 and state.last_status == 404
    assert state.backing_off(1001.0) and state.next_poll == 1000.0 + 120  # every × 2


async def test_500_then_recovery(server, poll):
    server.route("/feed.xml", fixture("rss2.xml"), statuses=[500, 500])
    source = src(server, every=30)
    one = await poll(source, now=1000.0)
    two = await poll(source, one.state, now=1060.0)
    assert one.error == two.error == "HTTP 500 Internal Server Error"
    assert two.state.failures == 2 and two.state.next_poll == 1060.0 + 120  # 30 × 2²
    assert two.state.failing_since == 1000.0
    three = await poll(source, two.state, now=1200.0)
    assert three.error is None and len(three.items) == 2
    state = three.state
    assert state.failures == 0 and state.last_error is None and not state.backing_off(1200.0)
    assert state.last_success == 1200.0 and state.next_poll == 1230.0


async def test_back_off_is_capped_and_an_hour_of_failing_is_flagged_once(server, poll):
    server.route("/feed.xml", status=503)
    source = src(server, every=60)
    state, flagged = SourceState("local"), []
    for minute in range(0, 121, 10):
        result = await poll(source, state, now=minute * 60.0)
        state = result.state
        flagged.append(result.long_failing)
    assert state.next_poll - state.last_poll == FAST.max_backoff_s
    # Flagged when an hour has passed (minute 60), then not again before another hour.
    assert [m * 10 for m, f in enumerate(flagged) if f] == [60, 120]


async def test_timeout(server, poll):
    server.route("/slow.xml", fixture("rss2.xml"), delay_s=1.5)
    settings = PollerSettings(timeout_s=0.5, host_interval_s=0)
    began = time.monotonic()
    result = await poll(src(server, "/slow.xml"), settings=settings)
    assert time.monotonic() - began < 1.4
    assert result.error == "timed out after 0.5s" and result.state.failures == 1


def twenty_megabytes():
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>big</title>'
    yield head
    block = b"<!-- " + b"x" * 65_000 + b" -->"
    for _ in range(20 * 1024 * 1024 // len(block)):
        yield block


async def test_a_20mb_body_is_cut_off_at_the_limit(server, poll):
    server.route("/big.xml", twenty_megabytes)  # streamed, no Content-Length
    settings = PollerSettings(max_feed_bytes=2 * 1024 * 1024, host_interval_s=0)
    result = await poll(src(server, "/big.xml"), settings=settings)
    assert result.error == "body over the limit of 2097152 bytes (stopped reading)"
    # The poller stopped reading: the server could not send the whole 20 MB.
    time.sleep(0.3)
    assert server.sent_bytes.get("/big.xml", 0) < 20 * 1024 * 1024
    # With a Content-Length header the request is refused before reading.
    body = b"".join(twenty_megabytes())
    server.route("/big-declared.xml", body)
    declared = await poll(src(server, "/big-declared.xml"))  # default limit, 10 MB
    assert declared.error == f"body of {len(body)} bytes is over the limit of 10485760"


async def test_malformed_but_readable_xml_is_read_with_a_warning(server, poll):
    server.route("/sloppy.xml", fixture("malformed.xml"), content_type="text/xml")
    result = await poll(src(server, "/sloppy.xml"))
    assert result.error is None
    [item] = result.items
    assert item.id == "local:sloppy-1"
    assert item.title == "Council & mayor agree on new parking rules"
    assert "not well-formed" in result.state.warning
    # The entry the broken markup swallowed is recorded, not dropped.
    [skipped] = result.skipped
    assert skipped["kind"] == "no text" and "no title, summary or text" in skipped["reason"]


async def test_a_body_that_is_no_feed_is_an_error(server, poll):
    server.route("/page.html", fixture("article.html"), content_type="text/html")
    result = await poll(src(server, "/page.html"))
    assert result.error.startswith("not a readable feed (") and result.items == []
    assert result.state.failures == 1


async def test_entries_without_guid_or_link_get_stable_ids(server, poll):
    server.route("/bare.xml", fixture("no_ids.xml"))
    source = src(server, "/bare.xml")
    first = await poll(source)
    ids = [i.id for i in first.items]
    assert len(ids) == 2 and all(i.startswith("local:sha1:") for i in ids)
    assert len(set(ids)) == 2
    server.update(
        "/bare.xml", fixture("no_ids.xml").replace(b"Tuesday.", b"Tuesday, officials said.")
    )
    again = await poll(source, first.state)
    assert again.items == [] and again.known == 2  # same title + date: same story


async def test_non_utf8_encodings(server, poll):
    server.route("/latin1.xml", fixture("latin1.xml"), content_type="application/rss+xml")
    # windows-1251 named only in the HTTP header, not in the document.
    server.route(
        "/ru.xml", fixture("cp1251.xml"), content_type="application/xml; charset=windows-1251"
    )
    [latin] = (await poll(src(server, "/latin1.xml", name="latin"))).items
    assert latin.title == "Café owners in São Paulo protest new tax"
    assert "naïve plan" in latin.text
    russian = await poll(src(server, "/ru.xml", name="ru"))
    assert russian.items == []
    [skipped] = russian.skipped
    assert skipped["item"]["title"] == "Правительство утвердило новый бюджет на следующий год"
    assert skipped["kind"] == "language:ru"
    assert "language 'ru' (detected" in skipped["reason"]
    assert russian.state.skipped == {"language:ru": 1} and russian.state.skipped_total == 1


async def test_language_from_feed_and_source_settings(server, poll):
    french = rss(
        [{"title": "Le gouvernement présente son budget", "guid": "fr-1",
          "description": "Le ministre a présenté le projet de loi de finances mardi."}],
        language="fr-FR",
    )  # fmt: skip
    server.route("/fr.xml", french)
    result = await poll(src(server, "/fr.xml"))
    [skipped] = result.skipped
    assert skipped["kind"] == "language:fr" and "(feed)" in skipped["reason"]
    assert skipped["item"]["language"] == "fr"
    # The source's own setting wins over the feed's.
    forced = await poll(src(server, "/fr.xml", language="en"))
    assert [i.language for i in forced.items] == ["en"] and forced.skipped == []


async def test_redirects_are_followed(server, poll):
    server.route("/old.xml", location=server.url("/feed.xml"))
    server.route("/feed.xml", fixture("rss2.xml"))
    result = await poll(src(server, "/old.xml"))
    assert len(result.items) == 2


async def test_too_many_redirects(server, poll):
    server.route("/loop.xml", location=server.url("/loop.xml"))
    result = await poll(src(server, "/loop.xml"))
    assert result.error == "more than 5 redirects"


async def test_entries_older_than_the_retention_are_not_news(server, poll):
    old = {**ENTRIES[0], "pubDate": "Mon, 02 Jan 2006 10:00:00 GMT"}
    server.route("/feed.xml", rss([old, ENTRIES[1]]))
    result = await poll(src(server))
    assert [i.id for i in result.items] == ["local:s-2"] and result.too_old == 1
    assert result.state.too_old == 1


async def test_unreachable_host_is_an_error(poll):
    from tests.receivers import free_port

    source = Source(name="down", url=f"http://127.0.0.1:{free_port()}/feed.xml")
    result = await poll(source)
    assert result.error.startswith("ClientConnectorError") and result.state.failures == 1


def test_headlines_and_paragraphs_become_sentences_of_their_own():
    from stream.feeds.poll import item_text

    text = item_text("Big news today", "Big news today\nFirst paragraph\nIt ended.", 1000)
    assert text == "Big news today.\n\nFirst paragraph.\n\nIt ended."
    assert item_text("Is it over?", "", 1000) == "Is it over?"
    assert item_text(None, "  spaced   out  ", 1000) == "spaced out."
