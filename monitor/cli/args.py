"""The command line's shape: every command, its help, its options, and where the config comes from."""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from monitor import __version__
from monitor.logs import LEVELS

ENV_CONFIG = "HKEX_MONITOR_CONFIG"
DEFAULT_CONFIG_PLACES = (Path("config/watchlist.toml"), Path("~/.config/hkex-monitor/watchlist.toml"))

DESCRIPTION = """\
Watch HKEXnews for filings by the Hong Kong-listed companies on your watchlist, read the key
figures of results announcements (revenue, profit, EPS, dividend and their changes), and post
one Slack alert per filing.

Start here:   hkex-monitor demo          (offline: a local HKEXnews stand-in, console output)
Then:         hkex-monitor check-config --config my-watchlist.toml
              hkex-monitor doctor --config my-watchlist.toml     (checks Redis, HKEXnews, Slack)
              hkex-monitor run --config my-watchlist.toml
"""

CONFIG_HELP = (f"watchlist TOML file (default: ${ENV_CONFIG}, else config/watchlist.toml, else "
               "~/.config/hkex-monitor/watchlist.toml, else the embedded defaults: 2512 and 0020, "
               "local store, console output)")

# name -> (one-line help for the command list, the description its --help page opens with)
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("run the daemon: poll on schedule until SIGTERM/Ctrl-C",
            "Run the daemon: poll HKEXnews on a schedule that follows its publication windows (Hong Kong "
            "time), read results announcements, deliver each alert once, until SIGTERM or Ctrl-C (the "
            "send in flight is finished, no new one is started; what is not sent stays pending for the next "
            "start). The config file is re-read when it changes or on SIGHUP. /healthz and /metrics are "
            "served on daemon.http_port (--no-http: not at all)."),
    "once": ("run one poll-parse-alert cycle, then exit",
             "Run one poll-parse-alert cycle, then exit. Exit status 1 when the poll failed or any alert "
             "could not be delivered; the reason is printed, and the alerts stay pending for the next run."),
    "check-config": ("validate the watchlist (offline) and show what it means",
                     "Validate the watchlist file and the environment overrides, offline, and show what they "
                     "mean: where HKEXnews, the store and the output are, and where each stock's alerts go. "
                     "Exit status 2 when invalid. `hkex-monitor doctor` checks the live set-up."),
    "doctor": ("check the live set-up: store, HKEXnews, Slack",
               "Check the live set-up, one line per check with what to do when it fails: the config, the "
               "store (Redis answers, or the SQLite file is writable), HKEXnews (one feed request, and how "
               "old the feed is), Slack (the token, its scopes, and that every routed channel exists and "
               "has the bot as a member). Posts nothing, writes nothing. Exit status 1 when a check fails, "
               "2 when the config is invalid."),
    "parse": ("read a results announcement, board-meeting notice, delay notice or profit warning PDF",
              "Read a document (PDF, English or Chinese) and say what kind it is: a results announcement "
              "(its key figures), a board-meeting or delay notice (the meeting date, the results and "
              "period), a profit warning (the expected range, the prior figure), or a kind recognised and "
              "not read (a prospectus, a circular, an AGM notice). A table, or one JSON object with "
              "--json (README, \"parse --json\"). A figure that fails its checks is reported missing, "
              "with the reason. Exit status 1 when the document was not read."),
    "backfill": ("list a stock's filings since a date",
                 "List a stock's filings from a date to today (HKEXnews title search), oldest first, with a "
                 "progress bar on stderr. With --alert, also alert them to the stock's channel: only these "
                 "filings, and only the kinds its alert_on asks for (already-alerted ones are not "
                 "repeated)."),
    "demo": ("offline demo: a local HKEXnews stand-in with the two seed announcements",
             "Offline demo: a local HKEXnews stand-in publishes two results announcements (2512 Cloud "
             "Factory, 0020 SenseTime) among unrelated filings; the real monitor polls it, parses both PDFs "
             "and prints the Slack summaries it would post. With --serve, the stand-in keeps serving and the "
             "real daemon runs against it until Ctrl-C, with /healthz, /metrics and hot reload."),
    "alerts": ("list, retry, drop or re-route pending alerts",
               "Pending alerts in the store: what waits, why, and what to do about it. `list` shows each "
               "with its channel, attempts, last error and age, and the documents still to be read; `retry` "
               "clears the backoff; `drop ID` drops one for good; `reroute` moves alerts stranded on a "
               "channel the config no longer sends them to (the daemon does this itself on reload)."),
    "reconcile": ("compare a day's title search with what the feed found",
                  "Fetch each watched stock's filings of the day (Hong Kong time) by title search, compare "
                  "them with what the feed path found, and alert, marked as found late, anything the feed "
                  "missed. The daemon does this every day at daemon.reconcile_at. Exit status 1 when a stock "
                  "could not be checked."),
    "test-alert": ("post one test message through the configured output",
                   "Post one clearly marked test message through the configured output (the bot token's "
                   "Slack channel, the webhook, or the console) and say where it went; exit status 1 with "
                   "the reason when it could not be posted. --channel picks the channel (bot token only)."),
    "show": ("what the store keeps of a stock: results, calendar, warnings",
             "What the store keeps of one stock (400 days): the figures of each results announcement read, "
             "period by period, with its filing link; its results calendar (board meetings, delays); and "
             "its profit warnings with their ranges. --json prints one object."),
    "calendar": ("the watched stocks' results dates",
                 "Results board meetings of the watched stocks, read from their board-meeting and delay "
                 "notices as they are filed: upcoming first (--all adds past ones), or a JSON list (--json) "
                 "of objects with code, date, results, period_end and filing_id."),
}


