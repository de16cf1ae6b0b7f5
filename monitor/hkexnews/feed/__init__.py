"""HKEXnews answers read into ``Filing`` records: pure functions, no network, no clock.

Every quirk of the documented shapes (multi-counter ``<br/>`` codes, HTML entities, ``"NaN"``
codes, comma lists, JSON inside JSON, ``"null"`` results, revised headlines, Chinese-only
placeholders, HTML maintenance pages) has its own named function. A shape that differs from the
documented one raises ``FeedShapeError`` naming the URL and what was wrong: it is never returned as
"no new filings". No filing is dropped for its id or category: every row is a filing.

- ``fields``: one value of a row (codes, titles, times, paths, sizes) and the shared shape checks;
- ``categories``: category codes and labels, and the kind of filing they and the title decide;
- ``records``: one row as a ``Filing``, many rows folded into one record per document;
- ``latest``, ``titlesearch``, ``stocklist``: one answer of each endpoint.
"""

from monitor.hkexnews.feed.categories import (
    category_codes,
    classify,
    headline_t1_codes,
    reclassify,
    results_span_months,
    split_categories,
)
from monitor.hkexnews.feed.fields import (
    EXTRA_REVISION,
    REVISED,
    SUPERSEDED,
    board_of,
    document_stem,
    headline_revision,
    is_chinese_path,
    is_chinese_placeholder,
    is_placeholder_title,
    load_json_body,
    normalise_stock_code,
    parse_category_codes,
    parse_rel_time,
    parse_size,
    split_multi_counter,
    unescape_title,
)
from monitor.hkexnews.feed.latest import FeedPage, parse_latest_page
from monitor.hkexnews.feed.records import merge_filings
from monitor.hkexnews.feed.stocklist import parse_active_stocks
from monitor.hkexnews.feed.titlesearch import TitleSearchPage, parse_title_search

__all__ = [
    "EXTRA_REVISION", "REVISED", "SUPERSEDED", "FeedPage", "TitleSearchPage", "board_of", "category_codes",
    "classify", "document_stem", "headline_revision", "headline_t1_codes", "is_chinese_path",
    "is_chinese_placeholder", "is_placeholder_title", "load_json_body", "merge_filings",
    "normalise_stock_code", "parse_active_stocks", "parse_category_codes", "parse_latest_page",
    "parse_rel_time", "parse_size", "parse_title_search", "reclassify", "results_span_months",
    "split_categories", "split_multi_counter", "unescape_title",
]
