"""A process SIGKILLed anywhere between claim and "delivered" loses nothing and posts once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from slackstandin import SlackStandin

from monitor.delivery import Deliverer
from monitor.delivery.transport import Transport
from monitor.filing import Filing
from monitor.store import DeliveryState, open_store
from notifiers.slack import SlackNotifier

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("crashing_deliverer.py")
LEASE_S = 1.5  # long enough that the checks below run while the dead claim is still live
CH = "#hkex-filings"


@pytest.fixture(params=["redis", "sqlite"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "redis":
        return str(request.getfixturevalue("redis_url"))
    return f"sqlite:///{tmp_path}/state.sqlite3"


def run_and_kill(store_url: str, slack: SlackStandin, stage: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, str(CHILD), store_url, slack.api_url, slack.token, stage,
                              str(LEASE_S)], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "READY"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout:
            child.stdout.close()


@pytest.mark.parametrize("stage, posted_by_child", [("before_send", 0), ("after_send", 1)])
def test_killed_between_claim_and_delivered(store_url: str, slack_standin: SlackStandin,
                                            make_filing: Callable[..., Filing], stage: str,
                                            posted_by_child: int) -> None:
    store = open_store(store_url, namespace="crash")
    f = make_filing()
    store.enqueue(f, CH)
    run_and_kill(store_url, slack_standin, stage)
    assert len(slack_standin.posts) == posted_by_child
    assert store.state(f.id, CH) is DeliveryState.CLAIMED  # the dead instance's lease is still live

    slack = Transport(SlackNotifier(slack_standin.token, api_url=slack_standin.api_url))
    survivor = Deliverer(store, slack, owner="survivor", lease_s=30)
    early = survivor.deliver_pending()
    assert (early.sent, early.skipped, early.pending) == (0, 1, 1)  # never steals a live lease

    time.sleep(LEASE_S + 0.1)
    late = survivor.deliver_pending()
    assert (late.sent, late.pending) == (1, 0)
    assert len(slack_standin.posts) == 1  # exactly once, whichever side of the post the kill fell
    assert store.state(f.id, CH) is DeliveryState.DELIVERED
    assert slack_standin.calls("conversations.history") == 1  # the takeover looked before posting
    store.close()
