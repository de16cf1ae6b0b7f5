"""Turn HKEXnews answers into ``Filing`` records: pure functions, no network, no clock.

Every quirk of the documented shapes (multi-counter ``<br/>`` codes, HTML entities, ``"NaN"``
codes, comma lists, test postings, JSON inside JSON, HTML maintenance pages) has its own named
function here. A shape that differs from the documented one raises ``FeedShapeError`` naming the
URL and what was wrong: it is never returned as "no new filings".
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

from monitor.errors import FeedShapeError
from monitor.filing import HKT, Filing, FilingKind
from monitor.settings import normalise_code
from monitor.urls import chinese_variant

__all__ = [
    "FeedPage", "TitleSearchPage", "classify", "board_of", "document_stem", "is_chinese_placeholder",
    "is_test_posting", "load_json_body", "merge_filings", "normalise_stock_code", "parse_active_stocks",
    "parse_latest_page", "parse_rel_time", "parse_size", "parse_t2_codes", "parse_title_search",
    "split_categories", "split_multi_counter", "unescape_title",
]

log = logging.getLogger(__name__)

TEST_T1_CODE = "51500"
TEST_NEWS_ID_FLOOR = 9_000_000
# Real news ids are 8 digits now (11,819,680 on 2025-08-29; 12,102,478 on 2026-04-10) and passed
# 10,000,000 around 2021 at ~460k a year; before that, real ids were in the 9,xxx,xxx band too.
REAL_IDS_ABOVE_10M_SINCE = date(2022, 1, 1)
PLACEHOLDER_PHRASE = "published by the issuer in the chinese section"
PLACEHOLDER_MAX_BYTES = 16 * 1024


@dataclass(frozen=True)
class FeedPage:
    """One page of the latest-filings feed. ``filings`` holds one record per non-test item."""

    url: str
    generated_at: datetime
    page_count: int
    filings: tuple[Filing, ...]
    test_postings: int = 0


@dataclass(frozen=True)
class TitleSearchPage:
    """One title-search answer: the first ``row_range`` rows (cumulative), minus test postings."""

    url: str
    filings: tuple[Filing, ...]
    has_next_row: bool
    row_range: int
    loaded: int
    total: int
    test_postings: int = 0


# -- small named helpers, one per trap ---------------------------------------------------------

_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_WS = re.compile(r"\s+")


def split_multi_counter(value: str) -> tuple[str, ...]:
    """``"00700<br/>80700"`` -> ``("00700", "80700")``; other tags are stripped, blanks dropped."""
    parts = (_TAG.sub("", p).strip() for p in _BR.split(value or ""))
    return tuple(p for p in parts if p)


def unescape_title(value: str) -> str:
    """Unescape HTML entities (``&amp;``, ``&#x2f;``, ``&#x3b;``) and fold newlines to one space."""
    return _WS.sub(" ", html.unescape(value or "")).strip()


def split_categories(long_text: str) -> tuple[str, ...]:
    """``"Announcements and Notices - [Final Results &#x2f; Suspension]"`` -> both labels.

    Unescape first (the slash arrives as ``&#x2f;``), then split each ``[...]`` on `` / ``.
    Text without brackets is one category (headline only).
    """
    text = unescape_title(_BR.sub(" ", long_text or ""))
    text = _TAG.sub("", text)
    groups = re.findall(r"\[([^\]]*)\]", text)
    if not groups:
        return (text,) if text else ()
    out: list[str] = []
    for group in groups:
        for label in group.split(" / "):
            label = label.strip()
            if label and label not in out:
                out.append(label)
    return tuple(out)


def parse_t2_codes(value: object) -> tuple[str, ...]:
    """``"11200,11300"`` -> ``("11200", "11300")``; ``"NaN"`` and blanks are dropped.

    Anything else that is not digits raises ``ValueError``.
    """
    if value is None:
        return ()
    out: list[str] = []
    for part in str(value).split(","):
        part = part.strip()
        if not part or part.lower() == "nan":
            continue
        if not part.isdigit():
            raise ValueError(f"category code {part!r} in {value!r} is not digits")
        out.append(part)
    return tuple(out)


def normalise_stock_code(value: object) -> str:
    """``"20"``/``"00020"`` -> ``"00020"``; ``"NaN"``, blanks and junk raise ``ValueError``."""
    return normalise_code(value)


def parse_rel_time(value: str) -> datetime:
    """``"10/04/2026 22:55"`` (DD/MM/YYYY HH:MM, Hong Kong time) -> aware datetime in HKT."""
    try:
        naive = datetime.strptime(str(value).strip(), "%d/%m/%Y %H:%M")
    except ValueError:
        raise ValueError(f"release time {value!r} is not DD/MM/YYYY HH:MM") from None
    return naive.replace(tzinfo=HKT)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)\s*$", re.IGNORECASE)
