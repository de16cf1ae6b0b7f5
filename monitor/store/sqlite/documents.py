"""``DocumentQueue`` on SQLite: one row per (filing, parser), leased to a consumer by an owner and
a deadline (taken over once the deadline passed, or at once when the owner's heartbeat is gone);
finished rows are kept (the "submitted once" memory) until retention."""

from __future__ import annotations

import json
import sqlite3
import time

from monitor.filing import Filing
from monitor.store.model import PRIORITIES, DocumentBacklog, DocumentTask
from monitor.store.sqlite.connection import SqliteConnection
from monitor.store.sqlite.processes import GONE_HOLDER

POLL_S = 0.05  # how often a blocking take looks again (SQLite cannot wake a waiter)


class SqliteDocumentQueue(SqliteConnection):
    SCHEMA = """
    CREATE TABLE IF NOT EXISTS documents (ns TEXT NOT NULL, fid TEXT NOT NULL, parser TEXT NOT NULL,
        filing TEXT NOT NULL, priority TEXT NOT NULL, submitted_at REAL NOT NULL, owner TEXT,
        lease_until REAL, lease_s REAL, deliveries INTEGER NOT NULL DEFAULT 0, done_at REAL,
        PRIMARY KEY (ns, fid, parser));
    """

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
            time.sleep(min(POLL_S, max(0.0, deadline - time.monotonic())))

    def _take(self, consumer: str, count: int, reclaim_idle_s: float) -> list[DocumentTask]:
        now = time.time()
        with self._tx("take_documents") as db:
            rows = db.execute(
                "SELECT fid, parser, filing, priority, submitted_at, deliveries FROM documents "
                "WHERE ns = ? AND done_at IS NULL AND (owner IS NULL OR lease_until <= ? OR "
                f"{GONE_HOLDER.format(owner='documents.owner')}) "
                "ORDER BY owner IS NULL, priority = 'low', submitted_at LIMIT ?",
                (self.ns, now, self.ns, now, max(1, count))).fetchall()
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

    def release_document(self, task: DocumentTask, consumer: str) -> bool:
        fid, parser = json.loads(task.id)
        with self._tx("release_document") as db:
            # An expired lease, owner kept: the next take sees it as abandoned, so it goes first.
            cur = db.execute("UPDATE documents SET lease_until = 0 WHERE ns = ? AND fid = ? AND parser = ? "
                             "AND owner = ? AND done_at IS NULL", (self.ns, fid, parser, consumer))
            return cur.rowcount == 1

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

    def _prune_own(self, db: sqlite3.Connection, now: float) -> int:
        return db.execute("DELETE FROM documents WHERE ns = ? AND done_at < ?",
                          (self.ns, now - self.retention_s)).rowcount
