"""The parse pool's processes: one worker (``Worker``: a child process and its pipes) and the set
of them (``Workers``: checked out by one thread at a time, checked back in, replaced when they
fail, retired after ``max_documents``, started lazily up to the pool's size)."""

from __future__ import annotations

import collections
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from monitor.documents.parseworker import TEST_HOOKS_ENV, FrameError, FrameTimeout, read_frame, write_frame
from monitor.errors import DocumentError

if TYPE_CHECKING:
    from monitor.documents.parsepool import PoolConfig

log = logging.getLogger(__name__)

WORKER_MODULE = "monitor.documents.parseworker"
STARTUP_LIMIT_S = 60.0  # a worker that is not warm by then is stuck (a cold disk, a broken install)
STOP_WAIT_S = 3.0  # a worker asked to stop (stdin closed) exits within milliseconds; then it is killed
RESTART_REASONS = ("timeout", "memory", "died", "max_documents", "start_failed", "protocol")
# What a worker inherits: enough for Python and locale-aware text, none of the daemon's secrets.
_ENV_KEEP = frozenset({"PATH", "LANG", "LANGUAGE", "TZ", "TMPDIR", "PYTHONHOME", TEST_HOOKS_ENV})
_ENV_KEEP_PREFIXES = ("LC_",)


class WorkerFailed(Exception):
    def __init__(self, reason: str, message: str, *, untouched: bool = False) -> None:
        super().__init__(message)
        self.reason = reason
        self.untouched = untouched  # the document never reached the worker: another may take it


