"""A feed source, as written under ``sources:`` or added with ``newswatch sources add``.

Sources from the config and sources added at runtime (records on the
compacted topic ``news.sources``) are the same model, so both are checked
the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import model_validator

from detectors.settings import ConfigError, Duration, Settings

# Names are topic keys and CLI arguments: keep them to one plain word.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
LANGUAGE = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*")

# The shortest poll interval allowed, so a typo cannot hammer a server.
MIN_EVERY_S = 1.0


class Source(Settings):
    """One feed to follow: an entry of ``sources:``, or a record of ``news.sources``.

    name (str): unique name; items carry it as ``source``. Letters, digits, ``._-``.
    url (str): the feed's http(s) URL.
    every (Duration): poll interval, "30s", "5m", "1h" or seconds. Defaults to 5m.
    full_text (bool): fetch each new entry's page and extract its main text.
        Defaults to false (the entry's summary is the text).
    language (str | None): the feed's language (ISO 639-1, e.g. "en"), over what
        the feed declares and what detection guesses. Defaults to None.
    """

    name: str
    url: str
    every: Duration = 300.0
    full_text: bool = False
    language: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Source:
        if not NAME.fullmatch(self.name):
            raise ConfigError("name", "use letters, digits, '.', '_' or '-' (at most 64)")
        parts = urlsplit(self.url)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or self.url != self.url.strip()
        ):
            raise ConfigError("url", f"expected an http:// or https:// URL, got {self.url!r}")
        if self.every < MIN_EVERY_S:
            raise ConfigError("every", f"poll at most once a second (got {self.every:g}s)")
        if self.language is not None and not LANGUAGE.fullmatch(self.language):
            raise ConfigError(
                "language", f"expected a language code such as en or en-GB, got {self.language!r}"
            )
        return self

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


@dataclass(frozen=True)
class PollerSettings:
    """The poller's limits (the same for every source).

    timeout_s (float): a feed request that takes longer fails. Defaults to 20.
    max_feed_bytes (int): a feed body larger than this fails. Defaults to 10 MB.
    page_timeout_s (float): limit for one article page (full text). Defaults to 15.
    max_page_bytes (int): an article page larger than this is not read. Defaults to 5 MB.
    max_text_chars (int): item text is cut to this length. Defaults to 100,000.
    host_interval_s (float): least time between two requests to one host. Defaults to 1.
    max_redirects (int): redirects followed per request. Defaults to 5.
    max_backoff_s (float): longest wait after repeated failures. Defaults to 1h.
    concurrency (int): sources polled at the same time. Defaults to 8.
    seen_retention_s (float): how long an id is remembered after it left the feed;
        entries published before that are too old to be news. Defaults to 30 days.
    max_seen (int): ids remembered per source besides those in the feed now.
        Defaults to 5000.
    failing_log_s (float): a source failing this long is logged as such. Defaults to 1h.
    """

    timeout_s: float = 20.0
    max_feed_bytes: int = 10 * 1024 * 1024
    page_timeout_s: float = 15.0
    max_page_bytes: int = 5 * 1024 * 1024
    max_text_chars: int = 100_000
    host_interval_s: float = 1.0
    max_redirects: int = 5
    max_backoff_s: float = 3600.0
    concurrency: int = 8
    seen_retention_s: float = 30 * 86400.0
    max_seen: int = 5000
    failing_log_s: float = 3600.0
