"""Discovery against a local HKEXnews: one request per poll, paging only while all is new,
7-day catch-up, title search beyond (with the 7-day feed), GEM only when watched, each filing once,
commit semantics. Data follows the corrected hkexnews.md: the English feed lists each filing once (no
``_c`` twin), and t1Code 51500 items are Monthly Returns, found like any other filing."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from conftest import FakeClock, MemoryStore
from feedbuilder import (
    MAINTENANCE_HTML,
    SAMPLE_ACTIVE_STOCKS,
    active_stocks,
    feed_item,
    feed_page,
    title_answer,
    title_row,
    web_path,
)
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from monitor.errors import FeedShapeError, SourceError
from monitor.filing import HKT, FilingKind
from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.discovery import (
    META_LAST_POLL,
    Discovery,
    boards_to_read,
    catch_up_meta,
    choose_mode,
    is_gem_code,
)
from monitor.hkexnews.stockids import StockDirectory

NOW = datetime(2026, 4, 10, 23, 0, tzinfo=HKT)
DAY = NOW.date()
SEHK1 = "/ncms/json/eds/lcisehk1relsde_{}.json"
SEHK7 = "/ncms/json/eds/lcisehk7relsde_{}.json"
GEM1 = "/ncms/json/eds/lcigem1relsde_{}.json"
TITLE = "/search/titleSearchServlet.do"
STOCKS = "/ncms/script/eds/activestock_sehk_e.json"
SESSION = "/search/titlesearch.xhtml"
GEM_STOCKS = "/ncms/script/eds/activestock_gem_e.json"


def at(minutes_ago: int) -> datetime:
    return NOW - timedelta(minutes=minutes_ago)


def heldout_items() -> list[dict[str, Any]]:
    """A realistic page 1: SenseTime files once for 00020/80020; Cloud Factory's results; unrelated
    filings; SenseTime's monthly return (t1Code 51500); "NaN" codes."""
    return [
        feed_item(
            12102478,
            [("01906", "BONNY HLDG")],
            "(1) Very Substantial Disposal and Connected Transaction",
            path=web_path(DAY, 1769),
            when=at(3),
            categories="Very Substantial Disposal / Connected Transaction",
            t2="11200,11300",
        ),
        feed_item(
            12102470,
            [("00020", "SENSETIME-W"), ("80020", "SENSETIME-WR")],
            "INTERIM RESULTS ANNOUNCEMENT FOR THE SIX MONTHS ENDED JUNE 30, 2025",
            path=web_path(DAY, 1754),
            when=at(9),
            categories="Interim Results",
            t2="13400",
        ),
        feed_item(
            12102466,
            [("00700<br/>80700", "TENCENT<br/>TENCENT-R")],
            "NEXT DAY DISCLOSURE RETURN",
            path=web_path(DAY, 1749),
            when=at(12),
            headline="Next Day Disclosure Returns",
            categories="Others",
            t1="50000",
            t2="NaN",
        ),
        feed_item(
            12102461,
            [("02512", "CLOUD FACTORY")],
            "ANNOUNCEMENT OF INTERIM RESULTS FOR THE SIX MONTHS ENDED 30 JUNE 2025",
            path=web_path(DAY, 1731),
            when=at(15),
            categories="Interim Results",
            t2="13400",
        ),
        feed_item(
            12102455,
            [("00005", "HSBC HOLDINGS")],
            "DATE OF BOARD MEETING",
            path=web_path(DAY, 1702),
            when=at(20),
            categories="Date of Board Meeting",
            t2="13150",
        ),
        feed_item(
            12102452,
            [("00020", "SENSETIME-W")],
            "Monthly Return of Equity Issuer on Movements in Securities for the month ended 31 March 2026",
            path=web_path(DAY, 1695),
            when=at(25),
            headline="Monthly Returns",
            categories="",
            t1="51500",
            t2="NaN",
        ),
        feed_item(12102450, [("NaN", "")], "ANNOUNCEMENT", path=web_path(DAY, 1690), when=at(26), t1="NaN"),
    ]


def serve_pages(httpserver: HTTPServer, template: str, pages: Sequence[Sequence[dict[str, Any]]]) -> None:
    for n, items in enumerate(pages, start=1):
        httpserver.expect_request(template.format(n)).respond_with_json(feed_page(items, pages=len(pages)))


def paths(httpserver: HTTPServer) -> list[str]:
    return [req.path for req, _ in httpserver.log]


