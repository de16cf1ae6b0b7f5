"""The embedded SQLite dedupe/outbox store: one file, safe for threads and for processes on one host.

Same contract as ``RedisStore``. A claim is a token and a lease deadline in the alert row, taken in
a ``BEGIN IMMEDIATE`` transaction (SQLite's write lock), so two connections or two processes racing
get one claim. Retention is a periodic prune instead of key TTLs: seen keys and delivered alerts go
after ``retention_days``, parsed reports after ``report_retention_days``; pending alerts never.
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
from monitor.store import Claim, DeliveryState, PendingAlert

logger = logging.getLogger(__name__)

DAY_S = 86_400
REPORT_RETENTION_DAYS = 400  # long enough to compare an interim with last year's final results
PRUNE_EVERY_S = 3600.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (ns TEXT NOT NULL, key TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (ns, key));
CREATE TABLE IF NOT EXISTS meta (ns TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (ns, name));
CREATE TABLE IF NOT EXISTS alerts (ns TEXT NOT NULL, fid TEXT NOT NULL, channel TEXT NOT NULL,
    filing TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
    enqueued_at REAL NOT NULL, token TEXT, owner TEXT, lease_until REAL, delivered_at REAL,
    receipt TEXT, PRIMARY KEY (ns, fid, channel));
CREATE INDEX IF NOT EXISTS alerts_pending ON alerts (ns, state, enqueued_at);
CREATE TABLE IF NOT EXISTS reports (ns TEXT NOT NULL, fid TEXT NOT NULL, released_at REAL NOT NULL,
    record TEXT NOT NULL, saved_at REAL NOT NULL, PRIMARY KEY (ns, fid));
CREATE TABLE IF NOT EXISTS report_stocks (ns TEXT NOT NULL, code TEXT NOT NULL, fid TEXT NOT NULL,
    released_at REAL NOT NULL, PRIMARY KEY (ns, code, fid));
"""


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
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open SQLite store {url}: {exc}") from exc
        self._maybe_prune()

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
        now = time.time()
        with self._tx("mark_seen") as db:
            db.executemany("INSERT OR REPLACE INTO seen (ns, key, at) VALUES (?, ?, ?)",
                           [(self.ns, k, now) for k in dict.fromkeys(keys)])
        self._maybe_prune()

    def get_meta(self, name: str) -> str | None:
        with self._tx("get_meta", write=False) as db:
            row = db.execute("SELECT value FROM meta WHERE ns = ? AND name = ?", (self.ns, name)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, name: str, value: str) -> None:
        with self._tx("set_meta") as db:
            db.execute("INSERT OR REPLACE INTO meta (ns, name, value) VALUES (?, ?, ?)",
                       (self.ns, name, value))

    # -- outbox ----------------------------------------------------------------------------------
    def enqueue(self, filing: Filing, channel: str) -> bool:
        with self._tx("enqueue") as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO alerts (ns, fid, channel, filing, state, enqueued_at) "
                "VALUES (?, ?, ?, ?, 'new', ?)",
                (self.ns, filing.id, channel, json.dumps(filing.to_dict()), time.time()))
            created = cur.rowcount == 1
        self._maybe_prune()
        return created

    def pending(self, limit: int = 1000) -> list[PendingAlert]:
        with self._tx("pending", write=False) as db:
            rows = db.execute(
                "SELECT filing, channel, attempts, last_error, enqueued_at FROM alerts "
                "WHERE ns = ? AND state != 'delivered' ORDER BY enqueued_at, fid, channel LIMIT ?",
                (self.ns, max(limit, 1))).fetchall()
        return [PendingAlert(Filing.from_dict(json.loads(f)), ch, int(n), err or None, float(at))
                for f, ch, n, err, at in rows]

    def claim(self, filing_id: str, channel: str, owner: str, lease_s: float) -> Claim | None:
        token = uuid.uuid4().hex
        now = time.time()
        key = (self.ns, filing_id, channel)
        with self._tx("claim") as db:
            row = db.execute("SELECT state, attempts, token, owner, lease_until FROM alerts "
                             "WHERE ns = ? AND fid = ? AND channel = ?", key).fetchone()
            if row is None or row[0] == "delivered":
                return None
            state, attempts, prev, prev_owner, lease_until = row
            if prev and lease_until is not None and lease_until > now:
                return None  # someone holds a live lease
            taken = bool(prev)
            if taken:
                attempts += 1
            db.execute(
                "UPDATE alerts SET state = 'claimed', token = ?, owner = ?, lease_until = ?, "
                "attempts = ?, last_error = CASE WHEN ? THEN ? ELSE last_error END "
                "WHERE ns = ? AND fid = ? AND channel = ? AND state != 'delivered'",
                (token, owner, now + lease_s, attempts, taken,
                 f"claim by {prev_owner} expired before it finished", *key))
        return Claim(filing_id, channel, token, int(attempts), taken)

    def mark_delivered(self, claim: Claim, receipt: str | None = None) -> bool:
        with self._tx("mark_delivered") as db:
            cur = db.execute(
                "UPDATE alerts SET state = 'delivered', token = NULL, lease_until = NULL, "
                "delivered_at = ?, receipt = ? WHERE ns = ? AND fid = ? AND channel = ? AND token = ?",
                (time.time(), receipt, self.ns, claim.filing_id, claim.channel, claim.token))
            return cur.rowcount == 1

    def release(self, claim: Claim, error: str) -> int:
        key = (self.ns, claim.filing_id, claim.channel)
        with self._tx("release") as db:
            db.execute(
                "UPDATE alerts SET state = 'new', token = NULL, lease_until = NULL, attempts = attempts + 1, "
                "last_error = ? WHERE ns = ? AND fid = ? AND channel = ? AND token = ?",
                (error[:1000], *key, claim.token))
            row = db.execute("SELECT attempts FROM alerts WHERE ns = ? AND fid = ? AND channel = ?",
                             key).fetchone()
        return 0 if row is None else int(row[0])

    def state(self, filing_id: str, channel: str) -> DeliveryState:
        with self._tx("state", write=False) as db:
            row = db.execute("SELECT state, lease_until FROM alerts WHERE ns = ? AND fid = ? AND channel = ?",
                             (self.ns, filing_id, channel)).fetchone()
        if row is None:
            return DeliveryState.UNKNOWN
        if row[0] == "delivered":
            return DeliveryState.DELIVERED
        live = row[0] == "claimed" and row[1] is not None and row[1] > time.time()
        return DeliveryState.CLAIMED if live else DeliveryState.NEW

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
        """Reports with figures (error payloads skipped) released before ``before_filing_id``."""
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
            if "error" not in payload:
                out.append(payload)
            if len(out) >= limit:
                break
        return out

    # -- retention -------------------------------------------------------------------------------
    def prune(self, now: float | None = None) -> int:
        """Drop seen keys and delivered alerts older than retention, and old reports. Returns rows."""
        now = time.time() if now is None else now
        cut, report_cut = now - self.retention_s, now - self.report_retention_s
        with self._tx("prune") as db:
            n = db.execute("DELETE FROM seen WHERE ns = ? AND at < ?", (self.ns, cut)).rowcount
            n += db.execute("DELETE FROM alerts WHERE ns = ? AND state = 'delivered' AND delivered_at < ?",
                            (self.ns, cut)).rowcount
            n += db.execute("DELETE FROM reports WHERE ns = ? AND saved_at < ?",
                            (self.ns, report_cut)).rowcount
            db.execute("DELETE FROM report_stocks WHERE ns = ? AND fid NOT IN "
                       "(SELECT fid FROM reports WHERE ns = ?)", (self.ns, self.ns))
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
