"""Applying an edited config file to a running daemon (a file check every ``reload_check_s``, or
SIGHUP): a bad edit is rejected and the last good config keeps running; a good one rebuilds the
components, re-times the jobs, moves the health endpoint if asked, and re-routes alerts stranded
on a channel the config no longer sends them to."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from monitor.daemon.components import Components
from monitor.errors import ConfigError, MonitorError, StoreError
from monitor.metrics import Metrics
from monitor.ops.admin import reroute_stranded
from monitor.settings import Settings, load_settings

log = logging.getLogger(__name__)


def fingerprint(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Reloader:
    """``reload()`` reads the file when it changed (or when forced) and hands a good config to
    ``rebuild`` (which swaps the components and re-times what depends on the settings)."""

    def __init__(self, path: Path, metrics: Metrics, rebuild: Callable[[Settings], Components],
                 *, wake: threading.Event) -> None:
        self.path = path
        self.metrics = metrics
        self.rebuild = rebuild
        self.wake = wake
        self._fingerprint = fingerprint(path)
        self._lock = threading.Lock()  # one reload at a time

    def reload(self, *, force: bool = False) -> bool:
        """Apply an edited config file; keep the last good one when the edit is bad."""
        with self._lock:
            seen = fingerprint(self.path)
            if seen is None or (seen == self._fingerprint and not force):
                return False
            self._fingerprint = seen
            try:
                new = load_settings(self.path)
            except ConfigError as exc:
                self.metrics.config_reloads.labels("rejected").inc()
                log.error("config edit rejected, still running on the last good config:\n%s", exc)
                return False
            try:
                comps = self.rebuild(new)
            except MonitorError as exc:
                self.metrics.config_reloads.labels("rejected").inc()
                log.error("config edit could not be applied (%s); still running on the last good config", exc)
                return False
        self.metrics.config_reloads.labels("applied").inc()
        log.info("config reloaded from %s: watching %s", self.path, new.watching)
        try:
            moved = reroute_stranded(comps.store, new)
            if moved:
                log.warning("re-routed %d pending alert(s) whose channel the config no longer routes them "
                            "to: %s", len(moved), "; ".join(moved))
                self.wake.set()
        except StoreError as exc:
            log.error("could not re-route pending alerts after the reload (%s); `hkex-monitor alerts "
                      "reroute` does it by hand", exc)
        return True
