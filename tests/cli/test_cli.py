"""The ``hkex-monitor`` command tells the truth: exit status, reasons, help pages, and no traceback
anywhere a user can reach (future dates, closed pipes, Ctrl-C, unreadable files, credentials in URLs).

The command runs as a subprocess against the HKEXnews and Slack stand-ins and a real Redis; nothing is
patched.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from slackstandin import SlackStandin
from waiting import free_port, http_get, wait_for

from monitor.cli import main
from monitor.cli.args import COMMANDS
from monitor.filing import HKT, Filing, FilingKind
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling
from monitor.store import open_store

FIXTURES = Path(__file__).parents[1] / "fixtures"
CLOUD_FACTORY = (FIXTURES / "2512-cloud-factory-interim-2025.pdf").read_bytes()
NO_TRACE = ("Traceback", "Exception ignored", "Process parse")


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "monitor.cli", *args]


def no_traceback(*texts: str) -> None:
    for text in texts:
        for marker in NO_TRACE:
            assert marker not in text, text




def results_filing(news_id: int, code: str, name: str, when: datetime, title: str = "INTERIM RESULTS",
                   document: bytes = CLOUD_FACTORY) -> StandInFiling:
    return StandInFiling(news_id, [(code, name)], title, "Interim Results", "13400", when,
                         f"/listedco/listconews/sehk/{when:%Y/%m%d}/{when:%Y%m%d}{news_id % 100000:05d}.pdf",
                         document)


@pytest.fixture
def hkex() -> Iterator[HKEXnewsStandIn]:
    with HKEXnewsStandIn() as standin:
        yield standin


@pytest.fixture
def env(hkex: HKEXnewsStandIn, slack_standin: SlackStandin, redis_url: str, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "HKEX_MONITOR_HKEXNEWS_URL": hkex.base_url, "HKEX_MONITOR_STORE_URL": redis_url,
            "SLACK_BOT_TOKEN": slack_standin.token, "SLACK_API_URL": slack_standin.api_url,
            "HOME": str(tmp_path), "PYTHONUNBUFFERED": "1"}


def write_config(path: Path, *, channel: str = "#results", extra: str = "") -> Path:
    path.write_text(f"""
[[watch]]
code = "2512"
name = "Cloud Factory"
channel = "{channel}"

[[watch]]
code = "0020"
name = "SenseTime"
{extra}
[hkexnews]
min_request_interval_s = 0.05
backoff_s = 0.05

[slack]
default_channel = "#hkex-filings"
max_retries = 0

[schedule]
in_window_s = 300
off_window_s = 300