class Worker:
    """One child process and its pipes. Used by one thread at a time (the pool sees to it)."""

    def __init__(self, config: PoolConfig) -> None:
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-P", "-m", WORKER_MODULE, "--memory-mb", str(config.memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_worker_env(),
            bufsize=0, close_fds=True, start_new_session=True)  # a terminal's Ctrl-C is the daemon's
        self.pid = self.proc.pid
        self.documents = 0
        self.ready = False
        assert self.proc.stdin is not None and self.proc.stdout is not None and self.proc.stderr is not None
        self._in = self.proc.stdin.fileno()
        self._out = self.proc.stdout.fileno()
        threading.Thread(target=_log_stderr, args=(self.proc.stderr, self.pid), daemon=True,
                         name=f"parse-worker-{self.pid}-stderr").start()

    def ask(self, parser: str, data: bytes, timeout_s: float, memory_mb: int) -> tuple[dict[str, Any], bytes]:
        """Send one document, return the worker's reply (header, body). Raises WorkerFailed when the
        worker must be replaced (it overran, died or garbled the stream)."""
        if not self.ready:
            self._wait_ready()
        try:
            write_frame(self._in, {"parser": parser}, data)
        except OSError:  # it died while idle (and poll() did not see it yet: threads still exiting)
            failed = self._died(memory_mb, "before it took the document")
            failed.untouched = True
            raise failed from None
        reply = self._read(timeout_s, ("timeout", f"parsing took longer than {timeout_s:g}s; "
                                                  "the worker was stopped"),
                           ("protocol", "the parse worker answered out of protocol ({}); it was replaced"))
        if reply is None:
            raise self._died(memory_mb, "while reading this document")
        return reply

    def _wait_ready(self) -> None:
        hello = self._read(STARTUP_LIMIT_S,
                           ("start_failed", f"a parse worker was not ready after {STARTUP_LIMIT_S:g}s; "
                                            "it was stopped"),
                           ("start_failed", "a parse worker started out of protocol ({})"))
        if hello is None or not hello[0].get("ready"):
            raise WorkerFailed("start_failed", f"a parse worker could not start ({self.status()}; "
                                                "its error is in the log above)")
        self.ready = True
        log.debug("parse worker %d ready in %.2fs", self.pid, time.monotonic() - self.started)

    def _read(self, within_s: float, timed_out: tuple[str, str],
              garbled: tuple[str, str]) -> tuple[dict[str, Any], bytes] | None:
        """One frame from the worker within ``within_s`` (None: it closed its end); a timeout or a
        frame out of protocol is the ``WorkerFailed`` given as (reason, message; ``{}``: the fault)."""
        try:
            return read_frame(self._out, time.monotonic() + within_s, alive=self.alive)
        except FrameTimeout:
            raise WorkerFailed(*timed_out) from None
        except FrameError as exc:
            raise WorkerFailed(garbled[0], garbled[1].format(exc)) from None

    def _died(self, memory_mb: int, when: str) -> WorkerFailed:
        return WorkerFailed("died", f"the parse worker died {when} ({self.status()}; "
                                     f"its memory limit is {memory_mb} MB)")

    def status(self) -> str:
        try:
            code = self.proc.wait(STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            return "no exit status yet"
        if code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit status {code}"

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close_stdin(self) -> None:
        """Ask the worker to exit: it ends its loop at end of input."""
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        except OSError:
            pass

    def reap(self, *, kill: bool) -> None:
        """Wait for the worker to exit (killing it first, or after STOP_WAIT_S) and close its pipes.
        Only the thread using the worker (or, for an idle one, the pool) may call this."""
        if kill and self.proc.poll() is None:
            self.proc.kill()
        self.close_stdin()
        try:
            self.proc.wait(None if kill else STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        assert self.proc.stdout is not None
        self.proc.stdout.close()


def _log_stderr(stream: IO[bytes], pid: int) -> None:
    with stream:
        for line in stream:
            text = line.decode("utf-8", "replace").rstrip()
            if text:
                log.warning("parse worker %d: %s", pid, text)


def _worker_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _ENV_KEEP or k.startswith(_ENV_KEEP_PREFIXES)}
    # the worker imports the same monitor/ and parsers/ as this process, wherever they came from
    # (an install, a source checkout on sys.path); -P keeps the working directory off its path
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


def reap_all(workers: Iterable[Worker]) -> None:
    for worker in list(workers):
        worker.reap(kill=True)


class Workers:
    """At most ``config.size`` live workers, shared by any number of threads."""

    def __init__(self, config: PoolConfig) -> None:
        self.config = config
        self.size = config.size
        self._cond = threading.Condition()
        self._workers: set[Worker] = set()
        self._idle: collections.deque[Worker] = collections.deque()
        self._busy = 0
        self._documents = 0
        self._restarts = dict.fromkeys(RESTART_REASONS, 0)
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def counts(self) -> tuple[int, int, int, dict[str, int], tuple[int, ...]]:
        """(alive, busy, documents, restarts by reason, pids)."""
        with self._cond:
            return (len(self._workers), self._busy, self._documents, dict(self._restarts),
                    tuple(sorted(w.pid for w in self._workers)))

    def close(self) -> None:
        """Stop every worker (idle ones cleanly; a document in flight fails). Idempotent."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            idle = set(self._idle)
            self._idle.clear()
            self._cond.notify_all()
            workers = list(self._workers)
        for worker in workers:
            if worker in idle:
                worker.close_stdin()  # all of them first, so they exit in parallel
            else:
                worker.proc.kill()  # its caller sees the pool closed, and closes the pipes it is using
        for worker in workers:
            if worker in idle:
                worker.reap(kill=False)
            else:
                worker.proc.wait()
        with self._cond:
            self._workers.difference_update(workers)

    def live(self) -> set[Worker]:
        """The live set itself (the pool's finalizer reaps what is in it at exit)."""
        return self._workers

    def checkout(self) -> Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise DocumentError("the parse pool is closed")
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive():
                        self._busy += 1
                        return worker
                    self._forget(worker, "died")
                    log.warning("parse worker %d had exited while idle (%s); starting another",
                                worker.pid, worker.status())
                    worker.reap(kill=True)
                if len(self._workers) < self.size:
                    try:
                        worker = self._spawn()
                    except OSError as exc:
                        raise DocumentError(f"could not start a parse worker ({exc})") from exc
                    self._busy += 1
                    return worker
                self._cond.wait()

    def checkin(self, worker: Worker) -> None:
        with self._cond:
            self._busy -= 1
            self._documents += 1
            worker.documents += 1
            closed = self._closed  # close() has killed it while its answer was on the way
            retire = worker.documents >= self.config.max_documents and not closed
            if retire:
                self._forget(worker, "max_documents")
                self._spawn_idle()
            elif not closed:
                self._idle.append(worker)
            self._cond.notify()
        if retire:
            log.info("parse worker %d retired after %d documents", worker.pid, worker.documents)
            worker.reap(kill=False)
        elif closed:
            worker.reap(kill=True)

    def discard(self, worker: Worker, reason: str) -> None:
        """Kill a worker that failed (or whose document did) and start its replacement."""
        with self._cond:
            self._busy -= 1
            self._documents += 1
            if worker in self._workers and not self._closed:
                self._forget(worker, reason)
                if reason != "start_failed":  # don't loop on a worker that cannot start
                    self._spawn_idle()
            self._cond.notify()
        worker.reap(kill=True)
        if not self._closed:
            log.info("parse worker %d replaced (%s)", worker.pid, reason)

    def _forget(self, worker: Worker, reason: str) -> None:
        self._workers.discard(worker)
        self._restarts[reason] += 1

    def _spawn(self) -> Worker:
        worker = Worker(self.config)
        self._workers.add(worker)
        return worker

    def _spawn_idle(self) -> None:
        try:
            self._idle.append(self._spawn())
        except OSError as exc:  # out of processes or memory: the next document tries again
            log.error("could not start a parse worker (%s)", exc)
