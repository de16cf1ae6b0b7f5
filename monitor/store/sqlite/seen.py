"""``SeenLog`` on SQLite: seen feed items (pruned after retention), meta, epoch."""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterable

from monitor.store.sqlite.connection import SqliteConnection


class SqliteSeenLog(SqliteConnection):
    SCHEMA = """
    CREATE TABLE IF NOT EXISTS seen (ns TEXT NOT NULL, key TEXT NOT NULL, at REAL NOT NULL,
        PRIMARY KEY (ns, key));
    CREATE TABLE IF NOT EXISTS meta (ns TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (ns, name));
    CREATE TABLE IF NOT EXISTS epoch (ns TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);
    """

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

    def _prune_own(self, db: sqlite3.Connection, now: float) -> int:
        cut = now - self.retention_s
        return db.execute("DELETE FROM seen WHERE ns = ? AND at < ?", (self.ns, cut)).rowcount
