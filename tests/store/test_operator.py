"""What an operator does to pending alerts (Outbox role): drop, re-route, retry now."""

from __future__ import annotations

import time
from collections.abc import Callable

from monitor.filing import Filing
from monitor.store import DeliveryState, Store

CH = "#hkex-filings"
MakeFiling = Callable[..., Filing]


def test_release_with_backoff_and_retry_now(store: Store, make_filing: MakeFiling) -> None:
    f, g = make_filing("2025082700001"), make_filing("2025082700002")
    for x in (f, g):
        store.enqueue(x, CH)
        claim = store.claim(x.id, CH, "a", 30)
        assert claim is not None
        store.release(claim, "Slack 500", retry_in_s=600)
    assert all(p.not_before > time.time() + 500 for p in store.pending())
    assert store.retry_now(alert_id=f.id) == 1
    by_id = {p.id: p for p in store.pending()}
    assert by_id[f.id].not_before == 0 and by_id[g.id].not_before > time.time()
    assert store.retry_now() == 2
    assert store.retry_now(channel="#nowhere") == 0


def test_drop(store: Store, make_filing: MakeFiling) -> None:
    f, g = make_filing("2025082700001"), make_filing("2025082700002")
    store.enqueue(f, CH)
    store.enqueue(g, CH)
    held = store.claim(g.id, CH, "a", 30)
    assert held is not None
    assert store.drop(f.id, CH, "dropped by alice") is True
    assert store.drop(g.id, CH, "x") is False  # under a live claim
    assert store.drop(f.id, CH, "again") is False
    assert store.drop("nope", CH, "x") is False
    assert store.state(f.id, CH) is DeliveryState.DROPPED
    assert [p.id for p in store.pending()] == [g.id]
    assert store.claim(f.id, CH, "a", 30) is None
    assert store.enqueue(f, CH) is False  # a dropped alert is not re-created by the next poll


def test_reroute(store: Store, make_filing: MakeFiling) -> None:
    f, g, h = make_filing("2025082700001"), make_filing("2025082700002"), make_filing("2025082700003")
    for x in (f, g, h):
        store.enqueue(x, "#gone", data={"note": x.id})
    claim = store.claim(f.id, "#gone", "a", 30)
    assert claim is not None
    store.release(claim, "channel_not_found")
    assert store.reroute(f.id, "#gone", "#new") == "rerouted"
    moved = {p.id: p for p in store.pending() if p.channel == "#new"}
    assert moved[f.id].attempts == 1 and moved[f.id].filing == f and moved[f.id].data == {"note": f.id}
    assert store.state(f.id, "#gone") is DeliveryState.DROPPED
    store.enqueue(g, "#new")
    assert store.reroute(g.id, "#gone", "#new") == "merged"
    assert store.claim(h.id, "#gone", "a", 30) is not None
    assert store.reroute(h.id, "#gone", "#new") == "claimed"
    assert store.reroute(f.id, "#gone", "#new") == "not_pending"
    assert sorted((p.id, p.channel) for p in store.pending()) == [
        (f.id, "#new"), (g.id, "#new"), (h.id, "#gone")]


def test_reroute_to_the_same_channel_moves_nothing(store: Store, make_filing: MakeFiling) -> None:
    f, g = make_filing("2025082700001"), make_filing("2025082700002")
    store.enqueue(f, CH)
    store.enqueue(g, CH)
    assert store.reroute(f.id, CH, CH) == "merged"
    claim = store.claim(g.id, CH, "a", 30)
    assert claim is not None and store.mark_delivered(claim)
    assert store.reroute(g.id, CH, CH) == "not_pending"  # delivered, on either back end
    assert store.reroute("nope", CH, CH) == "not_pending"
    assert [p.id for p in store.pending()] == [f.id]
