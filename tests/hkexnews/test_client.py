"""HKEXnewsClient against a real local HTTP server: headers, pacing, retries, cool-off, 304s,
the title-search session, documents (host check, size limit, a wall-clock time limit, PDF signature,
permanent failures, Chinese-only filings, multi-file folder pages), a limiter that outlives clients."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime

import pytest
from feedbuilder import (
    MAINTENANCE_HTML,
    PLACEHOLDER_HTML,
    SAMPLE_ACTIVE_STOCKS,
    SAMPLE_FEED,
    pdf_bytes,
    title_answer,
)
from hkexfakes import FakeClock
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from monitor.errors import DocumentError, FeedShapeError, ForbiddenURLError, HostCoolingOffError, SourceError
from monitor.filing import HKT, Filing, FilingKind
from monitor.hkexnews.chinese import unresolved_filing
from monitor.hkexnews.client import HKEXnewsClient, parse_retry_after
from monitor.hkexnews.limiter import LocalLimiter
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling
from monitor.metrics import Metrics
from monitor.settings import HKEXnewsSettings
from monitor.store import open_store
from monitor.store.limiter import StoreLimiter

FEED = "/ncms/json/eds/lcisehk1relsde_1.json"
DOC = "/listedco/listconews/sehk/2026/0410/2026041001769.pdf"


def paths(httpserver: HTTPServer) -> list[str]:
    return [req.path for req, _ in httpserver.log]


def sample(metrics: Metrics, name: str, **labels: str) -> float:
    return metrics.registry.get_sample_value(name, labels or None) or 0.0


def filing_at(url: str, *, zh_url: str | None = None, file_type: str = "PDF") -> Filing:
    return Filing(
        id="2026041001769",
        news_id=12102478,
        stock_codes=("01906",),
        stock_names=("BONNY HLDG",),
        title="T",
        categories=(),
        t1_code="10000",
        t2_codes=(),
        released_at=datetime(2026, 4, 10, 22, 55, tzinfo=HKT),
        url=url,
        file_type=file_type,
        size_bytes=None,
        kind=FilingKind.OTHER,
        zh_url=zh_url,
    )


# -- requests and headers -------------------------------------------------------------------------


def test_feed_request_headers_and_cache_buster(
    httpserver: HTTPServer, client: HKEXnewsClient, base_url: str
) -> None:
    httpserver.expect_request(FEED).respond_with_json(SAMPLE_FEED)
    page = client.latest_page("sehk", 1, 1)
    assert [f.id for f in page.filings] == ["2026041001769"]
    assert page.filings[0].url == base_url + DOC  # absolute, on the configured host
    ((req, _),) = httpserver.log
    assert req.headers["User-Agent"].startswith("Mozilla/5.0")
    assert req.headers["Referer"] == base_url + "/search/titlesearch.xhtml?lang=en"
    assert req.headers["X-Requested-With"] == "XMLHttpRequest"
    assert req.args["_"].isdigit()  # cache-buster, epoch ms


def test_cache_buster_can_be_switched_off(
    httpserver: HTTPServer, make_settings: Callable[..., HKEXnewsSettings]
) -> None:
    httpserver.expect_request(FEED).respond_with_json(SAMPLE_FEED)
    client = HKEXnewsClient(make_settings(), cache_buster=lambda: None)
    client.latest_page()
    assert httpserver.log[0][0].query_string == b""
    client.close()


def serve_session(httpserver: HTTPServer) -> None:
    """The title-search page, which sets the session cookie."""
    httpserver.expect_request("/search/titlesearch.xhtml").respond_with_data(
        "<html></html>", content_type="text/html", headers={"Set-Cookie": "JSESSIONID=abc; Path=/"}
    )


def test_title_search_and_stock_list(httpserver: HTTPServer, client: HKEXnewsClient) -> None:
    serve_session(httpserver)
    httpserver.expect_request("/search/titleSearchServlet.do").respond_with_json(
        title_answer([], has_next=False)
    )
    httpserver.expect_request("/ncms/script/eds/activestock_sehk_e.json").respond_with_json(
        SAMPLE_ACTIVE_STOCKS
    )
    page = client.title_search(7609, date(2026, 1, 1), date(2026, 4, 10), row_range=200)
    assert page.filings == () and not page.has_next_row
    assert client.active_stocks("sehk")["00700"] == 7609
    assert paths(httpserver)[:2] == ["/search/titlesearch.xhtml", "/search/titleSearchServlet.do"]
    assert httpserver.log[1][0].headers["Cookie"] == "JSESSIONID=abc"
    args = httpserver.log[1][0].args
    assert (args["stockId"], args["fromDate"], args["toDate"], args["rowRange"], args["lang"]) == (
        "7609",
        "20260101",
        "20260410",
        "200",
        "E",
    )
    assert args["sortByOptions"] == "DateTime" and args["t1code"] == "-2" and args["market"] == "SEHK"


def test_html_maintenance_page_is_a_feed_shape_error(
    httpserver: HTTPServer, client: HKEXnewsClient, metrics: Metrics
) -> None:
    httpserver.expect_request(FEED).respond_with_data(MAINTENANCE_HTML, content_type="text/html")
    with pytest.raises(FeedShapeError) as err:
        client.latest_page()
    assert FEED in str(err.value) and "HTML page" in str(err.value) and "System Maintenance" in str(err.value)
    assert sample(metrics, "hkexmon_feed_errors_total") == 1


def test_missing_key_is_a_feed_shape_error(httpserver: HTTPServer, client: HKEXnewsClient) -> None:
    httpserver.expect_request(FEED).respond_with_json({"genDate": "1", "maxNumOfFile": 1})
    with pytest.raises(FeedShapeError, match="missing key 'newsInfoLst'"):
        client.latest_page()


def test_get_json_refuses_other_hosts(httpserver: HTTPServer, client: HKEXnewsClient) -> None:
    with pytest.raises(ForbiddenURLError):
        client.get_json("https://example.com/ncms/json/eds/lcisehk1relsde_1.json", "feed")
    assert httpserver.log == []


# -- conditional requests ------------------------------------------------------------------------


def test_etag_304_returns_the_cached_page(httpserver: HTTPServer, client: HKEXnewsClient) -> None:
    seen: list[tuple[str | None, str | None]] = []

    def handler(req: Request) -> Response:
        seen.append((req.headers.get("If-None-Match"), req.headers.get("If-Modified-Since")))
        if req.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        import json

        return Response(
            json.dumps(SAMPLE_FEED),
            content_type="application/json",
            headers={"ETag": '"v1"', "Last-Modified": "Fri, 10 Apr 2026 14:55:00 GMT"},
        )

    httpserver.expect_request(FEED).respond_with_handler(handler)
    first = client.latest_page()
    second = client.latest_page()
    assert second.filings == first.filings and second.gen_date_ms == first.gen_date_ms
    assert second.not_modified and not first.not_modified
    assert seen == [(None, None), ('"v1"', "Fri, 10 Apr 2026 14:55:00 GMT")]
    assert [resp.status_code for _, resp in httpserver.log] == [200, 304]


def test_unsolicited_304_is_an_error(httpserver: HTTPServer, client: HKEXnewsClient) -> None:
    httpserver.expect_request(FEED).respond_with_data("", status=304)
    with pytest.raises(SourceError, match="HTTP 304"):
        client.latest_page()


# -- retries ---------------------------------------------------------------------------------------


def test_500_then_200_is_retried_with_backoff(
    httpserver: HTTPServer, client: HKEXnewsClient, clock: FakeClock, metrics: Metrics
) -> None:
    httpserver.expect_oneshot_request(FEED).respond_with_data("oops", status=500)
    httpserver.expect_request(FEED).respond_with_json(SAMPLE_FEED)
    assert len(client.latest_page().filings) == 1
    assert [r.status_code for _, r in httpserver.log] == [500, 200]
    assert clock.sleeps == [0.01]  # backoff_s * 2**0
    assert sample(metrics, "hkexmon_hkexnews_requests_total", kind="feed", status="500") == 1
    assert sample(metrics, "hkexmon_hkexnews_requests_total", kind="feed", status="200") == 1


def test_retry_after_seconds_is_honoured(
    httpserver: HTTPServer, client: HKEXnewsClient, clock: FakeClock
) -> None:
    httpserver.expect_oneshot_request(FEED).respond_with_data(
        "busy", status=502, headers={"Retry-After": "7"}
    )
    httpserver.expect_request(FEED).respond_with_json(SAMPLE_FEED)
    client.latest_page()
    assert clock.sleeps == [7.0]


def test_persistent_5xx_gives_up_after_retries(
    httpserver: HTTPServer, client: HKEXnewsClient, clock: FakeClock
) -> None:
    httpserver.expect_request(FEED).respond_with_data("oops", status=500)
    with pytest.raises(SourceError, match="HTTP 500 after 3 attempts") as err:
        client.latest_page()
    assert err.value.url is not None and FEED in err.value.url
    assert len(httpserver.log) == 3 and clock.sleeps == [0.01, 0.02]


def test_404_is_not_retried(httpserver: HTTPServer, client: HKEXnewsClient) -> None:
    httpserver.expect_request(FEED).respond_with_data("nope", status=404)
    with pytest.raises(SourceError, match="HTTP 404"):
        client.latest_page()
    assert len(httpserver.log) == 1


def test_connection_refused_becomes_source_error(make_settings: Callable[..., HKEXnewsSettings]) -> None:
    import socket

    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    clock = FakeClock()
    client = HKEXnewsClient(
        make_settings(base_url=f"http://127.0.0.1:{port}", retries=1), clock=clock, sleep=clock.sleep
    )
    with pytest.raises(SourceError, match="ConnectionError after 2 attempts") as err:
        client.latest_page()
    assert err.value.url is not None and str(port) in err.value.url
    assert isinstance(err.value.__cause__, Exception)
    client.close()


def test_timeout_is_retried_then_source_error(
    httpserver: HTTPServer, make_client: Callable[..., HKEXnewsClient]
) -> None:
    release = threading.Event()

    def slow(_: Request) -> Response:
        release.wait(5)
        return Response("{}", content_type="application/json")

    httpserver.expect_request(FEED).respond_with_handler(slow)
    client = make_client(timeout_s=0.15, retries=1)
    with pytest.raises(SourceError, match="Timeout after 2 attempts"):
        client.latest_page()
    release.set()  # let the (single-threaded) server finish both requests before the next test
    deadline = time.monotonic() + 5
    while len(httpserver.log) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(httpserver.log) == 2


# -- cool-off -------------------------------------------------------------------------------------


def test_503_pauses_all_requests_without_touching_the_network(
    httpserver: HTTPServer, client: HKEXnewsClient, clock: FakeClock, metrics: Metrics
) -> None:
    httpserver.expect_request(FEED).respond_with_data("blocked", status=503)
    with pytest.raises(HostCoolingOffError) as err:
        client.latest_page()
    assert err.value.until == pytest.approx(clock.now + 30)
    assert sample(metrics, "hkexmon_hkexnews_cooloffs_total") == 1
    assert sample(metrics, "hkexmon_hkexnews_cooling_off") == 1
    # Every kind of request is refused during the pause, and none reaches the server.
    with pytest.raises(HostCoolingOffError):
        client.latest_page()
    with pytest.raises(HostCoolingOffError):
        client.title_search(7609, date(2026, 1, 1), date(2026, 1, 2))
    with pytest.raises(HostCoolingOffError):
        client.fetch_document(filing_at(client.urls.document(DOC)))
    assert len(httpserver.log) == 1
    assert client.cooling_off_for() == pytest.approx(30)

    clock.advance(30.5)
    httpserver.clear_all_handlers()
    httpserver.expect_request(FEED).respond_with_json(SAMPLE_FEED)
    assert len(client.latest_page().filings) == 1
    assert len(httpserver.log) == 2
    assert sample(metrics, "hkexmon_hkexnews_cooling_off") == 0


def test_403_cools_off_for_retry_after_when_longer(
    httpserver: HTTPServer, client: HKEXnewsClient, clock: FakeClock
) -> None:
    httpserver.expect_request(FEED).respond_with_data("forbidden", status=403, headers={"Retry-After": "120"})
    with pytest.raises(HostCoolingOffError):
        client.latest_page()
    clock.advance(60)  # past cooloff_s (30) but not past Retry-After (120)
    with pytest.raises(HostCoolingOffError):
        client.latest_page()
    assert len(httpserver.log) == 1


def test_long_retry_after_on_retryable_status_becomes_a_cooloff(
    httpserver: HTTPServer, client: HKEXnewsClient, clock: FakeClock
) -> None:
    httpserver.expect_request(FEED).respond_with_data("slow down", status=429, headers={"Retry-After": "600"})
    with pytest.raises(HostCoolingOffError):
        client.latest_page()
    assert clock.sleeps == [] and client.cooling_off_for() == pytest.approx(600)


def test_parse_retry_after() -> None:
    now = datetime(2026, 4, 10, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after("120", now.timestamp()) == 120
    assert parse_retry_after(later, now.timestamp()) == pytest.approx(90)
    assert parse_retry_after(format_datetime(now - timedelta(hours=1), usegmt=True), now.timestamp()) == 0
    assert parse_retry_after(None, 0) is None and parse_retry_after("soon", 0) is None


def test_retry_after_http_date(
    httpserver: HTTPServer, make_settings: Callable[..., HKEXnewsSettings]
) -> None:
    clock = FakeClock()
    wall = datetime(2026, 4, 10, 12, 0, tzinfo=UTC)
    client = HKEXnewsClient(make_settings(), clock=clock, sleep=clock.sleep, wall_clock=wall.timestamp)
    header = format_datetime(wall + timedelta(seconds=5), usegmt=True)
    httpserver.expect_oneshot_request(FEED).respond_with_data(
        "busy", status=500, headers={"Retry-After": header}
    )
    httpserver.expect_request(FEED).respond_with_json(SAMPLE_FEED)
    client.latest_page()
    assert clock.sleeps == [pytest.approx(5)]
    client.close()


# -- pacing ----------------------------------------------------------------------------------------


def test_pacing_with_fake_clock(
    httpserver: HTTPServer, make_client: Callable[..., HKEXnewsClient], clock: FakeClock
) -> None:
    httpserver.expect_request(FEED).respond_with_json(SAMPLE_FEED)
    client = make_client(min_request_interval_s=1.0)
    client.latest_page()
    client.latest_page()
    client.latest_page()
    assert clock.sleeps == [1.0, 1.0]


def test_pacing_holds_across_threads(
    httpserver: HTTPServer, make_settings: Callable[..., HKEXnewsSettings]
) -> None:
    arrivals: list[float] = []

    def handler(_: Request) -> Response:
        arrivals.append(time.monotonic())
        import json

        return Response(json.dumps(SAMPLE_FEED), content_type="application/json")

    httpserver.expect_request(FEED).respond_with_handler(handler)
    interval = 0.05
    client = HKEXnewsClient(make_settings(min_request_interval_s=interval))
    threads = [threading.Thread(target=lambda: [client.latest_page() for _ in range(2)]) for _ in range(3)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.close()
    assert len(arrivals) == 6
    # Each request's turn is at least `interval` after the one before, counted from the start; a busy
    # machine can only make an arrival later than its turn, never earlier. So the k-th arrival comes
    # no sooner than k intervals after the start (without pacing all six arrive within milliseconds).
    late = [(k, round(t - started, 3)) for k, t in enumerate(sorted(arrivals))
            if t - started < k * interval - 0.001]
    assert not late, late


# -- documents -------------------------------------------------------------------------------------


def test_fetch_document_pdf(httpserver: HTTPServer, client: HKEXnewsClient, metrics: Metrics) -> None:
    body = pdf_bytes("bonny", 5000)
    httpserver.expect_request(DOC).respond_with_data(body, content_type="application/pdf")
    assert client.fetch_document(filing_at(client.urls.document(DOC))) == body
    assert sample(metrics, "hkexmon_hkexnews_bytes_total", kind="document") == len(body)
    assert sample(metrics, "hkexmon_hkexnews_requests_total", kind="document", status="200") == 1


def test_document_from_another_host_is_refused_without_a_request(
    httpserver: HTTPServer, client: HKEXnewsClient
) -> None:
    for url in ("https://evil.example.com" + DOC, "http://127.0.0.1:1" + DOC, DOC):
        with pytest.raises(ForbiddenURLError) as err:
            client.fetch_document(filing_at(url))
        assert url in str(err.value)
    assert httpserver.log == []


def test_resolved_chinese_document_on_another_host_is_refused(
    httpserver: HTTPServer, client: HKEXnewsClient
) -> None:
    evil = "https://evil.example.com/listedco/2026041001000_c.pdf"
    resolved = replace(filing_at(evil, zh_url=evil), chinese_only=True, zh_title="中期業績公告")
    with pytest.raises(ForbiddenURLError) as err:
        client.fetch_document(resolved)
    assert err.value.permanent and httpserver.log == []


def test_oversize_document_refused_by_content_length(
    httpserver: HTTPServer, make_client: Callable[..., HKEXnewsClient]
) -> None:
    client = make_client(max_document_mb=0.01)  # 10,485 bytes
    httpserver.expect_request(DOC).respond_with_data(pdf_bytes("big", 20_000), content_type="application/pdf")
    with pytest.raises(DocumentError, match="Content-Length 20"):
        client.fetch_document(filing_at(client.urls.document(DOC)))


def test_oversize_document_refused_while_streaming(
    httpserver: HTTPServer, make_client: Callable[..., HKEXnewsClient]
) -> None:
    client = make_client(max_document_mb=0.01)

    def chunked(_: Request) -> Response:  # no Content-Length: the limit must hold while streaming
        return Response((b"%PDF-1.4\n" + b"0" * 4096 for _ in range(10)), content_type="application/pdf")

    httpserver.expect_request(DOC).respond_with_handler(chunked)
    with pytest.raises(DocumentError, match="more than the 10485-byte document limit"):
        client.fetch_document(filing_at(client.urls.document(DOC)))


def test_document_total_time_limit(
    httpserver: HTTPServer, make_settings: Callable[..., HKEXnewsSettings]
) -> None:
    ticks = iter(range(0, 10_000, 100))  # every clock read is 100 s later
    client = HKEXnewsClient(
        make_settings(document_timeout_s=150), clock=lambda: float(next(ticks)), sleep=lambda s: None
    )
    httpserver.expect_request(DOC).respond_with_data(
        pdf_bytes("slow", 200_000), content_type="application/pdf"
    )
    with pytest.raises(SourceError, match="download took over 150s"):
        client.fetch_document(filing_at(client.urls.document(DOC)))
    client.close()


def test_non_pdf_bytes_refused(httpserver: HTTPServer, client: HKEXnewsClient) -> None:
    httpserver.expect_request(DOC).respond_with_data(MAINTENANCE_HTML, content_type="text/html")
    url = client.urls.document(DOC)
    with pytest.raises(DocumentError) as err:
        client.fetch_document(filing_at(url))
    assert url in str(err.value) and "text/html" in str(err.value) and "<!DOCTYPE html>" in str(err.value)


def test_unresolved_chinese_only_filing_fails_permanently_without_a_request(
    httpserver: HTTPServer, client: HKEXnewsClient
) -> None:
    htm = "/listedco/listconews/sehk/2026/0410/2026041000999.htm"
    placeholder = replace(
        filing_at(client.urls.document(htm), file_type="HTM"),
        chinese_only=True,
        categories=("Interim Results",),
    )
    gone = unresolved_filing(placeholder, "no match in the SEHK Chinese feed (1-day, 1 page(s))")
    with pytest.raises(SourceError) as err:
        client.fetch_document(gone)
    assert err.value.permanent and htm in str(err.value) and "Interim Results" in str(err.value)
    assert "could not be found in the Chinese listings" in str(err.value) and "SEHK Chinese feed" in str(
        err.value
    )
    assert httpserver.log == []


def test_placeholder_page_fetched_for_an_unflagged_filing_fails_permanently(
    httpserver: HTTPServer, client: HKEXnewsClient
) -> None:
    # A title-search row whose title did not give it away: the page it links to does.
    htm = DOC.replace(".pdf", ".htm")
    httpserver.expect_request(htm).respond_with_data(PLACEHOLDER_HTML, content_type="text/html")
    with pytest.raises(SourceError) as err:
        client.fetch_document(filing_at(client.urls.document(htm), file_type="HTM"))
    assert err.value.permanent and "placeholder of a Chinese-only filing" in str(err.value)
    assert paths(httpserver) == [htm]  # no Chinese URL was made up from the English stem


def test_resolved_chinese_only_filing_reads_its_own_document(
    httpserver: HTTPServer, client: HKEXnewsClient
) -> None:
    zh = "/listedco/listconews/sehk/2026/0410/2026041001000_c.pdf"
    httpserver.expect_request(zh).respond_with_data(pdf_bytes("chinese"), content_type="application/pdf")
    url = client.urls.document(zh)
    resolved = replace(filing_at(url, zh_url=url), chinese_only=True, zh_title="中期業績公告")
    assert client.fetch_document(resolved) == pdf_bytes("chinese") and paths(httpserver) == [zh]


def test_resolved_chinese_document_that_is_not_a_pdf(httpserver: HTTPServer, client: HKEXnewsClient) -> None:
    zh = DOC.replace(".pdf", "_c.pdf")
    httpserver.expect_request(zh).respond_with_data(MAINTENANCE_HTML, content_type="text/html")
    url = client.urls.document(zh)
    with pytest.raises(DocumentError, match="expected a PDF"):
        client.fetch_document(replace(filing_at(url, zh_url=url), chinese_only=True))


@pytest.mark.parametrize("status", [404, 410])
def test_a_document_that_is_gone_fails_permanently(
    httpserver: HTTPServer, client: HKEXnewsClient, status: int
) -> None:
    httpserver.expect_request(DOC).respond_with_data("gone", status=status)
    with pytest.raises(SourceError, match=f"HTTP {status}") as err:
        client.fetch_document(filing_at(client.urls.document(DOC)))
    assert err.value.permanent and len(httpserver.log) == 1


@pytest.mark.parametrize("status", [500, 502])
def test_a_server_error_for_a_document_stays_transient(
    httpserver: HTTPServer, client: HKEXnewsClient, status: int
) -> None:
    httpserver.expect_request(DOC).respond_with_data("busy", status=status)
    with pytest.raises(SourceError) as err:
        client.fetch_document(filing_at(client.urls.document(DOC)))
    assert not err.value.permanent and len(httpserver.log) == 3  # retried


def test_a_feed_404_stays_transient(httpserver: HTTPServer, client: HKEXnewsClient) -> None:
    httpserver.expect_request(FEED).respond_with_data("nope", status=404)
    with pytest.raises(SourceError) as err:
        client.latest_page()
    assert not err.value.permanent


# -- the limiter outlives the client ----------------------------------------------------------------


def test_a_cooloff_survives_a_rebuilt_client(
    httpserver: HTTPServer, make_settings: Callable[..., HKEXnewsSettings], clock: FakeClock
) -> None:
    limiter = LocalLimiter(clock)
    httpserver.expect_request(FEED).respond_with_data("blocked", status=503)
    first = HKEXnewsClient(make_settings(), limiter=limiter, clock=clock, sleep=clock.sleep)
    with pytest.raises(HostCoolingOffError):
        first.latest_page()
    first.close()
    rebuilt = HKEXnewsClient(make_settings(cooloff_s=1), limiter=limiter, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        with pytest.raises(HostCoolingOffError):
            rebuilt.latest_page()
    assert len(httpserver.log) == 1 and rebuilt.cooling_off_for() == pytest.approx(30)
    rebuilt.close()


def test_pacing_is_shared_by_clients_on_one_limiter(
    httpserver: HTTPServer, make_settings: Callable[..., HKEXnewsSettings], clock: FakeClock
) -> None:
    httpserver.expect_request(FEED).respond_with_json(SAMPLE_FEED)
    limiter = LocalLimiter(clock)
    a, b = (
        HKEXnewsClient(
            make_settings(min_request_interval_s=1.0), limiter=limiter, clock=clock, sleep=clock.sleep
        )
        for _ in range(2)
    )
    a.latest_page()
    b.latest_page()
    a.latest_page()
    assert clock.sleeps == [1.0, 1.0]
    a.close()
    b.close()


def test_a_request_planned_before_another_instances_503_waits_out_its_cooloff(
    httpserver: HTTPServer, make_settings: Callable[..., HKEXnewsSettings], redis_url: str
) -> None:
    """Issue 22 for HKEXnews: two instances on one Redis. B has taken its request slot and waits for
    it when A's request is answered 503; B then sends nothing until the cool-off ends. The order is
    forced with events, not timing: A is answered only once B is waiting, and B's wait ends only once
    A has its answer."""
    store = open_store(redis_url, namespace="cooloff-race")
    b_waiting, a_answered = threading.Event(), threading.Event()

    def a_handler(_: Request) -> Response:
        threading.Thread(target=b_request, daemon=True).start()
        assert b_waiting.wait(30)
        return Response("blocked", status=503)

    def b_sleep(_seconds: float) -> None:
        b_waiting.set()
        assert a_answered.wait(30)

    b_outcome: list[BaseException | None] = []
    b_done = threading.Event()

    def b_request() -> None:
        try:
            b.latest_page()
            b_outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - the test reads it
            b_outcome.append(exc)
        finally:
            b_done.set()

    settings = make_settings(min_request_interval_s=5.0)
    a = HKEXnewsClient(settings, limiter=StoreLimiter(store))
    b = HKEXnewsClient(settings, limiter=StoreLimiter(store), sleep=b_sleep)
    httpserver.expect_ordered_request(FEED).respond_with_handler(a_handler)
    try:
        with pytest.raises(HostCoolingOffError):
            a.latest_page()
        a_answered.set()
        assert b_done.wait(30)
        assert b_outcome and isinstance(b_outcome[0], HostCoolingOffError), b_outcome
        assert len(httpserver.log) == 1  # B's planned request never reached the host
    finally:
        a.close()
        b.close()
        store.close()


# -- the title-search session -------------------------------------------------------------------------


def test_title_search_warms_a_session_once_and_again_when_it_expires(
    make_settings: Callable[..., HKEXnewsSettings],
) -> None:
    with HKEXnewsStandIn() as hk:
        hk.publish(standin_filing(hk))
        client = HKEXnewsClient(make_settings(base_url=hk.base_url))
        sid = hk.stock_id("00020")
        assert sid is not None
        assert len(client.title_search(sid, date(2026, 4, 1), date(2026, 4, 30)).filings) == 1
        assert len(client.title_search(sid, date(2026, 4, 1), date(2026, 4, 30)).filings) == 1
        assert [path.split("?")[0] for path in hk.requests] == ["/search/titlesearch.xhtml", SERVLET, SERVLET]
        hk.reset_counters()
        hk.expire_sessions()  # the servlet now answers an empty body to the old cookie
        assert len(client.title_search(sid, date(2026, 4, 1), date(2026, 4, 30)).filings) == 1
        assert [path.split("?")[0] for path in hk.requests] == [SERVLET, "/search/titlesearch.xhtml", SERVLET]
        client.close()


def test_an_empty_body_is_a_failed_request_never_no_filings(
    make_settings: Callable[..., HKEXnewsSettings],
) -> None:
    with HKEXnewsStandIn() as hk:
        hk.publish(standin_filing(hk))
        hk.fail_title_search("00020", "empty")
        client = HKEXnewsClient(make_settings(base_url=hk.base_url))
        sid = hk.stock_id("00020")
        assert sid is not None
        with pytest.raises(SourceError, match="empty body twice") as err:
            client.title_search(sid, date(2026, 4, 1), date(2026, 4, 30))
        assert not err.value.permanent
        client.close()


def test_a_null_answer_is_an_unconfirmed_empty_page(make_settings: Callable[..., HKEXnewsSettings]) -> None:
    with HKEXnewsStandIn() as hk:
        hk.publish(standin_filing(hk))
        hk.fail_title_search("00020", "null", times=1)
        client = HKEXnewsClient(make_settings(base_url=hk.base_url))
        sid = hk.stock_id("00020")
        assert sid is not None
        page = client.title_search(sid, date(2026, 4, 1), date(2026, 4, 30))
        assert page.unconfirmed and page.filings == ()
        assert len(client.title_search(sid, date(2026, 4, 1), date(2026, 4, 30)).filings) == 1
        client.close()


# -- documents against the stand-in: a wall-clock limit, folder pages -----------------------------------


def test_a_trickling_document_ends_at_the_wall_clock_limit(
    make_settings: Callable[..., HKEXnewsSettings],
) -> None:
    with HKEXnewsStandIn() as hk:
        slow = standin_filing(hk, document=pdf_bytes("slow", 400_000))
        slow.trickle_bytes_per_s = 4000  # 100 s for the whole document
        hk.publish(slow)
        client = HKEXnewsClient(make_settings(base_url=hk.base_url, document_timeout_s=1.0, timeout_s=20))
        filing = client.latest_page().filings[0]
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"download took over 1s") as err:
            client.fetch_document(filing)
        took = time.monotonic() - started
        assert not err.value.permanent
        # A 64 KiB chunk at 4 KB/s alone takes 16 s; the limit is kept on the clock instead.
        assert took < 10, took
        client.close()


def test_a_stalled_document_ends_at_the_wall_clock_limit(
    make_settings: Callable[..., HKEXnewsSettings],
) -> None:
    with HKEXnewsStandIn() as hk:
        stalled = standin_filing(hk, document=pdf_bytes("stalled", 1000))
        stalled.trickle_bytes_per_s = 2  # a few bytes, then silence far longer than the limit
        hk.publish(stalled)
        client = HKEXnewsClient(make_settings(base_url=hk.base_url, document_timeout_s=0.5, timeout_s=30))
        started = time.monotonic()
        with pytest.raises(SourceError, match="download took over"):
            client.fetch_document(client.latest_page().filings[0])
        assert time.monotonic() - started < 10  # the limit, not the 30 s read timeout
        client.close()


def test_a_multi_file_folder_page_leads_to_the_results_pdf(
    make_settings: Callable[..., HKEXnewsSettings],
) -> None:
    with HKEXnewsStandIn() as hk:
        folder = "/listedco/listconews/sehk/2026/0224/"
        multi = standin_filing(
            hk,
            path=folder + "2026022400518.htm",
            title="2025 ANNUAL RESULTS",
            t2="13300",
            category="Final Results",
        )
        multi.folder = [
            ("Proxy Form", folder + "2026022400519.pdf", pdf_bytes("proxy")),
            ("Annual Results Announcement 2025", folder + "2026022400520.pdf", pdf_bytes("results")),
            ("2025年度業績公告", folder + "2026022400521_c.pdf", pdf_bytes("zh")),
        ]
        hk.publish(multi)
        client = HKEXnewsClient(make_settings(base_url=hk.base_url))
        (filing,) = client.latest_page().filings
        assert filing.file_type == "HTM" and filing.kind is FilingKind.FINAL_RESULTS
        hk.reset_counters()
        assert client.fetch_document(filing) == pdf_bytes("results")
        assert hk.requests == [folder + "2026022400518.htm", folder + "2026022400520.pdf"]
        client.close()


def test_a_folder_page_without_a_pdf_here_fails_permanently(
    httpserver: HTTPServer, client: HKEXnewsClient
) -> None:
    htm = DOC.replace(".pdf", ".htm")
    page = b'<html><body><a href="https://evil.example.com/x.pdf">Results</a><a href="/a.htm">More</a></body>'
    httpserver.expect_request(htm).respond_with_data(page, content_type="text/html")
    with pytest.raises(SourceError, match="lists no PDF") as err:
        client.fetch_document(filing_at(client.urls.document(htm), file_type=""))
    assert err.value.permanent and "1 on other hosts, not fetched" in str(err.value)
    assert paths(httpserver) == [htm]


SERVLET = "/search/titleSearchServlet.do"


def standin_filing(
    hk: HKEXnewsStandIn,
    *,
    document: bytes | None = None,
    path: str | None = None,
    title: str = "INTERIM RESULTS ANNOUNCEMENT",
    t2: str = "13400",
    category: str = "Interim Results",
) -> StandInFiling:
    return StandInFiling(
        12102470,
        [("00020", "SENSETIME-W")],
        title,
        category,
        t2,
        datetime(2026, 4, 10, 18, 30, tzinfo=HKT),
        path or "/listedco/listconews/sehk/2026/0410/2026041001754.pdf",
        document if document is not None else pdf_bytes("sensetime"),
    )
