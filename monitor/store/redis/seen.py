"""``SeenLog`` on Redis: seen feed items (one key each, with the retention TTL), meta, epoch."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable

from monitor.store.redis.connection import RedisConnection
from monitor.store.redis.keys import epoch_key, meta_key, seen_key


class RedisSeenLog(RedisConnection):
    def unseen(self, keys: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return set()
        with self._backend("unseen"):
            pipe = self._r.pipeline(transaction=False)
            for key in wanted:
                pipe.exists(seen_key(self.ns, key))
            found = pipe.execute()
        return {key for key, hit in zip(wanted, found, strict=True) if not hit}

    def mark_seen(self, keys: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return
        with self._backend("mark_seen"):
            pipe = self._r.pipeline(transaction=False)
            for key in wanted:
                pipe.set(seen_key(self.ns, key), "1", ex=self.retention_s)
            pipe.execute()

    def get_meta(self, name: str) -> str | None:
        with self._backend("get_meta"):
            value = self._r.hget(meta_key(self.ns), name)
        return None if value is None else str(value)

    def set_meta(self, name: str, value: str) -> None:
        with self._backend("set_meta"):
            self._r.hset(meta_key(self.ns), name, value)

    def ensure_epoch(self) -> tuple[str, bool]:
        key = epoch_key(self.ns)
        fresh = f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}/{uuid.uuid4().hex[:8]}"
        with self._backend("ensure_epoch"):
            if self._r.set(key, fresh, nx=True):
                return fresh, True
            return str(self._r.get(key) or fresh), False
