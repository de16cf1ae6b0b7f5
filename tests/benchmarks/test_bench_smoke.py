"""Smoke tests: every benchmark script runs with ``--quick`` and prints its table.

Each script runs as a subprocess, as a user would run it, in this test session's own Redis
database (the ``redis_url`` fixture: claimed per session, see tests/conftest.py), so a full benchmark
run, other sessions' suites and this one never flush each other's data. The figures are not
checked, only that the run completes and reports what it measured (and the counts that say it
measured the right thing: every filing delivered once, one request per poll, ...).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from waiting import free_port, wait_for

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"

pytestmark = pytest.mark.slow


Run = Callable[..., str]


@pytest.fixture
def run(redis_url: str) -> Run:
    """``run(script, *args, timeout=..., redis_url=...) -> stdout`` of a benchmark script run in this
    session's database (``HKEXMON_BENCH_REDIS_CLAIMED``: the session holds the claim on it), or in
    the database ``redis_url`` names."""
    session_db = redis_url

    def run_script(script: str, *args: str, timeout: float = 120, redis_url: str | None = None) -> str:
        env = {**os.environ, "HKEXMON_BENCH_REDIS_URL": redis_url or session_db,
               "HKEXMON_BENCH_REDIS_CLAIMED": "1"}
        proc = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=BENCH.parent)
        assert proc.returncode == 0, f"{script} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc.stdout

    return run_script


@pytest.fixture
def own_redis_url(tmp_path: Path) -> Iterator[str | None]:
    """A redis-server of this test's own (None without the binary): the poll benchmark counts the
    keys changed with the server's dirty counter, which any other client of a shared server moves."""
    if shutil.which("redis-server") is None:
        yield None
        return
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = redis.Redis(port=port)
        wait_for(lambda: _answers(client), 30, "the test's own redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


def test_bench_poll_quick(run: Run, own_redis_url: str | None) -> None:
    out = run("bench_poll.py", "--quick", redis_url=own_redis_url)
    assert "### Poll cost per cycle" in out and "### Poll cost on an unchanged feed" in out
    changing, still = out.split("### Poll cost on an unchanged feed")

    def rows(text: str) -> list[list[str]]:
        return [[c.strip() for c in line.split("|")[1:-1]] for line in text.splitlines()
                if line.startswith("| ") and line[2].isdigit()]

    assert [r[0] for r in rows(changing)] == ["2", "20", "200"]
    # ours: one request per steady-state poll whatever the watchlist; the baseline: one per code
    assert all(r[1] == "1" for r in rows(changing))
    assert [r[2] for r in rows(changing)] == ["2", "20", "200"]
    # an unchanged feed: one conditional request, no body, and (on a server of its own, whose dirty
    # counter nobody else moves) the only key changed is the shared request budget's slot
    assert [(r[0], r[1], r[2]) for r in rows(still)] == [(c, "1", "0") for c in ("2", "20", "200")]
    if own_redis_url is not None:
        assert [r[5] for r in rows(still)] == ["1", "1", "1"]
    assert "bench_poll finished" in out


def test_bench_latency_quick(run: Run) -> None:
    out = run("bench_latency.py", "--quick", timeout=240)
    assert "### Alert latency in seconds" in out and "### What it cost" in out
    for daemon in ("default settings (announce first)",
                   "baseline: announce_first = false (one message after the parse)"):
        assert f"| {daemon} " in out and f"{daemon}: all 4 filings' first notice from appearance" in out
    assert "results: first notice, p95" in out and "results: figures, median" in out
    assert out.count("noticed 4/4, figures 3/3") == 2
    # announce first edits its three results messages; the baseline edits none
    costs = {r[0]: r for r in rows_of(out.split("### What it cost")[1])}
    assert costs["default settings (announce first)"][8] == "3"
    assert costs["baseline: announce_first = false (one message after the parse)"][8] == "0"
    assert all(r[9] == "0" for r in costs.values()), costs  # no filing posted twice


def rows_of(text: str) -> list[list[str]]:
    """The body rows of the markdown tables in ``text``, as stripped cells."""
    return [[c.strip() for c in line.split("|")[1:-1]] for line in text.splitlines()
            if line.startswith("| ") and not line.startswith("| daemon ") and not line.startswith("| run ")]


def test_bench_cluster_quick(run: Run) -> None:
    out = run("bench_cluster.py", "--quick", timeout=240)
    assert "### Cluster: 6 results announcements" in out
    rows = [[c.strip() for c in line.split("|")[1:-1]] for line in out.splitlines()
            if line.startswith("| ") and line[2].isdigit()]
    # (pacing, instances, workers) of the two quick runs, every document posted and downloaded once
    assert [(r[0].split()[0], r[1], r[2]) for r in rows] == [("0", "1", "1"), ("0", "3", "2")]
    assert all(r[3] == "6/6" and r[7] == "1.00" for r in rows), rows
    three = [r for r in rows if r[1] == "3"]
    assert all(len(r[10].split(" / ")) == 3 for r in three)
    assert "bench_cluster finished" in out


def test_bench_peak_quick(run: Run) -> None:
    out = run("bench_peak.py", "--quick", timeout=240)
    assert "### Peak: 6 results announcements" in out
    rows = {r[0]: r for r in rows_of(out) if r[0].startswith(("announce first", "baseline"))}
    assert sorted(rows) == ["announce first, pacing 1 req/s (default)",
                            "baseline: announce_first = false, pacing 0"]
    # paced: counted over the first 3 figures; unpaced: all 6
    assert [rows[k][1] for k in sorted(rows)] == ["3/6", "6/6"]
    # the results filing published into the backlog got its first notice and its figures: numbers,
    # not "nan"; and no filing was posted twice
    assert all(float(r[11]) > 0 and float(r[12]) > 0 and r[13] == "0" for r in rows.values()), rows
    assert "bench_peak finished" in out


def test_bench_market_quick(run: Run) -> None:
    out = run("bench_market.py", "--quick", timeout=300)
    assert "### Whole market, peak evening" in out and "### What it cost" in out
    latency, cost = out.split("### What it cost")
    runs = {r[0] for r in rows_of(latency)}
    assert any(r.startswith("ours: code = \"*\"") for r in runs)
    assert any(r.startswith("baseline: commit 30eb135") for r in runs)
    # every results filing got its first notice and its figures, none posted twice, both runs
    assert [(r[1], r[2], r[16]) for r in rows_of(cost)] == [("0", "0", "0")] * 2
    assert "bench_market finished" in out


def test_bench_memory_quick(run: Run) -> None:
    out = run("bench_memory.py", "--quick")
    assert "### RSS of the daemon process over 50 cycles" in out
    assert "growth after warm-up" in out and "0 failed cycles" in out


def test_run_all_runs_the_chosen_benchmarks_and_prints_their_tables(run: Run) -> None:
    listed = run("run_all.py", "--list")
    assert all(f"bench_{name}.py" in listed
               for name in ("poll", "latency", "cluster", "peak", "market", "parsepool", "memory", "parse"))
    out = run("run_all.py", "--quick", "--only", "poll")
    assert "all benchmark tables" in out and "## bench_poll (exit 0" in out
    assert out.count("### Poll cost per cycle") == 2  # streamed, then in the summary
    assert "1 benchmarks run, 0 failed" in out


def test_bench_parsepool_quick(run: Run) -> None:
    out = run("bench_parsepool.py", "--quick")
    assert "### Start-up of one process" in out and "parse worker, until ready" in out
    assert "### Per document, median of 1" in out and "extra CPU ms" in out
    assert out.count("fresh child per document (before) |") == 3 and out.count("warm worker (pool) |") == 3
    assert "### Documents per minute, 6 documents" in out
    assert "| pool, 1 worker " in out and "| pool, 2 workers " in out
    assert "bench_parsepool finished" in out
