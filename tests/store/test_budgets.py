"""The Budgets role: paced slots and pauses shared by instances."""

from __future__ import annotations

import time
from collections.abc import Callable

from monitor.store import Store


def test_reserve_spaces_slots_across_instances(open_test_store: Callable[..., Store]) -> None:
    a, b = open_test_store(), open_test_store()
    waits = [s.reserve("hkexnews", 0.5) for s in (a, b, a, b)]
    assert waits[0] < 0.05
    for earlier, later in zip(waits, waits[1:], strict=False):
        assert 0.4 <= later - earlier <= 0.6
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
