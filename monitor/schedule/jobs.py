"""Every timed job of the daemon, on one APScheduler 3.x scheduler: the poll (planned by
``PollPlan`` once per poll, when it has ended), the heartbeat, the alarm check, the results-calendar
job (results due, and the results-days snapshot the plan reads), the config reload check, the weekly
digest and the nightly reconciliation.

Jobs are ``coalesce=True``, ``max_instances=1``, with ``schedule.misfire_grace_s``. The daemon hands
in what each job does (``Jobs``); the schedule decides only when. A reload re-times what changed
(``apply``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from monitor.filing import HKT
from monitor.schedule.plan import PollPlan
from monitor.settings import Settings

log = logging.getLogger(__name__)

ALARM_CHECK_EVERY_S = 30.0
CALENDAR_EVERY_S = 300.0
STALLED_POLL_S = 600.0  # a poll that never re-armed its successor (it cannot happen) is re-run then


@dataclass(frozen=True)
class Jobs:
    """What each timed job does; the daemon's, called on the scheduler's threads."""

    poll: Callable[[], None]
    heartbeat: Callable[[], None]
    alarms: Callable[[], None]
    calendar: Callable[[], None]
    digest: Callable[[], None]
    reconcile: Callable[[], None]
    reload: Callable[[], None] | None = None  # None: no config file to watch


class _AfterEachPoll(BaseTrigger):
    """The poll job's trigger: at once on start; afterwards the poll re-arms itself when it ends
    (``Schedule._poll``). APScheduler asks a trigger as the job *starts*, when nothing can be
    planned yet, so this only answers a far time that the poll's end replaces."""

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime:
        if previous_fire_time is None:
            return now
        return now + timedelta(seconds=STALLED_POLL_S)

    def __str__(self) -> str:
        return "after each poll, as the poll plan says"


class Schedule:
    def __init__(self, settings: Settings, plan: PollPlan, jobs: Jobs) -> None:
        self.plan = plan
        self.jobs = jobs
        self._settings = settings
        grace = int(settings.schedule.misfire_grace_s)
        self._scheduler = BackgroundScheduler(timezone=UTC, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": grace})
        self._scheduler.add_listener(self._job_error, EVENT_JOB_ERROR)

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def start(self) -> None:
        s, now, jobs = self._settings, datetime.now(UTC), self.jobs
        add = self._scheduler.add_job
        add(self._poll, _AfterEachPoll(), id="poll", name="poll HKEXnews")
        add(jobs.heartbeat, "interval", seconds=s.daemon.heartbeat_s, id="heartbeat", next_run_time=now)
        add(jobs.alarms, "interval", seconds=ALARM_CHECK_EVERY_S, id="alarms")
        add(jobs.calendar, "interval", seconds=CALENDAR_EVERY_S, id="calendar", next_run_time=now)
        if jobs.reload is not None:
            add(jobs.reload, "interval", seconds=s.daemon.reload_check_s, id="reload")
        self._cron_digest(s)
        self._cron_reconcile(s)
        self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def apply(self, new: Settings) -> None:
        """Re-time what a config reload changed (the poll plan reads its settings at each poll)."""
        old, self._settings = self._settings, new
        self.plan.schedule = new.schedule
        if not self._scheduler.running:
            return
        if new.daemon.heartbeat_s != old.daemon.heartbeat_s:
            self._scheduler.reschedule_job("heartbeat", trigger="interval", seconds=new.daemon.heartbeat_s)
        if new.daemon.reload_check_s != old.daemon.reload_check_s and self.jobs.reload is not None:
            self._scheduler.reschedule_job("reload", trigger="interval", seconds=new.daemon.reload_check_s)
        if new.digest != old.digest:
            self._cron_digest(new)
        if new.daemon.reconcile_at != old.daemon.reconcile_at:
            self._cron_reconcile(new)

    def _poll(self) -> None:
        try:
            self.jobs.poll()
        finally:
            self._rearm()

    def _rearm(self) -> None:
        """Time the next poll from what this one saw: the one plan of each poll."""
        if not self._scheduler.running:
            return
        at = self.plan.plan(datetime.now(UTC))
        try:
            self._scheduler.modify_job("poll", next_run_time=at)
        except Exception as exc:  # the scheduler shutting down under us: nothing left to plan
            log.debug("could not re-time the next poll: %s", exc)

    def _cron_digest(self, settings: Settings) -> None:
        if self._scheduler.get_job("digest") is not None:
            self._scheduler.remove_job("digest")
        if settings.digest.enabled:
            hour, minute = (int(p) for p in settings.digest.time.split(":"))
            self._scheduler.add_job(self.jobs.digest, CronTrigger(day_of_week=settings.digest.day, hour=hour,
                                                                  minute=minute, timezone=HKT),
                                    id="digest", name="weekly digest")

    def _cron_reconcile(self, settings: Settings) -> None:
        if self._scheduler.get_job("reconcile") is not None:
            self._scheduler.remove_job("reconcile")
        hour, minute = (int(p) for p in settings.daemon.reconcile_at.split(":"))
        self._scheduler.add_job(self.jobs.reconcile, CronTrigger(hour=hour, minute=minute, timezone=HKT),
                                id="reconcile", name="reconcile the day")

    @staticmethod
    def _job_error(event: JobExecutionEvent) -> None:
        log.error("scheduled job %s failed: %s", event.job_id, event.exception)
