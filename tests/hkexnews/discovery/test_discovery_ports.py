"""Reading a time discovery stored in the store's meta (``discovery/ports.py``): ISO with a zone as
it is, naive as Hong Kong time, blank or unreadable as no time at all (never an exception)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from hkexfakes import MemoryStore

from monitor.filing import HKT
from monitor.hkexnews.discovery.ports import read_time


def test_read_time(store: MemoryStore, caplog: pytest.LogCaptureFixture) -> None:
    store.meta.update({"zoned": "2026-04-10T15:00:00+00:00", "naive": "2026-04-10T23:00:00", "blank": "",
                       "junk": "yesterday"})
    assert read_time(store, "zoned") == datetime(2026, 4, 10, 15, 0, tzinfo=UTC)
    assert read_time(store, "naive") == datetime(2026, 4, 10, 23, 0, tzinfo=HKT)
    assert read_time(store, "blank") is None and read_time(store, "missing") is None
    with caplog.at_level(logging.WARNING):
        assert read_time(store, "junk") is None
    assert "ignoring unreadable junk 'yesterday'" in caplog.text
