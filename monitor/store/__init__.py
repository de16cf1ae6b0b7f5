"""The store: what every instance must agree on, and ``open_store(url)`` choosing a back end.

One store holds everything instances must agree on, so that several of them (on one Redis) act as
one. Its roles, one Protocol each in ``monitor/store/roles.py`` (``Store`` is their union):

- ``SeenLog``: what the feed path has seen, cursors, and an epoch marker that tells a wiped store
  from a remembered one.
- ``Outbox``: the alerts to send, and what an operator does to them. State per (alert id,
  channel): NEW (enqueued) -> CLAIMED (leased to one instance) -> DELIVERED, or DROPPED by an
  operator; announcing first, CLAIMED -> ANNOUNCED (a placeholder is posted, its Slack ts kept)
  -> CLAIMED again -> DELIVERED once that message is updated in place. An alert id is a filing id
  for a filing's alert, or a message id such as ``"ops:feed_stale:..."`` or ``"digest:2026-W47"``.
  A claim is held by renewing a short lease; one whose lease expired, or whose holder's heartbeat
  is gone, can be taken over by any instance; a release after a send that may have reached Slack
  marks the alert *uncertain*. Either way ``Claim.must_check`` tells the deliverer to look in the
  channel before posting again. Nothing is DELIVERED until the notifier said ok.
- ``DocumentQueue``: each results (or notice) document of a watched filing is submitted once
  cluster-wide; instances take documents to read with a lease (a Redis stream with a consumer
  group; a table in SQLite), renew the lease while they work, finish them when the figures are
  stored, and take over documents whose holder died. Fresh filings ("high" priority) go before
  catch-up ("low"); within a priority, in the order submitted.
- ``Reports``: the parsed figures, per filing and per stock.
- ``Records``: small named records (the calendar, profit warnings, alerted filings), by kind
  (``RecordKind``).
- ``Budgets``: the politeness budgets, pauses and locks (HKEXnews, Slack) shared by every
  instance.
- ``Processes``: a heartbeat per process, so that ``alerts list`` can say whether a holder is
  alive, and what a process that died holds is taken over at once, not when its lease runs out.

The values that cross the boundary are in ``monitor/store/model.py``. Back ends: ``RedisStore``
(production, shared by instances) in ``monitor/store/redis/`` and ``SqliteStore`` (embedded
default, one host) in ``monitor/store/sqlite/``, each a package with one module per role; both
pass the contract tests in tests/store/. Every method raises ``StoreError`` when the back end is
unreachable.
"""

from __future__ import annotations

from monitor.store.model import (
    ALERT_FILING,
    DAY_S,
    PRIORITIES,
    REPORT_RETENTION_DAYS,
    AlertKind,
    Claim,
    DeliveryState,
    DocumentBacklog,
    DocumentTask,
    PendingAlert,
    ProcessInfo,
    RecordKind,
    RerouteResult,
    SavedReport,
)
from monitor.store.roles import Budgets, DocumentQueue, Outbox, Processes, Records, Reports, SeenLog, Store

__all__ = ["ALERT_FILING", "DAY_S", "PRIORITIES", "REPORT_RETENTION_DAYS", "AlertKind", "Budgets", "Claim",
           "DeliveryState", "DocumentBacklog", "DocumentQueue", "DocumentTask", "Outbox", "PendingAlert",
           "Processes", "ProcessInfo", "RecordKind", "Records", "Reports", "RerouteResult", "SavedReport",
           "SeenLog", "Store", "open_store"]


def open_store(url: str, *, namespace: str = "hkexmon", retention_days: int = 45) -> Store:
    """``redis://…``/``rediss://…``/``unix://…`` -> RedisStore; ``sqlite:///path`` -> SqliteStore."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        from monitor.store.redis import RedisStore

        return RedisStore(url, namespace=namespace, retention_days=retention_days)
    if url.startswith("sqlite://") or url == "memory://":
        from monitor.store.sqlite import SqliteStore

        return SqliteStore(url, namespace=namespace, retention_days=retention_days)
    raise ValueError(f"unsupported store URL {url!r}")
