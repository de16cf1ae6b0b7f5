"""``Outbox`` on Redis (sends): an alert is a hash, the pending ones a sorted set by enqueue time,
and a claim a lease key with a server-side expiry plus the claim's token in the alert hash.

When the lease key is gone but the hash still holds a token, the previous holder died
mid-delivery, so the next claim is a takeover; so is a claim whose holder's heartbeat is gone
(``processes.py``), at once, whatever its lease. An announced alert keeps its message's ts in
``receipt`` while pending, and every release returns it to "announced". Every change of state is
a Lua script, so it is atomic and a stale token (lease lost, alert taken over) changes nothing.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from typing import Any

from monitor.filing import Filing
from monitor.store.model import ALERT_FILING, Claim, DeliveryState, PendingAlert
from monitor.store.redis.connection import NOW_MS, ms
from monitor.store.redis.keys import alert_key, lease_key, pending_key, pending_member, procs_key
from monitor.store.redis.processes import RedisProcesses
from monitor.store.shared import Enqueuing

# KEYS: alert, pending. ARGV: kind, filing JSON ("" for messages), data JSON, channel, aid, now, member.
_ENQUEUE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'kind', ARGV[1], 'filing', ARGV[2], 'data', ARGV[3], 'channel', ARGV[4],
           'aid', ARGV[5], 'state', 'new', 'attempts', 0, 'enqueued_at', ARGV[6], 'token', '',
           'uncertain', 0, 'not_before', 0)
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[7])
return 1
"""

# KEYS: alert, lease, procs. ARGV: token, owner, lease ms, now.
# Returns nil or {attempts, taken_over, uncertain, announced ts or ''}. A live lease whose holder's
# heartbeat is gone (retired, or ran out) is taken over at once.
_CLAIM = NOW_MS + """
local st = redis.call('HGET', KEYS[1], 'state')
if (not st) or st == 'delivered' or st == 'dropped' then return false end
local who = redis.call('HGET', KEYS[1], 'owner') or '?'
local why = ' expired before it finished'
if redis.call('EXISTS', KEYS[2]) == 1 then
  local gone_at = redis.call('ZSCORE', KEYS[3], who)
  if (not gone_at) or tonumber(gone_at) > now then return false end
  why = ' ended: its process is gone'
end
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
local prev = redis.call('HGET', KEYS[1], 'token')
local taken = 0
if prev and prev ~= '' then
  taken = 1
  attempts = attempts + 1
  redis.call('HSET', KEYS[1], 'attempts', attempts, 'last_error', 'claim by ' .. who .. why)
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
redis.call('HSET', KEYS[1], 'state', 'claimed', 'token', ARGV[1], 'owner', ARGV[2], 'claimed_at', ARGV[4])
return {attempts, taken, tonumber(redis.call('HGET', KEYS[1], 'uncertain') or '0'),
        redis.call('HGET', KEYS[1], 'receipt') or ''}
"""

# KEYS: alert, lease, pending. ARGV: token, receipt ("": keep an announced one's), now, retention s,
# pending member.
_DELIVERED = """
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
local receipt = ARGV[2]
if receipt == '' then receipt = redis.call('HGET', KEYS[1], 'receipt') or '' end
redis.call('HSET', KEYS[1], 'state', 'delivered', 'token', '', 'delivered_at', ARGV[3], 'receipt', receipt,
           'uncertain', 0)
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
"""

# KEYS: alert, lease. ARGV: token, receipt, now. Posted, the update still due: pending, unleased.
_ANNOUNCED = """
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'announced', 'token', '', 'receipt', ARGV[2], 'announced_at', ARGV[3],
           'uncertain', 0, 'not_before', 0)
redis.call('DEL', KEYS[2])
return 1
"""

# The state a released claim returns to: announced (its message posted, awaiting its update) or new.
_UNCLAIMED = """
local function unclaimed(alert)
  local ts = redis.call('HGET', alert, 'receipt')
  if ts and ts ~= '' then return 'announced' end
  return 'new'
end
"""

