"""The Redis dedupe/outbox store: shared by every instance pointed at the same server.

Keys (``ns`` is the namespace, ``fid`` a filing id), declared here once:

    {ns}:seen:{key}            "1"     feed items already looked at         TTL retention
    {ns}:meta                  hash    small named values (cursors, etc.)   no TTL
    {ns}:alert:{fid}:{channel} hash    filing JSON, state, attempts,        no TTL while pending,
                                       last_error, token, owner, times      TTL retention once delivered
    {ns}:lease:{fid}:{channel} string  token of the live claim              PX lease_s
    {ns}:pending               zset    [fid, channel] JSON -> enqueued_at   members removed on delivery
    {ns}:report:{fid}          string  {filing, payload, saved_at} JSON     TTL report retention
    {ns}:reports:{stock_code}  zset    fid -> release time (unix)           TTL report retention

A claim is a lease key with a server-side expiry plus the claim's token in the alert hash: when the
lease key is gone but the hash still holds a token, the previous holder died mid-delivery, so the
next claim is a takeover. Claim, mark_delivered and release are Lua scripts, so they are atomic
and a stale token (lease lost, alert taken over) changes nothing.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from monitor.errors import StoreError
from monitor.filing import Filing
from monitor.store import Claim, DeliveryState, PendingAlert

logger = logging.getLogger(__name__)

DAY_S = 86_400
REPORT_RETENTION_DAYS = 400  # long enough to compare an interim with last year's final results


# -- key templates and the tiny functions that use them -------------------------------------------
SEEN_KEY = "{ns}:seen:{key}"
META_KEY = "{ns}:meta"
ALERT_KEY = "{ns}:alert:{fid}:{channel}"
LEASE_KEY = "{ns}:lease:{fid}:{channel}"
PENDING_KEY = "{ns}:pending"
REPORT_KEY = "{ns}:report:{fid}"
STOCK_REPORTS_KEY = "{ns}:reports:{code}"


def seen_key(ns: str, key: str) -> str:
    return SEEN_KEY.format(ns=ns, key=key)


def alert_key(ns: str, fid: str, channel: str) -> str:
    return ALERT_KEY.format(ns=ns, fid=fid, channel=channel)


def lease_key(ns: str, fid: str, channel: str) -> str:
    return LEASE_KEY.format(ns=ns, fid=fid, channel=channel)


def pending_member(fid: str, channel: str) -> str:
    return json.dumps([fid, channel])


def report_key(ns: str, fid: str) -> str:
    return REPORT_KEY.format(ns=ns, fid=fid)


def stock_reports_key(ns: str, code: str) -> str:
    return STOCK_REPORTS_KEY.format(ns=ns, code=code)


# -- scripts --------------------------------------------------------------------------------------
# KEYS: alert, pending. ARGV: filing JSON, channel, fid, now, pending member.
_ENQUEUE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'filing', ARGV[1], 'channel', ARGV[2], 'fid', ARGV[3], 'state', 'new',
           'attempts', 0, 'enqueued_at', ARGV[4], 'token', '')
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
return 1
"""

# KEYS: alert, lease. ARGV: token, owner, lease ms, now. Returns nil or {attempts, taken_over}.
_CLAIM = """
local st = redis.call('HGET', KEYS[1], 'state')
if (not st) or st == 'delivered' then return false end
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
local prev = redis.call('HGET', KEYS[1], 'token')
local taken = 0
if prev and prev ~= '' then
  taken = 1
  attempts = attempts + 1
  local who = redis.call('HGET', KEYS[1], 'owner') or '?'
  redis.call('HSET', KEYS[1], 'attempts', attempts,
             'last_error', 'claim by ' .. who .. ' expired before it finished')
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
redis.call('HSET', KEYS[1], 'state', 'claimed', 'token', ARGV[1], 'owner', ARGV[2], 'claimed_at', ARGV[4])
return {attempts, taken}
"""

# KEYS: alert, lease, pending. ARGV: token, receipt, now, retention s, pending member.
_DELIVERED = """
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'delivered', 'token', '', 'delivered_at', ARGV[3], 'receipt', ARGV[2])
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
"""

# KEYS: alert, lease. ARGV: token, error, now. Returns the attempts recorded.
_RELEASE = """
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then
  return tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
end
local n = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'state', 'new', 'token', '', 'last_error', ARGV[2], 'released_at', ARGV[3])
redis.call('DEL', KEYS[2])
return n
"""


