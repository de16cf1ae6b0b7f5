"""``Budgets`` on SQLite: paced slots and pauses (one row per budget name) and locks (one row per
lock), on this host's clock."""

from __future__ import annotations

import time

from monitor.store.sqlite.connection import SqliteConnection


class SqliteBudgets(SqliteConnection):
    SCHEMA = """
    CREATE TABLE IF NOT EXISTS limits (ns TEXT NOT NULL, name TEXT NOT NULL, next_at REAL NOT NULL DEFAULT 0,
        paused_until REAL NOT NULL DEFAULT 0, PRIMARY KEY (ns, name));
    CREATE TABLE IF NOT EXISTS locks (ns TEXT NOT NULL, name TEXT NOT NULL, owner TEXT NOT NULL,
        until REAL NOT NULL, PRIMARY KEY (ns, name));
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
            kept = row[0] if row else 0.0
            if kept - now >= seconds:
                return kept - now  # a longer pause is in force
            db.execute("INSERT INTO limits (ns, name, paused_until) VALUES (?, ?, ?) "
                       "ON CONFLICT (ns, name) DO UPDATE SET paused_until = excluded.paused_until",
                       (self.ns, name, now + seconds))
        return seconds

    def paused_for(self, name: str) -> float:
        with self._tx("paused_for", write=False) as db:
            row = db.execute("SELECT paused_until FROM limits WHERE ns = ? AND name = ?",
                             (self.ns, name)).fetchone()
        return max(0.0, (row[0] if row else 0.0) - time.time())

    def clear_pause(self, name: str) -> bool:
        now = time.time()
        with self._tx("clear_pause") as db:
            return db.execute("UPDATE limits SET paused_until = 0 WHERE ns = ? AND name = ? "
                              "AND paused_until > ?", (self.ns, name, now)).rowcount == 1

    def acquire(self, name: str, owner: str, ttl_s: float) -> bool:
        now = time.time()
        with self._tx("acquire") as db:
            # The upsert's WHERE makes a held lock a no-op: one row changed means it is ours.
            return db.execute("INSERT INTO locks (ns, name, owner, until) VALUES (?, ?, ?, ?) "
                              "ON CONFLICT (ns, name) DO UPDATE SET owner = excluded.owner, "
                              "until = excluded.until WHERE locks.until <= ?",
                              (self.ns, name, owner, now + ttl_s, now)).rowcount == 1

    def renew_lock(self, name: str, owner: str, ttl_s: float) -> bool:
        now = time.time()
        with self._tx("renew_lock") as db:
            return db.execute("UPDATE locks SET until = ? WHERE ns = ? AND name = ? AND owner = ? "
                              "AND until > ?", (now + ttl_s, self.ns, name, owner, now)).rowcount == 1

    def release_lock(self, name: str, owner: str) -> bool:
        with self._tx("release_lock") as db:
            return db.execute("DELETE FROM locks WHERE ns = ? AND name = ? AND owner = ? AND until > ?",
                              (self.ns, name, owner, time.time())).rowcount == 1
