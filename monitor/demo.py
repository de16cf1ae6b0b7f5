"""``hkex-monitor demo``: the whole pipeline on an offline machine.

A local HKEXnews stand-in publishes a latest-filings feed with the story of a results evening:
Cloud Factory's (2512) board-meeting notice, which puts its results date in the calendar;
SenseTime's (0020) profit warning, a loss range; then both interim results (real PDFs shipped in
the package) among unrelated filings. The real monitor polls it, reads the four documents,
deduplicates in a local store and prints the Slack messages it would post: the meeting, the
warning, and the results, SenseTime's measured against its warning; then the calendar. A second
run alerts nothing new unless ``--fresh`` is given. A run that was interrupted leaves alerts
pointing at its own stand-in, which is gone: the next run notices and starts over.

``demo --serve`` keeps the stand-in serving and runs the real daemon (``Daemon.run``) against it
until Ctrl-C, with a watchlist file it writes for the occasion (edits are hot-reloaded), /healthz
and /metrics. It starts afresh each time (its own store), so the two alerts show up every time.
"""

from __future__ import annotations

import os
import socket
import sys
import tomllib
from datetime import datetime, timedelta
from importlib.resources import files
from pathlib import Path

from monitor.daemon import Daemon
from monitor.filing import HKT
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling
from monitor.settings import ENV_OVERRIDES, Settings, load_settings, settings_from_mapping

DEMO_HOME = Path("~/.hkex-monitor")
DEMO_STORE = DEMO_HOME / "demo.sqlite3"


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
        StandInFiling(12102441, [("02512", "CLOUD FACTORY")], "DATE OF BOARD MEETING",
                      "Date of Board Meeting", "13150", at(40), folder + f"{stem}01650.pdf",
                      _pdf("bm-en-2512-interim-2025.pdf")),
        StandInFiling(12102445, [("00020", "SENSETIME-W"), ("80020", "SENSETIME-WR")], "PROFIT WARNING",
                      "Profit Warning", "13500", at(30), folder + f"{stem}01671.pdf",
                      _pdf("pw-en-0020-interim-2025.pdf")),
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
        StandInFiling(12102450, [("00005", "HSBC HOLDINGS")],
                      "Monthly Return of Equity Issuer on Movements in Securities", "", "NaN", at(25),
                      folder + f"{stem}01690.pdf", b"%PDF-1.4 unrelated", t1_code="51500",
                      headline="Monthly Returns"),
    ]


def demo_watchlist(base_url: str, store_path: Path, *, http_port: int = 0, poll_s: float = 10) -> str:
    """The demo's configuration, as a watchlist file (``demo --serve`` writes it for hot reload)."""
    return f"""\
# Written by `hkex-monitor demo --serve` at each start. Edit it while the demo runs: the daemon
# re-reads it within a second (try slack.default_channel, or another [[watch]]); a bad edit is
# reported and the last good configuration stays in force.
[[watch]]
code = "2512"
name = "Cloud Factory"
alert_on = ["results", "profit_warning", "board_meeting"]

[[watch]]
code = "0020"
name = "SenseTime"

[hkexnews]
base_url = "{base_url}"   # the local stand-in
min_request_interval_s = 0.05
backoff_s = 0.1

[schedule]
in_window_s = {poll_s:g}
off_window_s = {poll_s:g}

[slack]
default_channel = "#hkex-demo"

[store]
url = "sqlite:///{store_path}"

[daemon]
http_port = {http_port}
heartbeat_s = 5
reload_check_s = 1
"""


def demo_settings(base_url: str, store_path: Path) -> Settings:
    return settings_from_mapping(tomllib.loads(demo_watchlist(base_url, store_path)), env={}, where="<demo>")


def _forget(store_file: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(store_file) + suffix).unlink(missing_ok=True)


def _publish(hkex: HKEXnewsStandIn) -> int:
    filings = demo_filings(datetime.now(HKT))
    for filing in filings:
        hkex.publish(filing)
    return len(filings)


