"""Turns pending alerts into Slack messages, exactly once per (alert, channel).

For each message: claim every alert it covers (skipping any another instance holds), and where an
earlier attempt may have reached Slack (a claim taken over from a dead instance, a send whose
answer never came, a store that lost its memory) look in the channel's history first; then wait
for the channel's turn (one message a second per channel, shared by every instance through the
store), send, and mark the alerts delivered only after the notifier said ok.

What a failure does:
- uncertain (timeout or connection lost after the request was written, 5xx after the body was
  sent): the alerts are released *uncertain*, and nothing is sent again until history was read;
- 429: every send to Slack pauses for its ``Retry-After`` (kept in the store, so every instance and
  every later cycle obeys it); the alerts are released as not sent;
- a configuration error (bad token, unknown channel): logged once, and no more sends to that
  channel (or any, for credentials) from this process for ``CONFIG_ERROR_PAUSE_S`` (a config
  reload, which builds a new deliverer, lifts it at once);
- anything else: released with a growing backoff and retried later.
A stop request (SIGTERM) lets the send in flight finish and starts no new one. ``StoreError``
propagates: the caller skips the round; nothing is sent without dedupe.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from monitor.delivery.transport import Transport
from monitor.errors import (
    DeliveryAuthError,
    DeliveryConfigError,
    DeliveryError,
    DeliveryRateLimitedError,
    DeliveryUncertainError,
)
from monitor.filing import Filing
from monitor.metrics import Metrics
from monitor.routing import reader_for
from monitor.store import AlertKind, Claim, PendingAlert, Store
from notifiers.base import Message

logger = logging.getLogger(__name__)

MAX_PER_MESSAGE = 50  # filings listed in one grouped message (its metadata carries every id)
SLACK_PAUSE = "slack"  # the store's pause name for "no sends to Slack"
BACKOFF_S = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0)  # after the 1st, 2nd, ... failed attempt
LONGEST_PACING_WAIT_S = 10.0  # longer than this: leave the alert for the next round
CONFIG_ERROR_PAUSE_S = 60.0  # after a credentials or channel error, before that channel is tried again
Render = Callable[[list[PendingAlert]], Message]


def channel_budget(channel: str) -> str:
    """The store's budget name for posting to one channel."""
    return f"slack:{channel}"


def backoff_s(attempts: int) -> float:
    """How long an alert waits after its ``attempts``-th failed attempt."""
    return BACKOFF_S[min(max(attempts, 1), len(BACKOFF_S)) - 1]


@dataclass(frozen=True)
class DeliveryOutcome:
    """Counts of alerts (alert x channel) in one round; ``messages`` counts Slack posts made."""

    sent: int  # delivered this round (posted, or found already posted)
    failed: int  # attempted and released with an error
    skipped: int  # not ready, backing off, held elsewhere, paused, or behind a config error
    pending: int  # still pending after the round
    messages: int = 0
    errors: tuple[str, ...] = ()  # distinct failure reasons this round, for the operator


def needs_own_message(alert: PendingAlert) -> bool:
    """Alerts with a parsed document (results, warnings, notices), replies in a thread, and alerts
    that are not filings get a message each; other filings are listed together."""
    if alert.kind != AlertKind.FILING or alert.filing is None:
        return True
    return alert.filing.kind.value in OWN_MESSAGE_KINDS or "thread_of" in alert.data


OWN_MESSAGE_KINDS = frozenset({"final_results", "interim_results", "quarterly_results", "profit_warning",
                               "board_meeting", "results_delay"})


