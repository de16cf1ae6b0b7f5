"""The Processes role (heartbeats), and what a gone process held being taken over at once: its
alert claims and its documents, before their leases run out."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from waiting import wait_for

from monitor.filing import Filing
from monitor.store import DeliveryState, Store

Race = Callable[..., list[Any]]  # the ``race`` fixture of conftest.py
CH = "#hkex-filings"
MakeFiling = Callable[..., Filing]
LONG_S = 600  # a lease no test outlives: what is taken over within a test was taken over early


def test_beat_alive_processes_retire(open_test_store: Callable[..., Store]) -> None:
    a, b = open_test_store(), open_test_store()
    assert a.alive(["host:1", "host:2"]) == set() and a.processes() == []
    a.beat("host:1", 30, {"host": "h1", "version": "1.0"})
    b.beat("host:2", 30)
    assert b.alive(["host:1", "host:2", "never"]) == {"host:1", "host:2"}
    assert a.alive([]) == set()
    one, two = b.processes()
    assert (one.owner, one.info, two.owner, two.info) == ("host:1", {"host": "h1", "version": "1.0"},
                                                          "host:2", {})
    assert abs(one.beat_at - time.time()) < 60  # the store's clock, not a duration
    assert 29.9 <= one.expires_at - one.beat_at <= 30.1
    a.beat("host:1", 30)  # no info: what it said before is kept
    assert b.processes()[0].info == {"host": "h1", "version": "1.0"}
    a.beat("host:1", 30, {"host": "h1b"})
    assert b.processes()[0].info == {"host": "h1b"}
    a.retire("host:1")
    assert b.alive(["host:1", "host:2"]) == {"host:2"}
    assert [p.owner for p in b.processes()] == ["host:2"]
    a.retire("never-beat")  # harmless
    a.beat("host:1", 30)  # a retired name that beats again is alive again
    assert b.alive(["host:1"]) == {"host:1"}


def test_heartbeat_runs_out(store: Store) -> None:
    store.beat("short", 0.3)
    store.beat("long", LONG_S)
    wait_for(lambda: store.alive(["short", "long"]) == {"long"}, 30, "the short heartbeat to run out")
    assert [p.owner for p in store.processes()] == ["long"]


def test_pending_says_whether_the_holder_is_alive(store: Store, make_filing: MakeFiling) -> None:
    files = [make_filing(f"202508270000{i}") for i in range(4)]
    for f in files:
        store.enqueue(f, CH)
    store.beat("alive", LONG_S)
    store.beat("gone", LONG_S)
    assert store.claim(files[0].id, CH, "alive", LONG_S) is not None
    assert store.claim(files[1].id, CH, "no-heartbeat", LONG_S) is not None
    assert store.claim(files[2].id, CH, "gone", LONG_S) is not None
    store.retire("gone")
    by_id = {p.id: (p.owner, p.owner_alive) for p in store.pending()}
    assert by_id == {files[0].id: ("alive", True), files[1].id: ("no-heartbeat", None),
                     files[2].id: ("gone", False), files[3].id: (None, None)}


def test_claim_of_a_retired_holder_is_taken_over_at_once(open_test_store: Callable[..., Store],
                                                        make_filing: MakeFiling) -> None:
    holder, other = open_test_store(), open_test_store()
    f, g = make_filing("2025082700001"), make_filing("2025082700002")
    holder.enqueue(f, CH)
    holder.enqueue(g, CH)
    holder.beat("holder", LONG_S)
    old = holder.claim(f.id, CH, "holder", LONG_S)
    quiet = holder.claim(g.id, CH, "no-heartbeat", LONG_S)
    assert old is not None and quiet is not None
    assert other.claim(f.id, CH, "other", 10) is None  # its holder is alive
    holder.retire("holder")
    new = other.claim(f.id, CH, "other", 10)
    assert new is not None and new.taken_over and new.must_check and new.attempts == 1
    [pending] = [p for p in other.pending() if p.id == f.id]
    assert "holder" in (pending.last_error or "") and "gone" in (pending.last_error or "")
    assert holder.mark_delivered(old) is False  # the old token changes nothing
    assert other.state(f.id, CH) is DeliveryState.CLAIMED
    assert other.claim(g.id, CH, "other", 10) is None  # a holder never known to beat keeps its lease
    assert other.mark_delivered(new, "1.1") is True


def test_claim_of_a_holder_whose_heartbeat_ran_out_is_taken_over(open_test_store: Callable[..., Store],
                                                                 make_filing: MakeFiling) -> None:
    holder, other = open_test_store(), open_test_store()
    f = make_filing()
    holder.enqueue(f, CH)
    holder.beat("holder", 0.3)
    assert holder.claim(f.id, CH, "holder", LONG_S) is not None
    wait_for(lambda: other.claim(f.id, CH, "other", LONG_S) is not None, 30,
             "the claim to be taken over once the heartbeat ran out, long before its lease")
    assert other.pending()[0].owner == "other"


def test_one_winner_when_many_take_over_a_gone_holder(open_test_store: Callable[..., Store],
                                                     make_filing: MakeFiling, race: Race) -> None:
    seed = open_test_store()
    files = [make_filing(f"20250827{i:05d}") for i in range(5)]
    seed.beat("holder", LONG_S)
    for f in files:
        seed.enqueue(f, CH)
        assert seed.claim(f.id, CH, "holder", LONG_S) is not None
    seed.retire("holder")
    stores = [open_test_store() for _ in range(8)]
    claims = race(stores, lambda i, s: [c for f in files if (c := s.claim(f.id, CH, f"owner-{i}", LONG_S))])
    assert sorted(c.alert_id for c in claims) == sorted(f.id for f in files)  # each taken over exactly once
    assert all(c.taken_over for c in claims)


def test_documents_of_a_gone_consumer_are_taken_at_once(open_test_store: Callable[..., Store],
                                                        make_filing: MakeFiling) -> None:
    a, b = open_test_store(), open_test_store()
    first, second, third = (make_filing(f"202508270000{i}") for i in range(3))
    a.submit_document(first, "results")
    a.submit_document(second, "results", priority="low")
    a.submit_document(third, "results")
    a.beat("reader-a", LONG_S)
    held = a.take_documents("reader-a", 2, reclaim_idle_s=LONG_S)
    assert [t.filing.id for t in held] == [first.id, third.id]
    [quiet] = a.take_documents("no-heartbeat", 1, reclaim_idle_s=LONG_S)
    assert quiet.filing.id == second.id
    assert b.take_documents("reader-b", 5, reclaim_idle_s=LONG_S) == []  # holders alive or unknown
    a.retire("reader-a")
    again = b.take_documents("reader-b", 5, reclaim_idle_s=LONG_S)
    assert sorted(t.filing.id for t in again) == [first.id, third.id]
    assert all(t.deliveries == 2 for t in again)
    assert b.take_documents("reader-c", 5, reclaim_idle_s=LONG_S) == []  # taken once
    for t in again:
        b.finish_document(t)
    backlog = b.document_backlog()
    assert backlog.by_consumer == {"no-heartbeat": 1} and backlog.in_progress == 1


def test_documents_of_a_consumer_whose_heartbeat_ran_out(open_test_store: Callable[..., Store],
                                                         make_filing: MakeFiling) -> None:
    a, b = open_test_store(), open_test_store()
    a.submit_document(make_filing(), "results")
    a.beat("reader-a", 0.3)
    assert len(a.take_documents("reader-a", 1, reclaim_idle_s=LONG_S)) == 1
    got: list[object] = []
    wait_for(lambda: bool(got.extend(b.take_documents("reader-b", 1, reclaim_idle_s=LONG_S)) or got), 30,
             "the document to be taken over once the heartbeat ran out, long before its lease")
    assert len(got) == 1
