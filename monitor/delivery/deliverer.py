"""Turns pending alerts into Slack messages, exactly once per (alert, channel).

For each message: claim every alert it covers (skipping any another live instance holds), hold the
claims with short leases renewed while held (``HeldClaims``), and where an earlier attempt may have
reached Slack (a claim taken over from a dead instance, a send whose answer never came, a store that
lost its memory) look in the channel's history first; then send through the gate (``gate.py``: one
Slack call at a time for the cluster, pauses, per-channel pace), and mark the alerts only after the
transport said ok.

**Announce first** (a bot token, ``slack.announce_first``): the alert for a filing whose document is
read (results, profit warnings, board meetings, delays) is posted the moment the filing is found,
saying the figures are coming, and marked *announced* with its message's ts; once the document is
read, that same message is edited in place with the summary (``chat.update``) and the alert is
delivered. One message per filing and channel: a crash between the post and the mark is settled by
finding the message in the history (its metadata carries the filing id) and editing it; an update
redone after a crash is the same edit. Without editing (a webhook, the console), the one message is
posted once the document is read.

What a failure does:
- may have reached Slack (no answer, a 5xx after the body was sent): released *uncertain*; nothing
  is sent again until the history was read;
- a 429, or Slack failing: the gate pauses every call of the cluster (for Retry-After, or a short
  backoff that the first success ends); the alerts are released with no backoff of their own;
- a configuration error (bad token, unknown channel): logged once, and no more sends to that channel
  (or any, for credentials) from this process for ``CONFIG_ERROR_PAUSE_S``;
- anything else: released with a growing backoff and retried later.
A stop request lets the call in flight finish and starts no new one; what is held is given back.
``StoreError`` propagates: the caller skips the round; nothing is sent without dedupe.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from monitor.delivery.gate import TROUBLE_REASONS, Gate, GateStopped, OpenGate, SlackPaused
from monitor.delivery.grouping import group_alerts, needs_own_message
from monitor.delivery.leases import HeldClaims
from monitor.delivery.transport import Transport
from monitor.errors import (
    DeliveryAuthError,
    DeliveryConfigError,
    DeliveryError,
    DeliveryRateLimitedError,
    DeliveryUncertainError,
)
from monitor.messages.render import Renderer
from monitor.metrics import Metrics
from monitor.routing import reader_for
from monitor.store import AlertKind, Claim, PendingAlert, Store
from notifiers.base import Message, Receipt

logger = logging.getLogger(__name__)

BACKOFF_S = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0)  # after the 1st, 2nd, ... failed attempt of one alert
CONFIG_ERROR_PAUSE_S = 60.0  # after a credentials or channel error, before that channel is tried again
GONE_MESSAGE_ERRORS = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})
Claimed = list[tuple[PendingAlert, Claim]]


def backoff_s(attempts: int) -> float:
    """How long an alert waits after its ``attempts``-th failed attempt."""
    return BACKOFF_S[min(max(attempts, 1), len(BACKOFF_S)) - 1]


@dataclass(frozen=True)
class DeliveryOutcome:
    """Counts of alerts (alert x channel) in one round; ``messages`` counts Slack posts and edits."""

    sent: int  # delivered this round (posted, edited with the figures, or found already posted)
    failed: int  # attempted and released with an error
    skipped: int  # not ready, backing off, held elsewhere, paused, or behind a config error
    pending: int  # still pending after the round
    messages: int = 0
    errors: tuple[str, ...] = ()  # distinct failure reasons this round, for the operator
    announced: int = 0  # first notices posted this round (their figures follow in the same message)
    more: bool = False  # the round stopped at its limit with more ready: run another at once
    awaiting: int = 0  # of the pending: first notice posted, the figures still to come


class Deliverer:
    def __init__(self, store: Store, transport: Transport, *, owner: str, lease_s: float,
                 render: Renderer | None = None, metrics: Metrics | None = None, gate: Gate | None = None,
                 announce_first: bool = False, stop: threading.Event | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.store, self.transport, self.owner, self.lease_s = store, transport, owner, lease_s
        self.render = render or Renderer(store)
        self.metrics = metrics
        self.gate: Gate = gate or OpenGate()
        self.announce_first = announce_first and transport.edits
        self.stop = stop or threading.Event()
        self.clock = clock
        self.held = HeldClaims(store, lease_s)
        self._blocked: dict[str, float] = {}  # channel ("*": all) -> blocked until (after a config error)
        self._lock = threading.Lock()

    def figures_in(self, alert: PendingAlert) -> bool:
        """Whether the alert's figures are settled: its filing's document is read (figures, or the
        reason there are none, stored), or it needs none."""
        if alert.kind != AlertKind.FILING or alert.filing is None or reader_for(alert.filing) is None:
            return True
        return self.store.get_report(alert.filing.id) is not None

    def announces(self, alert: PendingAlert) -> bool:
        """Whether this alert is posted before its figures and edited with them later."""
        return (self.announce_first and alert.kind == AlertKind.FILING and alert.filing is not None
                and reader_for(alert.filing) is not None and needs_own_message(alert))

    def ready(self, alert: PendingAlert) -> bool:
        """Whether the alert's next step can be taken: its first notice, or its figures."""
        if alert.announced_ts is not None:
            return self.figures_in(alert)
        return self.announces(alert) or self.figures_in(alert)

    def deliver_pending(self, *, eager: bool = False, limit: int | None = None,
                        figures_only: bool = False) -> DeliveryOutcome:
        """One round over everything pending that is ready, newest first. ``eager``: also what is
        backing off after a failure (a round an operator asked for, e.g. ``once``). ``limit``: stop
        after this many messages were tried (``more`` says so), so that the next round, newest first
        again, sends what appeared meanwhile before the rest of a backlog. ``figures_only``: only the
        figures of first notices already posted (edits, which no channel's pace holds back), for a
        lane beside the one that posts; its outcome leaves ``pending`` at 0 (not read again). Raises
        only ``StoreError``."""
        alerts = self.store.pending()
        todo = [a for a in alerts if self.ready(a) and (not figures_only or a.announced_ts is not None)]
        outcome = self.deliver(todo, eager=eager, limit=limit)
        if figures_only:  # woken per document read: what is left is counted by the main lane's rounds
            return replace(outcome, skipped=outcome.skipped + len(alerts) - len(todo))
        left = self.store.pending()
        self.report_pending(left)
        return DeliveryOutcome(outcome.sent, outcome.failed, outcome.skipped + len(alerts) - len(todo),
                               len(left), outcome.messages, outcome.errors, outcome.announced, outcome.more,
                               awaiting=sum(1 for a in left if a.announced_ts is not None))

    def report_pending(self, left: list[PendingAlert]) -> None:
        if self.metrics is not None:
            self.metrics.pending.set(len(left))
            self.metrics.max_attempts.set(max((a.attempts for a in left), default=0))
            self.metrics.uncertain.set(sum(1 for a in left if a.uncertain))

    def give_back(self, reason: str = "not sent: the process stopped") -> int:
        """Give back every claim held (a stop): the next run, or another instance, takes them at once."""
        return self.held.give_back(reason)

    def close(self) -> None:
        self.held.close()

    def deliver(self, alerts: list[PendingAlert], *, eager: bool = False,
                limit: int | None = None) -> DeliveryOutcome:
        """Claim, send and mark these alerts (thread-safe: claims decide who sends); ``eager``:
        including those still backing off; ``limit``: at most this many messages tried."""
        sent = failed = skipped = messages = announced = tried = 0
        errors: list[str] = []
        now = float("inf") if eager else self.clock()
        paused = more = False
        for group in group_alerts(alerts):
            if limit is not None and tried >= limit:
                more = True
                break
            channel = group[0].channel
            due = [a for a in group if a.not_before <= now and (a.owner is None or a.owner_alive is False)]
            skipped += len(group) - len(due)
            if not due or self.stop.is_set() or paused or self.blocked(channel):
                skipped += len(due)
                continue
            claims = self._claim(due)
            skipped += len(due) - len(claims)
            if not claims:
                continue
            tried += 1
            self.held.hold([c for _, c in claims])
            step = _Step(self, claims)
            try:
                step.run()
                sent, messages = sent + step.delivered, messages + step.calls
                announced += step.announced
            except (GateStopped, SlackPaused) as exc:
                skipped += len(claims)
                self._give_back(claims, str(exc) if isinstance(exc, SlackPaused) else "not sent: stopping")
                if isinstance(exc, SlackPaused):
                    paused = True
                    errors.append(str(exc))
                    failed += len(claims)
            except DeliveryRateLimitedError as exc:
                failed += len(claims)
                self._give_back(claims, str(exc))
                errors.append(str(exc))
            except DeliveryConfigError as exc:
                failed += len(claims)
                self._release(claims, exc, doubt_kept=step.checking)
                where = "any channel" if isinstance(exc, DeliveryAuthError) else channel
                logger.error("not delivering to %s for %.0fs: %s; fix the Slack settings (alerts stay "
                             "pending; a config reload tries again at once)", where, CONFIG_ERROR_PAUSE_S,
                             exc)
                self._block("*" if isinstance(exc, DeliveryAuthError) else channel)
                errors.append(str(exc))
            except DeliveryError as exc:
                failed += len(claims)
                attempts = self._release(claims, exc, doubt_kept=step.checking)
                errors.append(str(exc))
                paused = paused or _trouble(exc)  # Slack's trouble: the gate's next probe
                logger.warning("delivery of %d alert%s to %s failed (attempt %d%s): %s", len(claims),
                               "" if len(claims) == 1 else "s", channel, attempts,
                               ", may have reached Slack" if isinstance(exc, DeliveryUncertainError) else "",
                               exc)
            except BaseException:  # Ctrl-C, a closed pipe: nothing stranded on the way out
                self._interrupted(claims, step.sending)
                raise
            finally:
                self.held.drop([c for _, c in claims])
        return DeliveryOutcome(sent, failed, skipped, 0, messages, tuple(dict.fromkeys(errors)), announced,
                               more and not paused)

    def blocked(self, channel: str) -> bool:
        """Whether a recent configuration error blocks sends to this channel (or to every channel)."""
        now = self.clock()
        with self._lock:
            return any(self._blocked.get(k, 0.0) > now for k in ("*", channel))

    def _block(self, channel: str) -> None:
        with self._lock:
            self._blocked[channel] = self.clock() + CONFIG_ERROR_PAUSE_S

    def _claim(self, group: list[PendingAlert]) -> Claimed:
        out = []
        for a in group:
            claim = self.store.claim(a.id, a.channel, self.owner, self.lease_s)
            if claim is not None:
                out.append((a, claim))
        return out

    def _give_back(self, claims: Claimed, reason: str) -> None:
        """Not sent, through no fault of the alerts (a pause, a stop): no attempt, no backoff."""
        self.store.release_claims([c for _, c in claims], reason)

    def _interrupted(self, claims: Claimed, in_flight: bool) -> None:
        """Released on the way out of an interrupted process; a call cut off in flight may have
        reached Slack, so those alerts are looked for before any re-send."""
        try:
            if in_flight:
                for _, claim in claims:
                    self.store.release(claim, "interrupted while sending: it may have been posted",
                                       uncertain=True)
            else:
                self._give_back(claims, "not sent: the process stopped")
        except Exception:  # already on the way out: the short lease frees them in any case
            logger.debug("could not release claims while stopping", exc_info=True)

    def _release(self, claims: Claimed, exc: DeliveryError, *, doubt_kept: bool = False) -> int:
        """Give the claims back after a failed attempt. An earlier doubt was settled before any send
        was tried (history read, or a transport that cannot read it), so only this attempt's own
        doubt is kept. Slack's own trouble is the gate's pause, not each alert's backoff."""
        if self.metrics is not None:
            self.metrics.alert_failures.labels(reason=exc.reason).inc()
        trouble = _trouble(exc)
        return max(self.store.release(claim, str(exc),
                                      uncertain=isinstance(exc, DeliveryUncertainError) or
                                      (doubt_kept and claim.must_check),
                                      retry_in_s=0.0 if trouble else backoff_s(claim.attempts + 1))
                   for _, claim in claims)


