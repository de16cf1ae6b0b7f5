"""``Records`` on Redis: one JSON key per record (with its TTL) and per kind an index of keys."""

from __future__ import annotations

import json
import time
from typing import Any

from monitor.store.redis.connection import RedisConnection, ms
from monitor.store.redis.keys import record_key, records_key


class RedisRecords(RedisConnection):
    def put_record(self, kind: str, key: str, value: dict[str, Any], *,
                   ttl_s: float | None = None) -> None:
        expiry: float | str = "+inf" if ttl_s is None else int((time.time() + ttl_s) * 1000)
        with self._backend("put_record"):
            pipe = self._r.pipeline(transaction=True)
            pipe.set(record_key(self.ns, kind, key), json.dumps(value),
                     px=None if ttl_s is None else ms(ttl_s))
            pipe.zadd(records_key(self.ns, kind), {key: expiry})
            pipe.execute()

    def add_record(self, kind: str, key: str, value: dict[str, Any], *, ttl_s: float | None = None) -> bool:
        expiry: float | str = "+inf" if ttl_s is None else int((time.time() + ttl_s) * 1000)
        with self._backend("add_record"):
            if not self._r.set(record_key(self.ns, kind, key), json.dumps(value), nx=True,
                               px=None if ttl_s is None else ms(ttl_s)):
                return False
            self._r.zadd(records_key(self.ns, kind), {key: expiry})
            return True

    def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        with self._backend("get_record"):
            raw = self._r.get(record_key(self.ns, kind, key))
        return None if raw is None else dict(json.loads(str(raw)))

    def records(self, kind: str) -> dict[str, dict[str, Any]]:
        index = records_key(self.ns, kind)
        with self._backend("records"):
            now_ms = int(time.time() * 1000)
            self._r.zremrangebyscore(index, "-inf", now_ms)
            keys = [str(k) for k in self._r.zrange(index, 0, -1)]
            names = [record_key(self.ns, kind, k) for k in keys]
            raws = self._r.mget(names) if names else []
            gone = [k for k, raw in zip(keys, raws, strict=True) if raw is None]
            if gone:
                self._r.zrem(index, *gone)
        return {k: dict(json.loads(raw)) for k, raw in zip(keys, raws, strict=True) if raw is not None}

    def delete_record(self, kind: str, key: str) -> None:
        with self._backend("delete_record"):
            pipe = self._r.pipeline(transaction=True)
            pipe.delete(record_key(self.ns, kind, key))
            pipe.zrem(records_key(self.ns, kind), key)
            pipe.execute()
