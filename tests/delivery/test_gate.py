"""The gate every Slack call passes, on a real store (Redis and SQLite), with no Slack behind it:
one call at a time for the cluster, a 429's pause in force before the next call can start, Slack's
trouble paused and ended by a success, the channel's pace, and a stop ending any wait."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from waiting import wait_for

from monitor.delivery.gate import RATE_LIMIT_PAUSE, TROUBLE_PAUSE, GateStopped, SlackGate, SlackPaused
from monitor.errors import DeliveryError, DeliveryRateLimitedError
from monitor.store import Store, open_store


@pytest.fixture(params=["redis", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "redis":
        return str(request.getfixturevalue("redis_url"))
    return f"sqlite:///{tmp_path}/state.sqlite3"


@pytest.fixture
def stores(url: str) -> Iterator[tuple[Store, Store]]:
    """Two connections to one store: two instances of a cluster."""
    a, b = open_store(url, namespace="g"), open_store(url, namespace="g")
    yield a, b
    a.close()
    b.close()


def gate(store: Store, owner: str, **kw: object) -> SlackGate:
    return SlackGate(store, owner=owner, call_ttl_s=30, min_post_interval_s=0, **kw)  # type: ignore[arg-type]


def test_one_call_at_a_time_across_instances(stores: tuple[Store, Store]) -> None:
    a, b = gate(stores[0], "a"), gate(stores[1], "b")
    inside, release, b_in = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with a.call("#c", post=True):
            inside.set()
            release.wait(30)

    def second() -> None:
        with b.call("#c", post=True):
            b_in.set()

    t1 = threading.Thread(target=first)
    t1.start()
    assert inside.wait(10)
    t2 = threading.Thread(target=second)
    t2.start()
    assert not b_in.wait(0.5)  # the other instance's call waits while one is in flight
    release.set()
    assert b_in.wait(10)
    t1.join(10)
    t2.join(10)


def test_a_429_pauses_the_next_call_of_every_instance_from_the_moment_it_is_answered(
        stores: tuple[Store, Store]) -> None:
    a, b = gate(stores[0], "a"), gate(stores[1], "b")
    inside, answered_at, b_entered_at = threading.Event(), [0.0], [0.0]

    def limited() -> None:
        with pytest.raises(DeliveryRateLimitedError), a.call("#c", post=True):
            inside.set()
            time.sleep(0.2)  # the answer takes a while: b's call is planned meanwhile
            answered_at[0] = time.monotonic()
            raise DeliveryRateLimitedError("429", retry_after=1.5)

    def planned() -> None:
        inside.wait(10)
        with b.call("#c", post=True):
            b_entered_at[0] = time.monotonic()

    threads = [threading.Thread(target=limited), threading.Thread(target=planned)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert b_entered_at[0] - answered_at[0] >= 1.5 - 0.05  # never inside the Retry-After window
    assert stores[1].paused_for(RATE_LIMIT_PAUSE) == 0


def test_a_caller_that_will_not_wait_that_long_gives_up_at_once(stores: tuple[Store, Store]) -> None:
    stores[0].pause(RATE_LIMIT_PAUSE, 40)
    impatient = gate(stores[1], "once", max_wait_s=30)
    with pytest.raises(SlackPaused) as caught, impatient.call("#c", post=True):
        pytest.fail("no call may start inside the pause")
    assert 30 < caught.value.seconds <= 40 and caught.value.reason == "paused"
    stores[0].clear_pause(RATE_LIMIT_PAUSE)
    stores[0].pause(RATE_LIMIT_PAUSE, 0.3)  # a short one is waited out
    started = time.monotonic()
    with impatient.call("#c", post=True):
        assert time.monotonic() - started >= 0.25


def test_slack_trouble_pauses_every_call_and_a_success_ends_it(stores: tuple[Store, Store]) -> None:
    a = gate(stores[0], "a", trouble_backoff_s=(30.0,))
    with pytest.raises(DeliveryError), a.call("#c", post=True):
        raise DeliveryError("HTTP 500", reason="server_error")
    assert stores[1].paused_for(TROUBLE_PAUSE) > 25  # every instance waits for the one probe
    stores[1].clear_pause(TROUBLE_PAUSE)  # the probe's time has come
    with a.call("#c", post=True):
        pass
    assert stores[1].paused_for(TROUBLE_PAUSE) == 0
    with pytest.raises(DeliveryError), a.call("#c", post=True):  # an alert's own error is not Slack's trouble
        raise DeliveryError("could not build the message", reason="render")
    assert stores[1].paused_for(TROUBLE_PAUSE) == 0


def test_a_call_waiting_out_a_pause_goes_when_the_pause_is_ended_early(stores: tuple[Store, Store]) -> None:
    """An operator's `alerts retry` ends our own backoff after Slack failed: a call already waiting
    out that backoff on another instance goes then, not when its wait was first computed to end."""
    stores[0].pause(TROUBLE_PAUSE, 60)
    waiting = gate(stores[1], "b")
    went = threading.Event()

    def call() -> None:
        with waiting.call("#c", post=True):
            went.set()

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    assert not went.wait(0.3)  # it waits...
    stores[0].clear_pause(TROUBLE_PAUSE)
    assert went.wait(30)  # ...and goes once the store says the pause is over (well before its 60 s)
    thread.join(5)


def test_posts_to_one_channel_keep_its_pace(stores: tuple[Store, Store]) -> None:
    a = SlackGate(stores[0], owner="a", call_ttl_s=30, min_post_interval_s=0.4)
    b = SlackGate(stores[1], owner="b", call_ttl_s=30, min_post_interval_s=0.4)
    entered = []
    for g in (a, b, a):
        with g.call("#c", post=True):
            entered.append(time.monotonic())
    # the k-th call's turn is k x 0.4 s after the first's and a call enters after its turn; only the
    # first call's own delay (a busy machine) can shorten the span, hence the tolerance
    assert all(t - entered[0] >= k * 0.4 - 0.1 for k, t in enumerate(entered)), entered
    with a.call("#other", post=True):  # another channel has its own pace
        pass
    with a.call(None):  # a read or an edit is not paced
        pass


def test_a_stop_ends_any_wait(stores: tuple[Store, Store]) -> None:
    stores[0].pause(RATE_LIMIT_PAUSE, 60)
    stop = threading.Event()
    g = gate(stores[1], "b", stop=stop)
    caught: list[BaseException] = []

    def call() -> None:
        try:
            with g.call("#c", post=True):
                pass
        except BaseException as exc:
            caught.append(exc)

    t = threading.Thread(target=call)
    t.start()
    stop.set()
    t.join(10)
    wait_for(lambda: bool(caught), 5, "the wait to end")
    assert isinstance(caught[0], GateStopped)
