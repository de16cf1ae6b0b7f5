"""``Budgets`` on SQLite: paced slots and pauses on this host's clock, one row per budget name."""

from __future__ import annotations

import time

from monitor.store.sqlite.connection import SqliteConnection


class SqliteBudgets(SqliteConnection):
    SCHEMA = """
    CREATE TABLE IF NOT EXISTS limits (ns TEXT NOT NULL, name TEXT NOT NULL, next_at REAL NOT NULL DEFAULT 0,
        paused_until REAL NOT NULL DEFAULT 0, PRIMARY KEY (ns, name));
    """

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
