"""Poll cost: HTTP requests, bytes and CPU per steady-state poll cycle, for watchlists of 2, 200 and
2,000 codes, against one title search per watched code per poll (the baseline), in the same run.

    python benchmarks/bench_poll.py            # 2,000-code universe, 300 filings, 10 cycles per size
    python benchmarks/bench_poll.py --quick    # 300 codes, 40 filings, 2 cycles, sizes 2/20/200

The HKEXnews stand-in (page size 100, like the real feed) runs in a child process and publishes a
day's feed of everyday filings spread over the universe; between cycles 5 new filings arrive (one
on a watched code). Each cycle runs *ours* (``Daemon.one_round()``: the whole cycle, latest feed
page 1 plus store work) then the *baseline* (the real client's ``title_search`` for every watched
code, today's rows, then the same dedupe against the store), so noise hits both alike. Then a few
more polls with nothing new: the feed answers 304 Not Modified, and the Redis commands each costs are
counted by name from the server's INFO commandstats, and the changes to data from its dirty counter
(``rdb_changes_since_last_save``; the benchmark's Redis serves nothing else). ``one_round`` is the
whole cycle, so the document readers' stream reads (XAUTOCLAIM, XREADGROUP) are counted too. Requests
and bytes (response bodies) are counted by the stand-in; CPU is ``time.process_time()`` of this
process, which holds only the monitor (the servers are in the child). Pacing is 0 here, so CPU and
counts are measured without sleeping; the last column says what the baseline's requests cost in
time at the default politeness pacing of 1 request per second.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

import redis
from common import FilingFactory, StandIns, Table, bench_redis, header, settings, universe

from monitor.daemon import Daemon
from monitor.errors import FeedShapeError
from monitor.filing import HKT, Filing
from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.feed import merge_filings
from monitor.hkexnews.stockids import StockDirectory
from monitor.store import open_store


class _QuietNullTitleSearch(logging.Filter):
    """Drop the client's error line for the baseline's expected "null" title-search answers."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not ("titleSearchServlet" in record.getMessage() and "unexpected shape" in record.getMessage())


class TitleSearchPoller:
    """The baseline: what a monitor without the latest feed would do every poll."""

    def __init__(self, base_settings, codes: Sequence[str], store_url: str, namespace: str) -> None:
        self.client = HKEXnewsClient(base_settings.hkexnews)
        self.store = open_store(store_url, namespace=namespace)
        directory = StockDirectory(self.client)
        self.ids = {c: directory.stock_id(c) for c in codes}  # one stock-list request, cached a day
        self.codes = frozenset(codes)

    def poll(self) -> int:
        today = datetime.now(HKT).date()
        found: list[Filing] = []
        for sid in self.ids.values():
            if sid is None:
                continue
            row_range = 100
            while True:
                try:
                    page = self.client.title_search(sid, today, today, row_range=row_range)
                except FeedShapeError as exc:
                    # The stand-in (like HKEXnews) answers "null" for a stock without rows; the
                    # client refuses that shape (see BENCHMARKS.md). For the baseline it means none.
                    if "'result' is 'null' (recordCnt 0)" in str(exc):
                        break
                    raise
                found.extend(page.filings)
                if not page.has_next_row:
                    break
                row_range += 100
        merged = [f for f in merge_filings(found) if any(c in self.codes for c in f.stock_codes)]
        unseen = self.store.unseen([f.id for f in merged]) if merged else set()
        if merged:
            self.store.mark_seen([f.id for f in merged])
        return len(unseen)

    def close(self) -> None:
        self.client.close()
        self.store.close()


def redis_calls(client: redis.Redis) -> dict[str, int]:
    """Commands processed by the server so far, by name (INFO commandstats)."""
    stats = client.info("commandstats")
    return {k.removeprefix("cmdstat_"): int(v["calls"]) for k, v in stats.items()}


def unchanged(si: StandIns, daemon: Daemon, url: str, codes: list[str], polls: int) -> list[object]:
    """``polls`` more polls with nothing new in the feed: its answer is 304 Not Modified."""
    client = redis.Redis.from_url(url)
    reqs, body, cpu, dirty, commands = [], [], [], [], Counter[str]()
    try:
        for _ in range(polls):
            n0, b0 = si.counters()
            before = redis_calls(client)
            dirty0 = int(client.info("persistence")["rdb_changes_since_last_save"])
            c0 = time.process_time()
            outcome = daemon.one_round()
            cpu.append((time.process_time() - c0) * 1000)
            dirty.append(int(client.info("persistence")["rdb_changes_since_last_save"]) - dirty0)
            after = redis_calls(client)
            n1, b1 = si.counters()
            assert outcome is not None and outcome.ok and outcome.new_filings == 0, outcome
            reqs.append(n1 - n0)
            body.append(b1 - b0)
            commands.update({k: v - before.get(k, 0) for k, v in after.items()
                             if k != "info" and v - before.get(k, 0) > 0})
    finally:
        client.close()
    named = ", ".join(f"{k} {v / polls:g}" for k, v in sorted(commands.items())) or "none"
    return [len(codes), statistics.mean(reqs), statistics.mean(body), statistics.median(cpu),
            sum(commands.values()) / polls, statistics.mean(dirty), named]


