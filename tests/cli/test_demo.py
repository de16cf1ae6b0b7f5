"""``hkex-monitor demo``: an interrupted demo does not stay broken, and ``demo --serve`` runs the real daemon
against the stand-in (health, metrics, hot reload) until Ctrl-C. Each runs the real command as a
subprocess with a private HOME, so the demo's store is the test's own."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from waiting import free_port, http_get, wait_for

CLOUD_FACTORY_FIGURE = "RMB 406.8m"
SENSETIME_FIGURE = "RMB 2,358.2m"


def demo(*args: str) -> list[str]:
    return [sys.executable, "-m", "monitor.cli", "demo", *args]




def home_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "HOME": str(tmp_path), "PYTHONUNBUFFERED": "1"}


def test_an_interrupted_demo_starts_over_on_the_next_run(tmp_path: Path) -> None:
    env = home_env(tmp_path)
    out = tmp_path / "first.log"
    with out.open("w") as log:
        first = subprocess.Popen(demo(), env=env, stdout=log, stderr=subprocess.STDOUT,
                                 start_new_session=True)
        try:
            # Both announcements are in the store, their documents not yet read: Ctrl-C now.
            wait_for(lambda: out.read_text().count("new interim results") == 2, what="both alerts enqueued")
            os.killpg(first.pid, signal.SIGINT)
            assert first.wait(timeout=60) == 130
        finally:
            if first.poll() is None:
                first.kill()
    assert CLOUD_FACTORY_FIGURE not in out.read_text() or SENSETIME_FIGURE not in out.read_text()

    second = subprocess.run(demo(), env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert "An earlier demo run was interrupted" in second.stdout and "starting over" in second.stdout
    assert "4 alerts printed, 0 pending" in second.stdout
    assert CLOUD_FACTORY_FIGURE in second.stdout and SENSETIME_FIGURE in second.stdout
    # The story: the board-meeting notice, the warning, the results measured against it, the calendar.
    assert "Board meeting on Thu 28 Aug 2025 to approve interim results" in second.stdout
    assert "Expects a loss of RMB 1.4bn-1.6bn" in second.stdout
    assert "inside the warned range of RMB 1.4bn-1.6bn" in second.stdout
    assert "2025-08-28  02512 CLOUD FACTORY: interim results for the period to 2025-06-30" in second.stdout

    third = subprocess.run(demo(), env=env, capture_output=True, text=True, timeout=120)
    assert third.returncode == 0 and "Nothing new" in third.stdout
    assert "An earlier demo run was interrupted" not in third.stdout
    for text in (out.read_text(), second.stdout + second.stderr, third.stdout + third.stderr):
        assert "Traceback" not in text






def test_demo_serve_runs_the_daemon_until_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    out = tmp_path / "serve.log"
    # Environment pointing elsewhere must not leak into the demo (it is offline by design).
    env = {**home_env(tmp_path), "SLACK_BOT_TOKEN": "xoxb-1-2-3", "HKEX_MONITOR_STORE_URL": "redis://10.9.9.9/0"}
    with out.open("w") as log:
        proc = subprocess.Popen(demo("--serve", "--port", str(port)), env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(lambda: CLOUD_FACTORY_FIGURE in out.read_text() and SENSETIME_FIGURE in out.read_text(),
                     what="both summaries")
            text = out.read_text()
            assert f"http://127.0.0.1:{port}/healthz" in text and f"http://127.0.0.1:{port}/metrics" in text
            assert "ignores HKEX_MONITOR_STORE_URL, SLACK_BOT_TOKEN" in text

            status, health = http_get(f"http://127.0.0.1:{port}/healthz")
            assert status == 200 and json.loads(health)["ok"] is True
            assert json.loads(health)["last_poll"]["ok"] is True
            status, metrics = http_get(f"http://127.0.0.1:{port}/metrics")
            assert status == 200 and 'hkexmon_alerts_sent_total{kind="results"} 2.0' in metrics

            # Hot reload: the file the banner names is the live configuration.
            config = tmp_path / ".hkex-monitor" / "demo-watchlist.toml"
            assert str(config) in text
            config.write_text(config.read_text() + '\n[[watch]]\ncode = "700"\nalert_on = "all"\n')
            wait_for(lambda: "config reloaded" in out.read_text(), what="the reload")
            assert json.loads(http_get(f"http://127.0.0.1:{port}/healthz")[1])["watching"] == 3

            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C
            assert proc.wait(timeout=60) == 130
        finally:
            if proc.poll() is None:
                proc.kill()
    text = out.read_text()
    assert "received SIGINT" in text and "stopped cleanly" in text and "Traceback" not in text


def test_demo_serve_on_a_busy_port_says_so(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = subprocess.run(demo("--serve", "--port", str(port)), env=home_env(tmp_path),
                             capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and f"port {port} is in use" in run.stdout and "Traceback" not in run.stderr
