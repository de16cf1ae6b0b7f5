"""Dates as announcements print them: one input string per case, the date read by hand."""

from __future__ import annotations

from datetime import date

import pytest

from parsers.dates import find_dates, parse_date, zh_number


@pytest.mark.parametrize(("text", "expected"), [
    ("for the six months ended 30 June 2025", date(2025, 6, 30)),
    ("FOR THE SIX MONTHS ENDED JUNE 30, 2025", date(2025, 6, 30)),
    ("year ended 30th September, 2021", date(2021, 9, 30)),
    ("on Friday, 29 Aug 2025 at 2:00 p.m.", date(2025, 8, 29)),
    ("截至2025年6月30日止六個月", date(2025, 6, 30)),
    ("截至二零一四年十二月三十一日止年度", date(2014, 12, 31)),
    ("於二零二五年八月二十九日（星期五）舉行", date(2025, 8, 29)),
    ("二〇二〇年九月三十日", date(2020, 9, 30)),
    ("２０２５年８月２９日", date(2025, 8, 29)),
])
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31 June 2025", "二零二五年十三月一日", "Note 30 Revenue 2025", ""])
def test_not_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_in_order() -> None:
    found = [d for _, d in find_dates("meeting on 29 August 2025 to approve results for 30 June 2025")]
    assert found == [date(2025, 8, 29), date(2025, 6, 30)]


@pytest.mark.parametrize(("text", "value"), [
    ("二零二五", 2025), ("十二", 12), ("三十一", 31), ("十", 10), ("二十", 20), ("〇九", 9), ("30", 30),
    ("十十", None), ("甲", None),
])
def test_zh_number(text: str, value: int | None) -> None:
    assert zh_number(text) == value
