"""Fakes for the tests of ``monitor/hkexnews``: a store with only the four methods discovery uses,
and a monotonic clock that moves only when told. (Named apart from ``conftest`` so that test modules
in the subfolders import it unambiguously.)"""

from __future__ import annotations

from collections.abc import Iterable


class MemoryStore:
    """Just ``unseen``/``mark_seen``/``get_meta``/``set_meta``; records every call in ``calls``."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.meta: dict[str, str] = {}
        self.calls: list[str] = []

    def unseen(self, keys: Iterable[str]) -> set[str]:
        self.calls.append("unseen")
        return {k for k in keys if k not in self.seen}

    def mark_seen(self, keys: Iterable[str]) -> None:
        self.calls.append("mark_seen")
        self.seen.update(keys)

    def get_meta(self, name: str) -> str | None:
        self.calls.append("get_meta")
        return self.meta.get(name)

    def set_meta(self, name: str, value: str) -> None:
        self.calls.append("set_meta")
        self.meta[name] = value


class FakeClock:
    """Monotonic time that only moves when slept on (or advanced); records every sleep."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds
