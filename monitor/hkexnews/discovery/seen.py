"""The store's seen set, with the ids known to be in it remembered in memory, so that an unchanged
feed costs no store calls and known ids are never asked about again."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from monitor.hkexnews.discovery.ports import SeenStore

KNOWN_SEEN_MAX = 20_000  # ids known to be in the store's seen set (covers a 7-day catch-up read)


class SeenMemory:
    """``unseen`` asks the store only about ids not known to be seen; ``mark`` records ids seen."""

    def __init__(self, store: SeenStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._known: OrderedDict[str, None] = OrderedDict()

    def unseen(self, ids: Iterable[str]) -> set[str]:
        """The ids not in the store's seen set; ids known to be seen are not asked again."""
        with self._lock:
            ask = [i for i in dict.fromkeys(ids) if i not in self._known]
        if not ask:
            return set()
        unseen = self.store.unseen(ask)
        self.remember(i for i in ask if i not in unseen)
        return unseen

    def mark(self, ids: Iterable[str]) -> None:
        """Mark ids seen in the store (and remember them)."""
        ids = tuple(ids)
        if ids:
            self.store.mark_seen(ids)
            self.remember(ids)

    def remember(self, ids: Iterable[str]) -> None:
        with self._lock:
            for i in ids:
                self._known[i] = None
                self._known.move_to_end(i)
            while len(self._known) > KNOWN_SEEN_MAX:
                self._known.popitem(last=False)

    def forget(self) -> None:
        """Drop what is remembered (the store lost its memory: what it lost must be found again)."""
        with self._lock:
            self._known.clear()
