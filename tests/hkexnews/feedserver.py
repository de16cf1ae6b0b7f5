"""A hand-built HKEXnews for discovery tests on pytest-httpserver: the held-out page 1 (SenseTime's
two counters, Cloud Factory's results, a monthly return, "NaN" codes), pages of filler filings, and
a title-search servlet answering like the real one (cumulative ``rowRange``). Helpers only."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from feedbuilder import feed_item, feed_page, title_answer, title_row, web_path
from hkexfakes import MemoryStore
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from monitor.filing import HKT
from monitor.hkexnews.discovery import META_LAST_POLL

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


def polled_recently(store: MemoryStore) -> None:
    store.set_meta(META_LAST_POLL, (NOW - timedelta(minutes=5)).isoformat())


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
