"""Category codes, labels and the kind of filing (``feed/categories.py``): codes and title decide together;
t1Code 51500 is Monthly Returns, never a "test posting"."""

from __future__ import annotations

import pytest
from feedbuilder import (
    feed_item,
    feed_page,
    title_answer,
    title_row,
)

from monitor.filing import FilingKind
from monitor.hkexnews.feed import (
    category_codes,
    classify,
    headline_t1_codes,
    parse_latest_page,
    parse_title_search,
    results_span_months,
    split_categories,
)

URL = "https://www1.hkexnews.hk/ncms/json/eds/lcisehk1relsde_1.json?_=1"
TS_URL = "https://www1.hkexnews.hk/search/titleSearchServlet.do?stockId=7609"


@pytest.mark.parametrize(
    "raw, expected",
    [
        (
            "Announcements and Notices - "
            "[Final Results &#x2f; Modified Report by Auditors &#x2f; Suspension]",
            ("Final Results", "Modified Report by Auditors", "Suspension"),
        ),
        (
            "Announcements and Notices - [Very Substantial Disposal / Connected Transaction]",
            ("Very Substantial Disposal", "Connected Transaction"),
        ),
        ("Announcements and Notices - [Interim Results]<br/>", ("Interim Results",)),
        ("Financial Statements/ESG Information - [Annual Report]", ("Annual Report",)),
        (
            "Announcements and Notices - [Interim Results]<br/>"
            "Announcements and Notices - [Dividend or Distribution]",
            ("Interim Results", "Dividend or Distribution"),
        ),
        ("Monthly Returns", ("Monthly Returns",)),
        ("", ()),
    ],
)
def test_split_categories(raw: str, expected: tuple[str, ...]) -> None:
    assert split_categories(raw) == expected


