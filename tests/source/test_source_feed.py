"""Pure feed functions: one trap per test, tables of input and expected output."""

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
    title_answer,
    title_row,
)

from monitor.errors import FeedShapeError
from monitor.feed import (
    board_of,
    classify,
    document_stem,
    is_chinese_placeholder,
    is_test_posting,
    load_json_body,
    merge_filings,
    normalise_stock_code,
    parse_active_stocks,
    parse_latest_page,
    parse_rel_time,
    parse_size,
    parse_t2_codes,
    parse_title_search,
    split_categories,
    split_multi_counter,
    unescape_title,
)
from monitor.filing import HKT, FilingKind

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
def test_parse_t2_codes(raw: object, expected: tuple[str, ...]) -> None:
    assert parse_t2_codes(raw) == expected


def test_parse_t2_codes_rejects_junk() -> None:
    with pytest.raises(ValueError, match="'13X00'"):
        parse_t2_codes("13X00")


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


@pytest.mark.parametrize(
    "t1, news_id, released, expected",
    [
        ("51500", 12102478, None, True),
        ("10000", 9_000_000, None, True),
        ("10000", 9_412_345, datetime(2026, 4, 10, tzinfo=HKT), True),
        ("", 9_000_001, None, True),
        ("10000", 99_000_000, None, True),
        # Real ids: today's are 8 digits starting with 1; before 2022 real ids were 9,xxx,xxx.
        ("10000", 12102478, None, False),
        ("10000", 11819680, datetime(2025, 8, 29, tzinfo=HKT), False),
        ("10000", 10_000_000, None, False),
        ("10000", 8_999_999, None, False),
        ("10000", 9_412_345, datetime(2020, 3, 30, tzinfo=HKT), False),
        (None, 12102478, None, False),
    ],
)
def test_is_test_posting(t1: object, news_id: int, released: datetime | None, expected: bool) -> None:
    assert is_test_posting(t1, news_id, released) is expected


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
        FilingKind.OTHER,
        "delay",
    ),
    (
        "10000",
        ("13400",),
        ("Interim Results",),
        "SUPPLEMENTAL ANNOUNCEMENT TO THE INTERIM RESULTS ANNOUNCEMENT",
        FilingKind.OTHER,
        "supplement",
    ),
    ("40000", ("40100",), ("Annual Report",), "ANNUAL REPORT 2025", FilingKind.OTHER, "report, not results"),
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
    assert page.page_count == 2 and page.url == URL and page.test_postings == 0
    assert page.generated_at == datetime.fromtimestamp(1775836800.475, tz=HKT)
    (f,) = page.filings
    assert f.id == "2026041001769" and f.news_id == 12102478
    assert f.stock_codes == ("01906",) and f.stock_names == ("BONNY HLDG",)
    assert f.categories == ("Very Substantial Disposal", "Connected Transaction")
    assert f.t1_code == "10000" and f.t2_codes == ("11200", "11300")
    assert f.released_at == datetime(2026, 4, 10, 22, 55, tzinfo=HKT)
    assert f.url == "https://www1.hkexnews.hk/listedco/listconews/sehk/2026/0410/2026041001769.pdf"
    assert f.zh_url == "https://www1.hkexnews.hk/listedco/listconews/sehk/2026/0410/2026041001769_c.pdf"
    assert f.file_type == "PDF" and f.size_bytes == 374 * 1024 and f.board == "sehk"
    assert f.kind is FilingKind.OTHER


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
        feed_item(3, [("00005", "HSBC")], "TEST", path="/x/2026041000003.pdf", t1="51500"),
        feed_item(
            4,
            [("08001", "GEMCO")],
            "X",
            path="/listedco/listconews/gem/2026/0410/2026041000004.pdf",
            market="GEM",
        ),
    ]
    page = parse_latest_page(feed_page(items), URL)
    assert page.test_postings == 2
    tencent, sensetime, gem = page.filings
    assert tencent.stock_codes == ("00700", "80700") and tencent.stock_names == ("TENCENT", "TENCENT-R")
    assert tencent.title == "A & B C/D; E" and tencent.t2_codes == () and tencent.t1_code == ""
    assert sensetime.stock_codes == ("00020", "80020")  # the "NaN" counter is dropped
    assert sensetime.file_type == "HTM" and sensetime.kind is FilingKind.INTERIM_RESULTS
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


def test_parse_title_search_null_result_is_loud() -> None:
    with pytest.raises(FeedShapeError) as err:
        parse_title_search(title_answer(None, has_next=False), TS_URL)
    assert "'result' is 'null'" in str(err.value) and TS_URL in str(err.value)
    assert "not taken as 'no filings'" in str(err.value)


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


def test_parse_title_search_drops_test_postings() -> None:
    rows = [title_row(9_100_000, ["00700"], ["TENCENT"], "TEST", path="/x/2026010100001.pdf")]
    page = parse_title_search(title_answer(rows, has_next=False), TS_URL)
    assert page.filings == () and page.test_postings == 1


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
