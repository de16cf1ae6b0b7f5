"""What discovery asked of HKEXnews, counted by kind: one small frozen record that the parts of a
poll, a reconciliation or a backfill add up, so no count travels back by hand or goes uncounted."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Requests:
    """HTTP requests asked of the client, by kind, answered or not (a request the client retried
    counts once; the GET that warms a title-search session is the client's own and is not counted)."""

    feed: int = 0  # latest-feed pages, English
    chinese_feed: int = 0  # Chinese latest-feed pages (Chinese-only placeholders)
    title_search: int = 0  # title-search answers, either language
    stock_ids: int = 0  # active-stock lists fetched to turn codes into stockIds

    def __add__(self, other: object) -> Requests:
        if not isinstance(other, Requests):
            return NotImplemented
        return Requests(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))

    def __str__(self) -> str:
        parts = [f"{f.name.replace('_', ' ')} {getattr(self, f.name)}" for f in fields(self)
                 if getattr(self, f.name)]
        noun = "request" if self.total == 1 else "requests"
        return f"{self.total} {noun} ({', '.join(parts)})" if parts else "0 requests"


NONE = Requests()
