"""Every call to Slack passes through one gate, shared by every instance through the store:

- **one call at a time per workspace.** A lock (``SLACK_LOCK``) is held from just before a request
  is written until its answer is in, so an answer that says "wait" (a 429, a 5xx) is known before
  any other call starts, on any instance: no call is ever made inside a pause that has already
  begun. The lock is short (``LOCK_TTL_S``) and renewed while the call lasts, so a holder that dies
  mid-call frees it in seconds.
- **pauses.** A 429 pauses every call for its ``Retry-After`` (``RATE_LIMIT_PAUSE``). Slack failing
  (5xx, no answer, no connection) pauses every call for a short growing backoff
  (``TROUBLE_PAUSE``, ``TROUBLE_BACKOFF_S``): one probe at a time, instead of each alert waiting out
  a backoff of its own; the first call that succeeds ends it for every alert and instance.
- **pacing.** At most one post per channel per ``min_post_interval_s``, as Slack asks.

A caller that will not wait as long as a pause lasts (``max_wait_s``: ``hkex-monitor once``) gets
``SlackPaused`` and leaves the rest for later; a stop request ends any wait with ``GateStopped``.
The console transport, which is not Slack, needs no gate (``OpenGate``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from monitor.errors import DeliveryError, DeliveryRateLimitedError
from monitor.metrics import Metrics
from monitor.store import Budgets

log = logging.getLogger(__name__)

SLACK_LOCK = "slack:call"
RATE_LIMIT_PAUSE = "slack"  # a 429's Retry-After, for every call
TROUBLE_PAUSE = "slack:trouble"  # after Slack failed to answer; ended by the first success
TROUBLE_BACKOFF_S = (2.0, 4.0, 8.0, 15.0)  # after the 1st, 2nd, ... consecutive failure (capped)
# What says "Slack is in trouble" rather than "this alert is": no answer, no connection, a 5xx.
TROUBLE_REASONS = frozenset({"server_error", "timeout", "no_answer", "connection", "connect_timeout",
                             "bad_answer", "fatal_error", "internal_error"})
LOCK_POLL_S = 0.02  # how often a call waiting for the lock asks again
PAUSE_RECHECK_S = 1.0  # a call waiting out a pause asks the store again this often (ended early: go)
LOCK_TTL_S = 6.0  # the lock's lease, renewed every third of it while the call lasts


def channel_budget(channel: str) -> str:
    """The store's budget name for posting to one channel."""
    return f"slack:{channel}"


class GateStopped(Exception):
    """A stop was requested while waiting for the gate: nothing was sent."""


class SlackPaused(DeliveryError):
    """Slack asked us to wait longer than this caller waits (``max_wait_s``): nothing was sent."""

    def __init__(self, seconds: float, why: str) -> None:
        super().__init__(f"sends to Slack are paused for another {seconds:.0f}s ({why}), longer than this "
                         f"run waits", reason="paused")
        self.seconds = seconds


class Gate(Protocol):
    def call(self, channel: str | None = None, *, post: bool = False) -> AbstractContextManager[None]:
        """Hold the turn for one call."""
        ...


class OpenGate:
    """No gate: for transports that are not Slack (the console)."""

    @contextmanager
    def call(self, channel: str | None = None, *, post: bool = False) -> Iterator[None]:
        yield