def run_demo(*, fresh: bool = False, store_path: Path = DEMO_STORE) -> int:
    store_file = store_path.expanduser()
    if fresh:
        _forget(store_file)
    out = sys.stdout
    with HKEXnewsStandIn() as hkex:
        published = _publish(hkex)
        settings = demo_settings(hkex.base_url, store_file)
        print(f"HKEXnews stand-in at {hkex.base_url}: {published} filings in the feed; watching 02512 and "
              f"00020; store {store_file}\n", file=out)
        daemon = Daemon(settings, stream=out)
        # Alerts left by an interrupted run point at that run's stand-in, which is gone: start over.
        stale = [a for a in daemon.components.store.pending()
                 if a.filing is not None and not a.filing.url.startswith(hkex.base_url)]
        if stale:
            daemon.components.close()
            _forget(store_file)
            print(f"An earlier demo run was interrupted with {len(stale)} alert(s) unsent, for a stand-in "
                  "that is gone: starting over.\n", file=out)
            daemon = Daemon(settings, stream=out)
        try:
            outcome = daemon.one_round()
            calendar = _calendar_lines(daemon)
        finally:
            daemon.close()
        requests = len(hkex.requests)
    if outcome is None or not outcome.ok:
        print(f"demo round failed: {outcome.reason if outcome else 'see the log above'}", file=out)
        return 1
    if outcome.sent == 0:
        print("Nothing new: every filing was alerted by an earlier demo run "
              "(run `hkex-monitor demo --fresh` to start over, or `hkex-monitor demo --serve`).", file=out)
    if calendar:
        print("The results calendar (`hkex-monitor calendar --all`), from the board-meeting notice:",
              file=out)
        for line in calendar:
            print(f"  {line}", file=out)
    print(f"\n{outcome.new_filings} new filings for the watchlist, {outcome.sent} alerts printed, "
          f"{outcome.pending} pending, {requests} requests to the stand-in.", file=out)
    return 0


def _calendar_lines(daemon: Daemon) -> list[str]:
    from monitor.calendar import Calendar

    codes = {w.code for w in daemon.settings.watch}
    today = datetime.now(HKT).date()
    entries = Calendar(daemon.components.store).listing(codes, today=today, include_past=True)
    return [f"{e.meeting_date}  {e.code} {e.name or ''}: {e.results or 'results'} results for the period to "
            f"{e.period_end}" for e in entries]


def serve_demo(*, port: int = 9108, fresh: bool = True, home: Path = DEMO_HOME) -> int:
    """The stand-in keeps serving; the real daemon runs against it until SIGINT/SIGTERM (exit 0).
    Always starts afresh (``fresh`` is accepted for symmetry with ``run_demo``)."""
    folder = home.expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    store_file, config_file = folder / "demo-serve.sqlite3", folder / "demo-watchlist.toml"
    out = sys.stdout
    usable = _usable_port(port)
    if usable is None:
        print(f"hkex-monitor demo --serve: port {port} is in use (another hkex-monitor?); pass --port N, "
              "or --port 0 for any free one", file=out)
        return 2
    # The demo is self-contained: the environment must not send it to real HKEXnews, Redis or Slack,
    # now or when the daemon re-reads the file.
    ignored = [name for name in ENV_OVERRIDES if os.environ.pop(name, None)]
    _forget(store_file)
    with HKEXnewsStandIn() as hkex:
        published = _publish(hkex)
        config_file.write_text(demo_watchlist(hkex.base_url, store_file, http_port=usable), encoding="utf-8")
        settings = load_settings(config_file)
        health = f"http://127.0.0.1:{usable}"
        print(f"""\
hkex-monitor demo --serve: the real daemon against a local HKEXnews stand-in, until Ctrl-C.
  HKEXnews stand-in: {hkex.base_url} ({published} filings; watching 02512 and 00020)
  config:   {config_file}  (edit it while this runs: it is reloaded within a second)
  store:    {store_file}
  health:   {health}/healthz
  metrics:  {health}/metrics
  alerts:   printed below, as they would be posted to Slack""", file=out)
        if ignored:
            print(f"  (the demo ignores {', '.join(ignored)} from the environment)", file=out)
        print(file=out, flush=True)
        return Daemon(settings, config_path=config_file, stream=out).run()


def _usable_port(port: int) -> int | None:
    """``port`` if it can be bound on 127.0.0.1 now (0: a free one), else None."""
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return None
        return int(s.getsockname()[1])
