"""``Discovery``: the one object callers hold to find new filings. It puts the parts together: the
feed read (``feedpoll``), the per-stock catch-up (``catchup``), Chinese-only placeholders
(``placeholders``), reconciliation (``reconcile``) and history (``history``), sharing the store's
seen set (``seen``) and the one title-search sequence (``titlesearch``).

``poll`` only reads; ``commit`` marks what was read as seen, so a caller that enqueues alerts
between the two re-finds the filings after a crash instead of losing them. A first start (no poll
ever recorded) alerts only filings released in the last ``first_run_hours`` and records the rest as
seen (``Poll.held_back``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from monitor.filing import HKT, Filing
from monitor.hkexnews.discovery.catchup import CatchUp, CatchUpRound, StockCatchUp
from monitor.hkexnews.discovery.counts import Requests
from monitor.hkexnews.discovery.feedpoll import FEED_DAYS, FeedPoller, Mode, choose_mode, split_first_run
from monitor.hkexnews.discovery.history import History
from monitor.hkexnews.discovery.placeholders import ZH_FEED_PAGES, PlaceholderResolver
from monitor.hkexnews.discovery.ports import FeedClient, SeenStore
from monitor.hkexnews.discovery.reconcile import RECONCILE_GRACE, Reconciler, Reconciliation
from monitor.hkexnews.discovery.seen import SeenMemory
from monitor.hkexnews.discovery.titlesearch import Progress, TitleSearch
from monitor.hkexnews.discovery.watching import Watching
from monitor.hkexnews.feed import merge_filings
from monitor.hkexnews.stockids import StockDirectory
from monitor.logs import counted
from monitor.metrics import Metrics
from monitor.settings import DaemonSettings, HKEXnewsSettings

log = logging.getLogger(__name__)

DEFAULT_FIRST_RUN_HOURS = DaemonSettings.model_fields["first_run_hours"].default
Codes = Watching | str | Iterable[str]  # codes, ``ALL_STOCKS`` among them for the whole market


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
    requests: Requests  # what the poll asked of HKEXnews, by kind
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
    whole_market: bool = False  # every filing on both boards' feeds was a candidate

    @property
    def catch_up_pending(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.catch_up if not c.done)


class Discovery:
    """Finds new filings for the watched codes (or the whole market); see the module docstrings.

    Holds in memory what it knows of the store (ids known to be seen, the last poll, the pending
    catch-ups) so that an unchanged feed costs nothing but its one conditional request; build a new
    one (or keep this one) across config reloads, either is correct.
    """

    def __init__(self, client: FeedClient, store: SeenStore, settings: HKEXnewsSettings,
                 metrics: Metrics | None = None, *, stock_ids: StockDirectory | None = None,
                 max_pages: int = 20, max_catch_up_pages: int = 100,
                 first_run_hours: float = DEFAULT_FIRST_RUN_HOURS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """``stock_ids``: a code -> stockId cache to share (e.g. one per process across reloads);
        ``first_run_hours``: the first-start window (``daemon.first_run_hours``; 0: none)."""
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self.stock_ids = stock_ids if stock_ids is not None else StockDirectory(client)
        self.first_run_hours = first_run_hours
        self.seen = SeenMemory(store)
        self.feed = FeedPoller(client, store, self.seen, configured_boards=settings.boards,
                               max_pages=max_pages, max_catch_up_pages=max_catch_up_pages)
        self.search = TitleSearch(client, self.stock_ids, metrics)
        self.catch_ups = StockCatchUp(store, self.search, clock)
        self.placeholders = PlaceholderResolver(client, self.search, clock)
        self.reconciler = Reconciler(self.search, self.placeholders, self.seen)
        self.history = History(client, self.search, self.placeholders)
        self._client = client

    @property
    def client(self) -> FeedClient:
        return self._client

    @client.setter
    def client(self, client: FeedClient) -> None:
        """Swap the client every part asks through (what they remember is kept)."""
        self._client = client
        for part in (self.feed, self.search, self.placeholders, self.history):
            part.client = client

    def poll(self, codes: Codes, now: datetime | None = None) -> Poll:
        """Read what the mode needs and return the new filings of ``codes`` (``ALL_STOCKS`` among
        them: every filing on both boards' feeds); nothing is marked seen.

        The feed is read first, every poll; a failure there raises ``SourceError``
        (``FeedShapeError``, ``HostCoolingOffError``) instead of returning a poll that could be
        mistaken for "no new filings". A failing per-stock catch-up or Chinese lookup never does.
        """
        now = (now or datetime.now(HKT)).astimezone(HKT)
        watching = Watching.of(codes)
        last = self.feed.last_poll()
        first_start = last is None
        mode = choose_mode(last, now)
        hours = self.first_run_hours if first_start else 0
        feed = self.feed.read(watching, mode, back_to=now - timedelta(hours=hours) if hours > 0 else None)
        if watching.everything and mode == "title-search" and last is not None:
            log.warning("last poll was %s, beyond the 7-day feed: the whole market is caught up from the "
                        "7-day feed only (one title search per listed stock is not polite); filings "
                        "released before %s are not looked for", last.isoformat(),
                        (now - timedelta(days=FEED_DAYS - 1)).date())
        catch_up = CatchUpRound()
        if watching:
            catch_up = self.catch_ups.run(watching, last if mode == "title-search" else None, now)
        new_ids = {f.id for f in feed.new}
        extra_unseen = self.seen.unseen([f.id for f in catch_up.found if f.id not in new_ids])
        fresh = [f for f in catch_up.found if f.id in extra_unseen]
        candidates = tuple(f for f in merge_filings(feed.new + tuple(fresh)) if watching.covers(f))
        alerts, held = split_first_run(candidates, now, hours)
        resolution = self.placeholders.resolve(alerts, context=feed.read + catch_up.found,
                                               window=1 if mode == "latest" else FEED_DAYS, now=now,
                                               may_defer=True,
                                               feed_pages=None if watching.everything else ZH_FEED_PAGES)
        deferred_ids = {f.id for f in resolution.deferred}
        keys = tuple(k for k in dict.fromkeys([f.id for f in feed.new] + [f.id for f in fresh])
                     if k not in deferred_ids)
        poll = Poll(filings=resolution.filings, seen_keys=keys,
                    requests=feed.requests + catch_up.requests + resolution.requests, mode=mode,
                    polled_at=now, boards=feed.boards, held_back=held, gen_date_ms=feed.gen_date_ms,
                    newest_release=feed.newest_release, not_modified=feed.not_modified,
                    first_start=first_start, catch_up=catch_up.states, deferred=resolution.deferred,
                    whole_market=watching.everything)
        log.log(logging.INFO if poll.filings or mode != "latest" else logging.DEBUG,
                "poll (%s, %s%s, %s): %s, %s read, %d new for watched stocks%s%s%s", mode,
                "+".join(feed.boards), ", 304" if poll.not_modified else "", watching.describe(),
                poll.requests, counted(len({f.id for f in feed.read}), "item"), len(poll.filings),
                f", {len(held)} older ones held back (first start)" if held else "",
                f", {len(poll.deferred)} Chinese-only deferred" if poll.deferred else "",
                f", catch-up pending for {', '.join(poll.catch_up_pending)}" if poll.catch_up_pending else "")
        return poll

    def commit(self, poll: Poll) -> None:
        """Mark the poll's new stems seen, record each stock's catch-up state, then the poll's time
        (never moving it backwards; an unchanged feed rewrites it at most every few minutes)."""
        self.seen.mark(poll.seen_keys)
        self.catch_ups.commit(poll.catch_up)
        self.feed.commit(poll.polled_at, poll.mode)

    def forget(self) -> None:
        """Drop what this process remembers of the store (seen ids, the last poll): call it when the
        store turns out to have lost its memory, so that what it lost is found again."""
        self.seen.forget()
        self.feed.forget()

    def reconcile(self, day: date, codes: Codes, now: datetime | None = None, *,
                  grace: timedelta = RECONCILE_GRACE) -> Reconciliation:
        """``day``'s title search of each named stock against the seen set (the whole market, if
        watched, is not reconciled); see ``Reconciler.reconcile``. Nothing is marked: alert
        ``missed``, then ``commit_reconciliation``."""
        now = (now or datetime.now(HKT)).astimezone(HKT)
        return self.reconciler.reconcile(day, Watching.of(codes), now, grace=grace)

    def commit_reconciliation(self, rec: Reconciliation) -> None:
        """Mark the filings reconciliation found as seen (after they were enqueued)."""
        self.reconciler.commit(rec)

    def backfill(self, code: str, since: date, progress: Progress | None = None, *,
                 until: date | None = None) -> list[Filing]:
        """Every filing of ``code`` from ``since`` to ``until`` (default today, HKT), oldest first;
        see ``History.backfill``."""
        return self.history.backfill(code, since, progress, until=until)
