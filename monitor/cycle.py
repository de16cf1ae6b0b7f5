"""The work, in three steps that run side by side in the daemon (and one after another in ``once``):

- ``discover``: poll HKEXnews, enqueue an alert per (filing, channel) and submit each document that
  must be read (results, profit warnings, board-meeting and delay notices of watched stocks) to the
  store's document queue, then mark the poll's items seen. Alerts are enqueued *before* the items
  are marked seen, so a crash re-finds rather than loses them.
- ``read_documents``: take documents from the queue (shared by every instance: each is downloaded
  and parsed once in the cluster, and taken over if its reader dies), download, parse, store the
  figures, then deliver that filing's alerts at once. A document HKEXnews cannot serve now waits
  for a later try, up to ``download_give_up_s``; one it will never serve (another host, gone, not a
  PDF) is alerted at once without figures, with the reason.
- ``deliver``: send every pending alert that is ready (a filing whose document must be read is
  ready once its figures, or the reason it has none, are stored).

A store that has lost its memory (no epoch marker: a first start, or Redis restarted empty) is
*rebuilt from Slack*: every alert for a filing released before that moment is checked against the
channel's history before it is posted (``verify``), and the first-run window keeps the catch-up
short. Nothing is sent without dedupe: a ``StoreError`` skips the step.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from monitor.calendar import Calendar, due_alert_id
from monitor.delivery import DeliveryOutcome
from monitor.errors import DocumentError, NotResultsError, SourceError, StoreError
from monitor.filing import HKT, Filing, FilingKind
from monitor.followups import WINDOW, is_follow_up, original_of
from monitor.hkexnews.cadence import FeedCadence
from monitor.hkexnews.discovery import Poll
from monitor.messages.render import WARNINGS
from monitor.metrics import Metrics
from monitor.settings import Settings, Watch
from monitor.store import ALERT_FILING, DocumentTask, PendingAlert, Store

log = logging.getLogger(__name__)

ParseFn = Callable[[bytes, str], dict[str, Any]]  # (document, parser name) -> the parsed record
PARSERS: dict[FilingKind, str] = {
    FilingKind.FINAL_RESULTS: "results", FilingKind.INTERIM_RESULTS: "results",
    FilingKind.QUARTERLY_RESULTS: "results", FilingKind.PROFIT_WARNING: "profit_warning",
    FilingKind.BOARD_MEETING: "board_meeting", FilingKind.RESULTS_DELAY: "board_meeting",
}
FRESH = timedelta(hours=1)  # filings released more recently go first in the document queue
WARNING_KEEP_S = 400 * 86_400.0
ALERTED = "alerted:{code}"  # record kind per stock: filing id -> the filing, for threading follow-ups
ALERTED_KEEP_S = WINDOW.total_seconds()


class _Discovery(Protocol):
    def poll(self, codes: Any) -> Poll: ...
    def commit(self, poll: Poll) -> None: ...
    def forget(self) -> None: ...


class _Client(Protocol):
    def fetch_document(self, filing: Filing) -> bytes: ...


class _Deliverer(Protocol):
    def deliver_pending(self, *, ready: Callable[[PendingAlert], bool] = ...,
                        eager: bool = ...) -> DeliveryOutcome: ...
    def deliver(self, alerts: list[PendingAlert], *, eager: bool = ...) -> DeliveryOutcome: ...


def parser_for(filing: Filing) -> str | None:
    """Which parser reads this filing's document, or None when its alert needs no figures."""
    return PARSERS.get(filing.kind)


def wants(watch: Watch, filing: Filing) -> bool:
    """Whether this watch asked to hear about this kind of filing (``Watch.kinds``)."""
    return filing.kind.value in watch.kinds


def routes(settings: Settings, filing: Filing) -> set[str]:
    """The channels this filing goes to: one per watch that wants it, deduplicated."""
    channels = set()
    for code in filing.stock_codes:
        watch = settings.watch_for(code)
        if watch is not None and wants(watch, filing):
            channels.add(settings.channel_for(watch))
    return channels


@dataclass(frozen=True)
class Discovered:
    ok: bool
    reason: str | None = None
    new_filings: int = 0
    enqueued: int = 0
    submitted: int = 0
    not_modified: bool = False
    generated_at: datetime | None = None  # the feed's genDate, for the watchdog
    newest_release: datetime | None = None  # the newest filing on the market feed


@dataclass(frozen=True)
class CycleOutcome:
    ok: bool
    reason: str | None = None
    new_filings: int = 0
    enqueued: int = 0
    parsed: int = 0
    sent: int = 0
    failed: int = 0
    pending: int = 0
    seconds: float = 0.0
    delivery_errors: tuple[str, ...] = ()


