"""When the daemon's timed jobs run (``monitor.schedule.jobs.Schedule``), on the real APScheduler with
short intervals, waiting on what the jobs record rather than sleeping: the poll runs at once on start,
then is re-armed once per poll, when it has ended, at the time the poll plan gave (never before); a
poll that fails is re-armed all the same; ``apply`` re-times the heartbeat, the reload check, the
digest and the reconciliation after a config reload, and leaves alone what did not change."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from apscheduler.job import Job
from waiting import wait_for

import monitor.schedule.plan
from monitor.filing import HKT
from monitor.schedule.jobs import Jobs, Schedule
from monitor.schedule.plan import PollPlan
from monitor.settings import ScheduleSettings, Settings

FAR = timedelta(hours=1)


def settings(**sections: dict[str, Any]) -> Settings:
    base: dict[str, dict[str, Any]] = {
        "schedule": {"in_window_s": 1, "off_window_s": 1},  # a poll a second, in a window or not
        "daemon": {"heartbeat_s": 3600, "reload_check_s": 3600, "reconcile_at": "23:30"},
        "digest": {"day": "mon", "time": "08:00"},
    }
    for name, values in sections.items():
        base[name] = {**base.get(name, {}), **values}
    return Settings.model_validate({"watch": [{"code": "2512"}], **base})


class Record:
    """What ran, in order, thread-safe: ("poll", started), ("plan", asked at, planned for), job names."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.events: list[tuple[Any, ...]] = []

    def add(self, *event: Any) -> None:
        with self._lock:
            self.events.append(event)

    def of(self, name: str) -> list[tuple[Any, ...]]:
        with self._lock:
            return [e for e in self.events if e[0] == name]

    def count(self, name: str) -> int:
        return len(self.of(name))

    def job(self, name: str) -> Callable[[], None]:
        return lambda: self.add(name, datetime.now(UTC))


class RecordedPlan(PollPlan):
    """The real poll plan, each answer recorded; after ``polls`` polls it plans the next an hour away,
    so that the scheduler then idles on a known time."""

    def __init__(self, schedule: ScheduleSettings, record: Record, polls: int) -> None:
        super().__init__(schedule)
        self.record = record
        self.polls = polls

    def plan(self, now: datetime) -> datetime:
        at = super().plan(now)
        if self.record.count("plan") + 1 >= self.polls:
            at = now + FAR
        self.record.add("plan", now, at)
        return at


@pytest.fixture
def running() -> Iterator[list[Schedule]]:
    made: list[Schedule] = []
    yield made
    for schedule in made:
        schedule.shutdown()


def start(running: list[Schedule], s: Settings, plan: PollPlan, record: Record,
          poll: Callable[[], None] | None = None, *, reload: bool = True) -> Schedule:
    schedule = Schedule(s, plan, Jobs(poll=poll or record.job("poll"), heartbeat=record.job("heartbeat"),
                                      alarms=record.job("alarms"), calendar=record.job("calendar"),
                                      digest=record.job("digest"), reconcile=record.job("reconcile"),
                                      reload=record.job("reload") if reload else None))
    running.append(schedule)
    schedule.start()
    return schedule


def job(schedule: Schedule, name: str) -> Job | None:
    return schedule._scheduler.get_job(name)


def next_run(schedule: Schedule, name: str) -> datetime:
    found = job(schedule, name)
    assert found is not None and found.next_run_time is not None
    return found.next_run_time


# -- the poll --------------------------------------------------------------------------------------
def test_the_poll_is_rearmed_once_per_poll_at_the_planned_time(running: list[Schedule]) -> None:
    record = Record()
    s = settings()
    schedule = start(running, s, RecordedPlan(s.schedule, record, polls=4), record)
    wait_for(lambda: record.count("plan") == 4, 30, "four polls, each planned when it ended")
    polls_and_plans = [e for e in record.events if e[0] in ("poll", "plan")]
    assert [e[0] for e in polls_and_plans] == ["poll", "plan"] * 4  # one plan per poll, after it
    for (_, started), (_, asked, _) in zip(polls_and_plans[::2], polls_and_plans[1::2], strict=True):
        assert asked >= started  # planned when the poll had ended
    for (_, _, at), (_, started) in zip(polls_and_plans[1::2], polls_and_plans[2::2], strict=False):
        assert started >= at  # the next poll ran at the planned time, never before
    last_at = polls_and_plans[-1][2]
    # the one plan in force (the job is re-armed just after the plan is recorded: wait for it)
    wait_for(lambda: next_run(schedule, "poll") == last_at, 30, "the poll re-armed at the last plan")
    assert record.count("poll") == 4


