"""``DocumentQueue`` on Redis: one stream per priority with the consumer group "readers"; a task's
lease is its entry's idle time in the group (renewed by XCLAIM to its own consumer, taken over by
XAUTOCLAIM once idle for ``reclaim_idle_s``, or at once when its consumer's heartbeat is gone); a
marker key makes each submission once cluster-wide."""

from __future__ import annotations

import json
import time
from typing import Any

import redis

from monitor.filing import Filing
from monitor.store.model import PRIORITIES, DocumentBacklog, DocumentTask
from monitor.store.redis.connection import NOW_MS, RedisConnection
from monitor.store.redis.keys import DOCS_GROUP, STREAM_MAXLEN, doc_mark_key, docs_key, procs_key

# KEYS: submitted marker, stream. ARGV: marker ttl s, filing JSON, parser, submitted_at, maxlen.
_SUBMIT = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'filing', ARGV[2], 'parser', ARGV[3],
           'submitted_at', ARGV[4])
return 1
"""


# KEYS: procs, then the streams in priority order. ARGV: group, consumer, count.
# Moves to ``consumer`` the entries held by consumers whose heartbeat is gone (retired or ran out);
# returns {stream index (1-based), entry id, fields, deliveries} per entry.
_TAKE_FROM_GONE = NOW_MS + """
local want = tonumber(ARGV[3])
local out = {}
for i = 2, #KEYS do
  local summary = redis.call('XPENDING', KEYS[i], ARGV[1])
  if want > 0 and summary[1] > 0 then
    for _, holder in ipairs(summary[4]) do
      local gone_at = redis.call('ZSCORE', KEYS[1], holder[1])
      if want > 0 and holder[1] ~= ARGV[2] and gone_at and tonumber(gone_at) <= now then
        local ids, times = {}, {}
        for _, e in ipairs(redis.call('XPENDING', KEYS[i], ARGV[1], '-', '+', want, holder[1])) do
          ids[#ids + 1] = e[1]
          times[e[1]] = e[4]
        end
        for _, entry in ipairs(redis.call('XCLAIM', KEYS[i], ARGV[1], ARGV[2], 0, unpack(ids))) do
          if entry and entry[2] then
            out[#out + 1] = {i - 1, entry[1], entry[2], times[entry[1]] + 1}
            want = want - 1
          end
        end
      end
    end
  end
end
return out
"""


# KEYS: stream. ARGV: group, consumer, entry id, idle ms. Returns 1 if released.
# The entry stays pending with a huge idle time, so the next XAUTOCLAIM by anyone takes it at once.
_RELEASE = """
local held = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #held == 0 or held[1][2] ~= ARGV[2] then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'IDLE', ARGV[4], 'JUSTID')
return 1
"""
RELEASED_IDLE_MS = 365 * 86_400_000  # longer than any reclaim_idle_s


class RedisDocumentQueue(RedisConnection):
    def _ensure_groups(self) -> None:
        for priority in PRIORITIES:
            try:
                self._r.xgroup_create(docs_key(self.ns, priority), DOCS_GROUP, id="0", mkstream=True)
            except redis.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise

    def submit_document(self, filing: Filing, parser: str, *, priority: str = "high") -> bool:
        if priority not in PRIORITIES:
            raise ValueError(f"priority must be one of {PRIORITIES}, got {priority!r}")
        keys = [doc_mark_key(self.ns, filing.id, parser), docs_key(self.ns, priority)]
        args: list[str | int] = [self.retention_s, json.dumps(filing.to_dict()), parser, repr(time.time()),
                                 STREAM_MAXLEN]
        with self._backend("submit_document"):
            self._ensure_groups()
            return bool(self._script(_SUBMIT)(keys=keys, args=args))

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
        out = self._take_from_gone(consumer, count)
        idle_ms = max(1, int(reclaim_idle_s * 1000))
        for priority in PRIORITIES:  # abandoned first: they have waited longest
            if len(out) >= count:
                break
            key = docs_key(self.ns, priority)
            reply: Any = self._r.xautoclaim(key, DOCS_GROUP, consumer, idle_ms, "0-0", count=count - len(out))
            entries = reply[1] if reply else []
            out += self._tasks(key, priority, entries, reclaimed=True)
        for priority in PRIORITIES:
            if len(out) >= count:
                break
            key = docs_key(self.ns, priority)
            reply = self._r.xreadgroup(DOCS_GROUP, consumer, {key: ">"}, count=count - len(out))
            for _stream, entries in reply or []:
                out += self._tasks(key, priority, entries, reclaimed=False)
        if not out and block_s > 0:
            block_ms = int(min(block_s, self._socket_timeout / 2) * 1000)
            streams: Any = {docs_key(self.ns, p): ">" for p in PRIORITIES}
            reply = self._r.xreadgroup(DOCS_GROUP, consumer, streams, count=count, block=block_ms)
            for stream, entries in reply or []:
                priority = str(stream).rsplit(":", 1)[1]
                out += self._tasks(str(stream), priority, entries, reclaimed=False)
        return out

    def _take_from_gone(self, consumer: str, count: int) -> list[DocumentTask]:
        streams = [docs_key(self.ns, p) for p in PRIORITIES]
        got: Any = self._script(_TAKE_FROM_GONE)(keys=[procs_key(self.ns), *streams],
                                                 args=[DOCS_GROUP, consumer, count])
        out = []
        for index, entry_id, flat, deliveries in got or []:
            fields = dict(zip(flat[::2], flat[1::2], strict=True))
            out.append(self._task(entry_id, fields, PRIORITIES[int(index) - 1], int(deliveries)))
        return out

    def _task(self, entry_id: str, fields: dict[str, str], priority: str, deliveries: int) -> DocumentTask:
        return DocumentTask(id=str(entry_id), filing=Filing.from_dict(json.loads(fields["filing"])),
                            parser=fields["parser"], submitted_at=float(fields["submitted_at"]),
                            deliveries=deliveries, priority=priority)

    def _tasks(self, key: str, priority: str, entries: list[Any], *, reclaimed: bool) -> list[DocumentTask]:
        tasks = []
        for entry_id, fields in entries:
            if not fields:  # deleted while pending (finished elsewhere): nothing to do
                self._r.xack(key, DOCS_GROUP, entry_id)
                continue
            deliveries = 1
            if reclaimed:
                info = self._r.xpending_range(key, DOCS_GROUP, min=entry_id, max=entry_id, count=1)
                deliveries = int(info[0]["times_delivered"]) if info else 2
            tasks.append(self._task(entry_id, fields, priority, deliveries))
        return tasks

    def renew_document(self, task: DocumentTask, consumer: str) -> None:
        with self._backend("renew_document"):
            self._r.xclaim(docs_key(self.ns, task.priority), DOCS_GROUP, consumer, 0, [task.id], justid=True)

    def release_document(self, task: DocumentTask, consumer: str) -> bool:
        key = docs_key(self.ns, task.priority)
        with self._backend("release_document"):
            try:
                return bool(self._script(_RELEASE)(keys=[key], args=[DOCS_GROUP, consumer, task.id,
                                                                      RELEASED_IDLE_MS]))
            except redis.ResponseError as exc:
                if "NOGROUP" not in str(exc):
                    raise
                return False  # the store was wiped: nothing is held any more

    def finish_document(self, task: DocumentTask) -> None:
        key = docs_key(self.ns, task.priority)
        with self._backend("finish_document"):
            pipe = self._r.pipeline(transaction=True)
            pipe.xack(key, DOCS_GROUP, task.id)
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
                summary = self._r.xpending(key, DOCS_GROUP)
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
