"""The long-running process: wiring, APScheduler jobs, hot reload, signals, health.

Lifecycle (explicit, like rq's worker): ``Daemon.run()`` installs SIGTERM/SIGINT handlers that set
a stop flag, starts the scheduler (poll, heartbeat, config-reload jobs) and the health endpoint,
waits for the flag, then shuts the scheduler down *waiting for the job in flight* and closes the
store in ``finally``. A cycle that is stopped part-way leaves its remaining alerts pending in the
store; the next start sends them. Exit status 0.
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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler

from monitor.cycle import Cycle, CycleOutcome
from monitor.errors import ConfigError, MonitorError
from monitor.health import HealthServer
from monitor.metrics import Metrics
from monitor.settings import Settings, load_settings
from monitor.windows import PublicationWindowTrigger, in_window

log = logging.getLogger(__name__)


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

    def close(self) -> None:
        for part in (self.client, self.store):
            close = getattr(part, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:  # closing must never stop a shutdown
                    log.debug("error while closing %r", part, exc_info=True)


def instance_id() -> str:
    """Owner name for store claims: host, pid and a random suffix (unique across restarts)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def build(settings: Settings, metrics: Metrics, *, stop: threading.Event, owner: str,
          stream: TextIO | None = None, isolate_parser: bool = True) -> Components:
    """Wire store, HKEXnews client, discovery, notifier, deliverer and cycle for one config."""
    from monitor.delivery import Deliverer
    from monitor.discovery import Discovery
    from monitor.hkexnews import HKEXnewsClient
    from monitor.store import open_store
    from notifiers.registry import build_notifier

    store = open_store(settings.store.url, namespace=settings.store.namespace,
                       retention_days=settings.store.retention_days)
    client = HKEXnewsClient(settings.hkexnews, metrics=metrics)
    discovery = Discovery(client, store, settings.hkexnews, metrics=metrics)
    notifier = build_notifier(settings.slack, stream=stream)
    deliverer = Deliverer(store, notifier, owner=owner, lease_s=settings.store.lease_s, metrics=metrics)
    parse: Callable[[bytes], dict[str, Any]]
    if isolate_parser:
        from monitor.sandbox import parse_isolated

        parse = partial(parse_isolated, timeout_s=settings.daemon.parse_timeout_s,
                        memory_mb=settings.daemon.parse_memory_mb)
    else:
        from parsers.results import parse_results

        def parse_in_process(data: bytes) -> dict[str, Any]:
            return parse_results(data).to_json_dict()

        parse = parse_in_process

    cycle = Cycle(settings, store, client, discovery, deliverer, metrics, parse, stop=stop)
    return Components(settings, store, client, discovery, notifier, deliverer, cycle)


