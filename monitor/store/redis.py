"""The Redis store: shared by every instance pointed at the same server (see the contract in
``monitor/store/__init__.py``).

Keys (``ns`` is the namespace, ``aid`` an alert id, ``fid`` a filing id), declared here once:

    {ns}:seen:{key}              "1"     feed items already looked at          TTL retention
    {ns}:meta                    hash    small named values (cursors, etc.)    no TTL
    {ns}:epoch                   string  marker: this store remembers          no TTL
    {ns}:alert:{aid}:{channel}   hash    kind, filing/data JSON, state,        no TTL while pending,
                                         attempts, last_error, token, owner,   TTL retention once
                                         uncertain, not_before, receipt        delivered or dropped
    {ns}:lease:{aid}:{channel}   string  token of the live claim               PX lease_s
    {ns}:pending                 zset    [aid, channel] JSON -> enqueued_at    removed on delivery
    {ns}:docs:{priority}         stream  documents to read, group "readers"    entries deleted when done
    {ns}:doc:{fid}:{parser}      string  "submitted once" marker               TTL retention
    {ns}:report:{fid}            string  {filing, payload, saved_at} JSON      TTL report retention
    {ns}:reports:{stock_code}    zset    fid -> release time (unix)            TTL report retention
    {ns}:rec:{kind}:{key}        string  a named record (JSON)                 TTL as given
    {ns}:recs:{kind}             zset    key -> expiry (unix ms, +inf)         pruned on read
    {ns}:limit:{name}            string  next free slot (unix ms, server time) PX until then + 60 s
    {ns}:pause:{name}            string  pause end (unix ms, server time)      PX the pause

A claim is a lease key with a server-side expiry plus the claim's token in the alert hash: when the
lease key is gone but the hash still holds a token, the previous holder died mid-delivery, so the
next claim is a takeover. Claim, mark_delivered, release, drop and reroute are Lua scripts, so they
are atomic and a stale token (lease lost, alert taken over) changes nothing. Budgets and pauses use
the Redis server's clock, so instances whose clocks differ still share one budget.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from monitor.errors import StoreError
from monitor.filing import Filing
from monitor.secrets import redact_url
from monitor.store import (
    ALERT_FILING,
    DAY_S,
    PRIORITIES,
    REPORT_RETENTION_DAYS,
    Claim,
    DeliveryState,
    DocumentBacklog,
    DocumentTask,
    PendingAlert,
    RerouteResult,
)

logger = logging.getLogger(__name__)

GROUP = "readers"
STREAM_MAXLEN = 100_000


# -- key templates and the tiny functions that use them -------------------------------------------
SEEN_KEY = "{ns}:seen:{key}"
META_KEY = "{ns}:meta"
EPOCH_KEY = "{ns}:epoch"
ALERT_KEY = "{ns}:alert:{aid}:{channel}"
LEASE_KEY = "{ns}:lease:{aid}:{channel}"
PENDING_KEY = "{ns}:pending"
DOCS_KEY = "{ns}:docs:{priority}"
DOC_MARK_KEY = "{ns}:doc:{fid}:{parser}"
REPORT_KEY = "{ns}:report:{fid}"
STOCK_REPORTS_KEY = "{ns}:reports:{code}"
RECORD_KEY = "{ns}:rec:{kind}:{key}"
RECORDS_KEY = "{ns}:recs:{kind}"
LIMIT_KEY = "{ns}:limit:{name}"
PAUSE_KEY = "{ns}:pause:{name}"


def seen_key(ns: str, key: str) -> str:
    return SEEN_KEY.format(ns=ns, key=key)


def alert_key(ns: str, aid: str, channel: str) -> str:
    return ALERT_KEY.format(ns=ns, aid=aid, channel=channel)


def lease_key(ns: str, aid: str, channel: str) -> str:
    return LEASE_KEY.format(ns=ns, aid=aid, channel=channel)


def pending_member(aid: str, channel: str) -> str:
    return json.dumps([aid, channel])


def docs_key(ns: str, priority: str) -> str:
    return DOCS_KEY.format(ns=ns, priority=priority)


def report_key(ns: str, fid: str) -> str:
    return REPORT_KEY.format(ns=ns, fid=fid)


def stock_reports_key(ns: str, code: str) -> str:
    return STOCK_REPORTS_KEY.format(ns=ns, code=code)


# -- scripts --------------------------------------------------------------------------------------
# KEYS: alert, pending. ARGV: kind, filing JSON ("" for messages), data JSON, channel, aid, now, member.
_ENQUEUE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'kind', ARGV[1], 'filing', ARGV[2], 'data', ARGV[3], 'channel', ARGV[4],
           'aid', ARGV[5], 'state', 'new', 'attempts', 0, 'enqueued_at', ARGV[6], 'token', '',
           'uncertain', 0, 'not_before', 0)
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[7])
return 1
"""

