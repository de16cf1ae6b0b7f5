"""The threads that run beside the schedule: document readers, each taking one document at a time
from the store's shared queue, and the delivery loop, which sends whatever is ready whenever
something is (a reader wakes it) and every few seconds in any case.

A loop never dies of one failure: a store that is down pauses it (said once, not once per thread
nor every few seconds, and said again when the store answers); anything unexpected is logged and
the loop goes on."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from monitor.calendar import Calendar
from monitor.daemon.components import Components
from monitor.daemon.jobs import DaemonJobs
from monitor.delivery import DeliveryOutcome
from monitor.errors import StoreError
from monitor.filing import Filing
from monitor.routing import reader_for
from parsers.kinds import DocumentKind

log = logging.getLogger(__name__)

DELIVERY_EVERY_S = 2.0  # the delivery loop's pace when nothing wakes it
DELIVERY_CHUNK = 20  # messages per delivery round before looking again for what is newest
STORE_DOWN_WAIT_S = 5.0  # a loop that found the store down tries again after this


class StoreOutages:
    """What was last said of the store, per loop, so that a loop says once that it paused and once
    that it goes again, however many threads saw it."""

    def __init__(self) -> None:
        self._said: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def saw(self, what: str, exc: StoreError | None) -> None:
        with self._lock:
            said, self._said[what] = self._said.get(what), (str(exc) if exc is not None else None)
        if exc is None and said is not None:
            log.info("%s going again: the store answers", what)
        elif exc is not None and str(exc) != said:
            log.error("%s paused: the store is unavailable (%s); nothing is lost", what, exc)


class Loops:
    """Starts the reader threads and the two delivery threads, and waits for them on stop.

    Delivery has two lanes. The main one sends whatever is ready, newest first, posts waiting for
    their channel's turn (one post a second). The figures lane, woken when a document has been read,
    sends only the figures of first notices already posted: a ``chat.update`` is not paced per
    channel, so it need not wait behind posts that wait for their turn (BENCHMARKS.md "Findings" 9).
    Both pass the one Slack gate, and claims decide which lane sends an alert.

    ``components`` gives the current components (a config reload swaps them); ``wake`` is set when
    something may be ready to deliver; ``on_pipe_closed`` is called when the console's reader went
    away (the process stops with 141)."""

    def __init__(self, components: Callable[[], Components], jobs: DaemonJobs, *, stop: threading.Event,
                 wake: threading.Event, on_pipe_closed: Callable[[], None]) -> None:
        self._components = components
        self._jobs = jobs
        self._stop = stop
        self._wake = wake
        self._on_pipe_closed = on_pipe_closed
        self._outages = StoreOutages()
        self._threads: list[threading.Thread] = []
        self._figures_ready = threading.Event()

    def start(self, readers: int) -> None:
        for n in range(max(1, readers)):
            self._start(self._reader, f"reader-{n + 1}")
        self._start(self._deliverer, "deliverer")
        self._start(self._figures, "figures")

    def join(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` in all for the threads to end; True if they all did."""
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._threads)

    def _start(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _reader(self) -> None:
        """A document reader: takes one document at a time from the shared queue."""
        while not self._stop.is_set():
            try:
                with self._components().in_use() as comps:
                    comps.reader.read_documents(limit=1, block_s=1.0, then=self._read_one)
                self._outages.saw("reading documents", None)
            except StoreError as exc:
                self._outages.saw("reading documents", exc)
                self._stop.wait(STORE_DOWN_WAIT_S)
            except Exception:
                log.exception("document reader failed unexpectedly; it goes on")
                self._stop.wait(1)

    def _read_one(self, filing: Filing) -> None:
        """A document was read: its filing's alerts go out now, and a notice's date is polled for."""
        self._wake.set()
        self._figures_ready.set()
        if reader_for(filing) is DocumentKind.BOARD_MEETING:
            comps = self._components()
            self._jobs.refresh_results_days(Calendar(comps.store), comps)

    def wake(self) -> None:
        """Wake both delivery lanes (a stop, so that neither waits out its idle pause)."""
        self._wake.set()
        self._figures_ready.set()

    def _deliverer(self) -> None:
        """Sends what is ready whenever something is, and every few seconds in any case."""
        self._lane(self._wake, "delivery", figures_only=False)

    def _figures(self) -> None:
        """The figures lane: when a document has been read, edit its posted first notices at once
        (the main lane's rounds cover anything it leaves)."""
        self._lane(self._figures_ready, "figures", figures_only=True)

    def _lane(self, ready: threading.Event, name: str, *, figures_only: bool) -> None:
        while not self._stop.is_set():
            ready.wait(DELIVERY_EVERY_S)
            ready.clear()
            if self._stop.is_set():
                break
            try:
                with self._components().in_use() as comps:
                    outcome = comps.deliverer.deliver_pending(limit=DELIVERY_CHUNK, figures_only=figures_only)
                if outcome.more:
                    ready.set()  # the rest of a backlog, after whatever appeared meanwhile
                if figures_only and (outcome.sent or outcome.failed):  # the main lane counts what is left
                    log.info("figures: %d added, %d not sent", outcome.sent, outcome.failed)
                elif outcome.sent or outcome.failed or outcome.announced:
                    log.info("delivery: %s", delivery_line(outcome))
                self._outages.saw("delivery", None)
            except StoreError as exc:
                self._outages.saw("delivery", exc)
                self._stop.wait(STORE_DOWN_WAIT_S)
            except BrokenPipeError:
                log.error("the output's reader went away (a closed pipe): stopping; what was not printed "
                          "stays pending")
                self._on_pipe_closed()
            except Exception:
                log.exception("%s failed unexpectedly; it goes on", name)


def delivery_line(outcome: DeliveryOutcome) -> str:
    """A delivery round in words: first notices are counted, and an alert whose first notice is up
    and whose figures are to come is not mistaken for one nothing was posted for."""
    parts = [f"{outcome.sent} sent"]
    if outcome.announced:
        parts.append(f"{outcome.announced} first notice{'' if outcome.announced == 1 else 's'} posted")
    parts.append(f"{outcome.failed} not sent")
    waiting = outcome.pending - outcome.awaiting
    parts.append(f"{waiting} pending")
    if outcome.awaiting:
        their = "its" if outcome.awaiting == 1 else "their"
        parts.append(f"{outcome.awaiting} posted and awaiting {their} figures")
    return ", ".join(parts)
