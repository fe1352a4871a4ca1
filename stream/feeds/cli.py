"""``newswatch sources add|list|remove``: the argparse part, thin over ``commands``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from ..config import load_config

EXIT_OK, EXIT_FAILED = 0, 1


def cmd_sources(args: argparse.Namespace) -> int:
    from . import commands

    config = load_config(args.config)
    try:
        if args.action == "add":
            source = commands.add_source(
                config,
                args.url,
                name=args.name,
                every=args.every,
                full_text=args.full_text,
                language=args.language,
            )
            print(f"added source {source.name}: {source.url} (every {source.every:g}s)")
        elif args.action == "remove":
            commands.remove_source(config, args.name)
            print(f"removed source {args.name}")
        else:
            rows = commands.list_sources(config)
            if not rows:
                print("no sources (add one with `newswatch sources add URL` or under `sources:`)")
            now = time.time()
            for row in rows:
                print(commands.format_row(row, now))
    except commands.SourceError as exc:
        print(f"newswatch: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def add_parser(
    sub: argparse._SubParsersAction,
    command: Callable[..., argparse.ArgumentParser],
) -> None:
    """Add ``sources`` and its actions; ``command(parent, name, help=...)`` makes a subparser
    with the global options (``-v``, ``--config``), as ``stream.cli`` does for every command."""
    p = command(sub, "sources", help="follow RSS/Atom feeds: add, list (with health), remove")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = command(actions, "add", help="follow a feed (all workers, at once)")
    q.add_argument("url", help="the feed's http(s) URL")
    q.add_argument("--name", default=None, metavar="N", help="default: from the URL's host")
    q.add_argument("--every", default="5m", metavar="D", help="poll interval (default 5m)")
    q.add_argument(
        "--full-text", action="store_true", help="fetch each entry's page for its main text"
    )
    q.add_argument("--language", default=None, metavar="L", help="the feed's language, e.g. en")
    q.set_defaults(func=cmd_sources)
    q = command(actions, "list", help="sources and their health")
    q.set_defaults(func=cmd_sources)
    q = command(actions, "remove", help="stop following a feed added at runtime")
    q.add_argument("name")
    q.set_defaults(func=cmd_sources)
