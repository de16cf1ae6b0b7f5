"""Watching the whole market (``ALL_STOCKS``, issue 19) against the stand-in: both boards read and every
filing on them returned, paging on while a page is entirely new (one request a board when nothing is
new beyond page 1), catch-up after downtime from every page of the 7-day feed instead of one title
search per stock, Chinese-only filings after an outage resolved from the Chinese feed rather than
by dozens of searches, reconciliation skipped for the whole market but kept for named stocks, a
first start reading back only to its first-run window, and a whole-market evening at the real scale."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from hkexfakes import FakeClock, MemoryStore
from standinfilings import NOW, SERVLET, chinese_only, filing, paths_since, polled

from monitor.filing import FilingKind
from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.discovery import ALL_STOCKS, Discovery, Requests
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling
from monitor.settings import HKEXnewsSettings

SEHK1, GEM1 = "/ncms/json/eds/lcisehk1relsde_{}.json", "/ncms/json/eds/lcigem1relsde_{}.json"
SEHK7, GEM7 = "/ncms/json/eds/lcisehk7relsde_{}.json", "/ncms/json/eds/lcigem7relsde_{}.json"
STOCK_LIST = "/ncms/script/eds/activestock_"
_news = itertools.count(14_000_000)
_seq = itertools.count(1)


def market_filing(code: str, when: datetime, *, board: str = "sehk", results: bool = False) -> StandInFiling:
    """One filing of ``code``; a results announcement when ``results``."""
    if results:
        return filing(next(_news), code, "INTERIM RESULTS ANNOUNCEMENT FOR THE SIX MONTHS ENDED 30 JUNE 2026",
                      seq=next(_seq), when=when, category="Interim Results", t2="13400", board=board)
    return filing(next(_news), code, "VOLUNTARY ANNOUNCEMENT", seq=next(_seq), when=when, board=board)


def spread(n: int, newest: datetime, step: timedelta, *, board: str = "sehk") -> list[StandInFiling]:
    """``n`` filings of different issuers, newest first, ``step`` apart."""
    first = 8001 if board == "gem" else 1
    return [market_filing(f"{first + i % 900:05d}", newest - i * step, board=board) for i in range(n)]


@pytest.fixture
def market() -> Iterator[HKEXnewsStandIn]:
    """A stand-in with small pages whose feed windows end on NOW's day, as HKEXnews' do."""
    with HKEXnewsStandIn(page_size=10, today=NOW.date) as standin:
        yield standin


@pytest.fixture
def make_market_discovery(market: HKEXnewsStandIn, make_settings: Callable[..., HKEXnewsSettings],
                          store: MemoryStore, clock: FakeClock) -> Iterator[Callable[..., Discovery]]:
    client = HKEXnewsClient(make_settings(base_url=market.base_url, retries=1, backoff_s=0.01))

    def make(**kw: object) -> Discovery:
        return Discovery(client, store, client.settings, clock=clock, **kw)  # type: ignore[arg-type]

    yield make
    client.close()


def stem(f: StandInFiling) -> str:
    return f.web_path.rsplit("/", 1)[1].split(".", 1)[0]


def servlet_stock_ids(hk: HKEXnewsStandIn, start: int) -> set[str]:
    return {p.split("stockId=", 1)[1].split("&", 1)[0] for p in hk.requests[start:] if p.startswith(SERVLET)}


def test_every_filing_on_both_boards_is_returned(
    market: HKEXnewsStandIn, make_market_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    for f in spread(5, NOW - timedelta(minutes=1), timedelta(minutes=2)) + spread(
            3, NOW - timedelta(minutes=2), timedelta(minutes=3), board="gem"):
        market.publish(f)
    codeless = StandInFiling(next(_news), [("NaN", "")], "ANNOUNCEMENT", "Others", "NaN",
                             NOW - timedelta(minutes=20),
                             f"/listedco/listconews/sehk/2026/0410/20260410{next(_seq):05d}.pdf", b"%PDF-1.4")
    market.publish(codeless)
    polled(store, NOW - timedelta(minutes=30))
    start = len(market.requests)
    poll = make_market_discovery().poll(ALL_STOCKS, now=NOW)
    assert poll.whole_market and poll.mode == "latest" and poll.boards == ("sehk", "gem")
    assert paths_since(market, start) == [SEHK1.format(1), GEM1.format(1)]
    assert poll.requests == Requests(feed=2)
    assert len(poll.filings) == 9 and sorted({f.board for f in poll.filings}) == ["gem", "sehk"]
    assert any(f.stock_codes == () for f in poll.filings)  # on the feed, so watched, though it names no stock
    assert set(poll.seen_keys) == {f.id for f in poll.filings}


def test_each_poll_pages_on_while_a_page_is_entirely_new_and_costs_one_request_a_board_otherwise(
    market: HKEXnewsStandIn, make_market_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    for f in spread(35, NOW - timedelta(minutes=30), timedelta(seconds=30)):
        market.publish(f)
    polled(store, NOW - timedelta(hours=1))
    discovery = make_market_discovery(max_pages=1)  # a cap for named stocks only: the market pages on
    start = len(market.requests)
    first = discovery.poll(["*"], now=NOW)
    assert paths_since(market, start) == [SEHK1.format(n) for n in (1, 2, 3, 4)] + [GEM1.format(1)]
    assert first.requests == Requests(feed=5) and len(first.filings) == 35
    discovery.commit(first)

    for i, minutes in enumerate((3, 2, 1)):  # three new filings: page 1 is no longer all new
        market.publish(market_filing(f"{100 + i:05d}", NOW + timedelta(minutes=minutes)))
    start = len(market.requests)
    few = discovery.poll(["*"], now=NOW + timedelta(minutes=4))
    assert paths_since(market, start) == [SEHK1.format(1), GEM1.format(1)]
    assert few.requests == Requests(feed=2)
    assert len(few.filings) == 3
    discovery.commit(few)

    unchanged = discovery.poll(["*"], now=NOW + timedelta(minutes=5))
    assert unchanged.requests == Requests(feed=2) and unchanged.not_modified and unchanged.filings == ()

    for f in spread(25, NOW + timedelta(minutes=30), timedelta(seconds=10)):  # 2.5 pages of new filings
        market.publish(f)
    start = len(market.requests)
    many = discovery.poll(["*"], now=NOW + timedelta(minutes=31))
    assert paths_since(market, start) == [SEHK1.format(n) for n in (1, 2, 3)] + [GEM1.format(1)]
    assert many.requests == Requests(feed=4) and len(many.filings) == 25

    named = Discovery(discovery.client, MemoryStore(), discovery.settings, max_pages=1)
    polled(named.store, NOW + timedelta(minutes=29))  # type: ignore[arg-type]
    assert named.poll(["00001"], now=NOW + timedelta(minutes=31)).requests == Requests(feed=1)  # the cap


def test_catch_up_after_downtime_reads_every_page_of_the_seven_day_feed_and_searches_no_stock(
    market: HKEXnewsStandIn, make_market_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    for f in spread(25, NOW - timedelta(hours=1), timedelta(hours=2)):  # back over two days
        market.publish(f)
    for f in spread(4, NOW - timedelta(hours=3), timedelta(hours=9), board="gem"):
        market.publish(f)
    polled(store, NOW - timedelta(days=3))
    start = len(market.requests)
    poll = make_market_discovery(max_catch_up_pages=1).poll(ALL_STOCKS, now=NOW)
    assert poll.mode == "catch-up-7d" and poll.catch_up == ()
    assert paths_since(market, start) == [SEHK7.format(n) for n in (1, 2, 3)] + [GEM7.format(1)]
    assert poll.requests == Requests(feed=4) and len(poll.filings) == 29
    assert min(f.released_at for f in poll.filings) < NOW - timedelta(days=2)  # not in today's feed


def test_beyond_the_seven_day_feed_only_named_stocks_are_searched(
    market: HKEXnewsStandIn, make_market_discovery: Callable[..., Discovery], store: MemoryStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    recent = spread(12, NOW - timedelta(hours=1), timedelta(hours=6))
    old_named = market_filing("00700", NOW - timedelta(days=10))
    old_other = market_filing("00005", NOW - timedelta(days=10, minutes=5))
    for f in [*recent, old_named, old_other]:
        market.publish(f)
    polled(store, NOW - timedelta(days=12))
    start = len(market.requests)
    poll = make_market_discovery().poll(["*", "700"], now=NOW)
    assert poll.mode == "title-search" and [c.code for c in poll.catch_up] == ["00700"]
    assert servlet_stock_ids(market, start) == {str(market.stock_id("00700"))}
    ids = {f.id for f in poll.filings}
    assert len(ids) == 13 and stem(old_named) in ids and stem(old_other) not in ids
    assert "the whole market is caught up from the 7-day feed only" in caplog.text
    assert poll.requests == Requests(feed=3, title_search=1, stock_ids=1)  # 2 SEHK pages, 1 GEM


def test_the_whole_market_is_not_reconciled_but_named_stocks_are(
    market: HKEXnewsStandIn, make_market_discovery: Callable[..., Discovery], store: MemoryStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, "monitor.hkexnews.discovery")
    missed = market_filing("00020", NOW - timedelta(hours=2), results=True)
    missed.feed_listed = False
    market.publish(missed)
    market.publish(market_filing("00005", NOW - timedelta(hours=3)))
    discovery = make_market_discovery()
    start = len(market.requests)
    alone = discovery.reconcile(NOW.date(), ALL_STOCKS, now=NOW)
    assert market.requests[start:] == [] and alone.requests == Requests()
    assert alone.whole_market_skipped and alone.compared == () and alone.missed == () and alone.complete
    assert "the whole market is watched and is not reconciled" in caplog.text

    both = discovery.reconcile(NOW.date(), ["*", "20"], now=NOW)
    assert servlet_stock_ids(market, start) == {str(market.stock_id("00020"))}
    assert [c.code for c in both.compared] == ["00020"] and both.whole_market_skipped
    (found,) = both.missed
    assert found.kind is FilingKind.INTERIM_RESULTS and found.id == stem(missed)


def test_a_first_start_reads_back_only_to_its_first_run_window(
    market: HKEXnewsStandIn, make_market_discovery: Callable[..., Discovery]
) -> None:
    for f in spread(60, NOW, timedelta(minutes=10)):  # ten hours, six pages
        market.publish(f)
    start = len(market.requests)
    poll = make_market_discovery(first_run_hours=2).poll(ALL_STOCKS, now=NOW)
    assert poll.first_start and poll.mode == "catch-up-7d"
    assert paths_since(market, start) == [SEHK7.format(1), SEHK7.format(2), GEM7.format(1)]
    assert len(poll.filings) == 13 and all(f.released_at >= NOW - timedelta(hours=2) for f in poll.filings)
    assert len(poll.held_back) == 7  # the rest of page 2; pages 3 to 6 are not read at all


def test_a_whole_market_evening_pages_once_then_costs_one_request_a_board(
    make_settings: Callable[..., HKEXnewsSettings], store: MemoryStore
) -> None:
    """Issue 19's peak evening: about 600 results among 5,000 other filings in 4 hours, at the
    stand-in's default page size, nine in ten on the Main Board."""
    evening_start = NOW - timedelta(hours=4)
    step = timedelta(hours=4) / 5600
    filings = [market_filing(f"{(8001 + i % 900) if i % 10 == 0 else (1 + i % 7000):05d}",
                             evening_start + i * step, board="gem" if i % 10 == 0 else "sehk",
                             results=i % 9 == 0) for i in range(5600)]
    with HKEXnewsStandIn(today=NOW.date) as hk:
        hk.publish_many(filings)
        client = HKEXnewsClient(make_settings(base_url=hk.base_url))
        discovery = Discovery(client, store, client.settings)
        polled(store, evening_start - timedelta(minutes=1))
        start = len(hk.requests)
        evening = discovery.poll(ALL_STOCKS, now=NOW)
        assert paths_since(hk, start) == [SEHK1.format(n) for n in range(1, 52)] + [GEM1.format(n)
                                                                                   for n in range(1, 7)]
        assert evening.requests == Requests(feed=57) and len(evening.filings) == 5600
        assert sum(f.kind is FilingKind.INTERIM_RESULTS for f in evening.filings) == 623
        discovery.commit(evening)
        for i in range(20):  # the next regeneration: 20 new filings, under a page on each board
            board = "gem" if i % 4 else "sehk"
            hk.publish(market_filing(f"{1 + i:05d}", NOW + timedelta(seconds=i), board=board))
        start = len(hk.requests)
        after = discovery.poll(ALL_STOCKS, now=NOW + timedelta(minutes=1))
        assert paths_since(hk, start) == [SEHK1.format(1), GEM1.format(1)] and len(after.filings) == 20
        client.close()


