"""The ``newswatch`` command: a thin layer over the functions that do the work."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .config import ConfigFileError, load_config

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("kafka", "aiokafka"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose else logging.CRITICAL)


def cmd_broker(args: argparse.Namespace) -> int:
    from .broker import LocalBroker

    broker = LocalBroker(args.data_dir, port=args.port)
    if args.action == "start":
        seconds = broker.start(timeout_s=args.timeout)
        print(f"broker ready at {broker.bootstrap} in {seconds:.1f}s (data in {broker.data_dir})")
    elif args.action == "stop":
        if broker.stop():
            print(f"broker stopped (data kept in {broker.data_dir})")
        else:
            print(f"broker not running (data dir {broker.data_dir})")
    else:
        status = broker.status()
        if status.running:
            state = "ready" if status.ready else "NOT answering"
            print(
                f"broker running, {state}, pid {status.pid} at {status.bootstrap}: {status.detail}"
            )
        else:
            print(f"broker {status.detail}")
        return EXIT_OK if status.ready else EXIT_FAILED
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    from .worker import run_worker

    run_worker(load_config(args.config), loglevel="debug" if args.verbose else "info")
    return EXIT_OK


def cmd_replay(args: argparse.Namespace) -> int:
    from .replay import make_producer, replay
    from .topics import ensure_topics

    config = load_config(args.config)
    producer = None
    if not args.dry_run:
        ensure_topics(config)
        producer = make_producer(config.kafka.bootstrap)
    try:
        summary = replay(
            args.paths,
            topic=config.topic("news.items"),
            producer=producer,
            rate=args.rate,
            loop=args.loop,
            dry_run=args.dry_run,
            progress=not args.no_progress,
        )
    finally:
        if producer is not None:
            producer.close()
    print(summary.line(args.dry_run))
    return EXIT_OK if summary.ok else EXIT_FAILED


def cmd_backtest(args: argparse.Namespace) -> int:
    from detectors.pipeline import Pipeline

    from .backtest import backtest

    config = load_config(args.config)
    bad = backtest(Pipeline(config.raw), args.paths, fmt=args.format)
    return EXIT_FAILED if bad else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newswatch", description="Streaming news monitor with alerts."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_config(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--config",
            metavar="F",
            help="config file (default: $NEWSWATCH_CONFIG or ./newswatch.yml)",
        )
        return p

    p = sub.add_parser("broker", help="start, stop or check the local Kafka broker")
    p.add_argument("action", choices=["start", "stop", "status"])
    p.add_argument(
        "--port",
        type=int,
        default=None,
        help="client port on 127.0.0.1 (default 9092; 0 picks a free port)",
    )
    p.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        metavar="D",
        help="broker data folder (default .newswatch/broker)",
    )
    p.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for readiness")
    p.set_defaults(func=cmd_broker)

    p = with_config(sub.add_parser("worker", help="run the Faust agents"))
    p.set_defaults(func=cmd_worker)

    p = with_config(sub.add_parser("replay", help="publish articles from files to news.items"))
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt, .json, .jsonl files or folders")
    p.add_argument("--rate", type=float, default=None, metavar="N", help="items per second")
    p.add_argument("--loop", type=int, default=1, metavar="K", help="send everything K times")
    p.add_argument("--dry-run", action="store_true", help="validate and count, send nothing")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_replay)

    p = with_config(sub.add_parser("backtest", help="run the detectors offline over articles"))
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt, .json, .jsonl files or folders")
    p.add_argument("--format", choices=["table", "jsonl"], default="table")
    p.set_defaults(func=cmd_backtest)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup_logging(args.verbose)
    from detectors.pipeline import ModelNotInstalled

    from .broker import BrokerError
    from .topics import TopicError

    try:
        return args.func(args)
    except (ConfigFileError, BrokerError, TopicError, ModelNotInstalled) as exc:
        print(f"newswatch: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, ConfigFileError) else EXIT_FAILED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
