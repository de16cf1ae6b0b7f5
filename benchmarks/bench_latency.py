"""Alert latency: from a filing's first appearance in the HKEXnews feed to its Slack post, with the
real daemon on the settings users get, against the behaviour it replaced, in the same run.

    python benchmarks/bench_latency.py            # feed regenerated every 60 s; 30 filings over 5 min each
    python benchmarks/bench_latency.py --quick    # regenerated every 4 s; 4 filings over 10 s each

The HKEXnews stand-in (child process, 300 unwatched everyday filings already in the feed) regenerates
its feed on a fixed grid, as HKEXnews does: a filing published between two regenerations first appears
in the feed at the next one (``genDate`` is that moment). Two daemons run in turn, each with a fresh
stand-in and Redis store (database 13) and the Slack stand-in:

- **default settings**: ``Daemon(settings).run()`` with the ``[schedule]`` section left out, so inside
  a publication window polls are timed just after the feed's next regeneration as learnt from its
  ``genDate`` (until learnt, every ``learning_s`` = 5 s); the measurement starts once it is learnt;
- **baseline, fixed 60 s interval**: ``in_window_s = 60``, what the default was before (``--quick``:
  8 s).

Both keep the default politeness pacing (1 request/s), parse workers (one per core) and store. The
filings are published at random moments; results announcements carry the real fixture PDFs
(rotated), the others go to stocks watched with ``alert_on = "all"``. The daemons schedule as inside
a publication window: if the real clock is outside one, the poll plan's window test is told it is
inside (``common.inside_publication_window``; the header says which).

Each filing is timed from its appearance to the Slack stand-in's receipt and split, from
timestamps, into: wait for poll (appearance -> the first feed request after it); queue (-> the
daemon starts downloading this document); download, of which *pacing* is the politeness wait before
the request reaches the stand-in; parse (the warm parse worker); post (-> the Slack stand-in
recorded the message). Download and parse times come from wrapping ``client.fetch_document`` and
the cycle's ``parse`` on the daemon's components in this script; product code is unchanged. The
feed requests per regeneration show what the timing costs HKEXnews.
"""

from __future__ import annotations

import argparse
import logging
import math
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

# Only the standard library at module level: the daemon's parser children (forkserver) re-run this
# module's top level before every parse, so heavy imports here would be paid again per document.
if TYPE_CHECKING:
    from monitor.daemon import Daemon
    from monitor.filing import Filing

FEED_PREFIX = "/ncms/json/eds/lci"


class Probe:
    """Wraps the daemon's document download and parse to record when each happened."""

    def __init__(self, daemon: Daemon) -> None:
        self.fetch: dict[str, tuple[float, float]] = {}
        self.parse: dict[str, tuple[float, float]] = {}
        self._owner: dict[int, str] = {}  # id(document bytes) -> filing id: readers run side by side
        comps = daemon.components
        fetch = comps.client.fetch_document
        parse = comps.reader.parse

        def timed_fetch(filing: Filing) -> bytes:
            t0 = time.time()
            data = fetch(filing)
            self.fetch.setdefault(filing.id, (t0, time.time()))
            self._owner[id(data)] = filing.id
            return data

        def timed_parse(data: bytes, parser: str) -> dict[str, Any]:
            t0 = time.time()
            try:
                return parse(data, parser)
            finally:
                owner = self._owner.pop(id(data), None)
                if owner is not None:
                    self.parse.setdefault(owner, (t0, time.time()))

        comps.client.fetch_document = timed_fetch
        comps.reader.parse = timed_parse