def resolve_config(arg: str | None) -> Path | None:
    """The config file to use, or None for the embedded defaults."""
    if arg:
        return Path(arg)
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG])
    for place in DEFAULT_CONFIG_PLACES:
        if place.expanduser().is_file():
            return place.expanduser()
    return None


def _common(*, top: bool) -> argparse.ArgumentParser:
    """Options accepted before and after the command; only the top level sets defaults, so
    ``hkex-monitor --config X once`` and ``hkex-monitor once --config X`` mean the same."""
    common = argparse.ArgumentParser(add_help=False)
    default = (lambda v: v) if top else (lambda v: argparse.SUPPRESS)
    common.add_argument("--config", metavar="PATH", help=CONFIG_HELP, default=default(None))
    common.add_argument("--log-json", action="store_true", default=default(False),
                        help="log JSON lines instead of readable lines")
    common.add_argument("--log-level", default=default("INFO"), type=str.upper, choices=LEVELS,
                        metavar="LEVEL", help="debug, info, warning or error (any case; default info)")
    return common


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a date YYYY-MM-DD, got {text!r}") from None


def _days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"a number of days, 0 or more, got {text!r}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"a port number 0-65535, got {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    common = _common(top=False)
    p = argparse.ArgumentParser(prog="hkex-monitor", description=DESCRIPTION, parents=[_common(top=True)],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"hkex-monitor {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str) -> argparse.ArgumentParser:
        help_line, description = COMMANDS[name]
        return sub.add_parser(name, parents=[common], help=help_line, description=description)

    run = command("run")
    run.add_argument("--no-http", action="store_true", help="run without the /healthz and /metrics "
                     "endpoint (e.g. a second instance on one host)")
    command("once")
    command("check-config")
    command("doctor")
    sp = command("parse")
    sp.add_argument("file", metavar="FILE", help="a PDF from HKEXnews")
    sp.add_argument("--json", action="store_true", help="print exactly one JSON object")
    sd = command("demo")
    sd.add_argument("--fresh", action="store_true", help="forget what earlier demo runs alerted")
    sd.add_argument("--serve", action="store_true",
                    help="keep the stand-in serving and run the real daemon against it until Ctrl-C")
    sd.add_argument("--port", type=_port, default=9108, metavar="N",
                    help="with --serve: the /healthz and /metrics port (default 9108; 0 picks a free one)")
    sb = command("backfill")
    sb.add_argument("code", metavar="CODE", help="stock code, e.g. 2512 or 0020")
    sb.add_argument("--since", required=True, type=_iso_date, metavar="YYYY-MM-DD")
    sb.add_argument("--until", type=_iso_date, metavar="YYYY-MM-DD", help="the last day (default: today)")
    sb.add_argument("--json", action="store_true", help="print a JSON list of the filings")
    sb.add_argument("--alert", action="store_true",
                    help="also alert these filings (only these) to the stock's channel")
    acts = command("alerts").add_subparsers(dest="action", metavar="ACTION", required=True)
    al = acts.add_parser("list", parents=[common], help="pending alerts: attempts, last error, channel, age",
                         description="Every pending alert, oldest first, who holds it and whether that "
                                     "process is alive, and the documents still to be read.")
    al.add_argument("--json", action="store_true", help="print one JSON object")
    ar = acts.add_parser("retry", parents=[common], help="retry now, without waiting for the backoff",
                         description="Clear the backoff of pending alerts (all, one id, or one channel).")
    ar.add_argument("id", nargs="?", help="an alert id (a filing id such as 2025082700123)")
    ar.add_argument("--channel", help="only alerts to this channel")
    ad = acts.add_parser("drop", parents=[common], help="drop one pending alert for good",
                         description="Drop a pending alert: it is never sent, not even by a later poll.")
    ad.add_argument("id", help="the alert id")
    ad.add_argument("--channel", help="the channel (needed when the alert is pending to several)")
    acts.add_parser("reroute", parents=[common], help="move alerts stranded on a channel the config left",
                    description="Move pending alerts from a channel the config no longer sends them to onto "
                                "the one it does (the daemon does this itself when it reloads the config). "
                                "Alerts being sent right now are left for the next time.")
    st = command("test-alert")
    st.add_argument("--channel", metavar="CHANNEL",
                    help="#name or channel id (default: slack.default_channel)")
    sh = command("show")
    sh.add_argument("code", metavar="CODE", help="stock code, e.g. 2512 or 0020")
    sh.add_argument("--json", action="store_true", help="print one JSON object")
    sc = command("reconcile")
    sc.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD",
                    help="the day (default: today in Hong Kong)")
    sk = command("calendar")
    sk.add_argument("--days", type=_days, metavar="N", help="only the next N days (N >= 0)")
    sk.add_argument("--all", action="store_true", help="include past meetings")
    sk.add_argument("--json", action="store_true", help="print a JSON list")
    return p