[daemon]
http_port = 0
heartbeat_s = 1
reload_check_s = 0.2
""")
    return path


# -- help and options -------------------------------------------------------------------------------
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_a_help_page_with_a_description(command: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    page = " ".join(capsys.readouterr().out.split())
    description = " ".join(COMMANDS[command][1].split())
    assert description[:60] in page and len(description) > 80


@pytest.mark.parametrize("level", ["debug", "DEBUG", "Info", "warning", "error"])
def test_log_level_in_any_case(level: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--log-level", level, "check-config"]) == 0
    assert main(["check-config", "--log-level", level]) == 0
    assert "embedded defaults: OK" in capsys.readouterr().out


def test_unknown_log_level_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--log-level", "loud", "check-config"])
    assert exit_.value.code == 2 and "LOUD" in capsys.readouterr().err


def test_check_config_is_offline_points_to_doctor_and_hides_credentials(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "w.toml")
    cfg.write_text(cfg.read_text().replace('name = "Cloud Factory"', 'name = "xoxb-9-8-pasted"'))
    run = subprocess.run(cli("check-config", "--config", str(cfg)), capture_output=True, text=True,
                         timeout=60, env={**os.environ, "HKEX_MONITOR_STORE_URL": "redis://:hunter2@10.9.9.9:6379/0",
                              "HKEX_MONITOR_HKEXNEWS_URL": "http://me:pw0rd@127.0.0.1:1",
                              "SLACK_BOT_TOKEN": "xoxb-1-2-3"})
    assert run.returncode == 0, run.stderr
    assert "redis://:***@10.9.9.9:6379/0" in run.stdout and "http://me:***@127.0.0.1:1" in run.stdout
    assert "hunter2" not in run.stdout + run.stderr and "pw0rd" not in run.stdout + run.stderr
    assert "hkex-monitor doctor" in run.stdout and "offline" in run.stdout
    assert "xoxb-9-8-pasted" not in run.stdout and "watch 02512 ***" in run.stdout  # a token as a name
    overrides = "HKEX_MONITOR_HKEXNEWS_URL, HKEX_MONITOR_STORE_URL, SLACK_BOT_TOKEN"
    assert f"environment overrides: {overrides}" in run.stdout


# -- `once` exits non-zero when any alert failed, with the reason ------------------------------------
def _publish_two(hkex: HKEXnewsStandIn) -> None:
    now = datetime.now(HKT)
    hkex.publish(results_filing(12102461, "02512", "CLOUD FACTORY", now - timedelta(minutes=5)))
    hkex.publish(StandInFiling(12102462, [("00020", "SENSETIME-W")], "PROFIT WARNING", "Profit Warning",
                               "13600", now - timedelta(minutes=4), "/listedco/listconews/sehk/x/pw.pdf",
                               b"%PDF-1.4 warning"))


def test_once_exits_1_and_says_why_when_slack_refuses_the_token(tmp_path: Path, env: dict[str, str],
                                                               hkex: HKEXnewsStandIn,
                                                               slack_standin: SlackStandin) -> None:
    _publish_two(hkex)
    cfg = write_config(tmp_path / "w.toml")
    run = subprocess.run(cli("once", "--config", str(cfg)), env={**env, "SLACK_BOT_TOKEN": "xoxb-wrong-1"},
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "2 alerts not delivered; they stay pending" in run.stderr
    assert "Slack rejected the credentials: invalid_auth" in run.stderr
    assert "1 alert for #hkex-filings: not tried: sends stopped after an error above" in run.stderr
    assert "hkex-monitor doctor" in run.stderr
    assert not slack_standin.posts and "xoxb-wrong-1" not in run.stderr
    no_traceback(run.stderr)

    fixed = subprocess.run(cli("once", "--config", str(cfg)), env=env, capture_output=True, text=True,
                           timeout=120)
    assert fixed.returncode == 0, fixed.stderr
    assert len(slack_standin.posts) == 2  # nothing was lost


def test_once_exits_1_naming_the_channel_that_does_not_exist(tmp_path: Path, env: dict[str, str],
                                                            hkex: HKEXnewsStandIn,
                                                            slack_standin: SlackStandin) -> None:
    _publish_two(hkex)
    cfg = write_config(tmp_path / "w.toml", channel="#gone")
    run = subprocess.run(cli("once", "--config", str(cfg)), env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1
    assert "1 alert for #gone: posting to #gone: channel_not_found" in run.stderr
    assert len(slack_standin.posts_to("hkex-filings")) == 1  # the other channel still got its alert


def test_once_exits_0_when_everything_was_delivered(tmp_path: Path, env: dict[str, str],
                                                   hkex: HKEXnewsStandIn,
                                                   slack_standin: SlackStandin) -> None:
    _publish_two(hkex)
    run = subprocess.run(cli("once", "--config", str(write_config(tmp_path / "w.toml"))), env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert len(slack_standin.posts) == 2 and "could not be delivered" not in run.stderr


# -- backfill -------------------------------------------------------------------------------------
def test_backfill_since_a_future_date_is_a_usage_error(tmp_path: Path) -> None:
    run = subprocess.run(cli("backfill", "2512", "--since", "2999-01-01"), capture_output=True, text=True,
                         timeout=60, env={**os.environ, "HOME": str(tmp_path)})
    assert run.returncode == 2
    assert "--since 2999-01-01 is in the future" in run.stderr
    no_traceback(run.stderr)


def test_backfill_since_an_impossible_date_is_a_usage_error(tmp_path: Path) -> None:
    run = subprocess.run(cli("backfill", "2512", "--since", "2025-02-30"), capture_output=True, text=True,
                         timeout=60, env={**os.environ, "HOME": str(tmp_path)})
    assert run.returncode == 2 and "a date YYYY-MM-DD, got '2025-02-30'" in run.stderr
    no_traceback(run.stderr)


def test_backfill_alert_sends_only_what_it_found(tmp_path: Path, env: dict[str, str], hkex: HKEXnewsStandIn,
                                                 slack_standin: SlackStandin, redis_url: str,
                                                 make_filing: Callable[..., Filing]) -> None:
    now = datetime.now(HKT)
    hkex.publish(results_filing(12100001, "02512", "CLOUD FACTORY", now - timedelta(days=20)))
    hkex.publish(StandInFiling(12100002, [("02512", "CLOUD FACTORY")], "MONTHLY RETURN", "Monthly Returns",
                               "52000", now - timedelta(days=10), "/listedco/listconews/sehk/x/mr.pdf",
                               b"%PDF-1.4 monthly", t1_code="50000"))
    hkex.publish(results_filing(12100003, "00020", "SENSETIME-W", now - timedelta(days=5)))
    # Another stock's alert already waits in the store: backfill --alert must leave it to the daemon.
    store = open_store(redis_url)
    waiting = make_filing("2025082700999", codes=("00020",), kind=FilingKind.PROFIT_WARNING)
    assert store.enqueue(waiting, "#hkex-filings")
    cfg = write_config(tmp_path / "w.toml")

    run = subprocess.run(cli("backfill", "2512", "--since", f"{now - timedelta(days=30):%Y-%m-%d}", "--alert",
                             "--config", str(cfg)), env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "INTERIM RESULTS" in run.stdout and "MONTHLY RETURN" in run.stdout  # both listed
    assert "SENSETIME" not in run.stdout
    # Only the 2512 results announcement is alerted (its alert_on is "results"), with its figures.
    assert [p.channel for p in slack_standin.posts] == [slack_standin.channel_id("results")]
    assert "RMB 406.8m" in slack_standin.posts[0].text
    assert not any(r.startswith("/ncms/json/eds/lci") for r in hkex.requests)  # the feed was not polled
    assert [a.filing.id for a in store.pending()] == [waiting.id]
    store.close()

    again = subprocess.run(cli("backfill", "2512", "--since", f"{now - timedelta(days=30):%Y-%m-%d}",
                               "--alert", "--config", str(cfg)), env=env, capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0 and len(slack_standin.posts) == 1  # already alerted: not repeated


def test_backfill_alert_for_an_unwatched_stock_says_so(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "w.toml")
    run = subprocess.run(cli("backfill", "700", "--since", "2025-01-01", "--alert", "--config", str(cfg)),
                         capture_output=True, text=True, timeout=60,
                         env={**os.environ, "HOME": str(tmp_path)})
    assert run.returncode == 2 and "00700 is not on the watchlist" in run.stderr


# -- closed pipes, Ctrl-C, unreadable files --------------------------------------------------------
def _closed_pipe_run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run with stdout on a pipe nobody reads any more, as `| head -1` leaves it once head is done."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(cli(*args), stdout=write_end, stderr=subprocess.PIPE, text=True, env=env,
                              timeout=120)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("command", ["once", "run"])
def test_alerts_to_a_closed_pipe_end_with_141_and_the_next_run_prints_them_at_once(
        tmp_path: Path, env: dict[str, str], hkex: HKEXnewsStandIn, command: str) -> None:
    """`hkex-monitor once | head -1` (or run): the console output's reader is gone. Exit 141, no
    traceback, nothing left claimed by the dead process: the next run prints every alert, once."""
    now = datetime.now(HKT)
    for i in range(2):
        hkex.publish(results_filing(12100030 + i, "02512", "CLOUD FACTORY", now - timedelta(minutes=i + 1)))
    console = {k: v for k, v in env.items() if k not in ("SLACK_BOT_TOKEN", "SLACK_API_URL")}
    cfg = write_config(tmp_path / "w.toml")
    run = _closed_pipe_run([command, "--config", str(cfg)], console)
    assert run.returncode == 141, run.stderr
    no_traceback(run.stderr)
    again = subprocess.run(cli("once", "--config", str(cfg)), env=console, capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("── to #results ──") == 2


def test_closed_pipe_ends_quietly(tmp_path: Path, env: dict[str, str], hkex: HKEXnewsStandIn) -> None:
    now = datetime.now(HKT)
    for i in range(3):
        hkex.publish(results_filing(12100010 + i, "02512", "CLOUD FACTORY", now - timedelta(days=i + 1)))
    for args in (["backfill", "2512", "--since", f"{now - timedelta(days=9):%Y-%m-%d}"],
                 ["parse", str(FIXTURES / "2512-cloud-factory-interim-2025.pdf"), "--json"],
                 ["check-config"]):
        run = _closed_pipe_run(args, env)
        assert run.returncode == 141, (args, run.stderr)
        no_traceback(run.stderr)


SLOW_PARSE_S = 8
# A PDF header, then the parse workers' test hook: parsing it takes SLOW_PARSE_S (tests/ only).
SLOW_DOCUMENT = f"%PDF-1.4\n%HKEXMON-TEST sleep {SLOW_PARSE_S}\n".encode()


@pytest.mark.parametrize("command", ["once", "run"])
def test_ctrl_c_while_a_document_is_read_exits_130_and_the_next_run_delivers_at_once(
        tmp_path: Path, env: dict[str, str], hkex: HKEXnewsStandIn, slack_standin: SlackStandin,
        command: str) -> None:
    now = datetime.now(HKT)
    hkex.publish(results_filing(12100020, "02512", "CLOUD FACTORY", now - timedelta(minutes=2)))
    slow = results_filing(12100021, "02512", "CLOUD FACTORY", now - timedelta(minutes=1),
                          document=SLOW_DOCUMENT)
    hkex.publish(slow)
    cfg = write_config(tmp_path / "w.toml")
    env = {**env, "HKEXMON_PARSEWORKER_TEST_HOOKS": "1"}
    log_path = tmp_path / "out.log"
    with log_path.open("w") as log:
        # Its own session, so the signal reaches the whole process group as a terminal's Ctrl-C does,
        # parse children included.
        proc = subprocess.Popen(cli(command, "--config", str(cfg)), env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            # The slow document downloaded: its parse (SLOW_PARSE_S long) is under way.
            wait_for(lambda: any(slow.web_path in r for r in hkex.requests), 60,
                     "the slow document's download")
            os.killpg(proc.pid, signal.SIGINT)
            assert proc.wait(timeout=60) == 130
        finally:
            if proc.poll() is None:
                proc.kill()
    text = log_path.read_text()
    no_traceback(text)
    if command == "once":
        assert "interrupted" in text
    else:
        assert "received SIGINT" in text and "stopped cleanly" in text
    # Nothing stranded: the next run takes what the first held at once (no lease to wait out).
    run = subprocess.run(cli("once", "--config", str(cfg)), env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    counts = slack_standin.filing_counts()
    assert sorted(counts.values()) == [1, 1]  # both alerts, once each: first notices edited, never reposted


def test_unreadable_files_are_one_line_errors(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.pdf"
    folder.mkdir()
    env = {**os.environ, "HOME": str(tmp_path)}
    config = subprocess.run(cli("check-config", "--config", str(folder)), capture_output=True, text=True,
                            env=env, timeout=60)
    assert config.returncode == 2 and f"{folder}: cannot read" in config.stderr
    parse = subprocess.run(cli("parse", str(folder)), capture_output=True, text=True, env=env, timeout=60)
    assert parse.returncode == 1 and str(folder) in parse.stderr
    text = tmp_path / "notes.pdf"
    text.write_text("not a pdf at all")
    garbage = subprocess.run(cli("parse", str(text)), capture_output=True, text=True, env=env, timeout=60)
    assert garbage.returncode == 1 and str(text) in garbage.stderr
    missing = subprocess.run(cli("parse", str(tmp_path / "nope.pdf")), capture_output=True, text=True,
                             env=env, timeout=60)
    assert missing.returncode == 1 and "nope.pdf" in missing.stderr
    no_traceback(config.stderr, parse.stderr, garbage.stderr, missing.stderr)


# -- credentials never reach the log, /healthz or /metrics ---------------------------------------------




def test_credentials_in_urls_never_reach_log_healthz_or_metrics(tmp_path: Path, env: dict[str, str]) -> None:
    port, dead = free_port(), free_port()
    cfg = write_config(tmp_path / "w.toml")
    cfg.write_text(cfg.read_text().replace("http_port = 0", f"http_port = {port}")
                   .replace("window_s = 300", "window_s = 1"))
    secret_env = {**env, "HKEX_MONITOR_HKEXNEWS_URL": f"http://feeduser:Feed-Pa55@127.0.0.1:{dead}",
                  "HKEX_MONITOR_STORE_URL": f"sqlite:///{tmp_path}/s.sqlite3?token=Store-T0ken"}
    log_path = tmp_path / "daemon.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(cli("run", "--config", str(cfg)), env=secret_env, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: "poll failed" in log_path.read_text(), 60, "a failed poll")
            status, health = http_get(f"http://127.0.0.1:{port}/healthz")
            _, metrics = http_get(f"http://127.0.0.1:{port}/metrics")
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
    text = log_path.read_text()
    reason = json.loads(health)["last_poll"]["reason"]
    assert f"feeduser:***@127.0.0.1:{dead}" in reason
    for shown in (text, health, metrics):
        assert "Feed-Pa55" not in shown and "Store-T0ken" not in shown
    assert "feeduser:***@" in text
