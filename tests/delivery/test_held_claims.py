"""The claims a delivering process holds (``monitor.delivery.leases.HeldClaims``), on a real Redis with a
second store instance standing in for another process: renewal keeps a short lease for as long as it
is held, a claim lost meanwhile is dropped, and what is given back goes back unsent, with no attempt
counted, for anyone to take at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from waiting import free_port, wait_for

from monitor.delivery.leases import HeldClaims
from monitor.filing import Filing
from monitor.store import Claim, DeliveryState, Store, open_store

CH = "#hkex-filings"
LEASE_S = 1.0  # short: a lease that was not renewed runs out within the test
LONG_S = 600.0  # a lease no test outlives
MakeFiling = Callable[..., Filing]


class CountedRenewals:
    """The store as HeldClaims sees it, counting the renewals that kept every claim (nothing else
    changes: each call goes to the real store)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.kept = 0
        self._lock = threading.Lock()

    def renew_claims(self, claims: Sequence[Claim], lease_s: float) -> list[bool]:
        kept = self.store.renew_claims(claims, lease_s)
        if all(kept):
            with self._lock:
                self.kept += 1
        return kept

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


@pytest.fixture
def stores(redis_url: str) -> Iterator[tuple[Store, Store]]:
    """(the holder's store, another process's), on the same Redis data."""
    holder, other = open_store(redis_url, namespace="lease"), open_store(redis_url, namespace="lease")
    yield holder, other
    holder.close()
    other.close()


@pytest.fixture
def keepers() -> Iterator[list[HeldClaims]]:
    made: list[HeldClaims] = []
    yield made
    for keeper in made:
        keeper.close()


def claimed(store: Store, filing: Filing, owner: str = "holder", lease_s: float = LEASE_S) -> Claim:
    store.enqueue(filing, CH)
    claim = store.claim(filing.id, CH, owner, lease_s)
    assert claim is not None
    return claim


def test_renewal_keeps_a_short_lease_past_several_lease_lengths(stores: tuple[Store, Store],
                                                                keepers: list[HeldClaims],
                                                                make_filing: MakeFiling) -> None:
    holder, other = stores
    f = make_filing()
    claim = claimed(holder, f)
    counted = CountedRenewals(holder)
    keeper = HeldClaims(counted, LEASE_S)
    keepers.append(keeper)
    keeper.hold([claim])
    started = time.monotonic()
    stolen: list[Claim] = []

    def renewed_many_times() -> bool:
        got = other.claim(f.id, CH, "other", LONG_S)  # another process tries all along
        if got is not None:
            stolen.append(got)
        return counted.kept >= 10

    wait_for(renewed_many_times, 60, "ten renewals")
    assert time.monotonic() - started > 3 * LEASE_S  # several leases: renewal, not the first lease, held it
    assert stolen == []
    assert keeper.held() == [claim] and other.state(f.id, CH) is DeliveryState.CLAIMED
    assert holder.mark_delivered(claim, "1.1") is True  # still the holder's claim at the end


def test_a_claim_lost_meanwhile_is_dropped(stores: tuple[Store, Store], keepers: list[HeldClaims],
                                           make_filing: MakeFiling) -> None:
    holder, other = stores
    holder.beat("holder", LONG_S)
    lost_one, kept_one = make_filing("2025082700001"), make_filing("2025082700002")
    lost, kept = claimed(holder, lost_one, lease_s=LONG_S), claimed(holder, kept_one, lease_s=LONG_S)
    keeper = HeldClaims(holder, LEASE_S)
    keepers.append(keeper)
    keeper.hold([lost, kept])
    holder.retire("holder")  # its heartbeat gone: its claims may be taken over at once
    taken = other.claim(lost_one.id, CH, "other", LONG_S)
    assert taken is not None and taken.taken_over
    wait_for(lambda: keeper.held() == [kept], 30, "the lost claim dropped")
    assert keeper.give_back("stopping") == 1  # only the claim still held goes back
    [mine] = [a for a in other.pending() if a.id == lost_one.id]
    assert mine.owner == "other"  # the claim lost is left to its new holder