_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def parse_size(value: object) -> int | None:
    """``"374KB"`` -> 382976 bytes. Blank or unrecognised -> ``None`` (size is informational only)."""
    m = _SIZE.match(str(value or ""))
    if not m:
        if value:
            log.debug("unrecognised document size %r", value)
        return None
    return int(float(m.group(1)) * _UNITS[m.group(2).upper()])


def document_stem(web_path: str) -> str:
    """``".../2026041001769_c.pdf"`` -> ``"2026041001769"``: the filing id, same for both languages."""
    name = (web_path or "").split("?", 1)[0].rsplit("/", 1)[-1]
    stem, dot, _ext = name.rpartition(".")
    stem = stem.removesuffix("_c").removesuffix("_C")
    if not dot or not stem or not re.fullmatch(r"[A-Za-z0-9_-]+", stem):
        raise ValueError(f"no document name in path {web_path!r}")
    return stem


def is_chinese_path(web_path: str) -> bool:
    """True for the Chinese document of a filing (``..._c.pdf``)."""
    name = (web_path or "").split("?", 1)[0].rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0].lower().endswith("_c")


def is_test_posting(t1_code: object, news_id: int, released_at: datetime | None = None) -> bool:
    """HKEXnews test postings: headline code 51500, or a news id of 9,000,000 or more that starts
    with 9 (9,xxx,xxx; 9x,xxx,xxx).

    Read literally, "news id >= 9,000,000" would drop every current filing (real ids are
    ~12,100,000 in 2026), so only ids starting with 9 count; and a 9,xxx,xxx id released
    before 2022, when real ids were in that band, is real.
    """
    if str(t1_code or "").strip() == TEST_T1_CODE:
        return True
    if news_id < TEST_NEWS_ID_FLOOR or not str(news_id).startswith("9"):
        return False
    if news_id < 10_000_000 and released_at is not None:
        return released_at.date() >= REAL_IDS_ABOVE_10M_SINCE
    return True


def is_chinese_placeholder(body: bytes, content_type: str | None = None) -> bool:
    """True for the ~1 KB English HTM page saying the filing is only in the Chinese section."""
    if len(body) > PLACEHOLDER_MAX_BYTES or body.lstrip()[:5] == b"%PDF-":
        return False
    if content_type and not any(t in content_type.lower() for t in ("html", "text")):
        return False
    text = _WS.sub(" ", _TAG.sub(" ", body.decode("utf-8", "replace"))).lower()
    return PLACEHOLDER_PHRASE in text


def board_of(web_path: str, market: str | None = None) -> str:
    """``"gem"`` when the market says GEM or the document lives under ``/gem/``, else ``"sehk"``."""
    if (market or "").strip().upper() == "GEM" or "/gem/" in (web_path or "").lower():
        return "gem"
    return "sehk"


def load_json_body(body: bytes, content_type: str | None, url: str) -> Any:
    """Decode a JSON answer; an HTML page (maintenance, block page) or junk raises ``FeedShapeError``.

    The body decides, not the Content-Type: JSON served as text/html is still accepted.
    """
    head = body.lstrip()[:200]
    if head[:1] != b"<":
        try:
            return json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            if "html" not in (content_type or "").lower():
                raise FeedShapeError(f"{url}: expected JSON, got {len(body)} bytes starting {head[:80]!r}: "
                                     f"{exc}", url=url) from exc
    title = re.search(rb"<title[^>]*>(.*?)</title>", body[:4096], re.IGNORECASE | re.DOTALL)
    what = f" titled {title.group(1).decode('utf-8', 'replace').strip()!r}" if title else ""
    raise FeedShapeError(f"{url}: expected JSON, got an HTML page{what} "
                         f"(maintenance or block page?): {head[:80]!r}", url=url)


