"""The feed read of each poll (``discovery/feedpoll.py``): the window by the last poll, paging only while a
page is all new (to the cap), the 7-day feed after a gap, GEM only when watched, failures loud and
nothing committed. Data follows the corrected hkexnews.md."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from feedbuilder import (
    MAINTENANCE_HTML,
    feed_item,
    feed_page,
    web_path,
)
from feedserver import (
    DAY,
    GEM1,
    NOW,
    SEHK1,
    SEHK7,
    at,
    heldout_items,
    page_items,
    paths,
    polled_recently,
    serve_pages,
)
from hkexfakes import MemoryStore
from pytest_httpserver import HTTPServer

from monitor.errors import FeedShapeError
from monitor.filing import HKT, FilingKind
from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.discovery import (
    META_LAST_POLL,
    Discovery,
    Requests,
    choose_mode,
)

pytestmark = pytest.mark.usefixtures("session_page")


@pytest.mark.parametrize(
    "last, expected",
    [
        (None, "catch-up-7d"),
        (NOW - timedelta(minutes=1), "latest"),
        (datetime(2026, 4, 10, 0, 0, tzinfo=HKT), "latest"),
        (datetime(2026, 4, 9, 23, 59, tzinfo=HKT), "catch-up-7d"),  # before midnight HKT: "today" misses it
        (datetime(2026, 4, 9, 15, 59, tzinfo=UTC), "catch-up-7d"),  # 23:59 HKT on the 9th
        (datetime(2026, 4, 9, 16, 0, tzinfo=UTC), "latest"),  # 00:00 HKT on the 10th
        (datetime(2026, 4, 4, 0, 0, tzinfo=HKT), "catch-up-7d"),
        (datetime(2026, 4, 3, 23, 59, tzinfo=HKT), "title-search"),
        (NOW - timedelta(days=30), "title-search"),
    ],
)
def test_choose_mode(last: datetime | None, expected: str) -> None:
    assert choose_mode(last, NOW) == expected


def test_all_new_page_forces_page_two_and_next_poll_reads_only_page_one(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    page1, page2 = page_items(500, 5, 10), page_items(400, 5, 20)
    serve_pages(httpserver, SEHK1, [page1, page2])
    polled_recently(store)
    first = discovery.poll(["00700"], now=NOW)
    assert paths(httpserver) == [SEHK1.format(1), SEHK1.format(2)] and first.requests == Requests(feed=2)
    assert len(first.filings) == 10
    discovery.commit(first)

    # One new filing on top: page 1 is no longer entirely new, so page 2 is not read.
    httpserver.clear_all_handlers()
    httpserver.clear_log()
    serve_pages(httpserver, SEHK1, [page_items(600, 1, 1) + page1[:4], page1[4:] + page2])
    second = discovery.poll(["00700"], now=NOW + timedelta(minutes=1))
    assert paths(httpserver) == [SEHK1.format(1)] and second.requests == Requests(feed=1)
    assert [f.id for f in second.filings] == ["2026041000600"]


def test_paging_stops_at_the_cap(
    httpserver: HTTPServer, client: HKEXnewsClient, store: MemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    serve_pages(httpserver, SEHK1, [page_items(100 * n, 2, 10 * n) for n in range(1, 6)])
    polled_recently(store)
    poll = Discovery(client, store, client.settings, max_pages=2).poll(["00700"], now=NOW)
    assert poll.requests == Requests(feed=2) and len(poll.filings) == 4
    assert "stopped at the cap" in caplog.text


def test_paging_stops_at_max_num_of_file(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    serve_pages(httpserver, SEHK1, [page_items(100, 2, 10)])
    polled_recently(store)
    assert discovery.poll(["00700"], now=NOW).requests == Requests(feed=1)


def test_empty_feed_is_one_request_and_nothing_new(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    httpserver.expect_request(SEHK1.format(1)).respond_with_json(feed_page([], pages=0))
    polled_recently(store)
    poll = discovery.poll(["00700"], now=NOW)
    assert poll.filings == () and poll.requests == Requests(feed=1)


def test_first_start_reads_the_seven_day_feed(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    serve_pages(httpserver, SEHK7, [heldout_items()])
    poll = discovery.poll(["00020"], now=NOW)
    assert poll.mode == "catch-up-7d" and paths(httpserver) == [SEHK7.format(1)] and poll.first_start
    assert [f.id for f in poll.filings] == ["2026041001754", "2026041001695"]
    discovery.commit(poll)

    httpserver.clear_log()
    serve_pages(httpserver, SEHK1, [heldout_items()])
    later = discovery.poll(["00020"], now=NOW + timedelta(minutes=1))
    assert later.mode == "latest" and paths(httpserver) == [SEHK1.format(1)] and later.filings == ()


def test_gap_since_yesterday_reads_the_seven_day_feed(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    serve_pages(httpserver, SEHK7, [heldout_items()])
    store.set_meta(META_LAST_POLL, (NOW - timedelta(days=1, hours=2)).isoformat())
    poll = discovery.poll(["02512"], now=NOW)
    assert poll.mode == "catch-up-7d" and poll.requests == Requests(feed=1) and len(poll.filings) == 1


def test_gem_feed_is_read_only_when_a_gem_code_is_watched(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    serve_pages(httpserver, SEHK1, [heldout_items()])
    gem_item = feed_item(
        12102480,
        [("08001", "GEMCO")],
        "ANNUAL RESULTS ANNOUNCEMENT",
        path=web_path(DAY, 1800, board="gem"),
        when=at(2),
        market="GEM",
        categories="Final Results",
        t2="13300",
    )
    serve_pages(httpserver, GEM1, [[gem_item]])
    polled_recently(store)
    assert discovery.poll(["00020"], now=NOW).requests == Requests(feed=1)
    assert paths(httpserver) == [SEHK1.format(1)]

    httpserver.clear_log()
    poll = discovery.poll(["00020", "08001"], now=NOW)
    assert poll.requests == Requests(feed=2) and paths(httpserver) == [SEHK1.format(1), GEM1.format(1)]
    assert poll.boards == ("sehk", "gem")
    gem = [f for f in poll.filings if f.board == "gem"]
    assert [f.id for f in gem] == ["2026041001800"] and gem[0].kind is FilingKind.FINAL_RESULTS


def test_maintenance_page_fails_the_poll(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    httpserver.expect_request(SEHK1.format(1)).respond_with_data(MAINTENANCE_HTML, content_type="text/html")
    polled_recently(store)
    before = dict(store.meta)
    with pytest.raises(FeedShapeError, match="HTML page"):
        discovery.poll(["00020"], now=NOW)
    assert store.meta == before and store.seen == set()


def test_missing_key_on_page_two_fails_the_whole_poll(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    httpserver.expect_request(SEHK1.format(1)).respond_with_json(feed_page(page_items(500, 3, 10), pages=2))
    httpserver.expect_request(SEHK1.format(2)).respond_with_json({"genDate": "1", "newsInfoLst": []})
    polled_recently(store)
    with pytest.raises(FeedShapeError, match="missing key 'maxNumOfFile'"):
        discovery.poll(["00700"], now=NOW)
