"""One HTTP GET for a feed or an article page, bounded and polite.

``fetch`` never raises for network trouble: it returns a ``FetchResult`` whose
``error`` says what went wrong (``HTTP 404``, ``timed out after 20s``, ``body
over 10485760 bytes``), so the poller records it as the source's last error.
The body is read in chunks and reading stops past the limit, so a huge or
endless response costs at most ``max_bytes`` of memory. aiohttp does the HTTP
(redirects, decompression — the limit counts decompressed bytes).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

USER_AGENT = "newswatch/0.1 (feed poller; +https://github.com/newswatch)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class FetchResult:
    """What one request gave.

    status (int | None): HTTP status, None when no response came.
    body (bytes): the body (empty for 304 and errors).
    url (str): the final URL after redirects.
    etag, last_modified (str | None): validators for the next conditional GET.
    content_type (str | None): the Content-Type header (its charset helps parsing).
    error (str | None): why this is not a usable response; None when it is.
    """

    status: int | None
    body: bytes = b""
    url: str = ""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    error: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class HostGate:
    """Spaces requests to one host by at least ``interval_s`` (politeness).

    Each caller reserves the next free slot for its host and sleeps until it, so
    requests to different hosts never wait for each other.
    """

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._next: dict[str, float] = {}

    async def wait(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        now = time.monotonic()
        slot = max(now, self._next.get(host, now))
        self._next[host] = slot + self.interval_s
        if slot > now:
            await asyncio.sleep(slot - now)


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    *,
    timeout_s: float,
    max_bytes: int,
    max_redirects: int = 5,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = FEED_ACCEPT,
    gate: HostGate | None = None,
) -> FetchResult:
    """GET ``url``; conditional when validators are given. Never raises for HTTP trouble."""
    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    if gate is not None:
        await gate.wait(url)
    try:
        async with asyncio.timeout(timeout_s):
            async with session.get(
                url, headers=headers, allow_redirects=True, max_redirects=max_redirects
            ) as response:
                final = str(response.url)
                kept = {
                    "url": final,
                    "etag": response.headers.get("ETag"),
                    "last_modified": response.headers.get("Last-Modified"),
                    "content_type": response.headers.get("Content-Type"),
                }
                if response.status == 304:
                    return FetchResult(304, **kept)
                if response.status >= 400:
                    reason = f"HTTP {response.status} {response.reason or ''}".strip()
                    return FetchResult(response.status, url=final, error=reason)
                if response.content_length is not None and response.content_length > max_bytes:
                    return FetchResult(
                        response.status,
                        url=final,
                        error=f"body of {response.content_length} bytes is over the "
                        f"limit of {max_bytes}",
                    )
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.content.iter_chunked(CHUNK_BYTES):
                    size += len(chunk)
                    if size > max_bytes:
                        return FetchResult(
                            response.status,
                            url=final,
                            error=f"body over the limit of {max_bytes} bytes (stopped reading)",
                        )
                    chunks.append(chunk)
                return FetchResult(response.status, body=b"".join(chunks), **kept)
    except TimeoutError:
        return FetchResult(None, url=url, error=f"timed out after {timeout_s:g}s")
    except aiohttp.TooManyRedirects:
        return FetchResult(None, url=url, error=f"more than {max_redirects} redirects")
    except aiohttp.InvalidURL as exc:
        return FetchResult(None, url=url, error=f"invalid URL: {exc}")
    except (aiohttp.ClientError, OSError) as exc:
        detail = str(exc) or exc.__class__.__name__
        return FetchResult(None, url=url, error=f"{exc.__class__.__name__}: {detail}")
