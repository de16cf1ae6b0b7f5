"""Per-stock catch-up by title search after downtime beyond the 7-day feed, for named stocks.

Each stock has its own cursor in the store's meta (``catch_up_meta(code)``, ISO time; "" once done)
and the list of pending stocks (``META_CATCH_UP_PENDING``): a stock whose search fails (or answers
``"null"``) stays pending and is retried later, its retries spaced out, while the others advance.
While HKEXnews cools off (403/503) no stock is searched. The whole market is never caught up this
way (one search per listed stock is thousands of requests); it has the 7-day feed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from monitor.errors import HostCoolingOffError
from monitor.filing import HKT, Filing
from monitor.hkexnews.discovery.counts import NONE, Requests
from monitor.hkexnews.discovery.ports import SeenStore, read_time
from monitor.hkexnews.discovery.titlesearch import TitleSearch
from monitor.hkexnews.discovery.watching import Watching

log = logging.getLogger(__name__)

META_CATCH_UP_PENDING = "discovery.catch_up_pending"  # comma list of the stocks still to catch up
_META_CATCH_UP = "discovery.catch_up.{code}"
CATCH_UP_BACKOFF_S = (60.0, 300.0, 900.0, 1800.0, 3600.0)  # a failing stock's retries, spaced out


def catch_up_meta(code: str) -> str:
    """The store meta name of one stock's title-search catch-up cursor (ISO time; "" once done)."""
    return _META_CATCH_UP.format(code=code)


@dataclass(frozen=True)
class CatchUp:
    """One watched stock's title-search catch-up after downtime beyond the 7-day feed."""

    code: str
    since: datetime  # the stock's filings are searched from this time's day (HKT) to today
    done: bool
    found: int = 0  # filings of the stock the search returned
    error: str | None = None  # why it is still pending; it is retried on a later poll


@dataclass(frozen=True)
class CatchUpRound:
    """One poll's catch-up: each pending stock's state, the filings found, the requests asked."""

    states: tuple[CatchUp, ...] = ()
    found: tuple[Filing, ...] = ()
    requests: Requests = NONE


class StockCatchUp:
    """Runs the pending stocks' title searches (``run``) and records their cursors (``commit``)."""

    def __init__(self, store: SeenStore, search: TitleSearch, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.store = store
        self.search = search
        self._clock = clock
        self._pending: dict[str, datetime] | None = None  # stock -> catch-up cursor, once loaded
        self._retry: dict[str, tuple[float, int, str]] = {}  # stock -> (next try, failures, why)

    def _load(self) -> dict[str, datetime]:
        if self._pending is None:
            pending: dict[str, datetime] = {}
            for code in filter(None, (self.store.get_meta(META_CATCH_UP_PENDING) or "").split(",")):
                since = read_time(self.store, catch_up_meta(code))
                if since is not None:
                    pending[code] = since
            self._pending = pending
        return self._pending

    def run(self, watching: Watching, gap_start: datetime | None, now: datetime) -> CatchUpRound:
        """Title-search each watched stock still to be caught up, and every named stock from
        ``gap_start`` when a gap beyond the 7-day feed begins now; each stock succeeds or stays
        pending on its own."""
        pending = dict(self._load())
        if gap_start is not None and watching.codes:
            log.warning("last poll was %s, beyond the 7-day feed: catching up %d stocks one by one by title "
                        "search from %s", gap_start.isoformat(), len(watching.codes),
                        gap_start.astimezone(HKT).date())
            for code in watching.codes:
                pending[code] = min(pending.get(code, gap_start), gap_start)
        todo = sorted(c for c in pending if watching.covers_code(c))
        if not todo:
            return CatchUpRound()
        states: list[CatchUp] = []
        found: list[Filing] = []
        requests = NONE
        cooling: str | None = None
        mono = self._clock()
        for code in todo:
            since = pending[code]
            retry = self._retry.get(code)
            if cooling is not None:
                states.append(CatchUp(code, since, done=False, error=cooling))
                continue
            if retry is not None and mono < retry[0] and gap_start is None:
                states.append(CatchUp(code, since, done=False,
                                      error=f"{retry[2]} (retry in {retry[0] - mono:.0f}s)"))
                continue
            result = self.search.search(code, since.astimezone(HKT).date(), now.date())
            requests += result.requests
            if isinstance(result.error, HostCoolingOffError):
                cooling = f"HKEXnews is cooling off: {result.error}"
                states.append(CatchUp(code, since, done=False, error=cooling))
            elif not result.listed:
                log.warning("stock %s is %s; its catch-up is dropped", code, result.why)
                states.append(CatchUp(code, since, done=True,
                                      error="not in HKEXnews' active stock lists; not searched"))
            elif not result.ok:
                states.append(CatchUp(code, since, done=False, error=self._failed(code, result.why or "")))
            else:
                self._retry.pop(code, None)
                found.extend(result.filings)
                states.append(CatchUp(code, since, done=True, found=len(result.filings)))
        return CatchUpRound(tuple(states), tuple(found), requests)

    def _failed(self, code: str, why: str) -> str:
        _, failures, _ = self._retry.get(code, (0.0, 0, ""))
        wait = CATCH_UP_BACKOFF_S[min(failures, len(CATCH_UP_BACKOFF_S) - 1)]
        self._retry[code] = (self._clock() + wait, failures + 1, why)
        log.warning("catch-up of %s failed (%s); it stays pending and is retried in %.0fs, the other stocks "
                    "go on", code, why, wait)
        return why

    def commit(self, states: Sequence[CatchUp]) -> None:
        """Record each stock's cursor: kept (the earliest) while pending, cleared once done."""
        if not states:
            return
        pending = dict(self._load())
        before = dict(pending)
        for c in states:
            if c.done:
                pending.pop(c.code, None)
            else:
                pending[c.code] = min(pending.get(c.code, c.since), c.since)
        for code, since in pending.items():
            if before.get(code) != since:
                self.store.set_meta(catch_up_meta(code), since.isoformat())
        for code in before.keys() - pending.keys():
            self.store.set_meta(catch_up_meta(code), "")
        if pending.keys() != before.keys():
            self.store.set_meta(META_CATCH_UP_PENDING, ",".join(sorted(pending)))
        self._pending = pending
