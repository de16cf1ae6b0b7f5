"""What the running daemon says of itself on /healthz, and where that endpoint is served.

``Status`` answers the health question: the last successful poll is recent enough, the heartbeat
job keeps running, no watchdog alarm is raised, and the process is not stopping.
``HealthEndpoint`` serves it (with /metrics) on the configured address and moves it when a config
reload changes the address; a port in use or an address not of this host is a ``ConfigError``
that says what to do at start, and a logged error that keeps the old endpoint on a reload."""

from __future__ import annotations

import errno
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from monitor.daemon.jobs import DaemonJobs
from monitor.errors import ConfigError
from monitor.metrics import Metrics
from monitor.ops.health import HealthServer
from monitor.ops.watchdog import Watchdog
from monitor.schedule.windows import in_window
from monitor.secrets import redact_url
from monitor.settings import Settings

log = logging.getLogger(__name__)


class Status:
    """The /healthz answer of one daemon process."""

    def __init__(self, settings: Callable[[], Settings], jobs: DaemonJobs, watchdog: Watchdog, *,
                 stop: threading.Event, owner: str) -> None:
        self._settings = settings
        self._jobs = jobs
        self._watchdog = watchdog
        self._stop = stop
        self._owner = owner
        self._started = time.time()
        self._last_beat: float | None = None

    def beat(self) -> None:
        """The heartbeat job ran (the scheduler is alive)."""
        self._last_beat = time.time()

    def __call__(self) -> dict[str, Any]:
        settings = self._settings()
        now = time.time()
        last = self._jobs.last_poll
        last_ok = last.at if last is not None and last.ok else None
        limit = 3 * settings.schedule.off_window_s + 120
        fresh = (now - last_ok < limit) if last_ok else (now - self._started < limit)
        alive = now - (self._last_beat or self._started) < 3 * settings.daemon.heartbeat_s + 5
        alarms = self._watchdog.raised
        healthy = fresh and alive and not alarms and not self._stop.is_set()
        return {"ok": bool(healthy), "owner": self._owner,
                "watching": len(settings.watch), "store": redact_url(settings.store.url),
                "last_successful_poll": last_ok, "last_poll": asdict(last) if last else None,
                "alarms": alarms, "in_window": in_window(datetime.now(UTC)),
                "stopping": self._stop.is_set()}


class HealthEndpoint:
    """/healthz and /metrics where the config says (``daemon.http_port`` 0: nowhere)."""

    def __init__(self, metrics: Metrics, status: Callable[[], dict[str, Any]]) -> None:
        self._metrics = metrics
        self._status = status
        self._server: HealthServer | None = None
        self._opened = False

    @property
    def address(self) -> str | None:
        return self._server.address if self._server is not None else None

    def open(self, settings: Settings) -> None:
        """Start serving; raises ``ConfigError`` when the address cannot be listened on."""
        self._opened = True
        if not settings.daemon.http_port:
            return
        try:
            self._server = HealthServer(settings.daemon.http_host, settings.daemon.http_port, self._metrics,
                                        self._status)
        except OSError as exc:
            raise ConfigError(port_problem(settings, exc)) from None
        self._server.start()
        log.info("health and metrics on %s/healthz and /metrics", self._server.address)

    def move(self, old: Settings, new: Settings) -> None:
        """Serve where ``new`` says if that differs from ``old``; on a busy port keep the old
        endpoint and say so. Nothing is served before ``open`` (``once``, tests)."""
        if not self._opened or ((new.daemon.http_host, new.daemon.http_port)
                                == (old.daemon.http_host, old.daemon.http_port)):
            return
        previous = self._server
        if new.daemon.http_port:
            try:
                moved = HealthServer(new.daemon.http_host, new.daemon.http_port, self._metrics, self._status)
            except OSError as exc:
                log.error("daemon.http_port %s on %s cannot be used (%s); /healthz and /metrics stay where "
                          "they were", new.daemon.http_port, new.daemon.http_host, exc.strerror or exc)
                return
            moved.start()
            self._server = moved
            log.info("health and metrics moved to %s/healthz and /metrics", moved.address)
        else:
            self._server = None
            log.info("health and metrics endpoint closed (daemon.http_port = 0)")
        if previous is not None:
            previous.stop()

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None


def port_problem(settings: Settings, exc: OSError) -> str:
    """What a failed bind of the health endpoint means, and what to do: a port in use is another
    process; an address that is not this host's is a wrong setting."""
    host, port = settings.daemon.http_host, settings.daemon.http_port
    if exc.errno == errno.EADDRINUSE:
        return (f"daemon.http_port {port} on {host} is in use ({exc.strerror}): another hkex-monitor may be "
                f"running on this host. Set a different daemon.http_port, 0 to disable the endpoint, or run "
                f"with --no-http")
    return (f"daemon.http_host {host!r} cannot be listened on ({exc.strerror or exc}): give an address of "
            "this host (127.0.0.1, or 0.0.0.0 for every interface) in daemon.http_host or "
            "HKEX_MONITOR_HTTP_HOST")
