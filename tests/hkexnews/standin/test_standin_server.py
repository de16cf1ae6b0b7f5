"""The stand-in's HTTP side (``standin/server.py``): feed paths by board, window, language and page
(404 past the last), 304 for an unchanged page, the title search behind its session cookie, and a
feed regenerated on a cadence, whose ``genDate`` is the regeneration tick and whose cadence the
monitor can learn."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from standinfilings import NOW, filing
from waiting import wait_for

from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.standin import HKEXnewsStandIn
from monitor.schedule.cadence import FeedCadence
from monitor.settings import HKEXnewsSettings


def test_the_feed_changes_only_at_regeneration_ticks_and_its_cadence_is_learnt(
    make_settings: Callable[..., HKEXnewsSettings],
) -> None:
    period = 0.3
    with HKEXnewsStandIn(regen_period_s=period) as hk:
        client = HKEXnewsClient(make_settings(base_url=hk.base_url))
        one = filing(12700000, "00020", "ONE", seq=1, when=NOW)
        hk.publish(one)
        first = client.latest_page()
        # shown only by a feed regenerated after it was published (on a quiet machine the request
        # comes before the next tick and it is not there yet; a busy one may ask after the tick)
        shown = first.gen_date_ms / 1000 >= one.published_wall
        assert [f.title for f in first.filings] == (["ONE"] if shown else [])
        wait_for(lambda: hk.regenerated_at() >= one.published_wall, 30, "the next regeneration")
        page = client.latest_page()
        assert [f.title for f in page.filings] == ["ONE"]
        ticks = page.gen_date_ms / 1000 / period  # genDate is a regeneration tick
        assert abs(ticks - round(ticks)) * period < 0.002 and page.gen_date_ms / 1000 <= time.time()
        cadence = FeedCadence(min_period_s=0.1)
        deadline = time.time() + 60  # ends as soon as the cadence is learnt
        while time.time() < deadline and cadence.estimate() is None:
            seen = client.latest_page()
            cadence.observe(seen.gen_date_ms, time.time())
            time.sleep(0.07)
        est = cadence.estimate()
        assert est is not None and est.period_s == pytest.approx(period, rel=0.01)
        due = cadence.next_due(time.time())
        assert due is not None and due - time.time() <= period + 0.5
        client.close()


def get(hk: HKEXnewsStandIn, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, Any]:
    try:
        with urllib.request.urlopen(urllib.request.Request(hk.base_url + path, headers=headers or {})) as r:
            return r.status, r.read(), r.headers
    except urllib.error.HTTPError as err:
        return err.code, err.read(), err.headers


def test_feed_paths_name_board_window_language_and_page() -> None:
    with HKEXnewsStandIn(page_size=2, today=NOW.date) as hk:
        hk.publish_many([filing(1 + i, "00700", f"T{i}", seq=i, when=NOW - timedelta(days=i))
                         for i in range(3)])
        status, body, _ = get(hk, "/ncms/json/eds/lcisehk1relsde_1.json?_=1")
        assert status == 200 and [i["title"] for i in json.loads(body)["newsInfoLst"]] == ["T0"]
        status, body, _ = get(hk, "/ncms/json/eds/lcisehk7relsde_2.json")
        page = json.loads(body)
        assert status == 200 and page["maxNumOfFile"] == 2
        assert [i["title"] for i in page["newsInfoLst"]] == ["T2"]
        assert get(hk, "/ncms/json/eds/lcisehk7relsde_3.json")[0] == 404  # past the last page
        assert get(hk, "/ncms/json/eds/lcisehkXrelsde_1.json")[0] == 404  # no such window
        assert [f.title for f in hk.filings] == ["T0", "T1", "T2"] and hk.page_size == 2


def test_an_unchanged_feed_page_answers_304_and_every_request_is_logged() -> None:
    with HKEXnewsStandIn() as hk:
        hk.publish(filing(1, "00700", "ONE", seq=1, when=NOW))
        status, _, headers = get(hk, "/ncms/json/eds/lcisehk1relsde_1.json")
        assert status == 200 and headers["ETag"]
        assert get(hk, "/ncms/json/eds/lcisehk1relsde_1.json", {"If-None-Match": headers["ETag"]})[0] == 304
        assert [p.split("?")[0] for p in hk.requests] == ["/ncms/json/eds/lcisehk1relsde_1.json"] * 2
        assert len(hk.timed_requests) == 2 and hk.bytes_sent > 0
        hk.reset_counters()
        assert hk.requests == [] and hk.bytes_sent == 0


def test_the_title_search_wants_the_session_cookie() -> None:
    with HKEXnewsStandIn() as hk:
        hk.publish(filing(1, "00700", "ONE", seq=1, when=NOW))
        query = f"/search/titleSearchServlet.do?stockId={hk.stock_id('00700')}&rowRange=100&lang=E"
        assert get(hk, query)[1] == b""  # no session: an empty body
        _, _, headers = get(hk, "/search/titlesearch.xhtml?lang=en")
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        status, body, _ = get(hk, query, {"Cookie": cookie})
        assert status == 200 and json.loads(body)["recordCnt"] == 1
        hk.expire_sessions()
        assert get(hk, query, {"Cookie": cookie})[1] == b""


def test_a_client_hanging_up_mid_answer_prints_no_traceback(capfd: pytest.CaptureFixture[str],
                                                            caplog: pytest.LogCaptureFixture) -> None:
    """The demo runs this stand-in in the user's terminal: a download cut short by Ctrl-C must not
    print socketserver's traceback, and another error in a handler is one line, not a traceback."""
    with HKEXnewsStandIn() as hk:
        server = hk._server
        try:
            raise BrokenPipeError(32, "Broken pipe")
        except BrokenPipeError:
            server.handle_error(None, ("127.0.0.1", 5))
        try:
            raise ValueError("a handler bug")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 6))
    err = capfd.readouterr().err
    assert "Traceback" not in err
    [line] = [r.getMessage() for r in caplog.records if r.name.endswith("standin.server")]
    assert line == "HKEXnews stand-in: a request from ('127.0.0.1', 6) failed: ValueError: a handler bug"
