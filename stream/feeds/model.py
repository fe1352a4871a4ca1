"""A feed source, as written under ``sources:`` or added with ``newswatch sources add``.

Sources from the config and sources added at runtime (records on the
compacted topic ``news.sources``) are the same model, so both are checked
the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from detectors.settings import ConfigError, parse_duration

# Names are topic keys and CLI arguments: keep them to one plain word.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"

# The shortest poll interval allowed, so a typo cannot hammer a server.
MIN_EVERY_S = 1.0


Seconds = Annotated[float, BeforeValidator(parse_duration)]


class Source(BaseModel):
    """One feed to follow.

    name (str): unique name; items carry it as ``source``. Letters, digits, ``._-``.
    url (str): the feed's http(s) URL.
    every (float): poll interval, "30s", "5m", "1h" or seconds. Defaults to 5m.
    full_text (bool): fetch each new entry's page and extract its main text.
        Defaults to false (the entry's summary is the text).
    language (str | None): the feed's language (ISO 639-1, e.g. "en"), overriding
        what the feed declares and what detection guesses. Defaults to None.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    url: str
    every: Seconds = 300.0
    full_text: bool = False
    language: str | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"expected an http:// or https:// URL, got {url!r}")
        return url.strip()

    @field_validator("every")
    @classmethod
    def _not_too_often(cls, every: float) -> float:
        if every < MIN_EVERY_S:
            raise ValueError(f"poll at most once a second (got {every}s)")
        return every

    @field_validator("language")
    @classmethod
    def _language_code(cls, language: str | None) -> str | None:
        if language is None:
            return None
        if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*", language):
            raise ValueError(f"expected a language code such as en or en-GB, got {language!r}")
        return language

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


def source_error(exc: ValidationError, prefix: str) -> ConfigError:
    """pydantic's first error as a ConfigError naming the key (``sources[1].every``)."""
    error = exc.errors()[0]
    key = prefix
    for part in error["loc"]:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = f"unknown setting; known settings are: {', '.join(Source.model_fields)}"
    elif error["type"] == "string_pattern_mismatch":
        message = "use letters, digits, '.', '_' or '-' (at most 64)"
    return ConfigError(key, message)


def load_sources(data: Any, key: str = "sources") -> list[Source]:
    """The ``sources:`` list checked; ConfigError names the key (``sources[1].every``)."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError(key, f"expected a list of sources (name, url, every, ...), got {data!r}")
    sources: list[Source] = []
    for i, entry in enumerate(data):
        try:
            source = Source.model_validate(entry)
        except ValidationError as exc:
            raise source_error(exc, f"{key}[{i}]") from None
        if any(s.name == source.name for s in sources):
            raise ConfigError(f"{key}[{i}].name", f"a source named {source.name!r} is listed twice")
        sources.append(source)
    return sources


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
