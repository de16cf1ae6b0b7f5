"""``Budgets`` on Redis: paced slots and pauses on the Redis server's clock, so instances whose
clocks differ still share one budget."""

from __future__ import annotations

from monitor.store.redis.connection import NOW_MS, RedisConnection
from monitor.store.redis.keys import BUDGET_KEY_GRACE_MS, limit_key, pause_key

# KEYS: limit. ARGV: interval ms, grace ms. Returns the ms to wait before the reserved slot.
_RESERVE = NOW_MS + """
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, nxt)
redis.call('SET', KEYS[1], at + ARGV[1], 'PX', at + ARGV[1] - now + ARGV[2])
return at - now
"""

# KEYS: pause. ARGV: ms. Returns the ms the pause now lasts.
_PAUSE = NOW_MS + """
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], now + ARGV[1], 'PX', ARGV[1])
  return tonumber(ARGV[1])
end
return left
"""


class RedisBudgets(RedisConnection):
    def reserve(self, name: str, interval_s: float) -> float:
        with self._backend("reserve"):
            wait_ms = self._script(_RESERVE)(keys=[limit_key(self.ns, name)],
                                             args=[max(0, int(interval_s * 1000)), BUDGET_KEY_GRACE_MS])
        return int(wait_ms) / 1000

    def pause(self, name: str, seconds: float) -> float:
        with self._backend("pause"):
            ms = self._script(_PAUSE)(keys=[pause_key(self.ns, name)], args=[max(1, int(seconds * 1000))])
        return int(ms) / 1000

    def paused_for(self, name: str) -> float:
        with self._backend("paused_for"):
            ms = int(self._r.pttl(pause_key(self.ns, name)))
        return max(0, ms) / 1000
