"""``Budgets`` on Redis: paced slots, pauses and locks on the Redis server's clock (to the
millisecond), so instances whose clocks differ still share one budget."""

from __future__ import annotations

from monitor.store.redis.connection import NOW_MS, RedisConnection, ms
from monitor.store.redis.keys import BUDGET_KEY_GRACE_MS, limit_key, lock_key, pause_key

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

# KEYS: lock. ARGV: owner. Returns 1 if the owner held it (and now does not).
_RELOCK = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
"""

_UNLOCK = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
"""


class RedisBudgets(RedisConnection):
    def reserve(self, name: str, interval_s: float) -> float:
        with self._backend("reserve"):
            wait_ms = self._script(_RESERVE)(keys=[limit_key(self.ns, name)],
                                             args=[ms(interval_s, least=0), BUDGET_KEY_GRACE_MS])
        return int(wait_ms) / 1000

    def pause(self, name: str, seconds: float) -> float:
        with self._backend("pause"):
            lasts = self._script(_PAUSE)(keys=[pause_key(self.ns, name)], args=[ms(seconds)])
        return int(lasts) / 1000

    def paused_for(self, name: str) -> float:
        with self._backend("paused_for"):
            left = int(self._r.pttl(pause_key(self.ns, name)))
        return max(0, left) / 1000

    def clear_pause(self, name: str) -> bool:
        with self._backend("clear_pause"):
            return bool(self._r.delete(pause_key(self.ns, name)))

    def acquire(self, name: str, owner: str, ttl_s: float) -> bool:
        with self._backend("acquire"):
            return bool(self._r.set(lock_key(self.ns, name), owner, nx=True, px=ms(ttl_s)))

    def renew_lock(self, name: str, owner: str, ttl_s: float) -> bool:
        with self._backend("renew_lock"):
            return bool(self._script(_RELOCK)(keys=[lock_key(self.ns, name)], args=[owner, ms(ttl_s)]))

    def release_lock(self, name: str, owner: str) -> bool:
        with self._backend("release_lock"):
            return bool(self._script(_UNLOCK)(keys=[lock_key(self.ns, name)], args=[owner]))
