"""The config file: one YAML document, validated at start.

Where it comes from, in order: ``--config F``, ``$NEWSWATCH_CONFIG``,
``./newswatch.yml``; with none of them, the defaults. ``$NEWSWATCH_KAFKA_BOOTSTRAP``
overrides ``kafka.bootstrap``. The whole file is one pydantic model,
``NewswatchConfig``, validated once: it holds each part's own settings model
(detector kinds, rules and channels declare theirs in their packages), and
validating it also loads the gazetteer and builds the detectors the worker
then uses. An error names the file, the line and the key, and says what was
expected.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import model_validator

from alerts.channels import Channel, ChannelSettings, check_unique_names
from alerts.novelty import RoutingSettings
from detectors.config import DetectorConfig
from detectors.settings import ConfigError, Duration, Settings, load_settings

from .feeds.model import Source

DEFAULT_PATH = Path("newswatch.yml")


class KafkaSettings(Settings):
    """The ``kafka`` section.

    bootstrap (str): broker address(es), host:port[,host:port]. Defaults to "127.0.0.1:9092".
    app_id (str): Faust app id, also the consumer group. Defaults to "newswatch".
    topic_prefix (str): prepended to every topic name (to share a broker). Defaults to "".
    partitions (int): partitions of every topic and table; fixed once created. Defaults to 4.
    session_timeout_s (float): how long the group waits for a silent (crashed) worker before
        giving its partitions to the others. Defaults to 10.0.
    """

    bootstrap: str = "127.0.0.1:9092"
    app_id: str = "newswatch"
    topic_prefix: str = ""
    partitions: int = 4
    session_timeout_s: float = 10.0

    @model_validator(mode="after")
    def _check(self) -> KafkaSettings:
        if self.partitions < 1:
            raise ConfigError("partitions", "expected a whole number of at least 1")
        if not 6 <= self.session_timeout_s <= 1800:
            raise ConfigError(
                "session_timeout_s", "expected seconds between 6 and 1800 (the broker's limits)"
            )
        return self


class WorkerSettings(Settings):
    """The ``worker`` section.

    max_item_bytes (int): larger items go to the dead-letter topic. Defaults to 1048576 (1 MB).
    batch_size (int): items parsed together when they queue. Defaults to 16.
    batch_wait_s (float): how long to wait for a batch to fill. Defaults to 0.05.
    item_budget_s (float): seconds one item may take in detection; a slower item is
        dead-lettered with the reason. Defaults to 30.0.
    """

    max_item_bytes: int = 1024 * 1024
    batch_size: int = 16
    batch_wait_s: float = 0.05
    item_budget_s: float = 30.0

    @model_validator(mode="after")
    def _check(self) -> WorkerSettings:
        for key in ("batch_size", "max_item_bytes"):
            if getattr(self, key) < 1:
                raise ConfigError(key, "expected a whole number of at least 1")
        if self.batch_wait_s < 0:
            raise ConfigError("batch_wait_s", "expected seconds, 0 or more")
        if self.item_budget_s <= 0:
            raise ConfigError("item_budget_s", "expected seconds, more than 0")
        return self


class MetricsSettings(Settings):
    """The ``metrics`` section: each worker's Prometheus endpoint (also /health, /ready).

    port (int | None): TCP port; 0 picks a free one (logged), null turns it off.
        Defaults to 9464.
    bind (str): address to listen on. Defaults to "127.0.0.1".
    """

    port: int | None = 9464
    bind: str = "127.0.0.1"


class WebSettings(Settings):
    """The ``web`` section: ``newswatch web``, the console.

    port (int): TCP port. Defaults to 8080.
    bind (str): address to listen on; any other than loopback needs a token. Defaults
        to "127.0.0.1".
    token (str | None): token that changing actions need when not bound to loopback.
        Defaults to None.
    token_file (str | None): file holding the token (the ``_file`` alternative).
        Defaults to None.
    """

    port: int = 8080
    bind: str = "127.0.0.1"
    token: str | None = None
    token_file: str | None = None


class HistorySettings(Settings):
    """The ``history`` section: the console's SQLite copy of the topics.

    path (str | None): the database file. Defaults to None: history.db in
        $NEWSWATCH_HOME (./.newswatch).
    retention (Duration): records older than this are deleted. Defaults to 90d.
    """

    path: str | None = None
    retention: Duration = 90 * 86400.0


class NewswatchConfig(DetectorConfig):
    """The whole config file: the detector sections plus the stream's and the alerts'.

    kafka (KafkaSettings): the broker and topics.
    worker (WorkerSettings): batching and item size limits.
    channels (list[ChannelSettings]): where alerts go (see ``alerts.channels``).
    routing (RoutingSettings): novelty windows (see ``alerts.novelty``).
    sources (list[Source]): feeds to follow (see ``stream.feeds.model``).
    metrics (MetricsSettings): the worker's metrics port.
    web (WebSettings): the console.
    history (HistorySettings): the console's history database.
    """

    kafka: KafkaSettings = KafkaSettings()
    worker: WorkerSettings = WorkerSettings()
    channels: list[ChannelSettings] = []
    routing: RoutingSettings = RoutingSettings()
    sources: list[Source] = []
    metrics: MetricsSettings = MetricsSettings()
    web: WebSettings = WebSettings()
    history: HistorySettings = HistorySettings()

    @model_validator(mode="after")
    def _unique_channels(self) -> NewswatchConfig:
        check_unique_names(self.channels)
        return self

    @model_validator(mode="after")
    def _unique_sources(self) -> NewswatchConfig:
        seen: set[str] = set()
        for i, source in enumerate(self.sources):
            if source.name in seen:
                raise ConfigError(
                    f"sources[{i}].name", f"a source named {source.name!r} is listed twice"
                )
            seen.add(source.name)
        return self


#: The top-level sections of the config file.
SECTIONS = tuple(NewswatchConfig.model_fields)


@dataclass
class Config:
    """The validated config, where it came from, and its channels ready to route."""

    path: Path | None
    raw: dict[str, Any]
    settings: NewswatchConfig

    @property
    def kafka(self) -> KafkaSettings:
        return self.settings.kafka

    @property
    def worker(self) -> WorkerSettings:
        return self.settings.worker

    @property
    def routing(self) -> RoutingSettings:
        return self.settings.routing

    @property
    def sources(self) -> list[Source]:
        return self.settings.sources

    @property
    def metrics(self) -> MetricsSettings:
        return self.settings.metrics

    @property
    def web(self) -> WebSettings:
        return self.settings.web

    @property
    def history(self) -> HistorySettings:
        return self.settings.history

    @property
    def channels(self) -> list[Channel]:
        """The configured channels; bloc names in ``actors`` match their members."""
        members = self.settings.gazetteer.members
        return [Channel(settings, members) for settings in self.settings.channels]

    def topic(self, name: str) -> str:
        """Full topic name: ``topic("news.items")`` → ``<prefix>news.items``."""
        return f"{self.kafka.topic_prefix}{name}"


class ConfigFileError(Exception):
    """A config problem, with file and line where known."""

    def __init__(self, path: Path | None, line: int | None, key: str, message: str) -> None:
        where = str(path) if path else "config"
        if line:
            where += f":{line}"
        self.key, self.line = key, line
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


def find_config(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The config path to use, or None for built-in defaults."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("NEWSWATCH_CONFIG")
    if env:
        return Path(env)
    return DEFAULT_PATH if DEFAULT_PATH.exists() else None


def _key_lines(node: yaml.Node, prefix: str = "", out: dict[str, int] | None = None) -> dict:
    """Map dotted key paths (``channels[0].urls``) to 1-based line numbers."""
    out = {} if out is None else out
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            out[path] = key_node.start_mark.line + 1
            _key_lines(value_node, path, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = f"{prefix}[{i}]"
            out[path] = item.start_mark.line + 1
            _key_lines(item, path, out)
    return out


def check_duplicate_keys(node: yaml.Node | None, path: Path | None, prefix: str = "") -> None:
    """Raise ConfigFileError at a mapping key written twice, naming both lines.

    YAML loaders keep the last of two equal keys silently (a second ``rules:``
    would drop the first list), so the composed node tree is checked first.
    """
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            name = key_node.value
            line = key_node.start_mark.line + 1
            where = f"{prefix}.{name}" if prefix else str(name)
            if name in seen:
                raise ConfigFileError(
                    path,
                    line,
                    where,
                    f"key written twice (lines {seen[name]} and {line}); the second would "
                    "replace the first: merge them into one",
                )
            seen[name] = line
            check_duplicate_keys(value_node, path, where)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            check_duplicate_keys(item, path, f"{prefix}[{i}]")


def _line_for(key: str, lines: Mapping[str, int]) -> int | None:
    """The line of ``key`` or of its nearest parent that appears in the file."""
    while key:
        if key in lines:
            return lines[key]
        cut = max(key.rfind("."), key.rfind("["))
        key = key[:cut] if cut > 0 else ""
    return None


def validate(raw: dict[str, Any]) -> NewswatchConfig:
    """Check every section; raise ConfigError naming the key. Loads no NLP model."""
    unknown = [k for k in raw if k not in SECTIONS]
    if unknown:
        raise ConfigError(str(unknown[0]), f"unknown section; known: {', '.join(SECTIONS)}")
    return load_settings(NewswatchConfig, raw)


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Find, read and validate the config; raise ConfigFileError with file, line and key."""
    found = find_config(path)
    raw: dict[str, Any] = {}
    lines: dict[str, int] = {}
    if found is not None:
        try:
            text = found.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            line = exc.object[: exc.start].count(b"\n") + 1
            raise ConfigFileError(
                found, line, "", f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8"
            ) from exc
        except OSError as exc:
            raise ConfigFileError(found, None, "", f"cannot read the config file: {exc}") from exc
        try:
            node = yaml.compose(text)
            raw = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else None
            raise ConfigFileError(found, line, "", f"not valid YAML: {exc}") from exc
        check_duplicate_keys(node, found)
        if not isinstance(raw, dict):
            raise ConfigFileError(found, 1, "", "expected a mapping of sections at the top level")
        lines = _key_lines(node) if node is not None else {}
    bootstrap = os.environ.get("NEWSWATCH_KAFKA_BOOTSTRAP")
    if bootstrap:
        raw = {**raw, "kafka": {**(raw.get("kafka") or {}), "bootstrap": bootstrap}}
    try:
        settings = validate(raw)
    except ConfigError as exc:
        raise ConfigFileError(found, _line_for(exc.key, lines), exc.key, exc.message) from exc
    return Config(path=found, raw=raw, settings=settings)