# -- classification: codes and title together -------------------------------------------------

_KIND_BY_T2 = {
    "13300": FilingKind.FINAL_RESULTS, "13400": FilingKind.INTERIM_RESULTS,
    "13600": FilingKind.QUARTERLY_RESULTS, "13500": FilingKind.PROFIT_WARNING,
    "13150": FilingKind.BOARD_MEETING, "13250": FilingKind.DIVIDEND,
}
_KIND_BY_CATEGORY = {
    "final results": FilingKind.FINAL_RESULTS, "interim results": FilingKind.INTERIM_RESULTS,
    "quarterly results": FilingKind.QUARTERLY_RESULTS, "profit warning": FilingKind.PROFIT_WARNING,
    "date of board meeting": FilingKind.BOARD_MEETING, "dividend or distribution": FilingKind.DIVIDEND,
}
# When several signals agree on nothing, results beat the rest (missing one costs most).
_PRIORITY = (FilingKind.FINAL_RESULTS, FilingKind.INTERIM_RESULTS, FilingKind.QUARTERLY_RESULTS,
             FilingKind.PROFIT_WARNING, FilingKind.BOARD_MEETING, FilingKind.DIVIDEND)

_T_BOARD_MEETING = re.compile(r"\bBOARD MEETING\b")
_T_PROFIT_WARNING = re.compile(r"\b(PROFIT|LOSS) (WARNING|ALERT)\b|\bPOSITIVE PROFIT\b")
# About results but not the results themselves: AGM polls, delays, corrections, supplements.
_T_NOT_RESULTS = re.compile(
    r"\b(POLL|VOTING) RESULTS?\b|\bSUPPLEMENT(AL|ARY)\b|\bCLARIFICATION\b|\bDELAY(ED)?\b"
    r"|\bRESULTS? OF (THE )?(\d{4} )?((ANNUAL|EXTRAORDINARY|SPECIAL|CLASS) )*GENERAL MEETINGS?\b"
    r"|\bPOSTPONE(D|MENT)?\b|\bCHANGE (IN|OF) (THE )?DATE\b|\bCORRECTION\b|\bERRATUM\b"
    r"|\bRESULTS? OF (THE )?([A-Z]+ ){0,3}(OFFER|ISSUE|ALLOTMENT|TENDER|PLACING|SUBSCRIPTION)S?\b")
_FILLER = r"(?:(?:UNAUDITED|AUDITED|CONDENSED|CONSOLIDATED|PRELIMINARY|GROUP|COMBINED)\s+)*"
_T_NAMED = re.compile(
    r"\b(ANNUAL|FINAL|INTERIM|HALF[- ]YEAR(?:LY)?|QUARTERLY|Q[1-4]"
    r"|(?:FIRST|SECOND|THIRD|FOURTH|1ST|2ND|3RD|4TH)\s+QUARTER(?:LY)?)\s+" + _FILLER + r"RESULTS\b")
_T_PERIOD = re.compile(
    r"\bRESULTS\b(?:\s+ANNOUNCEMENT)?\s+(?:FOR|OF)\s+THE\s+(?:FINANCIAL\s+)?"
    r"(YEAR|TWELVE MONTHS|12 MONTHS|SIX MONTHS|6 MONTHS|HALF[- ]YEAR|INTERIM PERIOD|THREE MONTHS|3 MONTHS"
    r"|NINE MONTHS|9 MONTHS|(?:FIRST|THIRD) QUARTER|QUARTER)\b")


def _results_kind_in_title(title: str) -> FilingKind | None:
    m = _T_NAMED.search(title) or _T_PERIOD.search(title)
    if not m:
        return None
    word = m.group(1)
    if word.startswith(("ANNUAL", "FINAL", "YEAR", "TWELVE", "12")):
        return FilingKind.FINAL_RESULTS
    if word.startswith(("INTERIM", "HALF", "SIX", "6")):
        return FilingKind.INTERIM_RESULTS
    return FilingKind.QUARTERLY_RESULTS


