"""``SqliteStore``: every role of the store in one SQLite file (or in memory)."""

from __future__ import annotations

from monitor.store.sqlite.budgets import SqliteBudgets
from monitor.store.sqlite.documents import SqliteDocumentQueue
from monitor.store.sqlite.operator import SqliteOperatorActions
from monitor.store.sqlite.processes import SqliteProcesses
from monitor.store.sqlite.records import SqliteRecords
from monitor.store.sqlite.reports import SqliteReports
from monitor.store.sqlite.seen import SqliteSeenLog


class SqliteStore(SqliteSeenLog, SqliteOperatorActions, SqliteDocumentQueue, SqliteReports, SqliteRecords,
                  SqliteBudgets, SqliteProcesses):
    """``Store`` on one SQLite file (or in memory). Thread-safe; every failure is a ``StoreError``."""
