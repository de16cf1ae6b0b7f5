"""Turn HKEXnews answers into ``Filing`` records: pure functions, no network, no clock.

Every quirk of the documented shapes (multi-counter ``<br/>`` codes, HTML entities, ``"NaN"``
codes, comma lists, JSON inside JSON, ``"null"`` results, revised headlines, Chinese-only
placeholders, HTML maintenance pages) has its own named function here. A shape that differs from
the documented one raises ``FeedShapeError`` naming the URL and what was wrong: it is never
returned as "no new filings". No filing is dropped for its id or category: every row is a filing.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from monitor.errors import FeedShapeError
from monitor.filing import HKT, Filing, FilingKind
from monitor.settings import normalise_code

__all__ = [
    "EXTRA_REVISION", "FeedPage", "TitleSearchPage", "board_of", "category_codes", "classify",
    "document_stem", "headline_revision", "headline_t1_codes", "is_chinese_path", "is_chinese_placeholder",
    "is_placeholder_title", "load_json_body", "merge_filings", "normalise_stock_code", "parse_active_stocks",
    "parse_latest_page", "parse_rel_time", "parse_size", "parse_t2_codes", "parse_title_search",
    "split_categories", "split_multi_counter", "unescape_title",
]

log = logging.getLogger(__name__)

PLACEHOLDER_PHRASE = "published by the issuer in the chinese section"
PLACEHOLDER_MAX_BYTES = 16 * 1024
# ``Filing.extra`` key noting a re-filed headline; its value is one of REVISIONS.
EXTRA_REVISION = "headline_revision"
REVISED, SUPERSEDED = "revised", "superseded"
REVISIONS = (REVISED, SUPERSEDED)


@dataclass(frozen=True)
class FeedPage:
    """One page of the latest-filings feed, one record per item.

    ``gen_date_ms`` is the feed's ``genDate`` (epoch ms of its generation on HKEXnews' clock);
    ``not_modified`` says the page is the cached copy a 304 confirmed unchanged.
    """

    url: str
    generated_at: datetime
    page_count: int
    filings: tuple[Filing, ...]
    gen_date_ms: int = 0
    not_modified: bool = False


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


# -- small named helpers, one per trap ---------------------------------------------------------

_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_WS = re.compile(r"\s+")


def split_multi_counter(value: str) -> tuple[str, ...]:
    """``"00700<br/>80700"`` -> ``("00700", "80700")``; other tags are stripped, blanks dropped."""
    parts = (_TAG.sub("", p).strip() for p in _BR.split(value or ""))
    return tuple(p for p in parts if p)


def unescape_title(value: str) -> str:
    """Strip tags (tooltip HTML), unescape entities (``&amp;``, ``&#x2f;``, ``&#x3b;``), fold
    newlines and runs of spaces to one space. Tags go first, so an escaped ``&lt;`` survives."""
    text = _TAG.sub(" ", _BR.sub(" ", value or ""))
    return _WS.sub(" ", html.unescape(text)).strip()


_REVISION_PREFIXES = (
    (re.compile(r"^\(\s*Headlines?\s+Revised\s*\)\s*", re.IGNORECASE), REVISED),
    (re.compile(r"^\(\s*Cancelled\s+since\s+Headlines?\s+Superseded\s+and\s+Replaced\s*\)\s*",
                re.IGNORECASE), SUPERSEDED),
    (re.compile(r"^[(（]\s*修改後標題\s*[)）]\s*"), REVISED),
)


def _strip_revision(text: str) -> tuple[str, str | None]:
    for pattern, kind in _REVISION_PREFIXES:
        m = pattern.match(text)
        if m:
            return text[m.end():], kind
    return text, None


def headline_revision(*texts: str) -> str | None:
    """``"revised"`` for a "(Headlines Revised)" re-filing, ``"superseded"`` for a "(Cancelled since
    Headlines Superseded and Replaced)" one, else ``None``; the first text carrying a prefix wins
    (SHORT_TEXT, then LONG_TEXT, then the title)."""
    for text in texts:
        _, kind = _strip_revision(unescape_title(text))
        if kind is not None:
            return kind
    return None


def _headline_segments(long_text: str) -> list[str]:
    """Each ``<br/>``-separated "Headline - [labels]" of a LONG_TEXT, cleaned, prefix removed."""
    out = []
    for part in _BR.split(long_text or ""):
        text = unescape_title(part)
        text, _ = _strip_revision(text)
        if text:
            out.append(text)
    return out


def split_categories(long_text: str) -> tuple[str, ...]:
    """``"Announcements and Notices - [Final Results &#x2f; Suspension]"`` -> both labels.

    Unescape first (the slash arrives as ``&#x2f;``), then split each ``[...]`` on `` / ``
    (``中期/半年度報告`` keeps its unspaced slash). Text without brackets (``"Monthly Returns"``)
    is one category. A revised-headline prefix is not a category.
    """
    out: list[str] = []
    for segment in _headline_segments(long_text):
        groups = re.findall(r"\[([^\]]*)\]", segment)
        labels = [label for group in groups for label in group.split(" / ")] if groups else [segment]
        for label in labels:
            label = label.strip()
            if label and label not in out:
                out.append(label)
    return tuple(out)


def parse_t2_codes(value: object) -> tuple[str, ...]:
    """``"11200,11300"`` -> ``("11200", "11300")``; ``"NaN"`` and blanks are dropped.

    Anything else that is not digits raises ``ValueError``. (Also used for ``t1Code``.)
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
    """``".../2026041001769.pdf"`` -> ``"2026041001769"``: the filing id (``_c`` dropped).

    A Chinese document has a number of its own (usually the English one plus 1), so the stem of a
    Chinese path names the Chinese document, not its English twin.
    """
    name = (web_path or "").split("?", 1)[0].rsplit("/", 1)[-1]
    stem, dot, _ext = name.rpartition(".")
    stem = stem.removesuffix("_c").removesuffix("_C")
    if not dot or not stem or not re.fullmatch(r"[A-Za-z0-9_-]+", stem):
        raise ValueError(f"no document name in path {web_path!r}")
    return stem


def is_chinese_path(web_path: str) -> bool:
    """True for a document in the Chinese section (``..._c.pdf``)."""
    name = (web_path or "").split("?", 1)[0].rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0].lower().endswith("_c")


