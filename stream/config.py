"""The config file: one YAML document, validated at start.

Where it comes from, in order: ``--config F``, ``$NEWSWATCH_CONFIG``,
``./newswatch.yml``; with none of them, the defaults. ``$NEWSWATCH_KAFKA_BOOTSTRAP``
overrides ``kafka.bootstrap``. Every section is checked against a settings
dataclass (detectors, rules and channels by their own packages); an error
names the file, the line and the key, and says what was expected.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from detectors.settings import ConfigError, load_settings

DEFAULT_PATH = Path("newswatch.yml")
SECTIONS = ("kafka", "worker", "nlp", "entities", "detectors", "rules", "channels", "alerts")


@dataclass(frozen=True)
class KafkaSettings:
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


@dataclass(frozen=True)
class WorkerSettings:
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


@dataclass
class Config:
    """The validated config: typed sections plus the raw mapping for detectors."""

    path: Path | None
    raw: dict[str, Any]
    kafka: KafkaSettings
    worker: WorkerSettings
    channels: list[Any] = field(default_factory=list)

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


def _line_for(key: str, lines: Mapping[str, int]) -> int | None:
    """The line of ``key`` or of its nearest parent that appears in the file."""
    while key:
        if key in lines:
            return lines[key]
        cut = max(key.rfind("."), key.rfind("["))
        key = key[:cut] if cut > 0 else ""
    return None


def validate(raw: dict[str, Any]) -> tuple[KafkaSettings, WorkerSettings, list[Any]]:
    """Check every section; raise ConfigError naming the key. Loads no NLP model."""
    from alerts.channels import load_channels
    from detectors.entities import EntitySettings, Gazetteer
    from detectors.pipeline import NlpSettings, build_detectors

    unknown = [k for k in raw if k not in SECTIONS]
    if unknown:
        raise ConfigError(str(unknown[0]), f"unknown section; known: {', '.join(SECTIONS)}")
    kafka = load_settings(KafkaSettings, raw.get("kafka"), "kafka")
    if kafka.partitions < 1:
        raise ConfigError("kafka.partitions", "expected a whole number of at least 1")
    if not 6 <= kafka.session_timeout_s <= 1800:
        raise ConfigError(
            "kafka.session_timeout_s", "expected seconds between 6 and 1800 (the broker's limits)"
        )
    worker = load_settings(WorkerSettings, raw.get("worker"), "worker")
    for key in ("batch_size", "max_item_bytes"):
        if getattr(worker, key) < 1:
            raise ConfigError(f"worker.{key}", "expected a whole number of at least 1")
    if worker.batch_wait_s < 0:
        raise ConfigError("worker.batch_wait_s", "expected seconds, 0 or more")
    if worker.item_budget_s <= 0:
        raise ConfigError("worker.item_budget_s", "expected seconds, more than 0")
    load_settings(NlpSettings, raw.get("nlp"), "nlp")
    gazetteer = Gazetteer.load(load_settings(EntitySettings, raw.get("entities"), "entities"))
    build_detectors(raw, gazetteer)
    channels = load_channels(raw.get("channels"), "channels", members=gazetteer.members)
    return kafka, worker, channels


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
        if not isinstance(raw, dict):
            raise ConfigFileError(found, 1, "", "expected a mapping of sections at the top level")
        lines = _key_lines(node) if node is not None else {}
    bootstrap = os.environ.get("NEWSWATCH_KAFKA_BOOTSTRAP")
    if bootstrap:
        raw = {**raw, "kafka": {**(raw.get("kafka") or {}), "bootstrap": bootstrap}}
    try:
        kafka, worker, channels = validate(raw)
    except ConfigError as exc:
        raise ConfigFileError(found, _line_for(exc.key, lines), exc.key, exc.message) from exc
    return Config(path=found, raw=raw, kafka=kafka, worker=worker, channels=channels)
