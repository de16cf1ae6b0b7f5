"""Warm parse workers (``monitor/parsepool.py``) against the fresh child per document they replaced.

    python benchmarks/bench_parsepool.py           # 5 parses per fixture; 36 documents per run, 3 rounds
    python benchmarks/bench_parsepool.py --quick   # 1 parse per fixture; 6 documents, 1 round (smoke test)

Baseline, in the same run: ``parse_isolated``, a fresh ``forkserver`` child per document, which the
daemon used before the pool (its logic is copied below, since ``monitor/sandbox.py`` is gone).
The baseline's children re-run the main module as ``__mp_main__``; under the daemon that was the
``hkex-monitor`` console script, whose only import is ``monitor.cli``. So this script's top level
imports that and the standard library only, and the children pay what they paid in production.

Settings as users get them: a 120 s time limit, 2048 MB, a worker replaced after 50 documents,
workers started lazily. Three tables:

1. Start-up of one process (wall ms to ready, CPU ms): a bare ``python``, a parse worker
   (``python -P -m monitor.documents.parseworker``: standard library and ``parsers``), and
   ``import monitor.cli`` (what each fresh child re-imported).
2. Per document (the three fixture PDFs, median of the repeats): in-process ``parse_results`` (the
   floor), fresh child, warm worker: wall ms, CPU ms (this process plus the child's; a warm worker's
   from /proc, its start-up left out: that is table 1's, once per 50 documents), and both over the
   floor. On a busy machine the wall times wander; the CPU times hold.
3. Documents per minute, CPU bound (no download, no pacing): the fixtures rotated, fed by as many
   threads as workers; the fresh child one at a time, as the daemon did; the pool with 1 and 2 workers
   (a new pool per round, so worker start-up is included). The three alternate in rounds, so load from
   elsewhere on the machine falls on all of them alike. "Cores busy" (CPU / wall) shows whether two
   workers found two free cores: on a machine busy with other work they cannot.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import queue
import resource
import statistics
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# What the `hkex-monitor` console script imports, and so what the baseline's children re-import.
from monitor.cli import main as _console_script_main  # noqa: E402, F401

FIXTURES = ROOT / "tests" / "fixtures"
PDFS = ("2512-cloud-factory-interim-2025.pdf", "0020-sensetime-interim-2025.pdf",
        "1856-ernest-borel-final-2014.pdf")
TIMEOUT_S, MEMORY_MB, MAX_DOCUMENTS = 120.0, 2048, 50  # the settings' defaults
TICK_S = 1 / os.sysconf("SC_CLK_TCK")


# -- the baseline: monitor/sandbox.py's parse_isolated, as it was (plus the child's own CPU time) -------
def _fresh_child(data: bytes, memory_mb: int, conn: Connection) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        from parsers.errors import ParseError
        from parsers.results import parse_results

        try:
            conn.send(("ok", parse_results(data).to_json_dict(), _own_cpu()))
        except ParseError as exc:
            conn.send(("error", str(exc), _own_cpu()))
    finally:
        conn.close()


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # a forked child starts from zero
    return usage.ru_utime + usage.ru_stime


def parse_isolated(ctx: Any, data: bytes) -> tuple[dict[str, Any], float]:
    """The old per-document child: returns (record, the child's CPU seconds)."""
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_fresh_child, args=(data, MEMORY_MB, sender), name="parse", daemon=True)
    proc.start()
    sender.close()
    try:
        if not receiver.poll(TIMEOUT_S):
            raise RuntimeError(f"parsing took longer than {TIMEOUT_S:g}s")
        status, payload, cpu = receiver.recv()
    finally:
        receiver.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if status != "ok":
        raise RuntimeError(payload)
    return dict(payload), float(cpu)


