"""The store's roles, one Protocol per concern, and ``Store``, their union.

A caller that needs one concern types its parameter with that role (a calendar needs ``Records``,
a watchdog ``Outbox``); the daemon holds a whole ``Store``. Both back ends implement every role and
pass the one contract suite in tests/store/. Every method raises ``StoreError`` when the back end is
unreachable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from monitor.filing import Filing
from monitor.store.model import (
    Claim,
    DeliveryState,
    DocumentBacklog,
    DocumentTask,
    PendingAlert,
    ProcessInfo,
    RerouteResult,
    SavedReport,
)


class SeenLog(Protocol):
    """Discovery bookkeeping: which feed items were already looked at, cursors, the epoch."""

    def unseen(self, keys: Iterable[str]) -> set[str]: ...
    def mark_seen(self, keys: Iterable[str]) -> None: ...
    def get_meta(self, name: str) -> str | None: ...
    def set_meta(self, name: str, value: str) -> None: ...

    def ensure_epoch(self) -> tuple[str, bool]:
        """The store's epoch marker, created if missing -> (epoch, created now). A store that
        has to create it is empty: a first start, or a store that lost its memory."""
        ...


class Outbox(Protocol):
    """Alerts per (alert id, channel), from enqueued to delivered, each send under a claim."""

    def enqueue(self, filing: Filing, channel: str, *, data: dict[str, Any] | None = None) -> bool:
        """Record that this filing must be alerted to this channel. Idempotent; True if new."""
        ...

    def enqueue_message(self, alert_id: str, channel: str, kind: str, data: dict[str, Any]) -> bool:
        """An alert that is not a filing's (ops alarm, digest, results due). Idempotent by id."""
        ...

    def pending(self, limit: int = 1000) -> list[PendingAlert]:
        """Alerts not yet delivered (new, announced, and those under a live claim), oldest first."""
        ...

    def claim(self, alert_id: str, channel: str, owner: str, lease_s: float) -> Claim | None:
        """Atomically lease a new or announced alert to ``owner``; None if delivered, dropped or
        leased elsewhere (to a process that is alive or never kept a heartbeat)."""
        ...

    def mark_announced(self, claim: Claim, receipt: str) -> bool:
        """Its message is posted with ``receipt`` (the Slack ts) but still needs its update: state
        ANNOUNCED, the lease ended, still pending (claim it again to update). Token-checked."""
        ...

    def mark_delivered(self, claim: Claim, receipt: str | None = None) -> bool:
        """Sent (or updated in place): DELIVERED. An announced alert keeps its receipt when none is
        given. Token-checked: a claim taken over meanwhile changes nothing (False)."""
        ...

    def release(self, claim: Claim, error: str, *, uncertain: bool = False, retry_in_s: float = 0.0) -> int:
        """Give a claim back after a failed attempt; returns the attempt count now recorded. It
        returns to NEW, or to ANNOUNCED (receipt kept) if it was announced.
        ``uncertain``: the attempt may have reached Slack (kept until delivered).
        ``retry_in_s``: not before then (``PendingAlert.not_before``)."""
        ...

    def renew_claims(self, claims: Sequence[Claim], lease_s: float) -> list[bool]:
        """Extend each claim's lease to ``lease_s`` from now, all in one round trip, so a holder
        can keep short leases (a dead one's alerts are taken over within one) for as long as it
        works. Per claim: False when it was lost meanwhile (taken over, delivered, released)."""
        ...

    def release_claims(self, claims: Sequence[Claim], reason: str) -> list[bool]:
        """Give claims back unsent (the holder is stopping): no attempt counted, no backoff, the
        ``uncertain`` flag kept, ``reason`` recorded as the last error; any instance may claim
        them at once, and it is not a takeover. One round trip; per claim, False when it was lost."""
        ...

    def state(self, alert_id: str, channel: str) -> DeliveryState: ...

    def receipt(self, alert_id: str, channel: str) -> str | None:
        """The Slack timestamp of a delivered or announced alert's message, when known."""
        ...

    def get_alert(self, alert_id: str, channel: str) -> PendingAlert | None:
        """The alert in any state (delivered ones while retention keeps them), or None."""
        ...

    # What an operator does to pending alerts (``hkex-monitor alerts``).
    def drop(self, alert_id: str, channel: str, reason: str) -> bool:
        """Drop a pending (new or announced) alert that is not under a live claim; True if dropped."""
        ...

    def reroute(self, alert_id: str, channel: str, new_channel: str) -> RerouteResult:
        """Move a pending alert to another channel (attempt count and payload kept). An announced
        one stays where its message is ("announced")."""
        ...

    def retry_now(self, alert_id: str | None = None, channel: str | None = None) -> int:
        """Clear the backoff of pending alerts (all, one id, or one channel); returns how many."""
        ...