def _fingerprint(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Daemon:
    def __init__(self, settings: Settings, *, config_path: Path | None = None,
                 metrics: Metrics | None = None, stream: TextIO | None = None) -> None:
        self.metrics = metrics or Metrics()
        self.stop_event = threading.Event()
        self.owner = instance_id()
        self.config_path = config_path
        self._stream = stream
        self._fingerprint = _fingerprint(config_path) if config_path else None
        self._lock = threading.Lock()  # one cycle at a time, and no reload during a cycle
        self._last_outcome: CycleOutcome | None = None
        self._started = time.time()
        self.components = build(settings, self.metrics, stop=self.stop_event, owner=self.owner,
                                stream=stream)
        self.scheduler: BackgroundScheduler | None = None

    @property
    def settings(self) -> Settings:
        return self.components.settings

    # -- jobs ---------------------------------------------------------------------------------
    def poll_once(self) -> CycleOutcome | None:
        """One cycle; never raises (a failing poll is logged and the next one runs)."""
        if self.stop_event.is_set():
            return None
        with self._lock:
            try:
                outcome = self.components.cycle.run()
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

    def heartbeat(self) -> None:
        self.metrics.heartbeat.set(time.time())

    def reload_if_changed(self) -> bool:
        """Apply an edited config file; keep the last good one when the edit is bad."""
        if self.config_path is None:
            return False
        fingerprint = _fingerprint(self.config_path)
        if fingerprint is None or fingerprint == self._fingerprint:
            return False
        self._fingerprint = fingerprint
        try:
            new = load_settings(self.config_path)
        except ConfigError as exc:
            self.metrics.config_reloads.labels("rejected").inc()
            log.error("config edit rejected, still running on the last good config:\n%s", exc)
            return False
        with self._lock:
            old = self.components
            try:
                self.components = build(new, self.metrics, stop=self.stop_event, owner=self.owner,
                                        stream=self._stream)
            except MonitorError as exc:
                self.metrics.config_reloads.labels("rejected").inc()
                log.error("config edit could not be applied (%s); still running on the last good config", exc)
                return False
            old.close()
        if self.scheduler is not None and new.schedule != old.settings.schedule:
            self.scheduler.reschedule_job("poll", trigger=self._trigger(new))
        self.metrics.config_reloads.labels("applied").inc()
        log.info("config reloaded from %s: %d stocks watched", self.config_path, len(new.watch))
        return True

    def status(self) -> dict[str, Any]:
        now = time.time()
        last_ok = self.metrics.last_success._value.get() or None  # noqa: SLF001 - read our own gauge
        beat = self.metrics.heartbeat._value.get() or self._started  # noqa: SLF001
        limit = 3 * self.settings.schedule.off_window_s + 120
        fresh = (now - last_ok < limit) if last_ok else (now - self._started < limit)
        alive = now - beat < 3 * self.settings.daemon.heartbeat_s + 5
        outcome = self._last_outcome
        return {"ok": bool(fresh and alive and not self.stop_event.is_set()), "owner": self.owner,
                "watching": len(self.settings.watch), "last_successful_poll": last_ok,
                "last_cycle": outcome.__dict__ if outcome else None, "in_window": in_window_now(),
                "stopping": self.stop_event.is_set()}

    # -- lifecycle ----------------------------------------------------------------------------
    def _trigger(self, settings: Settings) -> PublicationWindowTrigger:
        return PublicationWindowTrigger(settings.schedule.in_window_s, settings.schedule.off_window_s)

    def request_stop(self, signum: int | None = None, _frame: object = None) -> None:
        if signum is not None:
            log.info("received %s: finishing the job in flight, then exiting", signal.Signals(signum).name)
        self.stop_event.set()

    def run(self) -> int:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self.request_stop)
            signal.signal(signal.SIGINT, self.request_stop)
        settings = self.settings
        health: HealthServer | None = None
        grace = int(settings.schedule.misfire_grace_s)
        scheduler = BackgroundScheduler(timezone=UTC, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": grace})
        scheduler.add_listener(self._job_error, EVENT_JOB_ERROR)
        scheduler.add_job(self.poll_once, self._trigger(settings), id="poll", name="poll HKEXnews")
        scheduler.add_job(self.heartbeat, "interval", seconds=settings.daemon.heartbeat_s, id="heartbeat",
                          next_run_time=datetime.now(UTC))
        if self.config_path is not None:
            scheduler.add_job(self.reload_if_changed, "interval", seconds=settings.daemon.reload_check_s,
                              id="reload")
        self.scheduler = scheduler
        try:
            if settings.daemon.http_port:
                health = HealthServer(settings.daemon.http_host, settings.daemon.http_port, self.metrics,
                                      self.status)
                health.start()
                log.info("health and metrics on %s/healthz and /metrics", health.address)
            scheduler.start()
            log.info("hkex-monitor running: %d stocks, HKEXnews at %s, store %s, output %s",
                     len(settings.watch), settings.hkexnews.base_url, _safe_url(settings.store.url),
                     settings.slack.mode)
            while not self.stop_event.wait(0.5):
                pass
        finally:
            scheduler.shutdown(wait=True)  # waits for the cycle in flight
            if health is not None:
                health.stop()
            self.components.close()
            log.info("hkex-monitor stopped cleanly")
        return 0

    def _job_error(self, event: JobExecutionEvent) -> None:
        log.error("scheduled job %s failed: %s", event.job_id, event.exception)


def in_window_now() -> bool:
    return in_window(datetime.now(UTC))


def _safe_url(url: str) -> str:
    """A store URL without its password, for logs."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