@pytest.fixture(autouse=True)
def session_page(httpserver: HTTPServer) -> None:
    """The title-search page, which sets the session cookie the servlet wants."""
    httpserver.expect_request(SESSION).respond_with_data(
        "<html></html>", content_type="text/html", headers={"Set-Cookie": "JSESSIONID=abc; Path=/"}
    )


@pytest.fixture
def discovery(client: HKEXnewsClient, store: MemoryStore) -> Discovery:
    return Discovery(client, store, client.settings)


def polled_recently(store: MemoryStore) -> None:
    store.set_meta(META_LAST_POLL, (NOW - timedelta(minutes=5)).isoformat())


# -- pure rules ------------------------------------------------------------------------------------


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


@pytest.mark.parametrize(
    "code, gem",
    [
        ("08001", True),
        ("8083", True),
        ("08999", True),
        ("00700", False),
        ("09988", False),
        ("80020", False),
        ("07999", False),
    ],
)
def test_is_gem_code(code: str, gem: bool) -> None:
    assert is_gem_code(code) is gem


def test_boards_to_read() -> None:
    assert boards_to_read(["00020", "02512"]) == ("sehk",)
    assert boards_to_read(["00020", "08001"]) == ("sehk", "gem")
    assert boards_to_read(["08001"], ()) == ("gem",)
    assert boards_to_read(["00020"], ("sehk", "gem")) == ("sehk", "gem")


# -- the held-out scenario -------------------------------------------------------------------------


def test_watchlist_2512_and_0020_each_filing_once_in_one_request(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore, base_url: str
) -> None:
    serve_pages(httpserver, SEHK1, [heldout_items()])
    polled_recently(store)
    poll = discovery.poll(["02512", "00020"], now=NOW)
    assert poll.mode == "latest" and poll.requests == 1 and paths(httpserver) == [SEHK1.format(1)]
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
        assert poll.requests == 1 and len(httpserver.log) == 1
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
    assert len(first.filings) == 3 and second.filings == () and second.requests == 1
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

    discovery.commit(Poll((), ("a",), 1, "latest", NOW))
    discovery.commit(Poll((), ("b",), 1, "latest", NOW - timedelta(hours=1)))
    assert store.get_meta(META_LAST_POLL) == NOW.isoformat() and store.seen == {"a", "b"}


# -- paging ----------------------------------------------------------------------------------------


def page_items(first_seq: int, count: int, minutes_ago: int) -> list[dict[str, Any]]:
    return [
        feed_item(
            12100000 + first_seq + i,
            [("00700", "TENCENT")],
            f"FILING {first_seq + i}",
            path=web_path(DAY, first_seq + i),
            when=at(minutes_ago + i),
        )
        for i in range(count)
    ]


