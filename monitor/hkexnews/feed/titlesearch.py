"""One answer of the per-stock title search (``titleSearchServlet.do``, hkexnews.md section 2)
validated and read into ``Filing`` records: pure, no network, no clock. ``result`` is JSON inside
JSON and may be ``"null"``; a shape that differs raises ``FeedShapeError``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from monitor.errors import FeedShapeError
from monitor.filing import Filing
from monitor.hkexnews.feed.fields import require_count, require_key, split_multi_counter
from monitor.hkexnews.feed.records import build_filing, document_url, pair_names, parse_news_id


@dataclass(frozen=True)
class TitleSearchPage:
    """One title-search answer: the first ``row_range`` rows (cumulative).

    ``unconfirmed``: HKEXnews answered ``"null"`` with ``recordCnt`` 0, which clients read either
    as "no rows" or "query refused": no rows, but not proof that there are none.
    """

    url: str
    filings: tuple[Filing, ...]
    has_next_row: bool
    row_range: int
    loaded: int
    total: int
    unconfirmed: bool = False



_TITLE_ROW_KEYS = ("NEWS_ID", "STOCK_CODE", "STOCK_NAME", "TITLE", "DATE_TIME", "LONG_TEXT", "FILE_LINK")


def _is_null(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "null")


def parse_title_search(obj: Any, url: str) -> TitleSearchPage:
    """Validate one title-search answer; ``result`` is a JSON array encoded as a string.

    ``result == "null"`` with ``recordCnt`` 0 is "no rows, unconfirmed" (``unconfirmed=True``);
    with rows counted it is a refusal and raises ``FeedShapeError``. Unknown keys (``sortList``)
    are ignored; ``\\u003c``-style escapes are plain JSON.
    """
    if not isinstance(obj, Mapping):
        raise FeedShapeError(f"{url}: expected a JSON object, got {type(obj).__name__}", url=url)
    raw = require_key(obj, "result", url)
    has_next = require_key(obj, "hasNextRow", url)
    if not isinstance(has_next, bool):
        raise FeedShapeError(f"{url}: 'hasNextRow' should be true/false, got {has_next!r}", url=url)
    row_range = require_count(obj, "rowRange", url)
    loaded = require_count(obj, "loadedRecord", url)
    total = require_count(obj, "recordCnt", url)
    if _is_null(raw):
        if total:
            raise FeedShapeError(f"{url}: 'result' is {raw!r} but recordCnt is {total}: HKEXnews refused "
                                 f"the query without saying why (a date range over 12 months?)", url=url)
        return TitleSearchPage(url=url, filings=(), has_next_row=False, row_range=row_range, loaded=0,
                               total=0, unconfirmed=True)
    if not isinstance(raw, str):
        raise FeedShapeError(f"{url}: 'result' should be a JSON string, got {type(raw).__name__}", url=url)
    try:
        rows = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise FeedShapeError(f"{url}: 'result' is not a JSON array: {raw[:80]!r}: {exc}", url=url) from exc
    if not isinstance(rows, list):
        raise FeedShapeError(f"{url}: 'result' should hold a list, got {type(rows).__name__}", url=url)
    filings: list[Filing] = []
    for i, row in enumerate(rows):
        where = f"result[{i}]: "
        if not isinstance(row, Mapping):
            raise FeedShapeError(f"{url}: {where}expected an object, got {row!r:.80}", url=url)
        for key in _TITLE_ROW_KEYS:
            require_key(row, key, url, where)
        try:
            news_id = parse_news_id(row["NEWS_ID"])
            link = str(row["FILE_LINK"])
            pairs = pair_names(split_multi_counter(str(row["STOCK_CODE"])),
                                split_multi_counter(str(row["STOCK_NAME"])))
            filings.append(build_filing(
                news_id=news_id, web_path=link, doc_url=document_url(url, link), pairs=pairs,
                title=str(row["TITLE"]), long_text=str(row["LONG_TEXT"]),
                short_text=str(row.get("SHORT_TEXT") or ""), t1=None, t2=None,
                rel_time=str(row["DATE_TIME"]),
                file_type=str(row.get("FILE_TYPE") or ""), size=row.get("FILE_INFO"), market=None,
            ))
        except (ValueError, TypeError) as exc:
            raise FeedShapeError(f"{url}: {where}(NEWS_ID {row.get('NEWS_ID')!r}) {exc}", url=url) from exc
    return TitleSearchPage(url=url, filings=tuple(filings), has_next_row=has_next, row_range=row_range,
                           loaded=loaded, total=total)
