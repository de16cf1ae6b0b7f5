"""Short leases held by renewal (Outbox.renew_claims, DocumentQueue.renew_document), and what a
stopping process hands back (release_claims, release_document): taken over after the short lease
and not before, kept while renewed, taken at once when given back."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from waiting import wait_for

from monitor.filing import Filing
from monitor.store import DeliveryState, Store

CH = "#hkex-filings"
MakeFiling = Callable[..., Filing]
LONG_S = 600  # a lease no test outlives


def test_a_claim_not_renewed_is_taken_over_after_its_short_lease(open_test_store: Callable[..., Store],
                                                                 make_filing: MakeFiling) -> None:
    holder, other = open_test_store(), open_test_store()
    f = make_filing()
    holder.enqueue(f, CH)
    old = holder.claim(f.id, CH, "holder", 1.0)
    assert old is not None
    assert other.claim(f.id, CH, "other", LONG_S) is None  # not before the lease ran out
    wait_for(lambda: other.claim(f.id, CH, "other", LONG_S) is not None, 30, "the takeover")
    [p] = other.pending()
    assert p.owner == "other" and p.attempts == 1 and "holder" in (p.last_error or "")
    assert holder.renew_claims([old], 1.0) == [False]  # lost, and renewing does not steal it back


def test_renewal_keeps_a_short_lease(open_test_store: Callable[..., Store], make_filing: MakeFiling) -> None:
    holder, other = open_test_store(), open_test_store()
    f = make_filing()
    holder.enqueue(f, CH)
    claim = holder.claim(f.id, CH, "holder", 1.0)
    assert claim is not None
    started = time.monotonic()
    while time.monotonic() - started < 3.0:  # three leases long: renewal, not the first lease, held it
        assert holder.renew_claims([claim], 1.0) == [True]
        assert other.claim(f.id, CH, "other", LONG_S) is None
        assert other.state(f.id, CH) is DeliveryState.CLAIMED
        time.sleep(0.1)
    assert holder.mark_delivered(claim, "1.1") is True
    assert holder.renew_claims([claim], 1.0) == [False]  # delivered: nothing left to hold


def test_renew_claims_is_token_checked_per_claim(open_test_store: Callable[..., Store],
                                                 make_filing: MakeFiling) -> None:
    holder, other = open_test_store(), open_test_store()
    f, g, h = (make_filing(f"202508270000{i}") for i in range(3))
    for x in (f, g, h):
        holder.enqueue(x, CH)
    holder.beat("holder", LONG_S)
    live, released, lost = (holder.claim(x.id, CH, "holder", LONG_S) for x in (f, g, h))
    assert live is not None and released is not None and lost is not None
    holder.release(released, "boom")
    holder.retire("holder")
    assert other.claim(h.id, CH, "other", LONG_S) is not None  # taken over from a gone holder
    assert holder.renew_claims([live, released, lost], LONG_S) == [True, False, False]
    assert holder.renew_claims([], LONG_S) == []
    assert holder.state(g.id, CH) is DeliveryState.NEW


def test_release_claims_counts_no_attempt_and_keeps_uncertain(store: Store, make_filing: MakeFiling) -> None:
    f, g = make_filing("2025082700001"), make_filing("2025082700002")
    store.enqueue(f, CH)
    store.enqueue(g, CH)
    first = store.claim(f.id, CH, "a", LONG_S)
    assert first is not None
    store.release(first, "timed out after the request was sent", uncertain=True, retry_in_s=LONG_S)
    doubtful, plain = store.claim(f.id, CH, "a", LONG_S), store.claim(g.id, CH, "a", LONG_S)
    assert doubtful is not None and plain is not None and doubtful.uncertain
    assert store.release_claims([doubtful, plain], "not sent: stopping") == [True, True]
    by_id = {p.id: p for p in store.pending()}
    assert (by_id[f.id].attempts, by_id[f.id].uncertain, by_id[f.id].not_before) == (1, True, 0)
    assert (by_id[g.id].attempts, by_id[g.id].uncertain, by_id[g.id].not_before) == (0, False, 0)
    assert by_id[f.id].last_error == "not sent: stopping" and by_id[f.id].owner is None
    assert store.state(f.id, CH) is DeliveryState.NEW and store.state(g.id, CH) is DeliveryState.NEW
    again = store.claim(f.id, CH, "b", LONG_S)  # at once, and not a takeover
    assert again is not None and not again.taken_over and again.uncertain and again.attempts == 1
    assert store.release_claims([doubtful, plain], "twice") == [False, False]  # stale tokens
    assert store.release_claims([], "nothing") == []
    assert store.mark_delivered(again, "1.1") is True


def test_a_released_document_is_taken_at_once_by_another(open_test_store: Callable[..., Store],
                                                         make_filing: MakeFiling) -> None:
    a, b = open_test_store(), open_test_store()
    first, second = make_filing("2025082700001"), make_filing("2025082700002")
    a.submit_document(first, "results")
    a.submit_document(second, "results")
    [task] = a.take_documents("a", 1, reclaim_idle_s=LONG_S)
    assert task.filing.id == first.id
    assert b.release_document(task, "b") is False  # only its holder gives it back
    assert a.release_document(task, "a") is True
    got = b.take_documents("b", 2, reclaim_idle_s=LONG_S)
    assert [(t.filing.id, t.deliveries) for t in got] == [(first.id, 2), (second.id, 1)]  # released first
    assert a.release_document(task, "a") is False  # b holds it now
    assert a.take_documents("a", 1, reclaim_idle_s=LONG_S) == []
    for t in got:
        b.finish_document(t)
    assert b.release_document(got[0], "b") is False  # finished
    assert b.document_backlog().in_progress == 0


@pytest.mark.slow
def test_ten_second_leases_are_taken_over_when_their_holder_stops(open_test_store: Callable[..., Store],
                                                                  make_filing: MakeFiling) -> None:
    # The daemon's figures: claims and documents held for 10 s at a time; a holder that stops (a
    # crash: no release, no retire) loses both once 10 s pass, whatever the configured store.lease_s.
    holder, other = open_test_store(), open_test_store()
    f = make_filing()
    holder.enqueue(f, CH)
    holder.submit_document(f, "results")
    claim = holder.claim(f.id, CH, "holder", 10)
    [task] = holder.take_documents("holder", 1, reclaim_idle_s=10)
    assert claim is not None
    assert holder.renew_claims([claim], 10) == [True]
    holder.renew_document(task, "holder")
    assert other.claim(f.id, CH, "other", 10) is None
    assert other.take_documents("other", 1, reclaim_idle_s=10) == []
    docs: list[object] = []
    wait_for(lambda: bool(docs.extend(other.take_documents("other", 1, reclaim_idle_s=10)) or docs), 60,
             "the document to be taken over")
    wait_for(lambda: other.claim(f.id, CH, "other", 10) is not None, 60, "the claim to be taken over")
