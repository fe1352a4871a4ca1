"""Safe by default: loopback only unless told, a token for changes elsewhere, CSRF on forms.

- Bound to a loopback address, changing actions need no token (only local users
  reach the console). Bound anywhere else, ``newswatch web`` refuses to start
  without ``web.token`` (or ``web.token_file``), and every change needs it: as
  ``Authorization: Bearer TOKEN`` (API) or the ``nw_auth`` cookie that the
  /login form sets (browser).
- Every POST needs the CSRF token: a random value in the ``nw_csrf`` cookie,
  sent back in the form field ``csrf`` or the ``X-CSRF-Token`` header (the
  double-submit pattern: another site can neither read the cookie nor set the
  field). API clients that authenticate with the bearer token are exempt.
- Pages carry a Content-Security-Policy that allows no script at all (the
  console needs none), as a second line behind Jinja2's autoescape.

Starlette has no CSRF middleware and these few checks need no library.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from pathlib import Path

from fastapi import HTTPException, Request

from . import WebConfigError

CSRF_COOKIE, AUTH_COOKIE = "nw_csrf", "nw_auth"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def is_loopback(bind: str) -> bool:
    if bind == "localhost":
        return True
    try:
        return ipaddress.ip_address(bind).is_loopback
    except ValueError:
        return False


def load_token(token: str | None, token_file: str | None, bind: str) -> str | None:
    """The token changes need, or None on loopback without one; WebConfigError if missing."""
    if token_file:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise WebConfigError(f"web.token_file: cannot read {token_file}: {exc}") from exc
    if not token and not is_loopback(bind):
        raise WebConfigError(
            f"web.bind is {bind}, not a loopback address: set web.token (or web.token_file) "
            "so that only people with the token can change silences and subscriptions"
        )
    return token or None


class Guard:
    """Checks a request that changes something (token where needed, CSRF always)."""

    def __init__(self, token: str | None) -> None:
        self.token = token
        self.auth_value = (
            hashlib.sha256(f"newswatch-web:{token}".encode()).hexdigest() if token else None
        )

    def new_csrf(self) -> str:
        return secrets.token_urlsafe(24)

    def csrf_of(self, request: Request) -> str:
        """The browser's CSRF token (from its cookie), or a fresh one to set."""
        token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
        if not token:
            token = request.state.new_csrf = self.new_csrf()
        return token

    def bearer_ok(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        return header.startswith("Bearer ") and self.bearer_ok_value(header[7:])

    def bearer_ok_value(self, value: str) -> bool:
        """Whether ``value`` is the token (the /login form)."""
        return bool(self.token and hmac.compare_digest(value.strip(), self.token))

    def authorised(self, request: Request) -> bool:
        if self.token is None or self.bearer_ok(request):
            return True
        cookie = request.cookies.get(AUTH_COOKIE, "")
        return bool(self.auth_value and hmac.compare_digest(cookie, self.auth_value))

    def check(self, request: Request, form_csrf: str | None) -> None:
        """Raise 403 unless the request may change things."""
        if self.bearer_ok(request):
            return  # an API client holding the token: no browser, no CSRF
        if not self.authorised(request):
            raise HTTPException(403, "this action needs the console token (log in at /login)")
        cookie = request.cookies.get(CSRF_COOKIE, "")
        sent = form_csrf or request.headers.get("x-csrf-token", "")
        if not cookie or not sent or not hmac.compare_digest(cookie, sent):
            raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
