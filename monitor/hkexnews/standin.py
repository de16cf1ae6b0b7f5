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
"""

from __future__ import annotations

import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from monitor.filing import HKT

_FEED_PREFIX = "/ncms/json/eds/lci"
SESSION_COOKIE = "JSESSIONID"
PLACEHOLDER_TITLE = ("An announcement has just been published by the issuer in the Chinese section of this "
                     "website, a corresponding version of which may or may not be published in this section")
PLACEHOLDER_PAGE = (
    "<html><head><meta http-equiv='Content-Type' content='text/html; charset=utf-8'></head><body><p>"
    + PLACEHOLDER_TITLE + ".</p></body></html>").encode()
REVISION_PREFIXES = {"revised": "(Headlines Revised) ",
                     "superseded": "(Cancelled since Headlines Superseded and Replaced) "}
TITLE_SEARCH_FAULTS = ("null", "empty", "html", "error")
# The Chinese listings' own names for the headlines and categories the stand-in publishes.
_ZH_LABELS = {
    "Announcements and Notices": "公告及通告", "Monthly Returns": "月報表",
    "Next Day Disclosure Returns": "翌日披露報表",
    "Financial Statements/ESG Information": "財務報表/環境、社會及管治資料",
    "Final Results": "末期業績", "Interim Results": "中期業績", "Quarterly Results": "季度業績",
    "Profit Warning": "盈利警告", "Date of Board Meeting": "董事會召開日期",
    "Delay in Results Announcement": "延遲發表業績公告", "Dividend or Distribution": "股息或分派",
    "Annual Report": "年報", "Interim/Half-Year Report": "中期/半年度報告", "Others": "其他", "Other": "其他",
}


def _zh(label: str) -> str:
    return " / ".join(_ZH_LABELS.get(part, part) for part in label.split(" / "))


@dataclass
class StandInFiling:
    """One filing as the stand-in publishes it: its English listing, its Chinese one if it has a
    Chinese version (``zh_title``/``zh_document``, or ``chinese_only``), and its documents.

    ``category`` is the label inside ``"{headline} - [...]"``; empty for a headline-only text such
    as ``"Monthly Returns"``. A ``chinese_only`` filing's ``web_path`` is the ``.htm`` placeholder
    the English listings show; its Chinese document is at ``zh_web_path``. ``folder`` makes it a
    multi-file filing whose ``web_path`` (``.htm``) lists those documents.
    """

    news_id: int
    stocks: list[tuple[str, str]]  # (code, short name), every counter
    title: str
    category: str
    t2_code: str
    released_at: datetime
    web_path: str  # e.g. /listedco/listconews/sehk/2025/0827/2025082700123.pdf
    document: bytes | None = None
    zh_document: bytes | None = None
    t1_code: str = "10000"
    ext: str = "pdf"
    board: str = "sehk"
    headline: str = "Announcements and Notices"
    zh_title: str | None = None
    zh_web_path: str | None = None  # default: the next document number, ``_c.pdf``
    zh_news_id: int | None = None  # default: news_id + 1
    chinese_only: bool = False
    revision: str | None = None  # "revised" or "superseded": the re-filed headline's prefix
    folder: list[tuple[str, str, bytes | None]] = field(default_factory=list)  # (link text, path, bytes)
    trickle_bytes_per_s: float | None = None  # send the document this slowly
    feed_listed: bool = True  # False: the latest feeds never show it (only the title search does)
    zh_listed: bool = True  # False: its Chinese version is missing from the Chinese listings
    published_wall: float = 0.0  # set by publish(): when the stand-in got it (its feed shows it after)

    @property
    def has_chinese(self) -> bool:
        """Listed in the Chinese listings."""
        has_version = self.chinese_only or self.zh_title is not None or self.zh_document is not None
        return self.zh_listed and has_version

    @property
    def zh_path(self) -> str:
        if self.zh_web_path:
            return self.zh_web_path
        folder, _, name = self.web_path.rpartition("/")
        stem = name.rsplit(".", 1)[0]
        number = f"{int(stem) + 1:0{len(stem)}d}" if stem.isdigit() else stem
        return f"{folder}/{number}_c.pdf"

    def _headline_text(self, lang: str) -> str:
        head, cat = self.headline, self.category
        if lang == "c":
            head, cat = _zh(head), _zh(cat)
        return f"{head} - [{cat}]" if cat else head

    def _prefix(self) -> str:
        return REVISION_PREFIXES.get(self.revision or "", "")

    def _english_link(self) -> tuple[str, str]:
        """(title, ext) the English listings show."""
        if self.chinese_only:
            return PLACEHOLDER_TITLE, "htm"
        return self.title, ("htm" if self.folder else self.ext)

    def feed_item(self, lang: str = "e") -> dict[str, Any]:
        text = self._headline_text(lang)
        zh = lang == "c"
        title, ext = (self.zh_title or self.title, "pdf") if zh else self._english_link()
        size = len((self.zh_document if zh else self.document) or b"")
        return {
            "newsId": (self.zh_news_id or self.news_id + 1) if zh else self.news_id,
            "lTxt": text,
            "sTxt": self._prefix() + text,
            "title": title,
            "ext": ext,
            "size": f"{max(1, size // 1024)}KB",
            "webPath": self.zh_path if zh else self.web_path,
            "market": self.board.upper(),
            "multi": 1 if len(self.stocks) > 1 else 0,
            "stock": [{"sc": c, "sn": n} for c, n in self.stocks],
            "relTime": self.released_at.astimezone(HKT).strftime("%d/%m/%Y %H:%M"),
            "t1Code": self.t1_code,
            "t2Code": self.t2_code,
        }

    def title_search_row(self, lang: str = "e") -> dict[str, str]:
        item = self.feed_item(lang)
        file_type = "" if self.folder and lang == "e" else str(item["ext"]).upper()
        return {
            "FILE_INFO": "Multi-Files" if file_type == "" else str(item["size"]),
            "NEWS_ID": str(item["newsId"]),
            "SHORT_TEXT": str(item["sTxt"]) + "<br/>",
            "TOTAL_COUNT": "1",
            "DOD_WEB_PATH": "",
            "STOCK_NAME": "<br/>".join(n for _, n in self.stocks),
            "TITLE": html.escape(str(item["title"]), quote=False),
            "FILE_TYPE": file_type,
            "DATE_TIME": str(item["relTime"]),
            "LONG_TEXT": str(item["lTxt"]),
            "STOCK_CODE": "<br/>".join(c for c, _ in self.stocks),
            "FILE_LINK": str(item["webPath"]),
        }

    def folder_page(self) -> bytes:
        links = "".join(f'<li><a href="{path}">{html.escape(text)}</a></li>' for text, path, _ in self.folder)
        return (f"<html><head><title>{html.escape(self.title)}</title></head><body><h1>"
                f"{html.escape(self.title)}</h1><ul>{links}</ul></body></html>").encode()


@dataclass
class _Fault:
    answer: str
    left: int | None  # None: until cleared
    lang: str | None


@dataclass
class _PathFault:
    status: int
    left: int | None


@dataclass
class _State:
    filings: list[StandInFiling] = field(default_factory=list)
    stock_ids: dict[str, int] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)  # time.monotonic() of each request, in order
    bytes_sent: int = 0
    sessions: set[str] = field(default_factory=set)
    faults: dict[str, _Fault] = field(default_factory=dict)
    path_faults: dict[str, _PathFault] = field(default_factory=dict)
    changed_ms: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class HKEXnewsStandIn:
    """Start with ``with HKEXnewsStandIn() as hk:``; point the monitor at ``hk.base_url``.

    ``require_session``: the title search answers an empty body without the cookie that a GET of
    ``/search/titlesearch.xhtml`` sets. ``regen_period_s``: the feed is regenerated only every so
    many seconds (``genDate`` is the regeneration time; filings published since appear at the next
    one); ``None`` regenerates on every publish.
    """

    def __init__(self, *, page_size: int = 100, host: str = "127.0.0.1", port: int = 0,
                 require_session: bool = True, regen_period_s: float | None = None,
                 regen_phase_s: float = 0.0) -> None:
        self.page_size = page_size
        self.require_session = require_session
        self.regen_period_s = regen_period_s
        self.regen_phase_s = regen_phase_s
        self._state = _State(changed_ms=int(time.time() * 1000))
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------
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

    # -- content ----------------------------------------------------------------------------
    def publish(self, filing: StandInFiling) -> None:
        with self._state.lock:
            filing.published_wall = time.time()
            self._state.filings.append(filing)
            self._state.changed_ms = max(self._state.changed_ms + 1, int(filing.published_wall * 1000))
            for code, _ in filing.stocks:
                self._state.stock_ids.setdefault(code, 1000 + len(self._state.stock_ids))

    def add_stock(self, code: str, stock_id: int | None = None) -> None:
        with self._state.lock:
            self._state.stock_ids[code] = stock_id or 1000 + len(self._state.stock_ids)

    def stock_id(self, code: str) -> int | None:
        with self._state.lock:
            return self._state.stock_ids.get(code)

    def fail_title_search(self, code: str, answer: str, *, times: int | None = None,
                          lang: str | None = None) -> None:
        """Answer the title search for stock ``code`` with ``answer`` (one of ``TITLE_SEARCH_FAULTS``:
        ``"null"`` with recordCnt 0, an empty body, an HTML page, HTTP 500), ``times`` times (``None``:
        until ``clear_faults``), for one ``lang`` ("E"/"ZH") or both."""
        if answer not in TITLE_SEARCH_FAULTS:
            raise ValueError(f"answer must be one of {TITLE_SEARCH_FAULTS}, got {answer!r}")
        with self._state.lock:
            self._state.faults[code] = _Fault(answer, times, lang)

    def fail_requests(self, path_part: str, status: int, *, times: int | None = None) -> None:
        """Answer HTTP ``status`` to every request whose path contains ``path_part`` (e.g.
        ``"relsdc_"``: the Chinese feed), ``times`` times (``None``: until ``clear_faults``)."""
        with self._state.lock:
            self._state.path_faults[path_part] = _PathFault(status, times)

    def clear_faults(self) -> None:
        with self._state.lock:
            self._state.faults.clear()
            self._state.path_faults.clear()

    def _path_fault(self, path: str) -> int | None:
        with self._state.lock:
            for part, fault in self._state.path_faults.items():
                if part in path and (fault.left is None or fault.left > 0):
                    if fault.left is not None:
                        fault.left -= 1
                    return fault.status
        return None

    def expire_sessions(self) -> None:
        """Forget every session cookie issued: the title search answers empty bodies until a new
        GET of the search page."""
        with self._state.lock:
            self._state.sessions.clear()

    @property
    def requests(self) -> list[str]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def timed_requests(self) -> list[tuple[float, str]]:
        """(``time.monotonic()`` on arrival, path) of every request, in order."""
        with self._state.lock:
            return list(zip(self._state.arrivals, self._state.requests, strict=True))

    @property
    def bytes_sent(self) -> int:
        return self._state.bytes_sent

    def reset_counters(self) -> None:
        with self._state.lock:
            self._state.requests.clear()
            self._state.arrivals.clear()
            self._state.bytes_sent = 0

    # -- answers ----------------------------------------------------------------------------
    def regenerated_at(self, now: float | None = None) -> float:
        """The feed's current generation time (epoch s): the last regeneration tick, or the last
        publish when it regenerates on every publish."""
        if self.regen_period_s is None:
            return self._state.changed_ms / 1000
        now = time.time() if now is None else now
        return self.regen_phase_s + (now - self.regen_phase_s) // self.regen_period_s * self.regen_period_s

    def _feed_page(self, board: str, page: int, lang: str) -> dict[str, Any] | None:
        generated = self.regenerated_at()
        with self._state.lock:
            items = [f for f in self._state.filings if f.board == board and f.feed_listed
                     and (lang == "e" or f.has_chinese)
                     and (self.regen_period_s is None or f.published_wall <= generated)]
        items.sort(key=lambda f: (f.released_at, f.news_id), reverse=True)
        pages = max(1, -(-len(items) // self.page_size))
        if page < 1 or page > pages:
            return None
        chunk = items[(page - 1) * self.page_size: page * self.page_size]
        return {"genDate": str(int(generated * 1000)), "maxNumOfFile": pages,
                "newsInfoLst": [f.feed_item(lang) for f in chunk]}

    def _active_stocks(self) -> list[dict[str, Any]]:
        with self._state.lock:
            return [{"i": i, "c": c, "n": c, "s": i + 7} for c, i in sorted(self._state.stock_ids.items())]

    def _fault_for(self, stock_id: int, lang: str) -> str | None:
        with self._state.lock:
            for code, fault in self._state.faults.items():
                if self._state.stock_ids.get(code) != stock_id or fault.lang not in (None, lang):
                    continue
                if fault.left is not None:
                    if fault.left <= 0:
                        continue
                    fault.left -= 1
                return fault.answer
        return None

    def _title_search(self, query: dict[str, list[str]]) -> dict[str, Any]:
        stock_id = int(query.get("stockId", ["-1"])[0])
        from_date = query.get("fromDate", ["19000101"])[0]
        to_date = query.get("toDate", ["29991231"])[0]
        row_range = int(query.get("rowRange", ["100"])[0])
        lang = "c" if query.get("lang", ["E"])[0].upper() == "ZH" else "e"
        with self._state.lock:
            codes = {c for c, i in self._state.stock_ids.items() if i == stock_id or stock_id == -1}
            rows = [f for f in self._state.filings
                    if any(c in codes for c, _ in f.stocks) and (lang == "e" or f.has_chinese)
                    and from_date <= f.released_at.astimezone(HKT).strftime("%Y%m%d") <= to_date]
        rows.sort(key=lambda f: (f.released_at, f.news_id), reverse=True)
        shown = [f.title_search_row(lang) for f in rows[:row_range]]
        for r in shown:
            r["TOTAL_COUNT"] = str(len(rows))
        return {"result": json.dumps(shown, ensure_ascii=False), "sortList": "[[0,0]]",
                "hasNextRow": len(rows) > row_range, "rowRange": row_range, "loadedRecord": len(shown),
                "recordCnt": len(rows), "lang": "ZH" if lang == "c" else "E"}

    def _document(self, path: str) -> tuple[bytes | None, StandInFiling | None]:
        with self._state.lock:
            for f in self._state.filings:
                if f.web_path == path:
                    if f.chinese_only:
                        return PLACEHOLDER_PAGE, f
                    return (f.folder_page() if f.folder else f.document), f
                if (f.chinese_only or f.zh_document is not None) and f.zh_path == path:
                    return f.zh_document, f
                for _, doc_path, body in f.folder:
                    if doc_path == path:
                        return body, f
        return None, None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
                return

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                with standin._state.lock:
                    standin._state.requests.append(self.path)
                    standin._state.arrivals.append(time.monotonic())
                headers: dict[str, str] = {}
                if parts.path.startswith("/search/titlesearch.xhtml"):
                    token = secrets.token_hex(8)
                    with standin._state.lock:
                        standin._state.sessions.add(token)
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
                with standin._state.lock:
                    return bool(tokens & standin._state.sessions)

            def _send(self, status: int, body: bytes, ctype: str | None, headers: dict[str, str]) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body) if status != 304 else 0))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)
                with standin._state.lock:
                    standin._state.bytes_sent += len(body)

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
        status = self._path_fault(path)
        if status is not None:
            return None, "", status, None
        if path == "/search/titleSearchServlet.do":
            lang = "ZH" if query.get("lang", ["E"])[0].upper() == "ZH" else "E"
            fault = self._fault_for(int(query.get("stockId", ["-1"])[0]), lang)
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
            _, filing = self._document(path)
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
            except (IndexError, ValueError):
                return None, ""
            data = self._feed_page(board, page, "c" if lang == "c" else "e")
            if data is None:
                return None, ""
            return json.dumps(data, ensure_ascii=False).encode(), "application/json"
        if path.startswith("/ncms/script/eds/activestock_"):
            return json.dumps(self._active_stocks()).encode(), "application/json"
        if path.startswith("/ncms/script/eds/inactivestock_"):
            return b"[]", "application/json"
        if path == "/search/titleSearchServlet.do":
            # Real answers escape < and & inside the JSON text (hkexnews.md section 2).
            text = json.dumps(self._title_search(query), ensure_ascii=False)
            return text.replace("<", "\\u003c").replace("&", "\\u0026").encode(), "application/json"
        if path.startswith("/search/titlesearch.xhtml"):
            return b"<html><body>title search</body></html>", "text/html"
        doc, _ = self._document(path)
        if doc is None:
            return None, ""
        if doc.startswith(b"%PDF"):
            return doc, "application/pdf"
        return doc, "text/html; charset=utf-8"
