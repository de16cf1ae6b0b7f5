"""``Outbox`` on SQLite (sends): one row per (alert id, channel). A claim is a token and a lease
deadline in the row, taken in a ``BEGIN IMMEDIATE`` transaction (SQLite's write lock), so two
connections or two processes racing get one claim; a holder whose heartbeat is gone loses it at
once. An announced alert keeps its message's ts in ``receipt`` while pending, and every release
returns it to "announced". Pending alerts are never pruned; delivered and dropped ones after
retention."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Sequence
from typing import Any

from monitor.filing import Filing
from monitor.store.model import ALERT_FILING, Claim, DeliveryState, PendingAlert
from monitor.store.shared import Enqueuing
from monitor.store.sqlite.processes import GONE_HOLDER, SqliteProcesses

# The state a released claim returns to: announced (its message is posted, its update due) or new.
UNCLAIMED = "CASE WHEN receipt IS NOT NULL AND receipt != '' THEN 'announced' ELSE 'new' END"
# The columns ``pending_alert`` reads, in its order.
ALERT_COLUMNS = ("fid, channel, kind, filing, data, attempts, last_error, enqueued_at, uncertain, "
                 "not_before, CASE WHEN state IN ('delivered', 'dropped') THEN NULL ELSE receipt END")


class SqliteOutbox(Enqueuing, SqliteProcesses):
    SCHEMA = """
    CREATE TABLE IF NOT EXISTS alerts (ns TEXT NOT NULL, fid TEXT NOT NULL, channel TEXT NOT NULL,
        filing TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
        enqueued_at REAL NOT NULL, token TEXT, owner TEXT, lease_until REAL, delivered_at REAL,
        receipt TEXT, PRIMARY KEY (ns, fid, channel));
    CREATE INDEX IF NOT EXISTS alerts_pending ON alerts (ns, state, enqueued_at);
    """
    ADDED_COLUMNS = {
        "alerts": (("kind", f"TEXT NOT NULL DEFAULT '{ALERT_FILING}'"),
                   ("data", "TEXT NOT NULL DEFAULT '{}'"), ("uncertain", "INTEGER NOT NULL DEFAULT 0"),
                   ("not_before", "REAL NOT NULL DEFAULT 0"), ("dropped_at", "REAL")),
    }

    def _enqueue_alert(self, aid: str, channel: str, kind: str, filing_json: str,
                       data: dict[str, Any]) -> bool:
        with self._tx("enqueue") as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO alerts (ns, fid, channel, filing, state, enqueued_at, kind, data) "
                "VALUES (?, ?, ?, ?, 'new', ?, ?, ?)",
                (self.ns, aid, channel, filing_json, time.time(), kind, json.dumps(data)))
            created = cur.rowcount == 1
        self._maybe_prune()
        return created

    def pending(self, limit: int = 1000) -> list[PendingAlert]:
        now = time.time()
        with self._tx("pending", write=False) as db:
            rows = db.execute(
                f"SELECT {ALERT_COLUMNS}, owner, lease_until, token FROM alerts "
                "WHERE ns = ? AND state NOT IN ('delivered', 'dropped') ORDER BY enqueued_at, fid, channel "
                "LIMIT ?", (self.ns, max(limit, 1))).fetchall()
        owners = [row[11] if row[13] and row[12] is not None and row[12] > now else None for row in rows]
        liveness = self._liveness(o for o in owners if o)
        return [pending_alert(row[:11], owner=owner, owner_alive=None if owner is None else liveness[owner])
                for row, owner in zip(rows, owners, strict=True)]

    def claim(self, alert_id: str, channel: str, owner: str, lease_s: float) -> Claim | None:
        token = uuid.uuid4().hex
        now = time.time()
        key = (self.ns, alert_id, channel)
        with self._tx("claim") as db:
            row = db.execute("SELECT state, attempts, token, owner, lease_until, uncertain, receipt, "
                             f"{GONE_HOLDER.format(owner='alerts.owner')} FROM alerts "
                             "WHERE ns = ? AND fid = ? AND channel = ?", (self.ns, now, *key)).fetchone()
            if row is None or row[0] in ("delivered", "dropped"):
                return None
            state, attempts, prev, prev_owner, lease_until, uncertain, announced, holder_gone = row
            live = bool(prev) and lease_until is not None and lease_until > now
            if live and not holder_gone:
                return None  # someone alive holds a live lease
            taken = bool(prev)
            if taken:
                attempts += 1
            db.execute(
                "UPDATE alerts SET state = 'claimed', token = ?, owner = ?, lease_until = ?, "
                "attempts = ?, last_error = CASE WHEN ? THEN ? ELSE last_error END "
                "WHERE ns = ? AND fid = ? AND channel = ?",
                (token, owner, now + lease_s, attempts, taken, f"claim by {prev_owner} "
                 f"{'ended: its process is gone' if live else 'expired before it finished'}", *key))
        return Claim(alert_id, channel, token, int(attempts), taken, bool(uncertain), announced or None)

    def mark_announced(self, claim: Claim, receipt: str) -> bool:
        if not receipt:
            raise ValueError("an announced alert needs the ts of its message")
        with self._tx("mark_announced") as db:
            cur = db.execute(
                "UPDATE alerts SET state = 'announced', token = NULL, lease_until = NULL, uncertain = 0, "
                "not_before = 0, receipt = ? WHERE ns = ? AND fid = ? AND channel = ? AND token = ?",
                (receipt, self.ns, claim.alert_id, claim.channel, claim.token))
            return cur.rowcount == 1

    def mark_delivered(self, claim: Claim, receipt: str | None = None) -> bool:
        with self._tx("mark_delivered") as db:
            cur = db.execute(
                "UPDATE alerts SET state = 'delivered', token = NULL, lease_until = NULL, uncertain = 0, "
                "delivered_at = ?, receipt = COALESCE(NULLIF(?, ''), receipt) "
                "WHERE ns = ? AND fid = ? AND channel = ? AND token = ?",
                (time.time(), receipt, self.ns, claim.alert_id, claim.channel, claim.token))
            return cur.rowcount == 1

    def release(self, claim: Claim, error: str, *, uncertain: bool = False, retry_in_s: float = 0.0) -> int:
        key = (self.ns, claim.alert_id, claim.channel)
        now = time.time()
        with self._tx("release") as db:
            db.execute(
                f"UPDATE alerts SET state = {UNCLAIMED}, token = NULL, lease_until = NULL, "
                "attempts = attempts + 1, last_error = ?, uncertain = ?, not_before = ? "
                "WHERE ns = ? AND fid = ? AND channel = ? AND token = ?",
                (error[:1000], int(uncertain), now + retry_in_s if retry_in_s else 0, *key, claim.token))
            row = db.execute("SELECT attempts FROM alerts WHERE ns = ? AND fid = ? AND channel = ?",
                             key).fetchone()
        return 0 if row is None else int(row[0])

    def renew_claims(self, claims: Sequence[Claim], lease_s: float) -> list[bool]:
        if not claims:
            return []
        until = time.time() + lease_s
        with self._tx("renew_claims") as db:
            return [db.execute("UPDATE alerts SET lease_until = ? WHERE ns = ? AND fid = ? AND channel = ? "
                               "AND token = ? AND state = 'claimed'", (until, self.ns, c.alert_id, c.channel,
                                                                       c.token)).rowcount == 1
                    for c in claims]

    def release_claims(self, claims: Sequence[Claim], reason: str) -> list[bool]:
        if not claims:
            return []
        with self._tx("release_claims") as db:
            return [db.execute(f"UPDATE alerts SET state = {UNCLAIMED}, token = NULL, lease_until = NULL, "
                               "last_error = ?, not_before = 0 WHERE ns = ? AND fid = ? AND channel = ? "
                               "AND token = ?", (reason[:1000], self.ns, c.alert_id, c.channel, c.token)
                               ).rowcount == 1 for c in claims]

    def state(self, alert_id: str, channel: str) -> DeliveryState:
        with self._tx("state", write=False) as db:
            row = db.execute("SELECT state, lease_until, receipt FROM alerts WHERE ns = ? AND fid = ? "
                             "AND channel = ?", (self.ns, alert_id, channel)).fetchone()
        if row is None:
            return DeliveryState.UNKNOWN
        state, lease_until, receipt = row
        if state in ("delivered", "dropped"):
            return DeliveryState(state)
        if state == "claimed" and lease_until is not None and lease_until > time.time():
            return DeliveryState.CLAIMED
        return DeliveryState.ANNOUNCED if receipt else DeliveryState.NEW

    def receipt(self, alert_id: str, channel: str) -> str | None:
        with self._tx("receipt", write=False) as db:
            row = db.execute("SELECT receipt FROM alerts WHERE ns = ? AND fid = ? AND channel = ? "
                             "AND state IN ('delivered', 'announced', 'claimed')",
                             (self.ns, alert_id, channel)).fetchone()
        return str(row[0]) if row and row[0] else None

    def get_alert(self, alert_id: str, channel: str) -> PendingAlert | None:
        with self._tx("get_alert", write=False) as db:
            row = db.execute(f"SELECT {ALERT_COLUMNS} FROM alerts WHERE ns = ? AND fid = ? AND channel = ?",
                             (self.ns, alert_id, channel)).fetchone()
        if row is None:
            return None
        return pending_alert(row)

    def _prune_own(self, db: sqlite3.Connection, now: float) -> int:
        cut = now - self.retention_s
        return db.execute("DELETE FROM alerts WHERE ns = ? AND ((state = 'delivered' AND delivered_at < ?) "
                          "OR (state = 'dropped' AND dropped_at < ?))", (self.ns, cut, cut)).rowcount


def pending_alert(row: tuple[Any, ...], owner: str | None = None, owner_alive: bool | None = None
                  ) -> PendingAlert:
    """A row of ``ALERT_COLUMNS`` as a ``PendingAlert``."""
    aid, ch, kind, f, data, n, err, at, unc, nb, announced = row
    return PendingAlert(id=aid, channel=ch, kind=kind, filing=Filing.from_dict(json.loads(f)) if f else None,
                        data=json.loads(data or "{}"), attempts=int(n), last_error=err or None,
                        enqueued_at=float(at), uncertain=bool(unc), not_before=float(nb or 0), owner=owner,
                        owner_alive=owner_alive, announced_ts=announced or None)
