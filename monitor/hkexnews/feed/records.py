"""One row of an HKEXnews listing as a ``Filing`` record, and many rows folded into one record per
document: pure, no network, no clock. No filing is dropped for its id or category: every row is a
filing; a row whose values break the documented shape raises ``ValueError`` for its page's parser
to report with the URL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from urllib.parse import urljoin

from monitor.filing import Filing
from monitor.hkexnews.feed.categories import classify, headline_t1_codes, reclassify, split_categories
from monitor.hkexnews.feed.fields import (
    EXTRA_REVISION,
    board_of,
    document_stem,
    headline_revision,
    is_chinese_path,
    is_placeholder_title,
    normalise_stock_code,
    parse_category_codes,
    parse_rel_time,
    parse_size,
    strip_revision,
    unescape_title,
)

log = logging.getLogger(__name__)


def pair_names(codes: Sequence[str], names: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(code, name) pairs of one row's counters; missing names are blank."""
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


def parse_news_id(value: object) -> int:
    """A row's news id; anything but a positive integer raises ``ValueError``."""
    if isinstance(value, bool) or not str(value).strip().isdigit():
        raise ValueError(f"news id {value!r} is not a positive integer")
    return int(str(value).strip())


def build_filing(*, news_id: int, web_path: str, doc_url: str, pairs: Iterable[tuple[str, str]], title: str,
           long_text: str, short_text: str, t1: object, t2: object, rel_time: str, file_type: str,
           size: object, market: str | None) -> Filing:
    """One row of either listing (a feed item or a title-search row) as a ``Filing``."""
    codes, names = _stocks(pairs)
    categories = split_categories(long_text)
    t1_code = ",".join(parse_category_codes(t1))
    t2_codes = parse_category_codes(t2)
    clean_title = unescape_title(title)
    revision = headline_revision(short_text, long_text, title)
    stripped, _ = strip_revision(clean_title)
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


def document_url(page_url: str, web_path: str) -> str:
    """The absolute document address of a row's path, relative to the page that listed it."""
    if not web_path.strip():
        raise ValueError("empty document path")
    return urljoin(page_url, web_path.strip())


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
            g = reclassify(g)
        merged[f.id] = g
    return tuple(merged.values())
