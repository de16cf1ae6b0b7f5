"""What to ask HKEXnews each poll, and which of the answers are new filings for watched stocks.

Steady state costs one request per board whatever the watchlist size: page 1 of the 1-day
feed, and further pages only while every item on the page is new to the store. GEM's feed is
read too only when a watched code is a GEM code (08000-08999) or ``boards`` lists ``gem``.
After a gap the 1-day feed may not cover (no recorded poll, or the last poll was before today
in Hong Kong) the 7-day feed is read the same way; beyond 7 days each watched stock is
searched by title search. Items are keyed by document stem, so counters and languages alert
once. ``poll`` only reads; ``commit`` marks what was read as seen, so a caller that enqueues
alerts between the two re-finds the filings after a crash instead of losing them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, Protocol

from monitor.errors import FeedShapeError, SourceError
from monitor.feed import FeedPage, TitleSearchPage, merge_filings, normalise_stock_code
from monitor.filing import HKT, Filing
from monitor.metrics import Metrics
from monitor.settings import HKEXnewsSettings
from monitor.stockids import StockDirectory

log = logging.getLogger(__name__)

Mode = Literal["latest", "catch-up-7d", "title-search"]
META_LAST_POLL = "discovery.last_poll"
GEM_CODES = range(8000, 9000)
TITLE_SEARCH_STEP = 100
TITLE_SEARCH_ROW_CAP = 9000  # HKEXnews silently stops near 10,000 rows: split the dates before that
FEED_DAYS = 7


class _Client(Protocol):
    def latest_page(self, board: str = "sehk", window: int = 1, page: int = 1,
                    lang: str = "e") -> FeedPage: ...
    def title_search(self, stock_id: int, from_date: date, to_date: date, *, row_range: int = 100,
                     lang: str = "E", market: str = "SEHK") -> TitleSearchPage: ...
    def active_stocks(self, board: str = "sehk") -> dict[str, int]: ...


class _SeenStore(Protocol):
    def unseen(self, keys: Iterable[str]) -> set[str]: ...
    def mark_seen(self, keys: Iterable[str]) -> None: ...
    def get_meta(self, name: str) -> str | None: ...
    def set_meta(self, name: str, value: str) -> None: ...


@dataclass(frozen=True)
class Poll:
    """What one poll found. ``filings``: new filings of watched stocks, one per document stem."""

    filings: tuple[Filing, ...]
    seen_keys: tuple[str, ...]  # every document stem read this poll; marked seen by commit
    requests: int  # HTTP requests asked of the client (a retried request counts once)
    mode: Mode
    polled_at: datetime
    boards: tuple[str, ...] = ()


def is_gem_code(code: str) -> bool:
    """GEM stocks use codes 08000-08999; GEM companies moving to the Main Board get new codes."""
    return int(normalise_stock_code(code)) in GEM_CODES


def boards_to_read(codes: Collection[str], configured: Iterable[str] = ("sehk",)) -> tuple[str, ...]:
    """Boards whose feed must be read: those configured plus those the watched codes are on."""
    wanted = set(configured)
    wanted |= {"gem" if is_gem_code(c) else "sehk" for c in codes}
    return tuple(b for b in ("sehk", "gem") if b in wanted)


def choose_mode(last_poll: datetime | None, now: datetime) -> Mode:
    """``latest`` if the last poll was today (HKT); ``catch-up-7d`` if within the 7-day feed's
    calendar days or never polled; ``title-search`` beyond. Windows are taken as calendar days,
    the narrower reading of "today" / "last 7 days", so the choice errs towards the wider feed.
    """
    if last_poll is None:
        return "catch-up-7d"
    today = now.astimezone(HKT).replace(hour=0, minute=0, second=0, microsecond=0)
    last = last_poll.astimezone(HKT)
    if last >= today:
        return "latest"
    if last >= today - timedelta(days=FEED_DAYS - 1):
        return "catch-up-7d"
    return "title-search"


def _watched(filings: Iterable[Filing], codes: Collection[str]) -> tuple[Filing, ...]:
    return tuple(f for f in filings if any(c in codes for c in f.stock_codes))


class Discovery:
    """Finds new filings for the watched codes; see the module docstring for the request rules."""

    def __init__(self, client: _Client, store: _SeenStore, settings: HKEXnewsSettings,
                 metrics: Metrics | None = None, *, stock_ids: StockDirectory | None = None,
                 max_pages: int = 20, max_catch_up_pages: int = 100) -> None:
        self.client = client
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self.stock_ids = stock_ids or StockDirectory(client)
        self.max_pages = max_pages
        self.max_catch_up_pages = max_catch_up_pages

    # -- polling ------------------------------------------------------------------------------
    def poll(self, codes: Collection[str], now: datetime | None = None) -> Poll:
        """Read what the mode needs and return the new filings of ``codes``; nothing is marked seen.

        Raises ``SourceError`` (``FeedShapeError``, ``HostCoolingOffError``) instead of returning
        a poll that could be mistaken for "no new filings".
        """
        now = (now or datetime.now(HKT)).astimezone(HKT)
        watched = frozenset(normalise_stock_code(c) for c in codes)
        last = self._last_poll()
        mode = choose_mode(last, now)
        if mode == "title-search":
            assert last is not None
            return self._poll_title_search(watched, last, now)
        window = 1 if mode == "latest" else FEED_DAYS
        cap = self.max_pages if mode == "latest" else self.max_catch_up_pages
        boards = boards_to_read(watched, self.settings.boards)
        read: list[Filing] = []
        new: list[Filing] = []
        requests = 0
        for board in boards:
            page_no = 1
            while True:
                page = self.client.latest_page(board, window, page_no)
                requests += 1
                ids = {f.id for f in page.filings}
                unseen = self.store.unseen(ids) if ids else set()
                read.extend(page.filings)
                new.extend(f for f in page.filings if f.id in unseen)
                if not ids or len(unseen) < len(ids) or page_no >= page.page_count:
                    break
                if page_no >= cap:
                    log.warning("%s: %d pages of %s in a row were all new; stopped at the cap, so older "
                                "filings on later pages may be missed", mode, page_no, board.upper())
                    break
                page_no += 1
        filings = _watched(merge_filings(new), watched)
        keys = tuple(dict.fromkeys(f.id for f in read))
        log.info("poll (%s, %s): %d requests, %d items read, %d new for watched stocks", mode,
                 "+".join(boards), requests, len(keys), len(filings))
        return Poll(filings=filings, seen_keys=keys, requests=requests, mode=mode, polled_at=now,
                    boards=boards)

    def _poll_title_search(self, watched: frozenset[str], last: datetime, now: datetime) -> Poll:
        start, end = last.astimezone(HKT).date(), now.date()
        log.warning("last poll was %s, beyond the 7-day feed: searching %d stocks one by one from %s",
                    last.isoformat(), len(watched), start)
        fetched_before = self.stock_ids.fetches
        found: list[Filing] = []
        requests = 0
        for code in sorted(watched):
            sid = self.stock_ids.stock_id(code)
            if sid is None:
                log.warning("stock %s is not in HKEXnews' active stock lists (delisted or mistyped?); "
                            "not searched", code)
                continue
            rows, n = self._search(sid, start, end)
            requests += n
            found.extend(rows)
        requests += self.stock_ids.fetches - fetched_before
        merged = _watched(merge_filings(found), watched)
        unseen = self.store.unseen([f.id for f in merged]) if merged else set()
        filings = tuple(f for f in merged if f.id in unseen)
        return Poll(filings=filings, seen_keys=tuple(f.id for f in merged), requests=requests,
                    mode="title-search", polled_at=now, boards=())

    def commit(self, poll: Poll) -> None:
        """Mark everything the poll read as seen and record its time (never moving it backwards)."""
        if poll.seen_keys:
            self.store.mark_seen(poll.seen_keys)
        last = self._last_poll()
        if last is None or poll.polled_at > last:
            self.store.set_meta(META_LAST_POLL, poll.polled_at.isoformat())

    def _last_poll(self) -> datetime | None:
        raw = self.store.get_meta(META_LAST_POLL)
        if raw is None:
            return None
        try:
            when = datetime.fromisoformat(raw)
        except ValueError:
            log.warning("ignoring unreadable %s %r: catching up from the 7-day feed", META_LAST_POLL, raw)
            return None
        return when if when.tzinfo is not None else when.replace(tzinfo=HKT)

    # -- history ------------------------------------------------------------------------------
    def backfill(self, code: str, since: date, progress: Callable[[int, int], None] | None = None, *,
                 until: date | None = None) -> list[Filing]:
        """Every filing of ``code`` from ``since`` to ``until`` (default today, HKT), oldest first.

        Uses the title search; ``progress(rows_done, rows_total)`` is called after each request.
        Does not touch the store. An unknown code raises ``SourceError``.
        """
        code = normalise_stock_code(code)
        sid = self.stock_ids.stock_id(code)
        if sid is None:
            raise SourceError(f"stock {code} is not in HKEXnews' active stock lists (delisted or mistyped?)",
                              url=self._stock_list_url())
        end = until or datetime.now(HKT).date()
        rows, _ = self._search(sid, since, end, progress)
        filings = _watched(merge_filings(rows), {code})
        return sorted(filings, key=lambda f: (f.released_at, f.id))

    def _stock_list_url(self) -> str | None:
        urls = getattr(self.client, "urls", None)
        return urls.active_stocks("sehk") if urls is not None else None

    def _search(self, stock_id: int, start: date, end: date,
                progress: Callable[[int, int], None] | None = None) -> tuple[list[Filing], int]:
        """All title-search rows for one stock: grow the cumulative ``rowRange`` until no next row.

        A range holding more rows than HKEXnews returns is split in two by date.
        """
        found: dict[tuple[str, int], Filing] = {}  # cumulative answers repeat rows: keep each once
        requests = 0
        row_range = TITLE_SEARCH_STEP
        loaded = -1
        while True:
            page = self.client.title_search(stock_id, start, end, row_range=row_range)
            requests += 1
            if page.total > TITLE_SEARCH_ROW_CAP and start < end:
                mid = start + (end - start) // 2
                log.info("stockId %s has %d rows %s..%s; splitting at %s", stock_id, page.total, start, end,
                         mid)
                left, n_left = self._search(stock_id, start, mid, progress)
                right, n_right = self._search(stock_id, mid + timedelta(days=1), end, progress)
                return left + right, requests + n_left + n_right
            for f in page.filings:
                found.setdefault((f.id, f.news_id), f)
            if progress is not None:
                progress(len(found), max(page.total, len(found)))
            if not page.has_next_row:
                return list(found.values()), requests
            if page.loaded <= loaded:
                if self.metrics is not None:
                    self.metrics.feed_errors.inc()
                raise FeedShapeError(f"{page.url}: hasNextRow is true but rowRange {row_range} loaded no "
                                     f"more rows than before ({page.loaded})", url=page.url)
            loaded = page.loaded
            row_range += TITLE_SEARCH_STEP