def is_placeholder_title(title: str) -> bool:
    """True for the English listings' generic title of a Chinese-only filing ("An announcement has
    just been published by the issuer in the Chinese section of this website, ...")."""
    return PLACEHOLDER_PHRASE in unescape_title(title).lower()


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


# -- categories: codes and labels (English and Chinese listings) --------------------------------

T1_ANNOUNCEMENTS, T1_FINANCIAL_STATEMENTS = "10000", "40000"
T1_NEXT_DAY_DISCLOSURE, T1_MONTHLY_RETURNS = "50000", "51500"

# Headline (tier-one) labels as both listings spell them, hkexnews.md sections 1 and 4.
_T1_BY_HEADLINE = {
    "announcements and notices": T1_ANNOUNCEMENTS, "公告及通告": T1_ANNOUNCEMENTS,
    "financial statements/esg information": T1_FINANCIAL_STATEMENTS,
    "財務報表/環境、社會及管治資料": T1_FINANCIAL_STATEMENTS,
    "next day disclosure returns": T1_NEXT_DAY_DISCLOSURE, "翌日披露報表": T1_NEXT_DAY_DISCLOSURE,
    "monthly returns": T1_MONTHLY_RETURNS, "月報表": T1_MONTHLY_RETURNS,
}
# Tier-two labels inside ``[...]`` for the categories the monitor tells apart (section 4).
_T2_BY_LABEL = {
    "final results": "13300", "末期業績": "13300",
    "interim results": "13400", "中期業績": "13400",
    "quarterly results": "13600", "季度業績": "13600",
    "profit warning": "13500", "盈利警告": "13500",
    "date of board meeting": "13150", "董事會召開日期": "13150",
    "delay in results announcement": "13200", "延遲發表業績公告": "13200",
    "dividend or distribution": "13250", "股息或分派": "13250",
    "annual report": "40100", "年報": "40100",
    "interim/half-year report": "40200", "中期/半年度報告": "40200",
    "quarterly report": "40300", "季度報告": "40300",
}
_KIND_BY_T1 = {
    T1_MONTHLY_RETURNS: FilingKind.MONTHLY_RETURN, T1_NEXT_DAY_DISCLOSURE: FilingKind.NEXT_DAY_DISCLOSURE,
    T1_FINANCIAL_STATEMENTS: FilingKind.FINANCIAL_REPORT,
}
_KIND_BY_T2 = {
    "13300": FilingKind.FINAL_RESULTS, "13400": FilingKind.INTERIM_RESULTS,
    "13600": FilingKind.QUARTERLY_RESULTS, "13500": FilingKind.PROFIT_WARNING,
    "13150": FilingKind.BOARD_MEETING, "13200": FilingKind.RESULTS_DELAY,
    "13250": FilingKind.DIVIDEND, "13251": FilingKind.DIVIDEND,
    "40100": FilingKind.FINANCIAL_REPORT, "40200": FilingKind.FINANCIAL_REPORT,
    "40300": FilingKind.FINANCIAL_REPORT,
}
# When several signals agree on nothing, results beat the rest (missing one costs most).
_PRIORITY = (FilingKind.FINAL_RESULTS, FilingKind.INTERIM_RESULTS, FilingKind.QUARTERLY_RESULTS,
             FilingKind.PROFIT_WARNING, FilingKind.RESULTS_DELAY, FilingKind.BOARD_MEETING,
             FilingKind.DIVIDEND, FilingKind.FINANCIAL_REPORT, FilingKind.NEXT_DAY_DISCLOSURE,
             FilingKind.MONTHLY_RETURN)


