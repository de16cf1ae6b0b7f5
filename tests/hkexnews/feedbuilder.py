"""Build HKEXnews answers in exactly the documented shapes (latest feed, title search, stock list).

Field names, string-vs-number types and the JSON-inside-JSON ``result`` follow the samples of real
responses; tests vary only the values.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from monitor.filing import HKT

# Verbatim sample answers (values as recorded from real responses).
SAMPLE_FEED: dict[str, Any] = {
    "genDate": "1775836800475",
    "maxNumOfFile": 2,
    "newsInfoLst": [
        {
            "newsId": 12102478,
            "lTxt": "Announcements and Notices - [Very Substantial Disposal / Connected Transaction]",
            "sTxt": "Announcements and Notices - [Very Substantial Disposal / Connected Transaction]",
            "title": "(1) Very Substantial Disposal and Connected Transaction - Disposal of a Subsidiary",
            "ext": "pdf",
            "size": "374KB",
            "webPath": "/listedco/listconews/sehk/2026/0410/2026041001769.pdf",
            "market": "SEHK",
            "multi": 0,
            "stock": [{"sc": "01906", "sn": "BONNY HLDG"}],
            "relTime": "10/04/2026 22:55",
            "t1Code": "10000",
            "t2Code": "11200,11300",
        }
    ],
}
SAMPLE_TITLE_SEARCH_TEXT = (
    '{"result": "[{\\"FILE_INFO\\":\\"749KB\\",\\"NEWS_ID\\":\\"11819680\\",\\"SHORT_TEXT\\":'
    '\\"Announcements and Notices - [Interim Results]<br/>\\",\\"TOTAL_COUNT\\":\\"1101\\",'
    '\\"DOD_WEB_PATH\\":\\"\\",\\"STOCK_NAME\\":\\"WISDOM WEALTH\\",\\"TITLE\\":\\"ANNOUNCEMENT OF '
    'UNAUDITED INTERIM RESULTS\\\\nFOR THE SIX MONTHS ENDED 30 JUNE 2025\\",\\"FILE_TYPE\\":\\"PDF\\",'
    '\\"DATE_TIME\\":\\"29/08/2025 21:42\\",\\"LONG_TEXT\\":\\"Announcements and Notices - [Interim '
    'Results]\\",\\"STOCK_CODE\\":\\"00007\\",\\"FILE_LINK\\":\\"/listedco/listconews/sehk/2025/0829/'
    '2025082903326.pdf\\"}]",\n "hasNextRow": false, "rowRange": 100, "loadedRecord": 1, "recordCnt": 1, '
    '"lang": "E"}'
)
SAMPLE_ACTIVE_STOCKS: list[dict[str, Any]] = [
    {"i": 7609, "c": "00700", "n": "TENCENT", "s": 15375},
    {"i": 1000020, "c": "00020", "n": "SENSETIME-W", "s": 1},
    {"i": 1000021, "c": "80020", "n": "SENSETIME-WR", "s": 2},
    {"i": 1002512, "c": "02512", "n": "CLOUD FACTORY", "s": 3},
]
PLACEHOLDER_HTML = (
    b"<html><head><meta http-equiv='Content-Type' content='text/html; charset=utf-8'></head><body>"
    b"<p>An announcement has just been published by the issuer in the Chinese section of this website, "
    b"a corresponding version of which may or may not be published in this section.</p></body></html>"
)
MAINTENANCE_HTML = (
    b"<!DOCTYPE html><html><head><title>HKEXnews - System Maintenance</title></head>"
    b"<body><h1>The system is under maintenance</h1></body></html>"
)


def pdf_bytes(label: str = "doc", size: int = 0) -> bytes:
    """A minimal PDF-looking body (the client checks the signature, not the content)."""
    body = b"%PDF-1.4\n% " + label.encode() + b"\n"
    return body + b"0" * max(0, size - len(body)) + b"\n%%EOF\n"


def web_path(day: date, seq: int, *, board: str = "sehk", chinese: bool = False, ext: str = "pdf") -> str:
    """``/listedco/listconews/sehk/2026/0410/2026041001769.pdf`` (``_c`` for Chinese)."""
    suffix = "_c" if chinese else ""
    return f"/listedco/listconews/{board}/{day:%Y}/{day:%m%d}/{day:%Y%m%d}{seq:05d}{suffix}.{ext}"


def rel_time(when: datetime) -> str:
    return when.astimezone(HKT).strftime("%d/%m/%Y %H:%M")


def feed_item(
    news_id: int,
    stocks: Sequence[tuple[str, str]],
    title: str,
    *,
    path: str,
    when: datetime | str = "10/04/2026 22:55",
    categories: str = "Other",
    headline: str = "Announcements and Notices",
    t1: str = "10000",
    t2: str = "NaN",
    ext: str = "pdf",
    size: str = "374KB",
    market: str = "SEHK",
    revision: str = "",
) -> dict[str, Any]:
    """One ``newsInfoLst`` entry; ``categories`` is the bracket content, e.g. ``"A / B"`` (empty: a
    headline-only text such as ``"Monthly Returns"``); ``revision`` prefixes ``sTxt``."""
    text = f"{headline} - [{categories}]" if categories else headline
    return {
        "newsId": news_id,
        "lTxt": text,
        "sTxt": revision + text,
        "title": title,
        "ext": ext,
        "size": size,
        "webPath": path,
        "market": market,
        "multi": 1 if len(stocks) > 1 else 0,
        "stock": [{"sc": c, "sn": n} for c, n in stocks],
        "relTime": when if isinstance(when, str) else rel_time(when),
        "t1Code": t1,
        "t2Code": t2,
    }


def feed_page(
    items: Sequence[dict[str, Any]], *, pages: int = 1, gen_ms: int = 1775836800475
) -> dict[str, Any]:
    """A latest-feed page: ``genDate`` is a string of epoch ms, ``maxNumOfFile`` the page count."""
    return {"genDate": str(gen_ms), "maxNumOfFile": pages, "newsInfoLst": list(items)}


def title_row(
    news_id: int,
    codes: Sequence[str],
    names: Sequence[str],
    title: str,
    *,
    path: str,
    when: datetime | str = "29/08/2025 21:42",
    categories: str = "Interim Results",
    file_type: str = "PDF",
    size: str = "749KB",
    total: int = 1,
    headline: str = "Announcements and Notices",
    revision: str = "",
) -> dict[str, str]:
    """One title-search row: every value a string, counters joined with ``<br/>``; ``revision``
    prefixes ``SHORT_TEXT`` (e.g. ``"(Headlines Revised) "``)."""
    text = f"{headline} - [{categories}]" if categories else headline
    return {
        "FILE_INFO": size,
        "NEWS_ID": str(news_id),
        "SHORT_TEXT": revision + text + "<br/>",
        "TOTAL_COUNT": str(total),
        "DOD_WEB_PATH": "",
        "STOCK_NAME": "<br/>".join(names),
        "TITLE": title,
        "FILE_TYPE": file_type,
        "DATE_TIME": when if isinstance(when, str) else rel_time(when),
        "LONG_TEXT": text,
        "STOCK_CODE": "<br/>".join(codes),
        "FILE_LINK": path,
    }


def title_answer(
    rows: Sequence[dict[str, str]] | None,
    *,
    has_next: bool,
    row_range: int = 100,
    total: int | None = None,
    lang: str = "E",
) -> dict[str, Any]:
    """A title-search answer; ``rows=None`` gives the ``"null"`` string HKEXnews sometimes sends."""
    result = "null" if rows is None else json.dumps(list(rows))
    n = 0 if rows is None else len(rows)
    return {
        "result": result,
        "hasNextRow": has_next,
        "rowRange": row_range,
        "loadedRecord": n,
        "recordCnt": n if total is None else total,
        "lang": lang,
    }


def real_answer_text(answer: dict[str, Any]) -> bytes:
    """An answer as the servlet writes it: extra keys, and ``<``/``&`` escaped as ``\\u003c``/``\\u0026``."""
    text = json.dumps({**answer, "sortList": "[[0,0]]"}, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace("&", "\\u0026").encode()


def active_stocks(rows: Sequence[tuple[int, str, str]]) -> list[dict[str, Any]]:
    return [{"i": i, "c": c, "n": n, "s": k} for k, (i, c, n) in enumerate(rows)]
