"""``Records`` on SQLite: one row per (kind, key), with an optional expiry."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from monitor.store.sqlite.connection import SqliteConnection


class SqliteRecords(SqliteConnection):
    SCHEMA = """
    CREATE TABLE IF NOT EXISTS records (ns TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
        value TEXT NOT NULL, expires_at REAL, PRIMARY KEY (ns, kind, key));
    """

    def put_record(self, kind: str, key: str, value: dict[str, Any], *,
                   ttl_s: float | None = None) -> None:
        expires = None if ttl_s is None else time.time() + ttl_s
        with self._tx("put_record") as db:
            db.execute("INSERT OR REPLACE INTO records (ns, kind, key, value, expires_at) "
                       "VALUES (?, ?, ?, ?, ?)", (self.ns, kind, key, json.dumps(value), expires))

    def add_record(self, kind: str, key: str, value: dict[str, Any], *, ttl_s: float | None = None) -> bool:
        now = time.time()
        with self._tx("add_record") as db:
            db.execute("DELETE FROM records WHERE ns = ? AND kind = ? AND key = ? AND expires_at <= ?",
                       (self.ns, kind, key, now))
            added = db.execute("INSERT OR IGNORE INTO records (ns, kind, key, value, expires_at) "
                               "VALUES (?, ?, ?, ?, ?)", (self.ns, kind, key, json.dumps(value),
                                                          None if ttl_s is None else now + ttl_s))
            return added.rowcount == 1

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

    def _prune_own(self, db: sqlite3.Connection, now: float) -> int:
        return db.execute("DELETE FROM records WHERE ns = ? AND expires_at < ?", (self.ns, now)).rowcount
