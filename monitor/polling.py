"""When to poll next, and why: the APScheduler trigger of the poll job.

Inside HKEXnews' publication windows (Hong Kong time):
- on a day when a watched stock's results board meeting falls (from the calendar), every
  ``schedule.results_day_s`` (conditional requests make an unchanged feed nearly free);
- else at the fixed ``schedule.in_window_s`` if the user set one;
- else just after the feed's next regeneration is due, as learnt from its ``genDate``
  (``monitor.hkexnews.cadence``), so a new filing is read within a second or two of appearing
  instead of up to a whole interval later; while the cadence is still unknown, every
  ``schedule.learning_s``.
Outside the windows: every ``schedule.off_window_s``, and at every window's opening.
The interval in force and its reason are logged when they change and exported to /metrics.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol

from apscheduler.triggers.base import BaseTrigger

from monitor.filing import HKT
from monitor.metrics import Metrics
from monitor.settings import ScheduleSettings
from monitor.windows import in_window, next_window_start

log = logging.getLogger(__name__)

LONGEST_ADAPTIVE_WAIT_S = 300.0  # a learnt cadence longer than this is not trusted in a window


class Cadence(Protocol):
    def next_due(self, now: float, *, in_flight: bool = False) -> float | None:
        """When (unix seconds) the feed's next regeneration should be visible, its margin included;
        None while it is not known. ``in_flight``: a poll is starting at ``now``, so a regeneration
        already due is this poll's to find, not a reason to poll again at once."""
        ...


ResultsToday = Callable[[date], Sequence[str]]  # -> codes of watched stocks whose results meeting is that day


class PollPlan:
    """Decides the next poll time; thread-safe, cheap, and never raises into the scheduler."""

    def __init__(self, schedule: ScheduleSettings, *, cadence: Cadence | None = None,
                 results_today: ResultsToday | None = None, metrics: Metrics | None = None) -> None:
        self.schedule = schedule
        self.cadence = cadence
        self.results_today = results_today
        self.metrics = metrics
        self._lock = threading.Lock()
        self._reason: str | None = None

    def next_poll(self, now: datetime, *, in_flight: bool = False) -> tuple[datetime, str, float]:
        """(when, why, the interval it amounts to in seconds). ``in_flight``: asked as a poll starts
        (APScheduler asks its trigger then); the daemon asks again when the poll has ended."""
        s = self.schedule
        if not in_window(now):
            at = min(now + timedelta(seconds=s.off_window_s), next_window_start(now))
            return at, "outside the publication windows", s.off_window_s
        codes: Sequence[str] = ()
        if self.results_today is not None:
            try:
                codes = self.results_today(now.astimezone(HKT).date())
            except Exception:  # the calendar must never stop polling
                log.exception("could not read the results calendar; polling at the normal interval")
        if codes:
            why = f"results day: {', '.join(sorted(codes))} meet{'s' if len(codes) == 1 else ''} today"
            return now + timedelta(seconds=s.results_day_s), why, s.results_day_s
        if s.in_window_s is not None:
            why = "fixed interval (schedule.in_window_s)"
            return now + timedelta(seconds=s.in_window_s), why, s.in_window_s
        due = None if self.cadence is None else self.cadence.next_due(now.timestamp(), in_flight=in_flight)
        if due is not None:
            wait = max(0.2, due - now.timestamp())
            if wait <= LONGEST_ADAPTIVE_WAIT_S:
                return now + timedelta(seconds=wait), "just after the feed's next regeneration", wait
        return now + timedelta(seconds=s.learning_s), "learning the feed's regeneration cadence", s.learning_s

    def note(self, why: str, interval: float) -> None:
        """Log the reason when it changes; export the interval in force."""
        with self._lock:
            changed, self._reason = why != self._reason, why
        if self.metrics is not None:
            self.metrics.poll_interval.clear()
            self.metrics.poll_interval.labels(why).set(interval)
        if changed:
            log.info("polling: %s (about every %.0fs)", why, interval)


class PollTrigger(BaseTrigger):
    """APScheduler 3.x trigger following a ``PollPlan``; polls at once on start."""

    def __init__(self, plan: PollPlan, clock: Callable[[], datetime] | None = None) -> None:
        self.plan = plan
        self.clock = clock

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime:
        if previous_fire_time is None:
            return now
        current = self.clock() if self.clock is not None else max(now, previous_fire_time)
        at, why, interval = self.plan.next_poll(current, in_flight=True)
        self.plan.note(why, interval)
        return max(at, now)

    def __str__(self) -> str:
        return "poll plan (publication windows, feed cadence, results days)"
