"""The one title-search sequence (``discovery/titlesearch.py``) against the stand-in: code to stockId,
the cumulative ``rowRange`` grown to the end, every request counted (the stock-list fetches too,
whether the search succeeds or not), and a stock on neither active list never searched."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from hkexfakes import MemoryStore
from standinfilings import NOW, SERVLET, chinese_only, filing, paths_since, polled

from monitor.errors import HostCoolingOffError, SourceError
from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.discovery import NOT_LISTED, Discovery, Requests, TitleSearch
from monitor.hkexnews.discovery.titlesearch import UNCONFIRMED
from monitor.hkexnews.standin import HKEXnewsStandIn
from monitor.hkexnews.stockids import StockDirectory

STOCK_LISTS = ("/ncms/script/eds/activestock_sehk_e.json", "/ncms/script/eds/activestock_gem_e.json")
DAY = NOW.date()


def search_of(client: HKEXnewsClient) -> TitleSearch:
    return TitleSearch(client, StockDirectory(client))


def servlet_calls(hk: HKEXnewsStandIn, start: int) -> list[str]:
    return [p for p in hk.requests[start:] if p.startswith(SERVLET)]


def test_every_page_and_the_stock_list_are_counted(hk: HKEXnewsStandIn, hk_client: HKEXnewsClient) -> None:
    for i in range(250):  # three cumulative answers: rowRange 100, 200, 300
        hk.publish(filing(13000000 + i, "00700", f"FILING {i}", seq=i, when=NOW - timedelta(minutes=i)))
    hk.publish(filing(13100000, "00005", "SOMEONE ELSE", seq=900, when=NOW))
    search = search_of(hk_client)
    found = search.search("700", DAY - timedelta(days=1), DAY)
    assert found.ok and found.why is None and found.code == "00700"
    assert found.requests == Requests(title_search=3, stock_ids=1) and found.requests.total == 4
    assert len(found.filings) == 250 and {f.stock_codes for f in found.filings} == {("00700",)}
    start = len(hk.requests)
    again = search.search("00005", DAY, DAY)  # the stock list is cached now: not fetched, not counted
    assert again.requests == Requests(title_search=1) and [f.title for f in again.filings] == ["SOMEONE ELSE"]
    assert not any(p.startswith(STOCK_LISTS) for p in hk.requests[start:])


def test_a_stock_on_neither_list_is_not_searched_and_its_list_fetches_count(
    hk: HKEXnewsStandIn, hk_client: HKEXnewsClient
) -> None:
    hk.add_stock("00700")
    start = len(hk.requests)
    found = search_of(hk_client).search("01234", DAY, DAY)
    assert not found.listed and not found.ok and found.why == NOT_LISTED and found.filings == ()
    assert found.requests == Requests(stock_ids=2)  # the Main Board list, then the GEM list
    assert [p for p in paths_since(hk, start) if p != "/search/titlesearch.xhtml"] == list(STOCK_LISTS)
    assert servlet_calls(hk, start) == []


def test_a_failed_search_is_returned_with_what_it_cost(
    hk: HKEXnewsStandIn, hk_client: HKEXnewsClient
) -> None:
    hk.publish(filing(13200000, "00700", "ONE", seq=1, when=NOW))
    hk.fail_title_search("00700", "error")
    found = search_of(hk_client).search("00700", DAY, DAY)
    assert isinstance(found.error, SourceError) and not found.ok and found.filings == ()
    assert found.why is not None and found.why.startswith("title search failed: ")
    assert found.requests == Requests(title_search=1, stock_ids=1)  # the client's retries count once


def test_a_null_answer_is_unconfirmed(hk: HKEXnewsStandIn, hk_client: HKEXnewsClient) -> None:
    hk.publish(filing(13300000, "00700", "ONE", seq=1, when=NOW))
    hk.fail_title_search("00700", "null")
    found = search_of(hk_client).search("00700", DAY, DAY)
    assert found.listed and not found.confirmed and found.error is None and found.why == UNCONFIRMED
    assert found.requests == Requests(title_search=1, stock_ids=1)


def test_a_cool_off_is_the_results_error(hk: HKEXnewsStandIn, hk_client: HKEXnewsClient) -> None:
    hk.publish(filing(13400000, "00700", "ONE", seq=1, when=NOW))
    hk.fail_requests(SERVLET, 503)
    found = search_of(hk_client).search("00700", DAY, DAY)
    assert isinstance(found.error, HostCoolingOffError)


def test_the_chinese_lookup_counts_its_stock_list_fetch(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    hk.publish(chinese_only())
    hk.fail_requests("relsdc_", 500)  # the Chinese feed fails: the Chinese title search finds it
    polled(store, NOW - timedelta(minutes=5))
    poll = make_discovery().poll(["00020"], now=NOW)
    (resolved,) = poll.filings
    assert dict(resolved.extra)["chinese_only_source"] == "Chinese title search"
    assert poll.requests == Requests(feed=1, chinese_feed=1, title_search=1, stock_ids=1)
