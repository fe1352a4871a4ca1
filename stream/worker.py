"""Run the worker: create topics, load the NLP pipeline, start the Faust app.

Stopping: SIGTERM or SIGINT starts Faust's clean stop (final offset commit,
leaving the consumer group, so the next worker is not kept waiting). That
stop talks to the broker and can hang while it is unreachable, so a watchdog
ends the process ``STOP_GRACE_S`` after the signal whatever state it is in.
Nothing is lost by that: offsets are committed only after an item's outcome
is produced, so the next worker reads again what was not committed.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from pathlib import Path
from typing import Any

from detectors.pipeline import Pipeline

from .app import build_app
from .config import Config
from .topics import ensure_topics

log = logging.getLogger(__name__)

#: Seconds a stop may take before the process exits without finishing it.
STOP_GRACE_S = 8.0


def _force_exit_after(seconds: float) -> None:
    """Exit the process in ``seconds`` unless it has ended by then (a daemon thread)."""

    def expire() -> None:
        log.warning(
            "the clean stop did not finish within %.0fs (is the broker unreachable?); "
            "exiting now. Uncommitted items are read again by the next worker.",
            seconds,
        )
        logging.shutdown()
        os._exit(128 + signal.SIGTERM)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()


def make_worker(app: Any, loglevel: str) -> Any:
    """A Faust worker whose first SIGTERM/SIGINT also arms the stop watchdog."""
    import faust

    class Worker(faust.Worker):
        def _schedule_shutdown(self, signum: signal.Signals) -> None:
            if not self._signal_stop_time:
                log.info(
                    "%s: stopping (final commit, leaving the consumer group; at most %.0fs)",
                    signal.Signals(signum).name,
                    STOP_GRACE_S,
                )
                _force_exit_after(STOP_GRACE_S)
            super()._schedule_shutdown(signum)

    return Worker(app, loglevel=loglevel, quiet=True, redirect_stdouts=False)


def run_worker(config: Config, *, loglevel: str = "info") -> None:
    """Block running the agents until SIGINT/SIGTERM, then stop (see the module doc)."""
    ensure_topics(config)
    pipeline = Pipeline(config.settings)
    log.info(
        "detectors: %s; model %s; gating %s",
        ", ".join(d.name for d in pipeline.detectors),
        pipeline.settings.model,
        "on" if pipeline.settings.gating else "off",
    )
    nw = build_app(config, pipeline)
    Path(nw.app.conf.datadir).mkdir(parents=True, exist_ok=True)  # Faust makes only the last
    make_worker(nw.app, loglevel).execute_from_commandline()
