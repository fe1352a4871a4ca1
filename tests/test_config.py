"""Config loading: defaults, overrides, and errors that name file, line and key."""

from __future__ import annotations

import pytest

from stream.config import ConfigFileError, load_config

DESIGN_EXAMPLE = """\
kafka: {bootstrap: "127.0.0.1:9092"}
channels:
  - name: ops
    urls: ["json://127.0.0.1:8765/hook"]
"""


def write(tmp_path, text):
    path = tmp_path / "newswatch.yml"
    path.write_text(text)
    return path


def test_the_design_example_works_as_written(tmp_path):
    config = load_config(write(tmp_path, DESIGN_EXAMPLE))
    assert config.kafka.bootstrap == "127.0.0.1:9092"
    assert [c.name for c in config.channels] == ["ops"]
    assert config.channels[0].settings.urls == ["json://127.0.0.1:8765/hook"]


def test_a_channel_may_start_without_urls_and_get_them_by_subscription(tmp_path):
    config = load_config(write(tmp_path, "channels:\n  - name: later\n"))
    assert config.channels[0].settings.urls == []


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSWATCH_CONFIG", raising=False)
    monkeypatch.delenv("NEWSWATCH_KAFKA_BOOTSTRAP", raising=False)
    config = load_config()
    assert config.path is None
    assert config.kafka.partitions == 4
    assert config.worker.max_item_bytes == 1024 * 1024


def test_env_overrides(tmp_path, monkeypatch):
    path = write(tmp_path, DESIGN_EXAMPLE)
    monkeypatch.setenv("NEWSWATCH_CONFIG", str(path))
    monkeypatch.setenv("NEWSWATCH_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    config = load_config()
    assert config.path == path
    assert config.kafka.bootstrap == "127.0.0.1:19092"


@pytest.mark.parametrize(
    ("text", "line", "key", "says"),
    [
        ("kafka:\n  partitions: four\n", 2, "kafka.partitions", "whole number"),
        ("kafka:\n  bootstrapp: x\n", 2, "kafka.bootstrapp", "unknown setting"),
        (
            "worker:\n  max_item_bytes: 10\n  batch_wait_s: soon\n",
            3,
            "worker.batch_wait_s",
            "number",
        ),
        ("kafak: {}\n", 1, "kafak", "unknown section"),
        ("channels:\n  - name: ops\n    urls: json://x\n", 3, "channels[0].urls", "list"),
        ("channels:\n  - urls: []\n", 2, "channels[0].name", "missing"),
        ("detectors:\n  strike:\n    min_total: lots\n", 3, "detectors.strike.min_total", "number"),
        ("detectors:\n  tornado: {}\n", 2, "detectors.tornado", "no such detector"),
        ("worker:\n  batch_size: -5\n", 2, "worker.batch_size", "at least 1"),
        ("worker:\n  batch_wait_s: -1\n", 2, "worker.batch_wait_s", "0 or more"),
        ("worker:\n  max_item_bytes: 0\n", 2, "worker.max_item_bytes", "at least 1"),
        ("worker:\n  item_budget_s: 0\n", 2, "worker.item_budget_s", "more than 0"),
        ("kafka:\n  session_timeout_s: 1\n", 2, "kafka.session_timeout_s", "between 6"),
    ],
)
def test_errors_name_file_line_and_key(tmp_path, text, line, key, says):
    path = write(tmp_path, text)
    with pytest.raises(ConfigFileError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: {key}:"), message
    assert says in message


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, "kafka:\n  bootstrap: [unclosed\nworker: {}\n")
    with pytest.raises(ConfigFileError, match=rf"{path}:\d+: not valid YAML"):
        load_config(path)


def test_missing_config_file_is_an_error(tmp_path):
    with pytest.raises(ConfigFileError, match="cannot read"):
        load_config(tmp_path / "absent.yml")


def test_a_config_that_is_not_utf8_names_the_file_and_line(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_bytes(b"kafka:\n  bootstrap: x\n\xff\xfe\n")
    with pytest.raises(ConfigFileError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}:3: not valid UTF-8")


def test_a_key_written_twice_is_an_error_naming_both_lines(tmp_path):
    text = (
        "rules:\n"
        "  - name: first\n"
        "    all: [{phrases: [a]}]\n"
        "detectors:\n"
        "  strike: {min_total: 100}\n"
        "rules:\n"
        "  - name: second\n"
        "    all: [{phrases: [b]}]\n"
    )
    with pytest.raises(ConfigFileError) as caught:
        load_config(write(tmp_path, text))
    message = str(caught.value)
    assert "newswatch.yml:6: rules: key written twice (lines 1 and 6)" in message
    nested = "channels:\n  - name: ops\n    urls: []\n    name: other\n"
    with pytest.raises(ConfigFileError, match=r":4: channels\[0\]\.name: .*lines 2 and 4"):
        load_config(write(tmp_path, nested))


def test_the_shipped_config_loads_and_has_no_channel_bound_to_fail():
    from stream.config import DEFAULT_PATH

    config = load_config(DEFAULT_PATH)
    assert [c.name for c in config.channels] == ["ops"]
    assert all(not c.settings.urls for c in config.channels)  # shown in the worker's log