def test_all_new_page_forces_page_two_and_next_poll_reads_only_page_one(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    page1, page2 = page_items(500, 5, 10), page_items(400, 5, 20)
    serve_pages(httpserver, SEHK1, [page1, page2])
    polled_recently(store)
    first = discovery.poll(["00700"], now=NOW)
    assert paths(httpserver) == [SEHK1.format(1), SEHK1.format(2)] and first.requests == 2
    assert len(first.filings) == 10
    discovery.commit(first)

    # One new filing on top: page 1 is no longer entirely new, so page 2 is not read.
    httpserver.clear_all_handlers()
    httpserver.clear_log()
    serve_pages(httpserver, SEHK1, [page_items(600, 1, 1) + page1[:4], page1[4:] + page2])
    second = discovery.poll(["00700"], now=NOW + timedelta(minutes=1))
    assert paths(httpserver) == [SEHK1.format(1)] and second.requests == 1
    assert [f.id for f in second.filings] == ["2026041000600"]


def test_paging_stops_at_the_cap(
    httpserver: HTTPServer, client: HKEXnewsClient, store: MemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    serve_pages(httpserver, SEHK1, [page_items(100 * n, 2, 10 * n) for n in range(1, 6)])
    polled_recently(store)
    poll = Discovery(client, store, client.settings, max_pages=2).poll(["00700"], now=NOW)
    assert poll.requests == 2 and len(poll.filings) == 4
    assert "stopped at the cap" in caplog.text


def test_paging_stops_at_max_num_of_file(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    serve_pages(httpserver, SEHK1, [page_items(100, 2, 10)])
    polled_recently(store)
    assert discovery.poll(["00700"], now=NOW).requests == 1


def test_empty_feed_is_one_request_and_nothing_new(
    httpserver: HTTPServer, discovery: Discovery, store: MemoryStore
) -> None:
    httpserver.expect_request(SEHK1.format(1)).respond_with_json(feed_page([], pages=0))
    polled_recently(store)
    poll = discovery.poll(["00700"], now=NOW)
    assert poll.filings == () and poll.requests == 1


# -- catch-up --------------------------------------------------------------------------------------


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
    assert poll.mode == "catch-up-7d" and poll.requests == 1 and len(poll.filings) == 1


# -- GEM -------------------------------------------------------------------------------------------


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
    assert discovery.poll(["00020"], now=NOW).requests == 1
    assert paths(httpserver) == [SEHK1.format(1)]

    httpserver.clear_log()
    poll = discovery.poll(["00020", "08001"], now=NOW)
    assert poll.requests == 2 and paths(httpserver) == [SEHK1.format(1), GEM1.format(1)]
    assert poll.boards == ("sehk", "gem")
    gem = [f for f in poll.filings if f.board == "gem"]
    assert [f.id for f in gem] == ["2026041001800"] and gem[0].kind is FilingKind.FINAL_RESULTS


# -- failures are loud, and nothing is committed ---------------------------------------------------


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


# -- beyond seven days: title search ---------------------------------------------------------------


def title_handler(
    rows_by_stock: dict[str, list[dict[str, str]]], *, null_for: str | None = None
) -> Callable[[Request], Response]:
    """Answers like the servlet: the first ``rowRange`` rows of the stock's history."""

    def handle(req: Request) -> Response:
        sid = req.args["stockId"]
        if sid == null_for:
            body = title_answer(None, has_next=False)
        else:
            rows = rows_by_stock.get(sid, [])
            n = int(req.args["rowRange"])
            body = title_answer(rows[:n], has_next=len(rows) > n, row_range=n, total=len(rows))
        return Response(json.dumps(body), content_type="application/json")

    return handle


def history(
    stock: tuple[str, ...], names: tuple[str, ...], count: int, start_seq: int, newest: datetime = NOW
) -> list[dict[str, str]]:
    return [
        title_row(
            11_000_000 + start_seq + i,
            list(stock),
            list(names),
            f"ANNOUNCEMENT {i}",
            path=web_path((newest - timedelta(hours=i)).date(), start_seq + i),
            when=newest - timedelta(hours=i),
            categories="Other",
        )
        for i in range(count)
    ]


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
    assert poll.mode == "title-search" and poll.requests == 4  # the 7-day feed, the stock list, two searches
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


# -- backfill --------------------------------------------------------------------------------------


def test_backfill_grows_row_range_dedupes_and_reports_progress(
    httpserver: HTTPServer, discovery: Discovery
) -> None:
    httpserver.expect_request(STOCKS).respond_with_json(SAMPLE_ACTIVE_STOCKS)
    rows = history(("00700", "80700"), ("TENCENT", "TENCENT-R"), 250, 1000)
    rows.insert(5, title_row(9_100_000, ["00700"], ["TENCENT"], "TEST", path=web_path(DAY, 9999), when=NOW))
    httpserver.expect_request(TITLE).respond_with_handler(title_handler({"7609": rows}))
    calls: list[tuple[int, int]] = []
    found = discovery.backfill("700", date(2026, 1, 1), progress=lambda d, t: calls.append((d, t)), until=DAY)
    assert [req.args["rowRange"] for req, _ in httpserver.log[2:]] == ["100", "200", "300"]
    assert calls == [(100, 251), (200, 251), (251, 251)]  # the low news id is a filing too
    assert len(found) == 251 and len({f.id for f in found}) == 251
    assert found == sorted(found, key=lambda f: f.released_at)  # oldest first
    assert found[0].stock_codes == ("00700", "80700")


def test_backfill_unknown_code_raises(httpserver: HTTPServer, discovery: Discovery) -> None:
    httpserver.expect_request(STOCKS).respond_with_json(SAMPLE_ACTIVE_STOCKS)
    httpserver.expect_request(GEM_STOCKS).respond_with_json(active_stocks([(9001, "08001", "GEMCO")]))
    with pytest.raises(SourceError, match="01234 is not in HKEXnews' active stock lists"):
        discovery.backfill("1234", date(2026, 1, 1))


def test_backfill_of_a_gem_stock_uses_the_gem_list(httpserver: HTTPServer, discovery: Discovery) -> None:
    httpserver.expect_request(STOCKS).respond_with_json(SAMPLE_ACTIVE_STOCKS)
    httpserver.expect_request(GEM_STOCKS).respond_with_json(active_stocks([(9001, "08001", "GEMCO")]))
    gem_rows = history(("08001",), ("GEMCO",), 2, 300)
    httpserver.expect_request(TITLE).respond_with_handler(title_handler({"9001": gem_rows}))
    assert len(discovery.backfill("8001", date(2026, 4, 1), until=DAY)) == 2


def test_backfill_stalled_row_range_is_a_shape_error(httpserver: HTTPServer, discovery: Discovery) -> None:
    httpserver.expect_request(STOCKS).respond_with_json(SAMPLE_ACTIVE_STOCKS)
    rows = history(("00700",), ("TENCENT",), 100, 1000)
    stuck = title_answer(rows, has_next=True, total=500)  # claims more rows but never sends them
    httpserver.expect_request(TITLE).respond_with_json(stuck)
    with pytest.raises(FeedShapeError, match="hasNextRow is true but rowRange 200 loaded no more rows"):
        discovery.backfill("00700", date(2026, 1, 1), until=DAY)


def test_backfill_splits_ranges_over_the_row_cap(httpserver: HTTPServer, discovery: Discovery) -> None:
    httpserver.expect_request(STOCKS).respond_with_json(SAMPLE_ACTIVE_STOCKS)

    def handle(req: Request) -> Response:
        start = datetime.strptime(req.args["fromDate"], "%Y%m%d").date()
        end = datetime.strptime(req.args["toDate"], "%Y%m%d").date()
        if (end - start).days > 40:
            body = title_answer(history(("00700",), ("TENCENT",), 100, 1), has_next=True, total=12_000)
        else:
            row = title_row(
                12_000_000 + start.toordinal() % 10_000,
                ["00700"],
                ["TENCENT"],
                "X",
                path=web_path(start, 1),
                when=datetime.combine(start, datetime.min.time(), HKT),
            )
            body = title_answer([row], has_next=False)
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request(TITLE).respond_with_handler(handle)
    found = discovery.backfill("00700", date(2026, 1, 1), until=date(2026, 4, 10))
    ranges = [(r.args["fromDate"], r.args["toDate"]) for r, _ in httpserver.log if r.path == TITLE]
    assert ranges[0] == ("20260101", "20260410")
    leaves = sorted(
        r
        for r in ranges[1:]
        if (datetime.strptime(r[1], "%Y%m%d") - datetime.strptime(r[0], "%Y%m%d")).days <= 40
    )
    assert leaves[0][0] == "20260101" and leaves[-1][1] == "20260410"
    assert len(found) == len(leaves)


def test_stock_list_is_cached_for_its_ttl(httpserver: HTTPServer, client: HKEXnewsClient) -> None:
    httpserver.expect_request(STOCKS).respond_with_json(SAMPLE_ACTIVE_STOCKS)
    clock = FakeClock()
    ids = StockDirectory(client, ttl_s=3600, clock=clock)
    assert ids.stock_id("700") == 7609 and ids.stock_id("02512") == 1002512
    assert paths(httpserver) == [STOCKS]
    clock.advance(3601)
    assert ids.stock_id("00020") == 1000020
    assert paths(httpserver) == [STOCKS, STOCKS] and ids.fetches == 2


def test_stock_ids_outlive_the_client_that_fetched_them(
    httpserver: HTTPServer, make_client: Callable[..., HKEXnewsClient], store: MemoryStore
) -> None:
    httpserver.expect_request(STOCKS).respond_with_json(SAMPLE_ACTIVE_STOCKS)
    httpserver.expect_request(TITLE).respond_with_handler(title_handler({}))
    clock = FakeClock()
    directory = StockDirectory(ttl_s=3600, clock=clock)  # one per process, kept across reloads
    first = make_client()
    Discovery(first, store, first.settings, stock_ids=directory).backfill("700", DAY, until=DAY)
    first.close()
    rebuilt = make_client()  # a config reload builds a new client; the directory is handed over
    Discovery(rebuilt, store, rebuilt.settings, stock_ids=directory).backfill("20", DAY, until=DAY)
    assert paths(httpserver).count(STOCKS) == 1 and directory.fetches == 1
    clock.advance(3601)  # expired: fetched again, through the client in use now
    Discovery(rebuilt, store, rebuilt.settings, stock_ids=directory).backfill("20", DAY, until=DAY)
    assert paths(httpserver).count(STOCKS) == 2
