"""The console's history: an embedded SQLite copy of the topics, searchable with FTS5.

Kafka stays the source of truth. ``follow.py`` reads news.items,
news.detections, news.alerts, news.alerts.dead, news.deadletter and the
deliveries changelog and hands each record to ``History.apply``; every
insert is idempotent (keyed by the record's id), and the next offset of every
partition is stored in the same transaction, so a restart goes on where it
stopped and deleting the file rebuilds everything from the topics.

Article text is kept for items that had a detection (the evidence is shown
in it); other items' text is kept only while a detection may still follow
(``UNMATCHED_TEXT_S`` of topic time) and then dropped, so the database grows
with detections, not with the news volume. ``prune`` applies the retention.

Nothing here imports Kafka: tests and the bench fill a History directly.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alerts.fields import detection_actors, detection_facts, severity_rank

#: Text of items without a detection is dropped once detections this much newer were read.
UNMATCHED_TEXT_S = 3600.0

# The FTS tables share the rowid of the row they index (detections, articles): deleting
# or finding an indexed row by rowid is a lookup, by an UNINDEXED column a full scan.
SCHEMA = """
CREATE TABLE IF NOT EXISTS offsets (
    topic TEXT, partition INTEGER, next INTEGER, PRIMARY KEY (topic, partition));
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT, url TEXT, source TEXT, published TEXT, language TEXT,
    text TEXT, ts REAL, matched INTEGER DEFAULT 0);
CREATE TABLE IF NOT EXISTS detections (
    id TEXT PRIMARY KEY, item_id TEXT, detector TEXT, severity TEXT, rank INTEGER,
    summary TEXT, actors TEXT, ts REAL, data TEXT);
CREATE INDEX IF NOT EXISTS detections_ts ON detections (ts DESC);
CREATE INDEX IF NOT EXISTS detections_item ON detections (item_id);
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY, channel TEXT, severity TEXT, rank INTEGER, title TEXT,
    detectors TEXT, actors TEXT, created_at REAL, data TEXT);
CREATE INDEX IF NOT EXISTS alerts_created ON alerts (created_at DESC);
CREATE TABLE IF NOT EXISTS alert_detections (
    alert_id TEXT, detection_id TEXT, PRIMARY KEY (alert_id, detection_id));
CREATE INDEX IF NOT EXISTS alert_detections_d ON alert_detections (detection_id);
CREATE TABLE IF NOT EXISTS dead_alerts (
    alert_id TEXT PRIMARY KEY, channel TEXT, reason TEXT, failed_at REAL, data TEXT);
CREATE TABLE IF NOT EXISTS deliveries (alert_id TEXT PRIMARY KEY, status TEXT, at REAL);
CREATE TABLE IF NOT EXISTS dead_letters (
    topic TEXT, partition INTEGER, offset INTEGER, reason TEXT, source TEXT, key TEXT,
    preview TEXT, failed_at REAL, PRIMARY KEY (topic, partition, offset));
CREATE INDEX IF NOT EXISTS dead_letters_at ON dead_letters (failed_at DESC);
CREATE VIRTUAL TABLE IF NOT EXISTS detections_fts USING fts5(summary, evidence, facts, actors);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, text);
"""


@dataclass
class Filters:
    """What the console's lists can be narrowed to; empty means any."""

    detector: str = ""
    severity: str = ""  # this severity or higher
    actor: str = ""
    channel: str = ""
    since: float | None = None
    until: float | None = None
    q: str = ""  # full-text query
    limit: int = 50
    offset: int = 0

    def to_query(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None, 0, 50)}


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int
    filters: Filters = field(default_factory=Filters)


def fts_query(text: str) -> str:
    """User words as an FTS5 query: each word quoted (no syntax errors), all must match.

    A trailing ``*`` on a word keeps prefix search (``drone*``).
    """
    words = re.findall(r"[\w*]+", text, flags=re.UNICODE)
    parts = []
    for word in words:
        prefix = word.endswith("*")
        word = word.strip("*")
        if word:
            parts.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(parts)


