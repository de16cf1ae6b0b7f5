"""The shipped systemd unit, for real: its settings are read from ``deploy/hkex-monitor.service`` and
applied with ``unshare`` (systemd cannot run here), then the daemon parses a results document from
the HKEXnews stand-in inside that sandbox and the alert must reach the Slack stand-in with figures.

What the emulation applies, as systemd would:
- ``ProtectSystem=strict``: every mount read-only, except the state directory;
- ``StateDirectory=hkex-monitor``: ``/var/lib/hkex-monitor`` writable, owned by the service user;
- ``PrivateTmp=true``: a fresh, writable ``/tmp`` and ``/var/tmp``;
- ``ProtectHome=true``: empty, read-only ``/root``, ``/home`` and ``/run/user``;
- ``User=``: an unprivileged user (``nobody`` stands in for ``hkexmon``), ``NoNewPrivileges=true``;
- ``Environment=``/``EnvironmentFile=``/``WorkingDirectory=``: a clean environment as systemd gives.
Two adaptations, both outside what is tested: ``/etc`` and ``/var/lib`` get a throw-away overlay so
``/etc/hkex-monitor`` and the state directory can exist without touching this machine; and the test's
own interpreter, venv and source are bound back read-only where a home or /tmp would hide them (a
pyenv Python under /root, a clone under /tmp or /home; a real install lives in /opt and /usr).

A second run as the old unit had it (no ``PrivateTmp``, no ``WorkingDirectory``) shows the test sees
the failure that unit had: the parse child finds no writable temporary directory ("No usable
temporary directory found") and no alert goes out.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from slackstandin import SlackStandin
from waiting import wait_for

from monitor.filing import HKT
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling

ROOT = Path(__file__).parents[2]
UNIT = ROOT / "deploy" / "hkex-monitor.service"
PDF = (ROOT / "tests" / "fixtures" / "2512-cloud-factory-interim-2025.pdf").read_bytes()
NOBODY = 65534

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("unshare") is None or shutil.which("setpriv") is None,
                       reason="needs unshare and setpriv (util-linux) to build the unit's sandbox"),
    pytest.mark.skipif(os.geteuid() != 0, reason="building a mount namespace needs root"),
]


def unit_service() -> dict[str, list[str]]:
    """The [Service] section: key -> every value given (Environment= may repeat)."""
    section, out = None, {}
    for raw in UNIT.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
        elif section == "[Service]":
            key, _, value = line.partition("=")
            out.setdefault(key, []).append(value)
    return out


def one(service: dict[str, list[str]], key: str) -> str:
    assert len(service.get(key, [])) == 1, f"{key} should be set once in {UNIT}"
    return service[key][0]




@pytest.fixture
def hkex() -> Iterator[HKEXnewsStandIn]:
    with HKEXnewsStandIn() as standin:
        when = datetime.now(HKT) - timedelta(minutes=3)
        path = f"/listedco/listconews/sehk/{when:%Y/%m%d}/{when:%Y%m%d}01731.pdf"
        standin.publish(StandInFiling(12102461, [("02512", "CLOUD FACTORY")],
                                      "ANNOUNCEMENT OF INTERIM RESULTS FOR THE SIX MONTHS ENDED 30 JUNE 2025",
                                      "Interim Results", "13400", when, path, PDF))
        yield standin


def test_the_unit_declares_the_sandbox_this_test_applies() -> None:
    service = unit_service()
    assert one(service, "ProtectSystem") == "strict"
    assert one(service, "PrivateTmp") == "true" and one(service, "ProtectHome") == "true"
    assert one(service, "StateDirectory") == "hkex-monitor" and one(service, "NoNewPrivileges") == "true"
    assert one(service, "RestartPreventExitStatus") == "2"
    assert one(service, "User") == "hkexmon" and one(service, "EnvironmentFile") == "/etc/hkex-monitor/env"
    assert one(service, "ExecStart").startswith("/opt/hkex-monitor/venv/bin/hkex-monitor run ")


def test_the_unit_passes_systemd_analyze(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    # verify wants ExecStart's program to exist: point it at one that does, keep everything else.
    unit = tmp_path / UNIT.name
    true = shutil.which("true") or "/bin/true"
    unit.write_text(UNIT.read_text().replace("/opt/hkex-monitor/venv/bin/hkex-monitor", true))
    run = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout + run.stderr == "", run.stdout + run.stderr


HIDDEN = ("/root", "/home", "/run/user")  # ProtectHome=true
PRIVATE = ("/tmp", "/var/tmp")  # PrivateTmp=true


def _kept(masked: tuple[str, ...]) -> list[Path]:
    """What this test's program needs that the sandbox would hide: the interpreter, the venv and the
    source of an editable install, when they live under a home or a temporary directory."""
    paths = sorted({Path(p).resolve() for p in (sys.base_prefix, sys.prefix, ROOT)})
    outer = [p for p in paths if not any(q != p and q in p.parents for q in paths)]
    return [p for p in outer if any(Path(m) in p.parents for m in masked)]


def _sandbox_script(service: dict[str, list[str]], scratch: Path, state: Path, watchlist: Path,
                    command: list[str], env: dict[str, str], *, shipped: bool) -> str:
    state_dir = "/var/lib/" + one(service, "StateDirectory")
    config_dir = "/etc/hkex-monitor"
    masked = HIDDEN + (PRIVATE if shipped else ())
    kept = _kept(masked)
    q = shlex.quote
    lines = [
        "set -eu",
        # Adaptation: throw-away overlays, so /etc/hkex-monitor and the state directory can exist.
        f"mkdir -p {q(str(scratch))}/etc-up {q(str(scratch))}/etc-work {q(str(scratch))}/lib-up "
        f"{q(str(scratch))}/lib-work",
        f"mount -t overlay overlay -o lowerdir=/etc,upperdir={q(str(scratch))}/etc-up,"
        f"workdir={q(str(scratch))}/etc-work /etc",
        f"mount -t overlay overlay -o lowerdir=/var/lib,upperdir={q(str(scratch))}/lib-up,"
        f"workdir={q(str(scratch))}/lib-work /var/lib",
        f"mkdir -p {config_dir} && cp {q(str(watchlist))} {config_dir}/watchlist.toml",
        # StateDirectory=: the service user's own, writable directory.
        f"mkdir -p {state_dir} && mount --bind {q(str(state))} {state_dir}",
    ]
    # Adaptation: set aside what the program needs before homes and /tmp are emptied (see _kept).
    lines += [f"mkdir -p /var/lib/.kept/{i} && mount --bind {q(str(p))} /var/lib/.kept/{i}"
              for i, p in enumerate(kept)]
    lines += [
        # ProtectSystem=strict: every mount read-only (API file systems excepted; /mnt holds nothing of ours).
        "awk '{print $5}' /proc/self/mountinfo | grep -Ev '^/(proc|sys|dev|mnt)(/|$)' | "
        "while read -r m; do mount -o remount,bind,ro \"$m\" 2>/dev/null || true; done",
        f"mount -o remount,bind,rw {state_dir}",
        # ProtectHome=true: empty home directories; PrivateTmp=true: fresh, writable /tmp and /var/tmp.
        *(f"[ ! -d {h} ] || mount -t tmpfs -o mode=0755 tmpfs {h}" for h in HIDDEN),
        *(f"mount -t tmpfs -o mode=1777 tmpfs {t}" for t in PRIVATE if shipped),
    ]
    lines += [f"mkdir -p {q(str(p))} && mount --bind /var/lib/.kept/{i} {q(str(p))} && "
              f"mount -o remount,bind,ro {q(str(p))}" for i, p in enumerate(kept)]
    lines += [f"[ ! -d {h} ] || mount -o remount,ro {h}" for h in HIDDEN]  # homes: read-only too
    env_args = " ".join(q(f"{k}={v}") for k, v in env.items())
    lines += [
        # WorkingDirectory= (the state directory: Python's last resort for temporary files), or "/".
        f"cd {one(service, 'WorkingDirectory') if shipped else '/'}",
        # User= (nobody stands in for hkexmon), NoNewPrivileges=true, a clean environment.
        f"exec setpriv --reuid={NOBODY} --regid={NOBODY} --clear-groups --no-new-privs "
        f"env -i {env_args} {' '.join(q(c) for c in command)}",
    ]
    return "\n".join(lines)


@pytest.mark.parametrize("shipped", [True, False], ids=["as-shipped", "as-the-old-unit"])
def test_daemon_under_the_units_sandbox_parses_and_alerts(tmp_path: Path, hkex: HKEXnewsStandIn,
                                                          slack_standin: SlackStandin, shipped: bool) -> None:
    service = unit_service()
    state = tmp_path / "state"
    state.mkdir()
    os.chown(state, NOBODY, NOBODY)
    watchlist = tmp_path / "watchlist.toml"
    watchlist.write_text('[[watch]]\ncode = "2512"\nchannel = "#results"\n'
                         '[hkexnews]\nmin_request_interval_s = 0.05\n'
                         '[schedule]\nin_window_s = 2\noff_window_s = 2\n[daemon]\nhttp_port = 0\n')
    program = Path(sys.executable).parent / "hkex-monitor"
    exec_start = one(service, "ExecStart").split()
    assert exec_start[0] == "/opt/hkex-monitor/venv/bin/hkex-monitor"
    command = [str(program), *exec_start[1:]] if program.exists() else [sys.executable, "-m", "monitor.cli",
                                                                        *exec_start[1:]]
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           # EnvironmentFile=: what deploy/env.example asks for, pointed at the stand-ins.
           "SLACK_BOT_TOKEN": slack_standin.token, "SLACK_API_URL": slack_standin.api_url,
           "HKEX_MONITOR_HKEXNEWS_URL": hkex.base_url,
           "HKEX_MONITOR_STORE_URL": "sqlite:////var/lib/hkex-monitor/state.sqlite3"}
    for assignment in service.get("Environment", []):
        key, _, value = assignment.partition("=")
        env[key] = value
    script = _sandbox_script(service, tmp_path / "scratch", state, watchlist, command, env,
                             shipped=shipped)
    log_path = tmp_path / "daemon.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            # Parse workers need no temporary directory, so even the old unit's sandbox parses now
            # (it used to fail every parse with "No usable temporary directory").
            wait_for(lambda: len(slack_standin.updates) >= 1, 90,
                     "the alert from inside the sandbox, its figures added")
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 0, log_path.read_text()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
    text = log_path.read_text()
    assert "hkex-monitor running" in text, text  # the daemon really ran in there
    [post] = slack_standin.read_to("results")  # the first notice, as it reads after its edit
    assert len(slack_standin.posts) == 1
    assert "RMB 406.8m" in post.text  # parsed inside the sandbox: figures, not "not available"
    assert "No usable temporary directory" not in text and "Traceback" not in text
    assert "stopped cleanly" in text
    if shipped:
        assert (state / "state.sqlite3").exists() and state.stat().st_uid == NOBODY
