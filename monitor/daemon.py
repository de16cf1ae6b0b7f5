"""The long-running process: wiring, the jobs that run side by side, hot reload, signals, health.

Lifecycle (explicit, like rq's worker): ``Daemon.run()`` installs signal handlers (SIGTERM/SIGINT
set a stop flag; SIGHUP asks for a config reload), starts the health endpoint, the document readers
and the delivery loop (threads), and the scheduler (poll, heartbeat, reload, reconciliation, alarm
and calendar jobs), then waits for the flag. On stop: no new send or document is started, the send
in flight finishes, a parse in flight is abandoned (its document is read again later, by this or
another instance), the scheduler shuts down, and the store is closed in ``finally``. Exit status 0.

The jobs never wait for each other: polling runs on its own schedule whatever the backlog of
documents, readers take documents from the store's queue, newest first, and the delivery loop
sends what is ready. What must survive a config reload lives outside the rebuilt components: the
HKEXnews politeness budget and cool-off (kept in the store), the parse workers and the stock ids.
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from monitor.admin import reroute_stranded
from monitor.calendar import DIGEST_KIND, DUE_KIND, Calendar, digest_alerts, due_alerts
from monitor.cycle import Cycle, CycleOutcome, ParseFn
from monitor.errors import ConfigError, MonitorError, SourceError, StoreError
from monitor.filing import HKT
from monitor.health import HealthServer
from monitor.hkexnews.cadence import FeedCadence
from monitor.hkexnews.discovery import Reconciliation
from monitor.hkexnews.stockids import StockDirectory
from monitor.metrics import Metrics
from monitor.parsepool import ParsePool, PoolConfig
from monitor.polling import PollPlan, PollTrigger
from monitor.secrets import redact_url
from monitor.settings import Settings, load_settings
from monitor.watchdog import Watchdog
from monitor.windows import in_window

log = logging.getLogger(__name__)

DELIVERY_EVERY_S = 2.0  # the delivery loop's pace when nothing wakes it
WATCHDOG_EVERY_S = 30.0
DUE_CHECK_EVERY_S = 300.0
RECONCILED = "reconciled"  # record kind: "{date}" -> when and by whom the day was reconciled
STOP_WAIT_S = 5.0  # how long a stop waits for threads (a parse in flight is abandoned)


@dataclass
class Components:
    """Everything one configuration builds; rebuilt as a whole on a config reload."""

    settings: Settings
    store: Any
    client: Any
    discovery: Any
    notifier: Any
    deliverer: Any
    cycle: Cycle
    parse_pool: ParsePool | None = None  # kept across reloads while its settings are unchanged
    _users: int = field(default=0, init=False, repr=False)
    _retired: dict[str, bool] | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @contextmanager
    def in_use(self) -> Iterator[Components]:
        """Hold these components for one step of a job; retired ones close when the last step ends."""
        with self._lock:
            self._users += 1
        try:
            yield self
        finally:
            with self._lock:
                self._users -= 1
                close = self._retired if self._users == 0 else None
                self._retired = None if close is not None else self._retired
            if close is not None:
                self.close(**close)

    def retire(self, *, keep_pool: bool) -> None:
        """Close now if no step is using these components, else when the last one ends (a reader
        waiting on the queue, a download, a send: each finishes on the components it began with)."""
        with self._lock:
            if self._users:
                self._retired = {"keep_pool": keep_pool}
                return
        self.close(keep_pool=keep_pool)

    def close(self, *, keep_pool: bool = False) -> None:
        for part in (self.client, self.store, None if keep_pool else self.parse_pool):
            if part is None:
                continue
            close = getattr(part, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:  # closing must never stop a shutdown
                    log.debug("error while closing %r", part, exc_info=True)


def instance_id() -> str:
    """Owner name for store claims: host, pid and a random suffix (unique across restarts)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class Lasting:
    """What a process keeps across config reloads (the components are rebuilt around it)."""

    stock_ids: StockDirectory
    cadence: FeedCadence


