"""The HKEXnews stand-in's data: what it has published (and the ``Faults`` it was told to answer
with), and the answers computed from it (feed pages, the active-stock list, the title search,
documents) as JSON-ready objects. No HTTP here (``server.py`` serves these); every method is
thread-safe.

The feed is paged as documented (hkexnews.md section 1): newest first by release time, ``page_size``
items a page, ``maxNumOfFile`` the number of pages; a page past the last is not found. With a
``today`` clock the 1-day feed lists only that day's filings (HKT) and the 7-day feed those of the
last 7 calendar days; without one both list every filing, so that tests may publish on a made-up
date.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from monitor.filing import HKT
from monitor.hkexnews.standin.faults import Faults
from monitor.hkexnews.standin.filing import PLACEHOLDER_PAGE, StandInFiling

FEED_DAYS = 7


@dataclass(frozen=True)
class _Document:
    """Where a published path leads: the filing, and which of its documents the path names."""

    filing: StandInFiling
    part: str  # "english", "chinese" or "folder"
    index: int = 0  # the folder entry


@dataclass
class Listings:
    """Everything the stand-in has published, in publication order; see the module docstring."""

    page_size: int = 100
    regen_period_s: float | None = None
    regen_phase_s: float = 0.0
    today: Callable[[], date] | None = None
    filings: list[StandInFiling] = field(default_factory=list)
    stock_ids: dict[str, int] = field(default_factory=dict)
    changed_ms: int = field(default_factory=lambda: int(time.time() * 1000))
    lock: threading.Lock = field(default_factory=threading.Lock)
    faults: Faults = field(default_factory=Faults)
    _documents: dict[str, _Document] = field(default_factory=dict)  # a whole evening's downloads stay O(1)

    def publish(self, filings: Iterable[StandInFiling]) -> list[float]:
        """Publish filings in order; returns the wall time each was published at."""
        times: list[float] = []
        with self.lock:
            for filing in filings:
                filing.published_wall = time.time()
                self.filings.append(filing)
                self.changed_ms = max(self.changed_ms + 1, int(filing.published_wall * 1000))
                for code, _ in filing.stocks:
                    self.stock_ids.setdefault(code, 1000 + len(self.stock_ids))
                self._index(filing)
                times.append(filing.published_wall)
        return times

    def _index(self, filing: StandInFiling) -> None:
        """The first filing published at a path keeps it, as a scan in publication order would."""
        self._documents.setdefault(filing.web_path, _Document(filing, "english"))
        if filing.chinese_only or filing.zh_document is not None:
            self._documents.setdefault(filing.zh_path, _Document(filing, "chinese"))
        for i, (_, path, _) in enumerate(filing.folder):
            self._documents.setdefault(path, _Document(filing, "folder", i))

    def add_stock(self, code: str, stock_id: int | None = None) -> None:
        with self.lock:
            self.stock_ids[code] = stock_id or 1000 + len(self.stock_ids)

    def stock_id(self, code: str) -> int | None:
        with self.lock:
            return self.stock_ids.get(code)

    def codes_of(self, stock_id: int) -> set[str]:
        """The codes listed under ``stock_id`` (every code for -1, as the servlet reads it)."""
        with self.lock:
            return {c for c, i in self.stock_ids.items() if i == stock_id or stock_id == -1}

    def regenerated_at(self, now: float | None = None) -> float:
        """The feed's current generation time (epoch s): the last regeneration tick, or the last
        publish when it regenerates on every publish."""
        if self.regen_period_s is None:
            return self.changed_ms / 1000
        now = time.time() if now is None else now
        return self.regen_phase_s + (now - self.regen_phase_s) // self.regen_period_s * self.regen_period_s

    def _in_window(self, filing: StandInFiling, window: int) -> bool:
        if self.today is None:
            return True
        day = filing.released_at.astimezone(HKT).date()
        today = self.today()
        return today - timedelta(days=(1 if window == 1 else FEED_DAYS) - 1) <= day <= today

    def feed_page(self, board: str, window: int, page: int, lang: str) -> dict[str, Any] | None:
        """Page ``page`` of the board's ``window``-day feed in ``lang`` ("e"/"c"), or ``None`` past
        the last page."""
        generated = self.regenerated_at()
        with self.lock:
            items = [f for f in self.filings if f.board == board and f.feed_listed
                     and (lang == "e" or f.has_chinese) and self._in_window(f, window)
                     and (self.regen_period_s is None or f.published_wall <= generated)]
        items.sort(key=lambda f: (f.released_at, f.news_id), reverse=True)
        pages = max(1, -(-len(items) // self.page_size))
        if page < 1 or page > pages:
            return None
        chunk = items[(page - 1) * self.page_size: page * self.page_size]
        return {"genDate": str(int(generated * 1000)), "maxNumOfFile": pages,
                "newsInfoLst": [f.feed_item(lang) for f in chunk]}

    def active_stocks(self) -> list[dict[str, Any]]:
        with self.lock:
            return [{"i": i, "c": c, "n": c, "s": i + 7} for c, i in sorted(self.stock_ids.items())]

    def title_search(self, query: dict[str, list[str]]) -> dict[str, Any]:
        """The servlet's answer: the first ``rowRange`` rows (cumulative), newest first."""
        stock_id = int(query.get("stockId", ["-1"])[0])
        from_date = query.get("fromDate", ["19000101"])[0]
        to_date = query.get("toDate", ["29991231"])[0]
        row_range = int(query.get("rowRange", ["100"])[0])
        lang = "c" if query.get("lang", ["E"])[0].upper() == "ZH" else "e"
        codes = self.codes_of(stock_id)
        with self.lock:
            rows = [f for f in self.filings
                    if any(c in codes for c, _ in f.stocks) and (lang == "e" or f.has_chinese)
                    and from_date <= f.released_at.astimezone(HKT).strftime("%Y%m%d") <= to_date]
        rows.sort(key=lambda f: (f.released_at, f.news_id), reverse=True)
        shown = [f.title_search_row(lang) for f in rows[:row_range]]
        for r in shown:
            r["TOTAL_COUNT"] = str(len(rows))
        return {"result": json.dumps(shown, ensure_ascii=False), "sortList": "[[0,0]]",
                "hasNextRow": len(rows) > row_range, "rowRange": row_range, "loadedRecord": len(shown),
                "recordCnt": len(rows), "lang": "ZH" if lang == "c" else "E"}

    def document(self, path: str) -> tuple[bytes | None, StandInFiling | None]:
        """(the bytes published at ``path``, the filing they belong to); (None, None) if none."""
        with self.lock:
            found = self._documents.get(path)
        if found is None:
            return None, None
        f = found.filing
        if found.part == "chinese":
            return f.zh_document, f
        if found.part == "folder":
            return f.folder[found.index][2], f
        if f.chinese_only:
            return PLACEHOLDER_PAGE, f
        return (f.folder_page() if f.folder else f.document), f
