"""Channel config: the documented shape loads, every bad value names its key, filters work."""

from __future__ import annotations

import pytest
import yaml

from alerts.channels import load_channels
from detectors.settings import ConfigError

from .conftest import BLOCS, alliance, channel, strike


def test_design_example_loads_with_defaults():
    config = yaml.safe_load(
        """
kafka: {bootstrap: "127.0.0.1:9092"}
channels:
  - name: ops
    urls: ["json://127.0.0.1:8765/hook"]
"""
    )
    (ops,) = load_channels(config["channels"])
    assert ops.name == "ops"
    assert ops.settings.urls == ["json://127.0.0.1:8765/hook"]
    assert ops.settings.min_severity == "low"
    assert (ops.settings.group_wait, ops.settings.group_interval) == (30.0, 300.0)
    assert ops.settings.repeat_interval == 4 * 3600.0
    assert (ops.settings.retries, ops.settings.retry_backoff) == (3, 2.0)
    # No section means no channels.
    assert load_channels(config.get("no-such-section")) == []


def test_durations_and_config_file(tmp_path):
    conf = tmp_path / "apprise.yml"
    conf.write_text("urls:\n  - json://127.0.0.1:9/x:\n      tag: team\n")
    (c,) = load_channels(
        [
            {
                "name": "team",
                "config": str(conf),
                "tags": ["team"],
                "group_wait": "10s",
                "group_interval": "2m",
                "repeat_interval": "1d",
                "retry_backoff": 0.5,
            }
        ]
    )
    assert (c.settings.group_wait, c.settings.group_interval) == (10.0, 120.0)
    assert c.settings.repeat_interval == 86400.0
    assert c.settings.retry_backoff == 0.5
    assert c.settings.urls == [] and c.settings.tags == ["team"]


BAD = [
    ("not a list", {"name": "x"}, "channels", "expected a list"),
    ("entry not a mapping", ["ops"], "channels[0]", "expected a mapping"),
    ("name missing", [{"urls": ["json://h/p"]}], "channels[0].name", "required"),
    ("name blank", [{"name": " ", "urls": ["json://h/p"]}], "channels[0].name", "non-empty"),
    (
        "unknown key",
        [{"name": "a", "urls": ["json://h/p"], "url": "x"}],
        "channels[0].url",
        "unknown setting",
    ),
    ("urls not a list", [{"name": "a", "urls": "json://h/p"}], "channels[0].urls", "list"),
    (
        "bad scheme",
        [{"name": "a", "urls": ["json://h/p", "nope://x/y"]}],
        "channels[0].urls[1]",
        "unknown apprise scheme 'nope'",
    ),
    ("not a url", [{"name": "a", "urls": ["hello"]}], "channels[0].urls[0]", "not an apprise URL"),
    (
        "config missing",
        [{"name": "a", "config": "/nonexistent/apprise.yml"}],
        "channels[0].config",
        "not found",
    ),
    (
        "tags without config",
        [{"name": "a", "urls": ["json://h/p"], "tags": ["t"]}],
        "channels[0].tags",
        "config",
    ),
    (
        "severity",
        [{"name": "a", "urls": ["json://h/p"], "min_severity": "urgent"}],
        "channels[0].min_severity",
        "expected one of 'low', 'medium', 'high', 'critical'",
    ),
    (
        "detectors type",
        [{"name": "a", "urls": ["json://h/p"], "detectors": "strike"}],
        "channels[0].detectors",
        "list",
    ),
    (
        "actors item",
        [{"name": "a", "urls": ["json://h/p"], "actors": ["RU", 7]}],
        "channels[0].actors[1]",
        "text",
    ),
    (
        "duration",
        [{"name": "a", "urls": ["json://h/p"], "group_wait": "soon"}],
        "channels[0].group_wait",
        "duration",
    ),
    (
        "negative duration",
        [{"name": "a", "urls": ["json://h/p"], "repeat_interval": -1}],
        "channels[0].repeat_interval",
        "negative",
    ),
    (
        "retries type",
        [{"name": "a", "urls": ["json://h/p"], "retries": "3"}],
        "channels[0].retries",
        "whole number",
    ),
    (
        "retries negative",
        [{"name": "a", "urls": ["json://h/p"], "retries": -1}],
        "channels[0].retries",
        "0 or more",
    ),
    (
        "unknown placeholder",
        [{"name": "a", "urls": ["json://h/p"], "title": "{nope}"}],
        "channels[0].title",
        "unknown placeholder {nope}",
    ),
    (
        "malformed template",
        [{"name": "a", "urls": ["json://h/p"], "body": "{summary"}],
        "channels[0].body",
        "malformed",
    ),
    (
        "numeric format spec",
        [{"name": "a", "urls": ["json://h/p"], "body": "{count:d}"}],
        "channels[0].body",
        "cannot be filled",
    ),
    (
        "duplicate",
        [{"name": "a", "urls": ["json://h/p"]}, {"name": "a", "urls": ["json://h/q"]}],
        "channels[1].name",
        "duplicate channel name 'a' (also channels[0])",
    ),
]


