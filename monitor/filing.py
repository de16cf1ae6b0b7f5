"""The one record every part of the monitor agrees on: a filing on HKEXnews."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

HKT = timezone(timedelta(hours=8), "HKT")


class FilingKind(StrEnum):
    FINAL_RESULTS = "final_results"
    INTERIM_RESULTS = "interim_results"
    QUARTERLY_RESULTS = "quarterly_results"
    PROFIT_WARNING = "profit_warning"
    BOARD_MEETING = "board_meeting"
    DIVIDEND = "dividend"
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

    ``id`` is the document stem without ``_c`` (e.g. ``"2025082700123"``): stable across the
    English/Chinese news ids and across counters, so it is the dedupe key.
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
        )
