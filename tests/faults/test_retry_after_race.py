"""Issue 22: Slack's Retry-After is in force for every call of the workspace, on every instance, from
the moment the 429 is answered, including a send that was planned (already waiting for its turn)
before it. Several alerts ready for one channel, at Slack's per-channel pace, two instances, a 429
answered slowly while the next sends are lined up; run many times. The stand-in times every call:
none may reach it inside a Retry-After window, nothing may be lost or posted twice."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from slackstandin import Fail, SlackStandin

from monitor.delivery import Deliverer, SlackGate
from monitor.delivery.transport import Transport
from monitor.filing import Filing
from monitor.store import Store, open_store
from notifiers.slack import SlackNotifier

RUNS = 5
ALERTS = 6
RETRY_AFTER_S = 2
REPORT = {"company": "SenseTime Group Inc.", "kind": "interim", "period_end": "2025-06-30", "months": 6,
          "prior_period_end": "2024-06-30", "currency": "RMB", "language": "en",
          "metrics": {"revenue": {"current": 2_358_198_000, "prior": 1_739_717_000, "vouched_by": ["x"]}}}


def instance(url: str, slack: SlackStandin, owner: str, namespace: str) -> tuple[Deliverer, Store]:
    store = open_store(url, namespace=namespace)
    transport = Transport(SlackNotifier(slack.token, api_url=slack.api_url, max_retries=0, timeout_s=10))
    gate = SlackGate(store, owner=owner, call_ttl_s=20, min_post_interval_s=0.3)  # a fast channel pace
    return Deliverer(store, transport, owner=owner, lease_s=10, gate=gate), store


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["redis", "sqlite"])
def test_no_slack_call_inside_a_retry_after_window(backend: str, request: pytest.FixtureRequest,
                                                   tmp_path: Path,
                                                   make_filing: Callable[..., Filing]) -> None:
    url = (str(request.getfixturevalue("redis_url")) if backend == "redis"
           else f"sqlite:///{tmp_path}/state.sqlite3")
    violations, lost, doubled = [], 0, 0
    for run in range(RUNS):
        with SlackStandin() as slack:
            namespace = f"race{run}"
            a, a_store = instance(url, slack, "instance-a", namespace)
            b, b_store = instance(url, slack, "instance-b", namespace)
            ids = [f"{run}{i:03d}" for i in range(ALERTS)]
            for fid in ids:
                filing = make_filing(fid)
                a_store.save_report(filing, REPORT)
                a_store.enqueue(filing, "#hkex-filings")
            # The second post is answered 429 slowly: the other sends are lined up behind it meanwhile.
            slack.fail("chat.postMessage", Fail(429, {"ok": False, "error": "ratelimited"},
                                                (("Retry-After", str(RETRY_AFTER_S)),), delay_s=0.4))

            def loop(d: Deliverer, store: Store) -> None:
                while store.pending():
                    d.deliver_pending()

            threads = [threading.Thread(target=loop, args=args) for args in ((a, a_store), (b, b_store))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
            assert not any(t.is_alive() for t in threads)
            violations += slack.calls_inside_retry_after()
            counts = slack.filing_counts()
            lost += sum(1 for fid in ids if counts[fid] == 0)
            doubled += sum(1 for fid in ids if counts[fid] > 1)
            assert any(t.status == 429 for t in slack.timeline)  # the fault really happened
            for d, s in ((a, a_store), (b, b_store)):
                d.close()
                s.close()
    assert violations == [], [(v[0].answered_at, v[1].method, v[1].received_at) for v in violations]
    assert (lost, doubled) == (0, 0)
