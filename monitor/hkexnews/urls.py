"""Every HKEXnews URL the monitor requests, built on one configurable base URL.

Tests and the demo point the whole client at a local server by changing ``base_url``; nothing
else in the program spells an HKEXnews path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

Board = Literal["sehk", "gem"]
BOARDS: tuple[Board, ...] = ("sehk", "gem")
FEED_WINDOWS = (1, 7)
FEED_LANGS = ("e", "c")
TITLE_SEARCH_LANGS = ("E", "ZH")

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:  # a malformed port is not our host
        return ("", "", None)
    return (scheme, (parts.hostname or "").lower(), port)


@dataclass(frozen=True)
class HKEXnewsURLs:
    """URL builder for one HKEXnews host, e.g. ``HKEXnewsURLs("https://www1.hkexnews.hk")``."""

    base_url: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        if _origin(self.base_url)[0] not in _DEFAULT_PORTS or not _origin(self.base_url)[1]:
            raise ValueError(f"an http(s) base URL such as https://www1.hkexnews.hk, got {self.base_url!r}")

    def latest(self, board: str = "sehk", window: int = 1, page: int = 1, lang: str = "e",
               cache_buster: int | None = None) -> str:
        """The latest-filings feed page: ``/ncms/json/eds/lci{board}{window}relsd{lang}_{page}.json``
        (``lang`` ``"c"``: the Chinese listings, where Chinese-only filings have their real title).

        ``cache_buster`` (epoch ms) is appended as ``?_=<ms>`` when given.
        """
        if board not in BOARDS:
            raise ValueError(f"board must be one of {BOARDS}, got {board!r}")
        if window not in FEED_WINDOWS:
            raise ValueError(f"window must be one of {FEED_WINDOWS} (days), got {window!r}")
        if lang not in FEED_LANGS:
            raise ValueError(f"lang must be one of {FEED_LANGS}, got {lang!r}")
        if page < 1:
            raise ValueError(f"pages are 1-based, got {page!r}")
        url = f"{self.base_url}/ncms/json/eds/lci{board}{window}relsd{lang}_{page}.json"
        return url if cache_buster is None else f"{url}?_={int(cache_buster)}"

    def title_search(self, stock_id: int, from_date: date, to_date: date, *, row_range: int = 100,
                     lang: str = "E", market: str = "SEHK", search_type: int = 0, t1code: str = "-2",
                     t2gcode: str = "-2", t2code: str = "-2", title: str = "", category: int = 0,
                     document_type: int = -1, sort_dir: int = 0) -> str:
        """The per-stock title search; ``row_range`` is cumulative (the first N rows)."""
        if lang not in TITLE_SEARCH_LANGS:
            raise ValueError(f"lang must be one of {TITLE_SEARCH_LANGS}, got {lang!r}")
        if row_range < 1:
            raise ValueError(f"row_range must be positive, got {row_range!r}")
        if from_date > to_date:
            raise ValueError(f"from_date {from_date} is after to_date {to_date}")
        params = [
            ("sortDir", str(sort_dir)), ("sortByOptions", "DateTime"), ("category", str(category)),
            ("market", market), ("stockId", str(stock_id)), ("documentType", str(document_type)),
            ("fromDate", from_date.strftime("%Y%m%d")), ("toDate", to_date.strftime("%Y%m%d")),
            ("title", title), ("searchType", str(search_type)), ("t1code", t1code),
            ("t2Gcode", t2gcode), ("t2code", t2code), ("rowRange", str(row_range)), ("lang", lang),
        ]
        return f"{self.base_url}/search/titleSearchServlet.do?{urlencode(params)}"

    def active_stocks(self, board: str = "sehk", lang: str = "e", *, active: bool = True) -> str:
        """The whole code -> stockId list (``inactivestock_...`` for delisted stocks)."""
        if board not in BOARDS:
            raise ValueError(f"board must be one of {BOARDS}, got {board!r}")
        prefix = "activestock" if active else "inactivestock"
        return f"{self.base_url}/ncms/script/eds/{prefix}_{board}_{lang}.json"

    def referer(self) -> str:
        """The page browsers request the JSON from; sent as ``Referer``."""
        return self.title_search_page()

    def title_search_page(self) -> str:
        """The title-search page; one GET of it sets the session cookie the servlet wants."""
        return f"{self.base_url}/search/titlesearch.xhtml?lang=en"

    def document(self, path: str) -> str:
        """Absolute document URL from a feed ``webPath`` / title-search ``FILE_LINK``.

        An already absolute link is returned unchanged (and may then fail ``is_same_host``).
        """
        if not path or not path.strip():
            raise ValueError("empty document path")
        return urljoin(self.base_url + "/", path.strip())

    def is_same_host(self, url: str) -> bool:
        """True only for absolute URLs on the configured scheme, host and port."""
        return _origin(url) == _origin(self.base_url)


def without_query(url: str) -> str:
    """The URL without query string (drops the cache-buster), used as a cache key."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
