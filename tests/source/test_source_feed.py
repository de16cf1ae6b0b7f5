"""Pure feed functions: one trap per test, tables of input and expected output.

Expectations follow the corrected hkexnews.md: no filing is a "test posting" (t1Code 51500 is
Monthly Returns), and a Chinese document's address is never built from the English stem.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime

import pytest
from feedbuilder import (
    MAINTENANCE_HTML,
    PLACEHOLDER_HTML,
    SAMPLE_ACTIVE_STOCKS,
    SAMPLE_FEED,
    SAMPLE_TITLE_SEARCH_TEXT,
    feed_item,
    feed_page,
    pdf_bytes,
    real_answer_text,
    title_answer,
    title_row,
)

from monitor.errors import FeedShapeError
from monitor.filing import HKT, FilingKind
from monitor.hkexnews.feed import (
    board_of,
    category_codes,
    classify,
    document_stem,
    headline_revision,
    headline_t1_codes,
    is_chinese_placeholder,
    is_placeholder_title,
    load_json_body,
    merge_filings,
    normalise_stock_code,
    parse_active_stocks,
    parse_category_codes,
    parse_latest_page,
    parse_rel_time,
    parse_size,
    parse_title_search,
    results_span_months,
    split_categories,
    split_multi_counter,
    unescape_title,
)

URL = "https://www1.hkexnews.hk/ncms/json/eds/lcisehk1relsde_1.json?_=1"
TS_URL = "https://www1.hkexnews.hk/search/titleSearchServlet.do?stockId=7609"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("00700<br/>80700", ("00700", "80700")),
        ("00700<br>80700", ("00700", "80700")),
        ("00700<BR />80700", ("00700", "80700")),
        ("TENCENT<br/>TENCENT-R", ("TENCENT", "TENCENT-R")),
        ("01906", ("01906",)),
        ("", ()),
        ("<b>00005</b>", ("00005",)),
    ],
)
def test_split_multi_counter(raw: str, expected: tuple[str, ...]) -> None:
    assert split_multi_counter(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        (
            "PROPOSED SHARE CONSOLIDATION &amp; CHANGE IN BOARD LOT SIZE",
            "PROPOSED SHARE CONSOLIDATION & CHANGE IN BOARD LOT SIZE",
        ),
        ("ANNUAL REPORT 2025&#x2f;2026", "ANNUAL REPORT 2025/2026"),
        ("A&#x3b; B", "A; B"),
        (
            "ANNOUNCEMENT OF UNAUDITED INTERIM RESULTS\nFOR THE SIX MONTHS",
            "ANNOUNCEMENT OF UNAUDITED INTERIM RESULTS FOR THE SIX MONTHS",
        ),
        ("  TWO\r\n LINES  ", "TWO LINES"),
    ],
)
def test_unescape_title(raw: str, expected: str) -> None:
    assert unescape_title(raw) == expected


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


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("11200,11300", ("11200", "11300")),
        ("13400", ("13400",)),
        ("NaN", ()),
        ("13300,NaN", ("13300",)),
        ("", ()),
        (None, ()),
        (" 13300 , 13250 ", ("13300", "13250")),
    ],
)
def test_parse_category_codes(raw: object, expected: tuple[str, ...]) -> None:
    assert parse_category_codes(raw) == expected


def test_parse_category_codes_rejects_junk() -> None:
    with pytest.raises(ValueError, match="'13X00'"):
        parse_category_codes("13X00")


@pytest.mark.parametrize(
    "raw, expected",
    [("00700", "00700"), ("700", "00700"), ("20", "00020"), (" 80020 ", "80020"), (2512, "02512")],
)
def test_normalise_stock_code(raw: object, expected: str) -> None:
    assert normalise_stock_code(raw) == expected


@pytest.mark.parametrize("raw", ["NaN", "", "00700<br/>80700", "0070080700", "ABC", "00000", None])
def test_normalise_stock_code_rejects(raw: object) -> None:
    with pytest.raises(ValueError):
        normalise_stock_code(raw)


def test_parse_rel_time_is_hong_kong_time() -> None:
    when = parse_rel_time("10/04/2026 22:55")
    assert when == datetime(2026, 4, 10, 22, 55, tzinfo=HKT)
    assert when.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]
    assert when.isoformat() == "2026-04-10T22:55:00+08:00"


@pytest.mark.parametrize("raw", ["2026-04-10 22:55", "10/04/2026", "31/02/2026 10:00", "", "NaN"])
def test_parse_rel_time_rejects(raw: str) -> None:
    with pytest.raises(ValueError, match="DD/MM/YYYY HH:MM"):
        parse_rel_time(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("374KB", 374 * 1024),
        ("749KB", 749 * 1024),
        ("1MB", 1024 * 1024),
        ("1.5MB", 1572864),
        ("12 kb", 12 * 1024),
        ("900B", 900),
        ("", None),
        (None, None),
        ("Multi-Files", None),
    ],
)
def test_parse_size(raw: object, expected: int | None) -> None:
    assert parse_size(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("/listedco/listconews/sehk/2026/0410/2026041001769.pdf", "2026041001769"),
        ("/listedco/listconews/sehk/2026/0410/2026041001769_c.pdf", "2026041001769"),
        ("/listedco/listconews/gem/2025/0827/2025082700123.htm", "2025082700123"),
        ("https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/2025082700123_c.htm", "2025082700123"),
    ],
)
def test_document_stem(raw: str, expected: str) -> None:
    assert document_stem(raw) == expected


@pytest.mark.parametrize("raw", ["", "/listedco/listconews/sehk/2026/0410/", "/x/_c.pdf"])
def test_document_stem_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        document_stem(raw)


def test_is_chinese_placeholder() -> None:
    assert is_chinese_placeholder(PLACEHOLDER_HTML, "text/html; charset=utf-8")
    assert is_chinese_placeholder(PLACEHOLDER_HTML, None)
    assert not is_chinese_placeholder(pdf_bytes(), "application/pdf")
    assert not is_chinese_placeholder(MAINTENANCE_HTML, "text/html")
    assert not is_chinese_placeholder(PLACEHOLDER_HTML + b" " * 20000, "text/html")  # not ~1 KB
    assert not is_chinese_placeholder(PLACEHOLDER_HTML, "application/octet-stream")


@pytest.mark.parametrize(
    "path, market, expected",
    [
        ("/listedco/listconews/sehk/2026/0410/1.pdf", "SEHK", "sehk"),
        ("/listedco/listconews/gem/2026/0410/1.pdf", None, "gem"),
        ("/listedco/listconews/sehk/2026/0410/1.pdf", "GEM", "gem"),
    ],
)
def test_board_of(path: str, market: str | None, expected: str) -> None:
    assert board_of(path, market) == expected


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


# -- load_json_body -------------------------------------------------------------------------------


def test_load_json_body_decodes_json() -> None:
    assert load_json_body(b'{"a": 1}', "application/json", URL) == {"a": 1}
    assert load_json_body(b"\xef\xbb\xbf[1]", "text/javascript", URL) == [1]  # BOM
    assert load_json_body(b'{"a": 1}', "text/html", URL) == {"a": 1}  # the body decides


def test_load_json_body_html_maintenance_page_is_a_shape_error() -> None:
    with pytest.raises(FeedShapeError) as err:
        load_json_body(MAINTENANCE_HTML, "text/html", URL)
    assert URL in str(err.value) and "HTML" in str(err.value) and "System Maintenance" in str(err.value)
    assert err.value.url == URL


def test_load_json_body_html_without_content_type() -> None:
    with pytest.raises(FeedShapeError, match="HTML"):
        load_json_body(b"\n  <html><body>busy</body></html>", None, URL)


def test_load_json_body_junk() -> None:
    with pytest.raises(FeedShapeError, match="expected JSON"):
        load_json_body(b"callback({})", "application/json", URL)


# -- parse_latest_page ----------------------------------------------------------------------------


def test_parse_latest_page_documented_sample() -> None:
    page = parse_latest_page(copy.deepcopy(SAMPLE_FEED), URL)
    assert page.page_count == 2 and page.url == URL and not page.not_modified
    assert page.generated_at == datetime.fromtimestamp(1775836800.475, tz=HKT)
    assert page.gen_date_ms == 1775836800475
    (f,) = page.filings
    assert f.id == "2026041001769" and f.news_id == 12102478
    assert f.stock_codes == ("01906",) and f.stock_names == ("BONNY HLDG",)
    assert f.categories == ("Very Substantial Disposal", "Connected Transaction")
    assert f.t1_code == "10000" and f.t2_codes == ("11200", "11300")
    assert f.released_at == datetime(2026, 4, 10, 22, 55, tzinfo=HKT)
    assert f.url == "https://www1.hkexnews.hk/listedco/listconews/sehk/2026/0410/2026041001769.pdf"
    assert f.zh_url is None  # its own number, not this stem with _c: unknown from the English feed
    assert f.file_type == "PDF" and f.size_bytes == 374 * 1024 and f.board == "sehk"
    assert f.kind is FilingKind.OTHER and not f.chinese_only and f.extra == ()


def test_parse_latest_page_traps() -> None:
    items = [
        feed_item(
            1,
            [("00700<br/>80700", "TENCENT<br/>TENCENT-R")],
            "A &amp; B\nC&#x2f;D&#x3b; E",
            path="/listedco/listconews/sehk/2026/0410/2026041000001.pdf",
            t2="NaN",
            t1="NaN",
        ),
        feed_item(
            2,
            [("00020", "SENSETIME-W"), ("80020", "SENSETIME-WR"), ("NaN", "?")],
            "INTERIM RESULTS ANNOUNCEMENT",
            path="/listedco/listconews/sehk/2026/0410/2026041000002.htm",
            ext="htm",
            size="1KB",
            categories="Interim Results",
            t2="13400",
        ),
        feed_item(9_000_123, [("00020", "SENSETIME-W")], "TEST", path="/x/2026041009999.pdf"),
        feed_item(
            3,
            [("00005", "HSBC")],
            "Monthly Return of Equity Issuer",
            path="/x/2026041000003.pdf",
            t1="51500",
            headline="Monthly Returns",
            categories="",
        ),
        feed_item(
            4,
            [("08001", "GEMCO")],
            "X",
            path="/listedco/listconews/gem/2026/0410/2026041000004.pdf",
            market="GEM",
        ),
    ]
    page = parse_latest_page(feed_page(items), URL)
    tencent, sensetime, low_id, monthly, gem = page.filings  # nothing dropped for its id or t1Code
    assert tencent.stock_codes == ("00700", "80700") and tencent.stock_names == ("TENCENT", "TENCENT-R")
    assert tencent.title == "A & B C/D; E" and tencent.t2_codes == () and tencent.t1_code == ""
    assert sensetime.stock_codes == ("00020", "80020")  # the "NaN" counter is dropped
    assert sensetime.file_type == "HTM" and sensetime.kind is FilingKind.INTERIM_RESULTS
    assert low_id.news_id == 9_000_123 and low_id.id == "2026041009999" and low_id.kind is FilingKind.OTHER
    assert monthly.kind is FilingKind.MONTHLY_RETURN and monthly.categories == ("Monthly Returns",)
    assert monthly.t1_code == "51500"
    assert gem.board == "gem"


@pytest.mark.parametrize(
    "mutate, needle",
    [
        (lambda o: o.pop("genDate"), "missing key 'genDate'"),
        (lambda o: o.pop("maxNumOfFile"), "missing key 'maxNumOfFile'"),
        (lambda o: o.pop("newsInfoLst"), "missing key 'newsInfoLst'"),
        (lambda o: o.update(newsInfoLst={"a": 1}), "'newsInfoLst' should be a list"),
        (lambda o: o.update(maxNumOfFile="many"), "'maxNumOfFile' should be a non-negative integer"),
        (
            lambda o: o["newsInfoLst"][0].pop("webPath"),
            "newsInfoLst[0] (newsId 12102478): missing key 'webPath'",
        ),
        (lambda o: o["newsInfoLst"][0].pop("newsId"), "newsInfoLst[0]: missing key 'newsId'"),
        (lambda o: o["newsInfoLst"][0].update(relTime="2026-04-10T22:55"), "DD/MM/YYYY HH:MM"),
        (lambda o: o["newsInfoLst"][0].update(stock="01906"), "'stock' should be a list"),
        (lambda o: o["newsInfoLst"][0].update(newsId="abc"), "news id 'abc'"),
    ],
)
def test_parse_latest_page_shape_errors_name_url_and_problem(mutate, needle) -> None:  # type: ignore[no-untyped-def]
    obj = copy.deepcopy(SAMPLE_FEED)
    mutate(obj)
    with pytest.raises(FeedShapeError) as err:
        parse_latest_page(obj, URL)
    assert needle in str(err.value) and URL in str(err.value) and err.value.url == URL


def test_parse_latest_page_not_an_object() -> None:
    with pytest.raises(FeedShapeError, match="expected a JSON object, got list"):
        parse_latest_page([], URL)


def test_parse_latest_page_empty_feed_is_valid() -> None:
    page = parse_latest_page(feed_page([], pages=0), URL)
    assert page.filings == () and page.page_count == 0


# -- parse_title_search ---------------------------------------------------------------------------


def test_parse_title_search_documented_sample() -> None:
    page = parse_title_search(json.loads(SAMPLE_TITLE_SEARCH_TEXT), TS_URL)
    assert not page.has_next_row and page.row_range == 100 and page.loaded == 1 and page.total == 1
    (f,) = page.filings
    assert f.id == "2025082903326" and f.news_id == 11819680
    assert f.stock_codes == ("00007",) and f.stock_names == ("WISDOM WEALTH",)
    assert f.title == "ANNOUNCEMENT OF UNAUDITED INTERIM RESULTS FOR THE SIX MONTHS ENDED 30 JUNE 2025"
    assert f.categories == ("Interim Results",) and f.kind is FilingKind.INTERIM_RESULTS
    assert f.released_at == datetime(2025, 8, 29, 21, 42, tzinfo=HKT)
    assert f.url == "https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0829/2025082903326.pdf"
    assert f.size_bytes == 749 * 1024 and f.file_type == "PDF" and f.t1_code == "" and f.t2_codes == ()


def test_parse_title_search_multi_counter_and_entities() -> None:
    row = title_row(
        11,
        ["00700", "80700"],
        ["TENCENT", "TENCENT-R"],
        "ANNUAL RESULTS &amp; FINAL DIVIDEND",
        path="/listedco/listconews/sehk/2026/0318/2026031800111.pdf",
        categories="Final Results &#x2f; Dividend or Distribution",
    )
    page = parse_title_search(title_answer([row], has_next=False), TS_URL)
    (f,) = page.filings
    assert f.stock_codes == ("00700", "80700") and f.stock_names == ("TENCENT", "TENCENT-R")
    assert f.categories == ("Final Results", "Dividend or Distribution")
    assert f.title == "ANNUAL RESULTS & FINAL DIVIDEND" and f.kind is FilingKind.FINAL_RESULTS


def test_parse_title_search_null_with_no_count_is_no_rows_unconfirmed() -> None:
    page = parse_title_search(title_answer(None, has_next=False), TS_URL)
    assert page.unconfirmed and page.filings == () and page.total == 0 and not page.has_next_row


def test_parse_title_search_null_with_rows_counted_is_a_refusal() -> None:
    with pytest.raises(FeedShapeError) as err:
        parse_title_search(title_answer(None, has_next=False, total=12), TS_URL)
    assert "'result' is 'null' but recordCnt is 12" in str(err.value) and TS_URL in str(err.value)


@pytest.mark.parametrize(
    "mutate, needle",
    [
        (lambda o: o.pop("result"), "missing key 'result'"),
        (lambda o: o.pop("hasNextRow"), "missing key 'hasNextRow'"),
        (lambda o: o.update(hasNextRow="false"), "'hasNextRow' should be true/false"),
        (lambda o: o.update(result=[{"NEWS_ID": "1"}]), "'result' should be a JSON string"),
        (lambda o: o.update(result="[{"), "'result' is not a JSON array"),
        (lambda o: o.update(result='{"a":1}'), "'result' should hold a list"),
        (lambda o: o.update(result=json.dumps([{"NEWS_ID": "1"}])), "result[0]: missing key 'STOCK_CODE'"),
    ],
)
def test_parse_title_search_shape_errors(mutate, needle) -> None:  # type: ignore[no-untyped-def]
    obj = json.loads(SAMPLE_TITLE_SEARCH_TEXT)
    mutate(obj)
    with pytest.raises(FeedShapeError) as err:
        parse_title_search(obj, TS_URL)
    assert needle in str(err.value) and TS_URL in str(err.value)


def test_parse_title_search_keeps_low_news_ids() -> None:
    rows = [
        title_row(
            3_449_171,
            ["00700"],
            ["TENCENT"],
            "ANNOUNCEMENT",
            path="/x/2019010100001.pdf",
            when="01/01/2019 08:00",
        )
    ]
    (f,) = parse_title_search(title_answer(rows, has_next=False), TS_URL).filings
    assert f.news_id == 3_449_171 and f.id == "2019010100001"


# -- stock list and merging -----------------------------------------------------------------------


def test_parse_active_stocks() -> None:
    rows = [*SAMPLE_ACTIVE_STOCKS, {"i": 5, "c": "NaN", "n": "junk"}]
    assert parse_active_stocks(rows, URL) == {
        "00700": 7609,
        "00020": 1000020,
        "80020": 1000021,
        "02512": 1002512,
    }


@pytest.mark.parametrize(
    "obj, needle",
    [
        ({"stocks": []}, "expected a JSON list"),
        ([{"c": "00700"}], "with 'i' and 'c'"),
        ([{"i": "x", "c": "00700"}], "stockId 'i' should be an integer"),
    ],
)
def test_parse_active_stocks_shape_errors(obj: object, needle: str) -> None:
    with pytest.raises(FeedShapeError, match=needle):
        parse_active_stocks(obj, URL)


def test_merge_filings_folds_counters_and_languages() -> None:
    day = "/listedco/listconews/sehk/2025/0827/"
    items = [
        feed_item(
            200,
            [("80020", "SENSETIME-WR")],
            "中期業績公告",
            path=day + "2025082700123_c.pdf",
            t2="13400",
            categories="Interim Results",
        ),
        feed_item(
            100,
            [("00020", "SENSETIME-W")],
            "INTERIM RESULTS ANNOUNCEMENT",
            path=day + "2025082700123.pdf",
            t2="13400",
            categories="Interim Results",
            when="27/08/2025 12:01",
        ),
        feed_item(300, [("00005", "HSBC")], "OTHER", path=day + "2025082700124.pdf"),
    ]
    merged = merge_filings(parse_latest_page(feed_page(items), URL).filings)
    assert [m.id for m in merged] == ["2025082700123", "2025082700124"]
    st = merged[0]
    assert st.news_id == 100 and st.title == "INTERIM RESULTS ANNOUNCEMENT"  # the English record wins
    assert st.url.endswith("2025082700123.pdf") and st.zh_url is not None and st.zh_url.endswith("_c.pdf")
    assert st.stock_codes == ("00020", "80020") and st.stock_names == ("SENSETIME-W", "SENSETIME-WR")
    assert st.kind is FilingKind.INTERIM_RESULTS


# -- every kind, every language: the corrected shapes ------------------------------------------------


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


def test_monthly_return_in_the_feed_and_the_title_search() -> None:
    item = feed_item(
        12102460,
        [("00020", "SENSETIME-W")],
        "Monthly Return of Equity Issuer on Movements in Securities for the month ended 31 March 2026",
        path="/listedco/listconews/sehk/2026/0401/2026040100412.pdf",
        t1="51500",
        t2="NaN",
        headline="Monthly Returns",
        categories="",
    )
    (fed,) = parse_latest_page(feed_page([item]), URL).filings
    row = title_row(
        12102460,
        ["00020"],
        ["SENSETIME-W"],
        fed.title,
        headline="Monthly Returns",
        categories="",
        path="/listedco/listconews/sehk/2026/0401/2026040100412.pdf",
        when="01/04/2026 17:02",
    )
    (searched,) = parse_title_search(title_answer([row], has_next=False), TS_URL).filings
    for f in (fed, searched):
        assert f.kind is FilingKind.MONTHLY_RETURN and f.categories == ("Monthly Returns",)
        assert f.id == "2026040100412"
    assert fed.t1_code == "51500" and searched.t1_code == ""


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


@pytest.mark.parametrize(
    "texts, expected",
    [
        (("(Headlines Revised) Announcements and Notices - [Final Results]<br/>",), "revised"),
        (
            ("(Cancelled since Headlines Superseded and Replaced) Announcements and Notices - [Other]",),
            "superseded",
        ),
        (("", "", "(Headlines Revised) INTERIM RESULTS ANNOUNCEMENT"), "revised"),
        (("(修改後標題) 公告及通告 - [其他]",), "revised"),
        (("Announcements and Notices - [Final Results]",), None),
    ],
)
def test_headline_revision(texts: tuple[str, ...], expected: str | None) -> None:
    assert headline_revision(*texts) == expected


def test_revised_headline_rows_are_filings_noted_as_such() -> None:
    day = "/listedco/listconews/sehk/2026/0327/"
    rows = [
        title_row(
            12001,
            ["00700"],
            ["TENCENT"],
            "ANNUAL RESULTS ANNOUNCEMENT",
            path=day + "2026032700901.pdf",
            categories="Final Results",
            revision="(Headlines Revised) ",
            when="27/03/2026 16:40",
        ),
        title_row(
            12000,
            ["00700"],
            ["TENCENT"],
            "ANNUAL RESULTS ANNOUNCEMENT",
            path=day + "2026032700899.pdf",
            categories="Other",
            when="27/03/2026 16:31",
            revision="(Cancelled since Headlines Superseded and Replaced) ",
        ),
    ]
    revised, cancelled = parse_title_search(title_answer(rows, has_next=False), TS_URL).filings
    assert (
        dict(revised.extra) == {"headline_revision": "revised"} and revised.kind is FilingKind.FINAL_RESULTS
    )
    assert dict(cancelled.extra) == {"headline_revision": "superseded"}
    assert revised.categories == ("Final Results",) and revised.title == "ANNUAL RESULTS ANNOUNCEMENT"
    item = feed_item(
        12001,
        [("00700", "TENCENT")],
        "ANNUAL RESULTS ANNOUNCEMENT",
        path=day + "2026032700901.pdf",
        categories="Final Results",
        t2="13300",
        revision="(Headlines Revised) ",
    )
    (fed,) = parse_latest_page(feed_page([item]), URL).filings
    assert dict(fed.extra) == {"headline_revision": "revised"}


def test_multi_file_row_is_a_filing_with_its_folder_page() -> None:
    row = title_row(
        12100111,
        ["00005"],
        ["HSBC HOLDINGS"],
        "2025 ANNUAL RESULTS",
        path="/listedco/listconews/sehk/2026/0224/2026022400518.htm",
        file_type="",
        size="Multi-Files",
        categories="Final Results",
    )
    (f,) = parse_title_search(title_answer([row], has_next=False), TS_URL).filings
    assert f.id == "2026022400518" and f.file_type == "" and f.size_bytes is None
    assert f.url.endswith("2026022400518.htm") and f.kind is FilingKind.FINAL_RESULTS and not f.chinese_only


PLACEHOLDER_TITLE = (
    "An announcement has just been published by the issuer in the Chinese section of this "
    "website, a corresponding version of which may or may not be published in this section"
)


def test_chinese_only_placeholder_is_flagged_and_keeps_its_category() -> None:
    item = feed_item(
        12102499,
        [("00020", "SENSETIME-W")],
        PLACEHOLDER_TITLE,
        path="/listedco/listconews/sehk/2026/0410/2026041000999.htm",
        ext="htm",
        size="1KB",
        categories="Interim Results",
        t2="13400",
    )
    (f,) = parse_latest_page(feed_page([item]), URL).filings
    assert f.chinese_only and f.zh_url is None and f.zh_title is None and f.id == "2026041000999"
    assert f.kind is FilingKind.INTERIM_RESULTS and f.display_title == PLACEHOLDER_TITLE
    assert is_placeholder_title(PLACEHOLDER_TITLE.upper()) and not is_placeholder_title("INTERIM RESULTS")


def test_chinese_feed_items_know_their_own_document() -> None:
    item = feed_item(
        12102472,
        [("00020", "商湯－Ｗ")],
        "截至2025年6月30日止六個月之中期業績公告",
        path="/listedco/listconews/sehk/2026/0410/2026041001755_c.pdf",
        headline="公告及通告",
        categories="中期業績",
        t2="13400",
    )
    (f,) = parse_latest_page(feed_page([item]), URL.replace("relsde", "relsdc")).filings
    assert f.id == "2026041001755" and f.zh_url == f.url and f.url.endswith("2026041001755_c.pdf")
    assert f.categories == ("中期業績",) and f.kind is FilingKind.INTERIM_RESULTS


def test_title_with_tooltip_html_is_stripped() -> None:
    row = title_row(
        1,
        ["00700"],
        ["TENCENT"],
        "VOLUNTARY ANNOUNCEMENT<div class='tip'>BUSINESS UPDATE</div>",
        path="/x/2026010100001.pdf",
    )
    (f,) = parse_title_search(title_answer([row], has_next=False), TS_URL).filings
    assert f.title == "VOLUNTARY ANNOUNCEMENT BUSINESS UPDATE"


def test_real_answer_quirks_extra_keys_escapes_and_lang() -> None:
    row = title_row(
        11,
        ["00700", "80700"],
        ["TENCENT", "TENCENT-R"],
        "RESULTS &amp; DIVIDEND <b>2025</b>",
        path="/listedco/listconews/sehk/2026/0318/2026031800111.pdf",
        categories="Final Results",
    )
    text = real_answer_text(title_answer([row], has_next=False, lang="E"))
    assert b"\\u003cbr/>" in text and b"sortList" in text
    page = parse_title_search(json.loads(text), TS_URL.replace("lang=E", "lang=EN"))
    (f,) = page.filings
    assert f.stock_codes == ("00700", "80700") and f.title == "RESULTS & DIVIDEND 2025"
    assert f.kind is FilingKind.FINAL_RESULTS


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
