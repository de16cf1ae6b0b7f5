"""Fixtures for the tests of ``monitor/hkexnews``: settings pointing at a local server, a fake clock,
the tiny in-memory store of ``hkexfakes``; a client and a ``discovery`` on a hand-built HKEXnews
(pytest-httpserver, with the title-search ``session_page``), and the HKEXnews stand-in (``hk``,
``hk_client``, ``make_discovery``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from feedserver import SESSION
from hkexfakes import FakeClock, MemoryStore
from pytest_httpserver import HTTPServer

from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.discovery import Discovery
from monitor.hkexnews.standin import HKEXnewsStandIn
from monitor.metrics import Metrics
from monitor.settings import HKEXnewsSettings


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


@pytest.fixture
def session_page(httpserver: HTTPServer) -> None:
    """The title-search page, which sets the session cookie the servlet wants."""
    httpserver.expect_request(SESSION).respond_with_data(
        "<html></html>", content_type="text/html", headers={"Set-Cookie": "JSESSIONID=abc; Path=/"}
    )


@pytest.fixture
def discovery(client: HKEXnewsClient, store: MemoryStore) -> Discovery:
    return Discovery(client, store, client.settings)


@pytest.fixture
def hk() -> Iterator[HKEXnewsStandIn]:
    with HKEXnewsStandIn() as standin:
        yield standin


@pytest.fixture
def hk_client(hk: HKEXnewsStandIn,
              make_settings: Callable[..., HKEXnewsSettings]) -> Iterator[HKEXnewsClient]:
    made = HKEXnewsClient(make_settings(base_url=hk.base_url, retries=1, backoff_s=0.01))
    yield made
    made.close()


@pytest.fixture
def make_discovery(hk_client: HKEXnewsClient, store: MemoryStore,
                   clock: FakeClock) -> Callable[..., Discovery]:
    def make(**kw: object) -> Discovery:
        return Discovery(hk_client, store, hk_client.settings, clock=clock, **kw)  # type: ignore[arg-type]

    return make
