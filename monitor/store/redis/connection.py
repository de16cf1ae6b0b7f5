"""The Redis connection every role of ``RedisStore`` shares: the client, the namespace, retention,
Lua scripts, and the translation of every Redis failure into a ``StoreError``."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from redis.backoff import ExponentialBackoff
from redis.commands.core import Script
from redis.retry import Retry

from monitor.errors import StoreError
from monitor.secrets import redact_url
from monitor.store.model import DAY_S, REPORT_RETENTION_DAYS

logger = logging.getLogger(__name__)

# Server time in ms, for scripts that keep a clock shared by every instance whatever their own.
NOW_MS = ("local t = redis.call('TIME')\n"
          "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n")


def ms(seconds: float, *, least: int = 1) -> int:
    """``seconds`` in whole milliseconds, rounded up (a pause or lease is never shorter than asked)."""
    return max(least, math.ceil(round(seconds * 1000, 3)))


class RedisConnection:
    """The part of ``RedisStore`` each role builds on. Thread-safe (one connection pool)."""

    def __init__(self, url: str, *, namespace: str = "hkexmon", retention_days: int = 45,
                 report_retention_days: int = REPORT_RETENTION_DAYS, timeout_s: float = 5.0) -> None:
        self.url = redact_url(url)
        self.ns = namespace
        self.retention_s = int(retention_days * DAY_S)
        self.report_retention_s = int(max(report_retention_days, retention_days) * DAY_S)
        try:
            self._r = redis.Redis.from_url(
                url, decode_responses=True, socket_timeout=timeout_s, socket_connect_timeout=timeout_s,
                retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 2),
            )
        except (ValueError, redis.RedisError) as exc:
            raise StoreError(f"cannot use Redis store {self.url}: {redact_url(str(exc))}") from exc
        self._socket_timeout = timeout_s
        self._scripts: dict[str, Script] = {}

    def _script(self, source: str) -> Script:
        """The registered script for ``source`` (loaded into Redis on first use, again after a restart)."""
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = self._r.register_script(source)
        return script

    @contextmanager
    def _backend(self, what: str) -> Iterator[None]:
        try:
            yield
        except redis.RedisError as exc:
            raise StoreError(f"Redis store {self.url}: {what} failed: {redact_url(str(exc))}") from exc

    def ping(self) -> None:
        with self._backend("ping"):
            self._r.ping()

    def close(self) -> None:
        try:
            self._r.close()
        except redis.RedisError:  # closing a dead connection is not worth an error
            logger.debug("closing Redis store %s failed", self.url, exc_info=True)
