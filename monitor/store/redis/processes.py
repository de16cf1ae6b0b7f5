"""``Processes`` on Redis: one sorted set of heartbeat ends (server time) that remembers a gone
process for a day, so a claim or document it held can be taken over at once, and one hash per live
process with what it said about itself."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from monitor.store.model import ProcessInfo
from monitor.store.redis.connection import NOW_MS, RedisConnection, ms
from monitor.store.redis.keys import PROCESS_MEMORY_MS, proc_key, procs_key
from monitor.store.shared import Liveness

# KEYS: procs, proc. ARGV: owner, ttl ms, info JSON ("" keeps the last), memory ms.
_BEAT = NOW_MS + """
redis.call('ZADD', KEYS[1], now + ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ARGV[4])
redis.call('HSET', KEYS[2], 'beat_at', now)
if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], 'info', ARGV[3]) end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return now
"""

# KEYS: procs, proc. ARGV: owner.
_RETIRE = NOW_MS + """
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('DEL', KEYS[2])
return 1
"""


class RedisProcesses(Liveness, RedisConnection):
    def beat(self, owner: str, ttl_s: float, info: dict[str, str] | None = None) -> None:
        args: list[str | int] = [owner, ms(ttl_s), "" if info is None else json.dumps(info),
                                 PROCESS_MEMORY_MS]
        with self._backend("beat"):
            self._script(_BEAT)(keys=[procs_key(self.ns), proc_key(self.ns, owner)], args=args)

    def retire(self, owner: str) -> None:
        with self._backend("retire"):
            self._script(_RETIRE)(keys=[procs_key(self.ns), proc_key(self.ns, owner)], args=[owner])

    def _liveness(self, owners: Iterable[str]) -> dict[str, bool | None]:
        """Per owner: True while its heartbeat lasts, False once gone, None if never known."""
        wanted = list(dict.fromkeys(owners))
        if not wanted:
            return {}
        with self._backend("alive"):
            pipe = self._r.pipeline(transaction=False)
            pipe.time()
            pipe.zmscore(procs_key(self.ns), wanted)
            replies: list[Any] = pipe.execute()
        (secs, micros), ends = replies
        now_ms = secs * 1000 + micros // 1000
        return {o: None if end is None else end > now_ms for o, end in zip(wanted, ends, strict=True)}

    def processes(self) -> list[ProcessInfo]:
        with self._backend("processes"):
            clock: Any = self._r.time()
            now_ms = clock[0] * 1000 + clock[1] // 1000
            live: Any = self._r.zrangebyscore(procs_key(self.ns), f"({now_ms}", "+inf", withscores=True)
            pipe = self._r.pipeline(transaction=False)
            for owner, _ in live:
                pipe.hgetall(proc_key(self.ns, str(owner)))
            rows = pipe.execute()
        out = []
        for (owner, end), row in zip(live, rows, strict=True):
            if not row:  # retired or expired between the two reads
                continue
            out.append(ProcessInfo(str(owner), int(row["beat_at"]) / 1000, end / 1000,
                                   dict(json.loads(row.get("info") or "{}"))))
        return sorted(out, key=lambda p: p.owner)