def _joined(values: Iterable[str]) -> str:
    """Values stored as ``,a,b,`` so ``LIKE '%,a,%'`` finds one exactly."""
    values = sorted({v for v in values if v})
    return f",{','.join(values)}," if values else ""


class History:
    """The SQLite history. Thread-safe: one connection guarded by a lock.

    path (str | Path): the database file (its folder is created), or ":memory:".
    """

    def __init__(self, path: str | Path) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        self.lock = threading.RLock()
        self.db = sqlite3.connect(self.path, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        with self.lock:
            self.db.close()

    # --- writing ----------------------------------------------------------------------

    def offsets(self) -> dict[tuple[str, int], int]:
        with self.lock:
            rows = self.db.execute("SELECT topic, partition, next FROM offsets").fetchall()
        return {(r["topic"], r["partition"]): r["next"] for r in rows}

    def apply_batch(self, records: Iterable[tuple[str, str, int, int, Any, float]]) -> int:
        """Store records ``(kind, topic, partition, offset, value, timestamp_s)`` in one
        transaction, with each partition's next offset. Returns how many were applied."""
        count = 0
        with self.lock, self.db:
            nexts: dict[tuple[str, int], int] = {}
            newest = 0.0
            for kind, topic, partition, offset, value, ts in records:
                self.apply(kind, value, ts, where=(topic, partition, offset))
                nexts[(topic, partition)] = offset + 1
                if kind == "detections":
                    newest = max(newest, ts)
                count += 1
            self.db.executemany(
                "INSERT OR REPLACE INTO offsets VALUES (?, ?, ?)",
                [(t, p, n) for (t, p), n in nexts.items()],
            )
            if newest:
                self._drop_unmatched_text(newest - UNMATCHED_TEXT_S)
        return count

    def apply(self, kind: str, value: Any, ts: float, *, where: tuple = ("", 0, 0)) -> None:
        """Store one record of topic ``kind`` (items, detections, alerts, alerts_dead,
        deadletter, deliveries). Unknown shapes are ignored: the topic stays the truth."""
        if not isinstance(value, Mapping) and kind != "deliveries":
            return
        handler = getattr(self, f"_apply_{kind}", None)
        if handler is not None:
            with self.lock:
                handler(value, ts, where)

    def _apply_items(self, item: Mapping[str, Any], ts: float, _where: tuple) -> None:
        if not item.get("id") or not isinstance(item.get("text"), str):
            return
        item_id = str(item["id"])
        matched = self.db.execute(
            "SELECT 1 FROM detections WHERE item_id = ? LIMIT 1", (item_id,)
        ).fetchone()
        self._store_article(item_id, item, ts, text=item["text"], matched=bool(matched))

    def _store_article(
        self, item_id: str, meta: Mapping[str, Any], ts: float, *, text: str | None, matched: bool
    ) -> None:
        row = self.db.execute("SELECT rowid, * FROM articles WHERE id = ?", (item_id,)).fetchone()
        fields = ("title", "url", "source", "published", "language")
        values = {f: meta.get(f) for f in fields}
        if row is not None:
            values = {f: values[f] if values[f] is not None else row[f] for f in fields}
            text = text if text is not None else row["text"]
            matched = matched or bool(row["matched"])
            ts = row["ts"] or ts
            self.db.execute("DELETE FROM articles_fts WHERE rowid = ?", (row["rowid"],))
        cursor = self.db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (item_id, *values.values(), text, ts, int(matched)),
        )
        if matched and text is not None:
            self.db.execute(
                "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                (cursor.lastrowid, values["title"] or "", text),
            )

    def _apply_detections(self, result: Mapping[str, Any], ts: float, _where: tuple) -> None:
        detections = [d for d in result.get("detections") or [] if isinstance(d, Mapping)]
        item_id = str(result.get("id") or "")
        if not detections or not item_id:
            return
        self._store_article(
            item_id, result.get("item") or {"id": item_id}, ts, text=None, matched=True
        )
        for d in detections:
            self._store_detection(d, item_id, ts)

    def _store_detection(self, d: Mapping[str, Any], item_id: str, ts: float) -> None:
        detection_id = str(d.get("id"))
        actors = detection_actors(d)
        evidence = d.get("evidence") or {}
        old = self.db.execute("SELECT rowid FROM detections WHERE id = ?", (detection_id,))
        for (rowid,) in old.fetchall():
            self.db.execute("DELETE FROM detections_fts WHERE rowid = ?", (rowid,))
        cursor = self.db.execute(
            "INSERT OR REPLACE INTO detections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                detection_id,
                item_id,
                str(d.get("detector")),
                str(d.get("severity")),
                severity_rank(d.get("severity")),
                str(d.get("summary") or ""),
                _joined(actors),
                ts,
                json.dumps(dict(d), ensure_ascii=False),
            ),
        )
        self.db.execute(
            "INSERT INTO detections_fts (rowid, summary, evidence, facts, actors) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                cursor.lastrowid,
                str(d.get("summary") or ""),
                str(evidence.get("text") or "") if isinstance(evidence, Mapping) else "",
                " ".join(f"{k} {v}" for k, v in detection_facts(d)),
                " ".join(actors),
            ),
        )

    def _apply_alerts(self, alert: Mapping[str, Any], ts: float, _where: tuple) -> None:
        if not alert.get("id"):
            return
        detections = [d for d in alert.get("detections") or [] if isinstance(d, Mapping)]
        actors = [a for d in detections for a in detection_actors(d)]
        self.db.execute(
            "INSERT OR REPLACE INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                str(alert["id"]),
                str(alert.get("channel")),
                str(alert.get("severity")),
                severity_rank(alert.get("severity")),
                str(alert.get("title") or ""),
                _joined(str(d.get("detector")) for d in detections),
                _joined(actors),
                float(alert.get("created_at") or ts),
                json.dumps(dict(alert), ensure_ascii=False),
            ),
        )
        for d in detections:
            self.db.execute(
                "INSERT OR IGNORE INTO alert_detections VALUES (?, ?)",
                (str(alert["id"]), str(d.get("id"))),
            )
            if not self.db.execute(
                "SELECT 1 FROM detections WHERE id = ?", (str(d.get("id")),)
            ).fetchone():
                self._store_detection(d, str(d.get("item_id") or ""), ts)

    def _apply_alerts_dead(self, record: Mapping[str, Any], ts: float, _where: tuple) -> None:
        alert = record.get("alert") or {}
        if not isinstance(alert, Mapping) or not alert.get("id"):
            return
        self.db.execute(
            "INSERT OR REPLACE INTO dead_alerts VALUES (?, ?, ?, ?, ?)",
            (
                str(alert["id"]),
                str(record.get("channel") or alert.get("channel")),
                str(record.get("reason") or ""),
                float(record.get("failed_at") or ts),
                json.dumps(dict(record), ensure_ascii=False),
            ),
        )

    def _apply_deadletter(self, record: Mapping[str, Any], ts: float, where: tuple) -> None:
        source = record.get("source") or {}
        self.db.execute(
            "INSERT OR REPLACE INTO dead_letters VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                *where,
                str(record.get("reason") or ""),
                f"{source.get('topic')}[{source.get('partition')}]@{source.get('offset')}",
                source.get("key"),
                str(record.get("value_preview") or ""),
                float(record.get("failed_at") or ts),
            ),
        )

    def _apply_deliveries(self, value: Any, ts: float, where: tuple) -> None:
        """The deliveries changelog: key (alert id) arrives as ``where[3]``'s record key."""
        key, status = value if isinstance(value, tuple) else (None, None)
        if not key:
            return
        if status is None:
            self.db.execute("DELETE FROM deliveries WHERE alert_id = ?", (key,))
            return
        self.db.execute(
            "INSERT OR REPLACE INTO deliveries VALUES (?, ?, ?)",
            (key, str(status.get("status")), float(status.get("at") or ts)),
        )

    def _drop_unmatched_text(self, before_ts: float) -> None:
        self.db.execute("DELETE FROM articles WHERE matched = 0 AND ts < ?", (before_ts,))

    def prune(self, retention_s: float, now: float | None = None) -> int:
        """Delete what is older than ``retention_s``; returns the number of rows deleted."""
        cutoff = (now if now is not None else time.time()) - retention_s
        with self.lock, self.db:
            old = "SELECT id FROM detections WHERE ts < :c"
            deleted = 0
            for sql in (
                "DELETE FROM detections_fts WHERE rowid IN "
                "(SELECT rowid FROM detections WHERE ts < :c)",
                f"DELETE FROM alert_detections WHERE detection_id IN ({old})",
                "DELETE FROM detections WHERE ts < :c",
                "DELETE FROM alerts WHERE created_at < :c",
                "DELETE FROM dead_alerts WHERE failed_at < :c",
                "DELETE FROM deliveries WHERE at < :c",
                "DELETE FROM dead_letters WHERE failed_at < :c",
                "DELETE FROM articles_fts WHERE rowid IN "
                "(SELECT rowid FROM articles WHERE ts < :c)",
                "DELETE FROM articles WHERE ts < :c",
            ):
                deleted += self.db.execute(sql, {"c": cutoff}).rowcount
        return deleted

    # --- reading ----------------------------------------------------------------------

    def _where(self, f: Filters, *, table: str) -> tuple[str, dict[str, Any]]:
        """SQL conditions for ``f`` on ``alerts`` (a) or ``detections`` (d)."""
        conds: list[str] = []
        args: dict[str, Any] = {}
        t = "a" if table == "alerts" else "d"
        time_col = "a.created_at" if t == "a" else "d.ts"
        if f.detector:
            if t == "a":
                conds.append("a.detectors LIKE :detector")
                args["detector"] = f"%,{f.detector},%"
            else:
                conds.append("d.detector = :detector")
                args["detector"] = f.detector
        if f.severity:
            conds.append(f"{t}.rank >= :rank")
            args["rank"] = severity_rank(f.severity)
        if f.actor:
            conds.append(f"{t}.actors LIKE :actor")
            args["actor"] = f"%,{f.actor},%"
        if f.channel:
            if t == "a":
                conds.append("a.channel = :channel")
            else:
                conds.append(
                    "d.id IN (SELECT ad.detection_id FROM alert_detections ad JOIN alerts x "
                    "ON x.id = ad.alert_id WHERE x.channel = :channel)"
                )
            args["channel"] = f.channel
        if f.since is not None:
            conds.append(f"{time_col} >= :since")
            args["since"] = f.since
        if f.until is not None:
            conds.append(f"{time_col} < :until")
            args["until"] = f.until
        query = fts_query(f.q)
        if query:
            matching = (
                "SELECT dd.id FROM detections dd WHERE dd.rowid IN "
                "(SELECT rowid FROM detections_fts WHERE detections_fts MATCH :q) "
                "UNION SELECT dd.id FROM detections dd JOIN articles ar ON ar.id = dd.item_id "
                "WHERE ar.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q)"
            )
            if t == "a":
                conds.append(
                    "a.id IN (SELECT alert_id FROM alert_detections WHERE detection_id IN "
                    f"({matching}))"
                )
            else:
                conds.append(f"d.id IN ({matching})")
            args["q"] = query
        return (" WHERE " + " AND ".join(conds)) if conds else "", args

    def alerts(self, f: Filters) -> Page:
        """Alerts newest first, with their detections and articles."""
        where, args = self._where(f, table="alerts")
        with self.lock:
            total = self.db.execute(f"SELECT count(*) FROM alerts a{where}", args).fetchone()[0]
            rows = self.db.execute(
                f"SELECT a.data, a.id FROM alerts a{where} ORDER BY a.created_at DESC "
                "LIMIT :limit OFFSET :offset",
                {**args, "limit": f.limit, "offset": f.offset},
            ).fetchall()
            alerts = []
            for row in rows:
                alert = json.loads(row["data"])
                alert["delivery"] = self._delivery(row["id"])
                alerts.append(alert)
        return Page(alerts, total, f)

    def _delivery(self, alert_id: str) -> str:
        row = self.db.execute(
            "SELECT status FROM deliveries WHERE alert_id = ?", (alert_id,)
        ).fetchone()
        if row is not None:
            return str(row["status"])
        dead = self.db.execute("SELECT 1 FROM dead_alerts WHERE alert_id = ?", (alert_id,))
        return "dead" if dead.fetchone() else "pending"

    def detections(self, f: Filters) -> Page:
        """Detections newest first, each with its article and the alerts that carried it."""
        where, args = self._where(f, table="detections")
        with self.lock:
            total = self.db.execute(f"SELECT count(*) FROM detections d{where}", args).fetchone()[0]
            rows = self.db.execute(
                f"SELECT d.data, d.item_id, d.ts FROM detections d{where} ORDER BY d.ts DESC "
                "LIMIT :limit OFFSET :offset",
                {**args, "limit": f.limit, "offset": f.offset},
            ).fetchall()
            out = []
            for row in rows:
                d = json.loads(row["data"])
                d["seen_at"] = row["ts"]
                d["alerts"] = [
                    dict(r)
                    for r in self.db.execute(
                        "SELECT a.id, a.channel, a.created_at FROM alert_detections ad "
                        "JOIN alerts a ON a.id = ad.alert_id WHERE ad.detection_id = ?",
                        (d.get("id"),),
                    )
                ]
                out.append(d)
        return Page(out, total, f)

    def article(self, item_id: str) -> dict[str, Any] | None:
        with self.lock:
            row = self.db.execute("SELECT * FROM articles WHERE id = ?", (item_id,)).fetchone()
        return dict(row) if row is not None else None

    def articles(self, item_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        ids = list(dict.fromkeys(item_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self.lock:
            rows = self.db.execute(f"SELECT * FROM articles WHERE id IN ({marks})", ids)
            return {r["id"]: dict(r) for r in rows.fetchall()}

    def dead_alerts(self, limit: int = 200) -> list[dict[str, Any]]:
        with self.lock:
            rows = self.db.execute(
                "SELECT d.*, v.status FROM dead_alerts d LEFT JOIN deliveries v "
                "ON v.alert_id = d.alert_id ORDER BY d.failed_at DESC LIMIT ?",
                (limit,),
            ).fetchall()
        out = []
        for row in rows:
            record = json.loads(row["data"])
            out.append(
                {
                    "alert_id": row["alert_id"],
                    "channel": row["channel"],
                    "reason": row["reason"],
                    "failed_at": row["failed_at"],
                    "title": (record.get("alert") or {}).get("title", ""),
                    "failed": record.get("failed") or [],
                    "attempts": record.get("attempts"),
                    "status": "delivered since" if row["status"] == "delivered" else "dead",
                }
            )
        return out

    def dead_letters(self, limit: int = 200) -> list[dict[str, Any]]:
        with self.lock:
            rows = self.db.execute(
                "SELECT * FROM dead_letters ORDER BY failed_at DESC LIMIT ?", (limit,)
            ).fetchall()
        return [dict(r) for r in rows]

    def counts(self) -> dict[str, int]:
        with self.lock:
            return {
                table: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("alerts", "detections", "articles", "dead_alerts", "dead_letters")
            }

    def choices(self) -> dict[str, list[str]]:
        """Values seen, for the filter menus."""
        with self.lock:
            detectors = [r[0] for r in self.db.execute("SELECT DISTINCT detector FROM detections")]
            channels = [r[0] for r in self.db.execute("SELECT DISTINCT channel FROM alerts")]
            actors: set[str] = set()
            for (joined,) in self.db.execute("SELECT DISTINCT actors FROM detections LIMIT 5000"):
                actors.update(a for a in (joined or "").split(",") if a)
        return {
            "detectors": sorted(detectors),
            "channels": sorted(channels),
            "actors": sorted(actors),
        }
