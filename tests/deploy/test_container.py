"""The container files, checked as far as this machine allows (no Docker engine here).

``deploy/entrypoint.sh`` runs for real with the real ``redis-server`` and a fake ``hkex-monitor`` (a
small script standing in for the daemon): SIGTERM reaches both in order (the monitor first, while
Redis still answers; then Redis), Redis's data survives the stop, and the container's exit status is
the monitor's. The Dockerfile and compose file are checked for what they promise: every COPY source
exists, the health endpoint listens on all interfaces, and the stop window is longer than a parse.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from waiting import free_port, wait_for

from monitor.settings import DaemonSettings

ROOT = Path(__file__).parents[2]
DEPLOY = ROOT / "deploy"
ENTRYPOINT = DEPLOY / "entrypoint.sh"

needs_redis = pytest.mark.skipif(shutil.which("redis-server") is None or shutil.which("redis-cli") is None,
                                 reason="needs redis-server and redis-cli (CI installs them)")

FAKE_MONITOR = """#!/bin/sh
# Stands in for `hkex-monitor run`: records its arguments, and on SIGTERM writes to Redis (which must
# still be up) before exiting with FAKE_EXIT.
echo "started $*" >> "$FAKE_LOG"
trap 'redis-cli -p "$HKEX_MONITOR_REDIS_PORT" set monitor-stopped yes >> "$FAKE_LOG" 2>&1;
      echo "got TERM" >> "$FAKE_LOG"; exit 0' TERM