# KEYS: alert, lease. ARGV: token, error, now, uncertain (0/1), not_before. Returns the attempts recorded.
_RELEASE = _UNCLAIMED + """
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then
  return tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
end
local n = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'state', unclaimed(KEYS[1]), 'token', '', 'last_error', ARGV[2],
           'released_at', ARGV[3], 'uncertain', ARGV[4], 'not_before', ARGV[5])
redis.call('DEL', KEYS[2])
return n
"""

# KEYS: alert and lease of each claim. ARGV: reason, now, then each claim's token. Returns 1/0 per claim.
_RELEASE_UNSENT = _UNCLAIMED + """
local out = {}
for i = 3, #ARGV do
  local alert, lease = KEYS[2 * i - 5], KEYS[2 * i - 4]
  if redis.call('HGET', alert, 'token') == ARGV[i] then
    redis.call('HSET', alert, 'state', unclaimed(alert), 'token', '', 'last_error', ARGV[1],
               'released_at', ARGV[2], 'not_before', 0)
    redis.call('DEL', lease)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
"""

# KEYS: alert and lease of each claim. ARGV: lease ms, then each claim's token. Returns 1/0 per claim.
_RENEW = """
local out = {}
for i = 2, #ARGV do
  local alert, lease = KEYS[2 * i - 3], KEYS[2 * i - 2]
  if redis.call('HGET', alert, 'token') == ARGV[i] and redis.call('HGET', alert, 'state') == 'claimed' then
    redis.call('SET', lease, ARGV[i], 'PX', ARGV[1])
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
"""


