"""HKEXnews publication windows (Hong Kong time), and the poll trigger that follows them.

Filings appear (hkexnews.md section 6):
- business days 06:00-08:30, 12:00-12:30 and 16:30-23:00;
- the eve of Christmas, New Year and Lunar New Year: 06:00-08:30 and 12:30-23:00;
- a non-business day before a business day: 18:00-20:00.
``monitor.schedule.plan`` decides how often to poll inside and outside them. Times are computed in HKT
whatever the host's time zone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from monitor.filing import HKT

Window = tuple[time, time]

BUSINESS_DAY: tuple[Window, ...] = (
    (time(6), time(8, 30)), (time(12), time(12, 30)), (time(16, 30), time(23)),
)
EVE: tuple[Window, ...] = ((time(6), time(8, 30)), (time(12, 30), time(23)))
BEFORE_BUSINESS_DAY: tuple[Window, ...] = ((time(18), time(20)),)


@lru_cache(maxsize=16)
def _hk_holidays(year: int) -> frozenset[date]:
    cal = holidays.HongKong(years=[year], categories=holidays.HongKong.supported_categories, language="en_US")
    return frozenset(cal.keys())


def _lunar_new_year(year: int) -> date | None:
    # Names in English whatever the locale (with LANG unset or zh_HK they come in Chinese).
    cal = holidays.HongKong(years=[year], language="en_US")
    for day, name in cal.items():
        if "Chinese New Year" in name and "second" not in name.lower() and "third" not in name.lower():
            return day
    return None


def is_business_day(day: date) -> bool:
    """Mon-Fri and not a Hong Kong general holiday."""
    return day.weekday() < 5 and day not in _hk_holidays(day.year)


def is_eve(day: date) -> bool:
    """Christmas Eve, New Year's Eve or Lunar New Year's Eve, on a business day (half-day trading)."""
    if not is_business_day(day):
        return False
    if (day.month, day.day) in ((12, 24), (12, 31)):
        return True
    lny = _lunar_new_year(day.year)
    return lny is not None and day == lny - timedelta(days=1)


def windows_on(day: date) -> tuple[Window, ...]:
    """The publication windows of one Hong Kong calendar day."""
    if is_eve(day):
        return EVE
    if is_business_day(day):
        return BUSINESS_DAY
    if is_business_day(day + timedelta(days=1)):
        return BEFORE_BUSINESS_DAY
    return ()


def in_window(moment: datetime) -> bool:
    """Whether ``moment`` (any aware datetime) falls inside a publication window."""
    hk = moment.astimezone(HKT)
    t = hk.time()
    return any(start <= t < end for start, end in windows_on(hk.date()))


def next_window_start(moment: datetime) -> datetime:
    """The start of the next window strictly after ``moment`` (searching up to two weeks ahead)."""
    hk = moment.astimezone(HKT)
    for offset in range(15):
        day = hk.date() + timedelta(days=offset)
        for start, _ in windows_on(day):
            candidate = datetime.combine(day, start, HKT)
            if candidate > hk:
                return candidate
    return hk + timedelta(days=1)  # pragma: no cover - two weeks without a window does not happen
