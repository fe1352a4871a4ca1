"""Deliver a rendered alert through apprise, retrying only the URLs that failed.

``deliver`` sends one title/body to a list of apprise URLs (and, optionally,
the URLs of an apprise config file selected by tags) with apprise's async
API, reads the per-URL result, and retries the failed URLs with exponential
backoff (``backoff_s``, then twice that, ...). The result names failed URLs
only in masked form; error text is scrubbed of anything the mask hides.

Every attempt builds fresh apprise objects, one per URL. Apprise throttles
per URL *object* (e-mail waits 5.5 s between two sends from one object), so
a long-lived object would stall the second alert to the same mailbox; a
fresh object has no previous send to wait for. Parallel sends then run
concurrently, one ``Apprise`` per URL, which also makes the per-URL result
unambiguous.

Deliveries are recognised by keys, never by masked URLs (two URLs that differ
only in a password mask alike): ``url_key`` is a stable hash of the whole
secret-bearing URL, and every notification carries ``idempotency_key`` (alert
id + URL key) as an ``Idempotency-Key`` header and an ``idempotency_key``
field on the services that take them (json://, form://, xml:// and their
https forms), so a receiver can recognise a repeat. An attempt that may have
reached a service without such a key (a read time-out) is not retried.

Subscriptions: users add URLs to a channel at run time. The store (a Faust
table in the stream) maps ``subscription_key(channel, url)`` to
``{"channel", "url", "active": bool, "at": POSIX seconds}``;
``effective_urls`` merges the channel's configured URLs with the active ones.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

import apprise
from apprise.manager_plugins import NotificationManager
from apprise.plugins.custom_json import NotifyJSON
from apprise.utils.cwe312 import cwe312_url

from .payload import PAYLOAD_FIELD, alert_fields

log = logging.getLogger(__name__)

_PLUGINS = NotificationManager()
_SCHEME = re.compile(r"^\s*([A-Za-z0-9+._-]{1,32})://")
# Query keys whose values are secrets (besides apprise's own masking).
_SECRET_KEY = re.compile(r"pass|secret|token|key|auth|sig|cred|session", re.I)
_MASK = "****"

#: Severity → apprise notification type (colour/icon on services that show one).
NOTIFY_TYPES = {"low": "info", "medium": "info", "high": "warning", "critical": "failure"}


#: Header and JSON field that carry a notification's idempotency key.
IDEMPOTENCY_HEADER, IDEMPOTENCY_FIELD = "Idempotency-Key", "idempotency_key"


@dataclass(frozen=True)
class DeliveryResult:
    """The outcome of delivering one message.

    ok (bool): every URL got the message (False if any URL was invalid or
        still failed after the retries, or if there was no URL at all).
    attempts (int): sending rounds made (1 = no retry; 0 = nothing could be sent).
    failed (list[str]): URLs that did not get the message, as ``display_urls`` shows them.
    error (str): why, per failed URL; secrets are masked. "" when ok.
    delivered (list[str]): ``url_key`` of each URL that got it. Defaults to [].
    """

    ok: bool
    attempts: int
    failed: list[str]
    error: str = ""
    delivered: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "attempts": self.attempts,
            "failed": list(self.failed),
            "error": self.error,
            "delivered": list(self.delivered),
        }


def url_key(url: str) -> str:
    """A stable key for one secret-bearing URL (its masked form is not unique)."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def idempotency_key(alert_id: str, url: str) -> str:
    """The key a receiver sees on every attempt of one alert to one URL.

    The alert id plus the URL's key (not its position in the channel, which
    changes as subscriptions come and go).
    """
    return f"{alert_id}.{url_key(url)[:8]}"


def display_urls(urls: list[str]) -> list[str]:
    """``urls`` masked; where two mask alike, each gets ``#N`` (its place in the list)."""
    masked = [mask_url(u) for u in urls]
    return [f"{m} #{i}" if masked.count(m) > 1 else m for i, m in enumerate(masked, start=1)]


def subscription_key(channel: str, url: str) -> str:
    """The subscription store key for ``url`` on ``channel``."""
    return f"{channel}\x00{url}"


def subscription(channel: str, url: str, *, active: bool = True, at: float = 0.0) -> dict:
    """A subscription store value (JSON-safe)."""
    return {"channel": channel, "url": url, "active": active, "at": at}


