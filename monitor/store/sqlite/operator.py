"""What an operator does to pending alerts on SQLite (part of the ``Outbox`` role): drop, re-route,
retry now; never to an alert under a live claim."""

from __future__ import annotations

import time

from monitor.store.model import RerouteResult
from monitor.store.sqlite.outbox import SqliteOutbox


class SqliteOperatorActions(SqliteOutbox):
    def drop(self, alert_id: str, channel: str, reason: str) -> bool:
        now = time.time()
        with self._tx("drop") as db:
            cur = db.execute(
                "UPDATE alerts SET state = 'dropped', token = NULL, lease_until = NULL, last_error = ?, "
                "dropped_at = ? WHERE ns = ? AND fid = ? AND channel = ? "
                "AND state NOT IN ('delivered', 'dropped') AND NOT (token IS NOT NULL AND lease_until > ?)",
                (reason[:1000], now, self.ns, alert_id, channel, now))
            return cur.rowcount == 1

    def reroute(self, alert_id: str, channel: str, new_channel: str) -> RerouteResult:
        now = time.time()
        with self._tx("reroute") as db:
            row = db.execute("SELECT state, token, lease_until, receipt FROM alerts WHERE ns = ? AND fid = ? "
                             "AND channel = ?", (self.ns, alert_id, channel)).fetchone()
            if row is None or row[0] in ("delivered", "dropped"):
                return "not_pending"
            if row[3]:
                return "announced"  # its message is in this channel: it is updated there, not moved
            if new_channel == channel:
                return "merged"
            if row[1] and row[2] is not None and row[2] > now:
                return "claimed"
            exists = db.execute("SELECT 1 FROM alerts WHERE ns = ? AND fid = ? AND channel = ?",
                                (self.ns, alert_id, new_channel)).fetchone()
            result: RerouteResult = "merged" if exists else "rerouted"
            if not exists:
                db.execute(
                    "INSERT INTO alerts (ns, fid, channel, filing, state, attempts, last_error, enqueued_at, "
                    "kind, data, uncertain, not_before) SELECT ns, fid, ?, filing, 'new', attempts, "
                    "last_error, enqueued_at, kind, data, uncertain, not_before FROM alerts "
                    "WHERE ns = ? AND fid = ? AND channel = ?", (new_channel, self.ns, alert_id, channel))
            reason = ("rerouted to " if result == "rerouted" else "merged into the alert for ") + new_channel
            db.execute("UPDATE alerts SET state = 'dropped', token = NULL, lease_until = NULL, "
                       "last_error = ?, dropped_at = ? WHERE ns = ? AND fid = ? AND channel = ?",
                       (reason, now, self.ns, alert_id, channel))
        return result

    def retry_now(self, alert_id: str | None = None, channel: str | None = None) -> int:
        with self._tx("retry_now") as db:
            cur = db.execute(
                "UPDATE alerts SET not_before = 0 WHERE ns = ? AND state NOT IN ('delivered', 'dropped') "
                "AND (? IS NULL OR fid = ?) AND (? IS NULL OR channel = ?)",
                (self.ns, alert_id, alert_id, channel, channel))
            return cur.rowcount
