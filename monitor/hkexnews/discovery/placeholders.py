"""Chinese-only placeholders resolved to their Chinese document through the Chinese listings.

A filing published only in Chinese appears in the English listings under a generic title; its
document is found in the Chinese feed (for those it can still hold) and then by a ``lang=ZH``
title search of the stock over the placeholder's days (``chinese.py`` holds the one matching rule).
A placeholder whose Chinese listings cannot be read is deferred (tried again next poll) for at most
``ZH_RESOLVE_GIVE_UP_S``; one the listings do not hold goes out unresolved, saying why. Costs
requests only when there is a placeholder. The Chinese feed is read at most ``ZH_FEED_PAGES`` pages
back for a few named stocks, whose leftovers cost a title search or two; for the whole market it is
read back to the oldest placeholder, since after an outage the leftovers would be dozens of searches.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from monitor.errors import SourceError
from monitor.filing import HKT, Filing
from monitor.hkexnews.chinese import (
    MATCH_TOLERANCE,
    match_chinese_original,
    needs_lookup,
    resolved_filing,
    unresolved_filing,
)
from monitor.hkexnews.discovery.counts import NONE, Requests
from monitor.hkexnews.discovery.ports import FeedClient
from monitor.hkexnews.discovery.titlesearch import TitleSearch

log = logging.getLogger(__name__)

ZH_FEED_PAGES = 5  # Chinese feed pages read at most to resolve a Chinese-only placeholder
ZH_RESOLVE_GIVE_UP_S = 600.0  # Chinese listings unreadable this long: the placeholder goes out unresolved


@dataclass(frozen=True)
class Resolution:
    """``filings`` as given, placeholders resolved (or unresolved, with the reason) except the
    ``deferred`` ones, which are left out to be tried again."""

    filings: tuple[Filing, ...]
    deferred: tuple[Filing, ...] = ()
    requests: Requests = NONE


def _placeholder_searches(todo: dict[str, Filing], resolved: dict[str, Filing]) -> dict[str, set[date]]:
    """One Chinese title search per stock covering the days of its unresolved placeholders."""
    searches: dict[str, set[date]] = {}
    for fid, placeholder in todo.items():
        if fid in resolved or not placeholder.stock_codes:
            continue
        code = next((c for c in placeholder.stock_codes if c in searches), placeholder.stock_codes[0])
        searches.setdefault(code, set()).add(placeholder.released_at.astimezone(HKT).date())
    return searches


class PlaceholderResolver:
    """Resolves the Chinese-only placeholders among filings; remembers since when each deferred one
    has waited."""

    def __init__(self, client: FeedClient, search: TitleSearch,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.search = search
        self._clock = clock
        self._lock = threading.Lock()
        self._deferred_since: dict[str, float] = {}

    def resolve(self, filings: Sequence[Filing], *, context: Sequence[Filing], window: int | None,
                now: datetime, may_defer: bool, feed_pages: int | None = ZH_FEED_PAGES) -> Resolution:
        """Resolve the placeholders among ``filings``: the Chinese ``window``-day feed first for
        those it can hold (``None``: skip it), then a ``lang=ZH`` title search for each stock and
        day still unresolved. ``context``: English filings read alongside (a bilingual filing's
        Chinese twin is not a placeholder's document). ``may_defer``: unreadable listings defer.
        ``feed_pages``: the Chinese feed's pages read at most (``None``: back to the oldest)."""
        todo = {f.id: f for f in filings if needs_lookup(f)}
        if not todo:
            return Resolution(tuple(filings))
        stocks = {c for f in todo.values() for c in f.stock_codes}
        english = [f for f in context if not f.chinese_only and stocks.intersection(f.stock_codes)]
        resolved: dict[str, Filing] = {}
        failures: list[str] = []
        tried: list[str] = []
        requests = NONE

        def match(candidates: Sequence[Filing], source: str) -> None:
            for fid, placeholder in todo.items():
                if fid in resolved:
                    continue
                original = match_chinese_original(placeholder, candidates, bilingual=english)
                if original is not None:
                    resolved[fid] = resolved_filing(placeholder, original, source)
                    log.info("Chinese-only filing %s of %s resolved through the %s to %s (%s)", fid,
                             "/".join(placeholder.stock_codes), source, original.url, original.title)

        if window is not None:
            in_feed = [p for p in todo.values() if p.released_at >= now - timedelta(days=window)]
            for board in sorted({p.board for p in in_feed}):
                oldest = min(p.released_at for p in in_feed if p.board == board)
                candidates, pages, failure = self._chinese_feed(board, window, oldest, feed_pages)
                requests += Requests(chinese_feed=pages)
                if failure:
                    failures.append(failure)
                tried.append(f"{board.upper()} Chinese feed ({window}-day, {pages} page(s))")
                match(candidates, "Chinese feed")
        for code, days in _placeholder_searches(todo, resolved).items():
            start, end = min(days), max(days)
            found = self.search.search(code, start, end, lang="ZH")
            requests += found.requests
            if not found.listed:
                failures.append(f"stock {code} is not in HKEXnews' active stock lists")
                continue
            if found.error is not None:
                failures.append(f"the Chinese title search for {code} failed: {found.error}")
                continue
            tried.append(f"Chinese title search for {code} {start}..{end}"
                         + ("" if found.confirmed else ' (answered "null")'))
            match(found.filings, "Chinese title search")
        return self._outcome(filings, todo, resolved, failures, tried, may_defer, requests)

    def _outcome(self, filings: Sequence[Filing], todo: dict[str, Filing], resolved: dict[str, Filing],
                 failures: list[str], tried: list[str], may_defer: bool, requests: Requests) -> Resolution:
        mono = self._clock()
        final: list[Filing] = []
        deferred: list[Filing] = []
        with self._lock:
            for f in filings:
                if f.id not in todo:
                    final.append(f)
                elif f.id in resolved:
                    self._deferred_since.pop(f.id, None)
                    final.append(resolved[f.id])
                elif failures and may_defer and mono - self._deferred_since.setdefault(f.id, mono) \
                        < ZH_RESOLVE_GIVE_UP_S:
                    log.warning("Chinese-only filing %s of %s: %s; tried again next poll", f.id,
                                "/".join(f.stock_codes), "; ".join(failures))
                    deferred.append(f)
                else:
                    self._deferred_since.pop(f.id, None)
                    why = "; ".join(failures) if failures else f"no match in the {' and the '.join(tried)}"
                    log.error("Chinese-only filing %s of %s (%s, %s): its Chinese document was not found: %s",
                              f.id, "/".join(f.stock_codes), " / ".join(f.categories), f.url, why)
                    final.append(unresolved_filing(f, why))
        return Resolution(tuple(final), tuple(deferred), requests)

    def _chinese_feed(self, board: str, window: int, oldest: datetime, most: int | None
                      ) -> tuple[list[Filing], int, str | None]:
        """The Chinese feed's items back to ``oldest`` (at most ``most`` pages, ``None``: to the
        feed's last page): (items, pages asked, why it could not be read)."""
        items: list[Filing] = []
        page_no = 0
        for page_no in itertools.count(1) if most is None else range(1, most + 1):
            try:
                page = self.client.latest_page(board, window, page_no, lang="c")
            except SourceError as exc:
                return items, page_no, f"the Chinese feed could not be read: {exc}"
            items.extend(page.filings)
            if (not page.filings or page_no >= page.page_count
                    or min(f.released_at for f in page.filings) < oldest - MATCH_TOLERANCE):
                return items, page_no, None
        return items, page_no, None