class _Step:
    """One message's delivery: settle earlier doubts, then post, announce or update, then mark.
    ``checking``: a failure now came before any send (the alerts' doubt stays); ``sending``: a call
    that would post or edit is in flight (an interruption may leave it posted)."""

    def __init__(self, d: Deliverer, claims: Claimed) -> None:
        self.d = d
        self.claims = claims
        self.delivered = self.announced = self.calls = 0
        self.checking = self.sending = False

    def run(self) -> None:
        d = self.d
        todo: Claimed = []
        for alert, claim in self.claims:
            if claim.announced_ts is None and (claim.must_check or alert.data.get("verify")):
                self.checking = True
                found = self._find_posted(alert, claim)
                self.checking = False
                if found is not None and d.announces(alert) and found.ts:
                    # The earlier attempt posted it, perhaps as the first notice: edit that message.
                    claim = replace(claim, announced_ts=found.ts)
                    if not d.figures_in(alert):
                        self.announced += int(self._announced(claim, found.ts))
                        continue
                elif found is not None:
                    self.delivered += int(self._delivered(claim, found.ts))
                    continue
            todo.append((alert, claim))
        if not todo:
            return
        alerts = [a for a, _ in todo]
        ts = todo[0][1].announced_ts
        if ts is not None:
            self._update(todo, ts)
        elif len(todo) == 1 and d.announces(alerts[0]) and not d.figures_in(alerts[0]):
            self._announce(todo)
        else:
            self._post(todo, self._render(alerts))

    def _delivered(self, claim: Claim, ts: str | None = None) -> bool:
        """Mark delivered; the claim stops being renewed first, so a renewal cannot see it settled
        and take it for lost while the rest of the step (a thread note, the next alert) goes on."""
        self.d.held.drop([claim])
        return self.d.store.mark_delivered(claim, ts)

    def _announced(self, claim: Claim, ts: str) -> bool:
        self.d.held.drop([claim])
        return self.d.store.mark_announced(claim, ts)

    def _render(self, alerts: list[PendingAlert]) -> Message:
        try:
            return self.d.render(alerts)
        except Exception as exc:  # a rendering bug must not hold the claim until its lease runs out
            logger.exception("could not build the message for %s", [a.id for a in alerts])
            raise DeliveryError(f"could not build the message: {exc}", reason="render") from exc

    def _call(self, channel: str | None, post: bool, fn: Callable[[], Receipt]) -> Receipt:
        with self.d.gate.call(channel, post=post):
            self.sending = post or channel is None and not self.checking
            try:
                receipt = fn()
            finally:
                self.sending = False
        self.calls += 1
        return receipt

    def _post(self, todo: Claimed, message: Message) -> None:
        d = self.d
        receipt = self._call(message.channel, True, lambda: d.transport.send(message))
        for _, claim in todo:
            if not self._delivered(claim, receipt.ts):
                logger.warning("posted %s to %s, but its claim had been taken over meanwhile (lease lost)",
                               claim.alert_id, claim.channel)
            self.delivered += 1
        if d.metrics is not None:
            d.metrics.alerts_sent.labels(kind=message.kind).inc()
        if "note_thread" in message.extra:
            self._note_thread(message.channel, message.extra["note_thread"])

    def _announce(self, todo: Claimed) -> None:
        d = self.d
        [(alert, claim)] = todo
        message = d.render.first_notice(alert)
        receipt = self._call(message.channel, True, lambda: d.transport.send(message))
        if receipt.ts is None:  # nothing to edit later: this was the one message
            logger.warning("posted the first notice of %s but Slack gave no ts to edit; it stays as it is",
                           alert.id)
            self._delivered(claim)
            self.delivered += 1
            return
        self._announced(claim, receipt.ts)
        self.announced += 1
        if d.metrics is not None:
            d.metrics.alerts_sent.labels(kind="first_notice").inc()
        if "note_thread" in message.extra:
            self._note_thread(message.channel, message.extra["note_thread"])

    def _update(self, todo: Claimed, ts: str) -> None:
        d = self.d
        message = self._render([a for a, _ in todo])
        try:
            receipt = self._call(None, False, lambda: d.transport.update(message.channel, ts, message))
        except DeliveryConfigError as exc:
            if exc.reason not in GONE_MESSAGE_ERRORS:
                raise
            # The first notice was deleted or can no longer be edited: the summary goes out on its own.
            logger.warning("the first notice of %s in %s cannot be edited (%s); posting the summary instead",
                           todo[0][0].id, message.channel, exc.reason)
            self._post(todo, message)
            return
        for _, claim in todo:
            self._delivered(claim, receipt.ts or ts)
            self.delivered += 1
        if d.metrics is not None:
            d.metrics.alerts_sent.labels(kind=message.kind).inc()

    def _note_thread(self, channel: str, original: dict[str, str]) -> None:
        """Add "see the update in the thread" to the original alert (best effort: the reply is
        already posted, so a failure here is logged, never retried as a send)."""
        d = self.d
        if not d.transport.edits:
            return
        alert = d.store.get_alert(original["id"], channel)
        if alert is None or not needs_own_message(alert):
            return  # a message listing several filings is left as it is
        from monitor.messages import with_thread_note

        try:
            message = with_thread_note(d.render([alert]))
            self._call(None, False, lambda: d.transport.update(channel, original["ts"], message))
        except DeliveryError as exc:
            logger.warning("posted the update to %s in its thread, but could not mark the original: %s",
                           original["id"], exc)

    def _find(self, look: Callable[[], Receipt | None]) -> Receipt | None:
        with self.d.gate.call():
            found = look()
        self.calls += 1
        return found

    def _find_posted(self, alert: PendingAlert, claim: Claim) -> Receipt | None:
        """Our message of an earlier attempt, if it reached Slack; raises ``DeliveryUncertainError``
        (``HistoryUnavailable``) when Slack cannot be asked now, so the alert stays uncertain."""
        d = self.d
        since = datetime.fromtimestamp(min(alert.enqueued_at, _released(alert)), UTC)
        why = ("a claim taken over from a stopped instance" if claim.taken_over else
               "an earlier send whose answer never came" if claim.uncertain else
               "the store was empty when it was found")
        try:
            found = self._find(lambda: d.transport.find_posted(alert.channel, alert.id, since))
        except DeliveryAuthError:
            raise  # the doubt stays with the alert: the step is still checking
        except DeliveryConfigError as exc:
            # The history can never be read here (a missing read scope, a channel we cannot resolve):
            # holding the alert for ever would lose it, so it is posted, and the gap is said loudly.
            if d.metrics is not None:
                d.metrics.history_checks.labels("impossible").inc()
            logger.warning("cannot check whether %s was already posted to %s (%s): %s; posting it, which may "
                           "repeat a message (`hkex-monitor doctor` checks the scopes)", alert.id,
                           alert.channel, why, exc)
            return None
        except DeliveryRateLimitedError:
            raise
        except DeliveryError as exc:
            if d.metrics is not None:
                d.metrics.history_checks.labels("unavailable").inc()
            raise HistoryUnavailable(f"cannot read {alert.channel}'s history to check whether {alert.id} was "
                                     f"already posted ({why}): {exc}", trouble=exc.reason in TROUBLE_REASONS
                                     ) from exc
        if d.metrics is not None:
            d.metrics.history_checks.labels("found" if found else "not_found").inc()
        if found is not None:
            logger.info("%s was already posted to %s (%s); not posting it again", alert.id, alert.channel,
                        why)
        return found


class HistoryUnavailable(DeliveryError):
    """The channel's history could not be read to settle an earlier doubt: nothing was sent, and the
    doubt stays with the alert (its next claim reads the history again)."""

    def __init__(self, message: str, *, trouble: bool = False) -> None:
        super().__init__(message, reason="history")
        self.trouble = trouble  # Slack itself failed to answer (the gate pauses), not this alert


def _trouble(exc: DeliveryError) -> bool:
    """Whether the failure is Slack's (no answer, a 5xx), for which the gate pauses every call, rather
    than this alert's own."""
    return exc.reason in TROUBLE_REASONS or (isinstance(exc, HistoryUnavailable) and exc.trouble)


def _released(alert: PendingAlert) -> float:
    return alert.filing.released_at.timestamp() if alert.filing is not None else alert.enqueued_at
