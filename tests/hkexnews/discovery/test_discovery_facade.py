"""``Discovery`` as callers hold it (``discovery/facade.py``): the held-out watchlist each filing once in one
request, two codes and two thousand at the same cost, poll then commit (a crash between them finds
the filings again), monthly returns found, and the first-run window of a first start."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from feedbuilder import (
    pdf_bytes,
    web_path,
)
from feedserver import DAY, NOW, SEHK1, at, heldout_items, paths, polled_recently, serve_pages
from hkexfakes import MemoryStore
from pytest_httpserver import HTTPServer
from standinfilings import filing, path, polled, two_filings

from monitor.filing import FilingKind
from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.discovery import (
    META_LAST_POLL,
    Discovery,
    Requests,
)
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling

pytestmark = pytest.mark.usefixtures("session_page")


def test_watchlist_2512_and_0020_each_filing_once_in_one_request(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore, base_url: str
) -> None:
    serve_pages(httpserver, SEHK1, [heldout_items()])
    polled_recently(store)
    poll = discovery.poll(["02512", "00020"], now=NOW)
    assert poll.mode == "latest" and poll.requests == Requests(feed=1)
    assert paths(httpserver) == [SEHK1.format(1)]
    assert [f.id for f in poll.filings] == ["2026041001754", "2026041001731", "2026041001695"]
    sensetime, cloud, monthly = poll.filings
    assert sensetime.stock_codes == ("00020", "80020") and sensetime.news_id == 12102470
    assert sensetime.url == base_url + web_path(DAY, 1754)
    assert sensetime.zh_url is None  # its Chinese document has a number of its own
    assert sensetime.kind is FilingKind.INTERIM_RESULTS and cloud.kind is FilingKind.INTERIM_RESULTS
    assert sensetime.released_at == at(9)
    assert cloud.stock_codes == ("02512",) and cloud.title.startswith("ANNOUNCEMENT OF INTERIM RESULTS")
    assert monthly.kind is FilingKind.MONTHLY_RETURN and monthly.stock_codes == ("00020",)
    # Every stem read is a seen key, one per document: nothing is dropped for its id or t1Code.
    assert set(poll.seen_keys) == {f"2026041001{n}" for n in (769, 754, 749, 731, 702, 695, 690)}
    assert poll.held_back == () and poll.gen_date_ms == 1775836800475 and not poll.not_modified


def test_two_codes_and_two_thousand_codes_cost_the_same_one_request(
    httpserver: HTTPServer, client: HKEXnewsClient
) -> None:
    serve_pages(httpserver, SEHK1, [heldout_items()])
    many = [f"{n:05d}" for n in range(3000, 4998)] + ["2512", "20"]
    assert len(set(many)) == 2000
    results = []
    for codes in (["02512", "00020"], many):
        store = MemoryStore()
        polled_recently(store)
        httpserver.clear_log()
        poll = Discovery(client, store, client.settings).poll(codes, now=NOW)
        assert poll.requests == Requests(feed=1) and len(httpserver.log) == 1
        results.append([f.id for f in poll.filings])
    assert results[0] == results[1] == ["2026041001754", "2026041001731", "2026041001695"]


def test_each_filing_once_across_polls(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    serve_pages(httpserver, SEHK1, [heldout_items()])
    polled_recently(store)
    first = discovery.poll(["02512", "00020"], now=NOW)
    discovery.commit(first)
    second = discovery.poll(["02512", "00020", "80020"], now=NOW + timedelta(minutes=1))
    assert len(first.filings) == 3 and second.filings == () and second.requests == Requests(feed=1)
    assert store.get_meta(META_LAST_POLL) == NOW.isoformat()


def test_crash_between_poll_and_commit_finds_the_filings_again(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    serve_pages(httpserver, SEHK1, [heldout_items()])
    polled_recently(store)
    before = store.get_meta(META_LAST_POLL)
    first = discovery.poll(["02512"], now=NOW)  # ... caller enqueues, then crashes before commit
    assert store.seen == set() and store.get_meta(META_LAST_POLL) == before
    again = discovery.poll(["02512"], now=NOW + timedelta(minutes=1))
    assert [f.id for f in again.filings] == [f.id for f in first.filings] == ["2026041001731"]


def test_commit_never_moves_the_last_poll_backwards(discovery: Discovery, store: MemoryStore) -> None:
    from monitor.hkexnews.discovery import Poll

    discovery.commit(Poll((), ("a",), Requests(feed=1), "latest", NOW))
    discovery.commit(Poll((), ("b",), Requests(feed=1), "latest", NOW - timedelta(hours=1)))
    assert store.get_meta(META_LAST_POLL) == NOW.isoformat() and store.seen == {"a", "b"}


def test_a_watched_stocks_monthly_return_is_found(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    hk.publish(
        StandInFiling(
            12102452,
            [("00020", "SENSETIME-W")],
            "Monthly Return of Equity Issuer on Movements in Securities for the month ended 31 March 2026",
            "",
            "NaN",
            NOW - timedelta(hours=1),
            path(1695),
            pdf_bytes("mr"),
            t1_code="51500",
            headline="Monthly Returns",
        )
    )
    hk.publish(
        filing(12102453, "00005", "VOLUNTARY ANNOUNCEMENT", seq=1696, when=NOW - timedelta(minutes=50))
    )
    polled(store, NOW - timedelta(minutes=5))
    poll = make_discovery().poll(["00020"], now=NOW)
    (monthly,) = poll.filings
    assert monthly.kind is FilingKind.MONTHLY_RETURN and monthly.categories == ("Monthly Returns",)
    assert monthly.id == "2026041001695" and monthly.t1_code == "51500"


def test_a_first_start_holds_back_old_filings_and_records_them_as_seen(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    two_filings(hk)
    discovery = make_discovery(first_run_hours=2)
    poll = discovery.poll(["00020"], now=NOW)
    assert poll.first_start and [f.title for f in poll.filings] == ["RECENT"]
    assert [f.title for f in poll.held_back] == ["OLD"]
    discovery.commit(poll)
    assert store.seen == {"2026041000001", "2026041000002"}
    later = discovery.poll(["00020"], now=NOW + timedelta(minutes=1))
    assert later.filings == () and later.held_back == () and not later.first_start


def test_first_run_hours_zero_alerts_everything(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery]
) -> None:
    two_filings(hk)
    poll = make_discovery(first_run_hours=0).poll(["00020"], now=NOW)
    assert [f.title for f in poll.filings] == ["RECENT", "OLD"] and poll.held_back == ()


def test_a_catch_up_after_downtime_is_not_a_first_start(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    two_filings(hk)
    polled(store, NOW - timedelta(days=2))
    poll = make_discovery(first_run_hours=2).poll(["00020"], now=NOW)
    assert poll.mode == "catch-up-7d" and not poll.first_start
    assert [f.title for f in poll.filings] == ["RECENT", "OLD"] and poll.held_back == ()
