"""The Outbox role: enqueue, claim, deliver, release, takeover, payloads, on both back ends."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from monitor.filing import Filing, FilingKind
from monitor.store import DeliveryState, Store

Race = Callable[..., list[Any]]  # the ``race`` fixture of conftest.py
CH = "#hkex-filings"
MakeFiling = Callable[..., Filing]


def test_enqueue_is_idempotent_and_pending_is_oldest_first(store: Store, make_filing: MakeFiling) -> None:
    f1, f2 = make_filing("2025082700001"), make_filing("2025082700002", codes=("02512", "82512"))
    assert store.enqueue(f2, CH) is True
    assert store.enqueue(f1, CH) is True
    assert store.enqueue(f1, "#other") is True
    assert store.enqueue(f2, CH) is False
    pending = store.pending()
    assert [(p.id, p.channel) for p in pending] == [
        ("2025082700002", CH), ("2025082700001", CH), ("2025082700001", "#other")]
    first = pending[0]
    assert first.filing == f2 and first.attempts == 0 and first.last_error is None
    assert abs(first.enqueued_at - time.time()) < 5
    assert len(store.pending(limit=2)) == 2
    assert store.state(f1.id, CH) is DeliveryState.NEW
    assert store.state("nope", CH) is DeliveryState.UNKNOWN


def test_claim_deliver(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    claim = store.claim(f.id, CH, "a", 30)
    assert claim is not None and claim.token and claim.attempts == 0 and not claim.taken_over
    assert (claim.alert_id, claim.channel) == (f.id, CH)
    assert store.claim(f.id, CH, "b", 30) is None  # live lease
    assert store.claim(f.id, CH, "a", 30) is None  # even for the same owner
    assert store.state(f.id, CH) is DeliveryState.CLAIMED
    assert [p.id for p in store.pending()] == [f.id]  # claimed is still pending

    assert store.mark_delivered(claim, receipt="1700000000.000100") is True
    assert store.state(f.id, CH) is DeliveryState.DELIVERED
    assert store.pending() == []
    assert store.claim(f.id, CH, "b", 30) is None
    assert store.enqueue(f, CH) is False  # delivered stays delivered
    assert store.mark_delivered(claim) is False  # twice is a no-op


def test_claim_unknown_is_none(store: Store) -> None:
    assert store.claim("nope", CH, "a", 30) is None


def test_release_counts_attempts_and_keeps_error(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    for n in (1, 2, 3):
        claim = store.claim(f.id, CH, "a", 30)
        assert claim is not None and claim.attempts == n - 1 and not claim.taken_over
        assert store.release(claim, f"slack down {n}") == n
        assert store.state(f.id, CH) is DeliveryState.NEW
    [p] = store.pending()
    assert p.attempts == 3 and p.last_error == "slack down 3"


def test_expired_lease_is_taken_over(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    old = store.claim(f.id, CH, "crashed", 0.2)
    assert old is not None
    time.sleep(0.3)
    assert store.state(f.id, CH) is DeliveryState.NEW  # no live lease
    new = store.claim(f.id, CH, "b", 30)
    assert new is not None and new.taken_over and new.attempts == 1
    assert "crashed" in (store.pending()[0].last_error or "")

    # The old holder comes back: its stale token must not clobber the new claim.
    assert store.mark_delivered(old) is False
    assert store.release(old, "late failure") == 1
    assert store.state(f.id, CH) is DeliveryState.CLAIMED
    assert store.claim(f.id, CH, "c", 30) is None
    assert store.mark_delivered(new) is True
    assert store.state(f.id, CH) is DeliveryState.DELIVERED


def test_expired_lease_not_taken_over_can_still_be_marked(store: Store, make_filing: MakeFiling) -> None:
    # A slow send that outlived its lease, with nobody taking over, is still recorded: no re-post.
    f = make_filing()
    store.enqueue(f, CH)
    claim = store.claim(f.id, CH, "slow", 0.1)
    assert claim is not None
    time.sleep(0.2)
    assert store.mark_delivered(claim) is True


def test_released_claim_is_not_a_takeover(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    claim = store.claim(f.id, CH, "a", 0.1)
    assert claim is not None
    store.release(claim, "boom")
    time.sleep(0.15)
    again = store.claim(f.id, CH, "b", 30)
    assert again is not None and not again.taken_over and again.attempts == 1


def test_claim_race_one_winner(open_test_store: Callable[..., Store], make_filing: MakeFiling,
                               race: Race) -> None:
    files = [make_filing(f"20250827{i:05d}") for i in range(5)]
    seed = open_test_store()
    for f in files:
        seed.enqueue(f, CH)
    stores = [open_test_store() for _ in range(12)]  # one instance per thread, like separate processes
    wins = race(stores, lambda i, s: [f.id for f in files if s.claim(f.id, CH, f"owner-{i}", 30) is not None])
    assert sorted(wins) == sorted(f.id for f in files)  # each alert won exactly once


def test_kinds_round_trip(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing(kind=FilingKind.OTHER, zh_url="https://x/c.pdf", extra=(("a", "b"),), size_bytes=None)
    store.enqueue(f, CH)
    assert store.pending()[0].filing == f


def test_message_alerts_and_payloads(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    assert store.enqueue(f, CH, data={"found_late": True}) is True
    assert store.enqueue_message("ops:feed_stale:2026-11-21T10:00", "#ops", "ops", {"what": "feed stale"})
    assert not store.enqueue_message("ops:feed_stale:2026-11-21T10:00", "#ops", "ops", {"what": "again"})
    with pytest.raises(ValueError):
        store.enqueue_message("x", CH, "filing", {})
    by_id = {p.id: p for p in store.pending()}
    mine = by_id[f.id]
    assert mine.kind == "filing" and mine.filing == f and mine.data == {"found_late": True}
    ops = by_id["ops:feed_stale:2026-11-21T10:00"]
    assert ops.kind == "ops" and ops.filing is None and ops.data == {"what": "feed stale"}
    claim = store.claim(ops.id, "#ops", "a", 30)
    assert claim is not None and store.mark_delivered(claim, "1700000000.000100")
    assert store.receipt(ops.id, "#ops") == "1700000000.000100"
    assert store.receipt(f.id, CH) is None  # not delivered yet


def test_uncertain_release_is_kept_until_delivered(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    claim = store.claim(f.id, CH, "a", 30)
    assert claim is not None and not claim.must_check
    store.release(claim, "timed out after the request was sent", uncertain=True)
    assert store.pending()[0].uncertain is True
    again = store.claim(f.id, CH, "b", 30)
    assert again is not None and again.uncertain and again.must_check and not again.taken_over
    store.release(again, "history could not be read", uncertain=True)
    third = store.claim(f.id, CH, "b", 30)
    assert third is not None and third.must_check
    store.release(third, "not in history; connection refused", uncertain=False)
    fourth = store.claim(f.id, CH, "b", 30)
    assert fourth is not None and not fourth.must_check and fourth.attempts == 3
    assert store.mark_delivered(fourth, "1.2")
    assert store.pending() == []


def test_pending_names_the_live_owner(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    assert store.pending()[0].owner is None
    store.claim(f.id, CH, "host:1:abc", 0.2)
    assert store.pending()[0].owner == "host:1:abc"
    time.sleep(0.4)
    assert store.pending()[0].owner is None  # the lease ran out
