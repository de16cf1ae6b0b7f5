"""The dedupe/outbox store contract, and ``open_store(url)`` choosing an implementation.

State per (filing id, channel): NEW (enqueued) -> CLAIMED (leased to one instance) -> DELIVERED.
A claim whose lease expired can be taken over by any instance; ``Claim.taken_over`` then tells
the deliverer that an earlier attempt may already have reached Slack, so it must look before
posting again. Nothing is DELIVERED until the notifier said ok.

Implementations: ``RedisStore`` (production, shared by instances) in ``store_redis.py`` and
``SqliteStore`` (embedded default) in ``store_sqlite.py``; both pass tests/store/ contract tests.
Every method raises ``StoreError`` when the backend is unreachable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from monitor.filing import Filing


class DeliveryState(StrEnum):
    NEW = "new"
    CLAIMED = "claimed"
    DELIVERED = "delivered"
    UNKNOWN = "unknown"  # never enqueued (or expired by retention)


@dataclass(frozen=True)
class PendingAlert:
    filing: Filing
    channel: str
    attempts: int
    last_error: str | None
    enqueued_at: float  # unix seconds


@dataclass(frozen=True)
class Claim:
    filing_id: str
    channel: str
    token: str  # identifies this claim; mark_delivered/release with a stale token is a no-op
    attempts: int  # failed attempts so far
    taken_over: bool  # an earlier claim's lease expired: an earlier attempt may have posted


class Store(Protocol):
    def ping(self) -> None: ...

    # -- discovery bookkeeping: which feed items we have already looked at --------------------
    def unseen(self, keys: Iterable[str]) -> set[str]: ...
    def mark_seen(self, keys: Iterable[str]) -> None: ...
    def get_meta(self, name: str) -> str | None: ...
    def set_meta(self, name: str, value: str) -> None: ...

    # -- outbox ------------------------------------------------------------------------------
    def enqueue(self, filing: Filing, channel: str) -> bool:
        """Record that this filing must be alerted to this channel. Idempotent; True if new."""
        ...

    def pending(self, limit: int = 1000) -> list[PendingAlert]:
        """Alerts not yet delivered (including those under a live claim), oldest first."""
        ...

    def claim(self, filing_id: str, channel: str, owner: str, lease_s: float) -> Claim | None:
        """Atomically lease the alert to ``owner``; None if delivered or leased by someone else."""
        ...

    def mark_delivered(self, claim: Claim, receipt: str | None = None) -> bool: ...
    def release(self, claim: Claim, error: str) -> int:
        """Give a claim back after a failed attempt; returns the attempt count now recorded."""
        ...

    def state(self, filing_id: str, channel: str) -> DeliveryState: ...

    # -- parsed results, per stock -------------------------------------------------------------
    def save_report(self, filing: Filing, report: dict[str, Any]) -> None: ...
    def get_report(self, filing_id: str) -> dict[str, Any] | None: ...
    def previous_reports(self, stock_code: str, before_filing_id: str, limit: int = 4
                         ) -> list[dict[str, Any]]:
        """Earlier saved reports of this stock, newest first (for "vs last final results")."""
        ...

    def close(self) -> None: ...


def open_store(url: str, *, namespace: str = "hkexmon", retention_days: int = 45) -> Store:
    """``redis://…``/``rediss://…``/``unix://…`` -> RedisStore; ``sqlite:///path`` -> SqliteStore."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        from monitor.store_redis import RedisStore

        return RedisStore(url, namespace=namespace, retention_days=retention_days)
    if url.startswith("sqlite://") or url == "memory://":
        from monitor.store_sqlite import SqliteStore

        return SqliteStore(url, namespace=namespace, retention_days=retention_days)
    raise ValueError(f"unsupported store URL {url!r}")
