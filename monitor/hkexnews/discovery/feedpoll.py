"""Reading the latest-filings feed each poll: which window, which boards, how many pages, and the
time of the last poll (the only store meta this part owns).

Steady state costs one request per board whatever the watchlist size: page 1 of the 1-day feed,
and further pages only while every item on the page is new to the store. GEM's feed is read only
when a watched code is a GEM code or ``boards`` lists ``gem``; the whole market reads both. After a
gap the 1-day feed may not cover (no recorded poll, or the last poll was before today in Hong
Kong) the 7-day feed is read instead. Named stocks page at most ``max_pages`` (``max_catch_up_pages``
in the 7-day feed); the whole market pages on while a page is entirely new, to the feed's last page,
since every filing on it is one to alert. A first start stops paging at the first page reaching
back beyond the first-run window: older filings would only be held back.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from monitor.filing import HKT, Filing
from monitor.hkexnews.discovery.counts import NONE, Requests
from monitor.hkexnews.discovery.ports import FeedClient, SeenStore, read_time
from monitor.hkexnews.discovery.seen import SeenMemory
from monitor.hkexnews.discovery.watching import Watching

log = logging.getLogger(__name__)

Mode = Literal["latest", "catch-up-7d", "title-search"]
META_LAST_POLL = "discovery.last_poll"  # ISO time of the last committed poll
FEED_DAYS = 7
LAST_POLL_REFRESH_S = 300.0  # an unchanged feed rewrites the last-poll time at most this often


def choose_mode(last_poll: datetime | None, now: datetime) -> Mode:
    """``latest`` if the last poll was today (HKT); ``catch-up-7d`` if within the 7-day feed's
    calendar days or never polled; ``title-search`` beyond (the 7-day feed is read too). Windows
    are taken as calendar days, the narrower reading of "today" / "last 7 days", so the choice errs
    towards the wider feed (a filing released at 23:59 is read again from the 7-day feed after
    midnight).
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


def split_first_run(filings: Sequence[Filing], now: datetime, hours: float
                    ) -> tuple[tuple[Filing, ...], tuple[Filing, ...]]:
    """(to alert, held back) for a first start: only filings released in the last ``hours`` are
    alerted; ``hours`` 0 alerts everything."""
    if hours <= 0:
        return tuple(filings), ()
    cutoff = now - timedelta(hours=hours)
    return (tuple(f for f in filings if f.released_at >= cutoff),
            tuple(f for f in filings if f.released_at < cutoff))


@dataclass(frozen=True)
class FeedRead:
    """One poll's read of the feed: ``read`` every item, ``new`` those new to the store,
    ``gen_date_ms`` page 1's ``genDate`` (first board read), ``not_modified`` every page a 304."""

    boards: tuple[str, ...]
    read: tuple[Filing, ...] = ()
    new: tuple[Filing, ...] = ()
    requests: Requests = NONE
    gen_date_ms: int | None = None
    not_modified: bool = False

    @property
    def newest_release(self) -> datetime | None:
        """The newest filing read, any issuer (the silence alarms' evidence that the feed moves)."""
        return max((f.released_at for f in self.read), default=None)


class FeedPoller:
    """Reads the feed for a poll (``read``) and records the poll's time (``commit``)."""

    def __init__(self, client: FeedClient, store: SeenStore, seen: SeenMemory, *,
                 configured_boards: Sequence[str] = ("sehk",), max_pages: int = 20,
                 max_catch_up_pages: int = 100) -> None:
        self.client = client
        self.store = store
        self.seen = seen
        self.configured_boards = tuple(configured_boards)
        self.max_pages = max_pages
        self.max_catch_up_pages = max_catch_up_pages
        self._last_poll: datetime | None = None
        self._loaded = False
        self._last_written: datetime | None = None

    def last_poll(self) -> datetime | None:
        """The last committed poll's time (read from the store once)."""
        if not self._loaded:
            self._last_poll = self._last_written = read_time(self.store, META_LAST_POLL)
            self._loaded = True
        return self._last_poll

    def read(self, watching: Watching, mode: Mode, *, back_to: datetime | None = None) -> FeedRead:
        """Read the boards ``watching`` needs in the window ``mode`` needs, paging while new;
        ``back_to``: no further page once one reaches back before this time (a first start).
        A failure raises ``SourceError``: never a read that could pass for "nothing new"."""
        window = 1 if mode == "latest" else FEED_DAYS
        cap = None if watching.everything else self.max_pages if mode == "latest" else self.max_catch_up_pages
        boards = watching.boards(self.configured_boards)
        read: list[Filing] = []
        new: list[Filing] = []
        pages = 0
        gen: int | None = None
        not_modified = True
        for board in boards:
            page_no = 1
            while True:
                page = self.client.latest_page(board, window, page_no)
                pages += 1
                not_modified = not_modified and page.not_modified
                if gen is None and page_no == 1:
                    gen = page.gen_date_ms
                ids = {f.id for f in page.filings}
                unseen = self.seen.unseen(ids)
                read.extend(page.filings)
                new.extend(f for f in page.filings if f.id in unseen)
                if not ids or len(unseen) < len(ids) or page_no >= page.page_count:
                    break
                if back_to is not None and min(f.released_at for f in page.filings) < back_to:
                    log.info("first start: %s page %d reaches back beyond the first-run window; older "
                             "filings would only be held back, so no further page is read", board.upper(),
                             page_no)
                    break
                if cap is not None and page_no >= cap:
                    log.warning("%s: %d pages of %s in a row were all new; stopped at the cap, so older "
                                "filings on later pages may be missed", mode, page_no, board.upper())
                    break
                page_no += 1
        return FeedRead(boards=boards, read=tuple(read), new=tuple(new), requests=Requests(feed=pages),
                        gen_date_ms=gen, not_modified=not_modified and pages > 0)

    def commit(self, polled_at: datetime, mode: Mode) -> None:
        """Record the poll's time, never moving it backwards; an unchanged feed rewrites it at
        most every ``LAST_POLL_REFRESH_S`` (any other mode, or a new day, at once)."""
        last = self.last_poll()
        if last is not None and polled_at <= last:
            return
        self._last_poll = polled_at
        written = self._last_written
        if (written is None or mode != "latest"
                or written.astimezone(HKT).date() != polled_at.astimezone(HKT).date()
                or (polled_at - written).total_seconds() >= LAST_POLL_REFRESH_S):
            self.store.set_meta(META_LAST_POLL, polled_at.isoformat())
            self._last_written = polled_at

    def forget(self) -> None:
        """Forget the last poll read from the store (it lost its memory)."""
        self._last_poll, self._loaded, self._last_written = None, False, None