def headline_t1_codes(long_text: str) -> tuple[str, ...]:
    """The tier-one codes a LONG_TEXT's headlines name (title-search rows carry no ``t1Code``):
    ``"Monthly Returns"`` -> ``("51500",)``; unknown headlines give nothing."""
    out: list[str] = []
    for segment in _headline_segments(long_text):
        head = segment.split(" - [", 1)[0].strip().lower()
        code = _T1_BY_HEADLINE.get(head)
        if code is not None and code not in out:
            out.append(code)
    return tuple(out)


def category_codes(filing: Filing) -> frozenset[str]:
    """Every category code a filing carries or its labels name (English or Chinese), tier one and
    two: what two listings of one filing in different languages have in common."""
    codes = set(parse_t2_codes(filing.t1_code)) | set(filing.t2_codes)
    codes |= {_T2_BY_LABEL[c.lower()] for c in filing.categories if c.lower() in _T2_BY_LABEL}
    codes |= {_T1_BY_HEADLINE[c.lower()] for c in filing.categories if c.lower() in _T1_BY_HEADLINE}
    return frozenset(codes)


# -- classification: codes and title together -------------------------------------------------

_T_MONTHLY_RETURN = re.compile(r"\bMONTHLY RETURNS?\b|月報表")
_T_NEXT_DAY = re.compile(r"\bNEXT DAY DISCLOSURE RETURNS?\b|翌日披露報表")
_T_BOARD_MEETING = re.compile(r"\bBOARD MEETING\b|董事會會議")
_T_PROFIT_WARNING = re.compile(r"\b(PROFIT|LOSS) (WARNING|ALERT)\b|\bPOSITIVE PROFIT\b"
                               r"|盈利警告|盈利預警|正面盈利|盈警|盈喜")
# "DELAY IN PUBLICATION OF ANNUAL RESULTS": the delay clause, not crossing an "AND".
_T_DELAY = re.compile(r"\b(?:FURTHER\s+)?(?:DELAY(?:ED|S)?|POSTPONE(?:D|MENT)?)\b"
                      r"(?:(?!\bAND\b)[^.;]){0,80}?\bRESULTS?\b|(?:延遲|押後)[^，。；及]{0,30}?業績")
# About results but not the results themselves: AGM polls, corrections, supplements.
_T_NOT_RESULTS = re.compile(
    r"\b(POLL|VOTING) RESULTS?\b|\bSUPPLEMENT(AL|ARY)\b|\bCLARIFICATION\b"
    r"|\bRESULTS? OF (THE )?(\d{4} )?((ANNUAL|EXTRAORDINARY|SPECIAL|CLASS) )*GENERAL MEETINGS?\b"
    r"|\bCHANGE (IN|OF) (THE )?DATE\b|\bCORRECTION\b|\bERRATUM\b"
    r"|\bRESULTS? OF (THE )?([A-Z]+ ){0,3}(OFFER|ISSUE|ALLOTMENT|TENDER|PLACING|SUBSCRIPTION)S?\b"
    r"|補充|更正|澄清")
