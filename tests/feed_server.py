"""A local HTTP server that serves feeds and pages the tests control.

Each path is a ``Route``: a body (bytes or a callable that yields chunks), a
content type, validators (ETag and Last-Modified, answered with 304 when a
request's If-None-Match / If-Modified-Since match), statuses to answer first
(a 500 before recovery), a delay (timeouts) and redirects. Every request is
recorded in ``hits`` with its headers, so tests can check what the poller
sent. Binds to 127.0.0.1 on a free port, in a background thread::

    with FeedServer() as server:
        server.route("/feed.xml", RSS, content_type="application/rss+xml")
        ...poll server.url("/feed.xml")...
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"


@dataclass
class Route:
    body: bytes | Callable[[], Iterator[bytes]] = b""
    content_type: str = "application/xml"
    etag: bool = True
    last_modified: float | None = None
    statuses: list[int] = field(default_factory=list)  # answered first, one per request
    status: int = 200
    delay_s: float = 0.0
    location: str | None = None  # a redirect target


class FeedServer:
    """Serves ``Route``s; see the module docstring."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[dict[str, Any]] = []
        self.sent_bytes: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def route(self, path: str, body: Any = b"", **settings: Any) -> Route:
        """Serve ``body`` (bytes, str or a chunk generator function) at ``path``."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        with self._lock:
            self.routes[path] = Route(body=body, **settings)
            return self.routes[path]

    def update(self, path: str, body: Any) -> None:
        """Change the body at ``path`` (a new ETag and Last-Modified follow)."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        with self._lock:
            route = self.routes[path]
            route.body = body
            if route.last_modified is not None:
                route.last_modified = max(time.time(), route.last_modified + 1)

    def hits_for(self, path: str) -> list[dict[str, Any]]:
        with self._lock:
            return [h for h in self.hits if h["path"] == path]

    def __enter__(self) -> FeedServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                with server._lock:
                    route = server.routes.get(self.path)
                    status = route.statuses.pop(0) if route and route.statuses else None
                    server.hits.append({"path": self.path, "headers": dict(self.headers)})
                if route is None:
                    return self._plain(404, b"not found")
                if route.delay_s:
                    time.sleep(route.delay_s)
                if status is not None and status != 200:
                    return self._plain(status, b"failing on purpose")
                if route.location:
                    self.send_response(route.status if route.status != 200 else 301)
                    self.send_header("Location", route.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if route.status != 200:
                    return self._plain(route.status, b"error page")
                body = route.body
                tag = None
                if isinstance(body, bytes) and route.etag:
                    tag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
                modified = (
                    formatdate(route.last_modified, usegmt=True) if route.last_modified else None
                )
                if tag and self.headers.get("If-None-Match") == tag:
                    return self._not_modified(tag, modified)
                since = self.headers.get("If-Modified-Since")
                if modified and since and not self.headers.get("If-None-Match"):
                    if parsedate_to_datetime(since).timestamp() >= int(route.last_modified):
                        return self._not_modified(tag, modified)
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                if tag:
                    self.send_header("ETag", tag)
                if modified:
                    self.send_header("Last-Modified", modified)
                if isinstance(body, bytes):
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self._write(body)
                    return None
                self.end_headers()
                for chunk in body():
                    if not self._write(chunk):
                        break
                return None

            def _write(self, data: bytes) -> bool:
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return False
                with server._lock:
                    server.sent_bytes[self.path] = server.sent_bytes.get(self.path, 0) + len(data)
                return True

            def _not_modified(self, tag: str | None, modified: str | None) -> None:
                self.send_response(304)
                if tag:
                    self.send_header("ETag", tag)
                if modified:
                    self.send_header("Last-Modified", modified)
                self.end_headers()

            def _plain(self, status: int, text: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self._write(text)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer((HOST, 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def rss(items: list[dict[str, str]], *, title: str = "Local Wire", language: str = "en") -> str:
    """An RSS 2.0 document with ``items`` (keys: title, link, guid, description, pubDate)."""
    from xml.sax.saxutils import escape

    parts = []
    for item in items:
        fields = "".join(
            f"<{key}>{escape(value)}</{key}>" for key, value in item.items() if value is not None
        )
        parts.append(f"<item>{fields}</item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://127.0.0.1/</link>"
        f"<description>test</description><language>{language}</language>"
        f"{''.join(parts)}</channel></rss>\n"
    )
