"""The deliverer end to end: real Redis (or SQLite), real slack-sdk, the Slack stand-in."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from slackstandin import Fail, SlackStandin

from monitor.delivery.deliverer import CONFIG_ERROR_PAUSE_S, Deliverer
from monitor.delivery.gate import SlackGate
from monitor.delivery.transport import Transport
from monitor.errors import StoreError
from monitor.filing import Filing, FilingKind
from monitor.metrics import Metrics
from monitor.store import DeliveryState, PendingAlert, Store, open_store
from monitor.store.redis import RedisStore
from monitor.store.sqlite import SqliteStore
from notifiers.base import Message
from notifiers.slack import SlackNotifier

CH = "#hkex-filings"
MakeFiling = Callable[..., Filing]
REPORT = {"company": "SenseTime Group Inc.", "kind": "interim", "period_end": "2025-06-30", "months": 6,
          "prior_period_end": "2024-06-30", "currency": "RMB", "language": "en",
          "metrics": {"revenue": {"current": 2_358_198_000, "prior": 1_739_717_000},
                      "profit_for_period": {"current": -1_489_270_000, "prior": -2_477_212_000}}}


def notifier(slack: SlackStandin, token: str | None = None) -> Transport:
    return Transport(SlackNotifier(token or slack.token, api_url=slack.api_url, max_retries=1, timeout_s=2,
                                   backoff_s=0.01))


@pytest.fixture(params=["redis", "sqlite"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "redis":
        return str(request.getfixturevalue("redis_url"))
    return f"sqlite:///{tmp_path}/state.sqlite3"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = open_store(store_url, namespace="d")
    yield s
    s.close()


def gate(store: Store, owner: str = "a", **kw: object) -> SlackGate:
    """The cluster's gate on Slack, with no per-channel pace (one post a second would only slow the
    tests) and short backoffs after Slack failed."""
    return SlackGate(store, owner=owner, call_ttl_s=10, min_post_interval_s=0,  # type: ignore[arg-type]
                     trouble_backoff_s=(0.05, 0.1, 0.2), **kw)


def deliverer(store: Store, slack: SlackStandin, owner: str = "a", render: object = None,
              **kw: object) -> Deliverer:
    return Deliverer(store, notifier(slack, **kw), owner=owner, lease_s=5, render=render,  # type: ignore[arg-type]
                     gate=gate(store, owner))


def test_two_runs_post_once(store: Store, slack_standin: SlackStandin, make_filing: MakeFiling) -> None:
    results = make_filing("R1")
    store.save_report(results, REPORT)
    store.enqueue(results, CH)
    for i in range(3):
        store.enqueue(make_filing(f"O{i}", kind=FilingKind.OTHER), CH)
    metrics = Metrics()
    d = Deliverer(store, notifier(slack_standin), owner="a", lease_s=5, metrics=metrics, gate=gate(store))
    first = d.deliver_pending()
    assert (first.sent, first.failed, first.skipped, first.pending, first.messages) == (4, 0, 0, 0, 2)
    second = d.deliver_pending()
    assert (second.sent, second.messages, second.pending) == (0, 0, 0)
    assert store.enqueue(results, CH) is False
    assert deliverer(store, slack_standin, "b").deliver_pending().messages == 0
    others, summary = slack_standin.posts  # newest first: the others were enqueued after the results
    assert "RMB 2,358.2m" in summary.text and "loss narrowed 39.9%" in summary.text
    assert others.metadata == {"event_type": "hkex_filing",
                               "event_payload": {"filing_ids": ["O0", "O1", "O2"]}}
    assert metrics.alerts_sent.labels(kind="results")._value.get() == 1
    assert metrics.alerts_sent.labels(kind="filing")._value.get() == 1


def test_two_instances_racing_post_once(store_url: str, slack_standin: SlackStandin,
                                        make_filing: MakeFiling) -> None:
    stores = [open_store(store_url, namespace="d") for _ in range(4)]
    for i in range(8):
        stores[0].save_report(make_filing(f"R{i}"), REPORT)
        stores[0].enqueue(make_filing(f"R{i}"), CH)
        stores[0].enqueue(make_filing(f"O{i}", codes=(f"{i:05d}",), kind=FilingKind.OTHER), "#results")
    barrier = threading.Barrier(len(stores))
    outcomes, errors = [], []

    def run(i: int) -> None:
        try:
            d = deliverer(stores[i], slack_standin, owner=f"instance-{i}")
            barrier.wait()
            for _ in range(3):
                outcomes.append(d.deliver_pending())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    ids = [fid for p in slack_standin.posts for fid in p.metadata["event_payload"]["filing_ids"]]
    assert sorted(ids) == sorted([f"R{i}" for i in range(8)] + [f"O{i}" for i in range(8)])
    assert sum(o.sent for o in outcomes) == 16
    for s in stores:
        s.close()


def test_rate_limited_then_ok_posts_once(store: Store, slack_standin: SlackStandin,
                                         make_filing: MakeFiling) -> None:
    f = make_filing()
    store.save_report(f, REPORT)
    store.enqueue(f, CH)
    slack_standin.fail("chat.postMessage", Fail.ratelimited(retry_after=0))
    d = deliverer(store, slack_standin)
    assert d.deliver_pending().failed == 1  # the transport raises a 429 at once; it never sleeps or re-sends
    [alert] = store.pending()
    assert alert.attempts == 0  # not the alert's fault: no attempt counted, no backoff of its own
    outcome = d.deliver_pending()
    assert outcome.sent == 1 and len(slack_standin.posts) == 1
    assert slack_standin.calls("chat.postMessage") == 2


def test_slack_refusing_is_one_probe_at_a_time_and_a_success_ends_every_wait(
        store: Store, slack_standin: SlackStandin, make_filing: MakeFiling,
        caplog: pytest.LogCaptureFixture) -> None:
    """Slack failing is the workspace's trouble, not each alert's: the gate pauses every call for a
    short growing backoff, each round tries one send, and when Slack answers again everything
    pending goes out at once (no alert is left behind a backoff of its own)."""
    for i in range(3):
        f = make_filing(f"R{i}")
        store.save_report(f, REPORT)
        store.enqueue(f, CH)
    metrics = Metrics()
    d = Deliverer(store, notifier(slack_standin), owner="a", lease_s=5, metrics=metrics, gate=gate(store))
    slack_standin.refuse()  # nothing reaches Slack: certainly not posted
    for _ in range(3):
        outcome = d.deliver_pending()
        assert (outcome.sent, outcome.failed, outcome.pending) == (0, 1, 3)  # one probe, the rest wait
    assert slack_standin.requests == []
    assert metrics.alert_failures.labels(reason="connection")._value.get() == 3
    assert all(a.not_before <= time.time() for a in store.pending())  # no alert backs off on its own
    slack_standin.resume()
    outcome = d.deliver_pending()
    assert (outcome.sent, outcome.pending) == (3, 0)
    assert len(slack_standin.posts) == 3 and store.paused_for("slack:trouble") == 0
    assert metrics.pending._value.get() == 0


def test_bad_credentials_one_error_then_a_pause_no_tight_loop(store: Store, slack_standin: SlackStandin,
                                                               make_filing: MakeFiling,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    for i in range(5):
        store.save_report(make_filing(f"R{i}"), REPORT)
        store.enqueue(make_filing(f"R{i}"), CH)
        store.enqueue(make_filing(f"R{i}"), "#results")
    clock = [time.time()]
    d = Deliverer(store, notifier(slack_standin, token="xoxb-revoked"), owner="a", lease_s=5,
                  clock=lambda: clock[0], gate=gate(store))
    outcome = d.deliver_pending()
    assert (outcome.sent, outcome.failed, outcome.skipped, outcome.pending) == (0, 1, 9, 10)
    errors = [r for r in caplog.records
              if r.levelno >= logging.ERROR and r.name == "monitor.delivery.deliverer"]
    assert len(errors) == 1 and "invalid_auth" in errors[0].getMessage()
    assert "any channel" in errors[0].getMessage()
    for _ in range(3):  # the delivery loop runs every few seconds: the bad token is not tried again
        caplog.clear()
        clock[0] += 10
        outcome = d.deliver_pending()
        assert (outcome.sent, outcome.failed, outcome.skipped) == (0, 0, 10)
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert slack_standin.calls("chat.postMessage") == 1
    clock[0] += CONFIG_ERROR_PAUSE_S  # after the pause: one more try, one more error
    assert d.deliver_pending().failed == 1
    assert slack_standin.calls("chat.postMessage") == 2
    assert "xoxb-revoked" not in caplog.text


def test_unknown_channel_blocks_only_that_channel(store: Store, slack_standin: SlackStandin,
                                                  make_filing: MakeFiling,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    for i in range(3):
        store.save_report(make_filing(f"R{i}"), REPORT)
        store.enqueue(make_filing(f"R{i}"), "#gone")
        store.enqueue(make_filing(f"R{i}"), CH)
    outcome = deliverer(store, slack_standin).deliver_pending()
    assert (outcome.sent, outcome.failed, outcome.skipped, outcome.pending) == (3, 1, 2, 3)
    assert len(slack_standin.posts) == 3
    assert caplog.text.count("channel_not_found") == 1


def test_an_alert_waits_for_its_figures_without_announcing_first(store: Store, slack_standin: SlackStandin,
                                                                   make_filing: MakeFiling) -> None:
    store.save_report(make_filing("A"), REPORT)
    store.enqueue(make_filing("A"), CH)
    store.enqueue(make_filing("B"), CH)  # its document is not read yet
    d = deliverer(store, slack_standin)
    outcome = d.deliver_pending()
    assert (outcome.sent, outcome.skipped, outcome.pending) == (1, 1, 1)
    assert store.pending()[0].attempts == 0  # waiting is not an attempt


def test_results_without_figures_and_custom_render(store: Store, slack_standin: SlackStandin,
                                                   make_filing: MakeFiling) -> None:
    failed, unparsed = make_filing("F1"), make_filing("F2")
    store.save_report(failed, {"error": "encrypted PDF"})
    store.enqueue(failed, CH)
    store.enqueue(unparsed, CH)
    deliverer(store, slack_standin).deliver_pending()  # F2 is not read yet
    assert "encrypted PDF" in slack_standin.posts[0].text and len(slack_standin.posts) == 1

    def custom(alerts: list[PendingAlert]) -> Message:
        return Message(alerts[0].channel, "custom", (), ("F2",))

    store.save_report(unparsed, REPORT)
    deliverer(store, slack_standin, render=custom).deliver_pending()
    assert slack_standin.posts[1].text == "custom"


def test_compares_with_last_final_results(store: Store, slack_standin: SlackStandin,
                                          make_filing: MakeFiling) -> None:
    from datetime import datetime

    from monitor.filing import HKT

    final = make_filing("FINAL", kind=FilingKind.FINAL_RESULTS, released_at=datetime(2025, 3, 26, tzinfo=HKT))
    store.save_report(final, {**REPORT, "kind": "final", "months": 12, "period_end": "2024-12-31"})
    interim = make_filing("INTERIM")
    store.save_report(interim, REPORT)
    store.enqueue(interim, CH)
    deliverer(store, slack_standin).deliver_pending()
    blocks = str(slack_standin.posts[0].blocks)
    assert "Compared with the last final results* (Year ended 31 December 2024)" in blocks


def test_burst_of_thirty_is_one_message(store: Store, slack_standin: SlackStandin,
                                        make_filing: MakeFiling) -> None:
    for i in range(30):
        store.enqueue(make_filing(f"O{i:02d}", kind=FilingKind.OTHER), CH)
    outcome = deliverer(store, slack_standin).deliver_pending()
    assert (outcome.sent, outcome.messages) == (30, 1)
    [post] = slack_standin.posts
    assert post.blocks is not None and len(post.blocks) <= 50
    assert len(post.metadata["event_payload"]["filing_ids"]) == 30


def test_render_failure_releases_the_claim(store: Store, slack_standin: SlackStandin,
                                           make_filing: MakeFiling) -> None:
    store.save_report(make_filing(), REPORT)
    store.enqueue(make_filing(), CH)

    def broken(alerts: list[object]) -> Message:
        raise RuntimeError("bug")

    outcome = deliverer(store, slack_standin, render=broken).deliver_pending()
    assert (outcome.failed, outcome.pending) == (1, 1)
    assert store.state("2025082700123", CH) is DeliveryState.NEW
    store.retry_now()
    assert deliverer(store, slack_standin).deliver_pending().sent == 1


def test_store_down_raises_and_sends_nothing(slack_standin: SlackStandin) -> None:
    down = RedisStore("redis://127.0.0.1:1/0", timeout_s=0.2)
    with pytest.raises(StoreError):
        deliverer(down, slack_standin).deliver_pending()
    assert slack_standin.requests == []


def test_sqlite_store_unwritable_raises(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    with pytest.raises(StoreError):
        SqliteStore(f"sqlite:///{tmp_path}/f/x.sqlite3")


def test_newest_first_in_rounds_of_a_limited_size(store: Store, slack_standin: SlackStandin,
                                                  make_filing: MakeFiling) -> None:
    """A backlog goes out newest first, a limited number of messages per round, so a filing that
    appears while a backlog drains is sent in the next round, not after the whole backlog."""
    for i in range(6):
        f = make_filing(f"R{i}", codes=(f"{i + 1:05d}",))
        store.save_report(f, REPORT)
        store.enqueue(f, CH)
    d = deliverer(store, slack_standin)
    first = d.deliver_pending(limit=2)
    assert (first.sent, first.more, first.pending) == (2, True, 4)
    late = make_filing("LATE", codes=("00099",))
    store.save_report(late, REPORT)
    store.enqueue(late, CH)
    second = d.deliver_pending(limit=2)
    assert second.sent == 2 and second.more
    order = [p.metadata["event_payload"]["filing_ids"][0] for p in slack_standin.posts]
    assert order[:3] == ["R5", "R4", "LATE"]  # the late filing did not wait for the rest of the backlog
    rest = d.deliver_pending()
    assert (rest.sent, rest.more, rest.pending) == (3, False, 0)


def test_a_settled_claim_is_not_reported_lost_while_its_step_goes_on(
        store: Store, slack_standin: SlackStandin, make_filing: MakeFiling,
        caplog: pytest.LogCaptureFixture) -> None:
    """A follow-up is posted in its original's thread (marked delivered), then the step edits the
    original ("see the update in the thread"); that edit is slow. The claim keeper renews meanwhile
    (a 0.6 s lease: every 0.2 s) and must not take the settled claim for one lost to another process."""
    original = make_filing("O1", kind=FilingKind.BOARD_MEETING)  # a message of its own: it can be marked
    store.save_report(original, {"document": "board_meeting", "meeting_date": "2026-12-20"})
    store.enqueue(original, CH)
    d = Deliverer(store, notifier(slack_standin), owner="a", lease_s=0.6, gate=gate(store))
    assert d.deliver_pending().sent == 1
    store.enqueue(make_filing("F1", kind=FilingKind.OTHER), CH, data={"thread_of": "O1"})
    slack_standin.fail("chat.update", Fail.accept_then_hang(delay_s=1.5))
    with caplog.at_level(logging.WARNING, logger="monitor.delivery"):
        outcome = d.deliver_pending()
    assert outcome.sent == 1 and outcome.failed == 0
    reply = slack_standin.posts[-1]
    assert reply.thread_ts == slack_standin.posts[0].ts  # the follow-up went into the thread
    assert slack_standin.calls("chat.update") == 1  # the slow edit of the original was made
    assert not [r for r in caplog.records if "lost the claim" in r.getMessage()]
    d.close()
