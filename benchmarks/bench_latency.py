"""Alert latency: from a filing's first appearance in the HKEXnews feed to its **first notice** in
Slack and to its **figures**, with the real daemon on the settings users get, against the behaviour it
replaced, in the same run.

    python benchmarks/bench_latency.py            # feed regenerated every 60 s; 30 filings over 5 min each
    python benchmarks/bench_latency.py --quick    # regenerated every 4 s, 2 s polls; 4 filings over 10 s
    python benchmarks/bench_latency.py --interval-baseline   # and a third daemon: fixed 60 s polls

The HKEXnews stand-in (child process, 300 unwatched everyday filings already in the feed) regenerates
its feed on a fixed grid, as HKEXnews does: a filing published between two regenerations first appears
in the feed at the next one (``genDate`` is that moment). Daemons run in turn, each with a fresh
stand-in and Redis store (database 13) and the Slack stand-in (bot token; every alert to one channel,
so Slack's one post a second per channel is paid as a user pays it):

- **default settings**: ``Daemon(settings).run()`` with the ``[schedule]`` section left out, so inside
  a publication window polls are timed just after the feed's next regeneration as learnt from its
  ``genDate`` (until learnt, every ``learning_s`` = 5 s; the measurement starts once it is learnt),
  and ``slack.announce_first`` left out, i.e. on with a bot token: a watched filing's alert ("figures
  coming") is posted as soon as the poll finds it, and the figures are added to that same message
  (``chat.update``) once its document is read;
- **baseline, announce_first = false**: the same daemon posting one message after the parse, which is
  how every alert went out before issue 19 (its first notice is its figures);
- with ``--interval-baseline``, a third: default settings but ``in_window_s = 60``, the poll timing
  before issue 13 (``--quick``: 8 s).

``--quick`` (the smoke test) only proves the script runs end to end: it polls every 2 s instead of
learning the cadence, which would take most of its time.

All keep the default politeness pacing (1 request/s), parse workers (one per core), Slack pacing and
store. The filings are published at random moments; results announcements carry the real fixture PDFs
(rotated), the others go to stocks watched with ``alert_on = "all"`` (one message, no document). The
daemons schedule as inside a publication window: if the real clock is outside one, the poll plan's
window test is told it is inside (``common.inside_publication_window``; the header says which).

Each filing is timed from its appearance to the Slack stand-in's record of its first post (first
notice) and of the ``chat.update`` that added its figures (or the post, when it carried them), split
from timestamps into: wait for poll (appearance -> the first feed request after it); queue (-> the
daemon starts downloading this document); download, of which *pacing* is the politeness wait before
the request reaches the stand-in; parse (the warm parse worker); Slack (the last step: poll -> post for
a first notice, parse end -> update or post for the figures, render, claim and Slack's pace included).
Download and parse times come from wrapping ``client.fetch_document`` and the reader's ``parse`` on
the daemon's components in this script; product code is unchanged. The feed requests per
regeneration show what the timing costs HKEXnews.
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

# Only the standard library at module level (see common.py).
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
    phases: dict[str, dict[str, list[float]]]  # "first notice", "figures", "other" -> column -> values
    published: int
    noticed: int  # filings with a first notice
    figured: int  # results with their figures in Slack
    n_results: int
    posts: int
    updates: int
    duplicates: int  # filings posted more than once
    feed_requests: int
    regenerations: int
    warmup_s: float

    @property
    def complete(self) -> bool:
        return self.noticed == self.published and self.figured == self.n_results and not self.duplicates


COLUMNS = ["wait for poll", "queue", "download", "of which pacing", "parse", "Slack", "total",
           "from publish"]


def polled(daemon: Daemon) -> bool:
    """Whether the daemon has finished a poll (any outcome), from its metrics."""
    return any(sample.value > 0 for metric in daemon.metrics.polls.collect() for sample in metric.samples
               if sample.name.endswith("_total"))


def run_daemon(label: str, interval_s: float | None, announce_first: bool | None, period: float,
               n_results: int, n_other: int, span: float, seed: int) -> Run:
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
        cfg = settings(si, url, watched, pacing_s=1.0, interval_s=interval_s, all_codes=other_codes,
                       announce_first=announce_first)
        daemon = Daemon(cfg)
        probe = Probe(daemon)
        runner = threading.Thread(target=daemon.run, name="daemon", daemon=True)
        t_start = time.monotonic()
        runner.start()
        if not wait_for(lambda: polled(daemon), 120):
            raise SystemExit(f"{label}: the daemon's first poll did not finish within 120 s")
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

        def delivered() -> bool:
            seen = si.deliveries()
            return all(fid in (seen.figures if kind == "results" else seen.first)
                       for fid, (_, kind, _) in published.items())

        done = wait_for(delivered, 3 * period + 60 + 3 * len(plan))
        t_last = time.time()
        daemon.request_stop()
        runner.join(60)
        log = si.log(log_from)
        seen = si.deliveries()
    if not done:
        print(f"WARNING: {label}: not every filing reached Slack in time", file=sys.stderr)
    feed_times = [t for t, path in log if path.startswith(FEED_PREFIX)]
    doc_req: dict[str, float] = {}
    for t, path in log:
        doc_req.setdefault(path, t)
    phases: dict[str, dict[str, list[float]]] = {"first notice": {}, "figures": {}, "other": {}}

    def add(row: str, parts: dict[str, float]) -> None:
        for name, value in parts.items():
            phases[row].setdefault(name, []).append(max(0.0, value))

    for fid, (t_pub, kind, web_path) in published.items():
        appear = math.ceil(t_pub / period) * period  # the first regeneration at or after publishing
        t_feed = min((t for t in feed_times if t >= appear), default=appear)
        wait = {"wait for poll": t_feed - appear}
        if fid in seen.first:
            t_post = seen.first[fid]
            add("first notice" if kind == "results" else "other",
                wait | {"Slack": t_post - t_feed, "total": t_post - appear, "from publish": t_post - t_pub})
        if kind == "results" and fid in seen.figures and fid in probe.fetch and fid in probe.parse:
            t_fig = seen.figures[fid]
            f0, f1 = probe.fetch[fid]
            p0, p1 = probe.parse[fid]
            add("figures", wait | {"queue": f0 - t_feed, "download": f1 - f0,
                                   "of which pacing": doc_req.get(web_path, f0) - f0, "parse": p1 - p0,
                                   "Slack": t_fig - p1, "total": t_fig - appear,
                                   "from publish": t_fig - t_pub})
    regenerations = max(1, int(t_last // period) - int(t_first // period))
    n_feed = sum(1 for t in feed_times if t_first <= t <= t_last)
    results = [fid for fid, (_, kind, _) in published.items() if kind == "results"]
    return Run(label, phases, len(published), sum(1 for f in published if f in seen.first),
               sum(1 for f in results if f in seen.figures), len(results), seen.posts, seen.updates,
               sum(1 for n in seen.posts_per_filing.values() if n > 1), n_feed, regenerations, warmup)


ROWS = (("first notice", "results: first notice"), ("figures", "results: figures"),
        ("other", "other filings (one message)"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny input (the smoke test)")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--interval-baseline", action="store_true",
                    help="also run the default daemon with fixed-interval polls (the timing before issue 13)")
    args = ap.parse_args(argv)
    from common import Table, header, inside_publication_window, percentile

    clock = inside_publication_window(hours=0.2 if args.quick else 1.5)
    quick = args.quick
    period, interval = (4.0, 8.0) if quick else (60.0, 60.0)
    learnt: float | None = 2.0 if quick else None  # the default schedule: polls timed by the learnt cadence
    n_results, n_other, span = (3, 1, 10.0) if quick else (24, 6, 300.0)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    header(f"bench_latency: feed appearance -> first notice and figures in Slack, real daemon, feed "
           f"regenerated every {period:.0f} s; {clock}", quick)
    started = time.perf_counter()
    load = (period, n_results, n_other, span, args.seed)
    daemons: list[tuple[str, float | None, bool | None]] = [
        ("default settings (announce first)", learnt, None),
        ("baseline: announce_first = false (one message after the parse)", learnt, False)]
    if args.interval_baseline:
        daemons.append((f"default settings, fixed {interval:.0f} s poll interval", interval, None))
    runs = []
    for label, interval_s, announce in daemons:
        runs.append(run_daemon(label, interval_s, announce, *load))
        print(f"  {label}: done ({time.perf_counter() - started:.0f}s)", flush=True)
    rows = []
    for run in runs:
        for key, name in ROWS:
            data = run.phases[key]
            n = len(data.get("total", []))
            for q, stat in ((50, "median"), (95, "p95")):
                cells: list[Any] = [run.label, f"{name}, {stat}", n]
                for col in COLUMNS:
                    values = data.get(col)
                    cells.append(percentile(values, q) if values else "-")
                rows.append(cells)
    table = Table(f"Alert latency in seconds from first appearance in the feed: {n_results} results "
                  f"announcements + {n_other} other filings published at random over {span:.0f} s; feed "
                  f"regenerated every {period:.0f} s; pacing 1 req/s (default); one Slack channel",
                  ["daemon", "filings", "n", *COLUMNS], rows)
    print()
    print(table.render())
    cost = Table("What it cost, while the filings were published",
                 ["daemon", "feed requests", "regenerations", "requests per regeneration",
                  "warm-up s (first poll, cadence learnt)", "first notices", "figures", "Slack posts",
                  "Slack updates", "filings posted twice"],
                 [[r.label, r.feed_requests, r.regenerations, r.feed_requests / r.regenerations, r.warmup_s,
                   f"{r.noticed}/{r.published}", f"{r.figured}/{r.n_results}", r.posts, r.updates,
                   r.duplicates] for r in runs])
    print()
    print(cost.render())
    for run in runs:
        first = run.phases["first notice"].get("total", []) + run.phases["other"].get("total", [])
        figures = run.phases["figures"].get("total", [])
        if first and figures:
            print(f"\n{run.label}: all {len(first)} filings' first notice from appearance: median "
                  f"{stats(first)[0]:.2f} s, p95 {stats(first)[1]:.2f} s, max {max(first):.2f} s; "
                  f"{len(figures)} results' figures: median {stats(figures)[0]:.2f} s, p95 "
                  f"{stats(figures)[1]:.2f} s, max {max(figures):.2f} s; noticed "
                  f"{run.noticed}/{run.published}, figures {run.figured}/{run.n_results}")
    print(f"\nbench_latency finished in {time.perf_counter() - started:.1f}s")
    return 0 if all(r.complete for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
