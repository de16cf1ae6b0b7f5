"""Peak season: 500 results announcements appear at once. How many a minute does one monitor read and
post, with the default politeness pacing (1 request/s) and without; and does a filing that appears
20 s into the backlog still go out within one poll?

    python benchmarks/bench_peak.py                  # 500 at once; the paced run stops at 150 posts
    python benchmarks/bench_peak.py --paced-limit 0  # the paced run until all 500 are posted (~9 min)
    python benchmarks/bench_peak.py --quick          # 10 at once; the paced run stops at 4 posts

Each run: a fresh HKEXnews + Slack stand-in (child process) with 300 unwatched everyday filings (30 in
--quick), Redis database 13 flushed, and one real ``hkex-monitor run`` process (default parse workers:
one per core) watching the 500 codes (``alert_on = "results"``) and one more code with
``alert_on = "all"``. Each code posts to its own Slack channel, so Slack's one message a second per
channel does not cap the figure. The poll interval is fixed at 5 s (``in_window_s``: a benchmark
process cannot be inside a publication window on demand; 5 s is what a results day of a watched stock
polls at). Once the monitor has polled the feed, the 500 announcements (the three fixture PDFs rotated,
distinct codes and document stems) are published at once; 20 s later (5 s in --quick) an everyday
filing of the "all" code. The paced run stops at ``--paced-limit`` results posted (SIGTERM, as a
service manager stops it), the unpaced one when all are posted.

Throughput = results posted / (the last counted post - the publish). The filing published into the
backlog is timed from its publish to its Slack post: the baseline in the same run is the poll
interval, which bounds how long discovery may take; before discovery ran beside document reading, it
waited for the whole backlog (175 s for a filing 20 s into a 500-document backlog). Feed requests
during the run show that polling went on. CPU is every process of the monitor (daemon and parse
workers), from /proc.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Only the standard library at module level (see common.py).

FEED_PREFIX = "/ncms/json/eds/lci"
POLL_S = 5.0


def run(label: str, pacing_s: float, n: int, limit: int, url: str, background: int, late_after_s: float,
        tmp: Path) -> dict[str, Any]:
    from common import FilingFactory, Instances, StandIns, universe, watchlist_toml

    from monitor.hkexnews.feed import document_stem

    with StandIns() as si:
        codes = universe(2000 + n + 1)
        watched, late_code = codes[-n - 1:-1], codes[-1]
        si.add_stocks(codes)
        si.add_channels([f"s{c}" for c in watched + [late_code]])
        fac = FilingFactory(seed=500)
        si.publish(fac.feed(codes[:-n - 1], background))
        cfg = tmp / f"peak-{pacing_s:g}.toml"
        cfg.write_text(watchlist_toml(watched + [late_code], alert_on={late_code: "all"},
                                      hkexnews={"min_request_interval_s": pacing_s},
                                      schedule={"in_window_s": POLL_S, "off_window_s": POLL_S},
                                      daemon={"first_run_hours": 0}))
        with Instances(1, cfg, si, url, tmp) as monitor:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not any(p.startswith(FEED_PREFIX) for _, p in si.log()):
                time.sleep(0.2)
            time.sleep(1.0)  # the first poll's answer read
            results = [fac.results(code, i) for i, code in enumerate(watched)]
            results_ids = {document_stem(f.web_path) for f in results}
            (published_at, *_) = si.publish(results)
            cpu0 = monitor.cpu_s()
            late = fac.other(late_code)
            late_id = document_stem(late.web_path)
            late_at: float | None = None
            deadline = time.monotonic() + 120 + limit * (3.0 if pacing_s else 1.0)
            done: list[float] = []
            while time.monotonic() < deadline and monitor.alive():
                time.sleep(0.25)
                if late_at is None and time.time() - published_at >= late_after_s:
                    (late_at,) = si.publish([late])
                posts = si.posts()
                done = sorted(p[0] for p in posts if results_ids & set(p[2]))
                late_posted = any(late_id in p[2] for p in posts)
                if len(done) >= limit and late_posted:
                    break
            cpu = monitor.cpu_s() - cpu0
        log = si.log()
        posts = si.posts()
    counted = done[:limit]
    span = counted[-1] - published_at if counted else float("nan")
    per_min = len(counted) / span * 60 if counted else 0.0
    late_post = min((p[0] for p in posts if late_id in p[2]), default=None)
    feed = [t for t, path in log if path.startswith(FEED_PREFIX) and t >= published_at]
    end = counted[-1] if counted else published_at
    return {"label": label, "n": n, "done": len(counted), "span": span, "per_min": per_min,
            "clear_500_min": 500 / per_min if per_min else float("nan"),
            "late": (late_post - late_at) if late_post is not None and late_at is not None else float("nan"),
            "late_after": late_after_s, "feed_requests": sum(1 for t in feed if t <= end),
            "docs": sum(1 for t, path in log if path.endswith(".pdf")),
            "cpu_ms": cpu * 1000 / max(1, len(counted))}


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
    late_after = 5.0 if quick else 20.0
    header(f"bench_peak: {n} results announcements at once, one more filing {late_after:.0f} s later", quick)
    started = time.perf_counter()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-peak-") as tmpdir:
        for label, pacing, limit in (("pacing 1 req/s (default)", 1.0, min(paced_limit, n)),
                                     ("pacing 0 (CPU bound)", 0.0, n)):
            with bench_redis() as url:
                r = run(label, pacing, n, limit, url, 30 if quick else 300, late_after, Path(tmpdir))
            results.append(r)
            print(f"  {label}: {r['done']} posted in {r['span']:.1f}s ({time.perf_counter() - started:.0f}s)",
                  flush=True)
    rows = [[r["label"], f"{r['done']}/{r['n']}", r["span"], r["per_min"], r["clear_500_min"],
             r["cpu_ms"], r["feed_requests"], f"+{r['late_after']:.0f} s", r["late"]] for r in results]
    table = Table(f"Peak: {n} results announcements published at once (3 fixture PDFs rotated), one monitor, "
                  f"poll every {POLL_S:.0f} s, 2 cores",
                  ["run", "posted", "seconds", "per minute", "minutes for 500", "CPU ms/doc (all processes)",
                   "feed requests meanwhile", "other filing published at", "its alert after s"], rows)
    print()
    print(table.render())
    paced, free = results
    if paced["per_min"] and free["per_min"]:
        print(f"\npacing 0 is {free['per_min'] / paced['per_min']:.1f}x the paced throughput; the filing "
              f"published into the backlog went out {paced['late']:.1f} s (paced) and {free['late']:.1f} s "
              f"(unpaced) after it appeared, against a poll interval of {POLL_S:.0f} s")
    print(f"\nbench_peak finished in {time.perf_counter() - started:.1f}s")
    return 0 if all(r["done"] >= min(r["n"], paced_limit) and r["late"] == r["late"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
