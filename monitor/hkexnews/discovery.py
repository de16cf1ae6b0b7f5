"""What to ask HKEXnews each poll, and which of the answers are new filings for watched stocks.

Steady state costs one request per board whatever the watchlist size: page 1 of the 1-day
feed, and further pages only while every item on the page is new to the store. GEM's feed is
read too only when a watched code is a GEM code (08000-08999) or ``boards`` lists ``gem``.
After a gap the 1-day feed may not cover (no recorded poll, or the last poll was before today
in Hong Kong) the 7-day feed is read instead. The feed is read on every poll, whatever else
happens. After downtime beyond the 7-day feed, each watched stock is also caught up by title search
on its own, with its own cursor in the store's meta: a stock whose search fails (or answers
``"null"``) stays pending and is retried later while the others advance.

Items are keyed by document stem, so counters alert once. Only items not already known to be seen
are checked against the store, and only new ones are marked, so an unchanged feed (a 304) costs no
store calls. ``poll`` only reads; ``commit`` marks what was read as seen, so a caller that enqueues
alerts between the two re-finds the filings after a crash instead of losing them.

A first start (no poll ever recorded) alerts only filings released in the last ``first_run_hours``
and records the rest as seen (``Poll.held_back``). Chinese-only filings of watched stocks are
resolved to their Chinese document through the Chinese listings when they are found
(``chinese.py``). ``reconcile`` compares a day's title search with what the feed path saw.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal, Protocol

from monitor.errors import FeedShapeError, HostCoolingOffError, SourceError
from monitor.filing import HKT, Filing
from monitor.hkexnews.chinese import (
    MATCH_TOLERANCE,
    match_chinese_original,
    needs_lookup,
    resolved_filing,
    unresolved_filing,
)
from monitor.hkexnews.feed import FeedPage, TitleSearchPage, merge_filings, normalise_stock_code
from monitor.hkexnews.stockids import StockDirectory
from monitor.metrics import Metrics
from monitor.settings import DaemonSettings, HKEXnewsSettings

log = logging.getLogger(__name__)

Mode = Literal["latest", "catch-up-7d", "title-search"]
# Store meta names, declared once: the last recorded poll, the stocks with a title-search catch-up
# pending (comma list), and each such stock's cursor (``catch_up_meta``).
META_LAST_POLL = "discovery.last_poll"
META_CATCH_UP_PENDING = "discovery.catch_up_pending"
_META_CATCH_UP = "discovery.catch_up.{code}"

GEM_CODES = range(8000, 9000)
TITLE_SEARCH_STEP = 100
TITLE_SEARCH_ROW_CAP = 9000  # HKEXnews silently stops near 10,000 rows: split the dates before that
FEED_DAYS = 7
DEFAULT_FIRST_RUN_HOURS = DaemonSettings.model_fields["first_run_hours"].default
LAST_POLL_REFRESH_S = 300.0  # an unchanged feed rewrites the last-poll time at most this often
KNOWN_SEEN_MAX = 20_000  # ids known to be in the store's seen set (covers a 7-day catch-up read)
CATCH_UP_BACKOFF_S = (60.0, 300.0, 900.0, 1800.0, 3600.0)  # a failing stock's retries, spaced out
ZH_FEED_PAGES = 5  # Chinese feed pages read at most to resolve a Chinese-only placeholder
ZH_RESOLVE_GIVE_UP_S = 600.0  # Chinese listings unreadable this long: the placeholder goes out unresolved
RECONCILE_GRACE = timedelta(minutes=10)  # filings this recent may still reach the feed path


def catch_up_meta(code: str) -> str:
    """The store meta name of one stock's title-search catch-up cursor (ISO time; "" once done)."""
    return _META_CATCH_UP.format(code=code)


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
class CatchUp:
    """One watched stock's title-search catch-up after downtime beyond the 7-day feed."""

    code: str
    since: datetime  # the stock's filings are searched from this time's day (HKT) to today
    done: bool
    found: int = 0  # filings of the stock the search returned
    error: str | None = None  # why it is still pending; it is retried on a later poll


