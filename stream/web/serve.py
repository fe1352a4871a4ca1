"""``newswatch web``: follow the topics into the history and serve the console."""

from __future__ import annotations

import logging
from pathlib import Path

from ..broker import newswatch_home
from ..config import Config
from ..follow import HistoryFollower
from ..history import History
from .app import create_app
from .security import load_token

log = logging.getLogger(__name__)


def run_web(
    config: Config, *, port: int | None = None, bind: str | None = None, rebuild: bool = False
) -> None:
    """Serve until interrupted. ``rebuild`` deletes the history first (it is read again
    from the topics)."""
    import uvicorn

    bind = bind or config.web.bind
    port = config.web.port if port is None else port
    token = load_token(config.web.token, config.web.token_file, bind)
    path = Path(config.history.path or newswatch_home() / "history.db")
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        log.info("history: %s deleted; rebuilding it from the topics", path)
    history = History(path)
    follower = HistoryFollower(config, history).start()
    app = create_app(config, history, follower=follower, token=token)
    log.info(
        "console on http://%s:%s/ (history in %s%s)",
        bind,
        port,
        path,
        "; changes need the token" if token else "",
    )
    try:
        uvicorn.run(app, host=bind, port=port, log_level="warning", access_log=False)
    finally:
        follower.stop()
        history.close()
