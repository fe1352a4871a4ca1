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


def cmd_subscribe(args: argparse.Namespace) -> int:
    from . import control

    masked = control.subscribe(load_config(args.config), args.channel, args.url)
    print(f"subscribed {masked} to {args.channel}")
    return EXIT_OK


def cmd_unsubscribe(args: argparse.Namespace) -> int:
    from . import control

    if control.unsubscribe(load_config(args.config), args.channel, args.url):
        print(f"unsubscribed from {args.channel}")
        return EXIT_OK
    print(f"no such subscription on {args.channel} (URLs written in the config stay there)")
    return EXIT_FAILED


def cmd_channels(args: argparse.Namespace) -> int:
    from . import control

    rows = control.channels(load_config(args.config))
    if not rows:
        print("no channels configured (add them under `channels:` in the config)")
    for row in rows:
        print(f"{row.name}  ({row.filters})")
        for url in row.urls:
            print(f"  config      {url}")
        for url in row.subscribed:
            print(f"  subscribed  {url}")
        if not row.urls and not row.subscribed:
            print("  (no URLs: alerts wait in news.alerts.dead until one is subscribed)")
    return EXIT_OK


def cmd_silence(args: argparse.Namespace) -> int:
    import time

    from detectors.settings import ConfigError, parse_duration

    from . import control

    config = load_config(args.config)
    if args.action == "add":
        try:
            duration = parse_duration(args.duration, "--for")
        except ConfigError as exc:
            raise control.ControlError(str(exc)) from exc
        silence = control.add_silence(config, args.match, duration, args.comment or "")
        until = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(silence.ends_at))
        print(f"silence {silence.id} until {until}: {' '.join(map(str, silence.matchers))}")
    elif args.action == "list":
        silences = control.list_silences(config, include_expired=args.all)
        if not silences:
            print("no silences")
        now = time.time()
        for silence in silences:
            state = "expired" if silence.is_expired(now) else "active"
            until = time.strftime("%Y-%m-%d %H:%M", time.localtime(silence.ends_at))
            matchers = " ".join(map(str, silence.matchers))
            print(f"{silence.id}  {state:<7} until {until}  {matchers}  {silence.comment}")
    else:
        silence = control.expire_silence(config, args.id)
        print(f"silence {silence.id} expired")
    return EXIT_OK


def cmd_alerts(args: argparse.Namespace) -> int:
    from . import control

    count = control.redeliver(load_config(args.config), args.channel)
    print(f"{count} dead alert(s) sent back for delivery")
    return EXIT_OK


def cmd_tail(args: argparse.Namespace) -> int:
    from . import control

    config = load_config(args.config)
    topic = config.topic("news.alerts.dead" if args.dead else "news.alerts")
    print(f"following {topic} (Ctrl-C to stop)", file=sys.stderr)
    for record in control.follow(config, topic, from_beginning=args.from_beginning):
        alert = record.get("alert", record)
        if args.channel and alert.get("channel") != args.channel:
            continue
        print(control.format_alert(alert), flush=True)
        if args.dead:
            print(f"   dead: {record.get('reason')}\n", flush=True)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return EXIT_OK if run_demo(timeout_s=args.timeout) else EXIT_FAILED


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

    p = with_config(sub.add_parser("subscribe", help="add an apprise URL to a channel"))
    p.add_argument("channel")
    p.add_argument("url", help="any apprise URL, e.g. mailto://... or json://host/path")
    p.set_defaults(func=cmd_subscribe)
    p = with_config(sub.add_parser("unsubscribe", help="remove a subscribed URL"))
    p.add_argument("channel")
    p.add_argument("url")
    p.set_defaults(func=cmd_unsubscribe)
    p = with_config(sub.add_parser("channels", help="list channels and their URLs (masked)"))
    p.set_defaults(func=cmd_channels)

    p = sub.add_parser("silence", help="mute matching alerts for a while")
    silence = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = with_config(silence.add_parser("add", help="add a silence"))
    q.add_argument(
        "--match",
        action="append",
        required=True,
        metavar="KEY=VALUE",
        help="label matcher (=, !=, =~, !~); repeat for more",
    )
    q.add_argument(
        "--for",
        dest="duration",
        required=True,
        metavar="DURATION",
        help="how long, e.g. 30m, 2h, 7d",
    )
    q.add_argument("--comment", default="")
    q.set_defaults(func=cmd_silence)
    q = with_config(silence.add_parser("list", help="list active silences"))
    q.add_argument("--all", action="store_true", help="include expired ones")
    q.set_defaults(func=cmd_silence)
    q = with_config(silence.add_parser("expire", help="end a silence now"))
    q.add_argument("id")
    q.set_defaults(func=cmd_silence)

    p = sub.add_parser("alerts", help="alert delivery maintenance")
    alerts_sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = with_config(alerts_sub.add_parser("redeliver", help="send dead alerts again"))
    q.add_argument("--channel", default=None, metavar="C")
    q.set_defaults(func=cmd_alerts)

    p = with_config(sub.add_parser("tail", help="follow alerts live"))
    p.add_argument("--channel", default=None, metavar="C")
    p.add_argument("--from-beginning", action="store_true", help="show earlier alerts too")
    p.add_argument("--dead", action="store_true", help="follow news.alerts.dead instead")
    p.set_defaults(func=cmd_tail)

    p = sub.add_parser(
        "demo", help="broker + worker + replay of seeds/, alerts to a local receiver"
    )
    p.add_argument("--timeout", type=float, default=240.0, help="seconds to wait for alerts")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup_logging(args.verbose)
    from detectors.pipeline import ModelNotInstalled

    from .broker import BrokerError
    from .control import ControlError
    from .topics import TopicError

    try:
        return args.func(args)
    except (ConfigFileError, BrokerError, TopicError, ModelNotInstalled, ControlError) as exc:
        print(f"newswatch: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, ConfigFileError) else EXIT_FAILED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
