"""Channels: where alerts go, which detections they want, and how often.

The ``channels:`` config section is a list; each entry is one channel::

    channels:
      - name: ops                           # required, unique
        urls: ["json://127.0.0.1:8765/hook"]
        min_severity: high
        actors: [NATO, UA]                  # a bloc also matches its members
        group_wait: 30s
        group_interval: 5m
        repeat_interval: 4h

Field reference (``ChannelSettings``) — the timings mean what they mean in
Prometheus Alertmanager:

name (str): the channel's name, unique among channels. Required.
urls (list[str]): apprise URLs to notify. Defaults to []; URLs added with
    ``newswatch subscribe`` join these at delivery time.
config (str): path of an apprise config file (text or YAML) with more URLs,
    the ``_file`` alternative for URLs that hold secrets. Defaults to None.
tags (list[str]): with ``config``, notify only the config's URLs that carry
    one of these tags (apprise tag filter; plain notify without tags would
    reach tagged URLs too, so they are passed explicitly). Defaults to [] =
    every URL of the config file.
detectors (list[str]): detector names this channel wants. Defaults to [] = all.
min_severity (str): lowest severity sent: low, medium, high or critical.
    Defaults to "low".
actors (list[str]): ISO 3166-1 alpha-2 codes or bloc names; a detection
    matches if its ``actors`` include one. A bloc also matches each of its
    member states. Defaults to [] = any.
title (str): title template (see ``alerts.templates``). Defaults to None =
    built-in title.
body (str): body template, filled once per detection. Defaults to None =
    built-in markdown body.
group_by (list[str]): what puts detections in one message: ``event`` (the
    event fingerprint) and label names (``detector``, ``severity``, ``actor``,
    ...). Defaults to [event]: one message per event. ``[detector]`` gives a
    digest per detector, ``[]`` one digest per channel.
group_wait (duration): how long a new group waits for more detections
    before its first notification. Defaults to 30s.
group_interval (duration): how long to wait before notifying detections
    added to a group that was notified recently. Defaults to 5m.
repeat_interval (duration): how long an event that was notified stays
    quiet: the same fingerprint is not sent again before this. Defaults to 4h.
timeout (duration): how long one delivery attempt waits for the service to
    answer; an attempt that times out may still have arrived, so it is retried
    only where the notification carries its idempotency key. Defaults to 30s.
retries (int): delivery attempts after the first one fails. Defaults to 3.
retry_backoff (duration): wait before the first retry; doubles each retry.
    Defaults to 2s.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import model_validator

from detectors.settings import ConfigError, Duration, Settings, load_settings

from .fields import Members, bloc_members, detection_actors, severity_rank
from .templates import check_template

Severity = Literal["low", "medium", "high", "critical"]


class ChannelSettings(Settings):
    """One entry of the ``channels:`` list; fields are documented in the module docstring."""

    name: str
    urls: list[str] = []
    config: str | None = None
    tags: list[str] = []
    detectors: list[str] = []
    min_severity: Severity = "low"
    actors: list[str] = []
    title: str | None = None
    body: str | None = None
    group_by: list[str] = ["event"]
    group_wait: Duration = 30.0
    group_interval: Duration = 300.0
    repeat_interval: Duration = 4 * 3600.0
    timeout: Duration = 30.0
    retries: int = 3
    retry_backoff: Duration = 2.0

    @model_validator(mode="after")
    def _checked(self) -> ChannelSettings:
        _check(self)
        return self


@dataclass(frozen=True)
class Channel:
    """A configured channel: its settings plus the filter that picks detections.

    settings (ChannelSettings): the checked config entry.
    members (Mapping | Callable | None): bloc name → member codes, used when
        ``settings.actors`` names a bloc. Defaults to None (blocs match only
        themselves).
    """

    settings: ChannelSettings
    members: Members | None = None

    @property
    def name(self) -> str:
        return self.settings.name

    def wanted_actors(self, members: Members | None = None) -> frozenset[str]:
        """The actor filter with each bloc expanded to its members, case-folded."""
        members = members if members is not None else self.members
        wanted: set[str] = set()
        for actor in self.settings.actors:
            wanted.add(actor.casefold())
            wanted.update(code.casefold() for code in bloc_members(members, actor))
        return frozenset(wanted)

    def accepts(self, detection: Mapping[str, Any], members: Members | None = None) -> bool:
        """Whether this channel wants ``detection`` (a wire dict).

        All filters must pass: ``detectors`` (name listed, or none listed),
        ``min_severity`` and ``actors`` (one of the detection's actors is
        listed or is a member of a listed bloc).

        detection (Mapping): a detection as ``Detection.to_dict()`` gives it.
        members (Mapping | Callable | None): bloc members to use instead of
            the channel's own. Defaults to None.
        """
        s = self.settings
        if s.detectors and detection.get("detector") not in s.detectors:
            return False
        if severity_rank(detection.get("severity")) < severity_rank(s.min_severity):
            return False
        if s.actors:
            wanted = self.wanted_actors(members)
            if not any(a.casefold() in wanted for a in detection_actors(detection)):
                return False
        return True


def _check(settings: ChannelSettings) -> None:
    """The checks a type annotation cannot express; raise ConfigError naming the key."""
    from .delivery import invalid_url_reason  # apprise is only needed here

    if not settings.name.strip() or any(ord(c) < 32 for c in settings.name):
        raise ConfigError("name", "a channel name must be non-empty printable text")
    for i, url in enumerate(settings.urls):
        reason = invalid_url_reason(url)
        if reason:
            raise ConfigError(f"urls[{i}]", reason)
    if settings.config is not None and not os.path.isfile(settings.config):
        raise ConfigError(
            "config",
            f"apprise config file not found: {settings.config!r} (paths are relative to "
            "the directory newswatch runs in)",
        )
    if settings.tags and not settings.config:
        raise ConfigError(
            "tags",
            "tags select URLs of the apprise 'config' file; set 'config' or remove 'tags'",
        )
    for name in ("detectors", "actors", "tags"):
        for i, value in enumerate(getattr(settings, name)):
            if not value.strip():
                raise ConfigError(f"{name}[{i}]", "must be non-empty text")
    _check_group_by(settings.group_by)
    if settings.retries < 0:
        raise ConfigError("retries", f"must be 0 or more, got {settings.retries}")
    for name in ("title", "body"):
        template = getattr(settings, name)
        if template is not None:
            check_template(template, f"{name}")


def _check_group_by(names: list[str]) -> None:
    """Each ``group_by`` name is ``event`` or a label some detection has."""
    from .silences import known_labels  # imports every detector kind

    known = known_labels()
    for i, name in enumerate(names):
        if name != "event" and name not in known:
            raise ConfigError(
                f"group_by[{i}]",
                f"unknown name {name!r}; use event or a label: {', '.join(known)}",
            )


def load_channel(data: Any, key: str, members: Members | None = None) -> Channel:
    """Check one ``channels:`` entry and build its Channel; raise ConfigError naming the key."""
    return Channel(load_settings(ChannelSettings, data, key), members)


def load_channels(
    section: Any, key: str = "channels", *, members: Members | None = None
) -> list[Channel]:
    """Build every channel of the ``channels:`` list; errors name e.g. ``channels[1].urls``.

    section (Any): the list under ``channels:`` (None = no channels).
    key (str): the config path of the list, used in errors. Defaults to "channels".
    members (Mapping | Callable | None): bloc name → member codes for the
        ``actors`` filters. Defaults to None.
    """
    if section is None:
        return []
    if not isinstance(section, list):
        raise ConfigError(key, f"expected a list of channels (each '- name: ...'), got {section!r}")
    channels = [load_channel(entry, f"{key}[{i}]", members) for i, entry in enumerate(section)]
    check_unique_names([c.settings for c in channels], key)
    return channels


def check_unique_names(channels: list[ChannelSettings], key: str = "channels") -> None:
    """Raise ConfigError at the second channel that takes a name already used."""
    seen: dict[str, int] = {}
    for i, channel in enumerate(channels):
        if channel.name in seen:
            raise ConfigError(
                f"{key}[{i}].name",
                f"duplicate channel name {channel.name!r} (also {key}[{seen[channel.name]}]); "
                "channel names must be unique",
            )
        seen[channel.name] = i
