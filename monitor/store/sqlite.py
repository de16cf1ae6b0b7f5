"""The embedded SQLite store: one file, safe for threads and for processes on one host.

Same contract as ``RedisStore`` (see ``monitor/store/__init__.py``). A claim is a token and a lease
deadline in the alert row, taken in a ``BEGIN IMMEDIATE`` transaction (SQLite's write lock), so two
connections or two processes racing get one claim; documents are leased the same way. Budgets and
pauses use this host's clock. Retention is a periodic prune instead of key TTLs: seen keys,
delivered and dropped alerts and finished documents go after ``retention_days``, parsed reports
after ``report_retention_days``, records when they expire; pending alerts never.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from monitor.errors import StoreError
from monitor.filing import Filing
from monitor.store import (
    ALERT_FILING,
    DAY_S,
    PRIORITIES,
    REPORT_RETENTION_DAYS,
    Claim,
    DeliveryState,
    DocumentBacklog,
    DocumentTask,
    PendingAlert,
    RerouteResult,
)

logger = logging.getLogger(__name__)

PRUNE_EVERY_S = 3600.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (ns TEXT NOT NULL, key TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (ns, key));
CREATE TABLE IF NOT EXISTS meta (ns TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (ns, name));
CREATE TABLE IF NOT EXISTS epoch (ns TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alerts (ns TEXT NOT NULL, fid TEXT NOT NULL, channel TEXT NOT NULL,
    filing TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
    enqueued_at REAL NOT NULL, token TEXT, owner TEXT, lease_until REAL, delivered_at REAL,
    receipt TEXT, PRIMARY KEY (ns, fid, channel));
CREATE INDEX IF NOT EXISTS alerts_pending ON alerts (ns, state, enqueued_at);
CREATE TABLE IF NOT EXISTS documents (ns TEXT NOT NULL, fid TEXT NOT NULL, parser TEXT NOT NULL,
    filing TEXT NOT NULL, priority TEXT NOT NULL, submitted_at REAL NOT NULL, owner TEXT,
    lease_until REAL, lease_s REAL, deliveries INTEGER NOT NULL DEFAULT 0, done_at REAL,
    PRIMARY KEY (ns, fid, parser));
CREATE TABLE IF NOT EXISTS reports (ns TEXT NOT NULL, fid TEXT NOT NULL, released_at REAL NOT NULL,
    record TEXT NOT NULL, saved_at REAL NOT NULL, PRIMARY KEY (ns, fid));
CREATE TABLE IF NOT EXISTS report_stocks (ns TEXT NOT NULL, code TEXT NOT NULL, fid TEXT NOT NULL,
    released_at REAL NOT NULL, PRIMARY KEY (ns, code, fid));
CREATE TABLE IF NOT EXISTS records (ns TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
    value TEXT NOT NULL, expires_at REAL, PRIMARY KEY (ns, kind, key));
CREATE TABLE IF NOT EXISTS limits (ns TEXT NOT NULL, name TEXT NOT NULL, next_at REAL NOT NULL DEFAULT 0,
    paused_until REAL NOT NULL DEFAULT 0, PRIMARY KEY (ns, name));
"""
# Columns added since the first release; a state file written by it gains them on open.
_ADDED_COLUMNS = {
    "alerts": (("kind", f"TEXT NOT NULL DEFAULT '{ALERT_FILING}'"), ("data", "TEXT NOT NULL DEFAULT '{}'"),
               ("uncertain", "INTEGER NOT NULL DEFAULT 0"), ("not_before", "REAL NOT NULL DEFAULT 0"),
               ("dropped_at", "REAL")),
}


def sqlite_path(url: str) -> str:
    """``sqlite:///abs/path``, ``sqlite:///~/path`` (home expanded) or ``memory://`` -> a path."""
    if url in ("memory://", "sqlite://", "sqlite:///:memory:"):
        return ":memory:"
    if not url.startswith("sqlite://"):
        raise ValueError(f"not a sqlite URL: {url!r}")
    rest = url[len("sqlite://"):]
    if rest.startswith("/~"):
        rest = rest[1:]
    return str(Path(rest).expanduser())