def effective_urls(channel: Any, subscriptions: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The channel's configured URLs, then its active subscriptions (oldest first), no repeats.

    channel (Channel | ChannelSettings): the channel.
    subscriptions (Mapping): ``subscription_key`` → ``{"channel", "url", "active", "at"}``.
    """
    settings = getattr(channel, "settings", channel)
    name = settings.name
    subscribed = sorted(
        (
            (float(s.get("at") or 0.0), str(s["url"]))
            for s in subscriptions.values()
            if s.get("channel") == name and s.get("active", True) and s.get("url")
        ),
    )
    return list(dict.fromkeys([*settings.urls, *(url for _, url in subscribed)]))


def _split_query(url: str) -> tuple[str, list[tuple[str, str]]]:
    head, sep, query = url.partition("?")
    pairs = []
    for part in query.split("&") if sep else []:
        if part:
            k, _, v = part.partition("=")
            pairs.append((unquote(k), unquote(v)))
    return head, pairs


def _tidy(masked: str, original: str | None) -> str:
    """Mask header/payload/secret query values; keep only query keys the original had."""
    head, pairs = _split_query(masked)
    if original is not None:
        wanted = {k.lower() for k, _ in _split_query(original)[1]}
        pairs = [(k, v) for k, v in pairs if k.lower() in wanted]
    out = []
    for k, v in pairs:
        if v and (k[:1] in "+:" or _SECRET_KEY.search(k)):
            v = _MASK
        out.append(f"{quote(k, safe='+:-_.')}={quote(v, safe='@.,*')}")
    return head + ("?" + "&".join(out) if out else "")


def mask_url(url: str) -> str:
    """``url`` with its secrets masked, for logs, errors and records.

    Uses apprise's privacy mode (``url(privacy=True)``), then also masks
    query values apprise leaves readable (``+Header=``, ``:field=``, keys
    like token/key/secret) and drops the defaults apprise adds. A URL apprise
    cannot parse is shown as ``scheme://****`` (as far as it can be read).
    """
    plugin = apprise.Apprise.instantiate(url) if isinstance(url, str) else None
    if plugin is not None:
        return _tidy(plugin.url(privacy=True), url)
    match = _SCHEME.match(url) if isinstance(url, str) else None
    if not match:
        return "(not a URL)"
    try:
        masked = cwe312_url(url)
    except Exception:  # noqa: BLE001 - masking must never fail
        masked = None
    if not masked or masked == url:
        return f"{match.group(1)}://{_MASK}"
    return _tidy(masked, url)


def invalid_url_reason(url: Any) -> str | None:
    """None if apprise can use ``url``; else a message that names it (masked) and the fix."""
    if not isinstance(url, str) or not url.strip():
        return f"expected an apprise URL such as json://host/path, got {url!r}"
    match = _SCHEME.match(url)
    if not match:
        return (
            f"not an apprise URL: {mask_url(url)}; apprise URLs look like "
            "json://host/path or mailto://user:pass@example.com"
        )
    scheme = match.group(1).lower()
    if scheme not in _PLUGINS:
        return (
            f"unknown apprise scheme {scheme!r} in {mask_url(url)}; see "
            "https://github.com/caronc/apprise/wiki for the supported services"
        )
    if not _PLUGINS[scheme].enabled:
        return f"apprise service {scheme}:// is disabled here (a dependency is missing)"
    if apprise.Apprise.instantiate(url) is None:
        service = getattr(_PLUGINS[scheme], "service_name", scheme)
        return (
            f"invalid {service} URL {mask_url(url)}: a required part is missing or malformed; "
            f"see the {scheme}:// page of the apprise wiki"
        )
    return None


def _secrets(raw: str, masked: str) -> list[str]:
    """Pieces of ``raw`` that its masked form hides, longest first (to scrub from text).

    The raw URL itself is included when it hides anything, so it is replaced whole.
    """

    def pieces(text: str) -> set[str]:
        found = set()
        for form in (text, unquote(text)):
            found.update(p for p in re.split(r"[/:@?&=#,+\s]+", form) if len(p) >= 4)
        return found

    hidden = pieces(raw) - pieces(masked)
    if not hidden:
        return []
    return sorted(hidden | {raw, unquote(raw)}, key=len, reverse=True)


def scrub(text: str, urls: Mapping[str, str]) -> str:
    """``text`` with every secret of ``urls`` (raw → masked) replaced: whole URLs by
    their masked form, other hidden pieces (passwords, tokens) by ``****``."""
    for raw, masked in urls.items():
        for secret in _secrets(raw, masked):
            text = text.replace(secret, masked if secret in (raw, unquote(raw)) else _MASK)
    return text


def _config_urls(config_path: str, tags: list[str] | None) -> list[str]:
    """The URLs of an apprise config file, filtered by tags (OR) when tags are given."""
    config = apprise.AppriseConfig()
    if not config.add(config_path):
        raise ValueError(f"cannot read apprise config file {config_path!r}")
    manager = apprise.Apprise()
    manager.add(config)
    tag = list(tags) if tags else apprise.common.MATCH_ALL_TAG
    return [service.url() for service in manager.find(tag=tag)]


def _prepare(
    url: str, key: str | None, timeout_s: float, fields: Mapping[str, Any] | None = None
) -> tuple[Any, bool]:
    """A fresh apprise plugin for ``url`` with our timeout, idempotency key and fields.

    Returns (plugin or None, whether the key travels with the notification).
    ``fields`` (name → JSON value) join what a json:// URL posts, beside
    apprise's title and message (``alerts.payload``); other services, which
    show text to people, get the markdown only.
    The read time-out is ``timeout_s`` unless the URL sets ``rto`` itself
    (apprise's own default of 4 s cuts off a webhook that takes 5 s to answer).
    """
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        return None, False
    if timeout_s > 0 and "rto=" not in url.partition("?")[2]:
        plugin.socket_read_timeout = timeout_s
    if fields and isinstance(plugin, NotifyJSON):
        for name, value in fields.items():  # a URL's own ":name=" setting wins
            plugin.payload_extras.setdefault(name, value)
    headers = getattr(plugin, "headers", None)
    if key is None or not isinstance(headers, dict):
        return plugin, False
    headers[IDEMPOTENCY_HEADER] = key
    extras = getattr(plugin, "payload_extras", None)
    if isinstance(extras, dict):  # json://, form://: one more field in what is posted
        extras[IDEMPOTENCY_FIELD] = key
    return plugin, True


async def _send_one(
    url: str,
    title: str,
    body: str,
    *,
    notify_type: str,
    body_format: str,
    timeout_s: float,
    key: str | None = None,
    fields: Mapping[str, Any] | None = None,
) -> tuple[bool, str, bool]:
    """One attempt to one URL with a fresh apprise object: (ok, reason, may retry).

    Apprise reports a refused connection and a read time-out alike, so a
    failure that took as long as the read time-out counts as a time-out: the
    service may have it, and without a key to go with it, it is not retried.
    """
    plugin, carries_key = _prepare(url, key, timeout_s, fields)
    manager = apprise.Apprise()
    if plugin is None or not manager.add(plugin):
        return False, "apprise could not load the URL", False
    started = time.monotonic()
    try:
        result = await manager.async_notify(
            body=body, title=title, notify_type=notify_type, body_format=body_format
        )
    except Exception as exc:  # noqa: BLE001 - a plugin crash is a failed send
        return False, f"{type(exc).__name__}: {exc}", True
    if result:
        return True, "", True
    messages = [
        entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR", "CRITICAL")
    ]
    reason = messages[-1] if messages else f"apprise status {result.status.name}"
    read_timeout = float(getattr(plugin, "socket_read_timeout", 0) or 0)
    if read_timeout and time.monotonic() - started >= 0.9 * read_timeout:
        reason += f" (no answer within {read_timeout:g}s)"
        if not carries_key:
            return False, reason + "; it may have arrived, so it is not sent again", False
    return False, reason, True


async def deliver(
    urls: list[str],
    title: str,
    body: str,
    *,
    config_path: str | None = None,
    tags: list[str] | None = None,
    retries: int = 3,
    backoff_s: float = 2.0,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    notify_type: str = "info",
    body_format: str = "markdown",
    timeout_s: float = 30.0,
    skip: Collection[str] = (),
    alert_id: str | None = None,
    on_attempt: Callable[[list[str], list[str]], Awaitable[Any]] | None = None,
    fields: Mapping[str, Any] | None = None,
) -> DeliveryResult:
    """Send ``title``/``body`` to every URL; retry the failed ones with exponential backoff.

    urls (list[str]): apprise URLs (secrets included; never logged unmasked).
    title (str): the message title.
    body (str): the message body, in ``body_format``.
    config_path (str | None): an apprise config file whose URLs are added.
        Defaults to None.
    tags (list[str] | None): with ``config_path``, only its URLs tagged with
        one of these. Defaults to None (all of its URLs).
    retries (int): extra rounds for URLs that failed. Defaults to 3.
    backoff_s (float): wait before the first retry; doubles each retry.
        Defaults to 2.0.
    sleep (Callable): the coroutine used to wait (tests inject a fast one).
        Defaults to asyncio.sleep.
    notify_type (str): apprise type: info, success, warning, failure.
        Defaults to "info".
    body_format (str): markdown, text or html. Defaults to "markdown".
    timeout_s (float): how long one attempt waits for the service's answer.
        Defaults to 30.
    skip (Collection[str]): ``url_key`` of URLs that already got this message
        (a redelivery after a partial failure); they are not sent again and
        count as delivered. Defaults to ().
    alert_id (str | None): gives each URL its ``idempotency_key``. Defaults to None.
    on_attempt (Callable | None): awaited before each round with the ``url_key``
        of the URLs about to be sent and of those delivered so far, so a crash
        mid-send is known. Defaults to None.
    fields (Mapping | None): JSON fields added to what json:// URLs post.
        Defaults to None.
    """
    problems: list[str] = []  # "where: why", joined into DeliveryResult.error
    failed: list[str] = []  # display forms of URLs that did not get the message
    masks: dict[str, str] = {}  # raw URL → masked, used to scrub error text
    candidates: list[str] = []
    for url in urls:
        reason = invalid_url_reason(url)
        if isinstance(url, str):
            masks[url] = mask_url(url)
        if reason:
            failed.append(masks.get(url, repr(url)))
            problems.append(reason)
        else:
            candidates.append(url)
    if config_path:
        try:
            from_config = _config_urls(config_path, tags)
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            problems.append(f"{config_path}: {exc}")
        else:
            if not from_config:
                tagged = f" tagged {', '.join(tags)}" if tags else ""
                problems.append(f"apprise config {config_path!r} has no URL{tagged}")
            for url in from_config:
                masks.setdefault(url, mask_url(url))
                candidates.append(url)
    candidates = list(dict.fromkeys(candidates))
    shown = dict(zip(candidates, display_urls(candidates), strict=True))
    already = [url_key(u) for u in candidates if url_key(u) in skip]
    pending = [u for u in candidates if url_key(u) not in skip]
    if not pending and not problems and not already:
        problems.append("no apprise URL to notify: the channel has no URLs or subscriptions")

    delivered: list[str] = list(already)
    attempts = 0
    last_reason: dict[str, str] = {}
    while pending:
        attempts += 1
        if on_attempt is not None:
            await on_attempt([url_key(u) for u in pending], list(delivered))
        outcomes = await asyncio.gather(
            *(
                _send_one(
                    url,
                    title,
                    body,
                    notify_type=notify_type,
                    body_format=body_format,
                    timeout_s=timeout_s,
                    key=idempotency_key(alert_id, url) if alert_id else None,
                    fields=fields,
                )
                for url in pending
            )
        )
        retry, given_up = [], []
        for url, (ok, reason, may_retry) in zip(pending, outcomes, strict=True):
            if ok:
                delivered.append(url_key(url))
            else:
                last_reason[url] = reason
                (retry if may_retry else given_up).append(url)
        for url in given_up:
            failed.append(shown[url])
            problems.append(f"{shown[url]}: {last_reason[url]} (attempt {attempts})")
        pending = retry
        if not pending or attempts > retries:
            break
        wait = backoff_s * 2 ** (attempts - 1)
        log.info(
            "delivery attempt %d failed for %s; retrying in %.1fs",
            attempts,
            ", ".join(shown[u] for u in pending),
            wait,
        )
        await sleep(wait)
    for url in pending:
        failed.append(shown[url])
        reason = last_reason.get(url, "failed")
        problems.append(f"{shown[url]}: {reason} (gave up after {attempts} attempts)")
    error = scrub("; ".join(problems), masks)
    return DeliveryResult(
        ok=not problems, attempts=attempts, failed=failed, error=error, delivered=delivered
    )


async def deliver_alert(
    alert: Any,
    channel: Any,
    subscriptions: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    skip: Collection[str] = (),
    on_attempt: Callable[[list[str], list[str]], Awaitable[Any]] | None = None,
) -> DeliveryResult:
    """Deliver an Alert (or its dict) with the channel's URLs, tags and retry settings.

    alert (Alert | Mapping): the alert to send (title, body, severity).
    channel (Channel): its channel, from config.
    subscriptions (Mapping | None): the subscription store. Defaults to None.
    sleep (Callable): the coroutine used to wait between retries.
    skip (Collection[str]): ``url_key`` of URLs that already got this alert. Defaults to ().
    on_attempt (Callable | None): see ``deliver``. Defaults to None.
    """
    settings = getattr(channel, "settings", channel)
    data = alert.to_dict() if hasattr(alert, "to_dict") else dict(alert)
    return await deliver(
        effective_urls(settings, subscriptions or {}),
        data["title"],
        data["body"],
        config_path=settings.config,
        tags=list(settings.tags) or None,
        retries=settings.retries,
        backoff_s=settings.retry_backoff,
        sleep=sleep,
        notify_type=NOTIFY_TYPES.get(str(data.get("severity")), "info"),
        timeout_s=settings.timeout,
        skip=skip,
        alert_id=str(data["id"]) if data.get("id") else None,
        on_attempt=on_attempt,
        fields={PAYLOAD_FIELD: alert_fields(data)},
    )