def test_the_first_poll_runs_at_once(running: list[Schedule], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(monitor.schedule.plan, "in_window", lambda moment: True)  # the plan: in_window_s
    record = Record()
    s = settings(schedule={"in_window_s": 3600})
    started = datetime.now(UTC)
    schedule = start(running, s, RecordedPlan(s.schedule, record, polls=100), record)
    wait_for(lambda: record.count("plan") == 1, 30, "the first poll")
    [(_, polled)] = record.of("poll")
    assert polled >= started
    [(_, asked, at)] = record.of("plan")
    assert at - asked == timedelta(seconds=3600)  # its successor is planned as the plan says, not at once
    wait_for(lambda: next_run(schedule, "poll") == at, 30, "the poll re-armed at the planned time")


def test_a_poll_that_fails_is_rearmed_all_the_same(running: list[Schedule],
                                                   caplog: pytest.LogCaptureFixture) -> None:
    record = Record()

    def failing_poll() -> None:
        record.add("poll", datetime.now(UTC))
        if record.count("poll") == 1:
            raise RuntimeError("HKEXnews answered nonsense")

    s = settings()
    with caplog.at_level(logging.ERROR, logger="monitor.schedule.jobs"):
        start(running, s, RecordedPlan(s.schedule, record, polls=2), record, failing_poll)
        wait_for(lambda: record.count("plan") == 2, 30, "a second poll after the failed one")
    assert [e[0] for e in record.events if e[0] in ("poll", "plan")] == ["poll", "plan", "poll", "plan"]
    assert "scheduled job poll failed: HKEXnews answered nonsense" in caplog.text


# -- the other jobs, and a reload ------------------------------------------------------------------------
def test_the_jobs_that_run_at_start(running: list[Schedule]) -> None:
    record = Record()
    s = settings()
    schedule = start(running, s, RecordedPlan(s.schedule, record, polls=1), record)
    wait_for(lambda: record.count("heartbeat") == 1 and record.count("calendar") == 1, 30, "the first round")
    assert {j.id for j in schedule._scheduler.get_jobs()} == {"poll", "heartbeat", "alarms", "calendar",
                                                             "reload", "digest", "reconcile"}
    # the others on their own time
    assert record.count("alarms") == record.count("reload") == record.count("digest") == 0
    digest = next_run(schedule, "digest").astimezone(HKT)
    assert (digest.strftime("%a %H:%M"), digest > datetime.now(HKT)) == ("Mon 08:00", True)
    assert next_run(schedule, "reconcile").astimezone(HKT).strftime("%H:%M") == "23:30"


def test_without_a_config_file_there_is_no_reload_check(running: list[Schedule]) -> None:
    record = Record()
    s = settings()
    schedule = start(running, s, RecordedPlan(s.schedule, record, polls=1), record, reload=False)
    assert job(schedule, "reload") is None
    schedule.apply(settings(daemon={"reload_check_s": 1}))  # nothing to re-time
    assert job(schedule, "reload") is None


def test_apply_retimes_what_a_reload_changed(running: list[Schedule]) -> None:
    record = Record()
    s = settings()
    plan = RecordedPlan(s.schedule, record, polls=1)
    schedule = start(running, s, plan, record)
    wait_for(lambda: record.count("heartbeat") == 1, 30, "the heartbeat at start")
    new = settings(daemon={"heartbeat_s": 1, "reload_check_s": 0.2, "reconcile_at": "01:05"},
                   digest={"day": "tue", "time": "09:15"}, schedule={"in_window_s": 7, "off_window_s": 600})
    schedule.apply(new)
    wait_for(lambda: record.count("heartbeat") >= 3, 30, "heartbeats every second")  # else one an hour
    wait_for(lambda: record.count("reload") >= 2, 30, "reload checks five times a second")
    digest = next_run(schedule, "digest").astimezone(HKT)
    assert digest.strftime("%a %H:%M") == "Tue 09:15"
    assert next_run(schedule, "reconcile").astimezone(HKT).strftime("%H:%M") == "01:05"
    assert plan.schedule == new.schedule  # the poll plan reads the new intervals at the next poll


def test_apply_leaves_alone_what_did_not_change(running: list[Schedule]) -> None:
    record = Record()
    s = settings()
    schedule = start(running, s, RecordedPlan(s.schedule, record, polls=1), record)
    before = {name: next_run(schedule, name) for name in ("heartbeat", "reload", "digest", "reconcile")}
    schedule.apply(settings(schedule={"learning_s": 9}))  # only what the poll plan reads
    after = {name: next_run(schedule, name) for name in ("heartbeat", "reload", "digest", "reconcile")}
    assert after == before


def test_a_digest_turned_off_and_on_again(running: list[Schedule]) -> None:
    record = Record()
    s = settings()
    schedule = start(running, s, RecordedPlan(s.schedule, record, polls=1), record)
    schedule.apply(settings(digest={"enabled": False}))
    assert job(schedule, "digest") is None
    schedule.apply(settings(digest={"enabled": True, "day": "fri", "time": "18:30"}))
    assert next_run(schedule, "digest").astimezone(HKT).strftime("%a %H:%M") == "Fri 18:30"


def test_shutdown_stops_the_scheduler_and_a_late_reload_is_harmless(running: list[Schedule]) -> None:
    record = Record()
    s = settings(daemon={"heartbeat_s": 1})
    schedule = start(running, s, RecordedPlan(s.schedule, record, polls=100), record)
    wait_for(lambda: record.count("heartbeat") >= 1, 30, "the first heartbeat")
    schedule.shutdown()
    assert not schedule.running
    schedule.shutdown()  # twice is harmless
    schedule.apply(settings(daemon={"heartbeat_s": 2}))  # a reload while stopping re-times nothing
    assert schedule.plan.schedule == settings(daemon={"heartbeat_s": 2}).schedule
