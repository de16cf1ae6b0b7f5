"""Alert latency: from a filing appearing on HKEXnews to the Slack post, with the real daemon.

    python benchmarks/bench_latency.py            # 50 filings (40 results, 10 others) over 120 s
    python benchmarks/bench_latency.py --quick    # 6 filings (4 results, 2 others) over 5 s

``Daemon(settings).run()`` runs in a thread (APScheduler, poll every 1 s: in_window_s =
off_window_s = 1) with the default politeness pacing (``min_request_interval_s`` = 1.0), a Redis
store (database 13) and the Slack stand-in. The filings are published into the HKEXnews stand-in
(child process, 300 unwatched everyday filings already in the feed) at random moments; results
announcements carry the real fixture PDFs (rotated), the others go to stocks watched with
``alert_on = "all"``. Each is timed from publish to the Slack stand-in's receipt and split, from
timestamps, into:

- wait for poll: publish -> the feed request that found it (stand-in request log);
- queue: that feed request -> the daemon starts downloading this document (discovery, enqueue,
  documents ahead of it in the same cycle);
- download: -> document bytes in hand; of which *pacing* is the politeness wait before the
  document request reaches the stand-in (request log) and the rest is the transfer;
- parse: the isolated parse (child process);
- post: -> the Slack stand-in recorded the message (render, claim, chat.postMessage, store).

Download start/end and parse start/end come from wrapping ``client.fetch_document`` and the
cycle's ``parse`` on the daemon's components in this script; product code is unchanged.
The baseline in the same run is the 1 s poll interval itself: "wait for poll" is bounded by it.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import threading
import time
from collections.abc import Callable
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
        parse = comps.cycle.parse

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
        comps.cycle.parse = timed_parse


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny input (the smoke test)")
    ap.add_argument("--seed", type=int, default=6)
    args = ap.parse_args(argv)
    from common import FilingFactory, StandIns, Table, bench_redis, header, percentile, settings, universe

    from monitor.daemon import Daemon
    from monitor.hkexnews.feed import document_stem

    quick = args.quick
    n_results, n_other, span = (4, 2, 5.0) if quick else (40, 10, 120.0)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    header("bench_latency: publish -> Slack, real daemon, poll every 1 s, pacing 1 req/s", quick)
    started = time.perf_counter()
    rng = random.Random(args.seed)
    with bench_redis() as url, StandIns() as si:
        codes = universe(2000)
        si.add_stocks(codes)
        fac = FilingFactory(seed=args.seed)
        watched = rng.sample(codes, n_results + n_other)
        results_codes, other_codes = watched[:n_results], watched[n_results:]
        si.publish(fac.feed([c for c in codes if c not in watched], 300))
        cfg = settings(si, url, watched, pacing_s=1.0, interval_s=1.0, all_codes=other_codes)
        daemon = Daemon(cfg)
        probe = Probe(daemon)
        runner = threading.Thread(target=daemon.run, name="daemon", daemon=True)
        runner.start()
        if not wait_for(lambda: daemon._last_outcome is not None, 60):  # noqa: SLF001
            raise SystemExit("the daemon's first cycle did not finish within 60 s")
        plan: list[tuple[float, str, Any]] = []
        for i, code in enumerate(results_codes):
            plan.append((rng.uniform(0, span), "results", (code, i)))
        for code in other_codes:
            plan.append((rng.uniform(0, span), "other", code))
        plan.sort(key=lambda p: p[0])
        published: dict[str, tuple[float, str, str]] = {}  # fid -> (time, kind, web path)
        t0 = time.monotonic()
        for at, kind, what in plan:
            delay = at - (time.monotonic() - t0)
            if delay > 0:
                time.sleep(delay)
            f = fac.results(what[0], what[1]) if kind == "results" else fac.other(what)
            (when,) = si.publish([f])
            published[document_stem(f.web_path)] = (when, kind, f.web_path)
        posted_ids = lambda: {fid for p in si.posts() for fid in p[2]}  # noqa: E731
        done = wait_for(lambda: set(published) <= posted_ids(), 120 + 3 * len(plan))
        daemon.request_stop()
        runner.join(60)
        log = si.log()
        posts = si.posts()
    if not done:
        print(f"WARNING: {len(set(published) - posted_ids_of(posts))} filings were not posted in time",
              file=sys.stderr)
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
        row = phases[kind]
        if kind == "results" and fid in probe.fetch and fid in probe.parse:
            f0, f1 = probe.fetch[fid]
            p0, p1 = probe.parse[fid]
            t_feed = max((t for t in feed_times if t <= f0), default=t_pub)
            t_doc = doc_req.get(web_path, f0)
            parts = {"wait for poll": t_feed - t_pub, "queue": f0 - t_feed, "download": f1 - f0,
                     "of which pacing": t_doc - f0, "parse": p1 - p0, "post": t_post - p1,
                     "total": t_post - t_pub}
        else:
            t_feed = max((t for t in feed_times if t <= t_post), default=t_pub)
            parts = {"wait for poll": t_feed - t_pub, "post": t_post - t_feed, "total": t_post - t_pub}
        for name, value in parts.items():
            row.setdefault(name, []).append(max(0.0, value))
    columns = ["wait for poll", "queue", "download", "of which pacing", "parse", "post", "total"]
    rows = []
    for kind, label in (("results", "results (download + parse)"), ("other", "other filings")):
        data = phases[kind]
        n = len(data.get("total", []))
        for q, name in ((50, "median"), (95, "p95")):
            cells: list[Any] = [f"{label}, {name}", n]
            for col in columns:
                values = data.get(col)
                cells.append(percentile(values, q) if values else "-")
            rows.append(cells)
    table = Table(f"Alert latency in seconds: {n_results} results announcements + {n_other} other filings "
                  f"published at random over {span:.0f} s; poll every 1 s; pacing 1 req/s (default)",
                  ["filings", "n", *columns], rows)
    print()
    print(table.render())
    total = phases["results"].get("total", []) + phases["other"].get("total", [])
    if total:
        med, p95 = stats(total)
        print(f"\nall {len(total)} filings: median {med:.2f} s, p95 {p95:.2f} s, max {max(total):.2f} s")
    print(f"posted {sum(1 for f in published if f in post_at)}/{len(published)} filings")
    print(f"\nbench_latency finished in {time.perf_counter() - started:.1f}s")
    return 0 if done else 1


def posted_ids_of(posts: list[tuple[float, str, tuple[str, ...], str]]) -> set[str]:
    return {fid for p in posts for fid in p[2]}


if __name__ == "__main__":
    sys.exit(main())
