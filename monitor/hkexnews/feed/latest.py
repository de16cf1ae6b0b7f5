"""One page of the latest-filings feed (``lci{board}{window}relsd{lang}_{page}.json``, hkexnews.md
section 1) validated and read into ``Filing`` records: pure, no network, no clock. A page that
differs from the documented shape raises ``FeedShapeError``; it is never "no new filings".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitor.errors import FeedShapeError
from monitor.filing import HKT, Filing
from monitor.hkexnews.feed.fields import require_count, require_key, split_multi_counter
from monitor.hkexnews.feed.records import build_filing, document_url, pair_names, parse_news_id


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



def parse_latest_page(obj: Any, url: str) -> FeedPage:
    """Validate and normalise one latest-feed page (``genDate``, ``maxNumOfFile``, ``newsInfoLst``);
    English (``...relsde_``) and Chinese (``...relsdc_``) feeds share the shape."""
    if not isinstance(obj, Mapping):
        raise FeedShapeError(f"{url}: expected a JSON object, got {type(obj).__name__}", url=url)
    gen = require_count(obj, "genDate", url)
    pages = require_count(obj, "maxNumOfFile", url)
    items = require_key(obj, "newsInfoLst", url)
    if not isinstance(items, list):
        raise FeedShapeError(f"{url}: 'newsInfoLst' should be a list, got {type(items).__name__}", url=url)
    filings: list[Filing] = []
    for i, item in enumerate(items):
        where = f"newsInfoLst[{i}]: "
        if not isinstance(item, Mapping):
            raise FeedShapeError(f"{url}: {where}expected an object, got {item!r:.80}", url=url)
        try:
            news_id = parse_news_id(require_key(item, "newsId", url, where))
            where = f"newsInfoLst[{i}] (newsId {news_id}): "
            stock = require_key(item, "stock", url, where)
            if not isinstance(stock, list) or not all(isinstance(s, Mapping) for s in stock):
                raise ValueError(f"'stock' should be a list of objects, got {stock!r:.120}")
            pairs = [pair for s in stock for pair in pair_names(split_multi_counter(str(s.get("sc", ""))),
                                                                 split_multi_counter(str(s.get("sn", ""))))]
            web_path = str(require_key(item, "webPath", url, where))
            filings.append(build_filing(
                news_id=news_id, web_path=web_path, doc_url=document_url(url, web_path), pairs=pairs,
                title=str(require_key(item, "title", url, where)), long_text=str(item.get("lTxt") or ""),
                short_text=str(item.get("sTxt") or ""), t1=item.get("t1Code"), t2=item.get("t2Code"),
                rel_time=str(require_key(item, "relTime", url, where)),
                file_type=str(item.get("ext") or ""), size=item.get("size"), market=item.get("market"),
            ))
        except FeedShapeError:
            raise
        except (ValueError, TypeError) as exc:
            raise FeedShapeError(f"{url}: {where}{exc}", url=url) from exc
    generated = datetime.fromtimestamp(gen / 1000, tz=HKT)
    return FeedPage(url=url, generated_at=generated, page_count=pages, filings=tuple(filings),
                    gen_date_ms=gen)