def redact_url(url: str) -> str:
    """The URL with any password replaced, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username or ''}:***@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


class RedisStore:
    """``Store`` on Redis. Thread-safe (one connection pool); every failure is a ``StoreError``."""

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
            raise StoreError(f"cannot use Redis store {self.url}: {exc}") from exc
        self._enqueue = self._r.register_script(_ENQUEUE)
        self._claim = self._r.register_script(_CLAIM)
        self._delivered = self._r.register_script(_DELIVERED)
        self._release = self._r.register_script(_RELEASE)

    @contextmanager
    def _backend(self, what: str) -> Iterator[None]:
        try:
            yield
        except redis.RedisError as exc:
            raise StoreError(f"Redis store {self.url}: {what} failed: {exc}") from exc

    def ping(self) -> None:
        with self._backend("ping"):
            self._r.ping()

    # -- discovery bookkeeping -------------------------------------------------------------------
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
        with self._backend("mark_seen"):
            pipe = self._r.pipeline(transaction=False)
            for key in dict.fromkeys(keys):
                pipe.set(seen_key(self.ns, key), "1", ex=self.retention_s)
            pipe.execute()

    def get_meta(self, name: str) -> str | None:
        with self._backend("get_meta"):
            value = self._r.hget(META_KEY.format(ns=self.ns), name)
        return None if value is None else str(value)

    def set_meta(self, name: str, value: str) -> None:
        with self._backend("set_meta"):
            self._r.hset(META_KEY.format(ns=self.ns), name, value)

    # -- outbox ----------------------------------------------------------------------------------
    def enqueue(self, filing: Filing, channel: str) -> bool:
        keys = [alert_key(self.ns, filing.id, channel), PENDING_KEY.format(ns=self.ns)]
        args = [json.dumps(filing.to_dict()), channel, filing.id, repr(time.time()),
                pending_member(filing.id, channel)]
        with self._backend("enqueue"):
            return bool(self._enqueue(keys=keys, args=args))

    def pending(self, limit: int = 1000) -> list[PendingAlert]:
        with self._backend("pending"):
            members = self._r.zrange(PENDING_KEY.format(ns=self.ns), 0, max(limit, 1) - 1)
            pipe = self._r.pipeline(transaction=False)
            ids = [tuple(json.loads(str(m))) for m in members]
            for fid, channel in ids:
                pipe.hgetall(alert_key(self.ns, fid, channel))
            rows = pipe.execute()
        out = []
        for row in rows:
            if not row or row.get("state") == "delivered":
                continue  # removed concurrently; the delivering script drops the member too
            out.append(PendingAlert(
                filing=Filing.from_dict(json.loads(row["filing"])), channel=row["channel"],
                attempts=int(row.get("attempts") or 0), last_error=row.get("last_error") or None,
                enqueued_at=float(row["enqueued_at"]),
            ))
        return out

    def claim(self, filing_id: str, channel: str, owner: str, lease_s: float) -> Claim | None:
        token = uuid.uuid4().hex
        keys = [alert_key(self.ns, filing_id, channel), lease_key(self.ns, filing_id, channel)]
        args: list[str | int] = [token, owner, max(1, int(lease_s * 1000)), repr(time.time())]
        with self._backend("claim"):
            got = self._claim(keys=keys, args=args)
        if not got:
            return None
        attempts, taken = got
        return Claim(filing_id, channel, token, int(attempts), bool(taken))

    def mark_delivered(self, claim: Claim, receipt: str | None = None) -> bool:
        keys = [alert_key(self.ns, claim.filing_id, claim.channel),
                lease_key(self.ns, claim.filing_id, claim.channel), PENDING_KEY.format(ns=self.ns)]
        args: list[str | int] = [claim.token, receipt or "", repr(time.time()), self.retention_s,
                                 pending_member(claim.filing_id, claim.channel)]
        with self._backend("mark_delivered"):
            return bool(self._delivered(keys=keys, args=args))

    def release(self, claim: Claim, error: str) -> int:
        keys = [alert_key(self.ns, claim.filing_id, claim.channel),
                lease_key(self.ns, claim.filing_id, claim.channel)]
        with self._backend("release"):
            return int(self._release(keys=keys, args=[claim.token, error[:1000], repr(time.time())]))

    def state(self, filing_id: str, channel: str) -> DeliveryState:
        with self._backend("state"):
            pipe = self._r.pipeline(transaction=False)
            pipe.hget(alert_key(self.ns, filing_id, channel), "state")
            pipe.exists(lease_key(self.ns, filing_id, channel))
            state, leased = pipe.execute()
        if state is None:
            return DeliveryState.UNKNOWN
        if state == "delivered":
            return DeliveryState.DELIVERED
        return DeliveryState.CLAIMED if state == "claimed" and leased else DeliveryState.NEW

    # -- parsed results --------------------------------------------------------------------------
    def save_report(self, filing: Filing, report: dict[str, Any]) -> None:
        record = json.dumps({"filing": filing.to_dict(), "payload": report, "saved_at": time.time()})
        released = filing.released_at.timestamp()
        ttl = self.report_retention_s
        with self._backend("save_report"):
            pipe = self._r.pipeline(transaction=True)
            pipe.set(report_key(self.ns, filing.id), record, ex=ttl)
            for code in filing.stock_codes:
                key = stock_reports_key(self.ns, code)
                pipe.zadd(key, {filing.id: released})
                pipe.expire(key, ttl)
            pipe.execute()

    def get_report(self, filing_id: str) -> dict[str, Any] | None:
        with self._backend("get_report"):
            raw = self._r.get(report_key(self.ns, filing_id))
        return None if raw is None else dict(json.loads(str(raw))["payload"])

    def previous_reports(self, stock_code: str, before_filing_id: str, limit: int = 4
                         ) -> list[dict[str, Any]]:
        """Reports with figures (error payloads skipped) released before ``before_filing_id``."""
        key = stock_reports_key(self.ns, stock_code)
        with self._backend("previous_reports"):
            before = self._r.zscore(key, before_filing_id)
            top = "+inf" if before is None else repr(before)
            fids = [str(f) for f in self._r.zrevrangebyscore(key, top, "-inf") if f != before_filing_id]
            raws = self._r.mget([report_key(self.ns, f) for f in fids]) if fids else []
        out: list[dict[str, Any]] = []
        gone = [f for f, raw in zip(fids, raws, strict=True) if raw is None]
        if gone:  # their report records expired: forget them in the index too
            with self._backend("previous_reports"):
                self._r.zrem(key, *gone)
        for raw in raws:
            if raw is None:
                continue
            payload = json.loads(raw)["payload"]
            if "error" not in payload:
                out.append(payload)
            if len(out) >= limit:
                break
        return out

    def close(self) -> None:
        try:
            self._r.close()
        except redis.RedisError:  # closing a dead connection is not worth an error
            logger.debug("closing Redis store %s failed", self.url, exc_info=True)
