"""Stock code -> HKEXnews stockId, from the cached active-stock lists.

The title search wants HKEXnews' internal stockId (Tencent 00700 is 7609), not the code. The
whole list is one request; it is kept in memory for ``ttl_s`` (a day by default). The Main Board
list is read first; the GEM list only when a code is not on it. The directory outlives the client
that filled it (a daemon keeps one per process across config reloads): a caller may name the client
to ask when a list must be fetched.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

from monitor.hkexnews.feed import normalise_stock_code

log = logging.getLogger(__name__)

DEFAULT_TTL_S = 24 * 3600.0


class _ListSource(Protocol):
    def active_stocks(self, board: str = "sehk") -> dict[str, int]: ...


class StockDirectory:
    """Resolves stock codes to stockIds; each board's list is fetched at most once per TTL."""

    def __init__(self, client: _ListSource | None = None, *, ttl_s: float = DEFAULT_TTL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._ttl = ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._lists: dict[str, tuple[float, dict[str, int]]] = {}
        self.fetches = 0  # requests made, for callers that count their cost

    def _list(self, board: str, source: _ListSource | None) -> dict[str, int]:
        with self._lock:
            cached = self._lists.get(board)
            if cached is not None and self._clock() - cached[0] < self._ttl:
                return cached[1]
        client = source if source is not None else self._client
        if client is None:
            raise ValueError("StockDirectory needs a client to fetch the stock lists")
        ids = client.active_stocks(board)
        log.info("loaded %d active %s stocks from HKEXnews", len(ids), board.upper())
        with self._lock:
            self.fetches += 1
            self._lists[board] = (self._clock(), ids)
        return ids

    def stock_id(self, code: str, source: _ListSource | None = None) -> int | None:
        """The stockId of an active stock, or ``None`` when neither board lists the code. A list
        not cached is fetched from ``source`` (default: the client given at construction)."""
        code = normalise_stock_code(code)
        for board in ("sehk", "gem"):
            sid = self._list(board, source).get(code)
            if sid is not None:
                return sid
        return None
