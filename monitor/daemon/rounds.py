"""One round of everything, one step after another, for ``hkex-monitor once``, ``backfill --alert``,
the demo and tests: the daemon runs the same steps side by side instead (``Daemon``)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from monitor.daemon.components import Components
from monitor.errors import StoreError
from monitor.filing import Filing
from monitor.routing import reader_for, routes


@dataclass(frozen=True)
class RoundOutcome:
    ok: bool
    reason: str | None = None
    new_filings: int = 0
    enqueued: int = 0
    read: int = 0  # documents read (figures, or the reason there are none, stored)
    sent: int = 0
    failed: int = 0
    pending: int = 0
    seconds: float = 0.0
    delivery_errors: tuple[str, ...] = ()


def run_round(comps: Components) -> RoundOutcome:
    """Discover; post what can go out before any document is read (first notices, filings without
    figures); read what is queued; then try every pending alert once, including those the daemon's
    loop would leave to their backoff (an operator asked for this round)."""
    started = time.time()
    try:
        found = comps.intake.discover()
        first = comps.deliverer.deliver_pending(eager=True)
        read = comps.reader.read_documents()
        delivered = comps.deliverer.deliver_pending(eager=True)
    except StoreError as exc:
        comps.intake.store_down(exc)
        return RoundOutcome(ok=False, reason=f"store unavailable: {exc}", seconds=time.time() - started)
    return RoundOutcome(ok=found.ok, reason=found.reason, new_filings=found.new_filings,
                        enqueued=found.enqueued, read=read, sent=first.sent + delivered.sent,
                        failed=delivered.failed, pending=delivered.pending, seconds=time.time() - started,
                        delivery_errors=tuple(dict.fromkeys(first.errors + delivered.errors)))


def alert_now(comps: Components, filings: list[Filing]) -> RoundOutcome:
    """Alert exactly these filings (``backfill --alert``): enqueue them as their watches ask, read
    their documents here rather than through the shared queue, and deliver only their alerts; the
    feed is not polled and no other pending alert is sent. Raises only ``StoreError``."""
    started = time.time()
    enqueued = read = 0
    store = comps.store
    for filing in filings:
        enqueued += comps.intake.admit(filing, submit=False)[0]
        reader = reader_for(filing)
        if reader and routes(comps.settings, filing) and store.get_report(filing.id) is None:
            read += int(comps.reader.read_filing(filing, reader.value, submitted_at=started))
    ids = {f.id for f in filings}
    outcome = comps.deliverer.deliver([a for a in store.pending(limit=100_000) if a.id in ids])
    left = sum(1 for a in store.pending(limit=100_000) if a.id in ids)
    return RoundOutcome(ok=True, new_filings=len(filings), enqueued=enqueued, read=read, sent=outcome.sent,
                        failed=outcome.failed, pending=left, seconds=time.time() - started,
                        delivery_errors=outcome.errors)
