"""The odd answers the HKEXnews stand-in was told to give: a stock's title search answered
``"null"``, with an empty body, an HTML page or HTTP 500, and any path answered with an HTTP error,
each a number of times or until cleared. Thread-safe."""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass

TITLE_SEARCH_FAULTS = ("null", "empty", "html", "error")


@dataclass
class _Fault:
    answer: str
    left: int | None  # None: until cleared
    lang: str | None


@dataclass
class _PathFault:
    status: int
    left: int | None


class Faults:
    """Title-search faults by stock code, HTTP errors by part of a path; each use spends one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._title_search: dict[str, _Fault] = {}
        self._paths: dict[str, _PathFault] = {}

    def fail_title_search(self, code: str, answer: str, *, times: int | None = None,
                          lang: str | None = None) -> None:
        if answer not in TITLE_SEARCH_FAULTS:
            raise ValueError(f"answer must be one of {TITLE_SEARCH_FAULTS}, got {answer!r}")
        with self._lock:
            self._title_search[code] = _Fault(answer, times, lang)

    def fail_requests(self, path_part: str, status: int, *, times: int | None = None) -> None:
        with self._lock:
            self._paths[path_part] = _PathFault(status, times)

    def clear(self) -> None:
        with self._lock:
            self._title_search.clear()
            self._paths.clear()

    def for_path(self, path: str) -> int | None:
        """The HTTP status to answer ``path`` with instead of its content, if any (one use spent)."""
        with self._lock:
            for part, fault in self._paths.items():
                if part in path and (fault.left is None or fault.left > 0):
                    if fault.left is not None:
                        fault.left -= 1
                    return fault.status
        return None

    def for_title_search(self, codes: Collection[str], lang: str) -> str | None:
        """The odd answer to give the title search of the stock with these ``codes`` in ``lang``
        ("E"/"ZH"), if any (one use spent)."""
        with self._lock:
            for code, fault in self._title_search.items():
                if code not in codes or fault.lang not in (None, lang):
                    continue
                if fault.left is not None:
                    if fault.left <= 0:
                        continue
                    fault.left -= 1
                return fault.answer
        return None
