"""The real ``hkex-monitor run`` process under signals: SIGTERM with a backlog stops within seconds,
finishing the send in flight and starting no new one (the next start sends the rest, once); SIGHUP
reloads the config; a reload moves /healthz and /metrics to a new port."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from conftest import cli, cli_env, publish_others, tally, wait_for
from slackstandin import Fail, SlackStandin

from monitor.hkexnews.standin import HKEXnewsStandIn


def config(path: Path, *, extra: str = "", port: int = 0) -> Path:
    path.write_text(f'[[watch]]\ncode = "20"\nalert_on = "all"\n{extra}\n'
                    '[schedule]\nin_window_s = 1\noff_window_s = 1\n'
                    '[slack]\ntimeout_s = 5\nmin_post_interval_s = 0\n'
                    f'[store]\nlease_s = 10\n[daemon]\nhttp_port = {port}\nreload_check_s = 60\n')
    return path


def test_sigterm_with_a_backlog_stops_within_seconds_and_loses_nothing(
        tmp_path: Path, hkex: HKEXnewsStandIn, slack_standin: SlackStandin, redis_url: str) -> None:
    # Forty filings over forty stocks: forty messages, each taking Slack 2 s to answer.
    expected: set[str] = set()
    watches = ""
    for i in range(40):
        code = f"{1000 + i:05d}"
        expected |= set(publish_others(hkex, 1, code=code, start=12700000 + i * 10))
        watches += f'[[watch]]\ncode = "{code}"\nalert_on = "all"\n'
    slack_standin.fail("chat.postMessage", Fail.accept_then_hang(2.0), times=1000)  # slow, but answers
    cfg = tmp_path / "w.toml"
    base = config(tmp_path / "base.toml").read_text()
    cfg.write_text(base.replace('[[watch]]\ncode = "20"\nalert_on = "all"\n', watches))
    env = cli_env(hkex, slack_standin, redis_url)
    log_path = tmp_path / "daemon.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(cli("run", "--config", str(cfg)), env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: len(slack_standin.posts) >= 2, 60, "the first slow sends")
            asked = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
            took = time.monotonic() - asked
        finally:
            if proc.poll() is None:
                proc.kill()
    text = log_path.read_text()
    # the send in flight (2 s) and the stop window, not the backlog (40 sends of 2 s): far apart, so
    # a busy machine cannot blur them
    assert took < 20, took
    sent_at_stop = len(slack_standin.posts)
    assert sent_at_stop < 40  # the signal really came with a backlog
    assert "received SIGTERM" in text and "stopped cleanly" in text and "Traceback" not in text
    time.sleep(3)  # a send started after the signal would land now
    assert len(slack_standin.posts) == sent_at_stop
    slack_standin.clear_failures()
    run = subprocess.run(cli("once", "--config", str(cfg)), env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    tally("SIGTERM with 40 slow sends pending, then restarted", expected, slack_standin)


def test_sighup_reloads_and_a_new_port_is_served(tmp_path: Path, hkex: HKEXnewsStandIn,
                                                 slack_standin: SlackStandin, redis_url: str) -> None:
    from waiting import free_port, http_get

    def answers(port: int) -> bool:
        try:
            return http_get(f"http://127.0.0.1:{port}/healthz")[0] in (200, 503)
        except OSError:
            return False

    first, second = free_port(), free_port()
    cfg = config(tmp_path / "w.toml", port=first)
    log_path = tmp_path / "daemon.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(cli("run", "--config", str(cfg)), env=cli_env(hkex, slack_standin, redis_url),
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: answers(first), 30, "/healthz")
            config(cfg, port=second, extra='[[watch]]\ncode = "700"\nalert_on = "all"\n')
            proc.send_signal(signal.SIGHUP)  # reload_check_s is 60: only the signal can reload this soon
            wait_for(lambda: "config reloaded" in log_path.read_text(), 20, "the reload")
            wait_for(lambda: answers(second), 20, "/healthz on the new port")
            assert '"watching": 2' in http_get(f"http://127.0.0.1:{second}/healthz")[1]
            assert not answers(first)  # the old port is closed
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
    text = log_path.read_text()
    assert "received SIGHUP" in text and "moved to" in text and "Traceback" not in text