class SlackGate:
    def __init__(self, store: Budgets, *, owner: str, call_ttl_s: float, min_post_interval_s: float = 1.0,
                 stop: threading.Event | None = None, metrics: Metrics | None = None,
                 max_wait_s: float | None = None,
                 trouble_backoff_s: tuple[float, ...] = TROUBLE_BACKOFF_S) -> None:
        self.store = store
        self.owner = owner
        self.call_ttl_s = call_ttl_s
        self.min_post_interval_s = min_post_interval_s
        self.stop = stop or threading.Event()
        self.metrics = metrics
        self.max_wait_s = max_wait_s  # None: wait out any pause (the daemon)
        self.trouble_backoff_s = trouble_backoff_s
        self._failures = 0
        self._local = threading.Lock()
        self._holding = threading.Event()  # set while this gate holds the lock (its renewer renews it)
        self._renewer: threading.Thread | None = None

    @contextmanager
    def call(self, channel: str | None = None, *, post: bool = False) -> Iterator[None]:
        """Hold the workspace's turn for one Slack call: wait out pauses and, for a post, the channel's
        pacing; keep every other call of the cluster out until this one's answer is in, and record what
        that answer says about waiting before letting the next one in."""
        if post and channel is not None and self.min_post_interval_s > 0:
            turn = self.store.reserve(channel_budget(channel), self.min_post_interval_s)
            self._wait(turn, "the channel's pace")
        while True:
            self._wait_for_pauses()
            self._acquire()
            if self._paused_for() <= 0:  # a 429 may have come in while this call waited for the lock
                break
            self.store.release_lock(SLACK_LOCK, self.owner)
        self._holding.set()
        try:
            yield
        except DeliveryRateLimitedError as exc:
            left = self.store.pause(RATE_LIMIT_PAUSE, exc.retry_after)
            log.warning("Slack rate-limited us: no call to Slack for %.0fs, from any instance", left)
            raise
        except DeliveryError as exc:
            if exc.reason in TROUBLE_REASONS:
                self._trouble(exc)
            raise
        else:
            self._success()
        finally:
            self._holding.clear()
            self.store.release_lock(SLACK_LOCK, self.owner)

    def _paused_for(self) -> float:
        left = max(self.store.paused_for(RATE_LIMIT_PAUSE), self.store.paused_for(TROUBLE_PAUSE))
        if self.metrics is not None:
            self.metrics.slack_paused.set(left)
        return left

    def _wait_for_pauses(self) -> None:
        while (left := self._paused_for()) > 0:
            why = ("rate limited by Slack" if self.store.paused_for(RATE_LIMIT_PAUSE) > 0 else
                   "Slack was failing; trying again")
            if self.max_wait_s is not None and left > self.max_wait_s:
                raise SlackPaused(left, why)
            # In slices: a pause can end early (another instance's success ends Slack's trouble
            # backoff; an operator's `alerts retry`), and the store says so.
            self._wait(min(left, PAUSE_RECHECK_S), why)

    def _acquire(self) -> None:
        waited = 0.0
        while not self.store.acquire(SLACK_LOCK, self.owner, LOCK_TTL_S):
            if self.stop.wait(LOCK_POLL_S):
                raise GateStopped()
            waited += LOCK_POLL_S
            if waited > 2 * self.call_ttl_s:  # longer than any call lasts: something is wrong
                raise DeliveryError(f"another instance has held the Slack call lock for over {waited:.0f}s",
                                    reason="busy")
        with self._local:  # the posting and the figures lanes share this gate
            if self._renewer is None:
                self._renewer = threading.Thread(target=self._renew, name="slack-lock", daemon=True)
                self._renewer.start()

    def _renew(self) -> None:
        """Keep the lock while a call lasts (slack-sdk's own retries can make one call long)."""
        pace = threading.Event()  # never set: a sleep of a third of the lease
        while True:
            self._holding.wait()
            pace.wait(LOCK_TTL_S / 3)
            if not self._holding.is_set():
                continue
            try:
                self.store.renew_lock(SLACK_LOCK, self.owner, LOCK_TTL_S)
            except Exception as exc:  # the call goes on; if the lock lapses the pause check still holds
                log.debug("could not renew the Slack call lock: %s", exc)

    def _wait(self, seconds: float, why: str) -> None:
        if seconds <= 0:
            return
        if self.max_wait_s is not None and seconds > self.max_wait_s:
            raise SlackPaused(seconds, why)
        if self.stop.wait(seconds):
            raise GateStopped()

    def _trouble(self, exc: DeliveryError) -> None:
        with self._local:
            self._failures += 1
            backoff = self.trouble_backoff_s[min(self._failures, len(self.trouble_backoff_s)) - 1]
        self.store.pause(TROUBLE_PAUSE, backoff)
        log.warning("Slack did not answer properly (%s): every call waits %.0fs, then one tries again",
                    exc.reason, backoff)

    def _success(self) -> None:
        with self._local:
            failed, self._failures = self._failures, 0
        if failed:
            self.store.clear_pause(TROUBLE_PAUSE)
            log.info("Slack answers again: sending what is pending")