# KEYS: alert, lease. ARGV: token, owner, lease ms, now. Returns nil or {attempts, taken_over, uncertain}.
_CLAIM = """
local st = redis.call('HGET', KEYS[1], 'state')
if (not st) or st == 'delivered' or st == 'dropped' then return false end
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
return {attempts, taken, tonumber(redis.call('HGET', KEYS[1], 'uncertain') or '0')}
"""

# KEYS: alert, lease, pending. ARGV: token, receipt, now, retention s, pending member.
_DELIVERED = """
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'delivered', 'token', '', 'delivered_at', ARGV[3], 'receipt', ARGV[2],
           'uncertain', 0)
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
"""

# KEYS: alert, lease. ARGV: token, error, now, uncertain (0/1), not_before. Returns the attempts recorded.
_RELEASE = """
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then
  return tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
end
local n = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'state', 'new', 'token', '', 'last_error', ARGV[2], 'released_at', ARGV[3],
           'uncertain', ARGV[4], 'not_before', ARGV[5])
redis.call('DEL', KEYS[2])
return n
"""

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

# KEYS: submitted marker, stream. ARGV: marker ttl s, filing JSON, parser, submitted_at, maxlen.
_SUBMIT = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'filing', ARGV[2], 'parser', ARGV[3],
           'submitted_at', ARGV[4])
return 1
"""

_NOW_MS = ("local t = redis.call('TIME')\n"
           "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)")

# KEYS: limit. ARGV: interval ms. Returns the ms to wait before the reserved slot.
_RESERVE = _NOW_MS + """
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, nxt)
redis.call('SET', KEYS[1], at + ARGV[1], 'PX', at + ARGV[1] - now + 60000)
return at - now
"""

# KEYS: pause. ARGV: ms. Returns the ms the pause now lasts.
_PAUSE = _NOW_MS + """
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], now + ARGV[1], 'PX', ARGV[1])
  return tonumber(ARGV[1])
