"""Run the worker: create topics, load the NLP pipeline, start the Faust app."""

from __future__ import annotations

import logging
from pathlib import Path

from detectors.pipeline import Pipeline

from .app import build_app
from .config import Config
from .topics import ensure_topics

log = logging.getLogger(__name__)


def run_worker(config: Config, *, loglevel: str = "info") -> None:
    """Block running the agents until SIGINT/SIGTERM, then stop cleanly."""
    import faust

    ensure_topics(config)
    pipeline = Pipeline(config.raw)
    log.info(
        "detectors: %s; model %s; gating %s",
        ", ".join(d.name for d in pipeline.detectors),
        pipeline.settings.model,
        "on" if pipeline.settings.gating else "off",
    )
    nw = build_app(config, pipeline)
    Path(nw.app.conf.datadir).mkdir(parents=True, exist_ok=True)  # Faust makes only the last
    worker = faust.Worker(nw.app, loglevel=loglevel, quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()
