"""Shared fixtures. End-to-end fixtures (the Kafka broker) live in tests/e2e/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from detectors.pipeline import Pipeline

#: The default config file at the repo root; its example rules are tested.
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "newswatch.yml"


def shipped_rules() -> list:
    """The ``rules`` list of the shipped newswatch.yml."""
    return yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))["rules"]


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The default detector pipeline (default settings plus the rules shipped in
    newswatch.yml), loaded once per test session."""
    return Pipeline({"rules": shipped_rules()})