_FILLER = r"(?:(?:UNAUDITED|AUDITED|CONDENSED|CONSOLIDATED|PRELIMINARY|GROUP|COMBINED)\s+)*"
_T_NAMED = re.compile(
    r"\b(ANNUAL|FINAL|FULL[- ]YEAR|INTERIM|HALF[- ]YEAR(?:LY)?|QUARTERLY|Q[1-4]"
    r"|(?:FIRST|SECOND|THIRD|FOURTH|1ST|2ND|3RD|4TH)\s+QUARTER(?:LY)?)\s+(?:(?:FY)?\d{4}\s+)?"
    + _FILLER + r"RESULTS\b")
# "RESULTS FOR THE THREE AND SIX MONTHS ENDED": the span named between "FOR THE" and "ENDED".
_T_PERIOD = re.compile(r"\bRESULTS\b(?:\s+ANNOUNCEMENT)?\s+(?:FOR|OF)\s+THE\s+(.{1,80}?)"
                       r"(?=\s+(?:ENDED|ENDING)\b|\s+OF\s+\d{4}|\s+\d{4}|\s*$)")
_SPAN_MONTHS = (
    (re.compile(r"\b(?:YEAR|TWELVE|12|FIFTEEN|15|EIGHTEEN|18)\b"), 12),
    (re.compile(r"\b(?:NINE|9)\b"), 9),
    (re.compile(r"\b(?:SIX|6|HALF[- ]YEAR|INTERIM)\b"), 6),
    (re.compile(r"\b(?:THREE|3|QUARTER)\b"), 3),
)
_ZH_NAMED = (
    (re.compile(r"(?:全年|年度|末期)業績"), 12),
    (re.compile(r"中期業績"), 6),
    (re.compile(r"季度業績|第[一二三四1-4]季度?業績"), 3),
)
_ZH_PERIOD = re.compile(r"止([^止]{1,24}?)業績")
_ZH_SPAN_MONTHS = (
    (re.compile(r"年度|十二個月|12個月"), 12),
    (re.compile(r"九個月|9個月"), 9),
    (re.compile(r"六個月|6個月|半年"), 6),
    (re.compile(r"三個月|3個月|季度"), 3),
)


def _months_of(span: str, table: Sequence[tuple[re.Pattern[str], int]]) -> int:
    span = re.sub(r"HALF[- ]YEAR(?:LY)?", "SIX", span)  # not a "YEAR"
    return max((months for pattern, months in table if pattern.search(span)), default=0)


def results_span_months(title: str) -> int:
    """The longest reporting span a results title names, in months (0: it names none).

    "RESULTS FOR THE THREE AND SIX MONTHS" is 6 (a quarterly reporter's interim); "THREE AND NINE
    MONTHS" is 9; "FOURTH QUARTER AND ANNUAL RESULTS" is 12. Chinese titles likewise
    (``止三個月及六個月之業績``).
    """
    t = unescape_title(title).upper()
    months = 0
    for m in _T_NAMED.finditer(t):
        word = m.group(1)
        months = max(months, 12 if word.startswith(("ANNUAL", "FINAL", "FULL")) else
                     6 if word.startswith(("INTERIM", "HALF")) else 3)
    for m in _T_PERIOD.finditer(t):
        months = max(months, _months_of(m.group(1), _SPAN_MONTHS))
    for pattern, span in _ZH_NAMED:
        if pattern.search(t):
            months = max(months, span)
    for m in _ZH_PERIOD.finditer(t):
        months = max(months, _months_of(m.group(1), _ZH_SPAN_MONTHS))
    return months


def _results_kind_in_title(title: str) -> FilingKind | None:
    months = results_span_months(title)
    if months >= 12:
        return FilingKind.FINAL_RESULTS
    if months == 6:
        return FilingKind.INTERIM_RESULTS
    if months:
        return FilingKind.QUARTERLY_RESULTS
    return None


