"""``Reports`` on SQLite: one row per filing, and per stock an index by release time."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from monitor.filing import Filing
from monitor.store.model import SavedReport
from monitor.store.shared import results_with_figures, saved_reports
from monitor.store.sqlite.connection import SqliteConnection


class SqliteReports(SqliteConnection):
    SCHEMA = """
    CREATE TABLE IF NOT EXISTS reports (ns TEXT NOT NULL, fid TEXT NOT NULL, released_at REAL NOT NULL,
        record TEXT NOT NULL, saved_at REAL NOT NULL, PRIMARY KEY (ns, fid));
    CREATE TABLE IF NOT EXISTS report_stocks (ns TEXT NOT NULL, code TEXT NOT NULL, fid TEXT NOT NULL,
        released_at REAL NOT NULL, PRIMARY KEY (ns, code, fid));
    """

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
        """Results reports with figures (errors and notices skipped) released before ``before_filing_id``."""
        with self._tx("previous_reports", write=False) as db:
            row = db.execute("SELECT released_at FROM report_stocks WHERE ns = ? AND code = ? AND fid = ?",
                             (self.ns, stock_code, before_filing_id)).fetchone()
            top = float("inf") if row is None else row[0]
            rows = db.execute(
                "SELECT r.record FROM report_stocks s JOIN reports r ON r.ns = s.ns AND r.fid = s.fid "
                "WHERE s.ns = ? AND s.code = ? AND s.fid != ? AND s.released_at <= ? "
                "ORDER BY s.released_at DESC, s.fid DESC",
                (self.ns, stock_code, before_filing_id, top)).fetchall()
        return results_with_figures((raw for (raw,) in rows), limit)

    def stock_reports(self, stock_code: str, limit: int = 100) -> list[SavedReport]:
        with self._tx("stock_reports", write=False) as db:
            rows = db.execute(
                "SELECT r.record FROM report_stocks s JOIN reports r ON r.ns = s.ns AND r.fid = s.fid "
                "WHERE s.ns = ? AND s.code = ? ORDER BY s.released_at DESC, s.fid DESC LIMIT ?",
                (self.ns, stock_code, limit)).fetchall()
        return saved_reports(raw for (raw,) in rows)

    def _prune_own(self, db: sqlite3.Connection, now: float) -> int:
        n = db.execute("DELETE FROM reports WHERE ns = ? AND saved_at < ?",
                       (self.ns, now - self.report_retention_s)).rowcount
        db.execute("DELETE FROM report_stocks WHERE ns = ? AND fid NOT IN "
                   "(SELECT fid FROM reports WHERE ns = ?)", (self.ns, self.ns))
        return n
