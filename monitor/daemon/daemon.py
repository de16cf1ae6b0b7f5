"""The long-running process: its lifecycle, the threads that run side by side, and its health.

Lifecycle (explicit, like rq's worker): ``Daemon.run()`` installs signal handlers (SIGTERM/SIGINT
set a stop flag; SIGHUP asks for a config reload), starts the health endpoint, the document readers
and the delivery loop (threads), and the scheduled jobs (``monitor.schedule.jobs``), then waits for
the flag. On stop: no new send or document is started, the send in flight finishes, a parse in
flight is abandoned (its document is read again later, by this or another instance), the
scheduler shuts down, and the store is closed in ``finally``.

The jobs never wait for each other: polling runs on its own schedule whatever the backlog of
documents, readers take documents from the store's queue, newest first, and the delivery loop
sends what is ready. What must survive a config reload lives outside the rebuilt components
(``Lasting``, and the HKEXnews politeness budget and cool-off, kept in the store).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from monitor.calendar import Calendar
from monitor.daemon.components import Components, Lasting, build, instance_id
from monitor.daemon.jobs import DaemonJobs
from monitor.daemon.liveness import Heartbeat
from monitor.daemon.reload import Reloader
from monitor.daemon.rounds import RoundOutcome, run_round
from monitor.documents.reader import ParseFn
from monitor.errors import ConfigError, StoreError
from monitor.filing import Filing
from monitor.hkexnews.discovery import Reconciliation
from monitor.metrics import Metrics
from monitor.ops.health import HealthServer
from monitor.ops.watchdog import Watchdog
from monitor.routing import reader_for
from monitor.schedule.jobs import Jobs, Schedule
from monitor.schedule.plan import PollPlan
from monitor.schedule.windows import in_window
from monitor.secrets import redact_url
from monitor.settings import Settings
from parsers.kinds import DocumentKind

log = logging.getLogger(__name__)

DELIVERY_EVERY_S = 2.0  # the delivery loop's pace when nothing wakes it
DELIVERY_CHUNK = 20  # messages per delivery round before looking again for what is newest
STORE_DOWN_WAIT_S = 5.0  # a loop that found the store down tries again after this
STOP_WAIT_S = 5.0  # how long a stop waits for threads (a parse in flight is abandoned)


class Daemon:
    def __init__(self, settings: Settings, *, config_path: Path | None = None,
                 metrics: Metrics | None = None, stream: TextIO | None = None,
                 parse: ParseFn | None = None, wait_out_pauses: bool = True) -> None:
        self.metrics = metrics or Metrics()
        self.stop_event = threading.Event()
        self.owner = instance_id()
        self.config_path = config_path
        self._stream = stream
        self._wake = threading.Event()  # something is ready to deliver
        self._started = time.time()
        self._parse = parse  # None: warm parse workers (the pool travels with the components)
        self.lasting = Lasting()
        self._wait_out_pauses = wait_out_pauses
        self.components = build(settings, self.metrics, stop=self.stop_event, owner=self.owner,
                                parse=self._parse, lasting=self.lasting, stream=stream,
                                wait_out_pauses=wait_out_pauses)
        self.watchdog = Watchdog(settings, self.metrics)
        self.plan = PollPlan(settings.schedule, cadence=self.lasting.cadence,
                             results_days=self.lasting.results_days, metrics=self.metrics)
        self.jobs = DaemonJobs(lambda: self.components, self.metrics, self.watchdog,
                               self.lasting.results_days, owner=self.owner, wake=self._wake,
                               stop=self.stop_event)
        self.reloader = (Reloader(config_path, self.metrics, self._rebuild, wake=self._wake)
                         if config_path is not None else None)
        self.schedule: Schedule | None = None
        self.health: HealthServer | None = None
        self.heartbeat = Heartbeat(lambda: self.components.store, self.owner, role="daemon")
        self._threads: list[threading.Thread] = []
        self._last_beat: float | None = None
        self._exit_status = 0  # 130 after Ctrl-C, 141 when the console output's reader went away
        self._said: dict[str, str | None] = {}  # what was last said of the store, per loop
        self._said_lock = threading.Lock()

    @property
    def settings(self) -> Settings:
        return self.components.settings

    # -- what a round, a reload and a reconciliation do ------------------------------------------------
    def one_round(self) -> RoundOutcome | None:
        """Discover, read what is queued, deliver (``once``, the demo, tests); never raises but for
        an interruption (Ctrl-C, a closed output pipe), after giving back what it held."""
        if self.stop_event.is_set():
            return None
        self.heartbeat.start()
        try:
            with self.components.in_use() as comps:
                outcome = run_round(comps)
        except (KeyboardInterrupt, BrokenPipeError):
            self.give_back()
            raise
        except Exception as exc:
            self.metrics.polls.labels("error").inc()
            log.exception("the round failed unexpectedly (%s)", exc)
            return None
        log.info("%s: %d new filing%s, %d alert%s enqueued, %d document%s read, %d sent, %d not sent, %d "
                 "pending (%.1fs)", "round done" if outcome.ok else f"round incomplete ({outcome.reason})",
                 outcome.new_filings, _s(outcome.new_filings), outcome.enqueued, _s(outcome.enqueued),
                 outcome.read, _s(outcome.read), outcome.sent, outcome.failed, outcome.pending,
                 outcome.seconds)
        return outcome

    def give_back(self) -> None:
        """What this process holds goes back for the next run or another instance to take at once."""
        comps = self.components
        try:
            comps.deliverer.give_back()
        except StoreError as exc:
            log.debug("could not give back the alerts held: %s", exc)

    def close(self) -> None:
        """A clean end of a process that ran rounds (``once``, ``backfill``, ``reconcile``)."""
        self.give_back()
        self.heartbeat.stop()
        self.components.close()

    def reconcile(self, day: date) -> Reconciliation:
        return self.jobs.reconcile(day)

    def reload_if_changed(self, *, force: bool = False) -> bool:
        return self.reloader.reload(force=force) if self.reloader is not None else False

    def _reload_check(self) -> None:
        self.reload_if_changed()

    def _rebuild(self, new: Settings) -> Components:
        """Swap in components built for ``new``; the old ones close when their last step ends."""
        old = self.components
        self.components = build(new, self.metrics, stop=self.stop_event, owner=self.owner, parse=self._parse,
                                lasting=self.lasting, stream=self._stream, parse_pool=old.parse_pool,
                                wait_out_pauses=self._wait_out_pauses)
        old.retire(keep_pool=self.components.parse_pool is old.parse_pool)
        self.watchdog.settings = new
        if self.schedule is not None:
            self.schedule.apply(new)
        else:
            self.plan.schedule = new.schedule
        if (new.daemon.http_host, new.daemon.http_port) != (old.settings.daemon.http_host,
                                                            old.settings.daemon.http_port):
            self._move_health(new)
        return self.components

    # -- the threads -----------------------------------------------------------------------------------
    def _store_down(self, what: str, exc: StoreError | None) -> None:
        """Say once (not once per thread, nor every few seconds) that the store stopped or came back."""
        with self._said_lock:
            said, self._said[what] = self._said.get(what), (str(exc) if exc is not None else None)
        if exc is None and said is not None:
            log.info("%s going again: the store answers", what)
        elif exc is not None and str(exc) != said:
            log.error("%s paused: the store is unavailable (%s); nothing is lost", what, exc)

    def _reader(self) -> None:
        """A document reader: takes one document at a time from the shared queue."""
        while not self.stop_event.is_set():
            try:
                with self.components.in_use() as comps:
                    comps.reader.read_documents(limit=1, block_s=1.0, then=self._read_one)
                self._store_down("reading documents", None)
            except StoreError as exc:
                self._store_down("reading documents", exc)
                self.stop_event.wait(STORE_DOWN_WAIT_S)
            except Exception:
                log.exception("document reader failed unexpectedly; it goes on")
                self.stop_event.wait(1)

    def _read_one(self, filing: Filing) -> None:
        """A document was read: its filing's alerts go out now, and a notice's date is polled for."""
        self._wake.set()
        if reader_for(filing) is DocumentKind.BOARD_MEETING:
            comps = self.components
            self.jobs.refresh_results_days(Calendar(comps.store), comps)

    def _deliverer(self) -> None:
        """Sends what is ready whenever something is, and every few seconds in any case."""
        while not self.stop_event.is_set():
            self._wake.wait(DELIVERY_EVERY_S)
            self._wake.clear()
            if self.stop_event.is_set():
                break
            try:
                with self.components.in_use() as comps:
                    outcome = comps.deliverer.deliver_pending(limit=DELIVERY_CHUNK)
                if outcome.more:
                    self._wake.set()  # the rest of a backlog, after whatever appeared meanwhile
                if outcome.sent or outcome.failed:
                    log.info("delivery: %d sent, %d not sent, %d pending", outcome.sent, outcome.failed,
                             outcome.pending)
                self._store_down("delivery", None)
            except StoreError as exc:
                self._store_down("delivery", exc)
                self.stop_event.wait(STORE_DOWN_WAIT_S)
            except BrokenPipeError:
                log.error("the output's reader went away (a closed pipe): stopping; what was not printed "
                          "stays pending")
                self._exit_status = 141
                self.request_stop()
            except Exception:
                log.exception("delivery failed unexpectedly; it goes on")

    def _heartbeat(self) -> None:
        self._last_beat = time.time()
        self.jobs.heartbeat()

    # -- health ----------------------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        now = time.time()
        last = self.jobs.last_poll
        last_ok = last.at if last is not None and last.ok else None
        limit = 3 * self.settings.schedule.off_window_s + 120
        fresh = (now - last_ok < limit) if last_ok else (now - self._started < limit)
        alive = now - (self._last_beat or self._started) < 3 * self.settings.daemon.heartbeat_s + 5
        alarms = self.watchdog.raised
        healthy = fresh and alive and not alarms and not self.stop_event.is_set()
        return {"ok": bool(healthy), "owner": self.owner,
                "watching": len(self.settings.watch), "store": redact_url(self.settings.store.url),
                "last_successful_poll": last_ok, "last_poll": asdict(last) if last else None,
                "alarms": alarms, "in_window": in_window(datetime.now(UTC)),
                "stopping": self.stop_event.is_set()}

    def _move_health(self, new: Settings) -> None:
        """Serve /healthz and /metrics where the new config says (0: nowhere); on a busy port keep
        the old endpoint and say so."""
        if self.schedule is None:
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

    # -- lifecycle -------------------------------------------------------------------------------------
    def request_stop(self, signum: int | None = None, _frame: object = None) -> None:
        if signum is not None:
            log.info("received %s: finishing the send in flight, starting nothing new, then exiting",
                     signal.Signals(signum).name)
            if signum == signal.SIGINT:
                self._exit_status = 130
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
        """Run until stopped; ``readers``: document reader threads (default: one per parse worker).
        Exit status 0 after SIGTERM, 130 after Ctrl-C (SIGINT), 141 when the console's reader went away."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.request_stop)
            signal.signal(signal.SIGINT, self.request_stop)
            signal.signal(signal.SIGHUP, self._on_sighup)
        settings = self.settings
        jobs = self.jobs
        self.schedule = Schedule(settings, self.plan, Jobs(
            poll=jobs.poll, heartbeat=self._heartbeat, alarms=jobs.alarms, calendar=jobs.calendar,
            digest=jobs.digest, reconcile=jobs.reconcile_today,
            reload=self._reload_check if self.reloader is not None else None))
        self.health = None
        if settings.daemon.http_port:
            try:
                self.health = HealthServer(settings.daemon.http_host, settings.daemon.http_port, self.metrics,
                                           self.status)
            except OSError as exc:
                self.components.close()
                raise ConfigError(_port_problem(settings, exc)) from None
        try:
            if self.health is not None:
                self.health.start()
                log.info("health and metrics on %s/healthz and /metrics", self.health.address)
            self.heartbeat.start()
            pool = self.components.parse_pool
            for n in range(max(1, readers or (pool.size if pool is not None else 1))):
                self._start_thread(self._reader, f"reader-{n + 1}")
            self._start_thread(self._deliverer, "deliverer")
            self.schedule.start()
            log.info("hkex-monitor running: %d stock%s, HKEXnews at %s, store %s, output %s",
                     len(settings.watch), _s(len(settings.watch)), settings.hkexnews.base_url,
                     redact_url(settings.store.url), settings.slack.mode)
            while not self.stop_event.wait(0.5):
                pass
        finally:
            self.stop_event.set()
            self._wake.set()
            self.schedule.shutdown()
            deadline = time.monotonic() + STOP_WAIT_S
            for thread in self._threads:
                thread.join(max(0.0, deadline - time.monotonic()))
            pool = self.components.parse_pool
            if pool is not None and any(t.is_alive() for t in self._threads):
                pool.close()  # a parse still in flight ends: its reader hands the document back
                for thread in self._threads:
                    thread.join(STOP_WAIT_S)
            if self.health is not None:
                self.health.stop()
            self.give_back()
            self.heartbeat.stop()
            self.components.close()
            log.info("hkex-monitor stopped cleanly")
        return self._exit_status


def _port_problem(settings: Settings, exc: OSError) -> str:
    """What a failed bind of the health endpoint means, and what to do: a port in use is another
    process; an address that is not this host's is a wrong setting."""
    host, port = settings.daemon.http_host, settings.daemon.http_port
    import errno

    if exc.errno == errno.EADDRINUSE:
        return (f"daemon.http_port {port} on {host} is in use ({exc.strerror}): another hkex-monitor may be "
                f"running on this host. Set a different daemon.http_port, 0 to disable the endpoint, or run "
                f"with --no-http")
    return (f"daemon.http_host {host!r} cannot be listened on ({exc.strerror or exc}): give an address of "
            "this host (127.0.0.1, or 0.0.0.0 for every interface) in daemon.http_host or "
            "HKEX_MONITOR_HTTP_HOST")


def _s(n: int) -> str:
    return "" if n == 1 else "s"
