"""HKEXnews' active-stock list (``activestock_{board}_e.json``, hkexnews.md section 3) read into
stock code -> stockId: pure, no network, no clock.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from monitor.errors import FeedShapeError
from monitor.hkexnews.feed.fields import normalise_stock_code

log = logging.getLogger(__name__)


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
