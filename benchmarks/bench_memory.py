"""Memory: the daemon's resident set (RSS) over 2,000 poll cycles with new filings arriving.

    python benchmarks/bench_memory.py            # 2,000 cycles
    python benchmarks/bench_memory.py --quick    # 50 cycles
    python benchmarks/bench_memory.py --trace    # also tracemalloc: what grew between the checkpoints

The real daemon (``Daemon(settings)``, Redis store in database 13, Slack stand-in, pacing 0 so the
cycles run back to back) watches 200 codes, 20 of them with ``alert_on = "all"``. Before every
``one_round()`` 3 everyday filings on random codes of a 2,000-code universe arrive in the HKEXnews
stand-in (child process: its memory is not in the figures); every 100th cycle (every 25th in
--quick) a results announcement for a watched code arrives too (downloaded, parsed in the
isolated child, posted). RSS and peak RSS (VmRSS / VmHWM from /proc/self/status) of this process
are read after every cycle. The baseline, in the same run, is the RSS after the warm-up cycles
(the first 10% of cycles): growth is measured against it, and as a least-squares slope over the
second half of the run (kB per 1,000 cycles), which is ~0 when memory is bounded.
"""

from __future__ import annotations

import argparse
import gc
import logging
import random
import sys
import time
from typing import Any

# Only the standard library at module level: the daemon's parser children (forkserver) re-run this
# module's top level before every parse, so heavy imports here would be paid again per document.


def slope_kb_per_1000(points: list[tuple[int, int]]) -> float:
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    return 1000 * sum((x - mx) * (y - my) for x, y in points) / var if var else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny input (the smoke test)")
    ap.add_argument("--cycles", type=int, help="poll cycles (default 2000; quick 50)")
    ap.add_argument("--trace", action="store_true", help="tracemalloc: top allocation growth")
    args = ap.parse_args(argv)
    from common import FilingFactory, StandIns, Table, bench_redis, header, rss_kb, settings, universe

    from monitor.daemon import Daemon

    quick = args.quick
    cycles = args.cycles or (50 if quick else 2000)
    results_every = 25 if quick else 100
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    header(f"bench_memory: RSS over {cycles} poll cycles", quick)
    started = time.perf_counter()
    rng = random.Random(2000)
    checkpoints = sorted({1, *(round(cycles * f) for f in (0.1, 0.25, 0.5, 0.75, 1.0))})
    rows: list[list[Any]] = []
    series: list[tuple[int, int]] = []
    warm = max(1, round(cycles * 0.1))
    snapshots: list[Any] = []
    if args.trace:
        import tracemalloc

        tracemalloc.start(10)
    with bench_redis() as url, StandIns() as si:
        codes = universe(2000)
        si.add_stocks(codes)
        fac = FilingFactory(seed=2000)
        watched = rng.sample(codes, 200)
        si.publish(fac.feed(codes, 300))
        cfg = settings(si, url, watched, pacing_s=0.0, all_codes=watched[:20])
        daemon = Daemon(cfg)
        rss0, _ = rss_kb()
        new = sent = parsed = failed_cycles = 0
        cpu0 = time.process_time()
        try:
            first = daemon.one_round()
            assert first is not None and first.ok, first
            for cycle in range(1, cycles + 1):
                arriving = [fac.other(rng.choice(codes)) for _ in range(3)]
                if cycle % results_every == 0:
                    arriving.append(fac.results(rng.choice(watched), cycle // results_every))
                si.publish(arriving)
                out = daemon.one_round()
                if out is None or not out.ok:
                    failed_cycles += 1
                else:
                    new, sent, parsed = new + out.new_filings, sent + out.sent, parsed + out.read
                rss, hwm = rss_kb()
                series.append((cycle, rss))
                if cycle in checkpoints:
                    rows.append([cycle, rss / 1024, hwm / 1024, (rss - rss0) / 1024, len(gc.get_objects()),
                                 new, sent, parsed])
                    if args.trace:
                        snapshots.append((cycle, tracemalloc.take_snapshot()))
        finally:
            daemon.components.close()
        cpu = time.process_time() - cpu0
        posts = si.post_count()
    base = next(r for c, r in series if c == warm)
    end, peak = series[-1][1], max(r for _, r in series)
    second_half = [p for p in series if p[0] > cycles // 2]
    slope = slope_kb_per_1000(second_half)
    table = Table(f"RSS of the daemon process over {cycles} cycles (3 new filings per cycle, a results "
                  f"announcement every {results_every}), 200 codes watched",
                  ["after cycle", "RSS MB", "peak RSS MB", "vs before the first poll MB", "Python objects",
                   "new filings (cum.)", "alerts sent (cum.)", "parsed (cum.)"], rows)
    print()
    print(table.render())
    print(f"\nbefore the first poll {rss0 / 1024:.1f} MB; baseline after {warm} warm-up cycles "
          f"{base / 1024:.1f} MB; end {end / 1024:.1f} MB; peak {peak / 1024:.1f} MB")
    print(f"growth after warm-up: {(end - base) / 1024:+.1f} MB over {cycles - warm} cycles; "
          f"slope over the second half: {slope:+.0f} kB per 1,000 cycles")
    print(f"{failed_cycles} failed cycles; {posts} Slack posts; CPU {cpu * 1000 / cycles:.1f} ms/cycle")
    if args.trace and len(snapshots) >= 2:
        (c0, s0), (c1, s1) = snapshots[1], snapshots[-1]
        print(f"\ntracemalloc: top growth between cycle {c0} and {c1}:")
        for stat in s1.compare_to(s0, "lineno")[:12]:
            print(f"  {stat}")
    print(f"\nbench_memory finished in {time.perf_counter() - started:.1f}s")
    return 0 if failed_cycles == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
