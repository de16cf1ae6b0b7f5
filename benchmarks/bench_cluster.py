"""Cluster throughput: documents per minute for 1 and 3 instances on one Redis, with 1 and 2 parse
workers each, with the default politeness pacing (1 request/s) and without; downloads per document.

    python benchmarks/bench_cluster.py            # 60 results announcements per run, 8 runs
    python benchmarks/bench_cluster.py --quick    # 6 per run

Each run: a fresh HKEXnews + Slack stand-in (child process), Redis database 13 flushed, and N
results announcements (the three fixture PDFs rotated, distinct stocks) already in the feed. Then
1 or 3 real ``hkex-monitor run`` processes start on one config (``daemon.parse_workers`` 1 or 2,
``hkexnews.min_request_interval_s`` 1.0 or 0, ``daemon.first_run_hours`` 0 so the first poll takes
everything in the feed). Each stock posts to its own Slack channel, so Slack's one-message-a-second
per channel does not cap the figures; the poll interval is 30 s, so that discovery (one feed request
per instance per poll) takes little of the shared request budget.

With a bot token the monitor announces first (the default): each filing's alert is posted as soon as
the poll finds it and its figures are added to that message (``chat.update``) once its document is
read, so a document counts as done when its figures are in Slack (``common.Deliveries``).
Throughput = N / (the last figures - the first document request), so process start-up is left out.
Downloads per document = document requests the stand-in saw / N (one download per document however
many instances: must be 1.0). Peak request rate = most HKEXnews requests in any 10 s, / 10 (the
budget is shared through Redis: 3 instances must not triple it). CPU = user + system time of every
process of the instances (the daemons, the forkservers and their parse workers), read from /proc
just before they are stopped. Parses per instance come from each instance's /metrics.
The baseline in the same run is 1 instance with 1 worker.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# Only the standard library at module level (see common.py).



@dataclass
class Result:
    instances: int
    workers: int
    pacing: float
    n: int
    posted: int
    seconds: float
    downloads: int
    peak_rate: float
    cpu_s: float
    parses: list[int]

    @property
    def per_minute(self) -> float:
        return self.posted / self.seconds * 60 if self.seconds > 0 else 0.0


def run(instances: int, workers: int, pacing: float, n: int, url: str, tmp: Path) -> Result:
    from common import FilingFactory, Instances, StandIns, universe, watchlist_toml

    with StandIns() as si:
        codes = universe(n)
        si.add_stocks(codes)
        si.add_channels([f"s{c}" for c in codes])
        fac = FilingFactory(seed=7)
        si.publish([fac.results(code, i) for i, code in enumerate(codes)])
        cfg = tmp / f"cluster-{instances}-{workers}-{pacing:g}.toml"
        cfg.write_text(watchlist_toml(codes, hkexnews={"min_request_interval_s": pacing},
                                      schedule={"in_window_s": 30, "off_window_s": 30},
                                      daemon={"parse_workers": workers, "first_run_hours": 0}))
        with Instances(instances, cfg, si, url, tmp) as cluster:
            deadline = time.monotonic() + 120 + n * (3.0 if pacing else 1.0)
            seen = si.deliveries()
            while time.monotonic() < deadline and len(seen.figures) < n and cluster.alive():
                time.sleep(0.5)
                seen = si.deliveries()  # each message carries its filing ids
            cpu = cluster.cpu_s()
            parses = [int(x) if x == x else -1 for x in cluster.metric("hkexmon_parses")]
        log_lines = si.log()
        seen = si.deliveries()
    docs = [t for t, path in log_lines if path.endswith(".pdf")]
    times = sorted(t for t, _ in log_lines)
    peak = max((sum(1 for u in times[i:] if u < t + 10) for i, t in enumerate(times)), default=0) / 10
    figure_times = sorted(seen.figures.values())
    seconds = (figure_times[-1] - min(docs)) if figure_times and docs else float("nan")
    return Result(instances, workers, pacing, n, len(seen.figures), seconds, len(docs), peak, cpu, parses)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny input (the smoke test)")
    ap.add_argument("--documents", type=int, help="results announcements per run (default 60; quick 6)")
    args = ap.parse_args(argv)
    from common import Table, bench_redis, header

    n = args.documents or (6 if args.quick else 60)
    header(f"bench_cluster: {n} results announcements, 1 and 3 instances, 1 and 2 parse workers", args.quick)
    started = time.perf_counter()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmpdir:
        # --quick (the smoke test) proves the script end to end on the two runs that differ most:
        # one instance with one worker, the baseline, and three with two, unpaced
        plan = ([(0.0, 1, 1), (0.0, 3, 2)] if args.quick else
                [(p, i, w) for p in (1.0, 0.0) for i in (1, 3) for w in (1, 2)])
        for pacing, instances, workers in plan:
            with bench_redis() as url:
                r = run(instances, workers, pacing, n, url, Path(tmpdir))
            results.append(r)
            print(f"  {instances} instance(s), {workers} worker(s), pacing {pacing:g}: "
                  f"{r.posted}/{n} in {r.seconds:.1f}s ({time.perf_counter() - started:.0f}s)", flush=True)
    base = {r.pacing: r.per_minute for r in results if r.instances == 1 and r.workers == 1}
    rows = [[f"{r.pacing:g} s" + (" (default)" if r.pacing == 1.0 else " (CPU bound)"), r.instances,
             r.workers,
             f"{r.posted}/{r.n}", r.seconds, r.per_minute,
             r.per_minute / base[r.pacing] if base.get(r.pacing) else "-", r.downloads / r.n, r.peak_rate,
             r.cpu_s / max(1, r.posted), " / ".join(str(p) for p in r.parses)] for r in results]
    table = Table(f"Cluster: {n} results announcements in the feed at start (3 fixture PDFs rotated), "
                  f"{os.cpu_count()} cores, one Redis",
                  ["pacing", "instances", "parse workers each", "figures in", "seconds", "per minute",
                   "vs 1 instance, 1 worker", "downloads per document", "peak HKEXnews req/s (10 s)",
                   "CPU s per document (all processes)", "parses per instance"], rows)
    print()
    print(table.render())
    print(f"\nbench_cluster finished in {time.perf_counter() - started:.1f}s")
    return 0 if all(r.posted == r.n and r.downloads == r.n for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
