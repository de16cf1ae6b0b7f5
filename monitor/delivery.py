"""Turns pending alerts into Slack messages, exactly once per (filing, channel).

For each message: claim every alert it covers (skipping any another instance holds), look in the
channel for an earlier post when a claim was taken over from a dead instance, send, and mark the
alerts delivered only after the notifier said ok. A failed send releases the claims with the error
(the alerts stay pending and are retried next cycle). A configuration error (bad token, unknown
channel) is logged once and stops sends to that channel, or to every channel for credentials, for
the rest of the cycle. ``StoreError`` propagates: the caller skips the cycle; nothing is sent
without dedupe.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from monitor.errors import DeliveryAuthError, DeliveryConfigError, DeliveryError
from monitor.filing import FilingKind
from monitor.metrics import Metrics
from monitor.store import Claim, PendingAlert, Store
from notifiers.base import Message, Notifier
from notifiers.messages import filings_message, results_message
from parsers.report import ResultsReport

logger = logging.getLogger(__name__)

MAX_PER_MESSAGE = 50  # filings listed in one grouped message (its metadata carries every id)
Render = Callable[[list[PendingAlert]], Message]


@dataclass(frozen=True)
class DeliveryOutcome:
    """Counts of alerts (filing x channel) in one cycle; ``messages`` counts Slack posts made."""

    sent: int  # delivered this cycle (posted, or found already posted after a takeover)
    failed: int  # attempted and released with an error
    skipped: int  # not ready, held by another instance, or behind a config error this cycle
    pending: int  # still pending after the cycle
    messages: int = 0


def group_alerts(alerts: list[PendingAlert]) -> list[list[PendingAlert]]:
    """Results filings one per message; other filings per (channel, first stock code), in chunks."""
    groups: dict[tuple[str, str, str], list[PendingAlert]] = {}
    for a in alerts:
        key = (("results", a.filing.id, a.channel) if a.filing.kind.is_results
               else ("filings", a.channel, next(iter(a.filing.stock_codes), "")))
        groups.setdefault(key, []).append(a)
    out: list[list[PendingAlert]] = []
    for group in groups.values():
        out.extend(group[i:i + MAX_PER_MESSAGE] for i in range(0, len(group), MAX_PER_MESSAGE))
    return sorted(out, key=lambda g: min(a.enqueued_at for a in g))


class Deliverer:
    def __init__(self, store: Store, notifier: Notifier, *, owner: str, lease_s: float,
                 metrics: Metrics | None = None) -> None:
        self.store, self.notifier, self.owner, self.lease_s = store, notifier, owner, lease_s
        self.metrics = metrics

    def deliver_pending(self, *, ready: Callable[[PendingAlert], bool] = lambda a: True,
                        render: Render | None = None, blocked: set[str] | None = None) -> DeliveryOutcome:
        """One delivery cycle over everything pending. Raises only ``StoreError``."""
        alerts = self.store.pending()
        todo = [a for a in alerts if ready(a)]
        sent, failed, skipped, messages = self.deliver(todo, render=render, blocked=blocked)
        left = self.store.pending()
        if self.metrics is not None:
            self.metrics.pending.set(len(left))
            self.metrics.max_attempts.set(max((a.attempts for a in left), default=0))
        return DeliveryOutcome(sent, failed, skipped + len(alerts) - len(todo), len(left), messages)

    def deliver(self, alerts: list[PendingAlert], *, render: Render | None = None,
                blocked: set[str] | None = None) -> tuple[int, int, int, int]:
        """Claim, send and mark these alerts -> (sent, failed, skipped, messages).

        ``blocked`` collects channels (``"*"`` for all) that failed with a configuration error;
        share one set across the calls of a cycle so such an error is reported once per cycle."""
        render = render or self.render
        blocked = set() if blocked is None else blocked
        sent = failed = skipped = messages = 0
        for group in group_alerts(alerts):
            channel = group[0].channel
            if "*" in blocked or channel in blocked:
                skipped += len(group)
                continue
            claims = self._claim(group)
            skipped += len(group) - len(claims)
            if not claims:
                continue
            try:
                done, posted = self._deliver(claims, render)
                sent, messages = sent + done, messages + posted
            except DeliveryConfigError as exc:
                failed += len(claims)
                self._release(claims, exc)
                where = "any channel" if isinstance(exc, DeliveryAuthError) else channel
                logger.error("not delivering to %s this cycle: %s; fix the Slack settings "
                             "(alerts stay pending)", where, exc)
                blocked.add("*" if isinstance(exc, DeliveryAuthError) else channel)
            except DeliveryError as exc:
                failed += len(claims)
                attempts = self._release(claims, exc)
                logger.warning("delivery of %d alert(s) to %s failed (attempt %d): %s; will retry next cycle",
                               len(claims), channel, attempts, exc)
        return sent, failed, skipped, messages

    def _claim(self, group: list[PendingAlert]) -> list[tuple[PendingAlert, Claim]]:
        out = []
        for a in group:
            claim = self.store.claim(a.filing.id, a.channel, self.owner, self.lease_s)
            if claim is not None:
                out.append((a, claim))
        return out

    def _deliver(self, claims: list[tuple[PendingAlert, Claim]], render: Render) -> tuple[int, int]:
        """Send one message for the claimed alerts -> (alerts delivered, messages posted)."""
        done = 0
        to_send = []
        for alert, claim in claims:
            since = datetime.fromtimestamp(alert.enqueued_at, UTC)
            if claim.taken_over and self.notifier.already_posted(alert.channel, alert.filing.id, since):
                logger.info("filing %s was already posted to %s by an instance that stopped before "
                            "recording it; marking it delivered", alert.filing.id, alert.channel)
                done += int(self.store.mark_delivered(claim))
            else:
                to_send.append((alert, claim))
        if not to_send:
            return done, 0
        try:
            message = render([a for a, _ in to_send])
        except Exception as exc:  # a rendering bug must not hold the claim until its lease runs out
            logger.exception("could not build the message for %s", [a.filing.id for a, _ in to_send])
            raise DeliveryError(f"could not build the message: {exc}", reason="render") from exc
        receipt = self.notifier.send(message)
        for _, claim in to_send:
            if not self.store.mark_delivered(claim, receipt.ts):
                logger.warning("posted filing %s to %s, but its claim had been taken over meanwhile "
                               "(lease_s too short?)", claim.filing_id, claim.channel)
            done += 1
        if self.metrics is not None:
            self.metrics.alerts_sent.labels(kind=message.kind).inc()
        return done, 1

    def _release(self, claims: list[tuple[PendingAlert, Claim]], exc: DeliveryError) -> int:
        if self.metrics is not None:
            self.metrics.alert_failures.labels(reason=getattr(exc, "reason", "error")).inc()
        return max(self.store.release(claim, str(exc)) for _, claim in claims)

    # -- the default message for a group ---------------------------------------------------------
    def render(self, alerts: list[PendingAlert]) -> Message:
        """Results filing -> its summary (with the last comparable report); others -> one list."""
        first = alerts[0]
        filing = first.filing
        if not filing.kind.is_results:
            return filings_message([a.filing for a in alerts], channel=first.channel)
        payload = self.store.get_report(filing.id)
        report, error = None, None
        if payload is None:
            error = "the announcement has not been parsed"
        elif "error" in payload:
            error = str(payload["error"])
        else:
            try:
                report = ResultsReport.from_json_dict(payload)
            except (KeyError, TypeError, ValueError) as exc:
                error = f"the stored figures could not be read ({exc})"
        previous = None
        if report is not None and filing.stock_codes:
            earlier = self.store.previous_reports(filing.stock_codes[0], filing.id, limit=4)
            previous = _comparable(filing.kind, earlier)
        return results_message(filing, report, channel=first.channel, error=error, previous=previous)


def _comparable(kind: FilingKind, earlier: list[dict[str, Any]]) -> ResultsReport | None:
    """Interim or quarterly results are compared with the last final results; final results with
    the last interim results (the prior year's final is already the report's own comparative)."""
    wanted = "interim" if kind is FilingKind.FINAL_RESULTS else "final"
    for payload in earlier:
        if payload.get("kind") == wanted:
            try:
                return ResultsReport.from_json_dict(payload)
            except (KeyError, TypeError, ValueError):
                return None
    return None
