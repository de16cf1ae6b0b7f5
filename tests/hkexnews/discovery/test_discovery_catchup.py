"""Per-stock catch-up beyond the 7-day feed (``discovery/catchup.py``): one title search per named stock
from the last poll, cursors in the store, one stock's odd answer leaving it pending (retried after
its backoff, surviving a restart) while the others and the latest feed go on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from feedbuilder import (
    SAMPLE_ACTIVE_STOCKS,
    active_stocks,
)
from feedserver import (
    GEM_STOCKS,
    NOW,
    SEHK7,
    SESSION,
    STOCKS,
    TITLE,
    history,
    paths,
    serve_pages,
    title_handler,
)
from hkexfakes import FakeClock, MemoryStore
from pytest_httpserver import HTTPServer
from standinfilings import FEED1, SERVLET, filing, old_filings, paths_since, polled

from monitor.hkexnews.discovery import (
    META_CATCH_UP_PENDING,
    META_LAST_POLL,
    Discovery,
    Requests,
    catch_up_meta,
)
from monitor.hkexnews.standin import HKEXnewsStandIn

pytestmark = pytest.mark.usefixtures("session_page")


def test_gap_beyond_seven_days_uses_title_search_per_stock(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    httpserver.expect_request(STOCKS).respond_with_json(SAMPLE_ACTIVE_STOCKS)
    sensetime = history(("00020", "80020"), ("SENSETIME-W", "SENSETIME-WR"), 3, 100)
    cloud = history(("02512",), ("CLOUD FACTORY",), 2, 200)
    httpserver.expect_request(TITLE).respond_with_handler(
        title_handler({"1000020": sensetime, "1002512": cloud})
    )
    store.set_meta(META_LAST_POLL, (NOW - timedelta(days=12)).isoformat())
    store.mark_seen([sensetime[2]["FILE_LINK"].rsplit("/", 1)[1][:-4]])  # already alerted before the gap
    serve_pages(httpserver, SEHK7, [[]])
    poll = discovery.poll(["00020", "02512"], now=NOW)
    assert poll.mode == "title-search"  # the 7-day feed, the stock list, two searches:
    assert poll.requests == Requests(feed=1, stock_ids=1, title_search=2)
    assert paths(httpserver) == [SEHK7.format(1), STOCKS, SESSION, TITLE, TITLE]
    searches = [req for req, _ in httpserver.log if req.path == TITLE]
    assert {req.args["fromDate"] for req in searches} == {"20260329"}
    assert {req.args["toDate"] for req in searches} == {"20260410"}
    assert len(poll.filings) == 4 and all(f.id != "2026041000102" for f in poll.filings)
    assert poll.filings[0].stock_codes == ("00020", "80020")
    assert [(c.code, c.done, c.found) for c in poll.catch_up] == [("00020", True, 3), ("02512", True, 2)]
    discovery.commit(poll)
    assert store.get_meta(META_LAST_POLL) == NOW.isoformat()


def test_title_search_null_result_leaves_that_stock_pending(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    httpserver.expect_request(STOCKS).respond_with_json(SAMPLE_ACTIVE_STOCKS)
    httpserver.expect_request(TITLE).respond_with_handler(title_handler({}, null_for="1000020"))
    serve_pages(httpserver, SEHK7, [[]])
    store.set_meta(META_LAST_POLL, (NOW - timedelta(days=12)).isoformat())
    poll = discovery.poll(["00020"], now=NOW)  # no exception: one stock's odd answer blocks nothing
    assert poll.catch_up_pending == ("00020",) and "null" in (poll.catch_up[0].error or "")
    discovery.commit(poll)
    assert store.get_meta(META_LAST_POLL) == NOW.isoformat()
    assert store.get_meta(catch_up_meta("00020")) == (NOW - timedelta(days=12)).isoformat()


def test_unknown_code_in_title_search_mode_is_skipped_with_a_warning(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request(STOCKS).respond_with_json(SAMPLE_ACTIVE_STOCKS)
    httpserver.expect_request(GEM_STOCKS).respond_with_json(active_stocks([(9001, "08001", "GEMCO")]))
    serve_pages(httpserver, SEHK7, [[]])
    store.set_meta(META_LAST_POLL, (NOW - timedelta(days=12)).isoformat())
    poll = discovery.poll(["01234"], now=NOW)
    assert poll.filings == () and "01234 is not in HKEXnews' active stock lists" in caplog.text
    assert poll.catch_up[0].done and poll.catch_up_pending == ()


@pytest.mark.parametrize("answer", ["null", "empty", "html", "error"])
def test_one_stocks_odd_answer_leaves_it_pending_while_the_others_advance(
    hk: HKEXnewsStandIn,
    make_discovery: Callable[..., Discovery],
    store: MemoryStore,
    clock: FakeClock,
    answer: str,
) -> None:
    old_filings(hk)
    hk.fail_title_search("00700", answer)
    gap_start = NOW - timedelta(days=12)
    polled(store, gap_start)
    discovery = make_discovery()
    first = discovery.poll(["00020", "02512", "00700"], now=NOW)
    assert first.mode == "title-search"
    assert sorted(f.stock_codes[0] for f in first.filings) == ["00020", "02512"]
    states = {c.code: c for c in first.catch_up}
    assert states["00020"].done and states["02512"].done and not states["00700"].done
    assert states["00700"].error and first.catch_up_pending == ("00700",)
    discovery.commit(first)
    assert store.meta[META_LAST_POLL] == NOW.isoformat()
    assert store.meta[catch_up_meta("00700")] == gap_start.isoformat()
    assert store.meta[META_CATCH_UP_PENDING] == "00700"
    assert catch_up_meta("00020") not in store.meta  # caught up, no cursor left behind

    hk.clear_faults()
    start = len(hk.requests)
    waiting = discovery.poll(["00020", "02512", "00700"], now=NOW + timedelta(minutes=1))
    assert waiting.mode == "latest" and paths_since(hk, start) == [FEED1]  # not retried before its time
    assert waiting.catch_up_pending == ("00700",) and "retry in" in (waiting.catch_up[0].error or "")
    discovery.commit(waiting)

    clock.advance(61)
    retried = discovery.poll(["00020", "02512", "00700"], now=NOW + timedelta(minutes=2))
    assert [f.stock_codes[0] for f in retried.filings] == ["00700"] and retried.catch_up_pending == ()
    discovery.commit(retried)
    assert store.meta[catch_up_meta("00700")] == "" and store.meta[META_CATCH_UP_PENDING] == ""


def test_a_pending_catch_up_survives_a_restart(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    old_filings(hk)
    hk.fail_title_search("00700", "null")
    polled(store, NOW - timedelta(days=12))
    before = make_discovery()
    before.commit(before.poll(["00020", "02512", "00700"], now=NOW))
    hk.clear_faults()
    after = make_discovery()  # a new process: what is pending comes from the store
    poll = after.poll(["00020", "02512", "00700"], now=NOW + timedelta(minutes=1))
    assert poll.mode == "latest" and [f.stock_codes[0] for f in poll.filings] == ["00700"]


def test_the_latest_feed_is_read_every_poll_while_a_catch_up_keeps_failing(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore, clock: FakeClock
) -> None:
    old_filings(hk)
    hk.fail_title_search("00700", "empty")
    polled(store, NOW - timedelta(days=12))
    discovery = make_discovery()
    discovery.commit(discovery.poll(["00020", "00700"], now=NOW))
    for i in range(1, 4):
        hk.publish(filing(12200000 + i, "00020", f"NEW {i}", seq=200 + i, when=NOW + timedelta(minutes=i)))
        clock.advance(3700)  # the failing stock is due for a retry every time
        start = len(hk.requests)
        poll = discovery.poll(["00020", "00700"], now=NOW + timedelta(minutes=i, seconds=30))
        assert paths_since(hk, start)[0] == FEED1
        assert [f.title for f in poll.filings] == [f"NEW {i}"] and poll.catch_up_pending == ("00700",)
        assert SERVLET in paths_since(hk, start)  # retried, and failed again
        discovery.commit(poll)
