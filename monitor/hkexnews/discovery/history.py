"""A stock's history: every filing of one stock over a range of days, by title search (and the
Chinese title search for its Chinese-only filings), for ``hkex-monitor backfill``. Touches no store.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from monitor.errors import SourceError
from monitor.filing import HKT, Filing
from monitor.hkexnews.discovery.placeholders import PlaceholderResolver
from monitor.hkexnews.discovery.ports import FeedClient
from monitor.hkexnews.discovery.titlesearch import Progress, TitleSearch
from monitor.hkexnews.feed import normalise_stock_code
from monitor.logs import counted

log = logging.getLogger(__name__)


class History:
    """Backfills one stock at a time (``backfill``)."""

    def __init__(self, client: FeedClient, search: TitleSearch, resolver: PlaceholderResolver) -> None:
        self.client = client
        self.search = search
        self.resolver = resolver

    def backfill(self, code: str, since: date, progress: Progress | None = None, *,
                 until: date | None = None) -> list[Filing]:
        """Every filing of ``code`` from ``since`` to ``until`` (default today, HKT), oldest first.

        ``progress(rows_done, rows_total)`` is called after each request. A failed request raises
        its ``SourceError``; an unknown code, or an answer of ``"null"`` (no rows, but not
        confirmed), raises ``SourceError`` saying so.
        """
        code = normalise_stock_code(code)
        end = until or datetime.now(HKT).date()
        found = self.search.search(code, since, end, progress=progress)
        if found.error is not None:
            raise found.error
        if not found.listed:
            raise SourceError(f"stock {code} is {found.why}", url=self._stock_list_url())
        if not found.confirmed:
            raise SourceError(f'HKEXnews answered "null" for stock {code} from {since} to {end}: no rows, '
                              f"but that is not confirmed (a refused query looks the same); try again later",
                              url=self._stock_list_url())
        resolution = self.resolver.resolve(found.filings, context=found.filings, window=None,
                                           now=datetime.now(HKT), may_defer=False)
        log.info("backfill of %s from %s to %s: %s, %s", code, since, end,
                 counted(len(resolution.filings), "filing"), found.requests + resolution.requests)
        return sorted(resolution.filings, key=lambda f: (f.released_at, f.id))

    def _stock_list_url(self) -> str | None:
        urls = getattr(self.client, "urls", None)
        return urls.active_stocks("sehk") if urls is not None else None
