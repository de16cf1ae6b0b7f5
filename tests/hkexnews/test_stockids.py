"""Stock code -> stockId (``stockids.py``): each board's list fetched once per TTL, and kept by the
process across clients (a config reload builds a new client, not a new directory)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from feedbuilder import (
    SAMPLE_ACTIVE_STOCKS,
)
from feedserver import DAY, STOCKS, TITLE, paths, title_handler
from hkexfakes import FakeClock, MemoryStore
from pytest_httpserver import HTTPServer

from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.discovery import (
    Discovery,
)
from monitor.hkexnews.stockids import StockDirectory

pytestmark = pytest.mark.usefixtures("session_page")


def test_stock_list_is_cached_for_its_ttl(httpserver: HTTPServer, client: HKEXnewsClient) -> None:
    httpserver.expect_request(STOCKS).respond_with_json(SAMPLE_ACTIVE_STOCKS)
    clock = FakeClock()
    ids = StockDirectory(client, ttl_s=3600, clock=clock)
    assert ids.stock_id("700") == 7609 and ids.stock_id("02512") == 1002512
    assert paths(httpserver) == [STOCKS]
    clock.advance(3601)
    assert ids.stock_id("00020") == 1000020
    assert paths(httpserver) == [STOCKS, STOCKS] and ids.fetches == 2


def test_stock_ids_outlive_the_client_that_fetched_them(
    httpserver: HTTPServer, make_client: Callable[..., HKEXnewsClient], store: MemoryStore
) -> None:
    httpserver.expect_request(STOCKS).respond_with_json(SAMPLE_ACTIVE_STOCKS)
    httpserver.expect_request(TITLE).respond_with_handler(title_handler({}))
    clock = FakeClock()
    directory = StockDirectory(ttl_s=3600, clock=clock)  # one per process, kept across reloads
    first = make_client()
    Discovery(first, store, first.settings, stock_ids=directory).backfill("700", DAY, until=DAY)
    first.close()
    rebuilt = make_client()  # a config reload builds a new client; the directory is handed over
    Discovery(rebuilt, store, rebuilt.settings, stock_ids=directory).backfill("20", DAY, until=DAY)
    assert paths(httpserver).count(STOCKS) == 1 and directory.fetches == 1
    clock.advance(3601)  # expired: fetched again, through the client in use now
    Discovery(rebuilt, store, rebuilt.settings, stock_ids=directory).backfill("20", DAY, until=DAY)
    assert paths(httpserver).count(STOCKS) == 2