def classify(t1_code: str, t2_codes: Sequence[str], categories: Sequence[str], title: str) -> FilingKind:
    """What a filing is, from its category codes, category labels and title together.

    ``t1_code`` may be a comma list. Issuers pick their own categories, so the title decides when
    it is explicit: a monthly return or next-day disclosure return is one whatever its codes; a
    board-meeting notice that mentions results is a board meeting; "INTERIM RESULTS" filed under
    Other is interim; a delay in publishing results is a delay unless the title also carries the
    results themselves. AGM poll results and supplements are never results. Otherwise the codes and
    labels decide (results first), then the headline (monthly returns, next-day disclosures,
    financial statements).
    """
    t = unescape_title(title).upper()
    t1_codes = set(parse_t2_codes(t1_code))
    if _T_MONTHLY_RETURN.search(t):
        return FilingKind.MONTHLY_RETURN
    if _T_NEXT_DAY.search(t):
        return FilingKind.NEXT_DAY_DISCLOSURE
    if t1_codes & {T1_MONTHLY_RETURNS, T1_NEXT_DAY_DISCLOSURE}:
        return _KIND_BY_T1[min(t1_codes & {T1_MONTHLY_RETURNS, T1_NEXT_DAY_DISCLOSURE})]
    if _T_BOARD_MEETING.search(t):
        return FilingKind.BOARD_MEETING
    if _T_PROFIT_WARNING.search(t):
        return FilingKind.PROFIT_WARNING
    not_results = bool(_T_NOT_RESULTS.search(t))
    delay = _T_DELAY.search(t)
    if delay is not None:
        rest = t[:delay.start()] + " " + t[delay.end():]
        carried = None if not_results else _results_kind_in_title(rest)
        return carried or FilingKind.RESULTS_DELAY
    if not not_results:
        by_title = _results_kind_in_title(t)
        if by_title is not None:
            return by_title
    labels = {c.strip().lower() for c in categories}
    codes = set(t2_codes) | {_T2_BY_LABEL[c] for c in labels if c in _T2_BY_LABEL}
    codes |= t1_codes | {_T1_BY_HEADLINE[c] for c in labels if c in _T1_BY_HEADLINE}
    signals = {_KIND_BY_T2[c] for c in codes if c in _KIND_BY_T2}
    signals |= {_KIND_BY_T1[c] for c in codes if c in _KIND_BY_T1}
    if not_results:
        signals = {k for k in signals if not k.is_results}
    for kind in _PRIORITY:
        if kind in signals:
            return kind
    if re.search(r"\bDIVIDEND\b|股息", t) and not not_results:
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
           long_text: str, short_text: str, t1: object, t2: object, rel_time: str, file_type: str,
           size: object, market: str | None) -> Filing:
    codes, names = _stocks(pairs)
    categories = split_categories(long_text)
    t1_code = ",".join(parse_t2_codes(t1))
    t2_codes = parse_t2_codes(t2)
    clean_title = unescape_title(title)
    revision = headline_revision(short_text, long_text, title)
    stripped, _ = _strip_revision(clean_title)
    clean_title = stripped or clean_title
    kind_t1 = t1_code or ",".join(headline_t1_codes(long_text))
    return Filing(
        id=document_stem(web_path), news_id=news_id, stock_codes=codes, stock_names=names,
        title=clean_title, categories=categories, t1_code=t1_code, t2_codes=t2_codes,
        released_at=parse_rel_time(rel_time), url=doc_url, file_type=(file_type or "").strip().upper(),
        size_bytes=parse_size(size), kind=classify(kind_t1, t2_codes, categories, clean_title),
        board=board_of(web_path, market), zh_url=doc_url if is_chinese_path(web_path) else None,
        extra=((EXTRA_REVISION, revision),) if revision else (),
        chinese_only=is_placeholder_title(clean_title),
    )


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
    """Validate and normalise one latest-feed page (``genDate``, ``maxNumOfFile``, ``newsInfoLst``);
    English (``...relsde_``) and Chinese (``...relsdc_``) feeds share the shape."""
    if not isinstance(obj, Mapping):
        raise FeedShapeError(f"{url}: expected a JSON object, got {type(obj).__name__}", url=url)
    gen = _count(obj, "genDate", url)
    pages = _count(obj, "maxNumOfFile", url)
    items = _require(obj, "newsInfoLst", url)
    if not isinstance(items, list):
        raise FeedShapeError(f"{url}: 'newsInfoLst' should be a list, got {type(items).__name__}", url=url)
    filings: list[Filing] = []
    for i, item in enumerate(items):
        where = f"newsInfoLst[{i}]: "
        if not isinstance(item, Mapping):
            raise FeedShapeError(f"{url}: {where}expected an object, got {item!r:.80}", url=url)
        try:
            news_id = _news_id(_require(item, "newsId", url, where))
            where = f"newsInfoLst[{i}] (newsId {news_id}): "
            stock = _require(item, "stock", url, where)
            if not isinstance(stock, list) or not all(isinstance(s, Mapping) for s in stock):
                raise ValueError(f"'stock' should be a list of objects, got {stock!r:.120}")
            pairs = [pair for s in stock for pair in _pair_names(split_multi_counter(str(s.get("sc", ""))),
                                                                 split_multi_counter(str(s.get("sn", ""))))]
            web_path = str(_require(item, "webPath", url, where))
            filings.append(_build(
                news_id=news_id, web_path=web_path, doc_url=_join(url, web_path), pairs=pairs,
                title=str(_require(item, "title", url, where)), long_text=str(item.get("lTxt") or ""),
                short_text=str(item.get("sTxt") or ""), t1=item.get("t1Code"), t2=item.get("t2Code"),
                rel_time=str(_require(item, "relTime", url, where)),
                file_type=str(item.get("ext") or ""), size=item.get("size"), market=item.get("market"),
            ))
        except FeedShapeError:
            raise
        except (ValueError, TypeError) as exc:
            raise FeedShapeError(f"{url}: {where}{exc}", url=url) from exc
    generated = datetime.fromtimestamp(gen / 1000, tz=HKT)
    return FeedPage(url=url, generated_at=generated, page_count=pages, filings=tuple(filings),
                    gen_date_ms=gen)


