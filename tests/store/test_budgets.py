"""The Budgets role: paced slots, pauses and locks shared by instances."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from waiting import wait_for

from monitor.store import Store

Race = Callable[..., list[Any]]  # the ``race`` fixture of conftest.py


def test_reserve_spaces_slots_across_instances(open_test_store: Callable[..., Store]) -> None:
    a, b = open_test_store(), open_test_store()
    # Each answer is a wait from the moment the store read its clock, somewhere inside the call, so
    # the slot it stands for lies between (before + wait) and (after + wait): bounds that hold on a
    # machine however busy. Consecutive slots are 0.5 s apart.
    slots: list[tuple[float, float]] = []
    waits: list[float] = []
    for store in (a, b, a, b):
        before = time.time()
        waits.append(store.reserve("hkexnews", 0.5))
        slots.append((before + waits[-1], time.time() + waits[-1]))
    assert waits[0] == 0  # the first slot is the store's now
    for (early_lo, early_hi), (late_lo, late_hi) in zip(slots, slots[1:], strict=False):
        assert late_hi - early_lo >= 0.5 - 0.002 and late_lo - early_hi <= 0.5 + 0.002
    assert a.reserve("slack:#other", 0.5) < 0.05  # budgets are separate by name


def test_pause_is_shared_and_keeps_the_longer(open_test_store: Callable[..., Store]) -> None:
    a, b = open_test_store(), open_test_store()
    assert a.paused_for("slack") == 0
    assert 39 < a.pause("slack", 40) <= 40
    assert 39 < b.paused_for("slack") <= 40
    assert 39 < b.pause("slack", 5) <= 40  # a shorter pause does not cut a longer one
    assert a.paused_for("hkexnews") == 0
    assert 0 < a.pause("short", 0.2) <= 0.201
    time.sleep(0.3)
    assert a.paused_for("short") == 0


def test_pause_is_exact_to_the_millisecond_and_can_be_cleared(open_test_store: Callable[..., Store]) -> None:
    a, b = open_test_store(), open_test_store()
    assert 10.0015 <= a.pause("slack", 10.0015) <= 10.002  # never shorter than asked
    assert 9 < b.paused_for("slack") <= 10.002
    assert b.clear_pause("slack") is True  # a success after a 5xx backoff ends it for everyone
    assert a.paused_for("slack") == 0
    assert a.clear_pause("slack") is False and a.clear_pause("never") is False
    assert 4 < a.pause("slack", 5) <= 5  # a new pause after a cleared one is its own length
    assert a.paused_for("other") == 0


def test_lock_is_exclusive_and_owner_checked(open_test_store: Callable[..., Store]) -> None:
    a, b = open_test_store(), open_test_store()
    assert a.acquire("slack:send", "p1", 30) is True
    assert b.acquire("slack:send", "p2", 30) is False
    assert a.acquire("slack:send", "p1", 30) is False  # not re-entrant
    assert b.release_lock("slack:send", "p2") is False  # not the holder: nothing changes
    assert b.acquire("slack:send", "p2", 30) is False
    assert b.acquire("hkexnews", "p2", 30) is True  # locks are separate by name
    assert a.release_lock("slack:send", "p1") is True
    assert a.release_lock("slack:send", "p1") is False
    assert b.acquire("slack:send", "p2", 30) is True


def test_a_dead_holders_lock_expires(open_test_store: Callable[..., Store]) -> None:
    a, b = open_test_store(), open_test_store()
    assert a.acquire("slack:send", "dead", 0.3) is True
    assert b.acquire("slack:send", "p2", 30) is False  # not before its ttl
    wait_for(lambda: b.acquire("slack:send", "p2", 30), 30, "the dead holder's lock to expire")
    assert a.release_lock("slack:send", "dead") is False  # too late: it no longer holds it
    assert a.acquire("slack:send", "p3", 30) is False  # p2 does


def test_a_holder_keeps_a_short_lock_by_renewing_it(open_test_store: Callable[..., Store]) -> None:
    a, b = open_test_store(), open_test_store()
    assert a.acquire("slack:send", "p1", 0.5) is True
    for _ in range(4):  # two seconds of renewals keep a half-second lock
        assert a.renew_lock("slack:send", "p1", 0.5) is True
        assert b.acquire("slack:send", "p2", 30) is False
        time.sleep(0.4)
    assert b.renew_lock("slack:send", "p2", 30) is False  # only the holder renews
    wait_for(lambda: b.acquire("slack:send", "p2", 30), 30, "the lock to expire once renewals stop")
    assert a.renew_lock("slack:send", "p1", 30) is False  # too late: p2 holds it now


def test_one_of_many_racing_acquirers_gets_the_lock(open_test_store: Callable[..., Store],
                                                    race: Race) -> None:
    stores = [open_test_store() for _ in range(12)]
    got = race(stores, lambda i, s: [f"p{i}"] if s.acquire("slack:send", f"p{i}", 30) else [])
    assert len(got) == 1
    assert stores[0].release_lock("slack:send", got[0]) is True
