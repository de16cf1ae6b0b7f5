"""Reconciliation: a day's title search of each named stock against the store's seen set (what the
feed path saw), to find what the feed never showed.

The whole market is not reconciled: one title search per listed stock every night would be
thousands of requests, which is not polite to HKEXnews; the log says so, and named stocks are still
reconciled. Nothing is marked here until ``commit`` (after the caller has alerted what was missed).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from monitor.filing import HKT, Filing
from monitor.hkexnews.discovery.counts import NONE, Requests
from monitor.hkexnews.discovery.placeholders import PlaceholderResolver
from monitor.hkexnews.discovery.seen import SeenMemory
from monitor.hkexnews.discovery.titlesearch import TitleSearch
from monitor.hkexnews.discovery.watching import Watching
from monitor.hkexnews.feed import merge_filings
from monitor.logs import counted

log = logging.getLogger(__name__)

RECONCILE_GRACE = timedelta(minutes=10)  # filings this recent may still reach the feed path


@dataclass(frozen=True)
class StockCheck:
    """What reconciliation compared for one watched stock."""

    code: str
    listed: tuple[str, ...]  # ids of the stock's filings of the day, as the title search lists them
    missed: tuple[str, ...]  # those the feed path never saw


@dataclass(frozen=True)
class Reconciliation:
    """A day's title search per named stock against the store's seen set (the feed path).

    ``missed``: filings the title search lists that the feed path never saw (Chinese-only ones
    resolved where possible): alert them as found late, then ``Discovery.commit_reconciliation``.
    ``too_recent``: unseen, but released within ``RECONCILE_GRACE`` of ``checked_at``, so the feed
    may still bring them: not a defect (yet). ``unchecked``: (code, why) for stocks that could not
    be compared. ``whole_market_skipped``: the whole market was watched and, by design, not
    reconciled (only the named stocks were).
    """

    day: date
    checked_at: datetime
    compared: tuple[StockCheck, ...]
    missed: tuple[Filing, ...]
    unchecked: tuple[tuple[str, str], ...]
    too_recent: tuple[Filing, ...] = ()
    requests: Requests = NONE
    whole_market_skipped: bool = False

    @property
    def complete(self) -> bool:
        """Every named stock was compared."""
        return not self.unchecked

    @property
    def seen_keys(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.missed)


class Reconciler:
    """Compares a day's title search with the seen set (``reconcile``), marks what it found
    (``commit``)."""

    def __init__(self, search: TitleSearch, resolver: PlaceholderResolver, seen: SeenMemory) -> None:
        self.search = search
        self.resolver = resolver
        self.seen = seen

    def reconcile(self, day: date, watching: Watching, now: datetime, *,
                  grace: timedelta = RECONCILE_GRACE) -> Reconciliation:
        """Each named stock's filings of ``day`` (HKT) by title search, against the store's seen set.

        Multi-counter filings are compared once (listed under each watched counter); Chinese-only
        placeholders compare by their English stem and, when missed, are resolved through the
        Chinese title search; a stock whose search fails, answers ``"null"`` or is not listed is
        ``unchecked`` with the reason. Unseen filings released within ``grace`` of ``now`` are
        ``too_recent`` (the feed path may not have had its chance).
        """
        if watching.everything:
            log.info("reconciliation of %s: the whole market is watched and is not reconciled (a title "
                     "search for every listed stock each night is not polite to HKEXnews); %s", day,
                     f"reconciling the {len(watching.codes)} named stock(s)" if watching.codes
                     else "no stock is named, so nothing is reconciled")
        checks: list[tuple[str, tuple[str, ...]]] = []
        unchecked: list[tuple[str, str]] = []
        found: list[Filing] = []
        requests = NONE
        for code in sorted(watching.codes):
            result = self.search.search(code, day, day)
            requests += result.requests
            if not result.ok:
                unchecked.append((code, result.why or ""))
                continue
            mine = [f for f in result.filings if f.released_at.astimezone(HKT).date() == day]
            found.extend(mine)
            checks.append((code, tuple(f.id for f in mine)))
        listed = merge_filings(found)
        unseen = self.seen.store.unseen([f.id for f in listed]) if listed else set()
        cutoff = now - grace
        missed = [f for f in listed if f.id in unseen and f.released_at <= cutoff]
        too_recent = tuple(f for f in listed if f.id in unseen and f.released_at > cutoff)
        resolution = self.resolver.resolve(missed, context=listed, window=None, now=now, may_defer=False)
        requests += resolution.requests
        missed_ids = {f.id for f in missed}
        compared = tuple(StockCheck(code, ids, tuple(i for i in ids if i in missed_ids))
                         for code, ids in checks)
        rec = Reconciliation(day=day, checked_at=now, compared=compared, missed=resolution.filings,
                             unchecked=tuple(unchecked), too_recent=too_recent, requests=requests,
                             whole_market_skipped=watching.everything)
        log.log(logging.WARNING if rec.missed or rec.unchecked else logging.INFO,
                "reconciliation of %s: %s compared, %s listed, %d missed by the feed path%s%s",
                day, counted(len(compared), "stock"), counted(len(listed), "filing"), len(rec.missed),
                f" ({', '.join(f.id for f in rec.missed)})" if rec.missed else "",
                f"; not compared: {', '.join(c for c, _ in unchecked)}" if unchecked else "")
        return rec

    def commit(self, rec: Reconciliation) -> None:
        """Mark the filings reconciliation found as seen (after they were enqueued)."""
        self.seen.mark(rec.seen_keys)
