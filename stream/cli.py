"""The ``newswatch`` command: a thin layer over the functions that do the work."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from .config import ConfigFileError, load_config
from .feeds import cli as feeds_cli

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("kafka", "aiokafka"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose else logging.CRITICAL)


def _find_broker(args: argparse.Namespace) -> tuple[Any, str]:
    """The local broker ``broker status``/``stop`` mean, and where it was looked for.

    By ``--data-dir``; else by port (``--port``, else ``$NEWSWATCH_KAFKA_BOOTSTRAP``
    or the config's ``kafka.bootstrap``): a running broker listening there is
    found by its process; else, without ``--port``, the default data dir.
    Returns (None, place) when there is no such broker.
    """
    from .broker import LocalBroker, find_data_dir

    if args.data_dir is not None:
        return LocalBroker(args.data_dir, port=args.port), str(args.data_dir)
    port = args.port
    if port is None:
        bootstrap = load_config(args.config).kafka.bootstrap.split(",")[0]
        port = int(bootstrap.rsplit(":", 1)[1])
    found = find_data_dir(port)
    if found is not None:
        return LocalBroker(found), str(found)
    if args.port is None and LocalBroker().status().running:
        return LocalBroker(), "the default data dir"
    return None, f"127.0.0.1:{port}"


def cmd_broker(args: argparse.Namespace) -> int:
    from .broker import LocalBroker

    if args.action == "start":
        broker = LocalBroker(args.data_dir, port=args.port)
        seconds = broker.start(timeout_s=args.timeout)
        print(f"broker ready at {broker.bootstrap} in {seconds:.1f}s (data in {broker.data_dir})")
        return EXIT_OK
    broker, place = _find_broker(args)
    if args.action == "stop":
        if broker is not None and broker.stop():
            print(f"broker stopped (data kept in {broker.data_dir})")
        else:
            print(f"broker not running at {place}: nothing to stop")
        return EXIT_OK
    status = broker.status() if broker is not None else None
    if status is None or not status.running:
        print(f"broker not running at {place}")
        return EXIT_FAILED
    state = "ready" if status.ready else "NOT answering"
    print(f"broker running, {state}, pid {status.pid} at {status.bootstrap}: {status.detail}")
    return EXIT_OK if status.ready else EXIT_FAILED


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
    bad = backtest(Pipeline(config.settings), args.paths, fmt=args.format)
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


def _duration(text: str, option: str) -> float:
    """Seconds in a duration option (30m, 2h, 7d); a bad one is a ControlError naming it."""
    from detectors.settings import ConfigError, parse_duration

    from .control import ControlError

    try:
        return parse_duration(text, option)
    except ConfigError as exc:
        raise ControlError(str(exc)) from exc


def cmd_silence(args: argparse.Namespace) -> int:
    import time

    from . import control

    config = load_config(args.config)
    if args.action == "add":
        duration = _duration(args.duration, "--for")
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
    from .topics import ensure_topics

    config = load_config(args.config)
    since = _duration(args.since, "--since") if args.since else None
    wanted = control.tail_filter(
        config,
        channel=args.channel,
        since_s=since,
        severity=args.severity,
        detector=args.detector,
    )
    ensure_topics(config)  # one clear line when the broker cannot be reached
    topic = config.topic("news.alerts.dead" if args.dead else "news.alerts")
    shown: set[str] = set()

    def show(record: dict, delivery: dict | None = None) -> None:
        alert = record.get("alert", record)
        if not wanted.accepts(alert) or str(alert.get("id")) in shown:
            return
        shown.add(str(alert.get("id")))
        if args.dead:
            delivery = {"status": "dead", "attempts": record.get("attempts")}
        print(control.format_alert(alert, delivery), flush=True)
        if args.dead:
            print(f"   dead: {record.get('reason')}\n", flush=True)

    if args.from_beginning or since is not None:
        status = control.delivery_status(config)
        for record in control.history(config, topic):
            show(record, status.get(str(record.get("alert", record).get("id"))))
        if not args.follow:
            return EXIT_OK
    print(f"following {topic} (Ctrl-C to stop)", file=sys.stderr)
    for record in control.follow(config, topic):
        show(record)
    return EXIT_OK


def cmd_web(args: argparse.Namespace) -> int:
    from .web.serve import run_web

    run_web(load_config(args.config), port=args.port, bind=args.bind, rebuild=args.rebuild)
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from .status import gather, render

    report = gather(load_config(args.config))
    print(render(report, as_json=args.json))
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return EXIT_OK if run_demo(timeout_s=args.timeout, config=args.config) else EXIT_FAILED


CONFIG_HELP = "config file (default: $NEWSWATCH_CONFIG or ./newswatch.yml)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newswatch", description="Streaming news monitor with alerts."
    )
    # -v and --config are global: accepted before the command (the parser's
    # defaults) or after it (each subcommand's copy, which only sets a value
    # when given, so it never resets one given before).
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--config", metavar="F", default=None, help=CONFIG_HELP)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS)
    common.add_argument("--config", metavar="F", default=argparse.SUPPRESS, help=CONFIG_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(parent: Any, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return parent.add_parser(name, parents=[common], **kwargs)

    p = command(sub, "broker", help="start, stop or check the local Kafka broker")
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

    p = command(sub, "worker", help="run the Faust agents")
    p.set_defaults(func=cmd_worker)

    p = command(sub, "replay", help="publish articles from files to news.items")
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt, .json, .jsonl files or folders")
    p.add_argument("--rate", type=float, default=None, metavar="N", help="items per second")
    p.add_argument("--loop", type=int, default=1, metavar="K", help="send everything K times")
    p.add_argument("--dry-run", action="store_true", help="validate and count, send nothing")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_replay)

    p = command(sub, "backtest", help="run the detectors offline over articles")
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt, .json, .jsonl files or folders")
    p.add_argument("--format", choices=["table", "jsonl"], default="table")
    p.set_defaults(func=cmd_backtest)

    p = command(sub, "subscribe", help="add an apprise URL to a channel")
    p.add_argument("channel")
    p.add_argument("url", help="any apprise URL, e.g. mailto://... or json://host/path")
    p.set_defaults(func=cmd_subscribe)
    p = command(sub, "unsubscribe", help="remove a subscribed URL")
    p.add_argument("channel")
    p.add_argument("url")
    p.set_defaults(func=cmd_unsubscribe)
    p = command(sub, "channels", help="list channels and their URLs (masked)")
    p.set_defaults(func=cmd_channels)

    p = command(sub, "silence", help="mute matching alerts for a while")
    silence = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = command(silence, "add", help="add a silence")
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
    q = command(silence, "list", help="list active silences")
    q.add_argument("--all", action="store_true", help="include expired ones")
    q.set_defaults(func=cmd_silence)
    q = command(silence, "expire", help="end a silence now")
    q.add_argument("id")
    q.set_defaults(func=cmd_silence)

    p = command(sub, "alerts", help="alert delivery maintenance")
    alerts_sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = command(alerts_sub, "redeliver", help="send dead alerts again")
    q.add_argument("--channel", default=None, metavar="C")
    q.set_defaults(func=cmd_alerts)

    p = command(sub, "tail", help="follow alerts live, or list earlier ones")
    p.add_argument("--channel", default=None, metavar="C", help="only this channel")
    p.add_argument(
        "--from-beginning",
        action="store_true",
        help="list every alert so far, oldest first, then end (with --follow: go on live)",
    )
    p.add_argument(
        "--since", default=None, metavar="DURATION", help="list alerts of the last 2h, 30m, ..."
    )
    p.add_argument("--follow", action="store_true", help="after the list, follow live")
    p.add_argument("--severity", default=None, metavar="S", help="only this severe or more")
    p.add_argument("--detector", default=None, metavar="D", help="only alerts of this detector")
    p.add_argument("--dead", action="store_true", help="follow news.alerts.dead instead")
    p.set_defaults(func=cmd_tail)

    feeds_cli.add_parser(sub, command)  # newswatch sources ..., stream/feeds/cli.py
    p = command(sub, "web", help="the console: history, silences, channels")
    p.add_argument("--port", type=int, default=None, help="port (default web.port, 8080)")
    p.add_argument(
        "--bind", default=None, help="address (default web.bind, 127.0.0.1; others need a token)"
    )
    p.add_argument("--rebuild", action="store_true", help="rebuild the history from the topics")
    p.set_defaults(func=cmd_web)

    p = command(sub, "status", help="broker, topics, workers, lag, failures")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_status)

    p = command(sub, "demo", help="broker + worker + replay of seeds/, alerts to a local receiver")
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
    from .web import WebConfigError

    try:
        return args.func(args)
    except (
        ConfigFileError,
        BrokerError,
        TopicError,
        ModelNotInstalled,
        ControlError,
        WebConfigError,
    ) as exc:
        print(f"newswatch: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, ConfigFileError) else EXIT_FAILED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