def _join(page_url: str, web_path: str) -> str:
    if not web_path.strip():
        raise ValueError("empty document path")
    return urljoin(page_url, web_path.strip())


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
    raw = _require(obj, "result", url)
    has_next = _require(obj, "hasNextRow", url)
    if not isinstance(has_next, bool):
        raise FeedShapeError(f"{url}: 'hasNextRow' should be true/false, got {has_next!r}", url=url)
    row_range = _count(obj, "rowRange", url)
    loaded = _count(obj, "loadedRecord", url)
    total = _count(obj, "recordCnt", url)
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
            _require(row, key, url, where)
        try:
            news_id = _news_id(row["NEWS_ID"])
            link = str(row["FILE_LINK"])
            pairs = _pair_names(split_multi_counter(str(row["STOCK_CODE"])),
                                split_multi_counter(str(row["STOCK_NAME"])))
            filings.append(_build(
                news_id=news_id, web_path=link, doc_url=_join(url, link), pairs=pairs,
                title=str(row["TITLE"]), long_text=str(row["LONG_TEXT"]),
                short_text=str(row.get("SHORT_TEXT") or ""), t1=None, t2=None,
                rel_time=str(row["DATE_TIME"]),
                file_type=str(row.get("FILE_TYPE") or ""), size=row.get("FILE_INFO"), market=None,
            ))
        except (ValueError, TypeError) as exc:
            raise FeedShapeError(f"{url}: {where}(NEWS_ID {row.get('NEWS_ID')!r}) {exc}", url=url) from exc
    return TitleSearchPage(url=url, filings=tuple(filings), has_next_row=has_next, row_range=row_range,
                           loaded=loaded, total=total)


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
    """One record per document stem, first-seen order: counters (and rows listing one document
    twice, e.g. an original and its revised headline) folded together.

    An English record wins over a Chinese one for URL, title and news id; codes, names,
    categories and notes are unioned.
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
        regrouped = other.categories != first.categories or other.t2_codes != first.t2_codes
        g = replace(
            first,
            stock_codes=tuple(pairs), stock_names=tuple(pairs.values()),
            categories=tuple(dict.fromkeys(first.categories + other.categories)),
            t2_codes=tuple(dict.fromkeys(first.t2_codes + other.t2_codes)),
            t1_code=first.t1_code or other.t1_code,
            released_at=min(first.released_at, other.released_at),
            zh_url=first.zh_url or other.zh_url,
            extra=tuple(dict.fromkeys(first.extra + other.extra)),
        )
        if regrouped:
            kind_t1 = ",".join(c for c in category_codes(g) if c in _KIND_BY_T1)
            g = replace(g, kind=classify(kind_t1, g.t2_codes, g.categories, g.title))
        merged[f.id] = g
    return tuple(merged.values())