# -- measuring -------------------------------------------------------------------------------------------
def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def proc_cpu(pid: int) -> float:
    """CPU seconds of a live process (utime + stime from /proc, 10 ms ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_S


def startup(command: list[str], *, until_ready: bool, repeats: int) -> tuple[float, float]:
    """Median wall ms until the process is ready (a parse worker's first frame) or has exited, and its
    CPU ms (the whole process, reaped)."""
    walls, cpus = [], []
    for _ in range(repeats):
        cpu0 = children_cpu()
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert proc.stdout is not None and proc.stdin is not None
        if until_ready:
            proc.stdout.read(8)  # the ready frame's two lengths
            walls.append((time.perf_counter() - t0) * 1000)
        proc.stdin.close()  # a worker exits at the end of its input
        proc.wait()
        if not until_ready:
            walls.append((time.perf_counter() - t0) * 1000)
        proc.stdout.close()
        cpus.append((children_cpu() - cpu0) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def per_document(repeats: int) -> list[list[Any]]:
    from monitor.documents.parsepool import ParsePool, PoolConfig
    from parsers.results import parse_results

    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["parsers.results"])
    docs = [(name, (FIXTURES / name).read_bytes()) for name in PDFS]
    rows: list[list[Any]] = []
    with ParsePool(PoolConfig(workers=1, timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB,
                              max_documents=MAX_DOCUMENTS)) as pool:
        for _, data in docs:  # warm all three: the worker's start-up (table 1's, once per 50 documents),
            pool.parse(data)  # the forkserver (once per daemon), and each parser's first-use costs
            parse_isolated(ctx, data)
            parse_results(data)
        for name, data in docs:
            expected = parse_results(data).to_json_dict()
            floor_wall, floor_cpu, fresh_wall, fresh_cpu, warm_wall = [], [], [], [], []
            (pid,) = pool.stats().pids
            worker_cpu0, warm_cpu_main = proc_cpu(pid), 0.0
            for _ in range(repeats):
                c0, t0 = time.process_time(), time.perf_counter()
                parse_results(data)
                floor_wall.append(time.perf_counter() - t0)
                floor_cpu.append(time.process_time() - c0)

                c0, t0 = time.process_time(), time.perf_counter()
                record, child_cpu = parse_isolated(ctx, data)
                fresh_wall.append(time.perf_counter() - t0)
                fresh_cpu.append(time.process_time() - c0 + child_cpu)
                assert record == expected

                c0, t0 = time.process_time(), time.perf_counter()
                record = pool.parse(data)
                warm_wall.append(time.perf_counter() - t0)
                warm_cpu_main += time.process_time() - c0
                assert record == expected
            assert pool.stats().pids == (pid,), "the worker was replaced during the measurement"
            warm_cpu = (proc_cpu(pid) - worker_cpu0 + warm_cpu_main) / repeats
            floor, floor_cpu_ms = statistics.median(floor_wall), statistics.median(floor_cpu) * 1000
            variants = (("in-process parse_results (floor)", floor_wall, statistics.median(floor_cpu)),
                        ("fresh child per document (before)", fresh_wall, statistics.median(fresh_cpu)),
                        ("warm worker (pool)", warm_wall, warm_cpu))
            for label, walls, cpu in variants:
                wall = statistics.median(walls)
                rows.append([name.split("-")[0] + " " + name.split("-")[1], label, wall * 1000,
                             (wall - floor) * 1000, cpu * 1000, cpu * 1000 - floor_cpu_ms])
            print(f"  {name}: floor {floor * 1000:.0f} ms, fresh {statistics.median(fresh_wall) * 1000:.0f} "
                  f"ms, warm {statistics.median(warm_wall) * 1000:.0f} ms", flush=True)
    return rows


def fresh_batch(ctx: Any, docs: list[bytes]) -> tuple[float, float, int]:
    """The old daemon: one document at a time, each in a fresh child. (wall s, CPU s, processes)"""
    c0, t0, child_total = time.process_time(), time.perf_counter(), 0.0
    for data in docs:
        child_total += parse_isolated(ctx, data)[1]
    return time.perf_counter() - t0, time.process_time() - c0 + child_total, len(docs)


def pool_batch(workers: int, docs: list[bytes]) -> tuple[float, float, int]:
    """A fresh pool (workers start lazily, as in the daemon) fed by one thread per worker."""
    from monitor.documents.parsepool import ParsePool, PoolConfig

    todo: queue.SimpleQueue[bytes] = queue.SimpleQueue()
    for data in docs:
        todo.put(data)
    failures: list[BaseException] = []
    c0, cc0, t0 = time.process_time(), children_cpu(), time.perf_counter()
    pool = ParsePool(PoolConfig(workers=workers, timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB,
                                max_documents=MAX_DOCUMENTS))

    def drain() -> None:
        while True:
            try:
                data = todo.get_nowait()
            except queue.Empty:
                return
            try:
                pool.parse(data)
            except Exception as exc:  # counted, and the run is reported as failed
                failures.append(exc)

    threads = [threading.Thread(target=drain) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - t0
    stats = pool.stats()
    pool.close()  # reaps the workers, so their CPU is in RUSAGE_CHILDREN
    if failures:
        raise SystemExit(f"{len(failures)} documents failed with {workers} workers: {failures[0]}")
    return wall, time.process_time() - c0 + children_cpu() - cc0, stats.alive + sum(stats.restarts.values())


def throughput(n: int, rounds: int) -> list[list[Any]]:
    """``rounds`` rounds of ``n // rounds`` documents, the three runs interleaved in each round, so
    other load on the machine falls on all three alike."""
    per_round = max(1, n // rounds)
    docs = [(FIXTURES / PDFS[i % len(PDFS)]).read_bytes() for i in range(per_round)]
    ctx = mp.get_context("forkserver")
    parse_isolated(ctx, docs[0])  # the forkserver is up, as in a running daemon
    runs = {"fresh child per document, one at a time (before)": (1, lambda: fresh_batch(ctx, docs)),
            "pool, 1 worker": (1, lambda: pool_batch(1, docs)),
            "pool, 2 workers": (2, lambda: pool_batch(2, docs))}
    totals = {label: [0.0, 0.0, 0] for label in runs}
    for number in range(rounds):
        for label, (_, run) in runs.items():
            wall, cpu, processes = run()
            total = totals[label]
            total[0] += wall
            total[1] += cpu
            total[2] += processes
        print(f"  round {number + 1}/{rounds}: " + ", ".join(f"{label.split(',')[0]} {t[0]:.1f}s"
                                                           for label, t in totals.items()), flush=True)
    done = per_round * rounds
    rows: list[list[Any]] = []
    for label, (workers, _) in runs.items():
        wall, cpu, processes = totals[label]
        rows.append([label, workers, done, wall, done / wall * 60, cpu / done * 1000, cpu / wall,
                     int(processes)])
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1 parse per fixture, 6 documents (smoke test)")
    ap.add_argument("--repeats", type=int, default=5, help="parses per fixture and variant")
    ap.add_argument("--documents", type=int, default=36, help="documents per throughput run")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds the documents are split into")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from common import Table, header

    quick = args.quick
    repeats, n, rounds = (1, 6, 1) if quick else (args.repeats, args.documents, args.rounds)
    header("bench_parsepool: warm parse workers against a fresh child per document", quick)
    started = time.perf_counter()

    python, times = sys.executable, max(repeats, 3)
    starts = [
        ["bare python (python -c pass)", *startup([python, "-c", "pass"], until_ready=False, repeats=times)],
        ["parse worker, until ready (python -P -m monitor.documents.parseworker)",
         *startup([python, "-P", "-m", "monitor.documents.parseworker", "--memory-mb", str(MEMORY_MB)],
                  until_ready=True, repeats=times)],
        ["python -c 'import monitor.cli' (what each fresh child re-imported)",
         *startup([python, "-c", "import monitor.cli"], until_ready=False, repeats=times)],
    ]
    print(Table("Start-up of one process (median)", ["process", "wall ms", "CPU ms"], starts).render())
    print(flush=True)

    doc_rows = per_document(repeats)
    print()
    print(Table(f"Per document, median of {repeats} (overhead and extra CPU: over the in-process parse)",
                ["document", "how", "wall ms", "overhead ms", "CPU ms", "extra CPU ms"], doc_rows).render(),
          flush=True)

    rows = throughput(n, rounds)
    print()
    print(Table(f"Documents per minute, {rows[0][2]} documents each (3 fixtures rotated, {rounds} "
                f"interleaved rounds), CPU bound, {len(os.sched_getaffinity(0))} usable cores",
                ["run", "workers", "documents", "seconds", "per minute", "CPU ms/doc",
                 "cores busy (CPU/wall)", "processes started"],
                rows).render())
    one, two = rows[1][4], rows[2][4]
    print(f"\n2 workers read {two / one:.2f}x the documents a minute of 1 worker; 1 warm worker "
          f"{one / rows[0][4]:.2f}x the fresh child's")
    print(f"\nbench_parsepool finished in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