class RedisOutbox(Enqueuing, RedisProcesses):
    def _enqueue_alert(self, aid: str, channel: str, kind: str, filing_json: str,
                       data: dict[str, Any]) -> bool:
        keys = [alert_key(self.ns, aid, channel), pending_key(self.ns)]
        args = [kind, filing_json, json.dumps(data), channel, aid, repr(time.time()),
                pending_member(aid, channel)]
        with self._backend("enqueue"):
            return bool(self._script(_ENQUEUE)(keys=keys, args=args))

    def pending(self, limit: int = 1000) -> list[PendingAlert]:
        with self._backend("pending"):
            members = self._r.zrange(pending_key(self.ns), 0, max(limit, 1) - 1)
            ids = [tuple(json.loads(str(m))) for m in members]
            pipe = self._r.pipeline(transaction=False)
            for aid, channel in ids:
                pipe.hgetall(alert_key(self.ns, aid, channel))
                pipe.exists(lease_key(self.ns, aid, channel))
            rows = pipe.execute()
        live = [(row, bool(leased)) for row, leased in zip(rows[::2], rows[1::2], strict=True)
                # removed concurrently: the delivering script drops the member too
                if row and row.get("state") not in ("delivered", "dropped")]
        liveness = self._liveness(row["owner"] for row, leased in live if leased and row.get("owner"))
        return [pending_alert(row, leased, liveness) for row, leased in live]

    def claim(self, alert_id: str, channel: str, owner: str, lease_s: float) -> Claim | None:
        token = uuid.uuid4().hex
        keys = [alert_key(self.ns, alert_id, channel), lease_key(self.ns, alert_id, channel),
                procs_key(self.ns)]
        args: list[str | int] = [token, owner, ms(lease_s), repr(time.time())]
        with self._backend("claim"):
            got = self._script(_CLAIM)(keys=keys, args=args)
        if not got:
            return None
        attempts, taken, uncertain, announced = got
        return Claim(alert_id, channel, token, int(attempts), bool(taken), bool(uncertain), announced or None)

    def mark_announced(self, claim: Claim, receipt: str) -> bool:
        if not receipt:
            raise ValueError("an announced alert needs the ts of its message")
        keys = [alert_key(self.ns, claim.alert_id, claim.channel),
                lease_key(self.ns, claim.alert_id, claim.channel)]
        with self._backend("mark_announced"):
            return bool(self._script(_ANNOUNCED)(keys=keys, args=[claim.token, receipt, repr(time.time())]))

    def mark_delivered(self, claim: Claim, receipt: str | None = None) -> bool:
        keys = [alert_key(self.ns, claim.alert_id, claim.channel),
                lease_key(self.ns, claim.alert_id, claim.channel), pending_key(self.ns)]
        args: list[str | int] = [claim.token, receipt or "", repr(time.time()), self.retention_s,
                                 pending_member(claim.alert_id, claim.channel)]
        with self._backend("mark_delivered"):
            return bool(self._script(_DELIVERED)(keys=keys, args=args))

    def release(self, claim: Claim, error: str, *, uncertain: bool = False, retry_in_s: float = 0.0) -> int:
        keys = [alert_key(self.ns, claim.alert_id, claim.channel),
                lease_key(self.ns, claim.alert_id, claim.channel)]
        now = time.time()
        args: list[str | int] = [claim.token, error[:1000], repr(now), int(uncertain),
                                 repr(now + retry_in_s if retry_in_s else 0)]
        with self._backend("release"):
            return int(self._script(_RELEASE)(keys=keys, args=args))

    def renew_claims(self, claims: Sequence[Claim], lease_s: float) -> list[bool]:
        if not claims:
            return []
        args: list[str | int] = [ms(lease_s), *(c.token for c in claims)]
        with self._backend("renew_claims"):
            got = self._script(_RENEW)(keys=self._claim_keys(claims), args=args)
        return [bool(x) for x in got]

    def release_claims(self, claims: Sequence[Claim], reason: str) -> list[bool]:
        if not claims:
            return []
        args: list[str | int] = [reason[:1000], repr(time.time()), *(c.token for c in claims)]
        with self._backend("release_claims"):
            got = self._script(_RELEASE_UNSENT)(keys=self._claim_keys(claims), args=args)
        return [bool(x) for x in got]

    def _claim_keys(self, claims: Sequence[Claim]) -> list[str]:
        return [key for c in claims for key in (alert_key(self.ns, c.alert_id, c.channel),
                                                 lease_key(self.ns, c.alert_id, c.channel))]

    def state(self, alert_id: str, channel: str) -> DeliveryState:
        with self._backend("state"):
            pipe = self._r.pipeline(transaction=False)
            pipe.hmget(alert_key(self.ns, alert_id, channel), ["state", "receipt"])
            pipe.exists(lease_key(self.ns, alert_id, channel))
            (state, receipt), leased = pipe.execute()
        if state is None:
            return DeliveryState.UNKNOWN
        if state in ("delivered", "dropped"):
            return DeliveryState(state)
        if state == "claimed" and leased:
            return DeliveryState.CLAIMED
        return DeliveryState.ANNOUNCED if receipt else DeliveryState.NEW

    def receipt(self, alert_id: str, channel: str) -> str | None:
        with self._backend("receipt"):
            state, receipt = self._r.hmget(alert_key(self.ns, alert_id, channel), ["state", "receipt"])
        return str(receipt) if state in ("delivered", "announced", "claimed") and receipt else None

    def get_alert(self, alert_id: str, channel: str) -> PendingAlert | None:
        with self._backend("get_alert"):
            row: dict[str, str] = self._r.hgetall(alert_key(self.ns, alert_id, channel))  # type: ignore[assignment]
        return pending_alert(row, False) if row else None


def pending_alert(row: dict[str, str], leased: bool,
                  liveness: dict[str, bool | None] | None = None) -> PendingAlert:
    """An alert hash as a ``PendingAlert`` (``owner`` only while its lease is live)."""
    filing_json = row.get("filing") or ""
    owner = (row.get("owner") or None) if leased else None
    return PendingAlert(
        id=row.get("aid") or row.get("fid") or "", channel=row["channel"],
        kind=row.get("kind") or ALERT_FILING,
        filing=Filing.from_dict(json.loads(filing_json)) if filing_json else None,
        data=json.loads(row.get("data") or "{}"),
        attempts=int(row.get("attempts") or 0), last_error=row.get("last_error") or None,
        enqueued_at=float(row["enqueued_at"]), uncertain=row.get("uncertain") == "1",
        not_before=float(row.get("not_before") or 0), owner=owner,
        owner_alive=None if owner is None else (liveness or {}).get(owner),
        announced_ts=None if row.get("state") in ("delivered", "dropped") else (row.get("receipt") or None),
    )
