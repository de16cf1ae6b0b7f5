"""A local HTTP server that answers like HKEXnews, in the documented shapes (hkexnews.md).

Used by ``hkex-monitor demo`` (this machine has no internet), by the end-to-end tests and by the
benchmarks. It serves the latest-filings feed pages (1-day and 7-day, SEHK and GEM), the active
stock list, the title search and the documents themselves; it records every request so tests and
benchmarks can count them, and it answers conditional requests with 304.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from monitor.filing import HKT

_FEED_PREFIX = "/ncms/json/eds/lci"


@dataclass
class StandInFiling:
    """One filing as the stand-in publishes it (English feed item plus its documents)."""

    news_id: int
    stocks: list[tuple[str, str]]  # (code, short name), every counter
    title: str
    category: str  # the label inside "Announcements and Notices - [...]"
    t2_code: str
    released_at: datetime
    web_path: str  # e.g. /listedco/listconews/sehk/2025/0827/2025082700123.pdf
    document: bytes | None = None
    zh_document: bytes | None = None
    t1_code: str = "10000"
    ext: str = "pdf"
    board: str = "sehk"

    def feed_item(self) -> dict[str, Any]:
        text = f"Announcements and Notices - [{self.category}]"
        size = len(self.document or b"")
        return {
            "newsId": self.news_id,
            "lTxt": text,
            "sTxt": text,
            "title": self.title,
            "ext": self.ext,
            "size": f"{max(1, size // 1024)}KB",
            "webPath": self.web_path,
            "market": self.board.upper(),
            "multi": 0,
            "stock": [{"sc": c, "sn": n} for c, n in self.stocks],
            "relTime": self.released_at.astimezone(HKT).strftime("%d/%m/%Y %H:%M"),
            "t1Code": self.t1_code,
            "t2Code": self.t2_code,
        }

    def title_search_row(self) -> dict[str, str]:
        text = f"Announcements and Notices - [{self.category}]"
        return {
            "FILE_INFO": f"{max(1, len(self.document or b'') // 1024)}KB",
            "NEWS_ID": str(self.news_id),
            "SHORT_TEXT": text + "<br/>",
            "TOTAL_COUNT": "1",
            "DOD_WEB_PATH": "",
            "STOCK_NAME": "<br/>".join(n for _, n in self.stocks),
            "TITLE": self.title,
            "FILE_TYPE": self.ext.upper(),
            "DATE_TIME": self.released_at.astimezone(HKT).strftime("%d/%m/%Y %H:%M"),
            "LONG_TEXT": text,
            "STOCK_CODE": "<br/>".join(c for c, _ in self.stocks),
            "FILE_LINK": self.web_path,
        }


@dataclass
class _State:
    filings: list[StandInFiling] = field(default_factory=list)
    stock_ids: dict[str, int] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    bytes_sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class HKEXnewsStandIn:
    """Start with ``with HKEXnewsStandIn() as hk:``; point the monitor at ``hk.base_url``."""

    def __init__(self, *, page_size: int = 100, host: str = "127.0.0.1", port: int = 0) -> None:
        self.page_size = page_size
        self._state = _State()
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> HKEXnewsStandIn:
        self._thread = threading.Thread(target=self._server.serve_forever, name="hkexnews-standin",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> HKEXnewsStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- content ----------------------------------------------------------------------------
    def publish(self, filing: StandInFiling) -> None:
        with self._state.lock:
            self._state.filings.append(filing)
            for code, _ in filing.stocks:
                self._state.stock_ids.setdefault(code, 1000 + len(self._state.stock_ids))

    def add_stock(self, code: str, stock_id: int | None = None) -> None:
        with self._state.lock:
            self._state.stock_ids[code] = stock_id or 1000 + len(self._state.stock_ids)

    @property
    def requests(self) -> list[str]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def bytes_sent(self) -> int:
        return self._state.bytes_sent

    def reset_counters(self) -> None:
        with self._state.lock:
            self._state.requests.clear()
            self._state.bytes_sent = 0

    # -- answers ----------------------------------------------------------------------------
    def _feed_page(self, board: str, page: int) -> dict[str, Any] | None:
        with self._state.lock:
            items = [f for f in self._state.filings if f.board == board]
        items.sort(key=lambda f: (f.released_at, f.news_id), reverse=True)
        pages = max(1, -(-len(items) // self.page_size))
        if page < 1 or page > pages:
            return None
        chunk = items[(page - 1) * self.page_size: page * self.page_size]
        return {"genDate": str(int(datetime.now(HKT).timestamp() * 1000)), "maxNumOfFile": pages,
                "newsInfoLst": [f.feed_item() for f in chunk]}

    def _active_stocks(self) -> list[dict[str, Any]]:
        with self._state.lock:
            return [{"i": i, "c": c, "n": c, "s": i + 7} for c, i in sorted(self._state.stock_ids.items())]

    def _title_search(self, query: dict[str, list[str]]) -> dict[str, Any]:
        stock_id = int(query.get("stockId", ["-1"])[0])
        from_date = query.get("fromDate", ["19000101"])[0]
        to_date = query.get("toDate", ["29991231"])[0]
        row_range = int(query.get("rowRange", ["100"])[0])
        with self._state.lock:
            codes = {c for c, i in self._state.stock_ids.items() if i == stock_id or stock_id == -1}
            rows = [f for f in self._state.filings
                    if any(c in codes for c, _ in f.stocks)
                    and from_date <= f.released_at.astimezone(HKT).strftime("%Y%m%d") <= to_date]
        rows.sort(key=lambda f: (f.released_at, f.news_id), reverse=True)
        shown = [f.title_search_row() for f in rows[:row_range]]
        for r in shown:
            r["TOTAL_COUNT"] = str(len(rows))
        # No rows: an empty array. (The client treats a "null" result as a shape error.)
        return {"result": json.dumps(shown), "hasNextRow": len(rows) > row_range,
                "rowRange": row_range, "loadedRecord": len(shown), "recordCnt": len(rows), "lang": "E"}

    def _document(self, path: str) -> bytes | None:
        with self._state.lock:
            for f in self._state.filings:
                if f.web_path == path:
                    return f.document
                if f.web_path.rsplit(".", 1)[0] + "_c.pdf" == path:
                    return f.zh_document
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
                return

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                with standin._state.lock:
                    standin._state.requests.append(self.path)
                body, ctype = standin._route(parts.path, parse_qs(parts.query))
                if body is None:
                    self.send_error(404)
                    return
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if ctype == "application/json" and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if ctype == "application/json":
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)
                with standin._state.lock:
                    standin._state.bytes_sent += len(body)

        return Handler

    def _route(self, path: str, query: dict[str, list[str]]) -> tuple[bytes | None, str]:
        if path.startswith(_FEED_PREFIX) and path.endswith(".json"):
            # lci{board}{window}relsd{lang}_{page}.json ; the gen date keeps the ETag stable only
            # while content is unchanged, so drop it from the hash by serialising without it.
            name = path[len(_FEED_PREFIX):-len(".json")]
            board = "gem" if name.startswith("gem") else "sehk"
            try:
                page = int(name.rsplit("_", 1)[1])
            except (IndexError, ValueError):
                return None, ""
            data = self._feed_page(board, page)
            if data is None:
                return None, ""
            data["genDate"] = "0"
            return json.dumps(data).encode(), "application/json"
        if path.startswith("/ncms/script/eds/activestock_"):
            return json.dumps(self._active_stocks()).encode(), "application/json"
        if path.startswith("/ncms/script/eds/inactivestock_"):
            return b"[]", "application/json"
        if path == "/search/titleSearchServlet.do":
            return json.dumps(self._title_search(query)).encode(), "application/json"
        if path.startswith("/search/titlesearch.xhtml"):
            return b"<html><body>title search</body></html>", "text/html"
        doc = self._document(path)
        if doc is None:
            return None, ""
        return doc, "application/pdf" if doc.startswith(b"%PDF") else "text/html"
