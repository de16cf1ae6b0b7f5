"""The values that cross the store's boundary: states, alerts, claims, documents, processes, and
the kinds of alerts and records (``AlertKind``, ``RecordKind``) declared once.

Small frozen dataclasses and enums only; the role protocols that take and return them are in
``monitor/store/roles.py``, the back ends in ``monitor/store/redis/`` and ``monitor/store/sqlite/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from monitor.filing import Filing


class AlertKind(StrEnum):
    """``PendingAlert.kind``: a filing's alert, or the kind of message (stored: never rename)."""

    FILING = "filing"
    OPS = "ops"  # an alarm about the monitor itself (feed stale, Slack failing, ...)
    DIGEST = "digest"  # the weekly calendar digest
    RESULTS_DUE = "results_due"  # results expected today per a board meeting notice


class RecordKind(StrEnum):
    """The kinds of ``Records``, declared once (stored names: renaming one forgets its records)."""

    CALENDAR = "calendar"  # key "{code}:{period}" -> a calendar entry (board meeting, results date)
    RESULTS_OUT = "results_out"  # key "{code}" -> the last results filing seen for the stock
    WARNING = "warning"  # key "{code}:{filing id}" -> {"filing_id", "released_at", "warning"}
    RECONCILED = "reconciled"  # key "{date}" -> when and by whom the day was reconciled
    ALERTED = "alerted"  # per stock, as ``RecordKind.alerted(code)``: filing id -> the filing alerted

    @staticmethod
    def alerted(code: str) -> str:
        """The record kind of the filings alerted for one stock (to thread their follow-ups)."""
        return f"{RecordKind.ALERTED.value}:{code}"


ALERT_FILING: str = AlertKind.FILING.value  # PendingAlert.kind of a filing's alert
DAY_S = 86_400
REPORT_RETENTION_DAYS = 400  # long enough to compare an interim with last year's final results
PRIORITIES = ("high", "low")  # the document queues, read in this order


class DeliveryState(StrEnum):
    NEW = "new"
    ANNOUNCED = "announced"  # its message is posted (placeholder) and its ts known; the update is due
    CLAIMED = "claimed"
    DELIVERED = "delivered"
    DROPPED = "dropped"  # dropped or re-routed by an operator: never sent
    UNKNOWN = "unknown"  # never enqueued (or expired by retention)


@dataclass(frozen=True)
class PendingAlert:
    """An alert not yet delivered. ``filing`` is set for kind "filing"; ``data`` carries what the
    message needs besides (e.g. ``found_late``, ``verify``, ``thread_of``, or a digest's entries)."""

    id: str
    channel: str
    kind: str
    filing: Filing | None
    data: dict[str, Any]
    attempts: int
    last_error: str | None
    enqueued_at: float  # unix seconds
    uncertain: bool = False  # the last attempt may have reached Slack
    not_before: float = 0.0  # unix seconds: backoff after failures (0: now)
    owner: str | None = None  # the instance holding a live claim, if any
    # Whether ``owner`` is alive: True while its heartbeat lasts, False once it retired or its heartbeat
    # ran out (its claim may be taken over at once), None when there is no owner or it never beat.
    owner_alive: bool | None = None
    announced_ts: str | None = None  # the Slack ts of its posted placeholder (state ANNOUNCED), if any


@dataclass(frozen=True)
class Claim:
    alert_id: str
    channel: str
    token: str  # identifies this claim; mark_delivered/release with a stale token is a no-op
    attempts: int  # failed attempts so far
    taken_over: bool  # an earlier claim's lease expired: an earlier attempt may have posted
    uncertain: bool = False  # the last attempt may have reached Slack
    announced_ts: str | None = None  # set when the alert was announced: update this message, never post

    @property
    def must_check(self) -> bool:
        """Whether an earlier attempt may have reached Slack, so history must be read first."""
        return self.taken_over or self.uncertain


@dataclass(frozen=True)
class ProcessInfo:
    """A process that keeps a heartbeat in the store (``Processes.beat``)."""

    owner: str  # the name it claims alerts and documents under
    beat_at: float  # unix seconds of its last beat (the store's clock)
    expires_at: float  # unix seconds when it counts as gone unless it beats again
    info: dict[str, str] = field(default_factory=dict)  # what it said about itself (host, version, ...)


# "announced": not moved, its message is already in the old channel (it is updated there).
RerouteResult = Literal["rerouted", "merged", "claimed", "announced", "not_pending"]


@dataclass(frozen=True)
class DocumentTask:
    """A document to read: the filing, which parser reads it, and the queue's bookkeeping."""

    id: str  # the queue's id for this delivery of the task (a stream entry id, a row key)
    filing: Filing
    parser: str  # "results" | "board_meeting" | "profit_warning"
    submitted_at: float
    deliveries: int  # how many times it was handed out (1 the first time)
    priority: str  # "high" | "low"


@dataclass(frozen=True)
class SavedReport:
    """What was read of one filing's document: the figures (or a notice's record, or ``{"error"}``),
    with the filing it came from and when it was saved (``hkex-monitor show``)."""

    filing: Filing
    payload: dict[str, Any]
    saved_at: float


@dataclass(frozen=True)
class DocumentBacklog:
    waiting: int  # submitted, not yet taken
    in_progress: int  # taken, not finished (including abandoned ones awaiting takeover)
    by_consumer: dict[str, int] = field(default_factory=dict)
    oldest_s: float | None = None  # age of the oldest unfinished document
