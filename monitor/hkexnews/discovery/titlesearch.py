"""One stock's filings between two days by title search: the one sequence that catch-up,
reconciliation, Chinese-only resolution and backfill share.

Code to stockId (the cached active-stock lists; a code on neither board is "not listed" and is not
searched), then the servlet's cumulative ``rowRange`` grown until no next row, a range holding more
rows than HKEXnews returns split in two by date, rows deduplicated and folded per document. Every
request is counted, the stock-list fetches included, whether the search succeeds or not. A failed
request is returned as the result's ``error`` (and counted: it was asked), so that one stock's odd
answer is that stock's alone; the caller decides whether it raises.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from monitor.errors import FeedShapeError, SourceError
from monitor.filing import Filing
from monitor.hkexnews.discovery.counts import NONE, Requests
from monitor.hkexnews.discovery.ports import FeedClient
from monitor.hkexnews.feed import merge_filings, normalise_stock_code
from monitor.hkexnews.stockids import StockDirectory
from monitor.metrics import Metrics

log = logging.getLogger(__name__)

TITLE_SEARCH_STEP = 100
TITLE_SEARCH_ROW_CAP = 9000  # HKEXnews silently stops near 10,000 rows: split the dates before that
NOT_LISTED = "not in HKEXnews' active stock lists (delisted or mistyped?)"
UNCONFIRMED = 'HKEXnews answered "null" (no rows, unconfirmed)'

Progress = Callable[[int, int], None]  # (rows so far, rows in all), after each request


@dataclass(frozen=True)
class StockSearch:
    """What one stock's title search found. ``filings``: the stock's filings, one per document
    (those read before a ``"null"`` answer when not ``confirmed``). ``listed``: False when the code
    is on neither active-stock list (nothing was searched). ``error``: the request that failed."""

    code: str
    start: date
    end: date
    filings: tuple[Filing, ...] = ()
    requests: Requests = NONE
    listed: bool = True
    confirmed: bool = True
    error: SourceError | None = None

    @property
    def ok(self) -> bool:
        """Searched to the end, every answer confirmed."""
        return self.listed and self.confirmed and self.error is None

    @property
    def why(self) -> str | None:
        """Why the stock's filings are not known for sure, or ``None`` when they are."""
        if not self.listed:
            return NOT_LISTED
        if self.error is not None:
            return f"title search failed: {self.error}"
        if not self.confirmed:
            return UNCONFIRMED
        return None


class _Tally:
    """Title-search answers asked so far in one search (the date split recurses)."""

    def __init__(self) -> None:
        self.asked = 0


class TitleSearch:
    """Searches one stock at a time through ``client``; codes become stockIds through ``stock_ids``."""

    def __init__(self, client: FeedClient, stock_ids: StockDirectory, metrics: Metrics | None = None) -> None:
        self.client = client
        self.stock_ids = stock_ids
        self.metrics = metrics

    def search(self, code: str, start: date, end: date, *, lang: str = "E",
               progress: Progress | None = None) -> StockSearch:
        """The filings of ``code`` released from ``start`` to ``end`` (days, inclusive) in ``lang``
        ("E" or "ZH"); see the module docstring."""
        code = normalise_stock_code(code)
        fetched_before = self.stock_ids.fetches
        tally = _Tally()

        def counted() -> Requests:
            return Requests(title_search=tally.asked, stock_ids=self.stock_ids.fetches - fetched_before)

        try:
            stock_id = self.stock_ids.stock_id(code, source=self.client)
            if stock_id is None:
                return StockSearch(code, start, end, requests=counted(), listed=False)
            rows, confirmed = self._rows(stock_id, start, end, lang, progress, tally)
        except SourceError as exc:
            return StockSearch(code, start, end, requests=counted(), error=exc)
        mine = tuple(f for f in merge_filings(rows) if code in f.stock_codes)
        return StockSearch(code, start, end, filings=mine, requests=counted(), confirmed=confirmed)

    def _rows(self, stock_id: int, start: date, end: date, lang: str, progress: Progress | None,
              tally: _Tally) -> tuple[list[Filing], bool]:
        """All rows for one stockId: (rows, confirmed); ``confirmed`` is False after a ``"null"``."""
        found: dict[tuple[str, int], Filing] = {}  # cumulative answers repeat rows: keep each once
        row_range = TITLE_SEARCH_STEP
        loaded = -1
        while True:
            tally.asked += 1  # asked, whether or not it is answered
            page = self.client.title_search(stock_id, start, end, row_range=row_range, lang=lang)
            if page.unconfirmed:
                return list(found.values()), False
            if page.total > TITLE_SEARCH_ROW_CAP and start < end:
                mid = start + (end - start) // 2
                log.info("stockId %s has %d rows %s..%s; splitting at %s", stock_id, page.total, start, end,
                         mid)
                left, ok_left = self._rows(stock_id, start, mid, lang, progress, tally)
                right, ok_right = self._rows(stock_id, mid + timedelta(days=1), end, lang, progress, tally)
                return left + right, ok_left and ok_right
            for f in page.filings:
                found.setdefault((f.id, f.news_id), f)
            if progress is not None:
                progress(len(found), max(page.total, len(found)))
            if not page.has_next_row:
                return list(found.values()), True
            if page.loaded <= loaded:
                if self.metrics is not None:
                    self.metrics.feed_errors.inc()
                raise FeedShapeError(f"{page.url}: hasNextRow is true but rowRange {row_range} loaded no "
                                     f"more rows than before ({page.loaded})", url=page.url)
            loaded = page.loaded
            row_range += TITLE_SEARCH_STEP