def classify(t1_code: str, t2_codes: Sequence[str], categories: Sequence[str], title: str) -> FilingKind:
    """What a filing is, from its category codes, category labels and title together.

    Issuers pick their own categories, so the title decides when it is explicit: a board-meeting
    notice that mentions results is a board meeting; "INTERIM RESULTS" filed under Other is
    interim; "ANNUAL RESULTS" filed under Interim Results is final. AGM poll results, delays and
    supplements are never results. Otherwise the codes/labels decide (results first).
    """
    t = unescape_title(title).upper()
    if _T_BOARD_MEETING.search(t):
        return FilingKind.BOARD_MEETING
    if _T_PROFIT_WARNING.search(t):
        return FilingKind.PROFIT_WARNING
    not_results = bool(_T_NOT_RESULTS.search(t))
    if not not_results:
        by_title = _results_kind_in_title(t)
        if by_title is not None:
            return by_title
    signals = {_KIND_BY_T2[c] for c in t2_codes if c in _KIND_BY_T2}
    labels = (c.strip().lower() for c in categories)
    signals |= {_KIND_BY_CATEGORY[c] for c in labels if c in _KIND_BY_CATEGORY}
    if not_results:
        signals = {k for k in signals if not k.is_results}
    for kind in _PRIORITY:
        if kind in signals:
            return kind
    if re.search(r"\bDIVIDEND\b", t) and not not_results:
        return FilingKind.DIVIDEND
    return FilingKind.OTHER


# -- records -----------------------------------------------------------------------------------

def _pair_names(codes: Sequence[str], names: Sequence[str]) -> tuple[tuple[str, str], ...]:
    padded = list(names) + [""] * (len(codes) - len(names))
    return tuple(zip(codes, padded[: len(codes)], strict=True))


