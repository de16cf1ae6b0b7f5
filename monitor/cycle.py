"""One poll cycle: discover new filings, enqueue their alerts, read results, deliver what is pending.

Order matters for "never lose an alert": alerts are enqueued in the store *before* the feed items
are marked seen, and marked delivered only after Slack said ok. A crash anywhere re-finds or
re-sends (and the deliverer checks Slack before re-sending a taken-over claim).

Results alerts wait for their figures: the document is downloaded and parsed once per filing (the
report is stored per stock), then the alert goes out. If the document cannot be read, the alert
goes out without figures and says why; if HKEXnews is unreachable, it waits up to
``download_give_up_s`` for a later cycle before going out without figures.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from monitor.errors import DocumentError, SourceError, StoreError
from monitor.filing import Filing, FilingKind
from monitor.metrics import Metrics
from monitor.settings import Settings, Watch
from monitor.store import PendingAlert, Store

log = logging.getLogger(__name__)

ParseFn = Callable[[bytes], dict[str, Any]]


class _Discovery(Protocol):
    def poll(self, codes: Any) -> Any: ...
    def commit(self, poll: Any) -> None: ...


class _Client(Protocol):
    def fetch_document(self, filing: Filing) -> bytes: ...


class _Deliverer(Protocol):
    def deliver_pending(self, *, ready: Callable[[PendingAlert], bool] = ...,
                        blocked: set[str] | None = ...) -> Any: ...
    def deliver(self, alerts: list[PendingAlert], *, blocked: set[str] | None = ...
                ) -> tuple[int, int, int, int]: ...


@dataclass(frozen=True)
class CycleOutcome:
    ok: bool
    reason: str | None = None
    new_filings: int = 0
    enqueued: int = 0
    parsed: int = 0
    sent: int = 0
    failed: int = 0
    pending: int = 0
    seconds: float = 0.0


def wants(watch: Watch, filing: Filing) -> bool:
    """Whether this watch asked to hear about this filing."""
    if watch.alert_on == "all":
        return True
    return filing.kind.is_results or filing.kind is FilingKind.PROFIT_WARNING


def routes(settings: Settings, filing: Filing) -> set[str]:
    """The channels this filing goes to: one per watch that wants it, deduplicated."""
    channels = set()
    for code in filing.stock_codes:
        watch = settings.watch_for(code)
        if watch is not None and wants(watch, filing):
            channels.add(settings.channel_for(watch))
    return channels


class Cycle:
    def __init__(self, settings: Settings, store: Store, client: _Client, discovery: _Discovery,
                 deliverer: _Deliverer, metrics: Metrics, parse: ParseFn,
                 stop: threading.Event | None = None, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.store = store
        self.client = client
        self.discovery = discovery
        self.deliverer = deliverer
        self.metrics = metrics
        self.parse = parse
        self.stop = stop or threading.Event()
        self.clock = clock

    def run(self) -> CycleOutcome:
        started = self.clock()
        try:
            outcome = self._run()
        except StoreError as exc:
            self.metrics.store_errors.inc()
            self.metrics.polls.labels("store_down").inc()
            log.error("cycle skipped: the store is unavailable (%s); nothing was sent, nothing is lost: "
                      "pending alerts go out once it is back", exc)
            return CycleOutcome(ok=False, reason=f"store unavailable: {exc}",
                                seconds=self.clock() - started)
        return CycleOutcome(**{**outcome.__dict__, "seconds": self.clock() - started})

    def _run(self) -> CycleOutcome:
        self.store.ping()
        new, enqueued, poll_error = self._discover()
        parsed, sent, failed = self._deliver()
        pending = self.store.pending()
        self.metrics.pending.set(len(pending))
        self.metrics.max_attempts.set(max((a.attempts for a in pending), default=0))
        if poll_error is None:
            self.metrics.polls.labels("ok").inc()
            self.metrics.last_success.set(self.clock())
        return CycleOutcome(ok=poll_error is None, reason=poll_error, new_filings=new, enqueued=enqueued,
                            parsed=parsed, sent=sent, failed=failed, pending=len(pending))

    def _discover(self) -> tuple[int, int, str | None]:
        codes = [w.code for w in self.settings.watch]
        if not codes:
            return 0, 0, None
        try:
            poll = self.discovery.poll(codes)
        except SourceError as exc:
            # Skipped, never reported as "no new filings"; pending alerts are still delivered.
            self.metrics.polls.labels("source_error").inc()
            log.error("poll failed, will retry next cycle: %s", exc)
            return 0, 0, str(exc)
        enqueued = 0
        for filing in poll.filings:
            self.metrics.filings_seen.labels(filing.kind.value).inc()
            for channel in sorted(routes(self.settings, filing)):
                if self.store.enqueue(filing, channel):
                    enqueued += 1
                    log.info("new %s for %s: %s -> %s", filing.kind.label.lower(),
                             "/".join(filing.stock_codes), filing.title, channel)
        self.discovery.commit(poll)
        return len(poll.filings), enqueued, None

    def _deliver(self) -> tuple[int, int, int]:
        """Deliver what is ready, then read each waiting results document and deliver it at once."""
        blocked: set[str] = set()  # channels with a Slack config error: reported once per cycle
        outcome = self.deliverer.deliver_pending(ready=self._has_figures, blocked=blocked)
        sent, failed, parsed = outcome.sent, outcome.failed, 0
        waiting: dict[str, list[PendingAlert]] = {}
        for alert in self.store.pending():
            if alert.filing.kind.is_results and not self._has_figures(alert):
                waiting.setdefault(alert.filing.id, []).append(alert)
        for alerts in waiting.values():
            if self.stop.is_set():
                log.info("stop requested: %d results documents left for the next start",
                         len(waiting) - parsed)
                break
            if self._read_results(alerts[0]):
                parsed += 1
                done, fail, _, _ = self.deliverer.deliver(alerts, blocked=blocked)
                sent, failed = sent + done, failed + fail
        return parsed, sent, failed

    def _has_figures(self, alert: PendingAlert) -> bool:
        return not alert.filing.kind.is_results or self.store.get_report(alert.filing.id) is not None

    def _read_results(self, alert: PendingAlert) -> bool:
        """Download and parse one results document; store the report or the reason it has none.
        Returns False when the alert should wait for a later cycle (HKEXnews unreachable)."""
        filing = alert.filing
        try:
            data = self.client.fetch_document(filing)
        except SourceError as exc:
            waited = self.clock() - alert.enqueued_at
            if waited < self.settings.daemon.download_give_up_s:
                log.warning("could not download %s (%s); will retry next cycle", filing.url, exc)
                return False
            self.store.save_report(filing, {"error": f"document could not be downloaded: {exc}"})
            return True
        except DocumentError as exc:
            self.metrics.parse.labels("unreadable").inc()
            log.warning("document for %s unreadable: %s; alerting without figures", filing.id, exc)
            self.store.save_report(filing, {"error": str(exc)})
            return True
        started = time.perf_counter()
        try:
            report = self.parse(data)
        except DocumentError as exc:
            self.metrics.parse.labels("failed").inc()
            log.warning("could not read figures from %s: %s; alerting without figures", filing.url, exc)
            self.store.save_report(filing, {"error": str(exc)})
            return True
        self.metrics.parse_seconds.observe(time.perf_counter() - started)
        self.metrics.parse.labels("ok").inc()
        self.store.save_report(filing, report)
        return True
