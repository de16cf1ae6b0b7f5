"""The embedded SQLite store: one file, safe for threads and for processes on one host (the
contract is in ``monitor/store/roles.py``).

One module per role, each a small class on the shared ``SqliteConnection`` (``connection.py``)
that declares its own tables and prunes its own old rows: ``seen.py`` (SeenLog), ``outbox.py``
and ``operator.py`` (Outbox), ``documents.py`` (DocumentQueue), ``reports.py``, ``records.py``,
``budgets.py``, ``processes.py``; ``store.py`` joins them into ``SqliteStore``. Claims and
document leases are taken in ``BEGIN IMMEDIATE`` transactions (SQLite's write lock), so two
connections or two processes racing get one. Budgets, pauses, leases and heartbeats use this
host's clock. Retention is a periodic prune instead of key TTLs: seen keys, delivered and dropped
alerts and finished documents go after ``retention_days``, parsed reports after
``report_retention_days``, records when they expire, gone processes after a day; pending alerts
never.
"""

from __future__ import annotations

from monitor.store.sqlite.connection import sqlite_path
from monitor.store.sqlite.store import SqliteStore

__all__ = ["SqliteStore", "sqlite_path"]