class SqliteStore:
    """``Store`` on one SQLite file (or in memory). Thread-safe; every failure is a ``StoreError``."""

    def __init__(self, url: str, *, namespace: str = "hkexmon", retention_days: int = 45,
                 report_retention_days: int = REPORT_RETENTION_DAYS, timeout_s: float = 10.0) -> None:
        self.url = url
        self.ns = namespace
        self.retention_s = retention_days * DAY_S
        self.report_retention_s = max(report_retention_days, retention_days) * DAY_S
        self._lock = threading.RLock()
        self._next_prune = 0.0
        path = sqlite_path(url)
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=timeout_s, isolation_level=None,
                                       check_same_thread=False)
            if path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._migrate()
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open SQLite store {url}: {exc}") from exc
        self._maybe_prune()

    def _migrate(self) -> None:
        for table, columns in _ADDED_COLUMNS.items():
            have = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            for name, decl in columns:
                if name not in have:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")

    @contextmanager
    def _tx(self, what: str, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction under the instance lock; IMMEDIATE takes SQLite's write lock up front."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"SQLite store {self.url}: {what} failed: {exc}") from exc

    def ping(self) -> None:
        with self._tx("ping", write=False) as db:
            db.execute("SELECT 1").fetchone()

    # -- discovery bookkeeping -------------------------------------------------------------------
    def unseen(self, keys: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        with self._tx("unseen", write=False) as db:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                marks = ",".join("?" * len(chunk))
                found.update(r[0] for r in db.execute(
                    f"SELECT key FROM seen WHERE ns = ? AND key IN ({marks})", [self.ns, *chunk]))
        return set(wanted) - found

    def mark_seen(self, keys: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return
        now = time.time()
        with self._tx("mark_seen") as db:
            db.executemany("INSERT OR REPLACE INTO seen (ns, key, at) VALUES (?, ?, ?)",
                           [(self.ns, k, now) for k in wanted])
        self._maybe_prune()

    def get_meta(self, name: str) -> str | None:
        with self._tx("get_meta", write=False) as db:
            row = db.execute("SELECT value FROM meta WHERE ns = ? AND name = ?", (self.ns, name)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, name: str, value: str) -> None:
        with self._tx("set_meta") as db:
            db.execute("INSERT OR REPLACE INTO meta (ns, name, value) VALUES (?, ?, ?)",
                       (self.ns, name, value))

    def ensure_epoch(self) -> tuple[str, bool]:
        fresh = f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}/{uuid.uuid4().hex[:8]}"
        with self._tx("ensure_epoch") as db:
            created = db.execute("INSERT OR IGNORE INTO epoch (ns, value) VALUES (?, ?)",
                                 (self.ns, fresh)).rowcount == 1
            row = db.execute("SELECT value FROM epoch WHERE ns = ?", (self.ns,)).fetchone()
        return str(row[0]), created

    # -- outbox ----------------------------------------------------------------------------------
    def enqueue(self, filing: Filing, channel: str, *, data: dict[str, Any] | None = None) -> bool:
        return self._enqueue_alert(filing.id, channel, ALERT_FILING, json.dumps(filing.to_dict()), data or {})

    def enqueue_message(self, alert_id: str, channel: str, kind: str, data: dict[str, Any]) -> bool:
        if kind == ALERT_FILING:
            raise ValueError("use enqueue() for a filing's alert")
        return self._enqueue_alert(alert_id, channel, kind, "", data)

    def _enqueue_alert(self, aid: str, channel: str, kind: str, filing_json: str,
                       data: dict[str, Any]) -> bool:
        with self._tx("enqueue") as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO alerts (ns, fid, channel, filing, state, enqueued_at, kind, data) "
                "VALUES (?, ?, ?, ?, 'new', ?, ?, ?)",
                (self.ns, aid, channel, filing_json, time.time(), kind, json.dumps(data)))
            created = cur.rowcount == 1
        self._maybe_prune()
        return created

    def pending(self, limit: int = 1000) -> list[PendingAlert]:
        now = time.time()
        with self._tx("pending", write=False) as db:
            rows = db.execute(
                "SELECT fid, channel, kind, filing, data, attempts, last_error, enqueued_at, uncertain, "
                "not_before, owner, lease_until, token FROM alerts "
                "WHERE ns = ? AND state NOT IN ('delivered', 'dropped') ORDER BY enqueued_at, fid, channel "
                "LIMIT ?", (self.ns, max(limit, 1))).fetchall()
        return [_pending_alert(row[:10], owner=row[10] if row[12] and row[11] is not None and row[11] > now
                               else None) for row in rows]

    def claim(self, alert_id: str, channel: str, owner: str, lease_s: float) -> Claim | None:
        token = uuid.uuid4().hex
        now = time.time()
        key = (self.ns, alert_id, channel)
        with self._tx("claim") as db:
            row = db.execute("SELECT state, attempts, token, owner, lease_until, uncertain FROM alerts "
                             "WHERE ns = ? AND fid = ? AND channel = ?", key).fetchone()
            if row is None or row[0] in ("delivered", "dropped"):
                return None
            state, attempts, prev, prev_owner, lease_until, uncertain = row
            if prev and lease_until is not None and lease_until > now:
                return None  # someone holds a live lease
            taken = bool(prev)
            if taken:
                attempts += 1
            db.execute(
                "UPDATE alerts SET state = 'claimed', token = ?, owner = ?, lease_until = ?, "
                "attempts = ?, last_error = CASE WHEN ? THEN ? ELSE last_error END "
                "WHERE ns = ? AND fid = ? AND channel = ?",
                (token, owner, now + lease_s, attempts, taken,
                 f"claim by {prev_owner} expired before it finished", *key))
        return Claim(alert_id, channel, token, int(attempts), taken, bool(uncertain))

    def mark_delivered(self, claim: Claim, receipt: str | None = None) -> bool:
        with self._tx("mark_delivered") as db:
            cur = db.execute(
                "UPDATE alerts SET state = 'delivered', token = NULL, lease_until = NULL, uncertain = 0, "
                "delivered_at = ?, receipt = ? WHERE ns = ? AND fid = ? AND channel = ? AND token = ?",
                (time.time(), receipt, self.ns, claim.alert_id, claim.channel, claim.token))
            return cur.rowcount == 1

    def release(self, claim: Claim, error: str, *, uncertain: bool = False, retry_in_s: float = 0.0) -> int:
        key = (self.ns, claim.alert_id, claim.channel)
        now = time.time()
        with self._tx("release") as db:
            db.execute(
                "UPDATE alerts SET state = 'new', token = NULL, lease_until = NULL, attempts = attempts + 1, "
                "last_error = ?, uncertain = ?, not_before = ? "
                "WHERE ns = ? AND fid = ? AND channel = ? AND token = ?",
                (error[:1000], int(uncertain), now + retry_in_s if retry_in_s else 0, *key, claim.token))
            row = db.execute("SELECT attempts FROM alerts WHERE ns = ? AND fid = ? AND channel = ?",
                             key).fetchone()
        return 0 if row is None else int(row[0])

    def state(self, alert_id: str, channel: str) -> DeliveryState:
        with self._tx("state", write=False) as db:
            row = db.execute("SELECT state, lease_until FROM alerts WHERE ns = ? AND fid = ? AND channel = ?",
                             (self.ns, alert_id, channel)).fetchone()
        if row is None:
            return DeliveryState.UNKNOWN
        if row[0] in ("delivered", "dropped"):
            return DeliveryState(row[0])
        live = row[0] == "claimed" and row[1] is not None and row[1] > time.time()
        return DeliveryState.CLAIMED if live else DeliveryState.NEW

    def receipt(self, alert_id: str, channel: str) -> str | None:
        with self._tx("receipt", write=False) as db:
            row = db.execute("SELECT receipt FROM alerts WHERE ns = ? AND fid = ? AND channel = ? "
                             "AND state = 'delivered'", (self.ns, alert_id, channel)).fetchone()
        return str(row[0]) if row and row[0] else None

    def get_alert(self, alert_id: str, channel: str) -> PendingAlert | None:
        with self._tx("get_alert", write=False) as db:
            row = db.execute("SELECT fid, channel, kind, filing, data, attempts, last_error, enqueued_at, "
                             "uncertain, not_before FROM alerts WHERE ns = ? AND fid = ? AND channel = ?",
                             (self.ns, alert_id, channel)).fetchone()
        if row is None:
            return None
        return _pending_alert(row)

    # -- operator actions ------------------------------------------------------------------------
    def drop(self, alert_id: str, channel: str, reason: str) -> bool:
        now = time.time()
        with self._tx("drop") as db:
            cur = db.execute(
                "UPDATE alerts SET state = 'dropped', token = NULL, lease_until = NULL, last_error = ?, "
                "dropped_at = ? WHERE ns = ? AND fid = ? AND channel = ? "
                "AND state NOT IN ('delivered', 'dropped') AND NOT (token IS NOT NULL AND lease_until > ?)",
                (reason[:1000], now, self.ns, alert_id, channel, now))
            return cur.rowcount == 1

    def reroute(self, alert_id: str, channel: str, new_channel: str) -> RerouteResult:
        now = time.time()
        with self._tx("reroute") as db:
            row = db.execute("SELECT state, token, lease_until FROM alerts WHERE ns = ? AND fid = ? "
                             "AND channel = ?", (self.ns, alert_id, channel)).fetchone()
            if row is None or row[0] in ("delivered", "dropped"):
                return "not_pending"
            if new_channel == channel:
                return "merged"
            if row[1] and row[2] is not None and row[2] > now:
                return "claimed"
            exists = db.execute("SELECT 1 FROM alerts WHERE ns = ? AND fid = ? AND channel = ?",
                                (self.ns, alert_id, new_channel)).fetchone()
            result: RerouteResult = "merged" if exists else "rerouted"
            if not exists:
                db.execute(
                    "INSERT INTO alerts (ns, fid, channel, filing, state, attempts, last_error, enqueued_at, "
                    "kind, data, uncertain, not_before) SELECT ns, fid, ?, filing, 'new', attempts, "
                    "last_error, enqueued_at, kind, data, uncertain, not_before FROM alerts "
                    "WHERE ns = ? AND fid = ? AND channel = ?", (new_channel, self.ns, alert_id, channel))
            reason = ("rerouted to " if result == "rerouted" else "merged into the alert for ") + new_channel
            db.execute("UPDATE alerts SET state = 'dropped', token = NULL, lease_until = NULL, "
                       "last_error = ?, dropped_at = ? WHERE ns = ? AND fid = ? AND channel = ?",
                       (reason, now, self.ns, alert_id, channel))
        return result

    def retry_now(self, alert_id: str | None = None, channel: str | None = None) -> int:
        with self._tx("retry_now") as db:
            cur = db.execute(
                "UPDATE alerts SET not_before = 0 WHERE ns = ? AND state NOT IN ('delivered', 'dropped') "
                "AND (? IS NULL OR fid = ?) AND (? IS NULL OR channel = ?)",
                (self.ns, alert_id, alert_id, channel, channel))
            return cur.rowcount

    # -- documents to read -------------------------------------------------------------------------
    def submit_document(self, filing: Filing, parser: str, *, priority: str = "high") -> bool:
        if priority not in PRIORITIES:
            raise ValueError(f"priority must be one of {PRIORITIES}, got {priority!r}")
        with self._tx("submit_document") as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO documents (ns, fid, parser, filing, priority, submitted_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", (self.ns, filing.id, parser, json.dumps(filing.to_dict()),
                                              priority, time.time()))
            return cur.rowcount == 1

    def take_documents(self, consumer: str, count: int, *, reclaim_idle_s: float,
                       block_s: float = 0.0) -> list[DocumentTask]:
        deadline = time.monotonic() + block_s
        while True:
            tasks = self._take(consumer, count, reclaim_idle_s)
            if tasks or time.monotonic() >= deadline:
                return tasks
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))

    def _take(self, consumer: str, count: int, reclaim_idle_s: float) -> list[DocumentTask]:
        now = time.time()
        with self._tx("take_documents") as db:
            rows = db.execute(
                "SELECT fid, parser, filing, priority, submitted_at, deliveries FROM documents "
                "WHERE ns = ? AND done_at IS NULL AND (owner IS NULL OR lease_until <= ?) "
                "ORDER BY owner IS NULL, priority = 'low', submitted_at LIMIT ?",
                (self.ns, now, max(1, count))).fetchall()
            for fid, parser, *_ in rows:
                db.execute("UPDATE documents SET owner = ?, lease_until = ?, lease_s = ?, "
                           "deliveries = deliveries + 1 WHERE ns = ? AND fid = ? AND parser = ?",
                           (consumer, now + reclaim_idle_s, reclaim_idle_s, self.ns, fid, parser))
        return [DocumentTask(id=json.dumps([fid, parser]), filing=Filing.from_dict(json.loads(f)),
                             parser=parser, submitted_at=float(at), deliveries=int(n) + 1, priority=priority)
                for fid, parser, f, priority, at, n in rows]

    def renew_document(self, task: DocumentTask, consumer: str) -> None:
        fid, parser = json.loads(task.id)
        with self._tx("renew_document") as db:
            db.execute("UPDATE documents SET owner = ?, lease_until = ? + lease_s WHERE ns = ? AND fid = ? "
                       "AND parser = ? AND done_at IS NULL", (consumer, time.time(), self.ns, fid, parser))

    def finish_document(self, task: DocumentTask) -> None:
        fid, parser = json.loads(task.id)
        with self._tx("finish_document") as db:
            db.execute("UPDATE documents SET done_at = ?, owner = NULL, lease_until = NULL "
                       "WHERE ns = ? AND fid = ? AND parser = ?", (time.time(), self.ns, fid, parser))

    def document_backlog(self) -> DocumentBacklog:
        with self._tx("document_backlog", write=False) as db:
            rows = db.execute("SELECT owner, COUNT(*), MIN(submitted_at) FROM documents "
                              "WHERE ns = ? AND done_at IS NULL GROUP BY owner", (self.ns,)).fetchall()
        waiting = sum(n for owner, n, _ in rows if owner is None)
        by_consumer = {str(owner): int(n) for owner, n, _ in rows if owner is not None}
        oldest = min((at for _, _, at in rows), default=None)
        return DocumentBacklog(waiting, sum(by_consumer.values()), by_consumer,
                               None if oldest is None else max(0.0, time.time() - oldest))

    # -- parsed results --------------------------------------------------------------------------
    def save_report(self, filing: Filing, report: dict[str, Any]) -> None:
        now = time.time()
        released = filing.released_at.timestamp()
        record = json.dumps({"filing": filing.to_dict(), "payload": report, "saved_at": now})
        with self._tx("save_report") as db:
            db.execute("INSERT OR REPLACE INTO reports (ns, fid, released_at, record, saved_at) "
                       "VALUES (?, ?, ?, ?, ?)", (self.ns, filing.id, released, record, now))
            db.executemany("INSERT OR REPLACE INTO report_stocks (ns, code, fid, released_at) "
                           "VALUES (?, ?, ?, ?)",
                           [(self.ns, c, filing.id, released) for c in filing.stock_codes])
        self._maybe_prune()

    def get_report(self, filing_id: str) -> dict[str, Any] | None:
        with self._tx("get_report", write=False) as db:
            row = db.execute("SELECT record FROM reports WHERE ns = ? AND fid = ?",
                             (self.ns, filing_id)).fetchone()
        return None if row is None else dict(json.loads(row[0])["payload"])

    def previous_reports(self, stock_code: str, before_filing_id: str, limit: int = 4
                         ) -> list[dict[str, Any]]:
        """Results reports with figures (errors and notices skipped) released before ``before_filing_id``."""
        with self._tx("previous_reports", write=False) as db:
            row = db.execute("SELECT released_at FROM report_stocks WHERE ns = ? AND code = ? AND fid = ?",
                             (self.ns, stock_code, before_filing_id)).fetchone()
            top = float("inf") if row is None else row[0]
            rows = db.execute(
                "SELECT r.record FROM report_stocks s JOIN reports r ON r.ns = s.ns AND r.fid = s.fid "
                "WHERE s.ns = ? AND s.code = ? AND s.fid != ? AND s.released_at <= ? "
                "ORDER BY s.released_at DESC, s.fid DESC",
                (self.ns, stock_code, before_filing_id, top)).fetchall()
        out: list[dict[str, Any]] = []
        for (raw,) in rows:
            payload = json.loads(raw)["payload"]
            if "error" not in payload and payload.get("document", "results") == "results":
                out.append(payload)
            if len(out) >= limit:
                break
        return out

    # -- named records ---------------------------------------------------------------------------
    def put_record(self, kind: str, key: str, value: dict[str, Any], *,
                   ttl_s: float | None = None) -> None:
        expires = None if ttl_s is None else time.time() + ttl_s
        with self._tx("put_record") as db:
            db.execute("INSERT OR REPLACE INTO records (ns, kind, key, value, expires_at) "
                       "VALUES (?, ?, ?, ?, ?)", (self.ns, kind, key, json.dumps(value), expires))

    def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        with self._tx("get_record", write=False) as db:
            row = db.execute("SELECT value FROM records WHERE ns = ? AND kind = ? AND key = ? "
                             "AND (expires_at IS NULL OR expires_at > ?)",
                             (self.ns, kind, key, time.time())).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def records(self, kind: str) -> dict[str, dict[str, Any]]:
        with self._tx("records", write=False) as db:
            rows = db.execute("SELECT key, value FROM records WHERE ns = ? AND kind = ? "
                              "AND (expires_at IS NULL OR expires_at > ?) ORDER BY key",
                              (self.ns, kind, time.time())).fetchall()
        return {str(k): dict(json.loads(v)) for k, v in rows}

    def delete_record(self, kind: str, key: str) -> None:
        with self._tx("delete_record") as db:
            db.execute("DELETE FROM records WHERE ns = ? AND kind = ? AND key = ?", (self.ns, kind, key))

    # -- shared budgets --------------------------------------------------------------------------
    def reserve(self, name: str, interval_s: float) -> float:
        now = time.time()
        with self._tx("reserve") as db:
            row = db.execute("SELECT next_at FROM limits WHERE ns = ? AND name = ?",
                             (self.ns, name)).fetchone()
            at = max(now, row[0] if row else 0.0)
            db.execute("INSERT INTO limits (ns, name, next_at) VALUES (?, ?, ?) "
                       "ON CONFLICT (ns, name) DO UPDATE SET next_at = excluded.next_at",
                       (self.ns, name, at + interval_s))
        return at - now

    def pause(self, name: str, seconds: float) -> float:
        now = time.time()
        with self._tx("pause") as db:
            row = db.execute("SELECT paused_until FROM limits WHERE ns = ? AND name = ?",
                             (self.ns, name)).fetchone()
            until = max(row[0] if row else 0.0, now + seconds)
            db.execute("INSERT INTO limits (ns, name, paused_until) VALUES (?, ?, ?) "
                       "ON CONFLICT (ns, name) DO UPDATE SET paused_until = excluded.paused_until",
                       (self.ns, name, until))
        return until - now

    def paused_for(self, name: str) -> float:
        with self._tx("paused_for", write=False) as db:
            row = db.execute("SELECT paused_until FROM limits WHERE ns = ? AND name = ?",
                             (self.ns, name)).fetchone()
        return max(0.0, (row[0] if row else 0.0) - time.time())

    # -- retention -------------------------------------------------------------------------------
    def prune(self, now: float | None = None) -> int:
        """Drop what retention says is old; returns the rows removed."""
        now = time.time() if now is None else now
        cut, report_cut = now - self.retention_s, now - self.report_retention_s
        with self._tx("prune") as db:
            n = db.execute("DELETE FROM seen WHERE ns = ? AND at < ?", (self.ns, cut)).rowcount
            n += db.execute("DELETE FROM alerts WHERE ns = ? AND ((state = 'delivered' AND delivered_at < ?) "
                            "OR (state = 'dropped' AND dropped_at < ?))", (self.ns, cut, cut)).rowcount
            n += db.execute("DELETE FROM documents WHERE ns = ? AND done_at < ?", (self.ns, cut)).rowcount
            n += db.execute("DELETE FROM reports WHERE ns = ? AND saved_at < ?",
                            (self.ns, report_cut)).rowcount
            db.execute("DELETE FROM report_stocks WHERE ns = ? AND fid NOT IN "
                       "(SELECT fid FROM reports WHERE ns = ?)", (self.ns, self.ns))
            n += db.execute("DELETE FROM records WHERE ns = ? AND expires_at < ?", (self.ns, now)).rowcount
        return n

    def _maybe_prune(self) -> None:
        if time.monotonic() >= self._next_prune:
            self._next_prune = time.monotonic() + PRUNE_EVERY_S
            removed = self.prune()
            if removed:
                logger.info("pruned %d expired rows from %s", removed, self.url)

    def close(self) -> None:
        with self._lock:
            try:
                self._db.close()
            except sqlite3.Error:
                logger.debug("closing SQLite store %s failed", self.url, exc_info=True)


def _pending_alert(row: tuple[Any, ...], owner: str | None = None) -> PendingAlert:
    """(fid, channel, kind, filing, data, attempts, last_error, enqueued_at, uncertain, not_before)."""
    aid, ch, kind, f, data, n, err, at, unc, nb = row
    return PendingAlert(id=aid, channel=ch, kind=kind, filing=Filing.from_dict(json.loads(f)) if f else None,
                        data=json.loads(data or "{}"), attempts=int(n), last_error=err or None,
                        enqueued_at=float(at), uncertain=bool(unc), not_before=float(nb or 0), owner=owner)
