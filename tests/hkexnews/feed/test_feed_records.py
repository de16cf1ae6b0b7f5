"""Rows as ``Filing`` records and records folded per document (``feed/records.py``), in the corrected shapes:
every kind, every language; a Chinese document's address is never built from the English stem."""

from __future__ import annotations

from feedbuilder import (
    feed_item,
    feed_page,
    title_answer,
    title_row,
)

from monitor.filing import FilingKind
from monitor.hkexnews.feed import (
    is_placeholder_title,
    merge_filings,
    parse_latest_page,
    parse_title_search,
)

URL = "https://www1.hkexnews.hk/ncms/json/eds/lcisehk1relsde_1.json?_=1"
TS_URL = "https://www1.hkexnews.hk/search/titleSearchServlet.do?stockId=7609"


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