class Cycle:
    def __init__(self, settings: Settings, store: Store, client: _Client, discovery: _Discovery,
                 deliverer: _Deliverer, metrics: Metrics, parse: ParseFn, *, consumer: str,
                 stop: threading.Event | None = None, clock: Callable[[], float] = time.time,
                 calendar: Calendar | None = None, cadence: FeedCadence | None = None) -> None:
        self.settings = settings
        self.store = store
        self.client = client
        self.discovery = discovery
        self.deliverer = deliverer
        self.metrics = metrics
        self.parse = parse
        self.consumer = consumer
        self.stop = stop or threading.Event()
        self.clock = clock
        self.calendar = calendar or Calendar(store)
        self.cadence = cadence  # learns the feed's regeneration from each poll's genDate
        self.rebuilt_at: float | None = None  # when this process last found the store empty

    # -- one round of everything (``once``, the demo, tests) --------------------------------------
    def run(self) -> CycleOutcome:
        """One round of everything, asked for by an operator or a test: discover, read what is
        queued, then try every pending alert once, including those the daemon's loop would leave
        to their backoff."""
        started = self.clock()
        try:
            found = self.discover()
            parsed = self.read_documents(deliver=False)
            delivered = self.deliver(eager=True)
        except StoreError as exc:
            self.store_down(exc)
            return CycleOutcome(ok=False, reason=f"store unavailable: {exc}", seconds=self.clock() - started)
        return CycleOutcome(ok=found.ok, reason=found.reason, new_filings=found.new_filings,
                            enqueued=found.enqueued, parsed=parsed, sent=delivered.sent,
                            failed=delivered.failed, pending=delivered.pending,
                            seconds=self.clock() - started, delivery_errors=delivered.errors)

    def store_down(self, exc: StoreError) -> None:
        """Count and say that a step was skipped because the store is unavailable."""
        self.metrics.store_errors.inc()
        self.metrics.polls.labels("store_down").inc()
        log.error("skipped: the store is unavailable (%s); nothing was sent, nothing is lost: pending "
                  "alerts go out once it is back", exc)

    # -- discover --------------------------------------------------------------------------------
    def check_epoch(self) -> bool:
        """Create the store's epoch marker if it is missing; True when the store was empty."""
        epoch, created = self.store.ensure_epoch()
        if created:
            self.rebuilt_at = self.clock()
            self.discovery.forget()  # what this process remembers of the old store must not hide what it lost
            self.metrics.rebuilding.inc()
            log.warning("the store is empty (a first start, or it lost its memory): alerts for filings "
                        "released before now are checked against each channel's Slack history before "
                        "they are posted; epoch %s", epoch)
        return created

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
            log.info("first start: %d filings released before the first-run window were recorded as seen "
                     "without an alert (daemon.first_run_hours = %g)", len(held),
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
                self.store.put_record(ALERTED.format(code=code), filing.id, filing.to_dict(),
                                      ttl_s=ALERTED_KEEP_S)
        parser = parser_for(filing)
        submitted = 0
        if submit and parser is not None and (channels or parser != "results"):
            # Submitted whether or not the alert was new (idempotent: a crash between the two must not
            # leave an alert waiting for figures nobody reads); notices are read for the calendar and
            # the warnings even when nobody alerts on them.
            fresh = datetime.now(HKT) - filing.released_at < FRESH
            submitted = int(self.store.submit_document(filing, parser, priority="high" if fresh else "low"))
        return enqueued, submitted

    def _original(self, filing: Filing) -> Filing | None:
        """The alerted filing this one clarifies, supplements or revises, if any."""
        if not is_follow_up(filing):
            return None
        earlier = [Filing.from_dict(d) for code in filing.stock_codes
                   for d in self.store.records(ALERTED.format(code=code)).values()]
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

    # -- read documents --------------------------------------------------------------------------
    def read_documents(self, *, limit: int | None = None, block_s: float = 0.0, deliver: bool = True) -> int:
        """Read queued documents until none is available to this consumer (or ``limit``), delivering
        each filing's alerts as soon as its document is read (unless ``deliver`` is False); returns
        how many were read (figures or a final reason stored). Raises only ``StoreError``."""
        done = 0
        while not self.stop.is_set() and (limit is None or done < limit):
            tasks = self.store.take_documents(self.consumer, 1, reclaim_idle_s=self.settings.store.lease_s,
                                              block_s=block_s)
            if not tasks:
                break
            for task in tasks:
                if self.read(task):
                    done += 1
                    if deliver:
                        self.deliver_filing(task.filing.id)
        return done

    def read(self, task: DocumentTask) -> bool:
        """Read one queued document (keeping its lease), store the result and finish the task;
        False when it must wait for a later try."""
        with self._renewing(task):
            done = self.read_filing(task.filing, task.parser, submitted_at=task.submitted_at)
        if done:
            self.store.finish_document(task)
        return done

    def read_filing(self, filing: Filing, parser: str, *, submitted_at: float) -> bool:
        """Download and parse a filing's document and store the figures (or the reason there are
        none); False when HKEXnews cannot serve it now and it is not yet time to give up."""
        try:
            data = self.client.fetch_document(filing)
        except SourceError as exc:
            if exc.permanent:
                return self._settle(filing, parser, f"the document cannot be downloaded: {exc}",
                                    "unavailable")
            waited = self.clock() - submitted_at
            if waited < self.settings.daemon.download_give_up_s:
                log.warning("could not download %s (%s); will try again", filing.url, exc)
                return False
            return self._settle(filing, parser, f"the document could not be downloaded for "
                                                 f"{waited / 60:.0f} minutes: {exc}", "gave_up")
        except DocumentError as exc:
            return self._settle(filing, parser, str(exc), "unreadable")
        started = time.perf_counter()
        try:
            payload = self.parse(data, parser)
        except NotResultsError as exc:
            return self._settle(filing, parser, str(exc), "not_results")
        except DocumentError as exc:
            if self.stop.is_set():  # the parse was cut short by a shutdown: read it next time
                return False
            return self._settle(filing, parser, f"could not read the document: {exc}", "failed")
        self.metrics.parse_seconds.observe(time.perf_counter() - started)
        self.metrics.parse.labels("ok").inc()
        self.store.save_report(filing, {"document": parser, **payload})
        try:
            self.remember(filing, parser, payload)
        except StoreError:
            raise
        except Exception:  # the calendar or the warnings must never cost the alert
            log.exception("could not record what %s says (%s)", filing.id, parser)
        return True

    def remember(self, filing: Filing, parser: str, payload: dict[str, Any]) -> None:
        """What a notice tells later steps: the calendar, and the warning to compare results with."""
        if parser == "board_meeting":
            self.calendar.record_notice(filing, payload)
        elif parser == "profit_warning":
            for code in filing.stock_codes:
                self.store.put_record(WARNINGS, f"{code}:{filing.id}",
                                      {"filing_id": filing.id, "released_at": filing.released_at.isoformat(),
                                       "warning": payload}, ttl_s=WARNING_KEEP_S)

    def _settle(self, filing: Filing, parser: str, error: str, outcome: str) -> bool:
        self.metrics.parse.labels(outcome).inc()
        log.warning("%s (%s): %s; alerting without figures", filing.id, parser, error)
        self.store.save_report(filing, {"document": parser, "error": error})
        return True

    @contextmanager
    def _renewing(self, task: DocumentTask) -> Iterator[None]:
        """Keep the task's lease alive while it is worked on (downloads and parses can be long)."""
        done = threading.Event()
        every = max(0.5, self.settings.store.lease_s / 3)

        def renew() -> None:
            while not done.wait(every):
                try:
                    self.store.renew_document(task, self.consumer)
                except StoreError as exc:
                    log.warning("could not renew the lease of %s: %s", task.filing.id, exc)

        thread = threading.Thread(target=renew, name=f"renew-{task.filing.id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join(1)

    # -- deliver ---------------------------------------------------------------------------------
    def ready(self, alert: PendingAlert) -> bool:
        if alert.kind != ALERT_FILING or alert.filing is None or parser_for(alert.filing) is None:
            return True
        return self.store.get_report(alert.filing.id) is not None

    def deliver(self, *, eager: bool = False) -> DeliveryOutcome:
        return self.deliverer.deliver_pending(ready=self.ready, eager=eager)

    def deliver_filing(self, filing_id: str) -> DeliveryOutcome:
        """Deliver one filing's alerts now (its figures were just stored)."""
        mine = [a for a in self.store.pending() if a.id == filing_id]
        return self.deliverer.deliver(mine)

    def alert_now(self, filings: list[Filing]) -> CycleOutcome:
        """Alert exactly these filings (``backfill --alert``): enqueue them as their watches ask, read
        their documents here rather than through the shared queue, and deliver only their alerts; the
        feed is not polled and no other pending alert is sent. Raises only ``StoreError``."""
        started = self.clock()
        enqueued = parsed = 0
        for filing in filings:
            enqueued += self.admit(filing, submit=False)[0]
            parser = parser_for(filing)
            if parser and routes(self.settings, filing) and self.store.get_report(filing.id) is None:
                parsed += int(self.read_filing(filing, parser, submitted_at=started))
        ids = {f.id for f in filings}
        outcome = self.deliverer.deliver([a for a in self.store.pending(limit=100_000) if a.id in ids])
        left = sum(1 for a in self.store.pending(limit=100_000) if a.id in ids)
        return CycleOutcome(ok=True, new_filings=len(filings), enqueued=enqueued, parsed=parsed,
                            sent=outcome.sent, failed=outcome.failed, pending=left,
                            seconds=self.clock() - started, delivery_errors=outcome.errors)

    def admit_late(self, filing: Filing) -> int:
        """Alert a filing the feed path missed (found by reconciliation); returns alerts enqueued."""
        self.metrics.found_late.inc()
        return self.admit(replace(filing), data={"found_late": True})[0]
