"""Peak season: 500 results announcements appear at once, then one more results filing 20 s into the
backlog. How soon does that filing's alert reach Slack (its first notice) and its figures, with the
default politeness pacing (1 request/s) and without; and how many figures a minute does one monitor add?

    python benchmarks/bench_peak.py                  # 500 at once; paced throughput over the first 150
    python benchmarks/bench_peak.py --paced-limit 0  # paced throughput over all 500
    python benchmarks/bench_peak.py --quick          # 6 at once, 2 s polls; ours paced, the baseline not

Four runs, one at a time: the **default** (bot token, ``slack.announce_first`` left out, i.e. on: a
watched filing's alert is posted as soon as the poll finds it and its figures are added to that same
message with ``chat.update`` once the document is read) and the **baseline in the same run**,
``slack.announce_first = false`` (one message after the parse: how every alert went out before issue 19),
each paced (default, 1 request/s) and unpaced (``min_request_interval_s = 0``, CPU bound).

Each run: a fresh HKEXnews + Slack stand-in (child process) with 300 unwatched everyday filings (30 in
--quick), Redis database 13 flushed, and one real ``hkex-monitor run`` process (default parse workers:
one per core, default Slack pacing) watching 501 codes with ``alert_on = "results"``. **Each code posts
to its own Slack channel**, so Slack's one post a second per channel does not cap the figures (every
call still passes the monitor's one-call-at-a-time Slack gate); with one channel for all, 500 first
notices alone would take 500 s. The poll interval is fixed at 5 s (``in_window_s``: a benchmark
process cannot be inside a publication window on demand; 5 s is what a results day of a watched stock
polls at). Once the monitor's first poll has ended, the 500 announcements (the three fixture PDFs rotated,
distinct codes and document stems) are published at once; 20 s later (3 s in --quick) one more results
announcement of the 501st code. A run stops (SIGTERM, as a service manager stops it) when the filing
published into the backlog has its figures and ``--paced-limit`` results (paced) or all (unpaced)
have theirs; the throughput counts the first ``--paced-limit`` in a paced run.

Throughput = results whose figures are in Slack / (the last counted - the publish). The filing
published into the backlog is timed from its publish (the stand-in's feed shows it at once) to its
first post (first notice) and to the update that added its figures (or the post, in the baseline).
Feed requests during the run show that polling went on. CPU is every process of the monitor (daemon
and parse workers), from /proc.
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


def run(label: str, pacing_s: float, announce_first: bool | None, n: int, limit: int, url: str,
        background: int, late_after_s: float, tmp: Path, poll_s: float) -> dict[str, Any]:
    from common import FilingFactory, Instances, StandIns, percentile, universe, watchlist_toml

    from monitor.hkexnews.feed import document_stem

    with StandIns() as si:
        codes = universe(2000 + n + 1)
        watched, late_code = codes[-n - 1:-1], codes[-1]
        si.add_stocks(codes)
        si.add_channels([f"s{c}" for c in watched + [late_code]])
        fac = FilingFactory(seed=500)
        si.publish(fac.feed(codes[:-n - 1], background))
        cfg = tmp / f"peak-{pacing_s:g}-{announce_first}.toml"
        slack = {} if announce_first is None else {"slack": {"announce_first": announce_first}}
        cfg.write_text(watchlist_toml(watched + [late_code], hkexnews={"min_request_interval_s": pacing_s},
                                      schedule={"in_window_s": poll_s, "off_window_s": poll_s},
                                      daemon={"first_run_hours": 0}, **slack))
        with Instances(1, cfg, si, url, tmp) as monitor:
            deadline = time.monotonic() + 120
            # until the first poll (a catch-up over the 7-day feed) has ended
            while time.monotonic() < deadline and not any(x > 0 for x in monitor.metric("hkexmon_polls")):
                time.sleep(0.5)
            results = [fac.results(code, i) for i, code in enumerate(watched)]
            results_ids = {document_stem(f.web_path) for f in results}
            (published_at, *_) = si.publish(results)
            cpu0 = monitor.cpu_s()
            late = fac.results(late_code, n)
            late_id = document_stem(late.web_path)
            late_at: float | None = None
            # The filing published into the backlog may have to wait for the whole backlog's documents
            # (n at the pacing), so a paced run goes on until its figures are in, past ``limit``.
            deadline = time.monotonic() + 120 + n * (1.5 if pacing_s else 1.0)
            done: list[float] = []
            seen = si.deliveries()
            while time.monotonic() < deadline and monitor.alive():
                time.sleep(0.5)
                if late_at is None and time.time() - published_at >= late_after_s:
                    (late_at,) = si.publish([late])
                seen = si.deliveries()
                done = sorted(t for fid, t in seen.figures.items() if fid in results_ids)
                if len(done) >= limit and late_id in seen.figures:
                    break
            cpu = monitor.cpu_s() - cpu0
        log = si.log()
    counted = done[:limit]
    span = counted[-1] - published_at if counted else float("nan")
    per_min = len(counted) / span * 60 if counted else 0.0
    first = sorted(t - published_at for fid, t in seen.first.items() if fid in results_ids)
    feed = [t for t, path in log if path.startswith(FEED_PREFIX) and t >= published_at]
    end = counted[-1] if counted else published_at

    def after(moment: float | None) -> float:
        return moment - late_at if moment is not None and late_at is not None else float("nan")

    return {"label": label, "n": n, "done": len(counted), "span": span, "per_min": per_min,
            "clear_500_min": 500 / per_min if per_min else float("nan"),
            "noticed": len(first), "first_p95": percentile(first, 95) if first else float("nan"),
            "first_all": first[-1] if len(first) == n else float("nan"),
            "late_first": after(seen.first.get(late_id)), "late_figures": after(seen.figures.get(late_id)),
            "late_after": late_after_s, "feed_requests": sum(1 for t in feed if t <= end),
            "docs": sum(1 for t, path in log if path.endswith(".pdf")),
            "duplicates": sum(1 for c in seen.posts_per_filing.values() if c > 1),
            "cpu_ms": cpu * 1000 / max(1, len(done))}  # the CPU of every document read by the stop


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny input (the smoke test)")
    ap.add_argument("--announcements", type=int, help="how many appear at once (default 500; quick 6)")
    ap.add_argument("--paced-limit", type=int,
                    help="paced throughput over the first this many figures; 0 = all (default 150; quick 3)")
    args = ap.parse_args(argv)
    from common import Table, bench_redis, header

    quick = args.quick
    n = args.announcements or (6 if quick else 500)
    paced_limit = args.paced_limit if args.paced_limit is not None else (3 if quick else 150)
    paced_limit = min(paced_limit or n, n)
    late_after, poll_s = (3.0, 2.0) if quick else (20.0, POLL_S)
    header(f"bench_peak: {n} results announcements at once, one more results filing {late_after:.0f} s later",
           quick)
    started = time.perf_counter()
    results = []
    plan = (("announce first, pacing 1 req/s (default)", 1.0, None, paced_limit),
            ("baseline: announce_first = false, pacing 1 req/s", 1.0, False, paced_limit),
            ("announce first, pacing 0 (CPU bound)", 0.0, None, n),
            ("baseline: announce_first = false, pacing 0", 0.0, False, n))
    if quick:  # the smoke test: ours and the baseline, once each, the default pacing's code path first
        plan = (plan[0], plan[3])
    with tempfile.TemporaryDirectory(prefix="bench-peak-") as tmpdir:
        for label, pacing, announce, limit in plan:
            with bench_redis() as url:
                r = run(label, pacing, announce, n, limit, url, 30 if quick else 300, late_after,
                        Path(tmpdir), poll_s)
            results.append(r)
            print(f"  {label}: {r['done']} with figures in {r['span']:.1f}s "
                  f"({time.perf_counter() - started:.0f}s)", flush=True)
    rows = [[r["label"], f"{r['done']}/{r['n']}", r["span"], r["per_min"], r["clear_500_min"], r["cpu_ms"],
             r["feed_requests"], f"{r['noticed']}/{r['n']}", r["first_p95"], r["first_all"],
             f"+{r['late_after']:.0f} s", r["late_first"], r["late_figures"], r["duplicates"]]
            for r in results]
    table = Table(f"Peak: {n} results announcements published at once (3 fixture PDFs rotated), one monitor, "
                  f"poll every {poll_s:.0f} s, each code its own Slack channel, 2 cores",
                  ["run", "figures in", "seconds", "figures per minute", "minutes for 500",
                   "CPU ms/doc (all processes)", "feed requests meanwhile", "first notices",
                   "first notice p95 s", "all first notices s", "results filing published at",
                   "its first notice after s", "its figures after s", "filings posted twice"], rows)
    print()
    print(table.render())
    print("\n(first notices: those of the backlog's results posted by the time the run stopped, timed from "
          "their publish; the baseline's first notice is its one message, after the parse)")
    for r in results:
        print(f"{r['label']}: the results filing published into the backlog: first notice "
              f"{r['late_first']:.1f} s, figures {r['late_figures']:.1f} s after it appeared")
    print(f"\nbench_peak finished in {time.perf_counter() - started:.1f}s")
    ok = all(r["done"] >= r_limit and r["late_figures"] == r["late_figures"] and not r["duplicates"]
             for r, (*_, r_limit) in zip(results, plan, strict=True))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
