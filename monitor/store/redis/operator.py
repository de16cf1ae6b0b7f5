"""What an operator does to pending alerts on Redis (part of the ``Outbox`` role): drop, re-route,
retry now. Drop and re-route are Lua scripts, so they never act on an alert under a live claim."""

from __future__ import annotations

import time

from monitor.store.model import RerouteResult
from monitor.store.redis.keys import alert_key, lease_key, pending_key, pending_member
from monitor.store.redis.outbox import RedisOutbox

# KEYS: alert, lease, pending. ARGV: reason, now, retention s, member. Returns 1 if dropped.
_DROP = """
local st = redis.call('HGET', KEYS[1], 'state')
if (not st) or st == 'delivered' or st == 'dropped' then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'dropped', 'token', '', 'last_error', ARGV[1], 'dropped_at', ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
"""

# KEYS: old alert, old lease, pending, new alert. ARGV: new channel, old member, new member, now, retention.
_REROUTE = """
local st = redis.call('HGET', KEYS[1], 'state')
if (not st) or st == 'delivered' or st == 'dropped' then return 'not_pending' end
local ts = redis.call('HGET', KEYS[1], 'receipt')
if ts and ts ~= '' then return 'announced' end
if KEYS[1] == KEYS[4] then return 'merged' end
if redis.call('EXISTS', KEYS[2]) == 1 then return 'claimed' end
local result = 'merged'
if redis.call('EXISTS', KEYS[4]) == 0 then
  local fields = redis.call('HGETALL', KEYS[1])
  redis.call('HSET', KEYS[4], unpack(fields))
  redis.call('HSET', KEYS[4], 'channel', ARGV[1], 'state', 'new', 'token', '', 'owner', '')
  redis.call('ZADD', KEYS[3], redis.call('HGET', KEYS[1], 'enqueued_at'), ARGV[3])
  result = 'rerouted'
end
redis.call('HSET', KEYS[1], 'state', 'dropped', 'token', '', 'last_error',
           (result == 'rerouted' and 'rerouted to ' or 'merged into the alert for ') .. ARGV[1],
           'dropped_at', ARGV[4])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return result
"""


class RedisOperatorActions(RedisOutbox):
    def drop(self, alert_id: str, channel: str, reason: str) -> bool:
        keys = [alert_key(self.ns, alert_id, channel), lease_key(self.ns, alert_id, channel),
                pending_key(self.ns)]
        args: list[str | int] = [reason[:1000], repr(time.time()), self.retention_s,
                                 pending_member(alert_id, channel)]
        with self._backend("drop"):
            return bool(self._script(_DROP)(keys=keys, args=args))

    def reroute(self, alert_id: str, channel: str, new_channel: str) -> RerouteResult:
        keys = [alert_key(self.ns, alert_id, channel), lease_key(self.ns, alert_id, channel),
                pending_key(self.ns), alert_key(self.ns, alert_id, new_channel)]
        args: list[str | int] = [new_channel, pending_member(alert_id, channel),
                                 pending_member(alert_id, new_channel), repr(time.time()), self.retention_s]
        with self._backend("reroute"):
            result = str(self._script(_REROUTE)(keys=keys, args=args))
        assert result in ("rerouted", "merged", "claimed", "announced", "not_pending")
        return result  # type: ignore[return-value]

    def retry_now(self, alert_id: str | None = None, channel: str | None = None) -> int:
        chosen = [a for a in self.pending(limit=100_000)
                  if (alert_id is None or a.id == alert_id) and (channel is None or a.channel == channel)]
        with self._backend("retry_now"):
            pipe = self._r.pipeline(transaction=False)
            for a in chosen:
                pipe.hset(alert_key(self.ns, a.id, a.channel), "not_before", 0)
            pipe.execute()
        return len(chosen)
