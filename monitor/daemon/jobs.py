"""What the daemon's timed jobs do (``monitor.schedule.jobs`` decides when): poll, heartbeat, the
alarm check, the results calendar (results due; the results-days snapshot the poll plan reads),
the weekly digest and the nightly reconciliation. Each job reads the components in force when it
starts and never raises into the scheduler."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from monitor.calendar import Calendar, digest_alerts, due_alerts
from monitor.daemon.components import Components
from monitor.errors import SourceError, StoreError
from monitor.filing import HKT
from monitor.hkexnews.discovery import META_LAST_POLL, Reconciliation
from monitor.intake import Discovered
from monitor.metrics import Metrics
from monitor.ops.watchdog import Watchdog
from monitor.schedule.plan import ResultsDays
from monitor.store import AlertKind, RecordKind

log = logging.getLogger(__name__)

RECONCILED_KEEP_S = 7 * 86_400.0


@dataclass(frozen=True)
class LastPoll:
    """What /healthz says of the last poll."""

    at: float
    ok: bool
    reason: str | None
    new_filings: int
    alerts_enqueued: int
    documents_submitted: int


class DaemonJobs:
    def __init__(self, components: Callable[[], Components], metrics: Metrics, watchdog: Watchdog,
                 results_days: ResultsDays, *, owner: str, wake: threading.Event,
                 stop: threading.Event) -> None:
        self._components = components  # the components in force (a reload replaces them)
        self.metrics = metrics
        self.watchdog = watchdog
        self.results_days = results_days
        self.owner = owner
        self.wake = wake  # set when something is ready to deliver
        self.stop = stop
        self.last_poll: LastPoll | None = None

    def poll(self) -> None:
        """Discover once: never waits for documents or deliveries."""
        if self.stop.is_set():
            return
        comps = self._components()
        try:
            with comps.in_use():
                found = comps.intake.discover()
        except StoreError as exc:
            comps.intake.store_down(exc)
            return
        except Exception:
            self.metrics.polls.labels("error").inc()
            log.exception("poll failed unexpectedly; the next one will run")
            return
        self.note_poll(found)
        self.watchdog.observe(ok=found.ok, generated_at=found.generated_at,
                              newest_release=found.newest_release, last_success=self._last_success(comps))
        if found.enqueued:
            self.wake.set()

    def note_poll(self, found: Discovered) -> None:
        self.last_poll = LastPoll(time.time(), found.ok, found.reason, found.new_filings, found.enqueued,
                                  found.submitted)

    def _last_success(self, comps: Components) -> datetime | None:
        """The last successful poll by any instance, as the store records it."""
        try:
            raw = comps.store.get_meta(META_LAST_POLL)
            return datetime.fromisoformat(raw) if raw else None
        except (StoreError, ValueError):
            return None

    def heartbeat(self) -> None:
        self.metrics.heartbeat.set(time.time())
        comps = self._components()
        try:
            backlog = comps.store.document_backlog()
        except StoreError:
            return
        pool = comps.parse_pool
        if pool is not None:
            stats = pool.stats()
            self.metrics.parse_workers.labels("alive").set(stats.alive)
            self.metrics.parse_workers.labels("busy").set(stats.busy)
            for reason, n in stats.restarts.items():
                self.metrics.parse_worker_restarts.labels(reason).set(n)
        self.metrics.documents.labels("waiting").set(backlog.waiting)
        self.metrics.documents.labels("in_progress").set(backlog.in_progress)
        self.metrics.oldest_document.set(backlog.oldest_s or 0)

    def alarms(self) -> None:
        try:
            if self.watchdog.check(self._components().store):
                self.wake.set()
        except StoreError as exc:
            log.error("alarm check skipped: the store is unavailable (%s)", exc)

    def calendar(self) -> None:
        """Refresh the results days the poll plan reads, and post "results due, not out" once per
        stock and meeting day after its last window."""
        comps = self._components()
        try:
            calendar = Calendar(comps.store)
            self.refresh_results_days(calendar, comps)
            alerts = due_alerts(calendar, comps.settings, datetime.now(HKT))
            if self._enqueue(comps, AlertKind.RESULTS_DUE, alerts):
                log.warning("results due and not out: %s", ", ".join(sorted({a[0] for a in alerts})))
        except StoreError as exc:
            log.error("results calendar check skipped: the store is unavailable (%s)", exc)

    def refresh_results_days(self, calendar: Calendar, comps: Components) -> None:
        codes = {w.code for w in comps.settings.watch}
        days: dict[date, list[str]] = {}
        for entry in calendar.entries():
            if entry.code in codes and entry.expected:
                days.setdefault(entry.meeting_date, []).append(entry.code)
        self.results_days.replace(days)

    def digest(self) -> None:
        comps = self._components()
        try:
            new = self._enqueue(comps, AlertKind.DIGEST, digest_alerts(Calendar(comps.store), comps.settings,
                                                                  datetime.now(HKT)))
            log.info("weekly digest: %d message(s) enqueued", new)
        except StoreError as exc:
            log.error("weekly digest skipped: the store is unavailable (%s)", exc)

    def _enqueue(self, comps: Components, kind: str, alerts: list[tuple[str, str, dict[str, Any]]]) -> int:
        new = sum(comps.store.enqueue_message(aid, channel, kind, data) for aid, channel, data in alerts)
        if new:
            self.wake.set()
        return new

    def reconcile_today(self) -> None:
        """Once a day, once per cluster: compare the day's title search with what the feed found."""
        today = datetime.now(HKT).date()
        store = self._components().store
        try:
            if not store.add_record(RecordKind.RECONCILED, today.isoformat(),
                                    {"by": self.owner, "at": time.time()}, ttl_s=RECONCILED_KEEP_S):
                return  # another instance (or this one, earlier) has it
            self.reconcile(today)
        except (StoreError, SourceError) as exc:
            log.error("reconciliation of %s failed (%s); it runs again tomorrow, or use "
                      "`hkex-monitor reconcile --date %s`", today, exc, today)

    def reconcile(self, day: date) -> Reconciliation:
        """Title-search every watched stock for ``day``; alert what the feed path missed."""
        comps = self._components()
        result = comps.discovery.reconcile(day, [w.code for w in comps.settings.watch])
        for filing in result.missed:
            log.error("DEFECT: the feed path missed filing %s (%s, %s, released %s); alerting it now, marked "
                      "as found late", filing.id, "/".join(filing.stock_codes), filing.title,
                      filing.released_at.isoformat())
            comps.intake.admit_late(filing)
        comps.discovery.commit_reconciliation(result)
        for code, why in result.unchecked:
            log.warning("reconciliation of %s could not check %s: %s", day, code, why)
        listed = sum(len(c.listed) for c in result.compared)
        log.info("reconciliation of %s: %d stock%s compared, %d filing%s listed, %d missed by the feed, "
                 "%d not checked", day, len(result.compared), _s(len(result.compared)), listed, _s(listed),
                 len(result.missed), len(result.unchecked))
        if result.missed:
            self.wake.set()
        return result


def _s(n: int) -> str:
    return "" if n == 1 else "s"