class DocumentQueue(Protocol):
    """Documents to read, submitted once cluster-wide, each read under a lease."""

    def submit_document(self, filing: Filing, parser: str, *, priority: str = "high") -> bool:
        """Queue a document once cluster-wide (idempotent by filing id and parser)."""
        ...

    def take_documents(self, consumer: str, count: int, *, reclaim_idle_s: float,
                       block_s: float = 0.0) -> list[DocumentTask]:
        """Documents for ``consumer`` to read: first those abandoned for ``reclaim_idle_s`` by
        another (or this) consumer, then new ones, high priority first; may wait ``block_s``."""
        ...

    def renew_document(self, task: DocumentTask, consumer: str) -> None:
        """Keep the lease of a task in progress (call more often than ``reclaim_idle_s``)."""
        ...

    def release_document(self, task: DocumentTask, consumer: str) -> bool:
        """Hand a task back unfinished (the consumer is stopping) for anyone to take at once, first
        among the abandoned; False when ``consumer`` no longer held it."""
        ...

    def finish_document(self, task: DocumentTask) -> None: ...
    def document_backlog(self) -> DocumentBacklog: ...


class Reports(Protocol):
    """Parsed results, per filing and per stock."""

    def save_report(self, filing: Filing, report: dict[str, Any]) -> None: ...
    def get_report(self, filing_id: str) -> dict[str, Any] | None: ...

    def previous_reports(self, stock_code: str, before_filing_id: str, limit: int = 4
                         ) -> list[dict[str, Any]]:
        """Earlier saved reports of this stock, newest first (for "vs last final results")."""
        ...

    def stock_reports(self, stock_code: str, limit: int = 100) -> list[SavedReport]:
        """Everything read of this stock's documents while retention keeps it (results, notices,
        the reasons a document was not read), with its filing, newest first."""
        ...


class Records(Protocol):
    """Small named records (calendar entries, warnings, alerted filings), by kind and key."""

    def put_record(self, kind: str, key: str, value: dict[str, Any], *,
                   ttl_s: float | None = None) -> None: ...
    def add_record(self, kind: str, key: str, value: dict[str, Any], *, ttl_s: float | None = None) -> bool:
        """Write the record only if none is there (atomically, for every instance); True if this
        call wrote it (e.g. the one instance that runs the day's reconciliation)."""
        ...

    def get_record(self, kind: str, key: str) -> dict[str, Any] | None: ...
    def records(self, kind: str) -> dict[str, dict[str, Any]]: ...
    def delete_record(self, kind: str, key: str) -> None: ...


class Budgets(Protocol):
    """Politeness budgets, pauses and locks shared by every instance (HKEXnews, Slack), on one clock
    (the Redis server's; this host's for SQLite), to the millisecond."""

    def reserve(self, name: str, interval_s: float) -> float:
        """Take the next slot of the named budget, at least ``interval_s`` after the previous one;
        returns the seconds to wait before acting (0: now)."""
        ...

    def pause(self, name: str, seconds: float) -> float:
        """Pause the named budget for at least ``seconds`` (a longer pause is kept); returns the
        seconds the pause now lasts."""
        ...

    def paused_for(self, name: str) -> float:
        """Seconds left of the named pause (0 when not paused)."""
        ...

    def clear_pause(self, name: str) -> bool:
        """End the named pause now (e.g. a success after a 5xx backoff); True if one was in force."""
        ...

    def acquire(self, name: str, owner: str, ttl_s: float) -> bool:
        """Take the named lock for ``owner`` for at most ``ttl_s`` (so a dead holder's lock ends);
        False while anyone holds it, ``owner`` included (not re-entrant: give each holder, e.g.
        each thread, its own owner name)."""
        ...

    def renew_lock(self, name: str, owner: str, ttl_s: float) -> bool:
        """Extend the named lock to ``ttl_s`` from now if ``owner`` still holds it; True if it did
        (a holder keeps a short lock while it works, so a holder that dies frees it in seconds)."""
        ...

    def release_lock(self, name: str, owner: str) -> bool:
        """Let go of the named lock if ``owner`` still holds it; True if it did."""
        ...


class Processes(Protocol):
    """Which processes are alive: for display, and so that what a dead process holds (claims,
    documents) is taken over as soon as its heartbeat is gone instead of when its lease runs out."""

    def beat(self, owner: str, ttl_s: float, info: dict[str, str] | None = None) -> None:
        """``owner`` is alive for ``ttl_s`` more seconds (the store's clock). ``info`` replaces what
        it said about itself before; None keeps it."""
        ...

    def retire(self, owner: str) -> None:
        """A clean exit: ``owner`` is gone at once (what it still holds may be taken over now)."""
        ...

    def alive(self, owners: Iterable[str]) -> set[str]:
        """Those of ``owners`` whose heartbeat lasts (one that never beat is not among them)."""
        ...

    def processes(self) -> list[ProcessInfo]:
        """Every process whose heartbeat lasts, by owner."""
        ...


class Store(SeenLog, Outbox, DocumentQueue, Reports, Records, Budgets, Processes, Protocol):
    """Everything instances must agree on, in one place (see the package docstring)."""

    def ping(self) -> None: ...
    def close(self) -> None: ...