def build(settings: Settings, metrics: Metrics, *, stop: threading.Event, owner: str,
          parse: ParseFn | None = None, lasting: Lasting | None = None, stream: TextIO | None = None,
          parse_pool: ParsePool | None = None) -> Components:
    """Wire store, HKEXnews client, discovery, notifier, deliverer and cycle for one config. The
    HKEXnews budget lives in the store (shared by every instance, kept across reloads).

    Documents are parsed by warm worker processes (``parse_pool``: the running pool to keep when
    its settings did not change), unless ``parse`` is given (tests parse in this process)."""
    from monitor.delivery import Deliverer
    from monitor.delivery.transport import Transport, build_notifier
    from monitor.hkexnews.client import HKEXnewsClient
    from monitor.hkexnews.discovery import Discovery
    from monitor.messages.render import Renderer
    from monitor.store import open_store
    from monitor.store.limiter import StoreLimiter

    lasting = lasting or Lasting(StockDirectory(), FeedCadence())
    store = open_store(settings.store.url, namespace=settings.store.namespace,
                       retention_days=settings.store.retention_days)
    client = HKEXnewsClient(settings.hkexnews, metrics=metrics, limiter=StoreLimiter(store))
    discovery = Discovery(client, store, settings.hkexnews, metrics=metrics, stock_ids=lasting.stock_ids,
                          first_run_hours=settings.daemon.first_run_hours)
    notifier = Transport(build_notifier(settings.slack, stream=stream))
    deliverer = Deliverer(store, notifier, owner=owner, lease_s=settings.store.lease_s,
                          render=Renderer(store), metrics=metrics,
                          min_post_interval_s=settings.slack.min_post_interval_s, stop=stop)
    if parse is None:
        if parse_pool is None or parse_pool.config != PoolConfig.from_settings(settings.daemon):
            parse_pool = ParsePool(PoolConfig.from_settings(settings.daemon))  # starts workers lazily
        parse = parse_pool.parse
    else:
        parse_pool = None
    cycle = Cycle(settings, store, client, discovery, deliverer, metrics, parse, consumer=owner, stop=stop,
                  cadence=lasting.cadence)
    return Components(settings, store, client, discovery, notifier, deliverer, cycle, parse_pool)


