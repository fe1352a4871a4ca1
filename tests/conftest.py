"""Shared fixtures. End-to-end fixtures (the Kafka broker) live in tests/e2e/conftest.py."""

from __future__ import annotations

import pytest

from detectors.pipeline import Pipeline


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The default detector pipeline (default config), loaded once per test session."""
    return Pipeline({})
