"""What a poll brings in: each new filing of a watched stock becomes an alert per channel that wants
it, and its document (results, profit warnings, board-meeting and delay notices) is submitted to
the store's document queue, once cluster-wide. Alerts are enqueued *before* the poll's items are
marked seen, so a crash re-finds rather than loses them.

A store that has lost its memory (no epoch marker: a first start, or Redis restarted empty) is
*rebuilt from Slack*: every alert for a filing released before that moment is checked against the
channel's history before it is posted (``verify``), and the first-run window keeps the catch-up
short. Nothing is sent without dedupe: a ``StoreError`` skips the step.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from monitor.calendar import Calendar, due_alert_id
from monitor.errors import SourceError, StoreError
from monitor.filing import HKT, Filing
from monitor.followups import WINDOW, is_follow_up, original_of
from monitor.hkexnews.discovery import Poll
from monitor.metrics import Metrics
from monitor.routing import reader_for, routes
from monitor.schedule.cadence import FeedCadence
from monitor.settings import Settings
from monitor.store import RecordKind, Store

log = logging.getLogger(__name__)

FRESH = timedelta(hours=1)  # filings released more recently go first in the document queue
ALERTED_KEEP_S = WINDOW.total_seconds()  # RecordKind.ALERTED: an original a follow-up may thread under


class _Discovery(Protocol):
    def poll(self, codes: Collection[str]) -> Poll: ...
    def commit(self, poll: Poll) -> None: ...
    def forget(self) -> None: ...


@dataclass(frozen=True)
class Discovered:
    """What one poll brought in."""

    ok: bool
    reason: str | None = None
    new_filings: int = 0
    enqueued: int = 0
    submitted: int = 0
    not_modified: bool = False
    generated_at: datetime | None = None  # the feed's genDate, for the watchdog
    newest_release: datetime | None = None  # the newest filing on the market feed


class Intake:
    def __init__(self, settings: Settings, store: Store, discovery: _Discovery, metrics: Metrics, *,
                 cadence: FeedCadence | None = None, can_verify: bool = True,
                 clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.store = store
        self.discovery = discovery
        self.metrics = metrics
        self.cadence = cadence  # learns the feed's regeneration from each poll's genDate
        self.clock = clock
        # Whether posted messages can be looked for (a bot token): only then is an alert of a
        # filing released before the store was found empty checked against Slack first.
        self.can_verify = can_verify
        self.calendar = Calendar(store)
        self.rebuilt_at: float | None = None  # when this process last found the store empty

    def store_down(self, exc: StoreError) -> None:
        """Count and say that a step was skipped because the store is unavailable."""
        self.metrics.store_errors.inc()
        self.metrics.polls.labels("store_down").inc()
        log.error("poll skipped: the store is unavailable (%s); nothing is lost: pending alerts go out "
                  "once it is back", exc)

    def check_epoch(self) -> bool:
        """Create the store's epoch marker if it is missing; True when the store was empty (a first
        start, or a store that lost its memory: from inside the store the two look the same)."""
        epoch, created = self.store.ensure_epoch()
        if not created:
            return False
        self.discovery.forget()  # what this process remembers of the old store must not hide what it lost
        self.metrics.rebuilding.inc()
        if not self.can_verify:
            log.info("the store is empty (a first start, or it lost its memory); epoch %s", epoch)
            return True
        self.rebuilt_at = self.clock()
        log.warning("the store is empty (a first start, or it lost its memory): alerts for filings released "
                    "before now are checked against each channel's Slack history before they are posted; "
                    "epoch %s", epoch)
        return True

    def discover(self) -> Discovered:
        """Poll once; enqueue alerts and submit documents. Raises only ``StoreError``."""
        self.store.ping()
        self.check_epoch()
        codes = [w.code for w in self.settings.watch]
        if not codes:
            return Discovered(ok=True)
        try:
            poll = self.discovery.poll(codes)
        except SourceError as exc:
            # Skipped, never reported as "no new filings"; pending alerts are still delivered.
            self.metrics.polls.labels("source_error").inc()
            log.error("poll failed, will retry next time: %s", exc)
            return Discovered(ok=False, reason=str(exc))
        enqueued = submitted = 0
        for filing in poll.filings:
            self.metrics.filings_seen.labels(filing.kind.value).inc()
            e, s = self.admit(filing)
            enqueued, submitted = enqueued + e, submitted + s
        held = poll.held_back
        if held:
            self.metrics.held_back.inc(len(held))
            log.info("first start: %d filing%s released before the first-run window recorded as seen without "
                     "an alert (daemon.first_run_hours = %g)", len(held), "" if len(held) == 1 else "s",
                     self.settings.daemon.first_run_hours)
        self.discovery.commit(poll)
        self.metrics.polls.labels("ok").inc()
        self.metrics.last_success.set(self.clock())
        gen_ms = poll.gen_date_ms
        if gen_ms is not None and self.cadence is not None:
            self.cadence.observe(gen_ms, time.time())
        for filing in poll.deferred:
            log.warning("Chinese-only filing %s (%s): the Chinese listings could not be read; trying again "
                        "next poll", filing.id, "/".join(filing.stock_codes))
        return Discovered(ok=True, new_filings=len(poll.filings), enqueued=enqueued, submitted=submitted,
                          not_modified=poll.not_modified,
                          generated_at=datetime.fromtimestamp(gen_ms / 1000, HKT) if gen_ms else None,
                          newest_release=poll.newest_release)

    def admit(self, filing: Filing, *, data: dict[str, Any] | None = None,
              submit: bool = True) -> tuple[int, int]:
        """Enqueue a new filing's alerts and submit its document -> (alerts enqueued, documents)."""
        data = dict(data or {})
        if self.rebuilt_at is not None and filing.released_at.timestamp() < self.rebuilt_at:
            data["verify"] = True  # it may have been posted before the store lost its memory
        if filing.kind.is_results:
            self.calendar.results_appeared(filing)
        channels = sorted(routes(self.settings, filing))
        if channels:
            original = self._original(filing)
            if original is not None:
                data["thread_of"] = original.id
        enqueued = 0
        for channel in channels:
            extra = self._follows(filing, channel)
            if self.store.enqueue(filing, channel, data={**data, **extra}):
                enqueued += 1
                log.info("new %s for %s: %s -> %s", filing.kind.label.lower(), "/".join(filing.stock_codes),
                         filing.display_title, channel)
        if channels:
            for code in filing.stock_codes:
                self.store.put_record(RecordKind.alerted(code), filing.id, filing.to_dict(),
                                      ttl_s=ALERTED_KEEP_S)
        reader = reader_for(filing)
        submitted = 0
        if submit and reader is not None and (channels or not filing.kind.is_results):
            # Submitted whether or not the alert was new (idempotent: a crash between the two must not
            # leave an alert waiting for figures nobody reads); notices are read for the calendar and
            # the warnings even when nobody alerts on them.
            fresh = datetime.now(HKT) - filing.released_at < FRESH
            priority = "high" if fresh else "low"
            submitted = int(self.store.submit_document(filing, reader.value, priority=priority))
        return enqueued, submitted

    def admit_late(self, filing: Filing) -> int:
        """Alert a filing the feed path missed (found by reconciliation); returns alerts enqueued."""
        self.metrics.found_late.inc()
        return self.admit(replace(filing), data={"found_late": True})[0]

    def _original(self, filing: Filing) -> Filing | None:
        """The alerted filing this one clarifies, supplements or revises, if any."""
        if not is_follow_up(filing):
            return None
        earlier = [Filing.from_dict(d) for code in filing.stock_codes
                   for d in self.store.records(RecordKind.alerted(code)).values()]
        return original_of(filing, earlier)

    def _follows(self, filing: Filing, channel: str) -> dict[str, Any]:
        """Results that arrive after a "results due, not out" message refer to it."""
        if not filing.kind.is_results:
            return {}
        released = filing.released_at.astimezone(HKT).date()
        for code in filing.stock_codes:
            for day in (released, released - timedelta(days=1), released - timedelta(days=2)):
                due = due_alert_id(code, day)
                if self.store.state(due, channel).value != "unknown":
                    return {"follow_up_of": due}
        return {}