end
return left
"""


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
            raise StoreError(f"cannot use Redis store {self.url}: {redact_url(str(exc))}") from exc
        self._socket_timeout = timeout_s
        self._enqueue = self._r.register_script(_ENQUEUE)
        self._claim = self._r.register_script(_CLAIM)
        self._delivered = self._r.register_script(_DELIVERED)
        self._release = self._r.register_script(_RELEASE)
        self._drop = self._r.register_script(_DROP)
        self._reroute = self._r.register_script(_REROUTE)
        self._submit = self._r.register_script(_SUBMIT)
        self._reserve = self._r.register_script(_RESERVE)
        self._pause = self._r.register_script(_PAUSE)

    @contextmanager
    def _backend(self, what: str) -> Iterator[None]:
        try:
            yield
        except redis.RedisError as exc:
            raise StoreError(f"Redis store {self.url}: {what} failed: {redact_url(str(exc))}") from exc

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
            value = self._r.hget(META_KEY.format(ns=self.ns), name)
        return None if value is None else str(value)

    def set_meta(self, name: str, value: str) -> None:
        with self._backend("set_meta"):
            self._r.hset(META_KEY.format(ns=self.ns), name, value)

    def ensure_epoch(self) -> tuple[str, bool]:
        key = EPOCH_KEY.format(ns=self.ns)
        fresh = f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}/{uuid.uuid4().hex[:8]}"
        with self._backend("ensure_epoch"):
            if self._r.set(key, fresh, nx=True):
                return fresh, True
            return str(self._r.get(key) or fresh), False

    # -- outbox ----------------------------------------------------------------------------------
    def enqueue(self, filing: Filing, channel: str, *, data: dict[str, Any] | None = None) -> bool:
        return self._enqueue_alert(filing.id, channel, ALERT_FILING, json.dumps(filing.to_dict()), data or {})

    def enqueue_message(self, alert_id: str, channel: str, kind: str, data: dict[str, Any]) -> bool:
        if kind == ALERT_FILING:
            raise ValueError("use enqueue() for a filing's alert")
        return self._enqueue_alert(alert_id, channel, kind, "", data)

    def _enqueue_alert(self, aid: str, channel: str, kind: str, filing_json: str,
                       data: dict[str, Any]) -> bool:
        keys = [alert_key(self.ns, aid, channel), PENDING_KEY.format(ns=self.ns)]
        args = [kind, filing_json, json.dumps(data), channel, aid, repr(time.time()),
                pending_member(aid, channel)]
        with self._backend("enqueue"):
            return bool(self._enqueue(keys=keys, args=args))

    def pending(self, limit: int = 1000) -> list[PendingAlert]:
        with self._backend("pending"):
            members = self._r.zrange(PENDING_KEY.format(ns=self.ns), 0, max(limit, 1) - 1)
            ids = [tuple(json.loads(str(m))) for m in members]
            pipe = self._r.pipeline(transaction=False)
            for aid, channel in ids:
                pipe.hgetall(alert_key(self.ns, aid, channel))
                pipe.exists(lease_key(self.ns, aid, channel))
            rows = pipe.execute()
        out = []
        for row, leased in zip(rows[::2], rows[1::2], strict=True):
            if not row or row.get("state") in ("delivered", "dropped"):
                continue  # removed concurrently; the delivering script drops the member too
            out.append(_pending_alert(row, bool(leased)))
        return out

    def claim(self, alert_id: str, channel: str, owner: str, lease_s: float) -> Claim | None:
        token = uuid.uuid4().hex
        keys = [alert_key(self.ns, alert_id, channel), lease_key(self.ns, alert_id, channel)]
        args: list[str | int] = [token, owner, max(1, int(lease_s * 1000)), repr(time.time())]
        with self._backend("claim"):
            got = self._claim(keys=keys, args=args)
        if not got:
            return None
        attempts, taken, uncertain = got
        return Claim(alert_id, channel, token, int(attempts), bool(taken), bool(uncertain))

    def mark_delivered(self, claim: Claim, receipt: str | None = None) -> bool:
        keys = [alert_key(self.ns, claim.alert_id, claim.channel),
                lease_key(self.ns, claim.alert_id, claim.channel), PENDING_KEY.format(ns=self.ns)]
        args: list[str | int] = [claim.token, receipt or "", repr(time.time()), self.retention_s,
                                 pending_member(claim.alert_id, claim.channel)]
        with self._backend("mark_delivered"):
            return bool(self._delivered(keys=keys, args=args))

    def release(self, claim: Claim, error: str, *, uncertain: bool = False, retry_in_s: float = 0.0) -> int:
        keys = [alert_key(self.ns, claim.alert_id, claim.channel),
                lease_key(self.ns, claim.alert_id, claim.channel)]
        now = time.time()
        args: list[str | int] = [claim.token, error[:1000], repr(now), int(uncertain),
                                 repr(now + retry_in_s if retry_in_s else 0)]
        with self._backend("release"):
            return int(self._release(keys=keys, args=args))

    def state(self, alert_id: str, channel: str) -> DeliveryState:
        with self._backend("state"):
            pipe = self._r.pipeline(transaction=False)
            pipe.hget(alert_key(self.ns, alert_id, channel), "state")
            pipe.exists(lease_key(self.ns, alert_id, channel))
            state, leased = pipe.execute()
        if state is None:
            return DeliveryState.UNKNOWN
        if state in ("delivered", "dropped"):
            return DeliveryState(state)
        return DeliveryState.CLAIMED if state == "claimed" and leased else DeliveryState.NEW

    def receipt(self, alert_id: str, channel: str) -> str | None:
        with self._backend("receipt"):
            state, receipt = self._r.hmget(alert_key(self.ns, alert_id, channel), ["state", "receipt"])
        return str(receipt) if state == "delivered" and receipt else None

    def get_alert(self, alert_id: str, channel: str) -> PendingAlert | None:
        with self._backend("get_alert"):
            row: dict[str, str] = self._r.hgetall(alert_key(self.ns, alert_id, channel))  # type: ignore[assignment]
        return _pending_alert(row, False) if row else None

    # -- operator actions ------------------------------------------------------------------------
    def drop(self, alert_id: str, channel: str, reason: str) -> bool:
        keys = [alert_key(self.ns, alert_id, channel), lease_key(self.ns, alert_id, channel),
                PENDING_KEY.format(ns=self.ns)]
        args: list[str | int] = [reason[:1000], repr(time.time()), self.retention_s,
                                 pending_member(alert_id, channel)]
        with self._backend("drop"):
            return bool(self._drop(keys=keys, args=args))

    def reroute(self, alert_id: str, channel: str, new_channel: str) -> RerouteResult:
        if new_channel == channel:
            return "merged" if self.state(alert_id, channel) is not DeliveryState.UNKNOWN else "not_pending"
        keys = [alert_key(self.ns, alert_id, channel), lease_key(self.ns, alert_id, channel),
                PENDING_KEY.format(ns=self.ns), alert_key(self.ns, alert_id, new_channel)]
        args: list[str | int] = [new_channel, pending_member(alert_id, channel),
                                 pending_member(alert_id, new_channel), repr(time.time()), self.retention_s]
        with self._backend("reroute"):
            result = str(self._reroute(keys=keys, args=args))
        assert result in ("rerouted", "merged", "claimed", "not_pending")
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

    # -- documents to read -------------------------------------------------------------------------
    def _ensure_groups(self) -> None:
        for priority in PRIORITIES:
            try:
                self._r.xgroup_create(docs_key(self.ns, priority), GROUP, id="0", mkstream=True)
            except redis.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise

    def submit_document(self, filing: Filing, parser: str, *, priority: str = "high") -> bool:
        if priority not in PRIORITIES:
            raise ValueError(f"priority must be one of {PRIORITIES}, got {priority!r}")
        keys = [DOC_MARK_KEY.format(ns=self.ns, fid=filing.id, parser=parser), docs_key(self.ns, priority)]
        args: list[str | int] = [self.retention_s, json.dumps(filing.to_dict()), parser, repr(time.time()),
                                 STREAM_MAXLEN]
        with self._backend("submit_document"):
            self._ensure_groups()
            return bool(self._submit(keys=keys, args=args))

    def take_documents(self, consumer: str, count: int, *, reclaim_idle_s: float,
                       block_s: float = 0.0) -> list[DocumentTask]:
        out: list[DocumentTask] = []
        with self._backend("take_documents"):
            try:
                out = self._take(consumer, count, reclaim_idle_s, block_s)
            except redis.ResponseError as exc:
                if "NOGROUP" not in str(exc) and "UNBLOCKED" not in str(exc):
                    raise
                # The store was wiped or is new (even while we waited on it): the group comes back empty.
                self._ensure_groups()
                out = self._take(consumer, count, reclaim_idle_s, 0.0)
        return out

    def _take(self, consumer: str, count: int, reclaim_idle_s: float, block_s: float) -> list[DocumentTask]:
        out: list[DocumentTask] = []
        idle_ms = max(1, int(reclaim_idle_s * 1000))
        for priority in PRIORITIES:  # abandoned first: they have waited longest
            if len(out) >= count:
                break
            key = docs_key(self.ns, priority)
            reply: Any = self._r.xautoclaim(key, GROUP, consumer, idle_ms, "0-0", count=count - len(out))
            entries = reply[1] if reply else []
            out += self._tasks(key, priority, entries, reclaimed=True)
        for priority in PRIORITIES:
            if len(out) >= count:
                break
            key = docs_key(self.ns, priority)
            reply = self._r.xreadgroup(GROUP, consumer, {key: ">"}, count=count - len(out))
            for _stream, entries in reply or []:
                out += self._tasks(key, priority, entries, reclaimed=False)
        if not out and block_s > 0:
            block_ms = int(min(block_s, self._socket_timeout / 2) * 1000)
            streams: Any = {docs_key(self.ns, p): ">" for p in PRIORITIES}
            reply = self._r.xreadgroup(GROUP, consumer, streams, count=count, block=block_ms)
            for stream, entries in reply or []:
                priority = str(stream).rsplit(":", 1)[1]
                out += self._tasks(str(stream), priority, entries, reclaimed=False)
        return out

    def _tasks(self, key: str, priority: str, entries: list[Any], *, reclaimed: bool) -> list[DocumentTask]:
        tasks = []
        for entry_id, fields in entries:
            if not fields:  # deleted while pending (finished elsewhere): nothing to do
                self._r.xack(key, GROUP, entry_id)
                continue
            deliveries = 1
            if reclaimed:
                info = self._r.xpending_range(key, GROUP, min=entry_id, max=entry_id, count=1)
                deliveries = int(info[0]["times_delivered"]) if info else 2
            tasks.append(DocumentTask(id=str(entry_id), filing=Filing.from_dict(json.loads(fields["filing"])),
                                      parser=fields["parser"], submitted_at=float(fields["submitted_at"]),
                                      deliveries=deliveries, priority=priority))
        return tasks

    def renew_document(self, task: DocumentTask, consumer: str) -> None:
        with self._backend("renew_document"):
            self._r.xclaim(docs_key(self.ns, task.priority), GROUP, consumer, 0, [task.id], justid=True)

    def finish_document(self, task: DocumentTask) -> None:
        key = docs_key(self.ns, task.priority)
        with self._backend("finish_document"):
            pipe = self._r.pipeline(transaction=True)
            pipe.xack(key, GROUP, task.id)
            pipe.xdel(key, task.id)
            pipe.execute()

    def document_backlog(self) -> DocumentBacklog:
        waiting = in_progress = 0
        by_consumer: dict[str, int] = {}
        oldest_ms: int | None = None
        with self._backend("document_backlog"):
            for priority in PRIORITIES:
                key = docs_key(self.ns, priority)
                if not self._r.exists(key):
                    continue
                length = int(self._r.xlen(key))
                summary = self._r.xpending(key, GROUP)
                pending = int(summary.get("pending") or 0) if summary else 0
                in_progress += pending
                waiting += max(0, length - pending)
                for c in (summary or {}).get("consumers") or []:
                    by_consumer[str(c["name"])] = by_consumer.get(str(c["name"]), 0) + int(c["pending"])
                first = self._r.xrange(key, count=1)
                if first:
                    at = int(str(first[0][0]).split("-")[0])
                    oldest_ms = at if oldest_ms is None else min(oldest_ms, at)
        oldest = None if oldest_ms is None else max(0.0, time.time() - oldest_ms / 1000)
        return DocumentBacklog(waiting, in_progress, by_consumer, oldest)

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
        """Results reports with figures (errors and notices skipped) released before ``before_filing_id``."""
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
            if "error" not in payload and payload.get("document", "results") == "results":
                out.append(payload)
            if len(out) >= limit:
                break
        return out

    # -- named records ---------------------------------------------------------------------------
    def put_record(self, kind: str, key: str, value: dict[str, Any], *,
                   ttl_s: float | None = None) -> None:
        expiry: float | str = "+inf" if ttl_s is None else int((time.time() + ttl_s) * 1000)
        with self._backend("put_record"):
            pipe = self._r.pipeline(transaction=True)
            pipe.set(RECORD_KEY.format(ns=self.ns, kind=kind, key=key), json.dumps(value),
                     px=None if ttl_s is None else max(1, int(ttl_s * 1000)))
            pipe.zadd(RECORDS_KEY.format(ns=self.ns, kind=kind), {key: expiry})
            pipe.execute()

    def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        with self._backend("get_record"):
            raw = self._r.get(RECORD_KEY.format(ns=self.ns, kind=kind, key=key))
        return None if raw is None else dict(json.loads(str(raw)))

    def records(self, kind: str) -> dict[str, dict[str, Any]]:
        index = RECORDS_KEY.format(ns=self.ns, kind=kind)
        with self._backend("records"):
            now_ms = int(time.time() * 1000)
            self._r.zremrangebyscore(index, "-inf", now_ms)
            keys = [str(k) for k in self._r.zrange(index, 0, -1)]
            names = [RECORD_KEY.format(ns=self.ns, kind=kind, key=k) for k in keys]
            raws = self._r.mget(names) if names else []
            gone = [k for k, raw in zip(keys, raws, strict=True) if raw is None]
            if gone:
                self._r.zrem(index, *gone)
        return {k: dict(json.loads(raw)) for k, raw in zip(keys, raws, strict=True) if raw is not None}

    def delete_record(self, kind: str, key: str) -> None:
        with self._backend("delete_record"):
            pipe = self._r.pipeline(transaction=True)
            pipe.delete(RECORD_KEY.format(ns=self.ns, kind=kind, key=key))
            pipe.zrem(RECORDS_KEY.format(ns=self.ns, kind=kind), key)
            pipe.execute()

    # -- shared budgets --------------------------------------------------------------------------
    def reserve(self, name: str, interval_s: float) -> float:
        with self._backend("reserve"):
            wait_ms = self._reserve(keys=[LIMIT_KEY.format(ns=self.ns, name=name)],
                                    args=[max(0, int(interval_s * 1000))])
        return int(wait_ms) / 1000

    def pause(self, name: str, seconds: float) -> float:
        with self._backend("pause"):
            ms = self._pause(keys=[PAUSE_KEY.format(ns=self.ns, name=name)],
                             args=[max(1, int(seconds * 1000))])
        return int(ms) / 1000

    def paused_for(self, name: str) -> float:
        with self._backend("paused_for"):
            ms = int(self._r.pttl(PAUSE_KEY.format(ns=self.ns, name=name)))
        return max(0, ms) / 1000

    def close(self) -> None:
        try:
            self._r.close()
        except redis.RedisError:  # closing a dead connection is not worth an error
            logger.debug("closing Redis store %s failed", self.url, exc_info=True)


def _pending_alert(row: dict[str, str], leased: bool) -> PendingAlert:
    filing_json = row.get("filing") or ""
    return PendingAlert(
        id=row.get("aid") or row.get("fid") or "", channel=row["channel"],
        kind=row.get("kind") or ALERT_FILING,
        filing=Filing.from_dict(json.loads(filing_json)) if filing_json else None,
        data=json.loads(row.get("data") or "{}"),
        attempts=int(row.get("attempts") or 0), last_error=row.get("last_error") or None,
        enqueued_at=float(row["enqueued_at"]), uncertain=row.get("uncertain") == "1",
        not_before=float(row.get("not_before") or 0), owner=(row.get("owner") or None) if leased else None,
    )