CLASSIFY = [
    # (t1, t2, categories, title, expected, why)
    (
        "10000",
        ("13400",),
        ("Interim Results",),
        "ANNUAL RESULTS ANNOUNCEMENT FOR THE YEAR ENDED 31 DECEMBER 2025",
        FilingKind.FINAL_RESULTS,
        "title overrides a mislabelled interim code",
    ),
    (
        "10000",
        (),
        ("Other",),
        "INTERIM RESULTS ANNOUNCEMENT",
        FilingKind.INTERIM_RESULTS,
        "Other but interim title",
    ),
    (
        "10000",
        ("13150",),
        ("Date of Board Meeting",),
        "DATE OF BOARD MEETING TO APPROVE THE ANNUAL RESULTS",
        FilingKind.BOARD_MEETING,
        "a board-meeting notice mentioning results",
    ),
    (
        "10000",
        ("13300",),
        ("Final Results",),
        "NOTICE OF BOARD MEETING",
        FilingKind.BOARD_MEETING,
        "board-meeting title beats a results code",
    ),
    ("10000", ("13500",), ("Profit Warning",), "PROFIT WARNING", FilingKind.PROFIT_WARNING, "code and title"),
    (
        "51500",
        (),
        ("Monthly Returns",),
        "Monthly Return of Equity Issuer on Movements in Securities for the month ended 31 March 2026",
        FilingKind.MONTHLY_RETURN,
        "monthly return (hkexnews.md section 1)",
    ),
    ("51500", (), (), "MONTHLY RETURN", FilingKind.MONTHLY_RETURN, "t1 alone, even with an odd title"),
    ("", (), ("Monthly Returns",), "X", FilingKind.MONTHLY_RETURN, "title search: headline-only label"),
    (
        "50000",
        ("50100",),
        ("Share Buyback",),
        "Next Day Disclosure Return (Equity issuer - changes in issued share capital and/or share buybacks)",
        FilingKind.NEXT_DAY_DISCLOSURE,
        "next day disclosure",
    ),
    ("", (), ("Share Buyback",), "Next Day Disclosure Return", FilingKind.NEXT_DAY_DISCLOSURE, "NDDR title"),
    (
        "10000",
        ("13200",),
        ("Delay in Results Announcement",),
        "ANNOUNCEMENT",
        FilingKind.RESULTS_DELAY,
        "delay code",
    ),
    (
        "10000",
        (),
        (),
        "FURTHER DELAY IN PUBLICATION OF 2025 ANNUAL RESULTS",
        FilingKind.RESULTS_DELAY,
        "delay title",
    ),
    (
        "10000",
        ("13300", "13200"),
        (),
        "UNAUDITED ANNUAL RESULTS FOR THE YEAR ENDED 31 DECEMBER 2025 AND DELAY "
        "IN PUBLICATION OF AUDITED ANNUAL RESULTS",
        FilingKind.FINAL_RESULTS,
        "results carried beside a delay",
    ),
    (
        "10000",
        (),
        (),
        "POSTPONEMENT OF PUBLICATION OF INTERIM RESULTS",
        FilingKind.RESULTS_DELAY,
        "postponed",
    ),
    (
        "",
        (),
        ("Annual Report",),
        "ANNUAL REPORT 2025",
        FilingKind.FINANCIAL_REPORT,
        "title search: report label",
    ),
    (
        "40000",
        ("40200",),
        ("Interim/Half-Year Report",),
        "INTERIM REPORT 2026",
        FilingKind.FINANCIAL_REPORT,
        "interim report is a report, not results",
    ),
    (
        "10000,40000",
        ("13400", "40200"),
        ("Interim Results", "Interim/Half-Year Report"),
        "ANNOUNCEMENT",
        FilingKind.INTERIM_RESULTS,
        "results beat the report filed with them",
    ),
    (
        "10000",
        ("13400",),
        ("Interim Results",),
        "ANNOUNCEMENT OF THE RESULTS FOR THE THREE AND SIX MONTHS ENDED 30 JUNE 2026",
        FilingKind.INTERIM_RESULTS,
        "quarterly reporter's interim: six months decides",
    ),
    (
        "10000",
        ("13600",),
        ("Quarterly Results",),
        "ANNOUNCEMENT OF THE RESULTS FOR THE THREE AND NINE MONTHS ENDED 30 SEPTEMBER 2026",
        FilingKind.QUARTERLY_RESULTS,
        "three and nine months",
    ),
    (
        "10000",
        ("13600",),
        ("Quarterly Results",),
        "ANNOUNCEMENT OF THE RESULTS FOR THE THREE AND SIX MONTHS ENDED 30 JUNE 2026",
        FilingKind.INTERIM_RESULTS,
        "title beats the quarterly label",
    ),
    (
        "10000",
        (),
        (),
        "UNAUDITED RESULTS FOR THE HALF-YEAR ENDED 30 SEPTEMBER 2025",
        FilingKind.INTERIM_RESULTS,
        "half-year is not a year",
    ),
    (
        "10000",
        (),
        (),
        "2025 FOURTH QUARTER AND ANNUAL RESULTS",
        FilingKind.FINAL_RESULTS,
        "longest named span",
    ),
    (
        "10000",
        ("13400",),
        ("中期業績",),
        "截至二零二五年六月三十日止三個月及六個月業績公佈",
        FilingKind.INTERIM_RESULTS,
        "Chinese: three and six months",
    ),
    (
        "10000",
        (),
        ("其他",),
        "截至二零二五年十二月三十一日止年度之全年業績公告",
        FilingKind.FINAL_RESULTS,
        "Chinese final results under Other",
    ),
    ("10000", (), ("季度業績",), "2025年第一季度業績公告", FilingKind.QUARTERLY_RESULTS, "Chinese quarterly"),
    ("", (), ("董事會召開日期",), "董事會會議召開日期", FilingKind.BOARD_MEETING, "Chinese board meeting"),
    ("", (), ("盈利警告",), "盈利警告", FilingKind.PROFIT_WARNING, "Chinese profit warning"),
    (
        "10000",
        ("13400",),
        ("Interim Results",),
        "An announcement has just been published by the issuer in the Chinese section of this website, "
        "a corresponding version of which may or may not be published in this section",
        FilingKind.INTERIM_RESULTS,
        "Chinese-only placeholder: the codes decide",
    ),
    ("10000", (), ("Inside Information",), "POSITIVE PROFIT ALERT", FilingKind.PROFIT_WARNING, "title only"),
    (
        "10000",
        ("13250",),
        ("Dividend or Distribution",),
        "FINAL DIVIDEND FOR THE YEAR ENDED 31 DECEMBER 2025",
        FilingKind.DIVIDEND,
        "final dividend is not final results",
    ),
    (
        "10000",
        ("13300", "13250"),
        ("Final Results", "Dividend or Distribution"),
        "ANNOUNCEMENT",
        FilingKind.FINAL_RESULTS,
        "results code beats dividend with a neutral title",
    ),
    (
        "10000",
        ("13400",),
        ("Interim Results",),
        "ANNOUNCEMENT OF UNAUDITED INTERIM RESULTS FOR THE SIX MONTHS ENDED 30 JUNE 2025",
        FilingKind.INTERIM_RESULTS,
        "plain interim",
    ),
    (
        "10000",
        (),
        (),
        "UNAUDITED CONSOLIDATED RESULTS FOR THE SIX MONTHS ENDED 30 JUNE 2025",
        FilingKind.INTERIM_RESULTS,
        "period wording",
    ),
    ("10000", (), (), "AUDITED RESULTS FOR THE YEAR ENDED 31 MARCH 2026", FilingKind.FINAL_RESULTS, "year"),
    (
        "10000",
        ("13600",),
        (),
        "THIRD QUARTERLY RESULTS ANNOUNCEMENT",
        FilingKind.QUARTERLY_RESULTS,
        "quarter",
    ),
    (
        "10000",
        (),
        (),
        "RESULTS FOR THE THREE MONTHS ENDED 31 MARCH 2026",
        FilingKind.QUARTERLY_RESULTS,
        "3 months",
    ),
    (
        "10000",
        ("13300",),
        ("Final Results",),
        "POLL RESULTS OF THE ANNUAL GENERAL MEETING HELD ON 5 JUNE 2026",
        FilingKind.OTHER,
        "AGM poll results are not results",
    ),
    ("10000", (), (), "VOTING RESULTS OF THE EXTRAORDINARY GENERAL MEETING", FilingKind.OTHER, "EGM"),
    (
        "10000",
        ("13300",),
        ("Final Results",),
        "DELAY IN PUBLICATION OF ANNUAL RESULTS",
        FilingKind.RESULTS_DELAY,
        "delay (a kind of its own since RESULTS_DELAY exists)",
    ),
    (
        "10000",
        ("13400",),
        ("Interim Results",),
        "SUPPLEMENTAL ANNOUNCEMENT TO THE INTERIM RESULTS ANNOUNCEMENT",
        FilingKind.OTHER,
        "supplement",
    ),
    (
        "40000",
        ("40100",),
        ("Annual Report",),
        "ANNUAL REPORT 2025",
        FilingKind.FINANCIAL_REPORT,
        "report, not results (a kind of its own since FINANCIAL_REPORT exists)",
    ),
    (
        "",
        (),
        ("Final Results", "Modified Report by Auditors", "Suspension"),
        "ANNOUNCEMENT",
        FilingKind.FINAL_RESULTS,
        "title search: labels only",
    ),
    (
        "10000",
        ("11200", "11300"),
        ("Very Substantial Disposal", "Connected Transaction"),
        "(1) Very Substantial Disposal and Connected Transaction",
        FilingKind.OTHER,
        "unrelated",
    ),
    (
        "10000",
        (),
        (),
        "ANNUAL RESULTS OF THE GROUP AND NOTICE OF ANNUAL GENERAL MEETING",
        FilingKind.FINAL_RESULTS,
        "AGM notice alongside results",
    ),
    (
        "10000",
        (),
        (),
        "ANNUAL RESULTS ANNOUNCEMENT &amp; FINAL DIVIDEND",
        FilingKind.FINAL_RESULTS,
        "entities",
    ),
]


