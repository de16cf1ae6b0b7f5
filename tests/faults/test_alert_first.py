"""Issue 19: a watched filing is in Slack within seconds whatever the backlog, the fault or the crash.

With a bot token the first notice is posted as soon as the poll finds the filing and the figures are
added to that same message once its document is read: a slow document or a long document backlog
delays the figures, never the alert. A process killed while it holds alerts loses them to another in
seconds; after a Slack outage everything pending goes out within 30 s of Slack answering again; the
real daemon is used with the HKEXnews and Slack stand-ins and a real Redis."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from conftest import Running, cli, cli_env, publish_results, settings, tally, wait_for
from slackstandin import Fail, SlackStandin

from monitor.daemon import Daemon
from monitor.hkexnews.standin import HKEXnewsStandIn
from monitor.store import DeliveryState
from parsers.reading import read_document


def parse_in_process(data: bytes, reader: str) -> dict[str, Any]:
    record = read_document(data).record
    assert record is not None
    return record.to_json_dict()


def test_a_slow_document_is_announced_at_once_then_its_figures_fill_the_same_message(
        hkex: HKEXnewsStandIn, slack_standin: SlackStandin, redis_url: str) -> None:
    [fid] = publish_results(hkex, 1, trickle_bytes_per_s=20_000)  # the PDF takes about 20 s to download
    daemon = Daemon(settings(hkex, slack_standin, redis_url), parse=parse_in_process)
    with Running(daemon):
        wait_for(lambda: len(slack_standin.posts) == 1, 30, "the first notice")
        [notice] = slack_standin.posts
        assert "figures coming" in notice.text
        assert daemon.components.store.get_report(fid) is None  # posted before the document was read
        assert daemon.components.store.state(fid, "#results") is DeliveryState.ANNOUNCED
        wait_for(lambda: daemon.components.store.state(fid, "#results") is DeliveryState.DELIVERED, 90,
                 "the figures added")
    edited = slack_standin.message("#results", notice.ts)
    assert edited is not None and "RMB 406.8m" in edited.text
    assert len(slack_standin.posts) == 1 and [u.ts for u in slack_standin.updates] == [notice.ts]
    tally("slow document (20 s): announced, then edited", {fid}, slack_standin)


def test_figures_do_not_wait_behind_a_post_waiting_for_its_channels_turn(
        hkex: HKEXnewsStandIn, slack_standin: SlackStandin, redis_url: str) -> None:
    """Two results for one channel whose pace is one post a minute: the first notice goes, the second
    waits its minute; the first one's figures, read meanwhile, are edited in at once, not after that
    minute (BENCHMARKS.md "Findings" 9). Ordered by events: no document is read before the first
    notice is up."""
    expected = set(publish_results(hkex, 2))
    release = threading.Event()

    def parse_when_released(data: bytes, reader: str) -> dict[str, Any]:
        release.wait(120)
        return parse_in_process(data, reader)

    daemon = Daemon(settings(hkex, slack_standin, redis_url, slack={"min_post_interval_s": 60}),
                    parse=parse_when_released)
    with Running(daemon):
        wait_for(lambda: len(slack_standin.posts) == 1, 30, "the first notice")
        [first] = slack_standin.posts
        assert "figures coming" in first.text
        release.set()
        # the other first notice waits 60 s for the channel; the figures must not wait with it
        wait_for(lambda: len(slack_standin.updates) == 1, 30, "the first notice's figures")
        assert [u.ts for u in slack_standin.updates] == [first.ts] and len(slack_standin.posts) == 1
        edited = slack_standin.message("#results", first.ts)
        assert edited is not None and "RMB 406.8m" in edited.text
    assert set(slack_standin.filing_counts()) <= expected
    assert all(n == 1 for n in slack_standin.filing_counts().values())  # nothing posted twice


def test_a_filing_published_into_a_document_backlog_is_announced_within_a_poll(
        hkex: HKEXnewsStandIn, slack_standin: SlackStandin, redis_url: str) -> None:
    backlog = set(publish_results(hkex, 60))
    release = threading.Event()

    def slow_parse(data: bytes, reader: str) -> dict[str, Any]:
        release.wait(120)  # the readers are busy for as long as the test says
        return parse_in_process(data, reader)

    daemon = Daemon(settings(hkex, slack_standin, redis_url), parse=slow_parse)
    with Running(daemon):
        wait_for(lambda: len(slack_standin.posts) == len(backlog), 60, "the backlog's first notices")
        [late] = publish_results(hkex, 1, start=12490000)
        wait_for(lambda: late in slack_standin.filing_counts(), 30, "the late filing's first notice")
        waiting = daemon.components.store.document_backlog()
        assert waiting.waiting + waiting.in_progress >= len(backlog)  # no document has been read yet
        release.set()
        wait_for(lambda: not daemon.components.store.pending(), 120, "every figure added")
    assert len(slack_standin.posts) == len(backlog) + 1 == len(slack_standin.updates)
    tally("a filing 1 poll into a 60-document backlog", backlog | {late}, slack_standin)


def test_a_killed_daemons_alerts_are_taken_over_in_seconds(
        tmp_path: Path, hkex: HKEXnewsStandIn, slack_standin: SlackStandin, redis_url: str) -> None:
    expected = set(publish_results(hkex, 3))
    # Slack takes the posts and never answers: the daemon holds the claims when it is killed.
    slack_standin.fail("chat.postMessage", Fail.accept_then_hang(), times=3)
    cfg = tmp_path / "w.toml"
    cfg.write_text('[[watch]]\ncode = "2512"\nchannel = "#results"\n[schedule]\nin_window_s = 1\n'
                   'off_window_s = 1\n[slack]\ntimeout_s = 30\nmin_post_interval_s = 0\n'
                   '[daemon]\nhttp_port = 0\n')
    env = cli_env(hkex, slack_standin, redis_url)
    proc = subprocess.Popen(cli("run", "--config", str(cfg)), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: len(slack_standin.posts) >= 1, 60, "a post in flight")
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    killed_at = time.monotonic()
    slack_standin.clear_failures()
    daemon = Daemon(settings(hkex, slack_standin, redis_url), parse=parse_in_process)
    with Running(daemon):
        wait_for(lambda: not daemon.components.store.pending(), 60, "the killed daemon's alerts delivered")
    took = time.monotonic() - killed_at
    assert slack_standin.calls("conversations.history") >= 1  # the takeover looked before re-posting
    tally(f"kill -9 holding claims, another daemon (took {took:.0f}s)", expected, slack_standin)


def test_after_a_slack_outage_everything_pending_goes_out_within_30s(
        hkex: HKEXnewsStandIn, slack_standin: SlackStandin, redis_url: str) -> None:
    expected = set(publish_results(hkex, 3))
    slack_standin.fail("*", Fail.server_error(), times=100_000)  # every call: HTTP 500
    daemon = Daemon(settings(hkex, slack_standin, redis_url, slack={"min_post_interval_s": 1}),
                    parse=parse_in_process)
    with Running(daemon):
        # Long enough for the gate's backoff to reach its cap (2, 4, 8, 15 s).
        wait_for(lambda: len(slack_standin.requests) >= 5, 90, "several failed probes")
        slack_standin.clear_failures()
        recovered = time.monotonic()
        wait_for(lambda: not daemon.components.store.pending(), 30, "everything delivered after the outage")
        took = time.monotonic() - recovered
    tally(f"Slack 500 for a while, then back (all out {took:.0f}s after)", expected, slack_standin)


def test_once_waits_out_a_short_retry_after_and_delivers(
        tmp_path: Path, hkex: HKEXnewsStandIn, slack_standin: SlackStandin, redis_url: str) -> None:
    expected = set(publish_results(hkex, 3))
    slack_standin.fail("chat.postMessage", Fail.ratelimited(retry_after=1))
    cfg = tmp_path / "w.toml"
    cfg.write_text('[[watch]]\ncode = "2512"\nchannel = "#results"\n[slack]\nmin_post_interval_s = 0\n'
                   '[daemon]\nhttp_port = 0\n')
    run = subprocess.run(cli("once", "--config", str(cfg)), env=cli_env(hkex, slack_standin, redis_url),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert any(t.status == 429 for t in slack_standin.timeline)
    assert slack_standin.calls_inside_retry_after() == []
    tally("once: one 429 with Retry-After 1", expected, slack_standin)


def test_once_ends_with_the_reason_on_a_long_retry_after(
        tmp_path: Path, hkex: HKEXnewsStandIn, slack_standin: SlackStandin, redis_url: str) -> None:
    publish_results(hkex, 2)
    slack_standin.fail("chat.postMessage", Fail.ratelimited(retry_after=120))
    cfg = tmp_path / "w.toml"
    cfg.write_text('[[watch]]\ncode = "2512"\nchannel = "#results"\n[slack]\nmin_post_interval_s = 0\n'
                   'max_retry_after_s = 5\n[daemon]\nhttp_port = 0\n')
    run = subprocess.run(cli("once", "--config", str(cfg)), env=cli_env(hkex, slack_standin, redis_url),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "paused" in run.stderr and "longer than this run waits" in run.stderr
    assert slack_standin.calls("chat.postMessage") == 1  # nothing more was tried inside the pause
