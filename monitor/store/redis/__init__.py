"""The Redis store: shared by every instance pointed at the same server (the contract is in
``monitor/store/roles.py``).

One module per role, each a small class on the shared ``RedisConnection`` (``connection.py``):
``seen.py`` (SeenLog), ``outbox.py`` and ``operator.py`` (Outbox), ``documents.py``
(DocumentQueue), ``reports.py``, ``records.py``, ``budgets.py``, ``processes.py``; ``store.py``
joins them into ``RedisStore``. Every key template and TTL is declared once, in the table of
``keys.py``. State changes that must be atomic are Lua scripts next to the method that runs them;
budgets, pauses, leases and heartbeats use the Redis server's clock, so instances whose clocks
differ still agree.
"""

from __future__ import annotations

from monitor.store.redis.keys import LIMIT_KEY, PAUSE_KEY
from monitor.store.redis.store import RedisStore

__all__ = ["LIMIT_KEY", "PAUSE_KEY", "RedisStore"]
