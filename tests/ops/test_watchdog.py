"""Silence is an alarm: a frozen feed, failing polls and a window without a single filing each raise
one ops alert (once per episode, also across instances) and one recovery message."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from monitor.filing import HKT
from monitor.metrics import Metrics
from monitor.ops.watchdog import Watchdog
from monitor.settings import Settings
from monitor.store import Store, open_store

SETTINGS = Settings.model_validate({"watch": [{"code": "20"}], "ops": {"channel": "#ops", "feed_stale_s": 600,
                                                                       "poll_failing_s": 300}})


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def store() -> Iterator[Store]:
    s = open_store("memory://", namespace="ops")
    yield s
    s.close()


def ops_messages(store: Store) -> list[tuple[str, str, str]]:
    return [(a.id, a.data["alarm"], a.data["state"]) for a in store.pending() if a.kind == "ops"]


def test_frozen_feed_inside_a_window_raises_once_and_recovers(store: Store) -> None:
    clock = Clock(datetime(2026, 11, 20, 17, 0, tzinfo=HKT))  # a Friday, evening window
    dog = Watchdog(SETTINGS, Metrics(), clock=clock)
    gen = datetime(2026, 11, 20, 16, 59, 30, tzinfo=HKT)
    for _ in range(10):  # ten minutes of polls answering the same genDate
        dog.observe(ok=True, generated_at=gen, newest_release=gen)
        assert dog.check(store) == []
        clock.tick(59)
    clock.tick(20)
    dog.observe(ok=True, generated_at=gen)
    assert dog.check(store) == ["feed_stale"]
    assert dog.check(store) == []  # once per episode
    assert dog.raised == ["feed_stale"]
    [(aid, alarm, state)] = ops_messages(store)
    assert aid == f"ops:feed_stale:{gen.isoformat()}" and (alarm, state) == ("feed_stale", "raised")
    assert all(a.channel == "#ops" for a in store.pending())
    clock.tick(60)
    dog.observe(ok=True, generated_at=gen + timedelta(minutes=11))
    dog.check(store)
    assert dog.raised == [] and [m[2] for m in ops_messages(store)] == ["raised", "recovered"]


def test_a_second_instance_raises_the_same_alarm_id(store: Store) -> None:
    clock = Clock(datetime(2026, 11, 20, 17, 0, tzinfo=HKT))
    gen = datetime(2026, 11, 20, 16, 59, tzinfo=HKT)
    dogs = [Watchdog(SETTINGS, Metrics(), clock=clock) for _ in range(2)]
    for dog in dogs:
        dog.observe(ok=True, generated_at=gen)
    clock.tick(700)
    for dog in dogs:
        dog.observe(ok=True, generated_at=gen)
        assert dog.check(store) == ["feed_stale"]
    assert len(ops_messages(store)) == 1  # one message for the cluster


def test_outside_the_windows_a_still_feed_is_normal(store: Store) -> None:
    clock = Clock(datetime(2026, 11, 20, 9, 0, tzinfo=HKT))  # between the morning and lunch windows
    dog = Watchdog(SETTINGS, Metrics(), clock=clock)
    gen = datetime(2026, 11, 20, 8, 30, tzinfo=HKT)
    dog.observe(ok=True, generated_at=gen)
    clock.tick(2400)
    dog.observe(ok=True, generated_at=gen)
    assert dog.check(store) == []


def test_failing_polls_raise_after_the_threshold(store: Store) -> None:
    clock = Clock(datetime(2026, 11, 20, 17, 0, tzinfo=HKT))
    dog = Watchdog(SETTINGS, Metrics(), clock=clock)
    last_ok = clock()
    dog.observe(ok=True, generated_at=last_ok, last_success=last_ok)
    clock.tick(200)
    dog.observe(ok=False, last_success=last_ok)
    dog.observe(ok=False, last_success=last_ok)
    assert dog.check(store) == []  # not yet poll_failing_s
    clock.tick(200)
    dog.observe(ok=False, last_success=last_ok)
    assert dog.check(store) == ["poll_failing"]
    [(aid, _, _)] = ops_messages(store)
    assert aid == f"ops:poll_failing:{last_ok.isoformat()}"
    dog.observe(ok=True, generated_at=clock(), last_success=clock())
    dog.check(store)
    assert [m[2] for m in ops_messages(store)] == ["raised", "recovered"]


def test_a_window_without_any_filing_is_an_alarm(store: Store) -> None:
    clock = Clock(datetime(2026, 11, 20, 16, 30, tzinfo=HKT))
    dog = Watchdog(SETTINGS, Metrics(), clock=clock)
    yesterday = datetime(2026, 11, 19, 22, 40, tzinfo=HKT)
    while clock() < datetime(2026, 11, 20, 23, 1, tzinfo=HKT):
        dog.observe(ok=True, generated_at=clock(), newest_release=yesterday, last_success=clock())
        clock.tick(60)
    assert dog.check(store) == ["quiet_window"]
    [(aid, _, _)] = ops_messages(store)
    assert aid == "ops:quiet_window:2026-11-20T16:30:00+08:00"
    dog.observe(ok=True, generated_at=clock(), newest_release=clock(), last_success=clock())
    dog.check(store)
    assert [m[2] for m in ops_messages(store)] == ["raised", "recovered"]


def test_a_window_with_filings_is_fine(store: Store) -> None:
    clock = Clock(datetime(2026, 11, 20, 23, 1, tzinfo=HKT))
    dog = Watchdog(SETTINGS, Metrics(), clock=clock)
    dog.observe(ok=True, generated_at=clock(), newest_release=datetime(2026, 11, 20, 22, 58, tzinfo=HKT),
                last_success=clock())
    assert dog.check(store) == []
