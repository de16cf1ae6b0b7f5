"""What discovery needs of the HKEXnews client and of the store: the few methods each part calls,
and reading a time it stored in the store's meta."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol

from monitor.filing import HKT
from monitor.hkexnews.feed import FeedPage, TitleSearchPage

log = logging.getLogger(__name__)


class FeedClient(Protocol):
    def latest_page(self, board: str = "sehk", window: int = 1, page: int = 1,
                    lang: str = "e") -> FeedPage: ...
    def title_search(self, stock_id: int, from_date: date, to_date: date, *, row_range: int = 100,
                     lang: str = "E", market: str = "SEHK") -> TitleSearchPage: ...
    def active_stocks(self, board: str = "sehk") -> dict[str, int]: ...


class SeenStore(Protocol):
    def unseen(self, keys: Iterable[str]) -> set[str]: ...
    def mark_seen(self, keys: Iterable[str]) -> None: ...
    def get_meta(self, name: str) -> str | None: ...
    def set_meta(self, name: str, value: str) -> None: ...


def read_time(store: SeenStore, name: str) -> datetime | None:
    """A time stored under meta ``name`` (ISO; naive means HKT); blank or unreadable is ``None``."""
    raw = store.get_meta(name)
    if not raw:
        return None
    try:
        when = datetime.fromisoformat(raw)
    except ValueError:
        log.warning("ignoring unreadable %s %r", name, raw)
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=HKT)
