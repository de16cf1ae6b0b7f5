"""The SQLite connection every role of ``SqliteStore`` shares: the file, its schema (each role
declares its own tables in ``SCHEMA``), transactions under one lock, retention by periodic prune
(each role removes its own old rows in ``_prune_own``), and every failure as a ``StoreError``."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from monitor.errors import StoreError
from monitor.store.model import DAY_S, REPORT_RETENTION_DAYS

logger = logging.getLogger(__name__)

PRUNE_EVERY_S = 3600.0


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


class SqliteConnection:
    """The part of ``SqliteStore`` each role builds on. Thread-safe (one connection, one lock)."""

    SCHEMA: ClassVar[str] = ""  # a role's CREATE statements
    # Columns a role added since the first release, per table; a state file written before gains them.
    ADDED_COLUMNS: ClassVar[dict[str, tuple[tuple[str, str], ...]]] = {}

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
            for role in self._roles():
                self._db.executescript(role.SCHEMA)
                self._migrate(role.ADDED_COLUMNS)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open SQLite store {url}: {exc}") from exc
        self._maybe_prune()

    @classmethod
    def _roles(cls) -> list[type[SqliteConnection]]:
        """The role classes this store is made of, each once (those declaring their own tables)."""
        return [c for c in reversed(cls.__mro__) if issubclass(c, SqliteConnection) and "SCHEMA" in vars(c)
                and c is not SqliteConnection]

    def _migrate(self, added: dict[str, tuple[tuple[str, str], ...]]) -> None:
        for table, columns in added.items():
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

    def _prune_own(self, db: sqlite3.Connection, now: float) -> int:
        """Remove this role's rows that retention says are old; returns how many."""
        return 0

    def prune(self, now: float | None = None) -> int:
        """Drop what retention says is old, in every role; returns the rows removed."""
        now = time.time() if now is None else now
        with self._tx("prune") as db:
            return sum(vars(role)["_prune_own"](self, db, now) for role in self._roles()
                       if "_prune_own" in vars(role))

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
