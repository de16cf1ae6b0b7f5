"""Every HKEXnews URL, built on the configurable base URL."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.hkexnews.urls import HKEXnewsURLs, without_query

U = HKEXnewsURLs("https://www1.hkexnews.hk/")


def test_latest_feed_urls() -> None:
    assert U.latest() == "https://www1.hkexnews.hk/ncms/json/eds/lcisehk1relsde_1.json"
    assert U.latest("gem", 7, 3, "c") == "https://www1.hkexnews.hk/ncms/json/eds/lcigem7relsdc_3.json"
    assert U.latest(cache_buster=1775836800475).endswith("lcisehk1relsde_1.json?_=1775836800475")


@pytest.mark.parametrize("kwargs", [{"board": "main"}, {"window": 2}, {"lang": "zh"}, {"page": 0}])
def test_latest_feed_rejects_unknown_parts(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        U.latest(**kwargs)  # type: ignore[arg-type]


def test_title_search_url_has_every_documented_parameter_in_order() -> None:
    url = U.title_search(7609, date(2025, 8, 1), date(2025, 8, 31))
    assert url == (
        "https://www1.hkexnews.hk/search/titleSearchServlet.do?sortDir=0&sortByOptions=DateTime&category=0"
        "&market=SEHK&stockId=7609&documentType=-1&fromDate=20250801&toDate=20250831&title=&searchType=0"
        "&t1code=-2&t2Gcode=-2&t2code=-2&rowRange=100&lang=E"
    )
    interim = U.title_search(
        7609,
        date(2025, 1, 1),
        date(2025, 12, 31),
        row_range=300,
        lang="ZH",
        search_type=1,
        t1code="10000",
        t2gcode="3",
        t2code="13400",
    )
    assert "searchType=1&t1code=10000&t2Gcode=3&t2code=13400&rowRange=300&lang=ZH" in interim


@pytest.mark.parametrize("kwargs", [{"lang": "EN"}, {"row_range": 0}])
def test_title_search_rejects(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        U.title_search(1, date(2025, 1, 1), date(2025, 1, 2), **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="after"):
        U.title_search(1, date(2025, 1, 2), date(2025, 1, 1))


def test_stock_lists_and_referer() -> None:
    assert U.active_stocks() == "https://www1.hkexnews.hk/ncms/script/eds/activestock_sehk_e.json"
    assert U.active_stocks("gem") == "https://www1.hkexnews.hk/ncms/script/eds/activestock_gem_e.json"
    assert (
        U.active_stocks(active=False) == "https://www1.hkexnews.hk/ncms/script/eds/inactivestock_sehk_e.json"
    )
    assert U.referer() == "https://www1.hkexnews.hk/search/titlesearch.xhtml?lang=en"


def test_document_urls() -> None:
    # A Chinese document has a number of its own (hkexnews.md section 5): no URL is built for it from
    # the English stem; only links the listings give are turned into URLs.
    en = U.document("/listedco/listconews/sehk/2025/0827/2025082700123.pdf")
    assert en == "https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/2025082700123.pdf"
    zh = U.document("/listedco/listconews/sehk/2025/0827/2025082700124_c.pdf")
    assert zh == "https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/2025082700124_c.pdf"
    assert U.document("https://evil.example.com/x.pdf") == "https://evil.example.com/x.pdf"
    with pytest.raises(ValueError):
        U.document("  ")


def test_title_search_page_sets_the_session() -> None:
    assert U.title_search_page() == "https://www1.hkexnews.hk/search/titlesearch.xhtml?lang=en" == U.referer()


@pytest.mark.parametrize(
    "url, same",
    [
        ("https://www1.hkexnews.hk/listedco/x.pdf", True),
        ("https://WWW1.HKEXNEWS.HK:443/listedco/x.pdf", True),
        ("http://www1.hkexnews.hk/listedco/x.pdf", False),
        ("https://www1.hkexnews.hk.evil.com/x.pdf", False),
        ("https://evil.com/https://www1.hkexnews.hk/x.pdf", False),
        ("https://www1.hkexnews.hk:8443/x.pdf", False),
        ("/listedco/x.pdf", False),
        ("https://www1.hkexnews.hk:badport/x.pdf", False),
    ],
)
def test_is_same_host(url: str, same: bool) -> None:
    assert U.is_same_host(url) is same


def test_local_base_url_for_tests() -> None:
    local = HKEXnewsURLs("http://localhost:8080")
    assert local.latest() == "http://localhost:8080/ncms/json/eds/lcisehk1relsde_1.json"
    assert local.is_same_host("http://localhost:8080/a.pdf") and not local.is_same_host(
        "http://localhost:8081/a.pdf"
    )
    with pytest.raises(ValueError):
        HKEXnewsURLs("ftp://x")


def test_without_query() -> None:
    assert without_query("https://h/a.json?_=123") == "https://h/a.json"