def group_alerts(alerts: list[PendingAlert]) -> list[list[PendingAlert]]:
    """One message per alert that needs its own; other filings per (channel, first stock code)."""
    groups: dict[tuple[str, ...], list[PendingAlert]] = {}
    for a in alerts:
        if needs_own_message(a):
            key: tuple[str, ...] = ("own", a.id, a.channel)
        else:
            assert a.filing is not None
            key = ("filings", a.channel, next(iter(a.filing.stock_codes), ""))
        groups.setdefault(key, []).append(a)
    out: list[list[PendingAlert]] = []
    for group in groups.values():
        out.extend(group[i:i + MAX_PER_MESSAGE] for i in range(0, len(group), MAX_PER_MESSAGE))
    return sorted(out, key=lambda g: min(a.enqueued_at for a in g))


class Deliverer:
    def __init__(self, store: Store, notifier: Transport, *, owner: str, lease_s: float,
                 render: Render | None = None, metrics: Metrics | None = None,
                 min_post_interval_s: float = 1.0, stop: threading.Event | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.store, self.notifier, self.owner, self.lease_s = store, notifier, owner, lease_s
        if render is None:
            from monitor.messages.render import Renderer

            render = Renderer(store)
        self.render = render
        self.metrics = metrics
        self.min_post_interval_s = min_post_interval_s
        self.stop = stop or threading.Event()
        self.clock = clock
        self._blocked: dict[str, float] = {}  # channel ("*": all) -> blocked until (after a config error)
        self._lock = threading.Lock()

    def ready(self, alert: PendingAlert) -> bool:
        """Whether the alert can be sent: a filing whose document is read is ready once its figures
        (or the reason there are none) are stored."""
        if alert.kind != AlertKind.FILING or alert.filing is None or reader_for(alert.filing) is None:
            return True
        return self.store.get_report(alert.filing.id) is not None

    def deliver_pending(self, *, eager: bool = False) -> DeliveryOutcome:
        """One round over everything pending that is ready. ``eager``: also what is backing off
        after a failure (a round an operator asked for, e.g. ``once``). Raises only ``StoreError``."""
        alerts = self.store.pending()
        todo = [a for a in alerts if self.ready(a)]
        outcome = self.deliver(todo, eager=eager)
        left = self.store.pending()
        self.report_pending(left)
        return DeliveryOutcome(outcome.sent, outcome.failed, outcome.skipped + len(alerts) - len(todo),
                               len(left), outcome.messages, outcome.errors)

    def deliver_filing(self, filing: Filing) -> DeliveryOutcome:
        """Deliver one filing's alerts now (its figures were just stored)."""
        return self.deliver([a for a in self.store.pending() if a.id == filing.id])

    def report_pending(self, left: list[PendingAlert]) -> None:
        if self.metrics is not None:
            self.metrics.pending.set(len(left))
            self.metrics.max_attempts.set(max((a.attempts for a in left), default=0))
            self.metrics.uncertain.set(sum(1 for a in left if a.uncertain))

    def blocked(self, channel: str) -> bool:
        """Whether a recent configuration error blocks sends to this channel (or to every channel)."""
        now = self.clock()
        with self._lock:
            return any(self._blocked.get(k, 0.0) > now for k in ("*", channel))

    def _block(self, channel: str) -> None:
        with self._lock:
            self._blocked[channel] = self.clock() + CONFIG_ERROR_PAUSE_S

    def deliver(self, alerts: list[PendingAlert], *, eager: bool = False) -> DeliveryOutcome:
        """Claim, send and mark these alerts (thread-safe: claims decide who sends); ``eager``:
        including those still backing off."""
        sent = failed = skipped = messages = 0
        errors: list[str] = []
        now = float("inf") if eager else self.clock()
        paused = False
        for group in group_alerts(alerts):
            channel = group[0].channel
            due = [a for a in group if a.not_before <= now and a.owner is None]
            skipped += len(group) - len(due)
            if not due:
                continue
            paused = paused or self._paused()
            if self.stop.is_set() or paused or self.blocked(channel):
                skipped += len(due)
                continue
            claims = self._claim(due)
            skipped += len(due) - len(claims)
            if not claims:
                continue
            try:
                done, posted = self._deliver(claims)
                sent, messages = sent + done, messages + posted
            except DeliveryRateLimitedError as exc:
                failed += len(claims)
                pause_s = self.store.pause(SLACK_PAUSE, exc.retry_after)
                self._release(claims, exc)
                paused = True
                errors.append(str(exc))
                logger.warning("Slack rate-limited us: no sends to Slack for %.0fs, from any instance "
                               "(%d alert(s) wait)", pause_s, len(claims))
            except DeliveryConfigError as exc:
                failed += len(claims)
                self._release(claims, exc)
                where = "any channel" if isinstance(exc, DeliveryAuthError) else channel
                logger.error("not delivering to %s for %.0fs: %s; fix the Slack settings (alerts stay "
                             "pending; a config reload tries again at once)", where, CONFIG_ERROR_PAUSE_S,
                             exc)
                self._block("*" if isinstance(exc, DeliveryAuthError) else channel)
                errors.append(str(exc))
            except _Stopped:
                skipped += len(claims)
                self._release(claims, None)
            except DeliveryError as exc:
                failed += len(claims)
                attempts = self._release(claims, exc)
                errors.append(str(exc))
                logger.warning("delivery of %d alert(s) to %s failed (attempt %d%s): %s; retrying in %.0fs",
                               len(claims), channel, attempts,
                               ", may have reached Slack" if isinstance(exc, DeliveryUncertainError) else "",
                               exc, backoff_s(attempts))
                if self.metrics is not None and isinstance(exc, HistoryUnavailable):
                    self.metrics.history_checks.labels("unavailable").inc()
        return DeliveryOutcome(sent, failed, skipped, 0, messages, tuple(dict.fromkeys(errors)))

    def _paused(self) -> bool:
        left = self.store.paused_for(SLACK_PAUSE)
        if self.metrics is not None:
            self.metrics.slack_paused.set(left)
        if left > 0:
            logger.info("sends to Slack are paused for another %.0fs after a rate limit", left)
        return left > 0

    def _claim(self, group: list[PendingAlert]) -> list[tuple[PendingAlert, Claim]]:
        out = []
        for a in group:
            claim = self.store.claim(a.id, a.channel, self.owner, self.lease_s)
            if claim is not None:
                out.append((a, claim))
        return out

    def _deliver(self, claims: list[tuple[PendingAlert, Claim]]) -> tuple[int, int]:
        """Send one message for the claimed alerts -> (alerts delivered, messages posted)."""
        done = 0
        to_send = []
        for alert, claim in claims:
            if (claim.must_check or alert.data.get("verify")) and self._already_posted(alert, claim):
                done += int(self.store.mark_delivered(claim))
            else:
                to_send.append((alert, claim))
        if not to_send:
            return done, 0
        try:
            message = self.render([a for a, _ in to_send])
        except Exception as exc:  # a rendering bug must not hold the claim until its lease runs out
            logger.exception("could not build the message for %s", [a.id for a, _ in to_send])
            raise DeliveryError(f"could not build the message: {exc}", reason="render") from exc
        self._wait_for_turn(message.channel)
        receipt = self.notifier.send(message)
        for _, claim in to_send:
            if not self.store.mark_delivered(claim, receipt.ts):
                logger.warning("posted %s to %s, but its claim had been taken over meanwhile "
                               "(lease_s too short?)", claim.alert_id, claim.channel)
            done += 1
        if self.metrics is not None:
            self.metrics.alerts_sent.labels(kind=message.kind).inc()
        if "note_thread" in message.extra:
            self._note_thread(message.channel, message.extra["note_thread"])
        return done, 1

    def _note_thread(self, channel: str, original: dict[str, str]) -> None:
        """Add "see the update in the thread" to the original alert (best effort: the reply is
        already posted, so a failure here is logged, never retried as a send)."""
        if not self.notifier.reads_history:
            return
        alert = self.store.get_alert(original["id"], channel)
        if alert is None or not needs_own_message(alert):
            return  # a message listing several filings is left as it is
        from monitor.messages import with_thread_note

        try:
            self.notifier.update(channel, original["ts"], with_thread_note(self.render([alert])))
        except DeliveryError as exc:
            logger.warning("posted the update to %s in its thread, but could not mark the original: %s",
                           original["id"], exc)

    def _already_posted(self, alert: PendingAlert, claim: Claim) -> bool:
        """Whether an earlier attempt reached Slack; raises ``DeliveryUncertainError`` when Slack
        cannot be asked now, so the alert stays uncertain."""
        since = datetime.fromtimestamp(min(alert.enqueued_at, _released(alert)), UTC)
        why = ("a claim taken over from a stopped instance" if claim.taken_over else
               "an earlier send whose answer never came" if claim.uncertain else "a store rebuilt from Slack")
        try:
            found = self.notifier.find_posted(alert.channel, alert.id, since) is not None
        except DeliveryAuthError as exc:
            exc.before_send = True  # type: ignore[attr-defined]  # the doubt stays with the alert
            raise
        except DeliveryConfigError as exc:
            # The history can never be read here (a missing read scope, a channel we cannot resolve):
            # holding the alert for ever would lose it, so it is posted, and the gap is said loudly.
            if self.metrics is not None:
                self.metrics.history_checks.labels("impossible").inc()
            logger.warning("cannot check whether %s was already posted to %s (%s): %s; posting it, which may "
                           "repeat a message (`hkex-monitor doctor` checks the scopes)", alert.id,
                           alert.channel, why, exc)
            return False
        except DeliveryError as exc:
            raise HistoryUnavailable(f"cannot read {alert.channel}'s history to check whether {alert.id} was "
                                     f"already posted ({why}): {exc}; nothing was sent") from exc
        if self.metrics is not None:
            self.metrics.history_checks.labels("found" if found else "not_found").inc()
        if found:
            logger.info("%s was already posted to %s (%s); marking it delivered without posting again",
                        alert.id, alert.channel, why)
        return found

    def _wait_for_turn(self, channel: str) -> None:
        """At most one message per channel per ``min_post_interval_s``, across instances."""
        if self.min_post_interval_s <= 0:
            return
        wait = self.store.reserve(channel_budget(channel), self.min_post_interval_s)
        if wait > LONGEST_PACING_WAIT_S:
            raise DeliveryError(f"{channel} is busy for another {wait:.0f}s", reason="pacing")
        if wait > 0 and self.stop.wait(wait):
            raise _Stopped()

    def _release(self, claims: list[tuple[PendingAlert, Claim]], exc: DeliveryError | None) -> int:
        """Give the claims back. An earlier doubt was settled before any send was tried (history
        read, or a webhook that cannot read it), so only this attempt's own doubt is kept. Not
        sent because of a stop or a rate limit: no backoff (the pause gates the next try)."""
        if exc is not None and self.metrics is not None:
            self.metrics.alert_failures.labels(reason=exc.reason).inc()
        if exc is None or isinstance(exc, DeliveryRateLimitedError):
            error = "not sent: stopping" if exc is None else str(exc)
            return max(self.store.release(claim, error) for _, claim in claims)
        doubt_kept = getattr(exc, "before_send", False)
        return max(self.store.release(claim, str(exc),
                                      uncertain=isinstance(exc, DeliveryUncertainError) or
                                      (doubt_kept and claim.must_check),
                                      retry_in_s=backoff_s(claim.attempts + 1)) for _, claim in claims)


class _Stopped(Exception):
    """A stop was requested while waiting for the channel's turn: nothing was sent."""


class HistoryUnavailable(DeliveryError):
    """The channel's history could not be read to settle an earlier doubt: nothing was sent, and the
    doubt stays with the alert (its next claim reads the history again)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="history")
        self.before_send = True


def _released(alert: PendingAlert) -> float:
    return alert.filing.released_at.timestamp() if alert.filing is not None else alert.enqueued_at