def measure(si: StandIns, fac: FilingFactory, url: str, codes: list[str], all_codes: list[str],
            cycles: int, rng: random.Random) -> tuple[list[object], list[object]]:
    cfg = settings(si, url, codes, pacing_s=0.0, slack=False)
    cfg = cfg.model_copy(update={"store": cfg.store.model_copy(update={"namespace": f"ours{len(codes)}"})})
    daemon = Daemon(cfg)
    baseline = TitleSearchPoller(cfg, codes, url, f"base{len(codes)}")
    ours: dict[str, list[float]] = {"req": [], "bytes": [], "cpu": [], "new": []}
    base: dict[str, list[float]] = {"req": [], "bytes": [], "cpu": [], "new": []}
    try:
        first = daemon.one_round()  # catch-up read of the whole feed; not steady state
        assert first is not None and first.ok, first
        baseline.poll()
        for cycle in range(cycles):
            arriving = [fac.other(rng.choice(all_codes)) for _ in range(4)]
            arriving.append(fac.other(codes[cycle % len(codes)]))
            si.publish(arriving)
            for name, into in (("ours", ours), ("baseline", base)):
                n0, b0 = si.counters()
                c0 = time.process_time()
                if name == "ours":
                    outcome = daemon.one_round()
                    new = outcome.new_filings if outcome is not None else 0
                else:
                    new = baseline.poll()
                cpu = time.process_time() - c0
                n1, b1 = si.counters()
                into["req"].append(n1 - n0)
                into["bytes"].append(b1 - b0)
                into["cpu"].append(cpu * 1000)
                into["new"].append(new)
        still = unchanged(si, daemon, url, codes, max(3, cycles))
    finally:
        daemon.components.close()
        baseline.close()
    m = {k: statistics.mean(v) for k, v in ours.items()}
    b = {k: statistics.mean(v) for k, v in base.items()}
    if sum(ours["new"]) != sum(base["new"]):
        print(f"WARNING: {len(codes)} codes: ours found {sum(ours['new'])} new filings, "
              f"the baseline {sum(base['new'])}", file=sys.stderr)
    ratio = b["cpu"] / m["cpu"] if m["cpu"] else float("nan")
    return [len(codes), m["req"], b["req"], m["bytes"], b["bytes"], m["cpu"], b["cpu"], ratio,
            f"{sum(ours['new']):.0f}/{sum(base['new']):.0f}", f"{b['req']:.0f} s"], still


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny input (the smoke test)")
    ap.add_argument("--cycles", type=int, help="steady-state cycles per watchlist size")
    args = ap.parse_args(argv)
    quick = args.quick
    n_universe, n_feed = (300, 40) if quick else (2000, 300)
    sizes = (2, 20, 200) if quick else (2, 200, 2000)
    cycles = args.cycles or (2 if quick else 10)
    logging.getLogger("monitor.hkexnews.client").addFilter(_QuietNullTitleSearch())
    header("bench_poll: poll cost per steady-state cycle", quick)
    started = time.perf_counter()
    rng = random.Random(2026)
    rows, still_rows = [], []
    with bench_redis() as url, StandIns(page_size=100) as si:
        codes = universe(n_universe)
        si.add_stocks(codes)
        fac = FilingFactory(seed=6)
        si.publish(fac.feed(codes, n_feed))
        for n in sizes:
            watched = rng.sample(codes, n)
            row, still = measure(si, fac, url, watched, codes, cycles, rng)
            rows.append(row)
            still_rows.append(still)
            print(f"  {n} codes done ({time.perf_counter() - started:.0f}s)", flush=True)
    table = Table(f"Poll cost per cycle: {n_feed} filings over {n_universe} codes, page size 100, "
                  f"5 new filings per cycle, mean of {cycles} cycles",
                  ["codes", "requests ours", "requests baseline", "bytes ours", "bytes baseline",
                   "CPU ms ours", "CPU ms baseline", "CPU ratio (baseline/ours)", "new found ours/baseline",
                   "baseline at 1 req/s"], rows)
    print()
    print(table.render())
    still_table = Table(f"Poll cost on an unchanged feed (HKEXnews answers 304), per poll, "
                        f"mean of {max(3, cycles)} polls after the cycles above; CPU: median",
                        ["codes", "requests", "body bytes", "CPU ms", "Redis commands", "keys changed",
                         "Redis commands by name"], still_rows)
    print()
    print(still_table.render())
    print(f"\nbench_poll finished in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
