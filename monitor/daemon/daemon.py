"""The long-running process: its lifecycle.

Lifecycle (explicit, like rq's worker): ``Daemon.run()`` installs signal handlers (SIGTERM/SIGINT
set a stop flag; SIGHUP asks for a config reload), opens the health endpoint (``status``), starts
the document readers and the delivery lanes (``loops``, threads), and the scheduled jobs
(``monitor.schedule.jobs``), then waits for the flag. On stop: no new send or document is started,
the send in flight finishes, a parse in flight is abandoned (its document is read again later, by
this or another instance), the scheduler shuts down, what this process holds is given back, and
the store is closed in ``finally``.

The jobs never wait for each other: polling runs on its own schedule whatever the backlog of
documents, readers take documents from the store's queue (high priority first, oldest first within
a priority: a filing published into a backlog has its first notice at once and its figures after the
documents ahead of it, BENCHMARKS.md "Findings" 10), and the delivery lanes send what is ready,
newest first (figures for first notices already posted in a lane of their own). What must survive
a config reload lives outside the rebuilt components (``Lasting``, and the HKEXnews politeness
budget and cool-off, kept in the store).
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import date
from pathlib import Path
from typing import TextIO

from monitor.daemon.components import Components, Lasting, build, instance_id
from monitor.daemon.jobs import DaemonJobs
from monitor.daemon.liveness import Heartbeat
from monitor.daemon.loops import Loops
from monitor.daemon.reload import Reloader
from monitor.daemon.rounds import RoundOutcome, run_round
from monitor.daemon.status import HealthEndpoint, Status
from monitor.documents.reader import ParseFn
from monitor.errors import StoreError
from monitor.hkexnews.discovery import Reconciliation
from monitor.metrics import Metrics
from monitor.ops.watchdog import Watchdog
from monitor.schedule.jobs import Jobs, Schedule
from monitor.schedule.plan import PollPlan
from monitor.secrets import redact_url
from monitor.settings import Settings

log = logging.getLogger(__name__)

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
        self.status = Status(lambda: self.components.settings, self.jobs, self.watchdog, stop=self.stop_event,
                             owner=self.owner)
        self.health = HealthEndpoint(self.metrics, self.status)
        self.heartbeat = Heartbeat(lambda: self.components.store, self.owner, role="daemon")
        self.loops = Loops(lambda: self.components, self.jobs, stop=self.stop_event, wake=self._wake,
                           on_pipe_closed=self._pipe_closed)
        self._exit_status = 0  # 130 after Ctrl-C, 141 when the console output's reader went away

    @property
    def settings(self) -> Settings:
        return self.components.settings

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
        self.health.move(old.settings, new)
        return self.components

    def request_stop(self, signum: int | None = None, _frame: object = None) -> None:
        if signum is not None:
            log.info("received %s: finishing the send in flight, starting nothing new, then exiting",
                     signal.Signals(signum).name)
            if signum == signal.SIGINT:
                self._exit_status = 130
        self.stop_event.set()
        self.loops.wake()

    def _on_sighup(self, _signum: int, _frame: object) -> None:
        log.info("received SIGHUP: reloading %s", self.config_path or "the configuration")
        threading.Thread(target=self.reload_if_changed, kwargs={"force": True}, name="reload",
                         daemon=True).start()

    def _pipe_closed(self) -> None:
        self._exit_status = 141
        self.request_stop()

    def _heartbeat(self) -> None:
        self.status.beat()
        self.jobs.heartbeat()

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
        try:
            self.health.open(settings)
        except Exception:
            self.components.close()
            raise
        try:
            self.heartbeat.start()
            pool = self.components.parse_pool
            self.loops.start(readers or (pool.size if pool is not None else 1))
            self.schedule.start()
            log.info("hkex-monitor running: watching %s, HKEXnews at %s, store %s, output %s",
                     settings.watching, settings.hkexnews.base_url,
                     redact_url(settings.store.url), settings.slack.mode)
            while not self.stop_event.wait(0.5):
                pass
        finally:
            self.stop_event.set()
            self.loops.wake()
            self.schedule.shutdown()
            pool = self.components.parse_pool
            if not self.loops.join(STOP_WAIT_S) and pool is not None:
                pool.close()  # a parse still in flight ends: its reader hands the document back
                self.loops.join(STOP_WAIT_S)
            self.health.close()
            self.give_back()
            self.heartbeat.stop()
            self.components.close()
            log.info("hkex-monitor stopped cleanly")
        return self._exit_status


def _s(n: int) -> str:
    return "" if n == 1 else "s"