def test_after_an_outage_placeholders_are_resolved_from_the_chinese_feed_not_by_dozens_of_searches(
    market: HKEXnewsStandIn, make_market_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    placeholder = chinese_only(when=NOW - timedelta(minutes=75))  # SenseTime's, the oldest of the outage
    market.publish(placeholder)
    for f in spread(70, NOW - timedelta(minutes=1), timedelta(minutes=1)):  # seven Chinese pages above it
        f.zh_title = f"中文 {f.title}"
        market.publish(f)
    polled(store, NOW - timedelta(minutes=80))
    start = len(market.requests)
    market_wide = make_market_discovery()
    poll = market_wide.poll(ALL_STOCKS, now=NOW)
    resolved = next(f for f in poll.filings if f.chinese_only)
    assert dict(resolved.extra)["chinese_only_source"] == "Chinese feed"
    assert servlet_stock_ids(market, start) == set() and poll.requests.title_search == 0
    assert poll.requests.chinese_feed == 8  # back to the placeholder's page, not capped at five

    named_store = MemoryStore()
    polled(named_store, NOW - timedelta(minutes=80))
    named = Discovery(market_wide.client, named_store, market_wide.settings)
    named_poll = named.poll(["00020"], now=NOW)
    found = next(f for f in named_poll.filings if f.chinese_only)
    assert dict(found.extra)["chinese_only_source"] == "Chinese title search"  # one stock: one search
    assert named_poll.requests.chinese_feed == 5 and named_poll.requests.title_search == 1
