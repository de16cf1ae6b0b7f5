"""A process's heartbeat in the store (``monitor.daemon.liveness.Heartbeat``), on a real Redis: it beats
while started, says who it is, retires at once on a stop; and another process sees it alive, then
gone: at once after a clean stop, within its beat's lifetime after a kill."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from waiting import free_port, wait_for

import monitor.daemon.liveness as liveness
from monitor import __version__
from monitor.daemon.liveness import Heartbeat
from monitor.store import ProcessInfo, Store, open_store

ROOT = Path(__file__).resolve().parents[2]
NS = "live"

# A heartbeat in a process of its own: beats until its stdin closes, then stops cleanly.
BEATING = textwrap.dedent("""
    import sys
    import monitor.daemon.liveness as liveness
    from monitor.store import open_store

    url, owner, ttl = sys.argv[1], sys.argv[2], float(sys.argv[3])
    liveness.BEAT_EVERY_S, liveness.BEAT_TTL_S = ttl / 5, ttl
    store = open_store(url, namespace="live")
    beat = liveness.Heartbeat(lambda: store, owner, role="worker")
    beat.start()
    print("beating", flush=True)
    sys.stdin.read()
    beat.stop()
    store.close()
""")


@pytest.fixture
def store(redis_url: str) -> Iterator[Store]:
    s = open_store(redis_url, namespace=NS)
    yield s
    s.close()


@pytest.fixture
def quick_beats(monkeypatch: pytest.MonkeyPatch) -> None:
    """Beats every 0.05 s so that a test sees several without waiting; the lifetime stays as shipped."""
    monkeypatch.setattr(liveness, "BEAT_EVERY_S", 0.05)


def info_of(store: Store, owner: str) -> ProcessInfo | None:
    return next((p for p in store.processes() if p.owner == owner), None)


def beating(redis_url: str, owner: str, ttl_s: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", BEATING, redis_url, owner, str(ttl_s)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "beating"
    return proc


def test_beats_while_started_and_says_who_it_is(store: Store, quick_beats: None) -> None:
    beat = Heartbeat(lambda: store, "host:1:abc", role="daemon")
    assert store.alive(["host:1:abc"]) == set()
    beat.start()
    try:
        assert store.alive(["host:1:abc"]) == {"host:1:abc"}  # the first beat is in before start returns
        first = info_of(store, "host:1:abc")
        assert first is not None
        assert first.info == {"host": beat.info["host"], "pid": str(os.getpid()), "role": "daemon",
                              "version": __version__}
        assert first.expires_at - first.beat_at == pytest.approx(liveness.BEAT_TTL_S, abs=0.01)
        wait_for(lambda: (info_of(store, "host:1:abc") or first).beat_at > first.beat_at + 0.2, 30,
                 "later beats")
        beat.start()  # a second start is the same heartbeat
        assert store.alive(["host:1:abc"]) == {"host:1:abc"}
    finally:
        beat.stop()


def test_retires_at_once_on_stop(store: Store, quick_beats: None) -> None:
    beat = Heartbeat(lambda: store, "host:2:def", role="daemon")
    beat.start()
    beat.stop()
    assert store.alive(["host:2:def"]) == set() and info_of(store, "host:2:def") is None
    other = Heartbeat(lambda: store, "host:3:ghi", role="daemon")
    other.stop()  # never started: nothing to retire, nothing raised
    assert store.alive(["host:3:ghi"]) == set()


def test_a_heartbeat_stopped_and_started_again_beats_again(store: Store, quick_beats: None) -> None:
    beat = Heartbeat(lambda: store, "host:4:jkl", role="once")
    beat.start()
    beat.stop()
    beat.start()
    try:
        first = info_of(store, "host:4:jkl")
        assert first is not None
        wait_for(lambda: (info_of(store, "host:4:jkl") or first).beat_at > first.beat_at + 0.2, 30,
                 "beats after the restart")
    finally:
        beat.stop()


def test_follows_the_store_in_force(redis_url: str, quick_beats: None) -> None:
    """A config reload may replace the store: the beats go to the one in force."""
    first, second = open_store(redis_url, namespace=NS), open_store(redis_url, namespace="other")
    current = [first]
    beat = Heartbeat(lambda: current[0], "host:4:jkl", role="daemon")
    try:
        beat.start()
        current[0] = second
        wait_for(lambda: second.alive(["host:4:jkl"]) == {"host:4:jkl"}, 30, "a beat in the new store")
        beat.stop()
        assert second.alive(["host:4:jkl"]) == set()
    finally:
        beat.stop()
        first.close()
        second.close()


def test_a_store_that_is_down_stops_nothing_and_the_beats_resume_when_it_answers(store: Store,
                                                                               quick_beats: None) -> None:
    dead = open_store(f"redis://127.0.0.1:{free_port()}/0", namespace=NS)  # nobody listens there
    current = [dead]
    beat = Heartbeat(lambda: current[0], "host:5:mno", role="daemon")
    try:
        beat.start()  # the first beat fails: logged, not raised
        current[0] = store  # the store answers again
        wait_for(lambda: store.alive(["host:5:mno"]) == {"host:5:mno"}, 30, "the beats resuming")
    finally:
        beat.stop()
        dead.close()
    assert store.alive(["host:5:mno"]) == set()


def ended(proc: subprocess.Popen[str]) -> None:
    """Kill it if it still runs, and close its pipes."""
    proc.kill()
    proc.communicate(timeout=30)


def test_another_process_is_seen_alive_then_gone_after_its_clean_stop(store: Store, redis_url: str) -> None:
    proc = beating(redis_url, "worker-a", ttl_s=2.0)
    try:
        assert store.alive(["worker-a"]) == {"worker-a"}
        seen = info_of(store, "worker-a")
        assert seen is not None and seen.info["pid"] == str(proc.pid) and seen.info["role"] == "worker"
        # alive past its beat's lifetime: it keeps beating
        wait_for(lambda: (info_of(store, "worker-a") or seen).beat_at > seen.expires_at, 60,
                 "beats past a lifetime")
        assert store.alive(["worker-a"]) == {"worker-a"}
        proc.communicate("", timeout=30)  # stdin closed: it stops cleanly
        assert proc.returncode == 0
        assert store.alive(["worker-a"]) == set()  # at once: retired, not left to expire
    finally:
        ended(proc)


def test_another_process_killed_is_gone_when_its_beat_expires(store: Store, redis_url: str) -> None:
    proc = beating(redis_url, "worker-b", ttl_s=1.0)
    try:
        assert store.alive(["worker-b"]) == {"worker-b"}
    finally:
        ended(proc)
    wait_for(lambda: store.alive(["worker-b"]) == set(), 30, "the killed process counted as gone")
    assert info_of(store, "worker-b") is None
