"""A process SIGKILLed anywhere between claim and "delivered" loses nothing and posts once; what it
held is taken over as soon as its lease (renewed while it lived) runs out, and a live process, however
slow, keeps what it holds. Announcing first, a first notice posted but not recorded is found and
edited, and an edit not recorded is made again: one message per filing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from slackstandin import SlackStandin
from waiting import wait_for

from monitor.delivery import Deliverer
from monitor.delivery.transport import Transport
from monitor.filing import Filing
from monitor.store import DeliveryState, Store, open_store
from notifiers.slack import SlackNotifier

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("crashing_deliverer.py")
LEASE_S = 3.0
CH = "#hkex-filings"
REPORT = {"company": "SenseTime Group Inc.", "kind": "interim", "period_end": "2025-06-30", "months": 6,
          "prior_period_end": "2024-06-30", "currency": "RMB", "language": "en",
          "metrics": {"revenue": {"current": 2_358_198_000, "prior": 1_739_717_000, "vouched_by": ["x"]}}}


URLS: dict[int, str] = {}  # id(store) -> its URL, for the child process


@pytest.fixture(params=["redis", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = (str(request.getfixturevalue("redis_url")) if request.param == "redis"
           else f"sqlite:///{tmp_path}/state.sqlite3")
    s = open_store(url, namespace="crash")
    URLS[id(s)] = url
    yield s
    s.close()


class Child:
    def __init__(self, store: Store, slack: SlackStandin, stage: str, *, announce: bool = False,
                 lease_s: float = LEASE_S) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        argv = [sys.executable, str(CHILD), URLS[id(store)], slack.api_url, slack.token, stage, str(lease_s),
                "1" if announce else "0"]
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "READY"

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        assert self.proc.wait(10) == -signal.SIGKILL

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


def survivor(store: Store, slack: SlackStandin, *, announce: bool = False) -> Deliverer:
    transport = Transport(SlackNotifier(slack.token, api_url=slack.api_url))
    return Deliverer(store, transport, owner="survivor", lease_s=LEASE_S, announce_first=announce)


@pytest.mark.parametrize("stage, posted_by_child", [("before_send", 0), ("after_send", 1)])
def test_killed_between_claim_and_delivered(store: Store, slack_standin: SlackStandin,
                                            make_filing: Callable[..., Filing], stage: str,
                                            posted_by_child: int) -> None:
    f = make_filing()
    store.save_report(f, REPORT)
    store.enqueue(f, CH)
    child = Child(store, slack_standin, stage)
    try:
        child.kill()
    finally:
        child.close()
    assert len(slack_standin.posts) == posted_by_child
    taker = survivor(store, slack_standin)
    killed_at = time.monotonic()
    wait_for(lambda: taker.deliver_pending().sent == 1, 10 * LEASE_S, "the dead process's alert taken over")
    took = time.monotonic() - killed_at
    assert len(slack_standin.posts) == 1  # exactly once, whichever side of the post the kill fell
    assert store.state(f.id, CH) is DeliveryState.DELIVERED
    assert slack_standin.calls("conversations.history") == 1  # the takeover looked before posting
    print(f"taken over {took:.1f}s after the kill (lease {LEASE_S:g}s)")


def test_a_live_slow_process_keeps_its_claim(store: Store, slack_standin: SlackStandin,
                                             make_filing: Callable[..., Filing]) -> None:
    f = make_filing()
    store.save_report(f, REPORT)
    store.enqueue(f, CH)
    child = Child(store, slack_standin, "before_send")  # stuck before its post, alive, renewing
    try:
        taker = survivor(store, slack_standin)
        deadline = time.monotonic() + 3 * LEASE_S  # three leases: its renewals are what keep it
        while time.monotonic() < deadline:
            assert taker.deliver_pending().sent == 0
            [alert] = store.pending()
            assert alert.owner == "doomed" and alert.owner_alive is True
            time.sleep(0.5)
        child.kill()
    finally:
        child.close()
    wait_for(lambda: taker.deliver_pending().sent == 1, 10 * LEASE_S, "taken over once it died")
    assert len(slack_standin.posts) == 1


def test_first_notice_posted_but_not_recorded_is_found_and_edited(
        store: Store, slack_standin: SlackStandin, make_filing: Callable[..., Filing]) -> None:
    f = make_filing()  # its document is not read yet: the first notice goes out
    store.enqueue(f, CH)
    child = Child(store, slack_standin, "after_send", announce=True)
    try:
        child.kill()
    finally:
        child.close()
    [notice] = slack_standin.posts
    assert "figures coming" in notice.text
    taker = survivor(store, slack_standin, announce=True)
    wait_for(lambda: taker.deliver_pending().announced == 1, 10 * LEASE_S,
             "the first notice found in the history and recorded")
    assert store.receipt(f.id, CH) == notice.ts and len(slack_standin.posts) == 1
    store.save_report(f, REPORT)  # the document is read
    assert taker.deliver_pending().sent == 1
    assert len(slack_standin.posts) == 1 and len(slack_standin.updates) == 1
    edited = slack_standin.message(CH, notice.ts)
    assert edited is not None and "RMB 2,358.2m" in edited.text
    assert store.state(f.id, CH) is DeliveryState.DELIVERED


def test_an_edit_not_recorded_is_made_again_in_the_same_message(store: Store, slack_standin: SlackStandin,
                                                                make_filing: Callable[..., Filing]) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    assert survivor(store, slack_standin, announce=True).deliver_pending().announced == 1
    [notice] = slack_standin.posts
    store.save_report(f, REPORT)
    child = Child(store, slack_standin, "after_update", announce=True)
    try:
        child.kill()
    finally:
        child.close()
    assert len(slack_standin.updates) == 1 and store.state(f.id, CH) is not DeliveryState.DELIVERED
    taker = survivor(store, slack_standin, announce=True)
    wait_for(lambda: taker.deliver_pending().sent == 1, 10 * LEASE_S, "the edit made again")
    assert len(slack_standin.posts) == 1  # never a second post
    assert [u.ts for u in slack_standin.updates] == [notice.ts, notice.ts]
    assert slack_standin.updates[0].text == slack_standin.updates[1].text
    assert store.state(f.id, CH) is DeliveryState.DELIVERED
