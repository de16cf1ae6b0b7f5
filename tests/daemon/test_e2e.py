"""The real ``hkex-monitor`` process against a local HKEXnews stand-in and a local Slack stand-in.

Nothing is patched: the CLI runs as a subprocess, pointed at the stand-ins through the documented
environment variables, with a real Redis as its store.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from slackstandin import SlackStandin
from waiting import wait_for

from monitor.demo import demo_filings
from monitor.filing import HKT
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling

CLOUD_FACTORY = (Path(__file__).parents[1] / "fixtures" / "2512-cloud-factory-interim-2025.pdf").read_bytes()


@pytest.fixture
def hkex() -> Iterator[HKEXnewsStandIn]:
    with HKEXnewsStandIn() as standin:
        now = datetime.now(HKT)
        for f in demo_filings(now):
            standin.publish(f)
        # A non-results SenseTime filing: alerted only where the watch asks for every filing.
        standin.publish(StandInFiling(12102490, [("00020", "SENSETIME-W"), ("80020", "SENSETIME-WR")],
                                      "MONTHLY RETURN OF EQUITY ISSUER ON MOVEMENTS IN SECURITIES",
                                      "Monthly Returns", "52000", now - timedelta(minutes=1),
                                      "/listedco/listconews/sehk/2026/1121/2026112101799.pdf",
                                      b"%PDF-1.4 monthly return", t1_code="50000"))
        yield standin


def write_config(path: Path, *, extra: str = "", interval: float = 300) -> Path:
    path.write_text(f"""
[[watch]]
code = "2512"
name = "Cloud Factory"
channel = "#results"

[[watch]]
code = "0020"
name = "SenseTime"
alert_on = "all"
{extra}
[hkexnews]
min_request_interval_s = 0.05
backoff_s = 0.05
cooloff_s = 1

[schedule]
in_window_s = {interval}
off_window_s = {interval}

[slack]
default_channel = "#hkex-filings"

[store]
lease_s = 5

