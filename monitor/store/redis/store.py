"""``RedisStore``: every role of the store on one Redis, shared by every instance pointed at it."""

from __future__ import annotations

from monitor.store.redis.budgets import RedisBudgets
from monitor.store.redis.documents import RedisDocumentQueue
from monitor.store.redis.operator import RedisOperatorActions
from monitor.store.redis.processes import RedisProcesses
from monitor.store.redis.records import RedisRecords
from monitor.store.redis.reports import RedisReports
from monitor.store.redis.seen import RedisSeenLog


class RedisStore(RedisSeenLog, RedisOperatorActions, RedisDocumentQueue, RedisReports, RedisRecords,
                 RedisBudgets, RedisProcesses):
    """``Store`` on Redis. Thread-safe (one connection pool); every failure is a ``StoreError``."""
