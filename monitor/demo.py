"""``hkex-monitor demo``: the whole pipeline on an offline machine.

A local HKEXnews stand-in publishes a latest-filings feed with the two seed announcements
(2512 Cloud Factory and 0020 SenseTime interim results, real PDFs shipped in the package) among
unrelated filings. The real monitor polls it, downloads and parses both PDFs, deduplicates in a
local store and prints the two Slack summaries it would post. A second run alerts nothing new
unless ``--fresh`` is given.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from importlib.resources import files
from pathlib import Path

from monitor.daemon import Daemon
from monitor.filing import HKT
from monitor.settings import Settings, Watch
from monitor.standin import HKEXnewsStandIn, StandInFiling

DEMO_STORE = Path("~/.hkex-monitor/demo.sqlite3")


def _pdf(name: str) -> bytes:
    return files("monitor").joinpath("demo_data", name).read_bytes()


def demo_filings(now: datetime) -> list[StandInFiling]:
    """The demo feed: two watched results announcements among filings nobody watches."""
    day = now.astimezone(HKT)
    folder = f"/listedco/listconews/sehk/{day:%Y}/{day:%m%d}/"
    stem = f"{day:%Y%m%d}"

    def at(minutes_ago: int) -> datetime:
        return day - timedelta(minutes=minutes_ago)

    return [
        StandInFiling(12102478, [("01906", "BONNY HLDG")],
                      "(1) Very Substantial Disposal and Connected Transaction - Disposal of a Subsidiary",
                      "Very Substantial Disposal / Connected Transaction", "11200,11300", at(3),
                      folder + f"{stem}01769.pdf", b"%PDF-1.4 unrelated"),
        StandInFiling(12102470, [("00020", "SENSETIME-W"), ("80020", "SENSETIME-WR")],
                      "INTERIM RESULTS ANNOUNCEMENT FOR THE SIX MONTHS ENDED JUNE 30, 2025",
                      "Interim Results", "13400", at(9), folder + f"{stem}01754.pdf",
                      _pdf("0020-sensetime-interim-2025.pdf")),
        StandInFiling(12102466, [("00700", "TENCENT"), ("80700", "TENCENT-R")],
                      "NEXT DAY DISCLOSURE RETURN", "Next Day Disclosure Returns", "NaN", at(12),
                      folder + f"{stem}01749.pdf", b"%PDF-1.4 unrelated", t1_code="50000"),
        StandInFiling(12102461, [("02512", "CLOUD FACTORY")],
                      "ANNOUNCEMENT OF INTERIM RESULTS FOR THE SIX MONTHS ENDED 30 JUNE 2025",
                      "Interim Results", "13400", at(15), folder + f"{stem}01731.pdf",
                      _pdf("2512-cloud-factory-interim-2025.pdf")),
        StandInFiling(12102455, [("00005", "HSBC HOLDINGS")],
                      "DATE OF BOARD MEETING", "Date of Board Meeting", "13150", at(20),
                      folder + f"{stem}01702.pdf", b"%PDF-1.4 unrelated"),
        StandInFiling(9000123, [("00020", "SENSETIME-W")], "TEST POSTING - PLEASE IGNORE",
                      "Interim Results", "13400", at(25), folder + f"{stem}09999.pdf", b"%PDF-1.4 test",
                      t1_code="51500"),
    ]


def demo_settings(base_url: str, store_path: Path) -> Settings:
    return Settings.model_validate({
        "watch": [Watch(code="2512", name="Cloud Factory"), Watch(code="0020", name="SenseTime")],
        "hkexnews": {"base_url": base_url, "min_request_interval_s": 0.05, "backoff_s": 0.1},
        "store": {"url": f"sqlite:///{store_path}"},
        "slack": {"default_channel": "#hkex-demo"},
        "daemon": {"http_port": 0},
        "source_path": "<demo>",
    })


def run_demo(*, fresh: bool = False, store_path: Path = DEMO_STORE) -> int:
    store_file = store_path.expanduser()
    if fresh:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(store_file) + suffix).unlink(missing_ok=True)
    out = sys.stdout
    with HKEXnewsStandIn() as hkex:
        for filing in demo_filings(datetime.now(HKT)):
            hkex.publish(filing)
        settings = demo_settings(hkex.base_url, store_file)
        print(f"HKEXnews stand-in at {hkex.base_url}: {len(demo_filings(datetime.now(HKT)))} filings in the "
              f"feed; watching 02512 and 00020; store {store_file}\n", file=out)
        daemon = Daemon(settings, stream=out)
        try:
            outcome = daemon.poll_once()
        finally:
            daemon.components.close()
        requests = len(hkex.requests)
    if outcome is None or not outcome.ok:
        print(f"demo cycle failed: {outcome.reason if outcome else 'see the log above'}", file=out)
        return 1
    if outcome.sent == 0:
        print("Nothing new: both announcements were alerted by an earlier demo run "
              "(run `hkex-monitor demo --fresh` to start over).", file=out)
    print(f"\n{outcome.new_filings} new filings for the watchlist, {outcome.sent} alerts printed, "
          f"{outcome.pending} pending, {requests} requests to the stand-in.", file=out)
    return 0
