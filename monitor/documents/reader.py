"""Reading the documents the intake submitted: take one from the store's queue (shared by every
instance: each is downloaded and parsed once in the cluster, and taken over if its reader dies),
download it, parse it (``parse``: the warm parse workers, or in-process in tests), store the figures
(or the reason there are none), and tell the caller, which delivers that filing's alerts at once.

A document HKEXnews cannot serve now waits for a later try, up to ``download_give_up_s``; one it
will never serve (another host, gone, not a PDF) is settled at once without figures, with the
reason. What a notice says is remembered for later steps: the results calendar, and the profit
warning the results will be compared with.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from monitor.calendar import Calendar
from monitor.errors import DocumentError, NotResultsError, SourceError, StoreError
from monitor.filing import Filing
from monitor.metrics import Metrics
from monitor.settings import Settings
from monitor.store import DocumentTask, RecordKind, Store
from parsers.kinds import DocumentKind

log = logging.getLogger(__name__)

ParseFn = Callable[[bytes, str], dict[str, Any]]  # (document, reader name) -> the parsed record
WARNING_KEEP_S = 400 * 86_400.0


class _Client(Protocol):
    def fetch_document(self, filing: Filing) -> bytes: ...


class DocumentReader:
    def __init__(self, settings: Settings, store: Store, client: _Client, metrics: Metrics, parse: ParseFn, *,
                 consumer: str, stop: threading.Event | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.store = store
        self.client = client
        self.metrics = metrics
        self.parse = parse
        self.consumer = consumer
        self.stop = stop or threading.Event()
        self.clock = clock
        self.calendar = Calendar(store)

    def read_documents(self, *, limit: int | None = None, block_s: float = 0.0,
                       then: Callable[[Filing], object] | None = None) -> int:
        """Read queued documents until none is available to this consumer (or ``limit``), calling
        ``then(filing)`` as soon as each is read; returns how many were read (figures or a final
        reason stored). Raises only ``StoreError``."""
        done = 0
        while not self.stop.is_set() and (limit is None or done < limit):
            tasks = self.store.take_documents(self.consumer, 1, reclaim_idle_s=self.settings.store.lease_s,
                                              block_s=block_s)
            if not tasks:
                break
            for task in tasks:
                if self.read(task):
                    done += 1
                    if then is not None:
                        then(task.filing)
        return done

    def read(self, task: DocumentTask) -> bool:
        """Read one queued document (keeping its lease), store the result and finish the task;
        False when it must wait for a later try. Interrupted (a stop, Ctrl-C), the document is handed
        back for the next taker to read at once."""
        try:
            with self._renewing(task):
                done = self.read_filing(task.filing, task.parser, submitted_at=task.submitted_at)
        except BaseException:
            self._hand_back(task)
            raise
        if done:
            self.store.finish_document(task)
        elif self.stop.is_set():
            self._hand_back(task)
        return done

    def _hand_back(self, task: DocumentTask) -> None:
        try:
            self.store.release_document(task, self.consumer)
        except Exception:  # on the way out: the short lease hands it over in any case
            log.debug("could not hand back %s", task.filing.id, exc_info=True)

    def read_filing(self, filing: Filing, reader: str, *, submitted_at: float) -> bool:
        """Download and parse a filing's document and store the figures (or the reason there are
        none); False when HKEXnews cannot serve it now and it is not yet time to give up."""
        try:
            data = self.client.fetch_document(filing)
        except SourceError as exc:
            if exc.permanent:
                return self._settle(filing, reader, f"the document cannot be downloaded: {exc}",
                                    "unavailable")
            waited = self.clock() - submitted_at
            if waited < self.settings.daemon.download_give_up_s:
                log.warning("could not download %s (%s); will try again", filing.url, exc)
                return False
            return self._settle(filing, reader, f"the document could not be downloaded for "
                                                 f"{waited / 60:.0f} minutes: {exc}", "gave_up")
        except DocumentError as exc:
            return self._settle(filing, reader, str(exc), "unreadable")
        started = time.perf_counter()
        try:
            payload = self.parse(data, reader)
        except NotResultsError as exc:
            return self._settle(filing, reader, str(exc), "not_results")
        except DocumentError as exc:
            if self.stop.is_set():  # the parse was cut short by a shutdown: read it next time
                return False
            return self._settle(filing, reader, f"could not read the document: {exc}", "failed")
        self.metrics.parse_seconds.observe(time.perf_counter() - started)
        self.metrics.parse.labels("ok").inc()
        self.store.save_report(filing, {"document": reader, **payload})
        try:
            self.remember(filing, reader, payload)
        except StoreError:
            raise
        except Exception:  # the calendar or the warnings must never cost the alert
            log.exception("could not record what %s says (%s)", filing.id, reader)
        return True

    def remember(self, filing: Filing, reader: str, payload: dict[str, Any]) -> None:
        """What a notice tells later steps: the calendar, and the warning to compare results with."""
        if reader == DocumentKind.BOARD_MEETING:
            self.calendar.record_notice(filing, payload)
        elif reader == DocumentKind.PROFIT_WARNING:
            for code in filing.stock_codes:
                self.store.put_record(RecordKind.WARNING, f"{code}:{filing.id}",
                                      {"filing_id": filing.id, "released_at": filing.released_at.isoformat(),
                                       "warning": payload}, ttl_s=WARNING_KEEP_S)

    def _settle(self, filing: Filing, reader: str, error: str, outcome: str) -> bool:
        self.metrics.parse.labels(outcome).inc()
        log.warning("%s (%s): %s; alerting without figures", filing.id, reader, error)
        self.store.save_report(filing, {"document": reader, "error": error})
        return True

    @contextmanager
    def _renewing(self, task: DocumentTask) -> Iterator[None]:
        """Keep the task's lease alive while it is worked on (downloads and parses can be long)."""
        done = threading.Event()
        every = max(0.5, self.settings.store.lease_s / 3)

        def renew() -> None:
            while not done.wait(every):
                try:
                    self.store.renew_document(task, self.consumer)
                except StoreError as exc:
                    log.warning("could not renew the lease of %s: %s", task.filing.id, exc)

        thread = threading.Thread(target=renew, name=f"renew-{task.filing.id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join(1)
