"""A stock's history (``discovery/history.py``): backfill grows the cumulative ``rowRange``, dedupes,
reports progress, splits ranges over the row cap, uses the GEM list for a GEM stock, resolves
Chinese-only filings, and raises on an unknown code or a stalled answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from feedbuilder import (
    SAMPLE_ACTIVE_STOCKS,
    active_stocks,
    title_answer,
    title_row,
    web_path,
)
from feedserver import DAY, GEM_STOCKS, NOW, STOCKS, TITLE, history, title_handler
from pytest_httpserver import HTTPServer
from standinfilings import ZH_TITLE, chinese_only, filing
from werkzeug import Request, Response

from monitor.errors import FeedShapeError, SourceError
from monitor.filing import HKT
from monitor.hkexnews.discovery import (
    Discovery,
)
from monitor.hkexnews.standin import HKEXnewsStandIn

pytestmark = pytest.mark.usefixtures("session_page")


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


def test_backfill_resolves_chinese_only_filings_too(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery]
) -> None:
    hk.publish(chinese_only(when=NOW - timedelta(days=30)))
    hk.publish(filing(12800000, "00020", "ANNOUNCEMENT", seq=5, when=NOW - timedelta(days=20)))
    found = make_discovery().backfill("20", (NOW - timedelta(days=40)).date(), until=NOW.date())
    placeholder, plain = found
    assert (
        placeholder.zh_title == ZH_TITLE and placeholder.zh_url is not None and plain.title == "ANNOUNCEMENT"
    )
