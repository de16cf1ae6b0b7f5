"""Peak season: 500 results announcements appear at once; how many per minute does the daemon
parse and post, with the default politeness pacing (1 request/s) and with pacing 0?

    python benchmarks/bench_peak.py                  # 500 at once; paced run time-boxed to 150 posts
    python benchmarks/bench_peak.py --paced-limit 0  # paced run until all 500 are posted (~9 min)
    python benchmarks/bench_peak.py --quick          # 10 at once; paced run stops after 4 posts

Each run: a fresh HKEXnews + Slack stand-in (child process) with 300 unwatched everyday
filings (30 in --quick), a Redis store (database 13, flushed), 500 watched codes
(``alert_on = "results"``) and the real daemon (``Daemon(settings)``, parser isolated in a
child process as in production). One steady poll first, then the 500 announcements (the three
fixture PDFs rotated, distinct codes and document stems) are published at once and
``poll_once()`` is called back to back until every one is posted, or, for the paced run, until
``--paced-limit`` are posted (a watcher sets the daemon's stop flag, as SIGTERM does).
Throughput = posts / (time of the last counted post - publish time). The per-announcement split
(download incl. pacing, parse, the rest) comes from wrapping the daemon's ``fetch_document``,
``parse`` and ``store.pending`` in this script.
Pacing 0 is the baseline run in the same process: the gap between the two is what politeness costs.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

# Only the standard library at module level: the daemon's parser children (forkserver) re-run this
# module's top level before every parse, so heavy imports here would be paid again per document.


class Meter:
    """Sums the wall time spent in one wrapped method of the daemon's components."""

    def __init__(self, obj: Any, name: str) -> None:
        self.calls = 0
        self.seconds = 0.0
        inner: Callable[..., Any] = getattr(obj, name)

        def timed(*a: Any, **kw: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return inner(*a, **kw)
            finally:
                self.calls += 1
                self.seconds += time.perf_counter() - t0

        setattr(obj, name, timed)


def run(label: str, pacing_s: float, n: int, limit: int, url: str, background: int) -> dict[str, Any]:
    from common import FilingFactory, StandIns, settings, universe

    from monitor.daemon import Daemon

    with StandIns() as si:
        codes = universe(2000 + n)
        watched = codes[-n:]
        si.add_stocks(codes)
        fac = FilingFactory(seed=500)
        si.publish(fac.feed(codes[:-n], background))
        cfg = settings(si, url, watched, pacing_s=pacing_s, interval_s=60)
        store = cfg.store.model_copy(update={"namespace": f"peak{pacing_s:g}"})
        cfg = cfg.model_copy(update={"store": store})
        daemon = Daemon(cfg)
        try:
            first = daemon.poll_once()
            assert first is not None and first.ok, first
            comps = daemon.components
            fetch, parse = Meter(comps.client, "fetch_document"), Meter(comps.cycle, "parse")
            pending = Meter(comps.store, "pending")
            posts_before = si.post_count()
            stop_watch = threading.Event()

            def watcher() -> None:
                while not stop_watch.wait(0.2):
                    if si.post_count() - posts_before >= limit:
                        daemon.stop_event.set()
                        return

            (published_at, *_) = si.publish([fac.results(code, i) for i, code in enumerate(watched)])
            cpu0 = time.process_time()
            wall0 = time.perf_counter()
            watch = threading.Thread(target=watcher, daemon=True)
            watch.start()
            cycles = 0
            while not daemon.stop_event.is_set():
                out = daemon.poll_once()
                cycles += 1
                if out is None or (out.pending == 0 and out.new_filings == 0):
                    break
            cpu = time.process_time() - cpu0
            wall = time.perf_counter() - wall0
            stop_watch.set()
            posts = si.posts(posts_before)
        finally:
            daemon.components.close()
    counted = sorted(p[0] for p in posts)[:limit]
    done = len(counted)
    span = (counted[-1] - published_at) if counted else float("nan")
    per_min = done / span * 60 if done else 0.0
    return {"label": label, "pacing": pacing_s, "n": n, "done": done, "span": span, "per_min": per_min,
            "clear_500_min": 500 / per_min if per_min else float("nan"),
            "download_s": fetch.seconds / max(1, fetch.calls), "parse_s": parse.seconds / max(1, parse.calls),
            "rest_s": (wall - fetch.seconds - parse.seconds) / max(1, done),
            "cpu_ms": cpu * 1000 / max(1, done), "pending_calls": pending.calls, "pending_s": pending.seconds,
            "cycles": cycles}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny input (the smoke test)")
    ap.add_argument("--announcements", type=int, help="how many appear at once (default 500; quick 10)")
    ap.add_argument("--paced-limit", type=int,
                    help="stop the paced run after this many posts; 0 = all (default 150; quick 4)")
    args = ap.parse_args(argv)
    from common import Table, bench_redis, header

    quick = args.quick
    n = args.announcements or (10 if quick else 500)
    paced_limit = args.paced_limit if args.paced_limit is not None else (4 if quick else 150)
    paced_limit = paced_limit or n
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    header(f"bench_peak: {n} results announcements at once", quick)
    started = time.perf_counter()
    results = []
    with bench_redis() as url:
        for label, pacing, limit in (("pacing 1 req/s (default)", 1.0, min(paced_limit, n)),
                                     ("pacing 0 (CPU bound)", 0.0, n)):
            r = run(label, pacing, n, limit, url, 30 if quick else 300)
            results.append(r)
            print(f"  {label}: {r['done']} posted in {r['span']:.1f}s ({time.perf_counter() - started:.0f}s)",
                  flush=True)
    rows = [[r["label"], f"{r['done']}/{r['n']}", r["span"], r["per_min"], r["clear_500_min"],
             r["download_s"], r["parse_s"], r["rest_s"], r["cpu_ms"],
             f"{r['pending_calls']} / {r['pending_s']:.1f}s"] for r in results]
    table = Table(f"Peak: {n} results announcements published at once (3 fixture PDFs rotated), 2 cores",
                  ["run", "posted", "seconds", "per minute", "minutes for 500", "download s/doc",
                   "parse s/doc", "rest s/doc", "main-process CPU ms/doc", "store.pending() calls / time"],
                  rows)
    print()
    print(table.render())
    paced, free = results
    if paced["per_min"] and free["per_min"]:
        per_doc = {r["label"]: r["download_s"] + r["parse_s"] + r["rest_s"] for r in results}
        print(f"\npacing 0 is {free['per_min'] / paced['per_min']:.1f}x the paced throughput; paced: "
              f"{paced['download_s']:.2f} s of each document's {per_doc[paced['label']]:.2f} s is the "
              f"download (pacing); unpaced: parse {free['parse_s']:.2f} s of {per_doc[free['label']]:.2f} s")
    print(f"\nbench_peak finished in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