def wait_for(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def stats(values: list[float]) -> tuple[float, float]:
    from common import percentile

    return (percentile(values, 50), percentile(values, 95)) if values else (float("nan"), float("nan"))


@dataclass
class Run:
    label: str
    phases: dict[str, dict[str, list[float]]]
    published: int
    posted: int
    feed_requests: int
    regenerations: int
    warmup_s: float


COLUMNS = ["wait for poll", "queue", "download", "of which pacing", "parse", "post", "total",
           "from publish"]


def run_daemon(label: str, interval_s: float | None, period: float, n_results: int, n_other: int,
               span: float, seed: int) -> Run:
    """One daemon against a fresh stand-in whose feed regenerates every ``period`` seconds."""
    from common import FilingFactory, StandIns, bench_redis, settings, universe

    from monitor.daemon import Daemon
    from monitor.hkexnews.feed import document_stem

    rng = random.Random(seed)
    with bench_redis() as url, StandIns(regen_period_s=period) as si:
        codes = universe(2000)
        si.add_stocks(codes)
        fac = FilingFactory(seed=seed)
        watched = rng.sample(codes, n_results + n_other)
        results_codes, other_codes = watched[:n_results], watched[n_results:]
        si.publish(fac.feed([c for c in codes if c not in watched], 300))
        cfg = settings(si, url, watched, pacing_s=1.0, interval_s=interval_s, all_codes=other_codes)
        daemon = Daemon(cfg)
        probe = Probe(daemon)
        runner = threading.Thread(target=daemon.run, name="daemon", daemon=True)
        t_start = time.monotonic()
        runner.start()
        if not wait_for(lambda: daemon._last_outcome is not None, 120):  # noqa: SLF001
            raise SystemExit(f"{label}: the daemon's first cycle did not finish within 120 s")
        if interval_s is None and not wait_for(lambda: daemon.lasting.cadence.estimate() is not None,
                                               12 * period + 60):
            raise SystemExit(f"{label}: the feed's cadence was not learnt within {12 * period + 60:.0f} s")
        warmup = time.monotonic() - t_start
        plan: list[tuple[float, str, Any]] = []
        for i, code in enumerate(results_codes):
            plan.append((rng.uniform(0, span), "results", (code, i)))
        for code in other_codes:
            plan.append((rng.uniform(0, span), "other", code))
        plan.sort(key=lambda p: p[0])
        published: dict[str, tuple[float, str, str]] = {}  # fid -> (time, kind, web path)
        log_from = len(si.log())
        t0 = time.monotonic()
        t_first = time.time()
        for at, kind, what in plan:
            delay = at - (time.monotonic() - t0)
            if delay > 0:
                time.sleep(delay)
            f = fac.results(what[0], what[1]) if kind == "results" else fac.other(what)
            (when,) = si.publish([f])
            published[document_stem(f.web_path)] = (when, kind, f.web_path)
        done = wait_for(lambda: set(published) <= posted_ids_of(si.posts()), 3 * period + 60 + 3 * len(plan))
        t_last = time.time()
        daemon.request_stop()
        runner.join(60)
        log = si.log(log_from)
        posts = si.posts()
    if not done:
        missing = len(set(published) - posted_ids_of(posts))
        print(f"WARNING: {label}: {missing} filings were not posted in time", file=sys.stderr)
    post_at: dict[str, float] = {}
    for ts, _channel, fids, _text in posts:
        for fid in fids:
            post_at.setdefault(fid, ts)
    feed_times = [t for t, path in log if path.startswith(FEED_PREFIX)]
    doc_req: dict[str, float] = {}
    for t, path in log:
        doc_req.setdefault(path, t)
    phases: dict[str, dict[str, list[float]]] = {"results": {}, "other": {}}
    for fid, (t_pub, kind, web_path) in published.items():
        if fid not in post_at:
            continue
        t_post = post_at[fid]
        appear = math.ceil(t_pub / period) * period  # the first regeneration at or after publishing
        t_feed = min((t for t in feed_times if t >= appear), default=appear)
        row = phases[kind]
        if kind == "results" and fid in probe.fetch and fid in probe.parse:
            f0, f1 = probe.fetch[fid]
            p0, p1 = probe.parse[fid]
            t_doc = doc_req.get(web_path, f0)
            parts = {"wait for poll": t_feed - appear, "queue": f0 - t_feed, "download": f1 - f0,
                     "of which pacing": t_doc - f0, "parse": p1 - p0, "post": t_post - p1}
        else:
            parts = {"wait for poll": t_feed - appear, "post": t_post - t_feed}
        parts |= {"total": t_post - appear, "from publish": t_post - t_pub}
        for name, value in parts.items():
            row.setdefault(name, []).append(max(0.0, value))
    regenerations = max(1, int(t_last // period) - int(t_first // period))
    n_feed = sum(1 for t in feed_times if t_first <= t <= t_last)
    posted = sum(1 for f in published if f in post_at)
    return Run(label, phases, len(published), posted, n_feed, regenerations, warmup)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny input (the smoke test)")
    ap.add_argument("--seed", type=int, default=6)
    args = ap.parse_args(argv)
    from common import Table, header, inside_publication_window, percentile

    clock = inside_publication_window(hours=0.2 if args.quick else 1.0)
    quick = args.quick
    period, baseline_s = (4.0, 8.0) if quick else (60.0, 60.0)
    n_results, n_other, span = (3, 1, 10.0) if quick else (24, 6, 300.0)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    header(f"bench_latency: feed appearance -> Slack, real daemon, feed regenerated every {period:.0f} s; "
           f"{clock}", quick)
    started = time.perf_counter()
    load = (period, n_results, n_other, span, args.seed)
    runs = [run_daemon("default settings (polls timed by the learnt cadence)", None, *load),
            run_daemon(f"baseline: fixed {baseline_s:.0f} s interval", baseline_s, *load)]
    rows = []
    for run in runs:
        for kind, label in (("results", "results"), ("other", "other filings")):
            data = run.phases[kind]
            n = len(data.get("total", []))
            for q, name in ((50, "median"), (95, "p95")):
                cells: list[Any] = [run.label, f"{label}, {name}", n]
                for col in COLUMNS:
                    values = data.get(col)
                    cells.append(percentile(values, q) if values else "-")
                rows.append(cells)
    table = Table(f"Alert latency in seconds: {n_results} results announcements + {n_other} other filings "
                  f"published at random over {span:.0f} s; feed regenerated every {period:.0f} s; "
                  f"pacing 1 req/s (default)", ["daemon", "filings", "n", *COLUMNS], rows)
    print()
    print(table.render())
    cost = Table("What the timing costs HKEXnews, while the filings were published",
                 ["daemon", "feed requests", "regenerations", "requests per regeneration",
                  "warm-up s (first cycle, cadence learnt)", "posted"],
                 [[r.label, r.feed_requests, r.regenerations, r.feed_requests / r.regenerations, r.warmup_s,
                   f"{r.posted}/{r.published}"] for r in runs])
    print()
    print(cost.render())
    for run in runs:
        total = run.phases["results"].get("total", []) + run.phases["other"].get("total", [])
        if total:
            med, p95 = stats(total)
            print(f"\n{run.label}: all {len(total)} filings from appearance: median {med:.2f} s, "
                  f"p95 {p95:.2f} s, max {max(total):.2f} s; posted {run.posted}/{run.published}")
    print(f"\nbench_latency finished in {time.perf_counter() - started:.1f}s")
    return 0 if all(r.posted == r.published for r in runs) else 1


def posted_ids_of(posts: list[tuple[float, str, tuple[str, ...], str]]) -> set[str]:
    return {fid for p in posts for fid in p[2]}


if __name__ == "__main__":
    sys.exit(main())