def _stocks(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Normalise codes, dropping "NaN"/junk codes (a filing without a valid code matches no watch)."""
    codes: list[str] = []
    names: list[str] = []
    for raw_code, name in pairs:
        try:
            code = normalise_stock_code(raw_code)
        except ValueError:
            log.debug("dropping stock code %r (%r): not a stock code", raw_code, name)
            continue
        if code not in codes:
            codes.append(code)
            names.append(unescape_title(name))
    return tuple(codes), tuple(names)


def _news_id(value: object) -> int:
    if isinstance(value, bool) or not str(value).strip().isdigit():
        raise ValueError(f"news id {value!r} is not a positive integer")
    return int(str(value).strip())


def _build(*, news_id: int, web_path: str, doc_url: str, pairs: Iterable[tuple[str, str]], title: str,
           long_text: str, t1: object, t2: object, rel_time: str, file_type: str, size: object,
           market: str | None) -> Filing:
    codes, names = _stocks(pairs)
    categories = split_categories(long_text)
    t1_code = "" if str(t1 or "").strip().lower() in ("", "nan") else str(t1).strip()
    t2_codes = parse_t2_codes(t2)
    clean_title = unescape_title(title)
    return Filing(
        id=document_stem(web_path), news_id=news_id, stock_codes=codes, stock_names=names,
        title=clean_title, categories=categories, t1_code=t1_code, t2_codes=t2_codes,
        released_at=parse_rel_time(rel_time), url=doc_url, file_type=(file_type or "").strip().upper(),
        size_bytes=parse_size(size), kind=classify(t1_code, t2_codes, categories, clean_title),
        board=board_of(web_path, market), zh_url=chinese_variant(doc_url),
    )


def _maybe_time(value: object) -> datetime | None:
    try:
        return parse_rel_time(str(value))
    except ValueError:
        return None


def _require(obj: Mapping[str, Any], key: str, url: str, where: str = "") -> Any:
    if key not in obj:
        raise FeedShapeError(f"{url}: {where}missing key {key!r} (keys: {sorted(obj)[:20]})", url=url)
    return obj[key]


def _count(obj: Mapping[str, Any], key: str, url: str) -> int:
    value = _require(obj, key, url)
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
        raise FeedShapeError(f"{url}: {key!r} should be a non-negative integer, got {value!r}", url=url)
    return int(value)


def parse_latest_page(obj: Any, url: str) -> FeedPage:
    """Validate and normalise one latest-feed page (``genDate``, ``maxNumOfFile``, ``newsInfoLst``)."""
    if not isinstance(obj, Mapping):
        raise FeedShapeError(f"{url}: expected a JSON object, got {type(obj).__name__}", url=url)
    gen = _count(obj, "genDate", url)
    pages = _count(obj, "maxNumOfFile", url)
    items = _require(obj, "newsInfoLst", url)
    if not isinstance(items, list):
        raise FeedShapeError(f"{url}: 'newsInfoLst' should be a list, got {type(items).__name__}", url=url)
    filings: list[Filing] = []
    tests = 0
    for i, item in enumerate(items):
        where = f"newsInfoLst[{i}]: "
        if not isinstance(item, Mapping):
            raise FeedShapeError(f"{url}: {where}expected an object, got {item!r:.80}", url=url)
        try:
            news_id = _news_id(_require(item, "newsId", url, where))
            where = f"newsInfoLst[{i}] (newsId {news_id}): "
            if is_test_posting(item.get("t1Code"), news_id, _maybe_time(item.get("relTime"))):
                tests += 1
                continue
            stock = _require(item, "stock", url, where)
            if not isinstance(stock, list) or not all(isinstance(s, Mapping) for s in stock):
                raise ValueError(f"'stock' should be a list of objects, got {stock!r:.120}")
            pairs = [pair for s in stock for pair in _pair_names(split_multi_counter(str(s.get("sc", ""))),
                                                                 split_multi_counter(str(s.get("sn", ""))))]
            web_path = str(_require(item, "webPath", url, where))
            filings.append(_build(
                news_id=news_id, web_path=web_path, doc_url=_join(url, web_path), pairs=pairs,
                title=str(_require(item, "title", url, where)), long_text=str(item.get("lTxt") or ""),
                t1=item.get("t1Code"), t2=item.get("t2Code"),
                rel_time=str(_require(item, "relTime", url, where)),
                file_type=str(item.get("ext") or ""), size=item.get("size"), market=item.get("market"),
            ))
        except FeedShapeError:
            raise
        except (ValueError, TypeError) as exc:
            raise FeedShapeError(f"{url}: {where}{exc}", url=url) from exc
    generated = datetime.fromtimestamp(gen / 1000, tz=HKT)
    return FeedPage(url=url, generated_at=generated, page_count=pages, filings=tuple(filings),
                    test_postings=tests)


def _join(page_url: str, web_path: str) -> str:
    if not web_path.strip():
        raise ValueError("empty document path")
    return urljoin(page_url, web_path.strip())


_TITLE_ROW_KEYS = ("NEWS_ID", "STOCK_CODE", "STOCK_NAME", "TITLE", "DATE_TIME", "LONG_TEXT", "FILE_LINK")


def parse_title_search(obj: Any, url: str) -> TitleSearchPage:
    """Validate one title-search answer; ``result`` is a JSON array encoded as a string.

    ``result == "null"`` raises ``FeedShapeError``: the servlet gives no reason, so the caller
    skips the cycle rather than report "no filings".
    """
    if not isinstance(obj, Mapping):
        raise FeedShapeError(f"{url}: expected a JSON object, got {type(obj).__name__}", url=url)
    raw = _require(obj, "result", url)
    has_next = _require(obj, "hasNextRow", url)
    if not isinstance(has_next, bool):
        raise FeedShapeError(f"{url}: 'hasNextRow' should be true/false, got {has_next!r}", url=url)
    row_range = _count(obj, "rowRange", url)
    loaded = _count(obj, "loadedRecord", url)
    total = _count(obj, "recordCnt", url)
    if raw is None or (isinstance(raw, str) and raw.strip() == "null"):
        raise FeedShapeError(f"{url}: 'result' is {raw!r} (recordCnt {total}); HKEXnews gave no rows and "
                             f"no reason, so this is not taken as 'no filings'", url=url)
    if not isinstance(raw, str):
        raise FeedShapeError(f"{url}: 'result' should be a JSON string, got {type(raw).__name__}", url=url)
    try:
        rows = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise FeedShapeError(f"{url}: 'result' is not a JSON array: {raw[:80]!r}: {exc}", url=url) from exc
    if not isinstance(rows, list):
        raise FeedShapeError(f"{url}: 'result' should hold a list, got {type(rows).__name__}", url=url)
    filings: list[Filing] = []
    tests = 0
    for i, row in enumerate(rows):
        where = f"result[{i}]: "
        if not isinstance(row, Mapping):
            raise FeedShapeError(f"{url}: {where}expected an object, got {row!r:.80}", url=url)
        for key in _TITLE_ROW_KEYS:
            _require(row, key, url, where)
        try:
            news_id = _news_id(row["NEWS_ID"])
            if is_test_posting("", news_id, _maybe_time(row["DATE_TIME"])):
                tests += 1
                continue
            link = str(row["FILE_LINK"])
            pairs = _pair_names(split_multi_counter(str(row["STOCK_CODE"])),
                                split_multi_counter(str(row["STOCK_NAME"])))
            filings.append(_build(
                news_id=news_id, web_path=link, doc_url=_join(url, link), pairs=pairs,
                title=str(row["TITLE"]), long_text=str(row["LONG_TEXT"]), t1=None, t2=None,
                rel_time=str(row["DATE_TIME"]),
                file_type=str(row.get("FILE_TYPE") or ""), size=row.get("FILE_INFO"), market=None,
            ))
        except (ValueError, TypeError) as exc:
            raise FeedShapeError(f"{url}: {where}(NEWS_ID {row.get('NEWS_ID')!r}) {exc}", url=url) from exc
    return TitleSearchPage(url=url, filings=tuple(filings), has_next_row=has_next, row_range=row_range,
                           loaded=loaded, total=total, test_postings=tests)


def parse_active_stocks(obj: Any, url: str) -> dict[str, int]:
    """The active-stock list ``[{"i": 7609, "c": "00700", "n": "TENCENT"}, ...]`` -> code -> stockId."""
    if not isinstance(obj, list):
        raise FeedShapeError(f"{url}: expected a JSON list of stocks, got {type(obj).__name__}", url=url)
    out: dict[str, int] = {}
    for i, row in enumerate(obj):
        if not isinstance(row, Mapping) or "i" not in row or "c" not in row:
            raise FeedShapeError(f"{url}: [{i}] should be an object with 'i' and 'c', got {row!r:.80}",
                                 url=url)
        sid = row["i"]
        if isinstance(sid, bool) or not str(sid).strip().isdigit():
            raise FeedShapeError(f"{url}: [{i}] stockId 'i' should be an integer, got {sid!r}", url=url)
        try:
            out[normalise_stock_code(row["c"])] = int(sid)
        except ValueError:
            log.debug("active stock list %s: skipping code %r", url, row["c"])
    if obj and not out:
        raise FeedShapeError(f"{url}: no valid stock codes in {len(obj)} rows", url=url)
    return out


def merge_filings(filings: Iterable[Filing]) -> tuple[Filing, ...]:
    """One record per document stem, first-seen order: counters and languages folded together.

    The English record wins for URL, title and news id; codes, names and categories are unioned.
    """
    merged: dict[str, Filing] = {}
    for f in filings:
        prev = merged.get(f.id)
        if prev is None:
            merged[f.id] = f
            continue
        first, other = (f, prev) if is_chinese_path(prev.url) and not is_chinese_path(f.url) else (prev, f)
        pairs = dict(zip(first.stock_codes, first.stock_names, strict=True))
        for code, name in zip(other.stock_codes, other.stock_names, strict=True):
            pairs.setdefault(code, name)
        merged[f.id] = replace(
            first,
            stock_codes=tuple(pairs), stock_names=tuple(pairs.values()),
            categories=tuple(dict.fromkeys(first.categories + other.categories)),
            t2_codes=tuple(dict.fromkeys(first.t2_codes + other.t2_codes)),
            t1_code=first.t1_code or other.t1_code,
            released_at=min(first.released_at, other.released_at),
        )
        g = merged[f.id]
        merged[f.id] = replace(g, kind=classify(g.t1_code, g.t2_codes, g.categories, g.title))
    return tuple(merged.values())