@dataclass(frozen=True)
class Poll:
    """What one poll found. ``filings``: new filings of watched stocks to alert, one per document
    stem. ``seen_keys``: the stems to mark seen on commit (new ones only: known ones are not
    re-marked). ``held_back``: a first start's filings older than the first-run window, marked seen
    but not alerted. ``deferred``: Chinese-only placeholders whose Chinese listings could not be
    read; neither alerted nor marked, so the next poll tries again. ``gen_date_ms``: page 1's
    ``genDate`` (first board read); ``not_modified``: every page read was a 304."""

    filings: tuple[Filing, ...]
    seen_keys: tuple[str, ...]
    requests: int  # HTTP requests asked of the client (a retried request counts once)
    mode: Mode
    polled_at: datetime
    boards: tuple[str, ...] = ()
    held_back: tuple[Filing, ...] = ()
    gen_date_ms: int | None = None
    newest_release: datetime | None = None  # the newest filing read, any issuer (silence alarms)
    not_modified: bool = False
    first_start: bool = False
    catch_up: tuple[CatchUp, ...] = ()
    deferred: tuple[Filing, ...] = ()

    @property
    def catch_up_pending(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.catch_up if not c.done)


@dataclass(frozen=True)
class StockCheck:
    """What reconciliation compared for one watched stock."""

    code: str
    listed: tuple[str, ...]  # ids of the stock's filings of the day, as the title search lists them
    missed: tuple[str, ...]  # those the feed path never saw


@dataclass(frozen=True)
class Reconciliation:
    """A day's title search per watched stock against the store's seen set (the feed path).

    ``missed``: filings the title search lists that the feed path never saw (Chinese-only ones
    resolved where possible): alert them as found late, then ``Discovery.commit_reconciliation``.
    ``too_recent``: unseen, but released within ``RECONCILE_GRACE`` of ``checked_at``, so the feed
    may still bring them: not a defect (yet). ``unchecked``: (code, why) for stocks that could not
    be compared.
    """

    day: date
    checked_at: datetime
    compared: tuple[StockCheck, ...]
    missed: tuple[Filing, ...]
    unchecked: tuple[tuple[str, str], ...]
    too_recent: tuple[Filing, ...] = ()
    requests: int = 0

    @property
    def complete(self) -> bool:
        """Every watched stock was compared."""
        return not self.unchecked

    @property
    def seen_keys(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.missed)


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


def _watched(filings: Iterable[Filing], codes: Collection[str]) -> tuple[Filing, ...]:
    return tuple(f for f in filings if any(c in codes for c in f.stock_codes))


def _parse_time(raw: str | None, what: str) -> datetime | None:
    if not raw:
        return None
    try:
        when = datetime.fromisoformat(raw)
    except ValueError:
        log.warning("ignoring unreadable %s %r", what, raw)
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=HKT)


@dataclass
class _Resolution:
    """Chinese-only placeholders' lookup in the Chinese listings: what was tried, what failed."""

    filings: list[Filing]
    deferred: list[Filing] = field(default_factory=list)
    requests: int = 0


