"""``Processes`` on SQLite: one row per process with its heartbeat's end (this host's clock); a
retired or expired process's row stays a day, so what it held can be taken over at once."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable

from monitor.store.model import DAY_S, ProcessInfo
from monitor.store.shared import Liveness
from monitor.store.sqlite.connection import SqliteConnection

PROCESS_MEMORY_S = DAY_S  # how long a gone process is remembered as gone

# A holder known to be gone; ``owner`` is the outer query's column, qualified (``alerts.owner``):
# bare, it would name the subquery's own column.
GONE_HOLDER = ("EXISTS (SELECT 1 FROM processes p WHERE p.ns = ? AND p.owner = {owner} "
               "AND p.expires_at <= ?)")


class SqliteProcesses(Liveness, SqliteConnection):
    SCHEMA = """
    CREATE TABLE IF NOT EXISTS processes (ns TEXT NOT NULL, owner TEXT NOT NULL, beat_at REAL NOT NULL,
        expires_at REAL NOT NULL, info TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (ns, owner));
    """

    def beat(self, owner: str, ttl_s: float, info: dict[str, str] | None = None) -> None:
        now = time.time()
        with self._tx("beat") as db:
            db.execute("INSERT INTO processes (ns, owner, beat_at, expires_at, info) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT (ns, owner) DO UPDATE SET beat_at = excluded.beat_at, "
                       "expires_at = excluded.expires_at, "
                       "info = CASE WHEN ? IS NULL THEN info ELSE excluded.info END",
                       (self.ns, owner, now, now + ttl_s, json.dumps(info or {}),
                        None if info is None else 1))

    def retire(self, owner: str) -> None:
        now = time.time()
        with self._tx("retire") as db:
            db.execute("UPDATE processes SET expires_at = ? WHERE ns = ? AND owner = ? AND expires_at > ?",
                       (now, self.ns, owner, now))

    def _liveness(self, owners: Iterable[str]) -> dict[str, bool | None]:
        """Per owner: True while its heartbeat lasts, False once gone, None if never known."""
        wanted = list(dict.fromkeys(owners))
        if not wanted:
            return {}
        now = time.time()
        with self._tx("alive", write=False) as db:
            marks = ",".join("?" * len(wanted))
            ends = dict(db.execute("SELECT owner, expires_at FROM processes WHERE ns = ? "
                                   f"AND owner IN ({marks})", [self.ns, *wanted]).fetchall())
        return {o: None if o not in ends else ends[o] > now for o in wanted}

    def processes(self) -> list[ProcessInfo]:
        with self._tx("processes", write=False) as db:
            rows = db.execute("SELECT owner, beat_at, expires_at, info FROM processes WHERE ns = ? "
                              "AND expires_at > ? ORDER BY owner", (self.ns, time.time())).fetchall()
        return [ProcessInfo(str(o), float(b), float(e), dict(json.loads(i or "{}"))) for o, b, e, i in rows]

    def _prune_own(self, db: sqlite3.Connection, now: float) -> int:
        return db.execute("DELETE FROM processes WHERE ns = ? AND expires_at < ?",
                          (self.ns, now - PROCESS_MEMORY_S)).rowcount
