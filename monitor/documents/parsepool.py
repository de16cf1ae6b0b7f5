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

This module is the pool's contract (``parse``, ``stats``, ``close``); ``workers`` keeps the
processes themselves.
"""

from __future__ import annotations

import json
import os
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from monitor.documents.parseworker import PARSERS
from monitor.documents.workers import Worker, WorkerFailed, Workers, reap_all
from monitor.errors import DocumentError, from_parse_error
from parsers import errors as parse_errors

if TYPE_CHECKING:
    from monitor.settings import DaemonSettings

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
        self._workers = Workers(self.config)
        # should the owner forget close(), the workers still go at garbage collection or exit
        self._finalizer = weakref.finalize(self, reap_all, self._workers.live())

    def parse(self, data: bytes, kind: str = "results") -> dict[str, Any]:
        """Parse one document in a worker; see the class docstring for errors."""
        parser = self._parsers.get(kind)
        if parser is None:
            raise DocumentError(f"no parser for documents of kind {kind!r} "
                                f"(known kinds: {', '.join(sorted(self._parsers))})")
        worker, (reply, body) = self._ask(parser, data)
        status = reply.get("status")
        if status == "memory":
            self._workers.discard(worker, "memory")
            raise DocumentError(f"parsing needed more than the {self.config.memory_mb} MB allowed; "
                                "the worker was replaced")
        self._workers.checkin(worker)
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

    def _ask(self, parser: str, data: bytes) -> tuple[Worker, tuple[dict[str, Any], bytes]]:
        """Send the document to a worker; one found dead before it took the document is replaced
        and the document goes to another, once."""
        retried = False
        while True:
            worker = self._workers.checkout()
            try:
                return worker, worker.ask(parser, data, self.config.timeout_s, self.config.memory_mb)
            except WorkerFailed as failed:
                self._workers.discard(worker, failed.reason)
                if self._workers.closed:
                    raise DocumentError("the parse pool was closed while it was reading this "
                                        "document") from None
                if retried or not failed.untouched:
                    raise DocumentError(str(failed)) from None
                retried = True
            except BaseException:  # the caller was interrupted mid-document: the worker's state is unknown
                self._workers.discard(worker, "died")
                raise

    def stats(self) -> PoolStats:
        alive, busy, documents, restarts, pids = self._workers.counts()
        return PoolStats(size=self.size, alive=alive, busy=busy, documents=documents, restarts=restarts,
                         pids=pids)

    def close(self) -> None:
        """Stop every worker (idle ones cleanly; a document in flight fails). Idempotent."""
        self._workers.close()

    @property
    def closed(self) -> bool:
        return self._workers.closed

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
