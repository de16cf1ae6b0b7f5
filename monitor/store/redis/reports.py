"""``Reports`` on Redis: one JSON record per filing, and per stock an index by release time."""

from __future__ import annotations

import json
import time
from typing import Any

from monitor.filing import Filing
from monitor.store.model import SavedReport
from monitor.store.redis.connection import RedisConnection
from monitor.store.redis.keys import report_key, stock_reports_key
from monitor.store.shared import results_with_figures, saved_reports


class RedisReports(RedisConnection):
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
        gone = [f for f, raw in zip(fids, raws, strict=True) if raw is None]
        if gone:  # their report records expired: forget them in the index too
            with self._backend("previous_reports"):
                self._r.zrem(key, *gone)
        return results_with_figures((str(raw) for raw in raws if raw is not None), limit)

    def stock_reports(self, stock_code: str, limit: int = 100) -> list[SavedReport]:
        key = stock_reports_key(self.ns, stock_code)
        with self._backend("stock_reports"):
            fids = [str(f) for f in self._r.zrevrange(key, 0, max(0, limit - 1))]
            raws = self._r.mget([report_key(self.ns, f) for f in fids]) if fids else []
        return saved_reports(str(raw) for raw in raws if raw is not None)
