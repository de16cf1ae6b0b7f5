"""Publication windows in Hong Kong time, whatever the host's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from monitor.filing import HKT
from monitor.metrics import Metrics
from monitor.schedule.jobs import STALLED_POLL_S, _AfterEachPoll
from monitor.schedule.plan import PollPlan, ResultsDays
from monitor.schedule.windows import (
    in_window,
    is_business_day,
    is_eve,
    windows_on,
)
from monitor.settings import ScheduleSettings


def hk(y: int, m: int, d: int, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=HKT)


@pytest.mark.parametrize(("moment", "inside"), [
    (hk(2026, 11, 20, 7), True),          # Friday morning window
    (hk(2026, 11, 20, 9), False),
    (hk(2026, 11, 20, 12, 15), True),
    (hk(2026, 11, 20, 12, 45), False),
    (hk(2026, 11, 20, 16, 29), False),
    (hk(2026, 11, 20, 16, 30), True),
    (hk(2026, 11, 20, 22, 59), True),
    (hk(2026, 11, 20, 23, 0), False),
    (hk(2026, 11, 21, 19), False),        # Saturday, Sunday is not a business day
    (hk(2026, 11, 22, 19), True),         # Sunday before Monday: 18:00-20:00
    (hk(2026, 11, 22, 17), False),
    (hk(2026, 12, 24, 12, 15), False),    # Christmas Eve: the lunch window shifts to 12:30-23:00
    (hk(2026, 12, 24, 13), True),
    (hk(2026, 12, 25, 19), False),        # Christmas Day, followed by the 26th (holiday)
    (hk(2026, 10, 1, 7), False),          # National Day
])
def test_windows(moment: datetime, inside: bool) -> None:
    assert in_window(moment) is inside


def test_time_zone_of_the_caller_does_not_matter() -> None:
    moment = hk(2026, 11, 20, 17)
    new_york_ish = timezone(timedelta(hours=-5))
    assert in_window(moment.astimezone(UTC)) and in_window(moment.astimezone(new_york_ish))
    assert not in_window(hk(2026, 11, 20, 10).astimezone(new_york_ish))


def test_holidays_are_not_business_days() -> None:
    assert not is_business_day(hk(2026, 2, 17, 0).date())  # Lunar New Year
    assert is_eve(hk(2026, 2, 16, 0).date())
    assert windows_on(hk(2026, 2, 16, 0).date())[1][0].hour == 12


# -- the poll plan ----------------------------------------------------------------------------------
class FixedCadence:
    """A feed regenerating every ``period`` seconds from ``anchor`` (what the cadence model says)."""

    def __init__(self, anchor: datetime, period: float) -> None:
        self.anchor, self.period = anchor, period

    def next_due(self, now: float) -> float | None:
        passed = (now - self.anchor.timestamp()) // self.period + 1
        return self.anchor.timestamp() + passed * self.period


def plan(**schedule: object) -> PollPlan:
    return PollPlan(ScheduleSettings.model_validate(schedule))


def test_fixed_interval_inside_and_slow_outside() -> None:
    p = plan(in_window_s=60, off_window_s=900)
    inside = hk(2026, 11, 20, 17)
    assert p.next_poll(inside)[:2] == (inside + timedelta(seconds=60),
                                       "fixed interval (schedule.in_window_s)")
    outside = hk(2026, 11, 20, 9)
    assert p.next_poll(outside)[0] == outside + timedelta(seconds=900)
    just_before = hk(2026, 11, 20, 11, 55)
    assert p.next_poll(just_before)[0] == hk(2026, 11, 20, 12)  # never miss an opening


def test_adaptive_polls_just_after_the_next_regeneration() -> None:
    anchor = hk(2026, 11, 20, 16, 30)
    p = PollPlan(ScheduleSettings(), cadence=FixedCadence(anchor, 60))
    now = hk(2026, 11, 20, 17, 0, 20)
    at, why, _ = p.next_poll(now)
    assert at == hk(2026, 11, 20, 17, 1) and "regeneration" in why


def test_adaptive_while_learning_and_without_a_cadence() -> None:
    class Unknown:
        def next_due(self, now: float) -> float | None:
            return None

    now = hk(2026, 11, 20, 17)
    for p in (PollPlan(ScheduleSettings(learning_s=4), cadence=Unknown()), plan(learning_s=4)):
        at, why, interval = p.next_poll(now)
        assert at == now + timedelta(seconds=4) and "learning" in why and interval == 4


def test_results_day_polls_faster_inside_windows_only() -> None:
    day = hk(2026, 11, 20, 17).date()
    days = ResultsDays()
    days.replace({day: ["00020"]})
    p = PollPlan(ScheduleSettings(in_window_s=60, results_day_s=5), results_days=days)
    at, why, _ = p.next_poll(hk(2026, 11, 20, 17))
    assert at == hk(2026, 11, 20, 17, 0, 5) and why == "results day: 00020 meets today"
    assert p.next_poll(hk(2026, 11, 21, 17))[1] == "outside the publication windows"  # a Saturday
    assert p.next_poll(hk(2026, 11, 23, 17))[1] == "fixed interval (schedule.in_window_s)"  # the day after
    assert p.next_poll(hk(2026, 11, 20, 9))[1] == "outside the publication windows"
    days.replace({})  # the calendar job's next snapshot: the meeting moved away
    assert p.next_poll(hk(2026, 11, 20, 17))[1] == "fixed interval (schedule.in_window_s)"


def test_results_days_snapshot_is_replaced_whole() -> None:
    days = ResultsDays()
    d1, d2 = hk(2026, 11, 20, 0).date(), hk(2026, 11, 23, 0).date()
    days.replace({d1: ["00020", "02512", "00020"], d2: []})
    assert days.on(d1) == ("00020", "02512") and days.on(d2) == ()
    days.replace({d2: ["01688"]})
    assert days.on(d1) == () and days.on(d2) == ("01688",)


def test_plan_exports_the_interval_and_its_reason() -> None:
    metrics = Metrics()
    p = PollPlan(ScheduleSettings(in_window_s=60), metrics=metrics)
    now = hk(2026, 11, 20, 17).astimezone(UTC)
    assert p.plan(now) == now + timedelta(seconds=60)
    assert metrics.poll_interval.labels("fixed interval (schedule.in_window_s)")._value.get() == 60


def test_poll_trigger_fires_at_once_then_waits_for_the_poll_to_re_arm_it() -> None:
    """APScheduler asks a trigger as its job starts, before the poll has seen the feed: the poll's
    trigger plans nothing then (the poll re-arms itself when it ends, once), it only keeps a far
    fallback."""
    trig = _AfterEachPoll()
    now = hk(2026, 11, 20, 17).astimezone(UTC)
    assert trig.get_next_fire_time(None, now) == now
    assert trig.get_next_fire_time(now, now) == now + timedelta(seconds=STALLED_POLL_S)


def test_lunar_new_year_eve_whatever_the_locale() -> None:
    """holidays names Lunar New Year in Chinese when LANG is unset or zh_HK; the eve is found anyway."""
    import os
    import subprocess
    import sys

    code = ("from datetime import date; from monitor.schedule.windows import is_eve; "
            "print(is_eve(date(2026, 2, 16)))")
    for lang in ("", "C", "zh_HK.UTF-8"):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LANG", "LC_"))}
        if lang:
            env["LANG"] = lang
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                             timeout=60)
        assert out.stdout.strip() == "True", (lang, out.stderr)
