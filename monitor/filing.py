"""The one record every part of the monitor agrees on: a filing on HKEXnews."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

HKT = timezone(timedelta(hours=8), "HKT")


class FilingKind(StrEnum):
    """What a filing is (``monitor.hkexnews.feed.classify`` decides, from codes and title together).
    The values are also the names a watch's ``alert_on`` list uses."""

    FINAL_RESULTS = "final_results"
    INTERIM_RESULTS = "interim_results"
    QUARTERLY_RESULTS = "quarterly_results"
    PROFIT_WARNING = "profit_warning"  # profit warnings and positive profit alerts (13500)
    BOARD_MEETING = "board_meeting"  # date of board meeting (13150)
    RESULTS_DELAY = "results_delay"  # delay in results announcement (13200)
    DIVIDEND = "dividend"
    MONTHLY_RETURN = "monthly_return"  # t1 51500 (hkexnews.md section 1: real filings)
    NEXT_DAY_DISCLOSURE = "next_day_disclosure"
    FINANCIAL_REPORT = "financial_report"  # annual / interim / quarterly report (t1 40000)
    OTHER = "other"

    @property
    def is_results(self) -> bool:
        return self in (FilingKind.FINAL_RESULTS, FilingKind.INTERIM_RESULTS, FilingKind.QUARTERLY_RESULTS)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Filing:
    """One announcement, English and Chinese versions and every counter folded together.

    ``id`` is the stem of the English listing's document (e.g. ``"2025082700123"``): the English
    feed lists each filing once, so it is the dedupe key across counters. The Chinese version has a
    document number of its own (``zh_url``, when known; never built from the English stem).

    A Chinese-only filing appears in the English listings as a generic placeholder with an ``.htm``
    link: ``chinese_only`` is then True, ``id`` is the placeholder's stem, and once resolved
    through the Chinese listings ``url``/``zh_url`` point at the Chinese PDF and ``zh_title`` holds
    its real title (``title`` keeps the English listing's text).
    """

    id: str
    news_id: int
    stock_codes: tuple[str, ...]
    stock_names: tuple[str, ...]
    title: str
    categories: tuple[str, ...]
    t1_code: str
    t2_codes: tuple[str, ...]
    released_at: datetime
    url: str
    file_type: str
    size_bytes: int | None
    kind: FilingKind
    board: str = "sehk"
    zh_url: str | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())
    chinese_only: bool = False
    zh_title: str | None = None

    @property
    def display_title(self) -> str:
        """The title to show: the real Chinese title of a resolved Chinese-only filing."""
        return self.zh_title if self.chinese_only and self.zh_title else self.title

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["released_at"] = self.released_at.isoformat()
        d["kind"] = self.kind.value
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Filing:
        return cls(
            id=d["id"],
            news_id=int(d["news_id"]),
            stock_codes=tuple(d["stock_codes"]),
            stock_names=tuple(d["stock_names"]),
            title=d["title"],
            categories=tuple(d["categories"]),
            t1_code=d["t1_code"],
            t2_codes=tuple(d["t2_codes"]),
            released_at=datetime.fromisoformat(d["released_at"]),
            url=d["url"],
            file_type=d["file_type"],
            size_bytes=d.get("size_bytes"),
            kind=FilingKind(d["kind"]),
            board=d.get("board", "sehk"),
            zh_url=d.get("zh_url"),
            extra=tuple((str(k), str(v)) for k, v in d.get("extra", ())),
            chinese_only=bool(d.get("chinese_only", False)),
            zh_title=d.get("zh_title"),
        )