if [ -n "${FAKE_EXIT:-}" ]; then exit "$FAKE_EXIT"; fi
while :; do sleep 0.1; done
"""




def _redis_cli(port: int, *args: str) -> str:
    return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True,
                          timeout=10).stdout.strip()




def test_entrypoint_is_valid_posix_shell() -> None:
    for shell in ("sh", "dash", "bash"):
        if shutil.which(shell):
            run = subprocess.run([shell, "-n", str(ENTRYPOINT)], capture_output=True, text=True)
            assert run.returncode == 0, (shell, run.stderr)
    assert os.access(ENTRYPOINT, os.X_OK)


def _start(tmp_path: Path, **extra: str) -> tuple[subprocess.Popen[bytes], int, Path, Path]:
    bin_dir, data, log = tmp_path / "bin", tmp_path / "data", tmp_path / "monitor.log"
    bin_dir.mkdir()
    data.mkdir()
    fake = bin_dir / "hkex-monitor"
    fake.write_text(FAKE_MONITOR)
    fake.chmod(0o755)
    port = free_port()
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "HKEX_MONITOR_DATA_DIR": str(data),
           "HKEX_MONITOR_REDIS_PORT": str(port), "FAKE_LOG": str(log), **extra}
    with (tmp_path / "out.log").open("wb") as out:
        proc = subprocess.Popen(["sh", str(ENTRYPOINT)], env=env, stdout=out, stderr=subprocess.STDOUT)
    return proc, port, data, log


@needs_redis
def test_sigterm_stops_the_monitor_then_redis_which_saves(tmp_path: Path) -> None:
    proc, port, data, log = _start(tmp_path)
    try:
        wait_for(lambda: log.exists() and "started" in log.read_text(), 30, "the monitor to start")
        assert "started run --config /etc/hkex-monitor/watchlist.toml --log-json" in log.read_text()
        assert _redis_cli(port, "set", "alert:1", "delivered") == "OK"
        proc.send_signal(signal.SIGTERM)  # what tini passes on from `docker stop`
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    text = log.read_text()
    assert "got TERM" in text and "OK" in text  # the monitor stopped first, while Redis still answered
    assert _redis_cli(port, "ping") != "PONG"  # and Redis is gone too
    output = (tmp_path / "out.log").read_text()
    assert "ready to exit" in output.lower() or "saving" in output.lower(), output

    # Start Redis again on the same data directory: what was written before the stop is there.
    again = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data),
                              "--appendonly", "yes"], stdout=subprocess.DEVNULL)
    try:
        wait_for(lambda: _redis_cli(port, "ping") == "PONG", 30, "Redis to restart")
        assert _redis_cli(port, "get", "alert:1") == "delivered"
        assert _redis_cli(port, "get", "monitor-stopped") == "yes"
    finally:
        again.terminate()
        again.wait(30)


@needs_redis
def test_a_monitor_that_fails_sets_the_containers_status(tmp_path: Path) -> None:
    proc, port, _, log = _start(tmp_path, FAKE_EXIT="1")
    try:
        assert proc.wait(timeout=30) == 1
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "started" in log.read_text() and _redis_cli(port, "ping") != "PONG"


@needs_redis
def test_a_bad_configuration_is_not_restarted_in_a_loop(tmp_path: Path) -> None:
    """Status 2 (a bad configuration): a restart policy would restart the container for ever, so the
    entrypoint stays up, doing nothing and unhealthy, until it is stopped; then it exits 2."""
    proc, port, _, log = _start(tmp_path, FAKE_EXIT="2")
    out = tmp_path / "out.log"
    try:
        wait_for(lambda: "not restarting" in out.read_text(), 30, "the entrypoint to say it does not restart")
        assert proc.poll() is None and _redis_cli(port, "ping") != "PONG"  # up, Redis stopped, no monitor
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 2
    finally:
        if proc.poll() is None:
            proc.kill()
    assert log.read_text().count("started") == 1


def test_dockerignore_keeps_the_virtualenv_and_tests_out_of_the_build_context() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".venv", ".git", "tests", "benchmarks", "deploy/hkex-monitor.env"} <= ignored
    # ...and never what the image copies.
    copied = set(re.findall(r"^COPY (\S+)", _dockerfile(), flags=re.M)) - {"pyproject.toml"}
    assert not any(c.rstrip("/") in ignored for c in copied)


def _dockerfile() -> str:
    return (DEPLOY / "Dockerfile").read_text()


def test_dockerfile_copies_only_what_exists_and_publishes_health_on_all_interfaces() -> None:
    text = _dockerfile()
    for sources in re.findall(r"^COPY\s+(.+)\s+\S+$", text, flags=re.M):
        for source in sources.split():
            assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
    assert re.search(r"HKEX_MONITOR_HTTP_HOST=0\.0\.0\.0", text)  # reachable through -p 9108:9108
    assert re.search(r"^EXPOSE 9108$", text, flags=re.M)
    assert 'ENTRYPOINT ["/usr/bin/tini", "--", "/entrypoint.sh"]' in text
    assert "STOPSIGNAL SIGTERM" in text and "HEALTHCHECK" in text and "/healthz" in text


def test_stop_windows_are_longer_than_a_parse() -> None:
    parse_s = DaemonSettings().parse_timeout_s
    compose = (DEPLOY / "compose.yaml").read_text()
    grace = re.search(r"^\s+stop_grace_period:\s*(\d+)s\s*$", compose, flags=re.M)
    assert grace and int(grace.group(1)) > parse_s + 30
    timeout = re.search(r"--stop-timeout (\d+)", _dockerfile())
    assert timeout and int(timeout.group(1)) > parse_s + 30
    unit = (DEPLOY / "hkex-monitor.service").read_text()
    stop = re.search(r"^TimeoutStopSec=(\d+)$", unit, flags=re.M)
    assert stop and int(stop.group(1)) > parse_s + 30


def _healthcheck_command() -> str:
    """The HEALTHCHECK's CMD as Docker runs it: continuation lines joined, through /bin/sh -c."""
    joined = re.sub(r"\\\n", "", _dockerfile())
    match = re.search(r"^HEALTHCHECK .*? CMD (.+)$", joined, flags=re.M)
    assert match, "no HEALTHCHECK ... CMD"
    return match.group(1)


@pytest.mark.parametrize("healthy", [True, False])
def test_healthcheck_command_follows_healthz(healthy: bool) -> None:
    from monitor.metrics import Metrics
    from monitor.ops.health import HealthServer

    server = HealthServer("127.0.0.1", 0, Metrics(), lambda: {"ok": healthy})
    server.start()
    try:
        port = server.address.rsplit(":", 1)[1]
        run = subprocess.run(["sh", "-c", _healthcheck_command()], capture_output=True, text=True, timeout=30,
                             env={**os.environ, "HKEX_MONITOR_HTTP_PORT": port})
    finally:
        server.stop()
    assert (run.returncode == 0) is healthy, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
