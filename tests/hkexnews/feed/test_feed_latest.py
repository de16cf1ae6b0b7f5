"""One latest-feed page (``feed/latest.py``): the documented sample, its traps, and shape errors that name the
URL and the problem."""

from __future__ import annotations

import copy
from datetime import datetime

import pytest
from feedbuilder import (
    SAMPLE_FEED,
    feed_item,
    feed_page,
)

from monitor.errors import FeedShapeError
from monitor.filing import HKT, FilingKind
from monitor.hkexnews.feed import (
    parse_latest_page,
)

URL = "https://www1.hkexnews.hk/ncms/json/eds/lcisehk1relsde_1.json?_=1"


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
