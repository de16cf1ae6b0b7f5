"""The whole market on a peak evening: about 600 results announcements in 4 hours among 5,000 other
filings, Main Board and GEM, watched with ``code = "*"`` to one Slack channel, with the default
politeness pacing; against the code as it was before issue 19 in the same run.

    python benchmarks/bench_market.py                 # 600 results + 5,000 others, 4 h compressed 12x: 20 min
    python benchmarks/bench_market.py --quick         # 6 + 30 over 6 s, 2 s polls (the smoke test)
    python benchmarks/bench_market.py --alert-on all --hours 0.5 --compression 2   # every filing alerted

**Time is compressed.** The evening's filings are published at random moments (uniformly) over
``hours / compression`` of real time (4 h / 12 = 20 min), and the HKEXnews stand-in's feed is regenerated
on a grid compressed alike (HKEXnews regenerates about every 60 s: every 5 s here), so each
regeneration brings what a real one does (about 23 filings, 28 on average with the results). What is
NOT compressed is everything paced in real seconds: the monitor's politeness pacing (1 request a
second to HKEXnews, shared by its feed polls and document downloads), Slack's one post a second per
channel, the poll interval, parse and network times. So the monitor meets 12 times the real demand
on those budgets: 600 documents in 20 minutes are half of HKEXnews' request budget (in 4 hours, 4%),
and the one channel gets its 600 first notices and 600 updates at up to one post a second (in 4 hours,
one call every 12 s). The figures are therefore an upper bound for the real evening: a latency that
holds here holds with 12x the slack; one that grows here (a queue building up) may not in real time,
and the script says which budget was the bottleneck. ``alert_on = "all"`` puts every filing into the
one channel (5,600 posts): at 12x that is 4.7 posts a second against Slack's one per channel, a queue
that grows without end, so that variant is run on a slice of the evening at a lower compression
(``--alert-on all --hours 0.5 --compression 2``: 0.8 posts a second).

Each run: a fresh HKEXnews + Slack stand-in (child process), Redis database 13 flushed, a universe of
2,300 Main Board and 320 GEM codes, 300 earlier filings of the day already in both boards' feeds, and
one real ``hkex-monitor run`` process with the default settings but for the watchlist and the poll
interval: a fixed 5 s (``in_window_s``: a process started by a benchmark cannot be inside a
publication window on demand; 5 s is what the default schedule polls at on a results day of a watched
stock, which every peak evening is when the whole market is watched), ``daemon.first_run_hours = 0``
(the day's earlier filings are not alerted). Results announcements carry the three fixture PDFs
(rotated), each with its own document stem and code; the others are everyday filings (monthly
returns, next-day disclosures, ...) on random codes.

- **ours**: this tree, watching ``[[watch]] code = "*"`` (channel ``#market``, ``alert_on``), bot
  token, ``slack.announce_first`` left out (on): a results filing's alert is posted as soon as the poll
  finds it, its figures added to the same message (``chat.update``) once the document is read;
- **baseline**: the code at commit 30eb135 (before issue 19: ``git archive`` into a temp folder, run
  with this venv's packages), which cannot watch ``"*"``: its watchlist names every code the evening
  publishes for (results or not), all to ``#market``, same ``alert_on``. It posts one message per
  alert, after the parse.

Measured per run: first notice (from the filing's first appearance in the feed, i.e. the regeneration
after its publish, to its first Slack post) and figures (to the ``chat.update`` that added them, or
the post that carried them), median / p95 / max over the results, and for ``--alert-on all`` the other
filings' alert; the wait for the poll (appearance -> the first feed request after it, on either
board); the time after the evening's end until the last figures; HKEXnews requests (feed, documents,
other; peak in any 10 s); CPU seconds of the monitor's processes (daemon and parse workers, from
/proc), per filing and as a share of one core over the evening; resident memory (RSS) of those
processes, sampled every 5 s (peak), and the daemon's own peak (VmHWM); Slack posts, updates and
filings posted twice.
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Only the standard library at module level (see common.py).

FEED_PREFIX = "/ncms/json/eds/lci"
BASELINE_REF = "30eb135"
MAIN_BOARD, GEM = 2300, 320
POLL_S = 5.0


@dataclass
class Evening:
    """What is published when: (seconds after the start, kind, code), sorted."""

    plan: list[tuple[float, str, str]]
    codes: list[str]  # every code listed (Main Board and GEM)
    span_s: float
    period_s: float  # the feed's regeneration grid

    @property
    def publishing_codes(self) -> list[str]:
        return sorted({code for _, _, code in self.plan})


def evening(n_results: int, n_other: int, span_s: float, period_s: float, seed: int) -> Evening:
    from common import gem_codes, universe

    rng = random.Random(seed)
    codes = universe(MAIN_BOARD) + gem_codes(GEM)
    plan = [(rng.uniform(0, span_s), "results", code) for code in rng.sample(codes, n_results)]
    plan += [(rng.uniform(0, span_s), "other", rng.choice(codes)) for _ in range(n_other)]
    return Evening(sorted(plan), codes, span_s, period_s)


@dataclass
class Outcome:
    label: str
    first: dict[str, list[float]] = field(default_factory=dict)  # "results" / "other" -> seconds
    figures: list[float] = field(default_factory=list)
    wait_for_poll: list[float] = field(default_factory=list)
    published: dict[str, int] = field(default_factory=dict)
    missing_first: int = 0
    missing_figures: int = 0
    drain_s: float = float("nan")  # the evening's end -> the last figures
    feed_requests: int = 0
    doc_requests: int = 0
    other_requests: int = 0
    peak_rate: float = 0.0
    cpu_s: float = 0.0
    seconds: float = 0.0  # evening + drain, what the CPU was measured over
    rss_peak_mb: float = 0.0
    daemon_hwm_mb: float = 0.0
    posts: int = 0
    updates: int = 0
    duplicates: int = 0
    exit_bad: list[int] = field(default_factory=list)


def run(label: str, ev: Evening, alert_on: str, url: str, tmp: Path, *, code: Path | None,
        drain_limit_s: float, poll_s: float) -> Outcome:
    from common import FilingFactory, Instances, StandIns, watchlist_toml

    from monitor.hkexnews.feed import document_stem

    out = Outcome(label)
    with StandIns(regen_period_s=ev.period_s) as si:
        si.add_stocks(ev.codes)
        si.add_channels(["market"])
        fac = FilingFactory(seed=19)
        si.publish(fac.feed(ev.codes, 300))
        watch = ["*"] if code is None else ev.publishing_codes
        cfg = tmp / f"market-{'ours' if code is None else 'baseline'}-{alert_on}.toml"
        cfg.write_text(watchlist_toml(watch, channel="#market", default_alert_on=alert_on,
                                      schedule={"in_window_s": poll_s, "off_window_s": poll_s},
                                      daemon={"first_run_hours": 0}))
        with Instances(1, cfg, si, url, tmp, code=code) as monitor:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not any(p.startswith(FEED_PREFIX) for _, p in si.log()):
                time.sleep(0.2)
            time.sleep(2 * poll_s)  # the first polls' answers read
            log_from = len(si.log())
            published: dict[str, tuple[float, str]] = {}  # fid -> (publish time, kind)
            results_index = 0
            cpu0 = monitor.cpu_s()
            t0 = time.monotonic()
            started = time.time()
            rss_peak = 0
            next_sample = 0.0
            todo = list(ev.plan)
            while todo and monitor.alive():
                now = time.monotonic() - t0
                due = [p for p in todo if p[0] <= now]
                todo = todo[len(due):]
                batch, kinds = [], []
                for _, kind, c in due:
                    if kind == "results":
                        batch.append(fac.results(c, results_index))
                        results_index += 1
                    else:
                        batch.append(fac.other(c))
                    kinds.append(kind)
                if batch:
                    for f, kind, at in zip(batch, kinds, si.publish(batch), strict=True):
                        published[document_stem(f.web_path)] = (at, kind)
                if now >= next_sample:
                    rss_peak = max(rss_peak, monitor.rss_kb()[0])
                    next_sample = now + 5.0
                time.sleep(0.2)
            evening_end = time.time()
            results_ids = {fid for fid, (_, kind) in published.items() if kind == "results"}
            wanted = {fid for fid, (_, kind) in published.items() if kind == "results" or alert_on == "all"}
            drain_deadline = time.monotonic() + drain_limit_s
            seen = si.deliveries()
            while time.monotonic() < drain_deadline and monitor.alive():
                seen = si.deliveries()
                if results_ids <= set(seen.figures) and wanted <= set(seen.first):
                    break
                rss_peak = max(rss_peak, monitor.rss_kb()[0])
                time.sleep(1.0)
            done_at = time.time()
            out.cpu_s = monitor.cpu_s() - cpu0
            out.daemon_hwm_mb = monitor.rss_kb()[1] / 1024
            out.rss_peak_mb = max(rss_peak, monitor.rss_kb()[0]) / 1024
        out.exit_bad = monitor.stop()
        log = si.log(log_from)
        seen = si.deliveries()
    out.seconds = done_at - started
    feed_times = sorted(t for t, path in log if path.startswith(FEED_PREFIX))
    out.feed_requests = len(feed_times)
    out.doc_requests = sum(1 for _, path in log if path.endswith(".pdf"))
    out.other_requests = len(log) - out.feed_requests - out.doc_requests
    times = sorted(t for t, _ in log)
    out.peak_rate = max((sum(1 for u in times[i:i + 200] if u < t + 10) for i, t in enumerate(times)),
                        default=0) / 10
    out.posts, out.updates = seen.posts, seen.updates
    out.duplicates = sum(1 for c in seen.posts_per_filing.values() if c > 1)
    last_figures = 0.0
    for fid, (t_pub, kind) in published.items():
        out.published[kind] = out.published.get(kind, 0) + 1
        appear = math.ceil(t_pub / ev.period_s) * ev.period_s
        if kind == "results" or alert_on == "all":
            i = bisect.bisect_left(feed_times, appear)
            if i < len(feed_times):
                out.wait_for_poll.append(feed_times[i] - appear)
            if fid in seen.first:
                out.first.setdefault(kind, []).append(max(0.0, seen.first[fid] - appear))
            else:
                out.missing_first += 1
        if kind == "results":
            if fid in seen.figures:
                out.figures.append(max(0.0, seen.figures[fid] - appear))
                last_figures = max(last_figures, seen.figures[fid])
            else:
                out.missing_figures += 1
    if not out.missing_figures and last_figures:
        out.drain_s = max(0.0, last_figures - evening_end)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny input (the smoke test)")
    ap.add_argument("--alert-on", choices=("results", "all"), default="results")
    ap.add_argument("--hours", type=float, help="the evening's length (default 4; a slice of it when less)")
    ap.add_argument("--compression", type=float, default=12.0, help="real time = hours / compression")
    ap.add_argument("--only", choices=("ours", "baseline"), help="run one of the two")
    ap.add_argument("--seed", type=int, default=19)
    args = ap.parse_args(argv)
    from common import Table, bench_redis, header, percentile, source_at

    hours = args.hours or 4.0
    if args.quick:
        n_results, n_other, span, period = 6, 30, 6.0, 2.0
    else:
        share = hours / 4.0
        n_results, n_other = round(600 * share), round(5000 * share)
        span, period = hours * 3600 / args.compression, 60.0 / args.compression
    ev = evening(n_results, n_other, span, period, args.seed)
    header(f"bench_market: {n_results} results + {n_other} other filings over {span:.0f} s "
           f"({hours:g} h compressed {args.compression:g}x), feed regenerated every {period:g} s, "
           f"code = \"*\" to one channel, alert_on = {args.alert_on}", args.quick)
    started = time.perf_counter()
    outcomes = []
    drain_limit = 120.0 if args.quick else 900.0
    with tempfile.TemporaryDirectory(prefix="bench-market-") as tmpdir:
        tmp = Path(tmpdir)
        base_code = source_at(BASELINE_REF, tmp / "baseline-src")
        plan = [("ours: code = \"*\", announce first", None),
                (f"baseline: commit {BASELINE_REF}, every publishing code named "
                 f"({len(ev.publishing_codes):,})", base_code)]
        for label, code in plan:
            if args.only and (args.only == "ours") != (code is None):
                continue
            with bench_redis() as url:
                o = run(label, ev, args.alert_on, url, tmp, code=code, drain_limit_s=drain_limit,
                        poll_s=2.0 if args.quick else POLL_S)
            outcomes.append(o)
            print(f"  {label}: figures {len(o.figures)}/{o.published.get('results', 0)}, "
                  f"drain {o.drain_s:.1f}s ({time.perf_counter() - started:.0f}s)", flush=True)

    def q(values: list[float], p: float) -> Any:
        return percentile(values, p) if values else "-"

    rows = []
    for o in outcomes:
        res = o.first.get("results", [])
        rows.append([o.label, "results: first notice", len(res), q(res, 50), q(res, 95),
                     max(res, default="-")])
        rows.append([o.label, "results: figures", len(o.figures), q(o.figures, 50), q(o.figures, 95),
                     max(o.figures, default="-")])
        if args.alert_on == "all":
            other = o.first.get("other", [])
            rows.append([o.label, "other filings: the alert", len(other), q(other, 50), q(other, 95),
                         max(other, default="-")])
        rows.append([o.label, "wait for poll", len(o.wait_for_poll), q(o.wait_for_poll, 50),
                     q(o.wait_for_poll, 95), max(o.wait_for_poll, default="-")])
    latency = Table(f"Whole market, peak evening compressed {args.compression:g}x: seconds from first "
                    f"appearance in the feed (alert_on = {args.alert_on}, one channel, pacing 1 req/s)",
                    ["run", "what", "n", "median", "p95", "max"], rows)
    minutes = [o.seconds / 60 for o in outcomes]
    cost = Table("What it cost (evening and drain)",
                 ["run", "missing first notices", "missing figures", "last figures after the evening s",
                  "HKEXnews feed requests", "document requests", "other requests", "requests per minute",
                  "peak req/s (10 s)", "CPU s", "CPU % of one core", "CPU ms per filing",
                  "RSS peak MB (all processes)", "daemon peak RSS MB", "Slack posts", "Slack updates",
                  "filings posted twice"],
                 [[o.label, o.missing_first, o.missing_figures, o.drain_s, o.feed_requests, o.doc_requests,
                   o.other_requests, (o.feed_requests + o.doc_requests + o.other_requests) / m, o.peak_rate,
                   o.cpu_s, 100 * o.cpu_s / o.seconds if o.seconds else 0.0,
                   1000 * o.cpu_s / max(1, sum(o.published.values())), o.rss_peak_mb, o.daemon_hwm_mb,
                   o.posts, o.updates, o.duplicates] for o, m in zip(outcomes, minutes, strict=True)])
    print()
    print(latency.render())
    print()
    print(cost.render())
    for o in outcomes:
        res = o.first.get("results", [])
        if res and o.figures:
            print(f"\n{o.label}: results first notice p95 {percentile(res, 95):.1f} s, figures p95 "
                  f"{percentile(o.figures, 95):.1f} s; CPU {o.cpu_s:.0f} s over {o.seconds:.0f} s; "
                  f"RSS peak {o.rss_peak_mb:.0f} MB")
    print(f"\nbench_market finished in {time.perf_counter() - started:.1f}s")
    ok = all(not o.missing_first and not o.missing_figures and not o.duplicates and not o.exit_bad
             for o in outcomes)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
