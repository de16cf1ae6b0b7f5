"""A process's heartbeat in the store: while it beats, what it holds (alerts being sent, documents
being read) is its own; when it stops beating (killed) or retires (a clean exit), any instance takes
that work over at once, instead of waiting for a lease to run out (``alerts list`` shows which
holders are alive)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable

from monitor import __version__
from monitor.errors import StoreError
from monitor.store import Processes

log = logging.getLogger(__name__)

BEAT_EVERY_S = 3.0
BEAT_TTL_S = 10.0  # a process silent this long counts as gone: its work is taken over


class Heartbeat:
    def __init__(self, store: Callable[[], Processes], owner: str, *, role: str) -> None:
        self._store = store  # the store in force (a config reload may replace it)
        self.owner = owner
        self.info = {"host": socket.gethostname(), "pid": str(os.getpid()), "role": role,
                     "version": __version__}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop = threading.Event()  # a heartbeat stopped and started again beats again
        self._beat()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop beating and say so at once (the next instance need not wait for the beat to expire)."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join(5)
        self._thread = None
        try:
            self._store().retire(self.owner)
        except StoreError as exc:
            log.debug("could not retire %s (%s); its beat expires in %.0fs", self.owner, exc, BEAT_TTL_S)

    def _run(self) -> None:
        while not self._stop.wait(BEAT_EVERY_S):
            self._beat()

    def _beat(self) -> None:
        try:
            self._store().beat(self.owner, BEAT_TTL_S, self.info)
        except StoreError as exc:
            log.debug("heartbeat not recorded: %s", exc)
