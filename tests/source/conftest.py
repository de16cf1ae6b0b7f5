"""Fixtures for the HKEXnews source tests: settings pointing at the local server, fake clocks,
and a tiny in-memory store with only the four methods discovery uses."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pytest
from pytest_httpserver import HTTPServer

from monitor.hkexnews.client import HKEXnewsClient
from monitor.metrics import Metrics
from monitor.settings import HKEXnewsSettings


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


@pytest.fixture
def base_url(httpserver: HTTPServer) -> str:
    return httpserver.url_for("").rstrip("/")


@pytest.fixture
def make_settings(base_url: str) -> Callable[..., HKEXnewsSettings]:
    def make(**overrides: object) -> HKEXnewsSettings:
        values: dict[str, object] = dict(
            base_url=base_url, min_request_interval_s=0, timeout_s=5, retries=2, backoff_s=0.01, cooloff_s=30
        )
        values.update(overrides)
        return HKEXnewsSettings.model_validate(values)

    return make


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
def make_client(
    make_settings: Callable[..., HKEXnewsSettings], clock: FakeClock, metrics: Metrics
) -> Iterator[Callable[..., HKEXnewsClient]]:
    made: list[HKEXnewsClient] = []

    def make(**overrides: object) -> HKEXnewsClient:
        client = HKEXnewsClient(make_settings(**overrides), metrics, clock=clock, sleep=clock.sleep)
        made.append(client)
        return client

    yield make
    for c in made:
        c.close()


@pytest.fixture
def client(make_client: Callable[..., HKEXnewsClient]) -> HKEXnewsClient:
    return make_client()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()
