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

Subscriptions: users add URLs to a channel at run time. The store (a Faust
table in the stream) maps ``subscription_key(channel, url)`` to
``{"channel", "url", "active": bool, "at": POSIX seconds}``;
``effective_urls`` merges the channel's configured URLs with the active ones.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

import apprise
from apprise.manager_plugins import NotificationManager
from apprise.utils.cwe312 import cwe312_url

log = logging.getLogger(__name__)

_PLUGINS = NotificationManager()
_SCHEME = re.compile(r"^\s*([A-Za-z0-9+._-]{1,32})://")
# Query keys whose values are secrets (besides apprise's own masking).
_SECRET_KEY = re.compile(r"pass|secret|token|key|auth|sig|cred|session", re.I)
_MASK = "****"

#: Severity → apprise notification type (colour/icon on services that show one).
NOTIFY_TYPES = {"low": "info", "medium": "info", "high": "warning", "critical": "failure"}


@dataclass(frozen=True)
class DeliveryResult:
    """The outcome of delivering one message.

    ok (bool): every URL got the message (False if any URL was invalid or
        still failed after the retries, or if there was no URL at all).
    attempts (int): sending rounds made (1 = no retry; 0 = nothing could be sent).
    failed (list[str]): masked URLs that did not get the message.
    error (str): why, per failed URL; secrets are masked. "" when ok.
    delivered (list[str]): masked URLs that got it. Defaults to [].
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


async def _send_one(
    url: str,
    title: str,
    body: str,
    *,
    notify_type: str,
    body_format: str,
    timeout_s: float,
) -> tuple[bool, str]:
    """One attempt to one URL with a fresh apprise object; (ok, reason)."""
    manager = apprise.Apprise()
    if not manager.add(url):
        return False, "apprise could not load the URL"
    try:
        result = await manager.async_notify(
            body=body,
            title=title,
            notify_type=notify_type,
            body_format=body_format,
            timeout=timeout_s,
        )
    except Exception as exc:  # noqa: BLE001 - a plugin crash is a failed send
        return False, f"{type(exc).__name__}: {exc}"
    if result:
        return True, ""
    messages = [
        entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR", "CRITICAL")
    ]
    reason = messages[-1] if messages else f"apprise status {result.status.name}"
    return False, reason


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
    timeout_s: float = 60.0,
    skip: Collection[str] = (),
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
    timeout_s (float): limit for one round in seconds, 0 = none. Defaults to 60.
    skip (Collection[str]): masked URLs that already got this message (a
        redelivery after a partial failure); they are not sent again and
        count as delivered. Defaults to ().
    """
    problems: list[str] = []  # "where: why", joined into DeliveryResult.error
    failed: list[str] = []  # masked URLs that did not get the message
    masks: dict[str, str] = {}  # raw URL → masked, also used to scrub error text
    targets: list[str] = []
    for url in urls:
        masked = mask_url(url) if isinstance(url, str) else repr(url)
        if isinstance(url, str):
            masks[url] = masked
        reason = invalid_url_reason(url)
        if reason:
            failed.append(masked)
            problems.append(reason)
        else:
            targets.append(url)
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
                targets.append(url)
    targets = list(dict.fromkeys(targets))
    already = [masks[u] for u in targets if masks[u] in skip]
    targets = [u for u in targets if masks[u] not in skip]
    if not targets and not problems and not already:
        problems.append("no apprise URL to notify: the channel has no URLs or subscriptions")

    delivered: list[str] = list(already)
    pending = targets
    attempts = 0
    last_reason: dict[str, str] = {}
    while pending:
        attempts += 1
        outcomes = await asyncio.gather(
            *(
                _send_one(
                    url,
                    title,
                    body,
                    notify_type=notify_type,
                    body_format=body_format,
                    timeout_s=timeout_s,
                )
                for url in pending
            )
        )
        failed_now = []
        for url, (ok, reason) in zip(pending, outcomes, strict=True):
            if ok:
                delivered.append(masks[url])
            else:
                failed_now.append(url)
                last_reason[url] = reason
        pending = failed_now
        if not pending or attempts > retries:
            break
        wait = backoff_s * 2 ** (attempts - 1)
        log.info(
            "delivery attempt %d failed for %s; retrying in %.1fs",
            attempts,
            ", ".join(masks[u] for u in pending),
            wait,
        )
        await sleep(wait)
    for url in pending:
        failed.append(masks[url])
        reason = last_reason.get(url, "failed")
        problems.append(f"{masks[url]}: {reason} (gave up after {attempts} attempts)")
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
) -> DeliveryResult:
    """Deliver an Alert (or its dict) with the channel's URLs, tags and retry settings.

    alert (Alert | Mapping): the alert to send (title, body, severity).
    channel (Channel): its channel, from config.
    subscriptions (Mapping | None): the subscription store. Defaults to None.
    sleep (Callable): the coroutine used to wait between retries.
    skip (Collection[str]): masked URLs that already got this alert. Defaults to ().
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
        skip=skip,
    )