@pytest.mark.parametrize("t1, t2, cats, title, expected, why", CLASSIFY, ids=[c[-1] for c in CLASSIFY])
def test_classify(
    t1: str, t2: tuple[str, ...], cats: tuple[str, ...], title: str, expected: FilingKind, why: str
) -> None:
    assert classify(t1, t2, cats, title) is expected, why


@pytest.mark.parametrize(
    "title, months",
    [
        ("ANNOUNCEMENT OF THE RESULTS FOR THE THREE AND SIX MONTHS ENDED 30 JUNE 2026", 6),
        ("ANNOUNCEMENT OF THE RESULTS FOR THE THREE AND NINE MONTHS ENDED 30 SEPTEMBER 2026", 9),
        ("ANNOUNCEMENT OF THE RESULTS FOR THE THREE MONTHS AND YEAR ENDED 31 DECEMBER 2025", 12),
        ("RESULTS FOR THE FIRST QUARTER OF 2026", 3),
        ("UNAUDITED INTERIM RESULTS FOR THE SIX MONTHS ENDED 30 JUNE 2025", 6),
        ("INTERIM RESULTS FOR THE HALF-YEAR ENDED 30 SEPTEMBER 2025", 6),
        ("AUDITED RESULTS FOR THE FINANCIAL YEAR ENDED 31 MARCH 2026", 12),
        ("RESULTS FOR THE EIGHTEEN MONTHS ENDED 31 DECEMBER 2025", 12),
        ("SECOND QUARTER AND INTERIM RESULTS", 6),
        ("THIRD QUARTER 2025 RESULTS", 3),
        ("FULL-YEAR 2025 RESULTS", 12),
        ("INTERIM 2025 UNAUDITED RESULTS", 6),
        ("截至二零二五年六月三十日止三個月及六個月業績公佈", 6),
        ("截至2026年9月30日止三個月及九個月之業績公告", 9),
        ("二零二五年度中期業績公告", 6),
        ("CONNECTED TRANSACTION", 0),
    ],
)
def test_results_span_months_longest_span_decides(title: str, months: int) -> None:
    assert results_span_months(title) == months