class Discovery:
    """Finds new filings for the watched codes; see the module docstring for the request rules.

    Holds in memory what it knows of the store (ids known to be seen, the last poll, the pending
    catch-ups) so that an unchanged feed costs nothing but its one conditional request; build a new
    one (or keep this one) across config reloads, either is correct.
    """

    def __init__(self, client: _Client, store: _SeenStore, settings: HKEXnewsSettings,
                 metrics: Metrics | None = None, *, stock_ids: StockDirectory | None = None,
                 max_pages: int = 20, max_catch_up_pages: int = 100,
                 first_run_hours: float = DEFAULT_FIRST_RUN_HOURS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """``stock_ids``: a code -> stockId cache to share (e.g. one per process across reloads);
        ``first_run_hours``: the first-start window (``daemon.first_run_hours``; 0: none)."""
        self.client = client
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self.stock_ids = stock_ids if stock_ids is not None else StockDirectory(client)
        self.max_pages = max_pages
        self.max_catch_up_pages = max_catch_up_pages
        self.first_run_hours = first_run_hours
        self._clock = clock
        self._lock = threading.Lock()
        self._known: OrderedDict[str, None] = OrderedDict()
        self._last_poll: datetime | None = None
        self._last_poll_loaded = False
        self._last_written: datetime | None = None
        self._pending: dict[str, datetime] | None = None  # stock -> catch-up cursor, once loaded
        self._retry: dict[str, tuple[float, int, str]] = {}  # stock -> (next try, failures, why)
        self._deferred_since: dict[str, float] = {}

    # -- polling ------------------------------------------------------------------------------
    def poll(self, codes: Collection[str], now: datetime | None = None) -> Poll:
        """Read what the mode needs and return the new filings of ``codes``; nothing is marked seen.

        The feed is read first, every poll; a failure there raises ``SourceError``
        (``FeedShapeError``, ``HostCoolingOffError``) instead of returning a poll that could be
        mistaken for "no new filings". A failing per-stock catch-up or Chinese lookup never does.
        """
        now = (now or datetime.now(HKT)).astimezone(HKT)
        watched = frozenset(normalise_stock_code(c) for c in codes)
        last = self._load_last_poll()
        first_start = last is None
        mode = choose_mode(last, now)
        window = 1 if mode == "latest" else FEED_DAYS
        boards = boards_to_read(watched, self.settings.boards)
        read, new, requests, gen, not_modified = self._read_feed(boards, window, mode)

        catch_up: list[CatchUp] = []
        searched: list[Filing] = []
        if watched:
            start = last if mode == "title-search" else None
            catch_up, searched, n = self._catch_up(watched, start, now)
            requests += n
        new_ids = {f.id for f in new}
        extra_unseen = self._unseen([f.id for f in searched if f.id not in new_ids])
        fresh = [f for f in searched if f.id in extra_unseen]
        candidates = _watched(merge_filings(new + fresh), watched)
        alerts, held = split_first_run(candidates, now, self.first_run_hours if first_start else 0)
        resolution = self._resolve(list(alerts), context=read + searched, window=window, now=now,
                                   may_defer=True)
        requests += resolution.requests
        deferred_ids = {f.id for f in resolution.deferred}
        keys = tuple(k for k in dict.fromkeys([f.id for f in new] + [f.id for f in fresh])
                     if k not in deferred_ids)
        poll = Poll(filings=tuple(resolution.filings), seen_keys=keys, requests=requests, mode=mode,
                    polled_at=now, boards=boards, held_back=held, gen_date_ms=gen, not_modified=not_modified,
                    newest_release=max((f.released_at for f in read), default=None),
                    first_start=first_start, catch_up=tuple(catch_up), deferred=tuple(resolution.deferred))
        log.log(logging.INFO if poll.filings or mode != "latest" else logging.DEBUG,
                "poll (%s, %s%s): %d requests, %d items read, %d new for watched stocks%s%s%s", mode,
                "+".join(boards), ", 304" if not_modified else "", requests, len({f.id for f in read}),
                len(poll.filings), f", {len(held)} older ones held back (first start)" if held else "",
                f", {len(poll.deferred)} Chinese-only deferred" if poll.deferred else "",
                f", catch-up pending for {', '.join(poll.catch_up_pending)}" if poll.catch_up_pending else "")
        return poll

    def _read_feed(self, boards: Sequence[str], window: int, mode: Mode
                   ) -> tuple[list[Filing], list[Filing], int, int | None, bool]:
        """(every filing read, those new to the store, requests, page 1's genDate, all 304)."""
        cap = self.max_pages if mode == "latest" else self.max_catch_up_pages
        read: list[Filing] = []
        new: list[Filing] = []
        requests = 0
        gen: int | None = None
        not_modified = True
        for board in boards:
            page_no = 1
            while True:
                page = self.client.latest_page(board, window, page_no)
                requests += 1
                not_modified = not_modified and page.not_modified
                if gen is None and page_no == 1:
                    gen = page.gen_date_ms
                ids = {f.id for f in page.filings}
                unseen = self._unseen(ids)
                read.extend(page.filings)
                new.extend(f for f in page.filings if f.id in unseen)
                if not ids or len(unseen) < len(ids) or page_no >= page.page_count:
                    break
                if page_no >= cap:
                    log.warning("%s: %d pages of %s in a row were all new; stopped at the cap, so older "
                                "filings on later pages may be missed", mode, page_no, board.upper())
                    break
                page_no += 1
        return read, new, requests, gen, not_modified and requests > 0

    def _unseen(self, ids: Iterable[str]) -> set[str]:
        """The ids not in the store's seen set; ids known to be seen are not asked again."""
        with self._lock:
            ask = [i for i in dict.fromkeys(ids) if i not in self._known]
        if not ask:
            return set()
        unseen = self.store.unseen(ask)
        self._remember(i for i in ask if i not in unseen)
        return unseen

    def _remember(self, ids: Iterable[str]) -> None:
        with self._lock:
            for i in ids:
                self._known[i] = None
                self._known.move_to_end(i)
            while len(self._known) > KNOWN_SEEN_MAX:
                self._known.popitem(last=False)

    # -- per-stock catch-up ---------------------------------------------------------------------
    def _load_pending(self) -> dict[str, datetime]:
        if self._pending is None:
            pending: dict[str, datetime] = {}
            for code in filter(None, (self.store.get_meta(META_CATCH_UP_PENDING) or "").split(",")):
                since = _parse_time(self.store.get_meta(catch_up_meta(code)), catch_up_meta(code))
                if since is not None:
                    pending[code] = since
            self._pending = pending
        return self._pending

    def _catch_up(self, watched: frozenset[str], start: datetime | None, now: datetime
                  ) -> tuple[list[CatchUp], list[Filing], int]:
        """Title-search each watched stock still to be caught up (all of them from ``start`` when a
        gap beyond the 7-day feed begins now); each stock succeeds or stays pending on its own."""
        pending = dict(self._load_pending())
        if start is not None:
            log.warning("last poll was %s, beyond the 7-day feed: catching up %d stocks one by one by title "
                        "search from %s", start.isoformat(), len(watched), start.astimezone(HKT).date())
            for code in watched:
                pending[code] = min(pending.get(code, start), start)
        todo = sorted(c for c in pending if c in watched)
        if not todo:
            return [], [], 0
        out: list[CatchUp] = []
        found: list[Filing] = []
        requests = 0
        cooling: str | None = None
        mono = self._clock()
        for code in todo:
            since = pending[code]
            retry = self._retry.get(code)
            if cooling is not None:
                out.append(CatchUp(code, since, done=False, error=cooling))
                continue
            if retry is not None and mono < retry[0] and start is None:
                out.append(CatchUp(code, since, done=False,
                                   error=f"{retry[2]} (retry in {retry[0] - mono:.0f}s)"))
                continue
            fetched_before = self.stock_ids.fetches
            try:
                sid = self.stock_ids.stock_id(code, source=self.client)
                if sid is None:
                    log.warning("stock %s is not in HKEXnews' active stock lists (delisted or mistyped?); "
                                "its catch-up is dropped", code)
                    out.append(CatchUp(code, since, done=True,
                                       error="not in HKEXnews' active stock lists; not searched"))
                    continue
                rows, n, confirmed = self._search(sid, since.astimezone(HKT).date(), now.date())
                requests += n
            except HostCoolingOffError as exc:
                cooling = f"HKEXnews is cooling off: {exc}"
                out.append(CatchUp(code, since, done=False, error=cooling))
                continue
            except SourceError as exc:
                out.append(CatchUp(code, since, done=False, error=self._failed(code, str(exc))))
                continue
            finally:
                requests += self.stock_ids.fetches - fetched_before
            if not confirmed:
                why = 'HKEXnews answered "null" (no rows, unconfirmed)'
                out.append(CatchUp(code, since, done=False, error=self._failed(code, why)))
                continue
            self._retry.pop(code, None)
            mine = _watched(merge_filings(rows), {code})
            found.extend(mine)
            out.append(CatchUp(code, since, done=True, found=len(mine)))
        return out, found, requests

    def _failed(self, code: str, why: str) -> str:
        _, failures, _ = self._retry.get(code, (0.0, 0, ""))
        wait = CATCH_UP_BACKOFF_S[min(failures, len(CATCH_UP_BACKOFF_S) - 1)]
        self._retry[code] = (self._clock() + wait, failures + 1, why)
        log.warning("catch-up of %s failed (%s); it stays pending and is retried in %.0fs, the other stocks "
                    "go on", code, why, wait)
        return why

    # -- Chinese-only placeholders ------------------------------------------------------------
    def _resolve(self, filings: list[Filing], *, context: Sequence[Filing], window: int | None,
                 now: datetime, may_defer: bool) -> _Resolution:
        """Resolve the Chinese-only placeholders among ``filings`` through the Chinese listings:
        the Chinese ``window``-day feed first for those it can hold (``None``: skip it), then a
        ``lang=ZH`` title search for each stock and day still unresolved. Costs requests only when
        there is a placeholder."""
        todo = {f.id: f for f in filings if needs_lookup(f)}
        out = _Resolution(filings=list(filings))
        if not todo:
            return out
        stocks = {c for f in todo.values() for c in f.stock_codes}
        english = [f for f in context if not f.chinese_only and stocks.intersection(f.stock_codes)]
        resolved: dict[str, Filing] = {}
        failures: list[str] = []
        tried: list[str] = []

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
                candidates, pages, failure = self._chinese_feed(board, window, oldest)
                out.requests += pages
                if failure:
                    failures.append(failure)
                tried.append(f"{board.upper()} Chinese feed ({window}-day, {pages} page(s))")
                match(candidates, "Chinese feed")
        for code, days in self._placeholder_searches(todo, resolved).items():
            start, end = min(days), max(days)
            try:
                sid = self.stock_ids.stock_id(code, source=self.client)
                if sid is None:
                    failures.append(f"stock {code} is not in HKEXnews' active stock lists")
                    continue
                rows, n, confirmed = self._search(sid, start, end, lang="ZH")
                out.requests += n
            except SourceError as exc:
                failures.append(f"the Chinese title search for {code} failed: {exc}")
                continue
            tried.append(f"Chinese title search for {code} {start}..{end}"
                         + ("" if confirmed else ' (answered "null")'))
            match(rows, "Chinese title search")
        mono = self._clock()
        final: list[Filing] = []
        for f in out.filings:
            if f.id not in todo:
                final.append(f)
            elif f.id in resolved:
                self._deferred_since.pop(f.id, None)
                final.append(resolved[f.id])
            elif failures and may_defer and mono - self._deferred_since.setdefault(f.id, mono) \
                    < ZH_RESOLVE_GIVE_UP_S:
                log.warning("Chinese-only filing %s of %s: %s; tried again next poll", f.id,
                            "/".join(f.stock_codes), "; ".join(failures))
                out.deferred.append(f)
            else:
                self._deferred_since.pop(f.id, None)
                why = "; ".join(failures) if failures else f"no match in the {' and the '.join(tried)}"
                log.error("Chinese-only filing %s of %s (%s, %s): its Chinese document was not found: %s",
                          f.id, "/".join(f.stock_codes), " / ".join(f.categories), f.url, why)
                final.append(unresolved_filing(f, why))
        out.filings = final
        return out

    def _chinese_feed(self, board: str, window: int, oldest: datetime
                      ) -> tuple[list[Filing], int, str | None]:
        """The Chinese feed's items back to ``oldest`` (at most ``ZH_FEED_PAGES`` pages): (items,
        pages asked, why it could not be read)."""
        items: list[Filing] = []
        for page_no in range(1, ZH_FEED_PAGES + 1):
            try:
                page = self.client.latest_page(board, window, page_no, lang="c")
            except SourceError as exc:
                return items, page_no, f"the Chinese feed could not be read: {exc}"
            items.extend(page.filings)
            if (not page.filings or page_no >= page.page_count
                    or min(f.released_at for f in page.filings) < oldest - MATCH_TOLERANCE):
                return items, page_no, None
        return items, ZH_FEED_PAGES, None

    @staticmethod
    def _placeholder_searches(todo: dict[str, Filing], resolved: dict[str, Filing]) -> dict[str, set[date]]:
        """One Chinese title search per stock covering the days of its unresolved placeholders."""
        searches: dict[str, set[date]] = {}
        for fid, placeholder in todo.items():
            if fid in resolved or not placeholder.stock_codes:
                continue
            code = next((c for c in placeholder.stock_codes if c in searches), placeholder.stock_codes[0])
            searches.setdefault(code, set()).add(placeholder.released_at.astimezone(HKT).date())
        return searches

    # -- committing ---------------------------------------------------------------------------
    def commit(self, poll: Poll) -> None:
        """Mark the poll's new stems seen, record each stock's catch-up state, then the poll's time
        (never moving it backwards; an unchanged feed rewrites it at most every few minutes)."""
        if poll.seen_keys:
            self.store.mark_seen(poll.seen_keys)
            self._remember(poll.seen_keys)
        if poll.catch_up:
            self._commit_catch_up(poll)
        last = self._load_last_poll()
        if last is None or poll.polled_at > last:
            self._last_poll = poll.polled_at
            written = self._last_written
            if (written is None or poll.mode != "latest"
                    or written.astimezone(HKT).date() != poll.polled_at.astimezone(HKT).date()
                    or (poll.polled_at - written).total_seconds() >= LAST_POLL_REFRESH_S):
                self.store.set_meta(META_LAST_POLL, poll.polled_at.isoformat())
                self._last_written = poll.polled_at

    def _commit_catch_up(self, poll: Poll) -> None:
        pending = dict(self._load_pending())
        before = dict(pending)
        for c in poll.catch_up:
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

    def forget(self) -> None:
        """Drop what this process remembers of the store (seen ids, the last poll): call it when the
        store turns out to have lost its memory, so that what it lost is found again."""
        with self._lock:
            self._known.clear()
            self._last_poll, self._last_poll_loaded, self._last_written = None, False, None

    def _load_last_poll(self) -> datetime | None:
        if not self._last_poll_loaded:
            stored = _parse_time(self.store.get_meta(META_LAST_POLL), META_LAST_POLL)
            self._last_poll = stored
            self._last_written = stored
            self._last_poll_loaded = True
        return self._last_poll

    # -- reconciliation -----------------------------------------------------------------------
    def reconcile(self, day: date, codes: Collection[str], now: datetime | None = None, *,
                  grace: timedelta = RECONCILE_GRACE) -> Reconciliation:
        """Each watched stock's filings of ``day`` (HKT) by title search, against the store's seen set.

        Multi-counter filings are compared once (listed under each watched counter); Chinese-only
        placeholders compare by their English stem and, when missed, are resolved through the
        Chinese title search; a stock whose search fails or answers ``"null"`` is ``unchecked``
        with the reason. Unseen filings released within ``grace`` of ``now`` are ``too_recent``
        (the feed path may not have had its chance). Nothing is marked: alert ``missed``, then
        ``commit_reconciliation``.
        """
        now = (now or datetime.now(HKT)).astimezone(HKT)
        watched = sorted({normalise_stock_code(c) for c in codes})
        checks: list[tuple[str, tuple[str, ...]]] = []
        unchecked: list[tuple[str, str]] = []
        found: list[Filing] = []
        requests = 0
        for code in watched:
            fetched_before = self.stock_ids.fetches
            try:
                sid = self.stock_ids.stock_id(code, source=self.client)
                if sid is None:
                    unchecked.append((code, "not in HKEXnews' active stock lists (delisted or mistyped?)"))
                    continue
                rows, n, confirmed = self._search(sid, day, day)
                requests += n
            except SourceError as exc:
                unchecked.append((code, f"title search failed: {exc}"))
                continue
            finally:
                requests += self.stock_ids.fetches - fetched_before
            if not confirmed:
                unchecked.append((code, 'HKEXnews answered "null" (no rows, unconfirmed)'))
                continue
            mine = [f for f in _watched(merge_filings(rows), {code})
                    if f.released_at.astimezone(HKT).date() == day]
            found.extend(mine)
            checks.append((code, tuple(f.id for f in mine)))
        listed = merge_filings(found)
        unseen = self.store.unseen([f.id for f in listed]) if listed else set()
        cutoff = now - grace
        missed = [f for f in listed if f.id in unseen and f.released_at <= cutoff]
        too_recent = tuple(f for f in listed if f.id in unseen and f.released_at > cutoff)
        resolution = self._resolve(missed, context=listed, window=None, now=now, may_defer=False)
        requests += resolution.requests
        missed_ids = {f.id for f in missed}
        compared = tuple(StockCheck(code, ids, tuple(i for i in ids if i in missed_ids))
                         for code, ids in checks)
        rec = Reconciliation(day=day, checked_at=now, compared=compared, missed=tuple(resolution.filings),
                             unchecked=tuple(unchecked), too_recent=too_recent, requests=requests)
        log.log(logging.WARNING if rec.missed or rec.unchecked else logging.INFO,
                "reconciliation of %s: %d stocks compared, %d filings listed, %d missed by the feed path%s%s",
                day, len(compared), len(listed), len(rec.missed),
                f" ({', '.join(f.id for f in rec.missed)})" if rec.missed else "",
                f"; not compared: {', '.join(c for c, _ in unchecked)}" if unchecked else "")
        return rec

    def commit_reconciliation(self, rec: Reconciliation) -> None:
        """Mark the filings reconciliation found as seen (after they were enqueued)."""
        if rec.seen_keys:
            self.store.mark_seen(rec.seen_keys)
            self._remember(rec.seen_keys)

    # -- history ------------------------------------------------------------------------------
    def backfill(self, code: str, since: date, progress: Callable[[int, int], None] | None = None, *,
                 until: date | None = None) -> list[Filing]:
        """Every filing of ``code`` from ``since`` to ``until`` (default today, HKT), oldest first.

        Uses the title search (and the Chinese one for Chinese-only filings); ``progress(rows_done,
        rows_total)`` is called after each request. Does not touch the store. An unknown code, or an
        answer of ``"null"`` (no rows, but not confirmed), raises ``SourceError``.
        """
        code = normalise_stock_code(code)
        sid = self.stock_ids.stock_id(code, source=self.client)
        if sid is None:
            raise SourceError(f"stock {code} is not in HKEXnews' active stock lists (delisted or mistyped?)",
                              url=self._stock_list_url())
        end = until or datetime.now(HKT).date()
        rows, _, confirmed = self._search(sid, since, end, progress)
        if not confirmed:
            raise SourceError(f'HKEXnews answered "null" for stock {code} from {since} to {end}: no rows, '
                              f"but that is not confirmed (a refused query looks the same); try again later",
                              url=self._stock_list_url())
        filings = _watched(merge_filings(rows), {code})
        resolved = self._resolve(list(filings), context=filings, window=None, now=datetime.now(HKT),
                                 may_defer=False).filings
        return sorted(resolved, key=lambda f: (f.released_at, f.id))

    def _stock_list_url(self) -> str | None:
        urls = getattr(self.client, "urls", None)
        return urls.active_stocks("sehk") if urls is not None else None

    def _search(self, stock_id: int, start: date, end: date,
                progress: Callable[[int, int], None] | None = None, *, lang: str = "E"
                ) -> tuple[list[Filing], int, bool]:
        """All title-search rows for one stock: grow the cumulative ``rowRange`` until no next row.

        Returns (rows, requests, confirmed); ``confirmed`` is False when an answer was ``"null"``.
        A range holding more rows than HKEXnews returns is split in two by date.
        """
        found: dict[tuple[str, int], Filing] = {}  # cumulative answers repeat rows: keep each once
        requests = 0
        row_range = TITLE_SEARCH_STEP
        loaded = -1
        while True:
            page = self.client.title_search(stock_id, start, end, row_range=row_range, lang=lang)
            requests += 1
            if page.unconfirmed:
                return list(found.values()), requests, False
            if page.total > TITLE_SEARCH_ROW_CAP and start < end:
                mid = start + (end - start) // 2
                log.info("stockId %s has %d rows %s..%s; splitting at %s", stock_id, page.total, start, end,
                         mid)
                left, n_left, ok_left = self._search(stock_id, start, mid, progress, lang=lang)
                right, n_right, ok_right = self._search(stock_id, mid + timedelta(days=1), end, progress,
                                                        lang=lang)
                return left + right, requests + n_left + n_right, ok_left and ok_right
            for f in page.filings:
                found.setdefault((f.id, f.news_id), f)
            if progress is not None:
                progress(len(found), max(page.total, len(found)))
            if not page.has_next_row:
                return list(found.values()), requests, True
            if page.loaded <= loaded:
                if self.metrics is not None:
                    self.metrics.feed_errors.inc()
                raise FeedShapeError(f"{page.url}: hasNextRow is true but rowRange {row_range} loaded no "
                                     f"more rows than before ({page.loaded})", url=page.url)
            loaded = page.loaded
            row_range += TITLE_SEARCH_STEP
