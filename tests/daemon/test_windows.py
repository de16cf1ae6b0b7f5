"""Publication windows in Hong Kong time, whatever the host's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from monitor.filing import HKT
from monitor.windows import (
    PublicationWindowTrigger,
    in_window,
    is_business_day,
    is_eve,
    next_poll_time,
    windows_on,
)


def hk(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=HKT)


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


def test_next_poll_inside_and_outside() -> None:
    inside = hk(2026, 11, 20, 17)
    assert next_poll_time(inside, 60, 900) == inside + timedelta(seconds=60)
    outside = hk(2026, 11, 20, 9)
    assert next_poll_time(outside, 60, 900) == outside + timedelta(seconds=900)
    just_before = hk(2026, 11, 20, 11, 55)
    assert next_poll_time(just_before, 60, 900) == hk(2026, 11, 20, 12)  # never miss an opening


def test_trigger_fires_at_once_then_follows_windows() -> None:
    trig = PublicationWindowTrigger(60, 900)
    now = hk(2026, 11, 20, 17).astimezone(UTC)
    assert trig.get_next_fire_time(None, now) == now
    assert trig.get_next_fire_time(now, now) == now + timedelta(seconds=60)