[daemon]
http_port = 0
heartbeat_s = 1
reload_check_s = 0.2
""")
    return path


@pytest.fixture
def env(hkex: HKEXnewsStandIn, slack_standin: SlackStandin, redis_url: str) -> dict[str, str]:
    return {**os.environ, "HKEX_MONITOR_HKEXNEWS_URL": hkex.base_url, "HKEX_MONITOR_STORE_URL": redis_url,
            "SLACK_BOT_TOKEN": slack_standin.token, "SLACK_API_URL": slack_standin.api_url,
            "PYTHONUNBUFFERED": "1"}


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "monitor.cli", *args]


def filing_ids(slack: SlackStandin) -> Counter[str]:
    return slack.filing_counts()


def test_once_posts_exactly_the_expected_alerts(tmp_path: Path, env: dict[str, str],
                                                slack_standin: SlackStandin) -> None:
    cfg = write_config(tmp_path / "w.toml")
    run = subprocess.run(cli("once", "--config", str(cfg)), env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    results = slack_standin.read_to("results")  # as they read now: first notices edited with their figures
    filings = slack_standin.read_to("hkex-filings")
    assert len(results) == 1 and "Cloud Factory" in results[0].text and "RMB 406.8m" in results[0].text
    assert len(filings) == 3  # SenseTime's results, its profit warning, the monthly return
    sensetime = next(p for p in filings if "SenseTime" in p.text and "results" in p.text)
    assert "RMB 2,358.2m" in sensetime.text and "+35.6%" in sensetime.text
    assert "loss narrowed" in sensetime.text
    monthly = next(p for p in filings if "MONTHLY RETURN" in p.text)
    warning = next(p for p in filings if "profit warning" in p.text)
    assert "Expects a loss of RMB 1.4bn-1.6bn" in warning.text
    assert monthly is not sensetime and warning is not sensetime
    # Unwatched stocks (Tencent, HSBC, Bonny in the feed): nothing. Every alerted filing exactly once.
    assert sorted(filing_ids(slack_standin).values()) == [1, 1, 1, 1]
    posted = json.dumps([p.params for p in slack_standin.posts])
    assert not any(name in posted for name in ("TENCENT", "Tencent", "HSBC", "BONNY", "Bonny"))

    again = subprocess.run(cli("once", "--config", str(cfg)), env=env, capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr
    assert len(slack_standin.posts) == 4


def test_bad_config_exits_2_without_traceback(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[[watch]]\ncode = "2512"\n[schedule]\noff_window_s = "often"\n')
    run = subprocess.run(cli("check-config", "--config", str(cfg)), capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 2
    assert str(cfg) in run.stderr and "schedule.off_window_s" in run.stderr and "'often'" in run.stderr
    assert "Traceback" not in run.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sigterm_during_a_cycle_exits_0_and_loses_nothing(tmp_path: Path, env: dict[str, str],
                                                          hkex: HKEXnewsStandIn,
                                                          slack_standin: SlackStandin) -> None:
    # Twelve results announcements for 2512 make a cycle of several seconds (paced downloads).
    now = datetime.now(HKT)
    for i in range(12):
        hkex.publish(StandInFiling(12103000 + i, [("02512", "CLOUD FACTORY")], f"INTERIM RESULTS {i}",
                                   "Interim Results", "13400", now - timedelta(seconds=i),
                                   f"/listedco/listconews/sehk/2026/1121/20261121{i:05d}.pdf", CLOUD_FACTORY))
    cfg = write_config(tmp_path / "w.toml", interval=300)
    cfg.write_text(cfg.read_text().replace("min_request_interval_s = 0.05", "min_request_interval_s = 0.3"))
    log = (tmp_path / "daemon.log").open("w")
    proc = subprocess.Popen(cli("run", "--config", str(cfg)), env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: len(slack_standin.posts_to("results")) >= 2, 60, "the first alerts")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        log.close()
    text = (tmp_path / "daemon.log").read_text()
    assert "received SIGTERM" in text and "stopped cleanly" in text
    assert "Traceback" not in text
    delivered_before_restart = len(slack_standin.posts)
    assert delivered_before_restart < 16  # the signal really came mid-round

    run = subprocess.run(cli("once", "--config", str(cfg)), env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    counts = filing_ids(slack_standin)
    # 13 results + SenseTime's results, profit warning and monthly return
    assert len(counts) == 16 and set(counts.values()) == {1}


def test_broken_config_edit_keeps_the_daemon_on_the_old_one(tmp_path: Path, env: dict[str, str],
                                                            hkex: HKEXnewsStandIn,
                                                            slack_standin: SlackStandin) -> None:
    port = _free_port()
    cfg = write_config(tmp_path / "w.toml", interval=1)
    cfg.write_text(cfg.read_text().replace("http_port = 0", f"http_port = {port}"))
    log_path = tmp_path / "daemon.log"
    log = log_path.open("w")
    proc = subprocess.Popen(cli("run", "--config", str(cfg)), env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: len(slack_standin.posts) >= 3, 60, "the first cycle's alerts")
        good = cfg.read_text()
        cfg.write_text(good.replace('code = "0020"', 'code = "00x20"'))
        wait_for(lambda: "config edit rejected" in log_path.read_text(), 20, "the rejection")
        assert "00x20" in log_path.read_text() and str(cfg) in log_path.read_text()
        assert proc.poll() is None
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as resp:
            health = json.load(resp)
        assert resp.status == 200 and health["watching"] == 2
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
            metrics = resp.read().decode()
        assert 'hkexmon_config_reloads_total{outcome="rejected"} 1.0' in metrics
        assert "hkexmon_last_successful_poll_timestamp_seconds" in metrics

        # A good edit applies without restart: a newly watched stock's next filing is alerted.
        cfg.write_text(good + '\n[[watch]]\ncode = "700"\nalert_on = "all"\nchannel = "#alerts"\n')
        wait_for(lambda: "config reloaded" in log_path.read_text(), 20, "the reload")
        hkex.publish(StandInFiling(12109999, [("00700", "TENCENT"), ("80700", "TENCENT-R")],
                                   "VOLUNTARY ANNOUNCEMENT - BUSINESS UPDATE", "Voluntary Announcement",
                                   "NaN", datetime.now(HKT), "/listedco/listconews/sehk/2026/1121/x.pdf",
                                   b"%PDF-1.4 x"))
        wait_for(lambda: len(slack_standin.posts_to("alerts")) == 1, 30, "the new stock's alert")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 130  # Ctrl-C: stopped cleanly; the shell hears it was interrupted
    finally:
        if proc.poll() is None:
            proc.kill()
        log.close()