class RenewalHeldBack:
    """The store as HeldClaims sees it, with a renewal that waits after the keeper took its snapshot
    of the held claims until the test lets it go on (the race of BENCHMARKS.md "Findings" 11)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.snapshot_taken = threading.Event()
        self.go_on = threading.Event()
        self.answers: list[list[bool]] = []

    def renew_claims(self, claims: Sequence[Claim], lease_s: float) -> list[bool]:
        self.snapshot_taken.set()
        assert self.go_on.wait(30)
        kept = self.store.renew_claims(claims, lease_s)
        self.answers.append(kept)
        return kept

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_a_claim_settled_while_its_renewal_is_under_way_is_not_reported_lost(
        stores: tuple[Store, Store], keepers: list[HeldClaims], make_filing: MakeFiling,
        caplog: pytest.LogCaptureFixture) -> None:
    holder, _ = stores
    f = make_filing()
    claim = claimed(holder, f, lease_s=LONG_S)
    store = RenewalHeldBack(holder)
    keeper = HeldClaims(store, LEASE_S)
    keepers.append(keeper)
    keeper.hold([claim])
    assert store.snapshot_taken.wait(30)  # the renewal has its snapshot, with the claim in it
    keeper.drop([claim])  # the sender settles the alert as the deliverer does: drop, then mark
    assert holder.mark_delivered(claim, "1.1") is True
    with caplog.at_level("WARNING", logger="monitor.delivery.leases"):
        store.go_on.set()
        keeper.close()  # waits for the renewal under way to end
    assert len(store.answers) == 1
    assert store.answers[0] == [False]  # the store no longer knew the claim, as in the benchmark
    assert not [r for r in caplog.records if "lost the claim" in r.getMessage()]


def test_give_back_releases_without_an_attempt(stores: tuple[Store, Store], keepers: list[HeldClaims],
                                               make_filing: MakeFiling) -> None:
    holder, other = stores
    filings = [make_filing(f"20250827000{i}") for i in range(2)]
    claims = [claimed(holder, f, lease_s=LONG_S) for f in filings]
    keeper = HeldClaims(holder, LONG_S)
    keepers.append(keeper)
    keeper.hold(claims)
    assert keeper.give_back("not sent: the process stopped") == 2
    assert keeper.held() == [] and keeper.give_back("again") == 0
    pending = {a.id: a for a in other.pending()}
    for f in filings:
        a = pending[f.id]
        assert (a.attempts, a.owner, a.not_before, a.uncertain) == (0, None, 0.0, False)
        assert a.last_error == "not sent: the process stopped"
    again = other.claim(filings[0].id, CH, "other", LONG_S)  # at once, not after the long lease
    assert again is not None and not again.taken_over and again.attempts == 0


def test_a_closed_keeper_renews_no_more(stores: tuple[Store, Store], make_filing: MakeFiling) -> None:
    holder, other = stores
    f = make_filing()
    keeper = HeldClaims(holder, LEASE_S)
    keeper.hold([claimed(holder, f)])
    keeper.close()
    wait_for(lambda: other.claim(f.id, CH, "other", LONG_S) is not None, 30, "the lease running out")
    [a] = other.pending()
    assert a.owner == "other"


def test_give_back_with_the_store_down_loses_nothing(redis_url: str, make_filing: MakeFiling) -> None:
    holder = open_store(redis_url, namespace="lease")
    claim = claimed(holder, make_filing(), lease_s=LEASE_S)
    dead = open_store(f"redis://127.0.0.1:{free_port()}/0", namespace="lease")  # nobody listens there
    keeper = HeldClaims(dead, LEASE_S)
    try:
        keeper.hold([claim])
        assert keeper.give_back("stopping") == 0  # said, not raised: the short lease hands it over anyway
        assert keeper.held() == []
        wait_for(lambda: holder.claim(claim.alert_id, CH, "next", LONG_S) is not None, 30, "the takeover")
    finally:
        keeper.close()
        dead.close()
        holder.close()
