"""A local HTTP server that answers like HKEXnews, in the documented shapes (hkexnews.md).

Used by ``hkex-monitor demo`` (this machine has no internet), by the end-to-end tests and by the
benchmarks. It serves the latest-filings feed pages in English and Chinese (1-day and 7-day, SEHK
and GEM), the active stock list, the title search (``lang=E`` and ``lang=ZH``, behind the session
cookie the search page sets) and the documents themselves: PDFs, Chinese documents under numbers of
their own, Chinese-only placeholders and their ``.htm`` page, multi-file folder pages. It can be
told to answer a stock's title search oddly (``"null"``, an empty body, HTML, a 500) or any path
with an HTTP error, to leave a filing out of the feeds or out of the Chinese listings, to regenerate
its feed only every ``regen_period_s`` seconds (``genDate`` moves and new filings appear only then),
and to trickle a document. It records every request and answers conditional requests with 304.
What it has published and how it answers live in ``listings.py``; this module is the HTTP side.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterable
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from monitor.hkexnews.standin.filing import StandInFiling
from monitor.hkexnews.standin.listings import Listings

log = logging.getLogger(__name__)

_FEED_PREFIX = "/ncms/json/eds/lci"
SESSION_COOKIE = "JSESSIONID"


class RequestLog:
    """Every request the stand-in received (path, arrival on ``time.monotonic()``) and the body
    bytes it sent; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: list[str] = []
        self._arrivals: list[float] = []
        self.bytes_sent = 0

    def arrived(self, path: str) -> None:
        with self._lock:
            self._paths.append(path)
            self._arrivals.append(time.monotonic())

    def sent(self, nbytes: int) -> None:
        with self._lock:
            self.bytes_sent += nbytes

    def paths(self) -> list[str]:
        with self._lock:
            return list(self._paths)

    def timed(self) -> list[tuple[float, str]]:
        with self._lock:
            return list(zip(self._arrivals, self._paths, strict=True))

    def reset(self) -> None:
        with self._lock:
            self._paths.clear()
            self._arrivals.clear()
            self.bytes_sent = 0


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-answer (its time limit, a Ctrl-C of the demo) is normal here: no
    traceback on the terminal (socketserver prints one for any error in a handler thread), and any
    other error in a handler is one log line."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            return
        log.error("HKEXnews stand-in: a request from %s failed: %s: %s", client_address,
                  type(exc).__name__, exc)


