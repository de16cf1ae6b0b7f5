"""Fixtures for the store contract tests: a filing factory, both store implementations, and a race
of instances started together."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

from monitor.filing import HKT, Filing, FilingKind
from monitor.store import Store
from monitor.store.redis import RedisStore
from monitor.store.sqlite import SqliteStore

StoreFactory = Callable[..., Store]
T = TypeVar("T")
Race = Callable[[Sequence[Store], Callable[[int, Store], list[Any]]], list[Any]]


@pytest.fixture
def make_filing() -> Callable[..., Filing]:
    def make(fid: str = "2025082700123", *, codes: tuple[str, ...] = ("00020",),
             released: datetime | None = None, kind: FilingKind = FilingKind.INTERIM_RESULTS,
             **over: Any) -> Filing:
        fields: dict[str, Any] = dict(
            id=fid, news_id=int(fid[-6:]) if fid[-6:].isdigit() else 1, stock_codes=codes,
            stock_names=("SENSETIME-W",) * len(codes), title=f"Interim results {fid}",
            categories=("Announcements and Notices",), t1_code="10000", t2_codes=("13300",),
            released_at=released or datetime(2025, 8, 27, 18, 30, tzinfo=HKT),
            url=f"https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/{fid}.pdf",
            file_type="PDF", size_bytes=123_456, kind=kind)
        fields.update(over)
        return Filing(**fields)

    return make


@pytest.fixture(params=["redis", "sqlite"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """(kind, url) of the backend under test, on a clean place: this session's Redis database, or a
    fresh file."""
    if request.param == "redis":
        return "redis", str(request.getfixturevalue("redis_url"))
    return "sqlite", f"sqlite:///{tmp_path}/state.sqlite3"


@pytest.fixture
def open_test_store(backend: tuple[str, str]) -> Iterator[StoreFactory]:
    """Open (more) instances of the backend on the same data, as separate processes would."""
    kind, url = backend
    opened: list[Store] = []

    def factory(**kw: Any) -> Store:
        kw.setdefault("namespace", "t")
        store: Store
        store = RedisStore(url, **kw) if kind == "redis" else SqliteStore(url, **kw)
        opened.append(store)
        return store

    yield factory
    for s in opened:
        s.close()


@pytest.fixture
def store(open_test_store: StoreFactory) -> Store:
    return open_test_store()


@pytest.fixture
def race() -> Race:
    """``race(stores, act)``: ``act(i, store)`` in one thread per store, all let go at once (as
    separate processes would be); returns what they returned, joined, and re-raises any error."""

    def run(stores: Sequence[Store], act: Callable[[int, Store], list[T]]) -> list[T]:
        barrier = threading.Barrier(len(stores))
        results: list[T] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def one(i: int, s: Store) -> None:
            try:
                barrier.wait()
                got = act(i, s)
                with lock:
                    results.extend(got)
            except BaseException as exc:  # surfaced below
                errors.append(exc)

        threads = [threading.Thread(target=one, args=(i, s)) for i, s in enumerate(stores)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert errors == [] and not any(t.is_alive() for t in threads)
        return results

    return run
