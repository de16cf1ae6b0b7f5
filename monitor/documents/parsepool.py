"""Warm parse workers: a small pool of long-lived processes that read documents under a time and
memory limit.

pdfplumber on a hostile or pathological PDF can take minutes or gigabytes; the daemon must survive
that and still send the alert. So documents are parsed in child processes
(``monitor/documents/parseworker.py``) that are killed and replaced when they overrun, and also
replaced after a number of documents, so no slow leak in a parser library outlives them. A worker
is reused otherwise: starting one costs about a quarter of a second of CPU, reusing one almost
nothing.

Workers are plain subprocesses (``python -P -m monitor.documents.parseworker``) on their stdin and
stdout pipes: no forkserver, no socket, no temporary directory, so the pool works in a sandbox with a
read-only ``/tmp`` and without ``TMPDIR``. They get a trimmed environment (no Slack token, no store
URL: a parser reads untrusted PDFs) and the parent's import path, so they run the parent's code.

Workers start lazily: the first document starts one, and a second starts only when a document
arrives while every live worker is busy, up to the pool's size; a worker that is replaced is
restarted at once, so the next document finds it warm. A command that never parses starts no
process at all.
"""

from __future__ import annotations

import collections
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from monitor.documents.parseworker import (
    PARSERS,
    TEST_HOOKS_ENV,
    FrameError,
    FrameTimeout,
    read_frame,
    write_frame,
)
from monitor.errors import DocumentError, from_parse_error
from parsers import errors as parse_errors

if TYPE_CHECKING:
    from monitor.settings import DaemonSettings

log = logging.getLogger(__name__)

WORKER_MODULE = "monitor.documents.parseworker"
STARTUP_LIMIT_S = 60.0  # a worker that is not warm by then is stuck (a cold disk, a broken install)
STOP_WAIT_S = 3.0  # a worker asked to stop (stdin closed) exits within milliseconds; then it is killed
RESTART_REASONS = ("timeout", "memory", "died", "max_documents", "start_failed", "protocol")
# What a worker inherits: enough for Python and locale-aware text, none of the daemon's secrets.
_ENV_KEEP = frozenset({"PATH", "LANG", "LANGUAGE", "TZ", "TMPDIR", "PYTHONHOME", TEST_HOOKS_ENV})
_ENV_KEEP_PREFIXES = ("LC_",)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class PoolConfig:
    """The pool's settings; a pool is rebuilt only when these change."""

    workers: int = 0  # 0 = one per usable core
    timeout_s: float = 120.0
    memory_mb: int = 2048
    max_documents: int = 50

    @classmethod
    def from_settings(cls, daemon: DaemonSettings) -> PoolConfig:
        return cls(workers=daemon.parse_workers, timeout_s=daemon.parse_timeout_s,
                   memory_mb=daemon.parse_memory_mb, max_documents=daemon.parse_worker_max_documents)

    @property
    def size(self) -> int:
        return self.workers or usable_cores()


@dataclass(frozen=True)
class PoolStats:
    """A snapshot for /metrics: live and busy workers, documents handed to workers, restarts."""

    size: int
    alive: int
    busy: int
    documents: int
    restarts: dict[str, int] = field(default_factory=dict)  # reason -> count, every reason present
    pids: tuple[int, ...] = ()


class _WorkerFailed(Exception):
    def __init__(self, reason: str, message: str, *, untouched: bool = False) -> None:
        super().__init__(message)
        self.reason = reason
        self.untouched = untouched  # the document never reached the worker: another may take it


class _Worker:
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
        """Send one document, return the worker's reply (header, body). Raises _WorkerFailed when the
        worker must be replaced (it overran, died or garbled the stream)."""
        if not self.ready:
            self._wait_ready()
        try:
            write_frame(self._in, {"parser": parser}, data)
        except OSError:  # it died while idle (and poll() did not see it yet: threads still exiting)
            failed = self._died(memory_mb, "before it took the document")
            failed.untouched = True
            raise failed from None
        try:
            reply = read_frame(self._out, time.monotonic() + timeout_s)
        except FrameTimeout:
            raise _WorkerFailed("timeout", f"parsing took longer than {timeout_s:g}s; "
                                           "the worker was stopped") from None
        except FrameError as exc:
            raise _WorkerFailed("protocol", f"the parse worker answered out of protocol ({exc}); "
                                            "it was replaced") from None
        if reply is None:
            raise self._died(memory_mb, "while reading this document")
        return reply

    def _wait_ready(self) -> None:
        try:
            hello = read_frame(self._out, time.monotonic() + STARTUP_LIMIT_S)
        except FrameTimeout:
            raise _WorkerFailed("start_failed", f"a parse worker was not ready after {STARTUP_LIMIT_S:g}s; "
                                                "it was stopped") from None
        except FrameError as exc:
            raise _WorkerFailed("start_failed", f"a parse worker started out of protocol ({exc})") from None
        if hello is None or not hello[0].get("ready"):
            raise _WorkerFailed("start_failed", f"a parse worker could not start ({self.status()}; "
                                                "its error is in the log above)")
        self.ready = True
        log.debug("parse worker %d ready in %.2fs", self.pid, time.monotonic() - self.started)

    def _died(self, memory_mb: int, when: str) -> _WorkerFailed:
        return _WorkerFailed("died", f"the parse worker died {when} ({self.status()}; "
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


def _reap_all(workers: Iterable[_Worker]) -> None:
    for worker in list(workers):
        worker.reap(kill=True)


class ParsePool:
    """Long-lived parse processes, at most ``config.size``, shared by any number of threads.

    ``parse(data, kind)`` blocks for a free worker and returns the document's record as a JSON-able
    dict, or raises ``DocumentError`` (``NotResultsError`` for a readable document of another kind)
    with the reason. A failed document never takes the pool down: an overrunning or dead worker is
    replaced and the next document gets a healthy one. ``close()`` stops every worker."""

    def __init__(self, config: PoolConfig | None = None, *, parsers: Mapping[str, str] = PARSERS) -> None:
        self.config = config or PoolConfig()
        self.size = self.config.size
        self._parsers = dict(parsers)
        self._cond = threading.Condition()
        self._workers: set[_Worker] = set()
        self._idle: collections.deque[_Worker] = collections.deque()
        self._busy = 0
        self._documents = 0
        self._restarts = dict.fromkeys(RESTART_REASONS, 0)
        self._closed = False
        # should the owner forget close(), the workers still go at garbage collection or exit
        self._finalizer = weakref.finalize(self, _reap_all, self._workers)

    # -- the contract ------------------------------------------------------------------------------
    def parse(self, data: bytes, kind: str = "results") -> dict[str, Any]:
        """Parse one document in a worker; see the class docstring for errors."""
        parser = self._parsers.get(kind)
        if parser is None:
            raise DocumentError(f"no parser for documents of kind {kind!r} "
                                f"(known kinds: {', '.join(sorted(self._parsers))})")
        worker, (reply, body) = self._ask(parser, data)
        status = reply.get("status")
        if status == "memory":
            self._discard(worker, "memory")
            raise DocumentError(f"parsing needed more than the {self.config.memory_mb} MB allowed; "
                                "the worker was replaced")
        self._checkin(worker)
        if status == "ok":
            try:
                record = json.loads(body)
            except ValueError:
                record = None
            if isinstance(record, dict):
                return record
        message = str(reply.get("message", ""))
        if status == "parse_error":
            cls = getattr(parse_errors, str(reply.get("error")), parse_errors.ParseError)
            if not (isinstance(cls, type) and issubclass(cls, parse_errors.ParseError)):
                cls = parse_errors.ParseError
            raise from_parse_error(cls(message))
        if status == "no_parser":
            raise DocumentError(f"no parser available for {kind!r} documents: {message}")
        if status == "bug":
            raise DocumentError(f"the parser failed on this document ({message})")
        raise DocumentError(f"the parse worker's answer could not be read (status {status!r})")

    def _ask(self, parser: str, data: bytes) -> tuple[_Worker, tuple[dict[str, Any], bytes]]:
        """Send the document to a worker; one found dead before it took the document is replaced
        and the document goes to another, once."""
        retried = False
        while True:
            worker = self._checkout()
            try:
                return worker, worker.ask(parser, data, self.config.timeout_s, self.config.memory_mb)
            except _WorkerFailed as failed:
                self._discard(worker, failed.reason)
                if self._closed:
                    raise DocumentError("the parse pool was closed while it was reading this "
                                        "document") from None
                if retried or not failed.untouched:
                    raise DocumentError(str(failed)) from None
                retried = True
            except BaseException:  # the caller was interrupted mid-document: the worker's state is unknown
                self._discard(worker, "died")
                raise

    def stats(self) -> PoolStats:
        with self._cond:
            return PoolStats(size=self.size, alive=len(self._workers), busy=self._busy,
                             documents=self._documents, restarts=dict(self._restarts),
                             pids=tuple(sorted(w.pid for w in self._workers)))

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

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- workers -----------------------------------------------------------------------------------
    def _checkout(self) -> _Worker:
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

    def _checkin(self, worker: _Worker) -> None:
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

    def _discard(self, worker: _Worker, reason: str) -> None:
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

    def _forget(self, worker: _Worker, reason: str) -> None:
        self._workers.discard(worker)
        self._restarts[reason] += 1

    def _spawn(self) -> _Worker:
        worker = _Worker(self.config)
        self._workers.add(worker)
        return worker

    def _spawn_idle(self) -> None:
        try:
            self._idle.append(self._spawn())
        except OSError as exc:  # out of processes or memory: the next document tries again
            log.error("could not start a parse worker (%s)", exc)
