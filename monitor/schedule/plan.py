"""When to poll next, and why: planned once per poll, when the poll has ended.

Inside HKEXnews' publication windows (Hong Kong time):
- on a day when a watched stock's results board meeting falls (``ResultsDays``, a snapshot the
  calendar job refreshes), every ``schedule.results_day_s`` (conditional requests make an unchanged
  feed nearly free);
- else at the fixed ``schedule.in_window_s`` if the user set one;
- else just after the feed's next regeneration is due, as learnt from its ``genDate``
  (``monitor.schedule.cadence``), so a new filing is read within a second or two of appearing
  instead of up to a whole interval later; while the cadence is still unknown, every
  ``schedule.learning_s``.
Outside the windows: every ``schedule.off_window_s``, and at every window's opening.

The plan is asked once per poll, after the poll has seen the feed (``monitor.schedule.jobs``
re-arms the poll job then): asked at the poll's start instead, it would not yet know the
regeneration the poll is about to find and would plan a second request for it. The interval in
force and its reason are logged when they change and exported to /metrics.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Protocol

from monitor.filing import HKT
from monitor.metrics import Metrics
from monitor.schedule.windows import in_window, next_window_start
from monitor.settings import ScheduleSettings

log = logging.getLogger(__name__)

LONGEST_ADAPTIVE_WAIT_S = 300.0  # a learnt cadence longer than this is not trusted in a window


class Cadence(Protocol):
    def next_due(self, now: float) -> float | None:
        """When (unix seconds) the feed's next regeneration should be visible, its margin included;
        None while it is not known."""
        ...


class ResultsDays:
    """Which watched stocks hold their results board meeting on which day: a snapshot, replaced
    whole by the calendar job (so the plan never reads the store). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._days: dict[date, tuple[str, ...]] = {}

    def replace(self, days: Mapping[date, Iterable[str]]) -> None:
        snapshot = {day: tuple(sorted(set(codes))) for day, codes in days.items() if codes}
        with self._lock:
            self._days = snapshot

    def on(self, day: date) -> tuple[str, ...]:
        with self._lock:
            return self._days.get(day, ())


class PollPlan:
    """Decides the next poll time; thread-safe, cheap, and never raises into the scheduler."""

    def __init__(self, schedule: ScheduleSettings, *, cadence: Cadence | None = None,
                 results_days: ResultsDays | None = None, metrics: Metrics | None = None) -> None:
        self.schedule = schedule
        self.cadence = cadence
        self.results_days = results_days or ResultsDays()
        self.metrics = metrics
        self._lock = threading.Lock()
        self._reason: str | None = None

    def next_poll(self, now: datetime) -> tuple[datetime, str, float]:
        """(when, why, the interval it amounts to in seconds), for a poll that has just ended."""
        s = self.schedule
        if not in_window(now):
            at = min(now + timedelta(seconds=s.off_window_s), next_window_start(now))
            return at, "outside the publication windows", s.off_window_s
        codes = self.results_days.on(now.astimezone(HKT).date())
        if codes:
            why = f"results day: {', '.join(codes)} meet{'s' if len(codes) == 1 else ''} today"
            return now + timedelta(seconds=s.results_day_s), why, s.results_day_s
        if s.in_window_s is not None:
            why = "fixed interval (schedule.in_window_s)"
            return now + timedelta(seconds=s.in_window_s), why, s.in_window_s
        due = None if self.cadence is None else self.cadence.next_due(now.timestamp())
        if due is not None:
            wait = max(0.2, due - now.timestamp())
            if wait <= LONGEST_ADAPTIVE_WAIT_S:
                return now + timedelta(seconds=wait), "just after the feed's next regeneration", wait
        return now + timedelta(seconds=s.learning_s), "learning the feed's regeneration cadence", s.learning_s

    def plan(self, now: datetime) -> datetime:
        """The next poll's time; logs the reason when it changes and exports the interval."""
        at, why, interval = self.next_poll(now)
        with self._lock:
            changed, self._reason = why != self._reason, why
        if self.metrics is not None:
            self.metrics.poll_interval.clear()
            self.metrics.poll_interval.labels(why).set(interval)
        if changed:
            log.info("polling: %s (about every %.0fs)", why, interval)
        return at
