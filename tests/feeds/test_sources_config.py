"""The ``sources:`` section and the pieces of ``newswatch sources`` that need no broker."""

from __future__ import annotations

import pytest

from stream.config import ConfigFileError, load_config
from stream.feeds.commands import SourceRow, format_row, name_for
from stream.feeds.model import Source
from stream.feeds.state import SourceState, count_published


def write(tmp_path, text):
    path = tmp_path / "newswatch.yml"
    path.write_text(text)
    return path


def test_sources_section_with_defaults(tmp_path):
    config = load_config(
        write(
            tmp_path,
            "sources:\n"
            "  - name: wire\n"
            "    url: https://example.org/rss.xml\n"
            "  - name: desk\n"
            "    url: http://127.0.0.1:8080/atom\n"
            "    every: 30s\n"
            "    full_text: true\n"
            "    language: en-GB\n",
        )
    )
    wire, desk = config.sources
    assert (wire.name, wire.every, wire.full_text, wire.language) == ("wire", 300.0, False, None)
    assert (desk.every, desk.full_text, desk.language) == (30.0, True, "en-GB")


@pytest.mark.parametrize(
    ("entry", "key", "message"),
    [
        ("    url: https://e.org/f\n    every: often\n", "sources[0].every", "expected a duration"),
        ("    url: ftp://e.org/f\n", "sources[0].url", "expected an http:// or https:// URL"),
        ("    url: https://e.org/f\n    every: 0.1\n", "sources[0].every", "at most once a second"),
        (
            "    url: https://e.org/f\n    fulltext: true\n",
            "sources[0].fulltext",
            "unknown setting",
        ),
        ("    every: 5m\n", "sources[0].url", "required setting is missing"),
    ],
)
def test_bad_sources_name_the_file_line_and_key(tmp_path, entry, key, message):
    path = write(tmp_path, "kafka: {}\nsources:\n  - name: wire\n" + entry)
    with pytest.raises(ConfigFileError) as raised:
        load_config(path)
    assert raised.value.key == key and message in str(raised.value)
    assert str(raised.value).startswith(f"{path}:")
    assert raised.value.line is not None and raised.value.line >= 3


def test_bad_names_and_duplicates(tmp_path):
    with pytest.raises(ConfigFileError, match=r"sources\[0\]\.name: use letters"):
        load_config(write(tmp_path, "sources:\n  - {name: 'a b', url: 'https://e.org/f'}\n"))
    twice = (
        "sources:\n  - {name: a, url: 'https://e.org/f'}\n  - {name: a, url: 'https://e.org/g'}\n"
    )
    with pytest.raises(ConfigFileError, match=r"sources\[1\]\.name: .* listed twice"):
        load_config(write(tmp_path, twice))


def test_names_from_urls_are_unique():
    assert name_for("https://www.bbc.co.uk/news/rss.xml", set()) == "bbc.co.uk"
    assert name_for("https://www.bbc.co.uk/x", {"bbc.co.uk", "bbc.co.uk-2"}) == "bbc.co.uk-3"
    assert name_for("http://127.0.0.1:8000/feed", set()) == "127.0.0.1"


def test_the_health_lines_of_sources_list():
    source = Source(name="wire", url="https://e.org/f", every=300, full_text=True)
    state = SourceState(
        "wire",
        last_poll=1000.0,
        last_success=400.0,
        last_status=500,
        last_error="HTTP 500 Internal Server Error",
        failures=3,
        failing_since=600.0,
        backoff_until=2000.0,
        skipped={"language:fr": 2},
        skipped_total=2,
        entries=20,
    )
    count_published(state, 7, 500.0)
    text = format_row(SourceRow(source, "runtime", state), 1000.0)
    assert "wire  https://e.org/f  (every 5m, runtime, full text)" in text
    assert "last poll 0s ago (HTTP 500), last success 10m ago" in text
    assert "last error: HTTP 500 Internal Server Error (3 in a row, for 7m)" in text
    assert "backing off: next try in 1000s" in text
    assert "items 7 total, 7 in the last day; skipped 2 (language:fr 2)" in text
    fresh = format_row(SourceRow(source, "config", SourceState("wire")), 1000.0)
    assert "last poll never" in fresh and "backing off" not in fresh


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"url": "ftp://e.org/f"}, "url: expected an http:// or https:// URL"),
        ({"url": "https://e.org/f", "every": "soon"}, "every: expected a duration"),
        ({"url": "https://e.org/f", "name": "a/b"}, "name: use letters, digits"),
        ({"url": "https://e.org/f", "language": "English!"}, "language: expected a language"),
    ],
)
def test_sources_add_rejects_bad_options_before_reaching_kafka(tmp_path, options, message):
    from stream.feeds.commands import SourceError, add_source

    # The broker address is unused: bad options fail before any connection.
    config = load_config(write(tmp_path, "kafka: {bootstrap: '127.0.0.1:1'}\n"))
    with pytest.raises(SourceError, match=message):
        add_source(config, options.pop("url"), **options)
