"""The seen set as discovery remembers it (``discovery/seen.py``): an unchanged feed costs no store calls,
whether it answers 304 or the same items again; one new item costs one check and one mark."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from hkexfakes import FakeClock, MemoryStore
from standinfilings import NOW, filing, polled

from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.discovery import (
    Discovery,
)
from monitor.hkexnews.standin import HKEXnewsStandIn
from monitor.settings import HKEXnewsSettings


def test_an_unchanged_feed_costs_no_store_calls(
    hk: HKEXnewsStandIn,
    hk_client: HKEXnewsClient,
    make_settings: Callable[..., HKEXnewsSettings],
    store: MemoryStore,
    clock: FakeClock,
) -> None:
    for i in range(100):
        hk.publish(
            filing(12500000 + i, f"{i + 1:05d}", f"FILING {i}", seq=i, when=NOW - timedelta(minutes=i))
        )
    polled(store, NOW - timedelta(minutes=5))
    discovery = Discovery(hk_client, store, hk_client.settings, clock=clock)
    discovery.commit(discovery.poll(["00020"], now=NOW))
    assert len(store.seen) == 100
    store.calls.clear()

    unchanged = discovery.poll(["00020"], now=NOW + timedelta(minutes=1))
    discovery.commit(unchanged)
    assert unchanged.not_modified and unchanged.filings == () and unchanged.seen_keys == ()
    assert unchanged.gen_date_ms == int(hk.regenerated_at() * 1000)
    assert store.calls == []  # a 304: no unseen, no mark_seen, no meta

    fresh_client = HKEXnewsClient(hk_client.settings)  # no ETag cached: a 200 with the same items
    discovery.client = fresh_client
    repeat = discovery.poll(["00020"], now=NOW + timedelta(minutes=2))
    discovery.commit(repeat)
    assert not repeat.not_modified and store.calls == []
    fresh_client.close()

    hk.publish(filing(12600000, "00020", "NEW", seq=500, when=NOW + timedelta(minutes=3)))
    new = discovery.poll(["00020"], now=NOW + timedelta(minutes=3))
    discovery.commit(new)
    assert [f.title for f in new.filings] == ["NEW"] and new.seen_keys == ("2026041000500",)
    assert store.calls == ["unseen", "mark_seen"]  # one item checked, one marked