@pytest.mark.parametrize("section, key, text", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_values_name_their_key(section, key, text):
    with pytest.raises(ConfigError) as err:
        load_channels(section)
    assert err.value.key == key
    assert text in str(err.value)
    assert str(err.value).startswith(f"{key}: ")


def test_invalid_url_error_masks_secret():
    with pytest.raises(ConfigError) as err:
        load_channels([{"name": "a", "urls": ["nope://admin:hunter2secret@host/x"]}])
    assert err.value.key == "channels[0].urls[0]"
    assert "hunter2secret" not in str(err.value)


def test_filters_detectors_and_severity():
    c = channel(detectors=["alliance"], min_severity="medium")
    assert c.accepts(alliance(severity="medium"))
    assert c.accepts(alliance(severity="critical"))
    assert not c.accepts(alliance(severity="low"))
    assert not c.accepts(strike(severity="critical"))
    assert channel().accepts(strike(severity="low"))


def test_actor_filter_matches_actor_target_and_parties():
    c = channel(actors=["UA"])
    assert c.accepts(strike(actor="RU", target="UA"))
    assert c.accepts(strike(actor="UA", target="RU"))
    assert not c.accepts(strike(actor="IL", target="LB"))
    assert channel(actors=["cn"]).accepts(alliance(parties=["CN", "RU"]))
    assert not channel(actors=["US"]).accepts(alliance(parties=["CN", "RU"]))


def test_bloc_in_filter_matches_members_but_not_the_reverse():
    nato = channel(actors=["NATO"])
    assert nato.accepts(strike(actor="RU", target="PL"))  # PL is a member
    assert nato.accepts(alliance(parties=["NATO", "SE"], relation="accession"))
    assert not nato.accepts(strike(actor="RU", target="UA"))
    # A member state in the filter does not pull in its blocs.
    assert not channel(actors=["PL"]).accepts(alliance(parties=["NATO", "SE"]))
    # Members can come from a callable, and the router can pass its own.
    (by_fn,) = load_channels(
        [{"name": "x", "urls": ["json://h/p"], "actors": ["NATO"]}],
        members=lambda bloc: BLOCS.get(bloc, ()),
    )
    assert by_fn.accepts(strike(target="US"))
    (bare,) = load_channels([{"name": "x", "urls": ["json://h/p"], "actors": ["NATO"]}])
    assert not bare.accepts(strike(target="US"))
    assert bare.accepts(strike(target="US"), members=BLOCS)


def test_group_by_names_event_or_a_known_label():
    from alerts.channels import load_channels
    from detectors.settings import ConfigError

    [c] = load_channels([{"name": "ops", "group_by": ["detector", "actor"]}])
    assert c.settings.group_by == ["detector", "actor"]
    with pytest.raises(ConfigError, match=r"group_by\[0\].*unknown name 'nation'"):
        load_channels([{"name": "ops", "group_by": ["nation"]}])
