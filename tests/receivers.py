"""Real local receivers for delivery tests: an HTTP endpoint and an SMTP server.

Both bind to 127.0.0.1 on a free port, run in a background thread, record
what they receive, and are used as context managers::

    with HttpReceiver() as hook:
        ...deliver to hook.url ("json://127.0.0.1:PORT/hook")...
        (payload,) = hook.wait_for(1)
        assert payload["title"] == "..."

    with SmtpReceiver() as smtp:
        ...deliver to smtp.url()...
        (mail,) = smtp.wait_for(1)
        assert "..." in mail["Subject"]

``free_port()`` gives a port nobody listens on, for "receiver is down" cases.
"""

from __future__ import annotations

import base64
import email
import email.policy
import json
import socket
import threading
import time
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait(items: list, lock: threading.Lock, count: int, timeout: float, what: str) -> list:
    deadline = time.monotonic() + timeout
    while True:
        with lock:
            if len(items) >= count:
                return list(items)
            got = len(items)
        if time.monotonic() >= deadline:
            raise TimeoutError(f"expected {count} {what} within {timeout}s, got {got}")
        time.sleep(0.01)


class HttpReceiver:
    """An HTTP server that records POSTed JSON bodies (an apprise ``json://`` target).

    path (str): the path in ``url``. Defaults to "/hook".
    port (int): port to listen on; 0 picks a free one. Defaults to 0.

    Attributes:
        url (str): ``json://127.0.0.1:PORT/path`` for apprise.
        http_url (str): the same endpoint as ``http://``.
        requests (list): parsed JSON bodies of successful requests, in order.
        hits (list): every request seen, as ``{"path", "headers", "body", "status"}``.
    """

    def __init__(self, path: str = "/hook", port: int = 0) -> None:
        self.path = path
        self.requests: list[Any] = []
        self.hits: list[dict[str, Any]] = []
        self._fail: list[int] = []
        self._delays: list[float] = []
        self.delay_s = 0.0  # answer every request this late (a slow receiver)
        self.fail_passwords: set[str] = set()  # answer 500 to these basic-auth passwords
        self.started: list[dict[str, Any]] = []  # every request, as soon as it is read
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = port

    def fail_next(self, n: int, status: int = 500) -> None:
        """Answer the next ``n`` requests with ``status`` (they are not recorded in requests)."""
        with self._lock:
            self._fail.extend([status] * n)

    def delay_next(self, n: int, seconds: float) -> None:
        """Answer the next ``n`` requests ``seconds`` late."""
        with self._lock:
            self._delays.extend([seconds] * n)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Any]:
        """Block until ``count`` successful requests arrived; return all of them."""
        return _wait(self.requests, self._lock, count, timeout, "HTTP requests")

    def wait_started(self, count: int, timeout: float = 10.0) -> list[Any]:
        """Block until ``count`` requests were read (answered or not); return them."""
        return _wait(self.started, self._lock, count, timeout, "HTTP requests started")

    @property
    def url(self) -> str:
        return f"json://{HOST}:{self.port}{self.path}"

    @property
    def http_url(self) -> str:
        return f"http://{HOST}:{self.port}{self.path}"

    def __enter__(self) -> HttpReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                auth = self.headers.get("Authorization", "")
                password = ""
                if auth.startswith("Basic "):
                    password = base64.b64decode(auth[6:]).decode().partition(":")[2]
                with receiver._lock:
                    receiver.started.append({"headers": dict(self.headers), "raw": raw})
                    delay = receiver._delays.pop(0) if receiver._delays else receiver.delay_s
                time.sleep(delay)
                with receiver._lock:
                    status = receiver._fail.pop(0) if receiver._fail else 200
                    if password in receiver.fail_passwords:
                        status = 500
                    try:
                        body = json.loads(raw) if raw else None
                    except ValueError:
                        body = raw.decode("utf-8", "replace")
                    receiver.hits.append(
                        {
                            "path": self.path,
                            "headers": dict(self.headers),
                            "body": body,
                            "status": status,
                            "password": password,
                        }
                    )
                    if status < 300:
                        receiver.requests.append(body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer((HOST, self.port), Handler)
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


class _Collect:
    """aiosmtpd handler that parses every DATA into an EmailMessage."""

    def __init__(self, owner: SmtpReceiver) -> None:
        self.owner = owner

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.owner._lock:
            self.owner.envelopes.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos)})
            self.owner.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpReceiver:
    """An aiosmtpd SMTP server that keeps every message it receives.

    Attributes:
        port (int): the listening port.
        messages (list): received mails as ``email.message.EmailMessage``.
        envelopes (list): ``{"from", "to"}`` of each SMTP transaction.
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None
        self.port = 0

    def url(self, sender: str = "a@example.com", to: str = "b@example.com") -> str:
        """An apprise ``mailto://`` URL that sends to this server."""
        return f"mailto://{HOST}:{self.port}?from={sender}&to={to}"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Block until ``count`` mails arrived; return all of them."""
        return _wait(self.messages, self._lock, count, timeout, "mails")

    @staticmethod
    def text(message: EmailMessage) -> str:
        """All text parts of a mail (plain and HTML), decoded and joined."""
        parts = message.walk() if message.is_multipart() else [message]
        return "\n".join(
            part.get_content() for part in parts if part.get_content_maintype() == "text"
        )

    def __enter__(self) -> SmtpReceiver:
        self.port = free_port()
        self._controller = Controller(_Collect(self), hostname=HOST, port=self.port)
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._controller is not None:
            self._controller.stop()