@pytest.mark.parametrize(
    "long_text, codes",
    [
        ("Monthly Returns", ("51500",)),
        ("(Headlines Revised) Monthly Returns", ("51500",)),
        ("Next Day Disclosure Returns - [Share Buyback]", ("50000",)),
        ("Financial Statements/ESG Information - [Annual Report]", ("40000",)),
        (
            "Announcements and Notices - [Interim Results]<br/>Financial Statements&#x2f;ESG Information - "
            "[Interim&#x2f;Half-Year Report]",
            ("10000", "40000"),
        ),
        ("公告及通告 - [中期業績]", ("10000",)),
        ("月報表", ("51500",)),
        ("Circulars - [Other]", ()),
    ],
)
def test_headline_t1_codes(long_text: str, codes: tuple[str, ...]) -> None:
    assert headline_t1_codes(long_text) == codes


def test_category_codes_span_languages() -> None:
    en = feed_item(
        1, [("00020", "S")], "X", path="/x/2026010100001.pdf", categories="Interim Results", t2="13400"
    )
    zh_row = title_row(
        2, ["00020"], ["S"], "X", path="/x/2026010100002_c.pdf", headline="公告及通告", categories="中期業績"
    )
    (a,) = parse_latest_page(feed_page([en]), URL).filings
    (b,) = parse_title_search(title_answer([zh_row], has_next=False), TS_URL).filings
    assert category_codes(a) == {"10000", "13400"} and category_codes(b) == {"13400"}
