"""Company, codes, kind and period from the first page, English and Chinese."""

from __future__ import annotations

from datetime import date

import pytest

from parsers.metadata import (
    Period,
    detect_language,
    find_company,
    find_kind,
    find_period,
    find_stock_codes,
    prior_end,
)


@pytest.mark.parametrize(("text", "period"), [
    ("FOR THE SIX MONTHS ENDED 30 JUNE 2025", Period(date(2025, 6, 30), 6)),
    ("for the six months ended June 30, 2025", Period(date(2025, 6, 30), 6)),
    ("for the year ended 31 December 2014", Period(date(2014, 12, 31), 12)),
    ("for the nine months ended 30 September 2025", Period(date(2025, 9, 30), 9)),
    ("截至二零二五年六月三十日止六個月", Period(date(2025, 6, 30), 6)),
    ("截至2024年12月31日止年度", Period(date(2024, 12, 31), 12)),
    ("截至二零二四年三月三十一日止三個月", Period(date(2024, 3, 31), 3)),
])
def test_find_period(text: str, period: Period) -> None:
    assert find_period(text) == period


def test_prior_end_handles_leap_day() -> None:
    assert prior_end(date(2024, 2, 29)) == date(2023, 2, 28)


@pytest.mark.parametrize(("text", "codes"), [
    ("(Stock Code: 2512)", ("02512",)),
    ("(Stock Codes: 0020 (HKD Counter) and 80020 (RMB Counter))", ("00020", "80020")),
    ("（股份代號：1856）", ("01856",)),
    ("no code here", ()),
])
def test_stock_codes(text: str, codes: tuple[str, ...]) -> None:
    assert find_stock_codes(text) == codes


@pytest.mark.parametrize(("title", "kind"), [
    ("INTERIM RESULTS ANNOUNCEMENT", "interim"),
    ("2014 ANNUAL RESULTS ANNOUNCEMENT", "final"),
    ("THIRD QUARTERLY RESULTS ANNOUNCEMENT", "quarterly"),
    ("截至二零二五年六月三十日止六個月之中期業績公告", "interim"),
    ("全年業績公告", "final"),
])
def test_kind(title: str, kind: str) -> None:
    assert find_kind(title, None) == kind


def test_kind_from_period_when_title_is_silent() -> None:
    assert find_kind("ANNOUNCEMENT", Period(date(2025, 6, 30), 6)) == "interim"


def test_company_is_the_line_above_the_stock_code() -> None:
    page = ("Hong Kong Exchanges and Clearing Limited and The Stock Exchange of Hong Kong Limited\n"
            "take no responsibility\n依 波 路 控 股 有 限 公 司\nERNEST BOREL HOLDINGS LIMITED\n"
            "(Incorporated in the Cayman Islands with limited liability)\n(Stock Code: 1856)\n")
    assert find_company(page, "en") == "ERNEST BOREL HOLDINGS LIMITED"
    assert find_company(page, "zh") == "依波路控股有限公司"


def test_language() -> None:
    assert detect_language("收益 406,759 毛利 47,690 期內溢利") == "zh"
    assert detect_language("Revenue 406,759 Gross profit 雲工場") == "en"


@pytest.mark.parametrize(("text", "period"), [
    ("截止二零一四年十二月三十一日止年度", Period(date(2014, 12, 31), 12)),
    ("截至２０２５年６月３０日止六個月", Period(date(2025, 6, 30), 6)),
    ("截至2025年6月30日止六个月期间", Period(date(2025, 6, 30), 6)),
    ("截至二零一四年十二月三十一日止之年度", Period(date(2014, 12, 31), 12)),
    ("FOR THE YEAR ENDED 30TH SEPTEMBER, 2021", Period(date(2021, 9, 30), 12)),
    ("for the six-month period ended 30 June 2025", Period(date(2025, 6, 30), 6)),
    ("for the half-year ended June 30, 2025", Period(date(2025, 6, 30), 6)),
    ("for the year ended 31 March 2025", Period(date(2025, 3, 31), 12)),
])
def test_find_period_more_forms(text: str, period: Period) -> None:
    assert find_period(text) == period


def test_undated_period_takes_the_year_of_the_current_column() -> None:
    from parsers.metadata import find_undated_period

    assert find_undated_period("For the year ended 31 December", 2024) == Period(date(2024, 12, 31), 12)
    assert find_undated_period("截至六月三十日止六個月", 2025) == Period(date(2025, 6, 30), 6)
    assert find_undated_period("for the year ended 31 December 2024", 2024) is None
