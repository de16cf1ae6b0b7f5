"""One filing as the HKEXnews stand-in publishes it, and how each listing shows it: the feed item
(English or Chinese), the title-search row and the multi-file folder page, in the documented shapes
(hkexnews.md sections 1, 2 and 5).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from monitor.filing import HKT

PLACEHOLDER_TITLE = ("An announcement has just been published by the issuer in the Chinese section of this "
                     "website, a corresponding version of which may or may not be published in this section")
PLACEHOLDER_PAGE = (
    "<html><head><meta http-equiv='Content-Type' content='text/html; charset=utf-8'></head><body><p>"
    + PLACEHOLDER_TITLE + ".</p></body></html>").encode()
REVISION_PREFIXES = {"revised": "(Headlines Revised) ",
                     "superseded": "(Cancelled since Headlines Superseded and Replaced) "}
# The Chinese listings' own names for the headlines and categories the stand-in publishes.
_ZH_LABELS = {
    "Announcements and Notices": "公告及通告", "Monthly Returns": "月報表",
    "Next Day Disclosure Returns": "翌日披露報表",
    "Financial Statements/ESG Information": "財務報表/環境、社會及管治資料",
    "Final Results": "末期業績", "Interim Results": "中期業績", "Quarterly Results": "季度業績",
    "Profit Warning": "盈利警告", "Date of Board Meeting": "董事會召開日期",
    "Delay in Results Announcement": "延遲發表業績公告", "Dividend or Distribution": "股息或分派",
    "Annual Report": "年報", "Interim/Half-Year Report": "中期/半年度報告", "Others": "其他", "Other": "其他",
}


def _zh(label: str) -> str:
    return " / ".join(_ZH_LABELS.get(part, part) for part in label.split(" / "))


@dataclass
class StandInFiling:
    """One filing as the stand-in publishes it: its English listing, its Chinese one if it has a
    Chinese version (``zh_title``/``zh_document``, or ``chinese_only``), and its documents.

    ``category`` is the label inside ``"{headline} - [...]"``; empty for a headline-only text such
    as ``"Monthly Returns"``. A ``chinese_only`` filing's ``web_path`` is the ``.htm`` placeholder
    the English listings show; its Chinese document is at ``zh_web_path``. ``folder`` makes it a
    multi-file filing whose ``web_path`` (``.htm``) lists those documents.
    """

    news_id: int
    stocks: list[tuple[str, str]]  # (code, short name), every counter
    title: str
    category: str
    t2_code: str
    released_at: datetime
    web_path: str  # e.g. /listedco/listconews/sehk/2025/0827/2025082700123.pdf
    document: bytes | None = None
    zh_document: bytes | None = None
    t1_code: str = "10000"
    ext: str = "pdf"
    board: str = "sehk"
    headline: str = "Announcements and Notices"
    zh_title: str | None = None
    zh_web_path: str | None = None  # default: the next document number, ``_c.pdf``
    zh_news_id: int | None = None  # default: news_id + 1
    chinese_only: bool = False
    revision: str | None = None  # "revised" or "superseded": the re-filed headline's prefix
    folder: list[tuple[str, str, bytes | None]] = field(default_factory=list)  # (link text, path, bytes)
    trickle_bytes_per_s: float | None = None  # send the document this slowly
    feed_listed: bool = True  # False: the latest feeds never show it (only the title search does)
    zh_listed: bool = True  # False: its Chinese version is missing from the Chinese listings
    published_wall: float = 0.0  # set by publish(): when the stand-in got it (its feed shows it after)

    @property
    def has_chinese(self) -> bool:
        """Listed in the Chinese listings."""
        has_version = self.chinese_only or self.zh_title is not None or self.zh_document is not None
        return self.zh_listed and has_version

    @property
    def zh_path(self) -> str:
        if self.zh_web_path:
            return self.zh_web_path
        folder, _, name = self.web_path.rpartition("/")
        stem = name.rsplit(".", 1)[0]
        number = f"{int(stem) + 1:0{len(stem)}d}" if stem.isdigit() else stem
        return f"{folder}/{number}_c.pdf"

    def _headline_text(self, lang: str) -> str:
        head, cat = self.headline, self.category
        if lang == "c":
            head, cat = _zh(head), _zh(cat)
        return f"{head} - [{cat}]" if cat else head

    def _prefix(self) -> str:
        return REVISION_PREFIXES.get(self.revision or "", "")

    def _english_link(self) -> tuple[str, str]:
        """(title, ext) the English listings show."""
        if self.chinese_only:
            return PLACEHOLDER_TITLE, "htm"
        return self.title, ("htm" if self.folder else self.ext)

    def feed_item(self, lang: str = "e") -> dict[str, Any]:
        text = self._headline_text(lang)
        zh = lang == "c"
        title, ext = (self.zh_title or self.title, "pdf") if zh else self._english_link()
        size = len((self.zh_document if zh else self.document) or b"")
        return {
            "newsId": (self.zh_news_id or self.news_id + 1) if zh else self.news_id,
            "lTxt": text,
            "sTxt": self._prefix() + text,
            "title": title,
            "ext": ext,
            "size": f"{max(1, size // 1024)}KB",
            "webPath": self.zh_path if zh else self.web_path,
            "market": self.board.upper(),
            "multi": 1 if len(self.stocks) > 1 else 0,
            "stock": [{"sc": c, "sn": n} for c, n in self.stocks],
            "relTime": self.released_at.astimezone(HKT).strftime("%d/%m/%Y %H:%M"),
            "t1Code": self.t1_code,
            "t2Code": self.t2_code,
        }

    def title_search_row(self, lang: str = "e") -> dict[str, str]:
        item = self.feed_item(lang)
        file_type = "" if self.folder and lang == "e" else str(item["ext"]).upper()
        return {
            "FILE_INFO": "Multi-Files" if file_type == "" else str(item["size"]),
            "NEWS_ID": str(item["newsId"]),
            "SHORT_TEXT": str(item["sTxt"]) + "<br/>",
            "TOTAL_COUNT": "1",
            "DOD_WEB_PATH": "",
            "STOCK_NAME": "<br/>".join(n for _, n in self.stocks),
            "TITLE": html.escape(str(item["title"]), quote=False),
            "FILE_TYPE": file_type,
            "DATE_TIME": str(item["relTime"]),
            "LONG_TEXT": str(item["lTxt"]),
            "STOCK_CODE": "<br/>".join(c for c, _ in self.stocks),
            "FILE_LINK": str(item["webPath"]),
        }

    def folder_page(self) -> bytes:
        links = "".join(f'<li><a href="{path}">{html.escape(text)}</a></li>' for text, path, _ in self.folder)
        return (f"<html><head><title>{html.escape(self.title)}</title></head><body><h1>"
                f"{html.escape(self.title)}</h1><ul>{links}</ul></body></html>").encode()

