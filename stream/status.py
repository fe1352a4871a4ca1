"""``newswatch status``: one screen for the whole deployment, and an exit code for scripts.

Everything comes from the broker (admin and metadata calls, offsets by
time), so it works from any machine that reaches Kafka and needs no worker
to answer: broker reachable, topics and partitions, the workers in the
consumer group and what each holds, lag per topic, dead letters and dead
alerts in the last hour, the last alert per channel.

Problems (exit 1): the broker cannot be reached; a topic is missing or has
the wrong partition count; no worker is in the group; a partition of an
agent's topic is held by no worker; alerts went to news.alerts.dead in the
last hour. Warnings (exit 0): dead-lettered items, lag.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from .config import Config
from .topics import CONNECT_TIMEOUT_MS, topic_specs

RECENT_S = 3600.0
#: How far back (records per partition) to look for each channel's last alert.
LAST_ALERT_SCAN = 500
#: The topics the agents consume: every partition must have an owner.
AGENT_TOPICS = ("items", "detections", "alerts")


@dataclass
class Report:
    broker: str
    reachable: bool = False
    topics: list[dict[str, Any]] = field(default_factory=list)
    group_state: str = ""
    workers: list[dict[str, Any]] = field(default_factory=list)
    lag: dict[str, int] = field(default_factory=dict)
    dead_letters_last_hour: int = 0
    dead_alerts_last_hour: int = 0
    last_alerts: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def gather(config: Config, now: float | None = None) -> Report:
    """Ask the broker; never raises for an unreachable broker (that is a problem reported)."""
    from kafka import KafkaAdminClient, KafkaConsumer
    from kafka.errors import KafkaError

    now = time.time() if now is None else now
    bootstrap = config.kafka.bootstrap
    report = Report(broker=bootstrap)
    try:
        admin = KafkaAdminClient(
            bootstrap_servers=bootstrap,
            client_id="newswatch-status",
            request_timeout_ms=10000,
            bootstrap_timeout_ms=CONNECT_TIMEOUT_MS,
        )
    except KafkaError as exc:
        report.problems.append(
            f"broker at {bootstrap} cannot be reached ({exc.__class__.__name__}); start it with "
            "`newswatch broker start` or check kafka.bootstrap"
        )
        return report
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, client_id="newswatch-status"
    )
    try:
        report.reachable = True
        _topics(report, config, admin)
        _group(report, config, admin, consumer)
        _recent(report, config, consumer, now)
        _last_alerts(report, config, consumer)
    except KafkaError as exc:
        report.problems.append(f"asking the broker failed: {exc.__class__.__name__}: {exc}")
    finally:
        consumer.close()
        admin.close()
    return report


def _topics(report: Report, config: Config, admin: Any) -> None:
    specs = topic_specs(config)
    existing = set(admin.list_topics())
    present = [s.name for s in specs.values() if s.name in existing]
    counts = {}
    if present:
        for t in admin.describe_topics(present):
            counts[t.get("name", t.get("topic"))] = len(t["partitions"])
    for spec in specs.values():
        row = {"topic": spec.name, "partitions": counts.get(spec.name), "wanted": spec.partitions}
        report.topics.append(row)
        if spec.name not in existing:
            report.problems.append(f"topic {spec.name} does not exist (a worker creates it)")
        elif counts.get(spec.name) != spec.partitions:
            report.problems.append(
                f"topic {spec.name} has {counts.get(spec.name)} partitions, "
                f"newswatch needs {spec.partitions}"
            )


def _group(report: Report, config: Config, admin: Any, consumer: Any) -> None:
    from kafka import TopicPartition

    group = config.kafka.app_id
    described = admin.describe_groups([group]).get(group) or {}
    report.group_state = str(described.get("group_state") or "unknown")
    specs = topic_specs(config)
    agent_topics = {specs[k].name: specs[k].partitions for k in AGENT_TOPICS}
    held: dict[str, set[int]] = defaultdict(set)
    for member in described.get("members") or []:
        assignment = member.get("member_assignment") or {}
        parts = assignment.get("assigned_partitions") if isinstance(assignment, dict) else None
        holds = {}
        for entry in parts or []:
            if entry["topic"] in agent_topics:
                holds[entry["topic"]] = sorted(entry["partitions"])
                held[entry["topic"]].update(entry["partitions"])
        report.workers.append(
            {
                "member": str(member.get("member_id", ""))[-12:],
                "client": member.get("client_id"),
                "host": str(member.get("client_host", "")).lstrip("/"),
                "holds": holds,
            }
        )
    if not report.workers:
        report.problems.append(f"no worker is running in group {group} (start `newswatch worker`)")
    elif report.group_state == "Stable":
        for topic, count in agent_topics.items():
            orphans = sorted(set(range(count)) - held[topic])
            if orphans:
                report.problems.append(f"{topic} partitions {orphans} are held by no worker")
    else:
        report.warnings.append(f"group {group} is {report.group_state} (rebalancing)")
    committed = admin.list_group_offsets({group: None}).get(group) or {}
    tps = [TopicPartition(t, p) for t, n in agent_topics.items() for p in range(n)]
    ends = consumer.end_offsets(tps)
    starts = consumer.beginning_offsets(tps)
    for tp in tps:
        done = committed.get(tp)
        position = done.offset if done is not None and done.offset >= 0 else starts[tp]
        report.lag[tp.topic] = report.lag.get(tp.topic, 0) + max(0, ends[tp] - position)
    for topic, lag in report.lag.items():
        if lag:
            report.warnings.append(f"{lag} record(s) of {topic} not yet processed")


def _count_since(consumer: Any, topic: str, since_ms: int) -> int:
    from kafka import TopicPartition

    tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
    if not tps:
        return 0
    ends = consumer.end_offsets(tps)
    found = consumer.offsets_for_times(dict.fromkeys(tps, since_ms))
    return sum(ends[tp] - found[tp].offset for tp in tps if found.get(tp) is not None)


def _recent(report: Report, config: Config, consumer: Any, now: float) -> None:
    since_ms = int((now - RECENT_S) * 1000)
    report.dead_letters_last_hour = _count_since(
        consumer, config.topic("news.deadletter"), since_ms
    )
    report.dead_alerts_last_hour = _count_since(
        consumer, config.topic("news.alerts.dead"), since_ms
    )
    if report.dead_alerts_last_hour:
        report.problems.append(
            f"{report.dead_alerts_last_hour} alert(s) could not be delivered in the last hour "
            "(see `newswatch tail --dead --from-beginning`, then `newswatch alerts redeliver`)"
        )
    if report.dead_letters_last_hour:
        report.warnings.append(
            f"{report.dead_letters_last_hour} record(s) dead-lettered in the last hour"
        )


def _last_alerts(report: Report, config: Config, consumer: Any) -> None:
    """The newest alert per channel among the last records of news.alerts."""
    from kafka import TopicPartition

    topic = config.topic("news.alerts")
    tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
    last: dict[str, dict[str, Any]] = {}
    if tps:
        ends = consumer.end_offsets(tps)
        starts = consumer.beginning_offsets(tps)
        consumer.assign(tps)
        for tp in tps:
            consumer.seek(tp, max(starts[tp], ends[tp] - LAST_ALERT_SCAN))
        deadline = time.monotonic() + 20
        while any(consumer.position(tp) < ends[tp] for tp in tps) and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    try:
                        alert = json.loads(record.value)
                    except (TypeError, ValueError):
                        continue
                    channel = str(alert.get("channel"))
                    at = float(alert.get("created_at") or 0)
                    if channel not in last or at >= last[channel]["created_at"]:
                        last[channel] = {
                            "created_at": at,
                            "title": alert.get("title"),
                            "severity": alert.get("severity"),
                        }
        consumer.unsubscribe()
    for channel in config.channels:
        report.last_alerts[channel.name] = last.get(channel.name, {})


def _ago(ts: float, now: float) -> str:
    seconds = max(0, now - ts)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit} ago"
    return f"{seconds:.0f}s ago"


def render(report: Report, *, as_json: bool = False, now: float | None = None) -> str:
    """The report for the terminal (or as JSON)."""
    if as_json:
        return json.dumps({**asdict(report), "ok": report.ok}, indent=2)
    now = time.time() if now is None else now
    lines = [f"broker     {report.broker}: {'reachable' if report.reachable else 'NOT reachable'}"]
    if report.topics:
        lines.append("topics")
        for t in report.topics:
            count = "missing" if t["partitions"] is None else f"{t['partitions']} partitions"
            lines.append(f"  {t['topic']:<40} {count}")
    if report.reachable:
        lines.append(f"workers    {len(report.workers)} in the group ({report.group_state})")
        for w in report.workers:
            holds = "; ".join(f"{t} {p}" for t, p in sorted(w["holds"].items())) or "nothing"
            lines.append(f"  {w['host']} {w['member']}: {holds}")
        lines.append("lag")
        for topic, lag in sorted(report.lag.items()):
            lines.append(f"  {topic:<40} {lag}")
        lines.append(
            f"last hour  {report.dead_letters_last_hour} dead-lettered, "
            f"{report.dead_alerts_last_hour} dead alerts"
        )
        lines.append("last alert per channel")
        for channel, alert in sorted(report.last_alerts.items()):
            if alert:
                when = _ago(alert["created_at"], now)
                lines.append(f"  {channel:<16} {when}  [{alert['severity']}] {alert['title']}")
            else:
                lines.append(f"  {channel:<16} none recently")
    for warning in report.warnings:
        lines.append(f"warning: {warning}")
    for problem in report.problems:
        lines.append(f"PROBLEM: {problem}")
    lines.append("status: OK" if report.ok else f"status: {len(report.problems)} problem(s)")
    return "\n".join(lines)
