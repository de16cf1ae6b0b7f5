"""The store contract, and ``open_store(url)`` choosing an implementation.

One store holds everything instances must agree on, so that several of them (on one Redis) act as
one: what the feed path has seen, the outbox of alerts, the queue of documents to read, the parsed
figures, the politeness budgets (HKEXnews and Slack), small named records (the calendar, profit
warnings) and an epoch marker that tells a wiped store from a remembered one.

The outbox. State per (alert id, channel): NEW (enqueued) -> CLAIMED (leased to one instance) ->
DELIVERED, or DROPPED by an operator. An alert id is a filing id for a filing's alert, or a
message id such as ``"ops:feed_stale:..."`` or ``"digest:2026-W47"``. A claim whose lease
expired can be taken over by any instance; a release after a send that may have reached Slack
marks the alert *uncertain*. Either way ``Claim.must_check`` tells the deliverer to look in the
channel before posting again. Nothing is DELIVERED until the notifier said ok.

The document queue. Each results (or notice) document of a watched filing is submitted once
cluster-wide; instances take documents to read with a lease (a Redis stream with a consumer
group; a table in SQLite), renew the lease while they work, finish them when the figures are
stored, and take over documents whose holder died. Fresh filings ("high" priority) go before
catch-up ("low"); within a priority, in the order submitted.

Implementations: ``RedisStore`` (production, shared by instances) in ``monitor/store/redis.py``
and ``SqliteStore`` (embedded default, one process) in ``monitor/store/sqlite.py``; both pass the
contract tests in tests/store/. Every method raises ``StoreError`` when the backend is unreachable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, Protocol

from monitor.filing import Filing

ALERT_FILING = "filing"  # PendingAlert.kind of a filing's alert; other kinds are message kinds
DAY_S = 86_400
REPORT_RETENTION_DAYS = 400  # long enough to compare an interim with last year's final results
PRIORITIES = ("high", "low")  # the document queues, read in this order


class DeliveryState(StrEnum):
    NEW = "new"
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


@dataclass(frozen=True)
class Claim:
    alert_id: str
    channel: str
    token: str  # identifies this claim; mark_delivered/release with a stale token is a no-op
    attempts: int  # failed attempts so far
    taken_over: bool  # an earlier claim's lease expired: an earlier attempt may have posted
    uncertain: bool = False  # the last attempt may have reached Slack

    @property
    def must_check(self) -> bool:
        """Whether an earlier attempt may have reached Slack, so history must be read first."""
        return self.taken_over or self.uncertain


RerouteResult = Literal["rerouted", "merged", "claimed", "not_pending"]


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
class DocumentBacklog:
    waiting: int  # submitted, not yet taken
    in_progress: int  # taken, not finished (including abandoned ones awaiting takeover)
    by_consumer: dict[str, int] = field(default_factory=dict)
    oldest_s: float | None = None  # age of the oldest unfinished document


class Store(Protocol):
    def ping(self) -> None: ...

    # -- discovery bookkeeping: which feed items we have already looked at --------------------
    def unseen(self, keys: Iterable[str]) -> set[str]: ...
    def mark_seen(self, keys: Iterable[str]) -> None: ...
    def get_meta(self, name: str) -> str | None: ...
    def set_meta(self, name: str, value: str) -> None: ...

    def ensure_epoch(self) -> tuple[str, bool]:
        """The store's epoch marker, created if missing -> (epoch, created now). A store that
        has to create it is empty: a first start, or a store that lost its memory."""
        ...

    # -- outbox ------------------------------------------------------------------------------
    def enqueue(self, filing: Filing, channel: str, *, data: dict[str, Any] | None = None) -> bool:
        """Record that this filing must be alerted to this channel. Idempotent; True if new."""
        ...

    def enqueue_message(self, alert_id: str, channel: str, kind: str, data: dict[str, Any]) -> bool:
        """An alert that is not a filing's (ops alarm, digest, results due). Idempotent by id."""
        ...

    def pending(self, limit: int = 1000) -> list[PendingAlert]:
        """Alerts not yet delivered (including those under a live claim), oldest first."""
        ...

    def claim(self, alert_id: str, channel: str, owner: str, lease_s: float) -> Claim | None:
        """Atomically lease the alert to ``owner``; None if delivered, dropped or leased elsewhere."""
        ...

    def mark_delivered(self, claim: Claim, receipt: str | None = None) -> bool: ...

    def release(self, claim: Claim, error: str, *, uncertain: bool = False, retry_in_s: float = 0.0) -> int:
        """Give a claim back after a failed attempt; returns the attempt count now recorded.
        ``uncertain``: the attempt may have reached Slack (kept until delivered).
        ``retry_in_s``: not before then (``PendingAlert.not_before``)."""
        ...

    def state(self, alert_id: str, channel: str) -> DeliveryState: ...
    def receipt(self, alert_id: str, channel: str) -> str | None:
        """The Slack timestamp of a delivered alert's message, when known (for threads)."""
        ...

    def get_alert(self, alert_id: str, channel: str) -> PendingAlert | None:
        """The alert in any state (delivered ones while retention keeps them), or None."""
        ...

    # -- operator actions --------------------------------------------------------------------
    def drop(self, alert_id: str, channel: str, reason: str) -> bool:
        """Drop a pending alert that is not under a live claim; True if dropped."""
        ...

    def reroute(self, alert_id: str, channel: str, new_channel: str) -> RerouteResult:
        """Move a pending alert to another channel (attempt count and payload kept)."""
        ...

    def retry_now(self, alert_id: str | None = None, channel: str | None = None) -> int:
        """Clear the backoff of pending alerts (all, one id, or one channel); returns how many."""
        ...

    # -- documents to read ---------------------------------------------------------------------
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

    def finish_document(self, task: DocumentTask) -> None: ...
    def document_backlog(self) -> DocumentBacklog: ...

    # -- parsed results, per stock -------------------------------------------------------------
    def save_report(self, filing: Filing, report: dict[str, Any]) -> None: ...
    def get_report(self, filing_id: str) -> dict[str, Any] | None: ...
    def previous_reports(self, stock_code: str, before_filing_id: str, limit: int = 4
                         ) -> list[dict[str, Any]]:
        """Earlier saved reports of this stock, newest first (for "vs last final results")."""
        ...

    # -- small named records (calendar entries, warnings, alerted filings) ----------------------
    def put_record(self, kind: str, key: str, value: dict[str, Any], *,
                   ttl_s: float | None = None) -> None: ...
    def get_record(self, kind: str, key: str) -> dict[str, Any] | None: ...
    def records(self, kind: str) -> dict[str, dict[str, Any]]: ...
    def delete_record(self, kind: str, key: str) -> None: ...

    # -- politeness budgets shared by every instance ---------------------------------------------
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

    def close(self) -> None: ...


def open_store(url: str, *, namespace: str = "hkexmon", retention_days: int = 45) -> Store:
    """``redis://…``/``rediss://…``/``unix://…`` -> RedisStore; ``sqlite:///path`` -> SqliteStore."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        from monitor.store.redis import RedisStore

        return RedisStore(url, namespace=namespace, retention_days=retention_days)
    if url.startswith("sqlite://") or url == "memory://":
        from monitor.store.sqlite import SqliteStore

        return SqliteStore(url, namespace=namespace, retention_days=retention_days)
    raise ValueError(f"unsupported store URL {url!r}")