def _fingerprint(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Daemon:
    def __init__(self, settings: Settings, *, config_path: Path | None = None,
                 metrics: Metrics | None = None, stream: TextIO | None = None,
                 parse: ParseFn | None = None) -> None:
        self.metrics = metrics or Metrics()
        self.stop_event = threading.Event()
        self.owner = instance_id()
        self.config_path = config_path
        self._stream = stream
        self._fingerprint = _fingerprint(config_path) if config_path else None
        self._reload_lock = threading.Lock()  # one reload at a time; jobs read self.components once
        self._wake = threading.Event()  # something is ready to deliver
        self._last_outcome: CycleOutcome | None = None
        self._started = time.time()
        self._parse = parse  # None: warm parse workers (the pool travels with the components)
        self.lasting = Lasting(StockDirectory(), FeedCadence())
        self.components = build(settings, self.metrics, stop=self.stop_event, owner=self.owner,
                                parse=self._parse, lasting=self.lasting, stream=stream)
        self.scheduler: BackgroundScheduler | None = None
        self.health: HealthServer | None = None
        self._threads: list[threading.Thread] = []
        self.watchdog = Watchdog(settings, self.metrics)
        self.plan = PollPlan(settings.schedule, cadence=self.lasting.cadence,
                             results_today=self._results_today, metrics=self.metrics)

    @property
    def settings(self) -> Settings:
        return self.components.settings

    # -- one round (``once``, the demo, tests) ---------------------------------------------------------
    def poll_once(self) -> CycleOutcome | None:
        """Discover, read what is queued, deliver; never raises (a failure is logged)."""
        if self.stop_event.is_set():
            return None
        try:
            with self.components.in_use() as comps:
                outcome = comps.cycle.run()
        except Exception as exc:
            self.metrics.polls.labels("error").inc()
            log.exception("cycle failed unexpectedly (%s); the next one will run", exc)
            return None
        self._last_outcome = outcome
        log.info("cycle %s: %d new filings, %d alerts enqueued, %d parsed, %d sent, %d failed, %d pending "
                 "(%.1fs)", "ok" if outcome.ok else f"incomplete ({outcome.reason})", outcome.new_filings,
                 outcome.enqueued, outcome.parsed, outcome.sent, outcome.failed, outcome.pending,
                 outcome.seconds)
        return outcome

    # -- the jobs ------------------------------------------------------------------------------------
    def poll_job(self) -> None:
        """Discover once: never waits for documents or deliveries."""
        if self.stop_event.is_set():
            return
        try:
            self._poll()
        finally:
            self._replan_poll()

    def _poll(self) -> None:
        comps = self.components
        cycle = comps.cycle
        try:
            with comps.in_use():
                found = cycle.discover()
        except StoreError as exc:
            cycle.store_down(exc)
            return
        except Exception:
            self.metrics.polls.labels("error").inc()
            log.exception("poll failed unexpectedly; the next one will run")
            return
        self._last_outcome = CycleOutcome(ok=found.ok, reason=found.reason, new_filings=found.new_filings,
                                          enqueued=found.enqueued)
        self.watchdog.observe(ok=found.ok, generated_at=found.generated_at,
                              newest_release=found.newest_release, last_success=self._last_poll())
        if found.enqueued:
            self._wake.set()

    def _replan_poll(self) -> None:
        """Time the next poll from what this one saw. APScheduler asks the trigger for the next
        fire time when a poll starts, before the poll has seen the feed's new regeneration; timed
        then, the cadence would think that regeneration overdue and poll again within a second,
        two requests per regeneration where one is enough."""
        scheduler = self.scheduler
        if scheduler is None or not scheduler.running or self.stop_event.is_set():
            return
        at, why, interval = self.plan.next_poll(datetime.now(UTC))
        self.plan.note(why, interval)
        try:
            scheduler.modify_job("poll", next_run_time=at)
        except Exception as exc:  # the scheduler shutting down under us: nothing left to plan
            log.debug("could not re-time the next poll: %s", exc)

    def _last_poll(self) -> datetime | None:
        """The last successful poll by any instance, as the store records it."""
        from monitor.hkexnews.discovery import META_LAST_POLL

        try:
            raw = self.components.store.get_meta(META_LAST_POLL)
            return datetime.fromisoformat(raw) if raw else None
        except (StoreError, ValueError):
            return None

    def _results_today(self, day: Any) -> list[str]:
        codes = {w.code for w in self.settings.watch}
        return [e.code for e in Calendar(self.components.store).meetings_on(day, codes)]

    def watchdog_job(self) -> None:
        try:
            if self.watchdog.check(self.components.store):
                self._wake.set()
        except StoreError as exc:
            log.error("alarm check skipped: the store is unavailable (%s)", exc)

    def enqueue_messages(self, kind: str, alerts: list[tuple[str, str, dict[str, Any]]]) -> int:
        store = self.components.store
        new = sum(store.enqueue_message(aid, channel, kind, data) for aid, channel, data in alerts)
        if new:
            self._wake.set()
        return new

    def due_job(self) -> None:
        """"Results due, not out": once per stock and meeting day, after its last window."""
        try:
            alerts = due_alerts(Calendar(self.components.store), self.settings, datetime.now(HKT))
            if self.enqueue_messages(DUE_KIND, alerts):
                log.warning("results due and not out: %s", ", ".join(sorted({a[0] for a in alerts})))
        except StoreError as exc:
            log.error("results-due check skipped: the store is unavailable (%s)", exc)

    def digest_job(self) -> None:
        try:
            new = self.enqueue_messages(DIGEST_KIND, digest_alerts(Calendar(self.components.store),
                                                                   self.settings, datetime.now(HKT)))
            log.info("weekly digest: %d message(s) enqueued", new)
        except StoreError as exc:
            log.error("weekly digest skipped: the store is unavailable (%s)", exc)

    def reconcile_job(self) -> None:
        """Once a day, once per cluster: compare the day's title search with what the feed found."""
        today = datetime.now(HKT).date()
        store = self.components.store
        try:
            if store.get_record(RECONCILED, today.isoformat()) is not None:
                return
            store.put_record(RECONCILED, today.isoformat(), {"by": self.owner, "at": time.time()},
                             ttl_s=7 * 86_400)
            self.reconcile(today)
        except (StoreError, SourceError) as exc:
            log.error("reconciliation of %s failed (%s); it runs again tomorrow, or use "
                      "`hkex-monitor reconcile --date %s`", today, exc, today)

    def reconcile(self, day: Any) -> Reconciliation:
        """Title-search every watched stock for ``day``; alert what the feed path missed."""
        comps = self.components
        result = comps.discovery.reconcile(day, [w.code for w in comps.settings.watch])
        for filing in result.missed:
            log.error("DEFECT: the feed path missed filing %s (%s, %s, released %s); alerting it now, marked "
                      "as found late", filing.id, "/".join(filing.stock_codes), filing.title,
                      filing.released_at.isoformat())
            comps.cycle.admit_late(filing)
        comps.discovery.commit_reconciliation(result)
        for code, why in result.unchecked:
            log.warning("reconciliation of %s could not check %s: %s", day, code, why)
        log.info("reconciliation of %s: %d stocks compared, %d filings listed, %d missed by the feed, %d not "
                 "checked", day, len(result.compared), sum(len(c.listed) for c in result.compared),
                 len(result.missed), len(result.unchecked))
        if result.missed:
            self._wake.set()
        return result

    def _reader(self) -> None:
        """A document reader: takes one document at a time from the shared queue."""
        while not self.stop_event.is_set():
            try:
                with self.components.in_use() as comps:
                    if comps.cycle.read_documents(limit=1, block_s=1.0):
                        self._wake.set()
            except StoreError as exc:
                log.error("document reader paused: the store is unavailable (%s)", exc)
                self.stop_event.wait(5)
            except Exception:
                log.exception("document reader failed unexpectedly; it goes on")
                self.stop_event.wait(1)

    def _deliverer(self) -> None:
        """Sends what is ready whenever something is, and every few seconds in any case."""
        while not self.stop_event.is_set():
            self._wake.wait(DELIVERY_EVERY_S)
            self._wake.clear()
            if self.stop_event.is_set():
                break
            try:
                with self.components.in_use() as comps:
                    outcome = comps.cycle.deliver()
                if outcome.sent or outcome.failed:
                    log.info("delivery: %d sent, %d failed, %d pending", outcome.sent, outcome.failed,
                             outcome.pending)
            except StoreError as exc:
                log.error("delivery paused: the store is unavailable (%s); nothing is lost", exc)
                self.stop_event.wait(5)
            except Exception:
                log.exception("delivery failed unexpectedly; it goes on")

    def heartbeat(self) -> None:
        self.metrics.heartbeat.set(time.time())
        try:
            backlog = self.components.store.document_backlog()
        except StoreError:
            return
        pool = self.components.parse_pool
        if pool is not None:
            stats = pool.stats()
            self.metrics.parse_workers.labels("alive").set(stats.alive)
            self.metrics.parse_workers.labels("busy").set(stats.busy)
            for reason, n in stats.restarts.items():
                self.metrics.parse_worker_restarts.labels(reason).set(n)
        self.metrics.documents.labels("waiting").set(backlog.waiting)
        self.metrics.documents.labels("in_progress").set(backlog.in_progress)
        self.metrics.oldest_document.set(backlog.oldest_s or 0)

    def reload_if_changed(self, *, force: bool = False) -> bool:
        """Apply an edited config file; keep the last good one when the edit is bad."""
        if self.config_path is None:
            return False
        with self._reload_lock:
            fingerprint = _fingerprint(self.config_path)
            if fingerprint is None or (fingerprint == self._fingerprint and not force):
                return False
            self._fingerprint = fingerprint
            try:
                new = load_settings(self.config_path)
            except ConfigError as exc:
                self.metrics.config_reloads.labels("rejected").inc()
                log.error("config edit rejected, still running on the last good config:\n%s", exc)
                return False
            old = self.components
            try:
                self.components = build(new, self.metrics, stop=self.stop_event, owner=self.owner,
                                        parse=self._parse, lasting=self.lasting, stream=self._stream,
                                        parse_pool=old.parse_pool)
            except MonitorError as exc:
                self.metrics.config_reloads.labels("rejected").inc()
                log.error("config edit could not be applied (%s); still running on the last good config", exc)
                return False
            old.retire(keep_pool=self.components.parse_pool is old.parse_pool)
        self.watchdog.settings = new
        self.plan.schedule = new.schedule
        self._apply_to_jobs(old.settings, new)
        self.metrics.config_reloads.labels("applied").inc()
        log.info("config reloaded from %s: %d stocks watched", self.config_path, len(new.watch))
        try:
            moved = reroute_stranded(self.components.store, new)
            if moved:
                log.warning("re-routed %d pending alert(s) whose channel the config no longer routes "
                            "them to: %s", len(moved), "; ".join(moved))
                self._wake.set()
        except StoreError as exc:
            log.error("could not re-route pending alerts after the reload (%s); `hkex-monitor alerts "
                      "reroute` does it by hand", exc)
        return True

    def _apply_to_jobs(self, old: Settings, new: Settings) -> None:
        """What a reload changes outside the components: job intervals, the cron jobs, the health
        endpoint's address. (The poll plan reads its settings at each poll.)"""
        if self.scheduler is not None and new.daemon.heartbeat_s != old.daemon.heartbeat_s:
            self.scheduler.reschedule_job("heartbeat", trigger="interval", seconds=new.daemon.heartbeat_s)
        if self.scheduler is not None and new.daemon.reload_check_s != old.daemon.reload_check_s \
                and self.scheduler.get_job("reload") is not None:
            self.scheduler.reschedule_job("reload", trigger="interval", seconds=new.daemon.reload_check_s)
        if self.scheduler is not None and new.digest != old.digest:
            self._schedule_digest(self.scheduler, new)
        if self.scheduler is not None and new.daemon.reconcile_at != old.daemon.reconcile_at:
            self._schedule_reconcile(self.scheduler, new)
        if (new.daemon.http_host, new.daemon.http_port) != (old.daemon.http_host, old.daemon.http_port):
            self._move_health(new)

    def _move_health(self, new: Settings) -> None:
        """Serve /healthz and /metrics where the new config says (0: nowhere); on a busy port keep
        the old endpoint and say so."""
        if self.scheduler is None:
            return  # not running (once, tests): nothing is served
        old = self.health
        if new.daemon.http_port:
            try:
                moved = HealthServer(new.daemon.http_host, new.daemon.http_port, self.metrics, self.status)
            except OSError as exc:
                log.error("daemon.http_port %s on %s cannot be used (%s); /healthz and /metrics stay where "
                          "they were", new.daemon.http_port, new.daemon.http_host, exc.strerror or exc)
                return
            moved.start()
            self.health = moved
            log.info("health and metrics moved to %s/healthz and /metrics", moved.address)
        else:
            self.health = None
            log.info("health and metrics endpoint closed (daemon.http_port = 0)")
        if old is not None:
            old.stop()

    def status(self) -> dict[str, Any]:
        now = time.time()
        last_ok = self.metrics.last_success._value.get() or None  # noqa: SLF001 - read our own gauge
        beat = self.metrics.heartbeat._value.get() or self._started  # noqa: SLF001
        limit = 3 * self.settings.schedule.off_window_s + 120
        fresh = (now - last_ok < limit) if last_ok else (now - self._started < limit)
        alive = now - beat < 3 * self.settings.daemon.heartbeat_s + 5
        outcome = self._last_outcome
        alarms = self.watchdog.raised
        healthy = fresh and alive and not alarms and not self.stop_event.is_set()
        return {"ok": bool(healthy), "owner": self.owner,
                "watching": len(self.settings.watch), "store": redact_url(self.settings.store.url),
                "last_successful_poll": last_ok, "last_cycle": outcome.__dict__ if outcome else None,
                "alarms": alarms, "in_window": in_window(datetime.now(UTC)),
                "stopping": self.stop_event.is_set()}

    # -- lifecycle ---------------------------------------------------------------------------------------
    def _schedule_digest(self, scheduler: BackgroundScheduler, settings: Settings) -> None:
        if scheduler.get_job("digest") is not None:
            scheduler.remove_job("digest")
        if settings.digest.enabled:
            hour, minute = (int(p) for p in settings.digest.time.split(":"))
            scheduler.add_job(self.digest_job, CronTrigger(day_of_week=settings.digest.day, hour=hour,
                                                           minute=minute, timezone=HKT),
                              id="digest", name="weekly digest")

    def _schedule_reconcile(self, scheduler: BackgroundScheduler, settings: Settings) -> None:
        if scheduler.get_job("reconcile") is not None:
            scheduler.remove_job("reconcile")
        hour, minute = (int(p) for p in settings.daemon.reconcile_at.split(":"))
        scheduler.add_job(self.reconcile_job, CronTrigger(hour=hour, minute=minute, timezone=HKT),
                          id="reconcile", name="reconcile the day")

    def request_stop(self, signum: int | None = None, _frame: object = None) -> None:
        if signum is not None:
            log.info("received %s: finishing the send in flight, starting nothing new, then exiting",
                     signal.Signals(signum).name)
        self.stop_event.set()
        self._wake.set()

    def _on_sighup(self, _signum: int, _frame: object) -> None:
        log.info("received SIGHUP: reloading %s", self.config_path or "the configuration")
        threading.Thread(target=self.reload_if_changed, kwargs={"force": True}, name="reload",
                         daemon=True).start()

    def _start_thread(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def run(self, *, readers: int | None = None) -> int:
        """Run until stopped; ``readers``: document reader threads (default: one per parse worker)."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.request_stop)
            signal.signal(signal.SIGINT, self.request_stop)
            signal.signal(signal.SIGHUP, self._on_sighup)
        settings = self.settings
        self.health = None
        grace = int(settings.schedule.misfire_grace_s)
        scheduler = BackgroundScheduler(timezone=UTC, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": grace})
        scheduler.add_listener(self._job_error, EVENT_JOB_ERROR)
        scheduler.add_job(self.poll_job, PollTrigger(self.plan), id="poll", name="poll HKEXnews")
        scheduler.add_job(self.heartbeat, "interval", seconds=settings.daemon.heartbeat_s, id="heartbeat",
                          next_run_time=datetime.now(UTC))
        scheduler.add_job(self.watchdog_job, "interval", seconds=WATCHDOG_EVERY_S, id="watchdog")
        scheduler.add_job(self.due_job, "interval", seconds=DUE_CHECK_EVERY_S, id="results_due",
                          next_run_time=datetime.now(UTC))
        if self.config_path is not None:
            scheduler.add_job(self.reload_if_changed, "interval", seconds=settings.daemon.reload_check_s,
                              id="reload")
        self._schedule_digest(scheduler, settings)
        self._schedule_reconcile(scheduler, settings)
        self.scheduler = scheduler
        if settings.daemon.http_port:
            try:
                self.health = HealthServer(settings.daemon.http_host, settings.daemon.http_port, self.metrics,
                                           self.status)
            except OSError as exc:
                self.components.close()
                raise ConfigError(
                    f"daemon.http_port {settings.daemon.http_port} on {settings.daemon.http_host} cannot be "
                    f"used ({exc.strerror or exc}): another hkex-monitor may be running on this host. Set a "
                    f"different daemon.http_port, 0 to disable the endpoint, or run with --no-http") from None
        try:
            if self.health is not None:
                self.health.start()
                log.info("health and metrics on %s/healthz and /metrics", self.health.address)
            pool = self.components.parse_pool
            for n in range(max(1, readers or (pool.size if pool is not None else 1))):
                self._start_thread(self._reader, f"reader-{n + 1}")
            self._start_thread(self._deliverer, "deliverer")
            scheduler.start()
            log.info("hkex-monitor running: %d stocks, HKEXnews at %s, store %s, output %s",
                     len(settings.watch), settings.hkexnews.base_url, redact_url(settings.store.url),
                     settings.slack.mode)
            while not self.stop_event.wait(0.5):
                pass
        finally:
            self.stop_event.set()
            self._wake.set()
            if scheduler.running:
                scheduler.shutdown(wait=False)
            deadline = time.monotonic() + STOP_WAIT_S
            for thread in self._threads:
                thread.join(max(0.0, deadline - time.monotonic()))
            if self.health is not None:
                self.health.stop()
            self.components.close()
            log.info("hkex-monitor stopped cleanly")
        return 0

    def _job_error(self, event: JobExecutionEvent) -> None:
        log.error("scheduled job %s failed: %s", event.job_id, event.exception)