class HKEXnewsStandIn:
    """Start with ``with HKEXnewsStandIn() as hk:``; point the monitor at ``hk.base_url``.

    ``require_session``: the title search answers an empty body without the cookie that a GET of
    ``/search/titlesearch.xhtml`` sets. ``regen_period_s``: the feed is regenerated only every so
    many seconds (``genDate`` is the regeneration time; filings published since appear at the next
    one); ``None`` regenerates on every publish. ``page_size``: feed items a page. ``today``: the
    feed windows' day (see ``listings.py``); ``None`` lists every filing in both windows.
    """

    def __init__(self, *, page_size: int = 100, host: str = "127.0.0.1", port: int = 0,
                 require_session: bool = True, regen_period_s: float | None = None,
                 regen_phase_s: float = 0.0, today: Callable[[], date] | None = None) -> None:
        self.require_session = require_session
        self.listings = Listings(page_size=page_size, regen_period_s=regen_period_s,
                                 regen_phase_s=regen_phase_s, today=today)
        self.request_log = RequestLog()
        self._lock = threading.Lock()
        self._sessions: set[str] = set()
        self._server = _QuietServer((host, port), self._handler())
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> HKEXnewsStandIn:
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="hkexnews-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> HKEXnewsStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def page_size(self) -> int:
        return self.listings.page_size

    @property
    def filings(self) -> list[StandInFiling]:
        """Every filing published, in order (the objects themselves: a test may slow one down)."""
        return self.listings.filings

    @property
    def _state(self) -> Listings:  # older tests reach in for ``_state.filings``
        return self.listings

    def publish(self, filing: StandInFiling) -> None:
        self.listings.publish([filing])

    def publish_many(self, filings: Iterable[StandInFiling]) -> list[float]:
        """Publish many filings at once (a whole evening); returns each one's publish wall time."""
        return self.listings.publish(filings)

    def add_stock(self, code: str, stock_id: int | None = None) -> None:
        self.listings.add_stock(code, stock_id)

    def stock_id(self, code: str) -> int | None:
        return self.listings.stock_id(code)

    def fail_title_search(self, code: str, answer: str, *, times: int | None = None,
                          lang: str | None = None) -> None:
        """Answer the title search for stock ``code`` with ``answer`` (one of ``TITLE_SEARCH_FAULTS``:
        ``"null"`` with recordCnt 0, an empty body, an HTML page, HTTP 500), ``times`` times (``None``:
        until ``clear_faults``), for one ``lang`` ("E"/"ZH") or both."""
        self.listings.faults.fail_title_search(code, answer, times=times, lang=lang)

    def fail_requests(self, path_part: str, status: int, *, times: int | None = None) -> None:
        """Answer HTTP ``status`` to every request whose path contains ``path_part`` (e.g.
        ``"relsdc_"``: the Chinese feed), ``times`` times (``None``: until ``clear_faults``)."""
        self.listings.faults.fail_requests(path_part, status, times=times)

    def clear_faults(self) -> None:
        self.listings.faults.clear()

    def expire_sessions(self) -> None:
        """Forget every session cookie issued: the title search answers empty bodies until a new
        GET of the search page."""
        with self._lock:
            self._sessions.clear()

    def regenerated_at(self, now: float | None = None) -> float:
        """The feed's current generation time (epoch s); see ``Listings.regenerated_at``."""
        return self.listings.regenerated_at(now)

    @property
    def requests(self) -> list[str]:
        return self.request_log.paths()

    @property
    def timed_requests(self) -> list[tuple[float, str]]:
        """(``time.monotonic()`` on arrival, path) of every request, in order."""
        return self.request_log.timed()

    @property
    def bytes_sent(self) -> int:
        return self.request_log.bytes_sent

    def reset_counters(self) -> None:
        self.request_log.reset()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
                return

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                standin.request_log.arrived(self.path)
                headers: dict[str, str] = {}
                if parts.path.startswith("/search/titlesearch.xhtml"):
                    token = secrets.token_hex(8)
                    with standin._lock:
                        standin._sessions.add(token)
                    headers["Set-Cookie"] = f"{SESSION_COOKIE}={token}; Path=/"
                if parts.path == "/search/titleSearchServlet.do" and not self._has_session():
                    self._send(200, b"", "application/json", headers)
                    return
                body, ctype, status, filing = standin._answer(parts.path, parse_qs(parts.query))
                if body is None:
                    text = b"not found" if status == 404 else b"server error"
                    self._send(status, text, "text/plain", headers)
                    return
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if ctype == "application/json":
                    headers["ETag"] = etag
                    if self.headers.get("If-None-Match") == etag:
                        self._send(304, b"", None, headers)
                        return
                if filing is not None and filing.trickle_bytes_per_s:
                    self._trickle(body, ctype, filing.trickle_bytes_per_s)
                    return
                self._send(status, body, ctype, headers)

            def _has_session(self) -> bool:
                if not standin.require_session:
                    return True
                cookies = self.headers.get("Cookie", "")
                tokens = {part.strip().split("=", 1)[1] for part in cookies.split(";")
                          if part.strip().startswith(SESSION_COOKIE + "=")}
                with standin._lock:
                    return bool(tokens & standin._sessions)

            def _send(self, status: int, body: bytes, ctype: str | None, headers: dict[str, str]) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for name, value in headers.items():
                    self.send_header(name, value)
                nbytes = len(body) if status != 304 else 0
                self.send_header("Content-Length", str(nbytes))
                self.end_headers()
                # counted before the write: a client that has its answer finds it counted already
                standin.request_log.sent(nbytes)
                if status != 304:
                    self.wfile.write(body)

            def _trickle(self, body: bytes, ctype: str, rate: float) -> None:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                step = max(1, int(rate / 20))  # 20 writes a second
                try:
                    for at in range(0, len(body), step):
                        self.wfile.write(body[at:at + step])
                        self.wfile.flush()
                        time.sleep(step / rate)
                except OSError:  # the client hung up (its time limit): stop sending
                    self.close_connection = True

        return Handler

    def _answer(self, path: str, query: dict[str, list[str]]
                ) -> tuple[bytes | None, str, int, StandInFiling | None]:
        """(body, content type, status, the filing a document belongs to)."""
        status = self.listings.faults.for_path(path)
        if status is not None:
            return None, "", status, None
        if path == "/search/titleSearchServlet.do":
            lang = "ZH" if query.get("lang", ["E"])[0].upper() == "ZH" else "E"
            stock_id = int(query.get("stockId", ["-1"])[0])
            codes = self.listings.codes_of(stock_id) if stock_id != -1 else set()
            fault = self.listings.faults.for_title_search(codes, lang)
            if fault == "null":
                return (json.dumps({"result": "null", "sortList": "[[0,0]]", "hasNextRow": False,
                                    "rowRange": int(query.get("rowRange", ["100"])[0]), "loadedRecord": 0,
                                    "recordCnt": 0, "lang": lang}).encode(), "application/json", 200, None)
            if fault == "empty":
                return b"", "application/json", 200, None
            if fault == "html":
                return (b"<!DOCTYPE html><html><head><title>HKEXnews - Error</title></head><body>"
                        b"Please try again later</body></html>", "text/html", 200, None)
            if fault == "error":
                return None, "", 500, None
        body, ctype = self._route(path, query)
        if body is not None and path.startswith("/listedco/"):
            _, filing = self.listings.document(path)
            return body, ctype, 200, filing
        return body, ctype, 200 if body is not None else 404, None

    def _route(self, path: str, query: dict[str, list[str]]) -> tuple[bytes | None, str]:
        if path.startswith(_FEED_PREFIX) and path.endswith(".json"):
            # lci{board}{window}relsd{lang}_{page}.json
            name = path[len(_FEED_PREFIX):-len(".json")]
            board = "gem" if name.startswith("gem") else "sehk"
            try:
                head, page_text = name.rsplit("_", 1)
                page, lang = int(page_text), head[-1]
                window = int(head[len(board):].split("rel", 1)[0])
            except (IndexError, ValueError):
                return None, ""
            data = self.listings.feed_page(board, window, page, "c" if lang == "c" else "e")
            if data is None:
                return None, ""
            return json.dumps(data, ensure_ascii=False).encode(), "application/json"
        if path.startswith("/ncms/script/eds/activestock_"):
            return json.dumps(self.listings.active_stocks()).encode(), "application/json"
        if path.startswith("/ncms/script/eds/inactivestock_"):
            return b"[]", "application/json"
        if path == "/search/titleSearchServlet.do":
            # Real answers escape < and & inside the JSON text (hkexnews.md section 2).
            text = json.dumps(self.listings.title_search(query), ensure_ascii=False)
            return text.replace("<", "\\u003c").replace("&", "\\u0026").encode(), "application/json"
        if path.startswith("/search/titlesearch.xhtml"):
            return b"<html><body>title search</body></html>", "text/html"
        doc, _ = self.listings.document(path)
        if doc is None:
            return None, ""
        if doc.startswith(b"%PDF"):
            return doc, "application/pdf"
        return doc, "text/html; charset=utf-8"
