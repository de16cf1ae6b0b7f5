"""The ``hkex-monitor`` command. Exit status: 0 ok, 1 the work failed, 2 bad config or usage,
130 interrupted (Ctrl-C), 141 the output pipe was closed (``| head``). No traceback reaches the user:
every failure is one message saying what was wrong and what was done about it."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

from monitor import __version__
from monitor.errors import ConfigError, MonitorError
from monitor.logs import LEVELS, configure_logging
from monitor.secrets import redact, redact_url
from monitor.settings import ENV_OVERRIDES, ENV_SLACK_TOKEN, ENV_SLACK_WEBHOOK, Settings, load_settings

log = logging.getLogger("monitor")

ENV_CONFIG = "HKEX_MONITOR_CONFIG"
DEFAULT_CONFIG_PLACES = (Path("config/watchlist.toml"), Path("~/.config/hkex-monitor/watchlist.toml"))
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for a program ended by SIGPIPE

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


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"a port number 0-65535, got {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
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
    sb.add_argument("--alert", action="store_true",
                    help="also alert these filings (only these) to the stock's channel")
    acts = command("alerts").add_subparsers(dest="action", metavar="ACTION", required=True)
    acts.add_parser("list", parents=[common], help="pending alerts: attempts, last error, channel, age",
                    description="Every pending alert, oldest first, and the documents still to be read.")
    ar = acts.add_parser("retry", parents=[common], help="retry now, without waiting for the backoff",
                         description="Clear the backoff of pending alerts (all, one id, or one channel).")
    ar.add_argument("id", nargs="?", help="an alert id (a filing id such as 2025082700123)")
    ar.add_argument("--channel", help="only alerts to this channel")
    ad = acts.add_parser("drop", parents=[common], help="drop one pending alert for good",
                         description="Drop a pending alert: it is never sent, not even by a later poll.")
    ad.add_argument("id", help="the alert id")
    ad.add_argument("--channel", help="the channel (needed when the alert is pending to several)")
    acts.add_parser("reroute", parents=[common], help="move alerts stranded on a channel the config left",
                    description=COMMANDS["alerts"][1])
    sc = command("reconcile")
    sc.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD",
                    help="the day (default: today in Hong Kong)")
    sk = command("calendar")
    sk.add_argument("--days", type=int, metavar="N", help="only the next N days")
    sk.add_argument("--all", action="store_true", help="include past meetings")
    sk.add_argument("--json", action="store_true", help="print a JSON list")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        configure_logging(json_lines=args.log_json, level=args.log_level,
                          secrets=tuple(v for k in (ENV_SLACK_TOKEN, ENV_SLACK_WEBHOOK)
                                        if (v := os.environ.get(k, "").strip())))
        status = _run(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return status
    except KeyboardInterrupt:
        print("\nhkex-monitor: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _run(args: argparse.Namespace) -> int:
    try:
        return _dispatch(args)
    except ConfigError as exc:
        print(f"hkex-monitor: configuration error:\n{redact(str(exc))}", file=sys.stderr)
        return 2
    except MonitorError as exc:
        print(f"hkex-monitor: {redact(str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        raise
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"hkex-monitor:{where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: one line for the user, the traceback with --log-level debug
        log.debug("unexpected error", exc_info=True)
        print(f"hkex-monitor: unexpected error ({type(exc).__name__}: {redact(str(exc))}); "
              "run with --log-level debug for the details, and please report it", file=sys.stderr)
        return 1


def _settings(args: argparse.Namespace) -> tuple[Settings, Path | None]:
    path = resolve_config(args.config)
    return load_settings(path), path


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "parse":
        return _parse(args.file, as_json=args.json)
    if args.command == "demo":
        from monitor.demo import run_demo, serve_demo

        if args.serve:
            return serve_demo(port=args.port, fresh=args.fresh)
        return run_demo(fresh=args.fresh)
    if args.command == "doctor":
        from monitor.doctor import run_doctor

        return run_doctor(resolve_config(args.config), emit=lambda check: print(check.line(), flush=True))
    settings, path = _settings(args)
    if args.command == "check-config":
        return _check_config(settings, path)
    if args.command == "backfill":
        return _backfill(settings, args.code, args.since, alert=args.alert)
    if args.command == "alerts":
        return _alerts(settings, args)
    if args.command == "calendar":
        return _calendar(settings, days=args.days, include_past=args.all, as_json=args.json)
    from monitor.daemon import Daemon

    if args.command == "run" and args.no_http:
        settings = settings.model_copy(update={"daemon": settings.daemon.model_copy(update={"http_port": 0})})
    daemon = Daemon(settings, config_path=path)
    if args.command == "reconcile":
        try:
            return _reconcile(daemon, args.date)
        finally:
            daemon.components.close()
    if args.command == "once":
        return _once(daemon)
    return daemon.run()


def _once(daemon: Any) -> int:
    try:
        outcome = daemon.poll_once()
        undelivered = _undelivered(daemon.components.store) if outcome is not None and outcome.failed else []
    finally:
        daemon.components.close()
    return _report("once", outcome, undelivered)


def _undelivered(store: Any, only: set[str] | None = None) -> list[str]:
    """Lines naming what could not be delivered and why, grouped by channel and error (``only``:
    these alert ids)."""
    try:
        waiting = "not tried: sends stopped after an error above, or the document is not read yet"
        counts = Counter((a.channel, a.last_error or waiting) for a in store.pending()
                         if only is None or a.id in only)
    except MonitorError as exc:
        return [f"(the store could not list them: {exc})"]
    return [f"{n} alert(s) for {channel}: {error}" for (channel, error), n in counts.most_common()]


def _report(command: str, outcome: Any, undelivered: list[str]) -> int:
    """Exit status of a cycle run from the command line: 1 if the poll failed or any alert failed."""
    if outcome is None:
        print(f"hkex-monitor {command}: the cycle failed; see the log above", file=sys.stderr)
        return 1
    status = 0
    if not outcome.ok:
        print(f"hkex-monitor {command}: the cycle did not complete: {redact(str(outcome.reason))}",
              file=sys.stderr)
        status = 1
    if outcome.failed:
        print(f"hkex-monitor {command}: alerts could not be delivered ({outcome.failed} failed); "
              f"{outcome.pending} stay pending and are retried by the next run (`hkex-monitor doctor` "
              "checks the Slack set-up):", file=sys.stderr)
        for line in undelivered:
            print(f"  {redact(line)}", file=sys.stderr)
        status = 1
    return status


def _check_config(settings: Settings, path: Path | None) -> int:
    env = [name for name in ENV_OVERRIDES if os.environ.get(name, "").strip()]
    print(f"{path or 'embedded defaults'}: OK")
    if env:
        print(f"  environment overrides: {', '.join(env)}")
    boards = ", ".join(settings.hkexnews.boards)
    print(f"  HKEXnews:  {redact_url(settings.hkexnews.base_url)} (boards: {boards})")
    print(f"  store:     {redact_url(settings.store.url)}")
    print(redact(f"  output:    {settings.slack.mode} (default channel {settings.slack.default_channel})"))
    inside = (f"every {settings.schedule.in_window_s:g}s" if settings.schedule.in_window_s else
              "just after each regeneration of the feed")
    print(f"  schedule:  {inside} in publication windows, "
          f"{settings.schedule.off_window_s:g}s outside")
    for w in settings.watch:  # names and channels are free text: a token pasted there is not shown either
        print(redact(f"  watch {w.code} {w.name or '':<20} -> {settings.channel_for(w)} "
                     f"({_alert_on(w.alert_on)})"))
    print("This checked the file and environment only (offline). `hkex-monitor doctor` checks the live "
          "set-up: the store, HKEXnews and Slack.")
    return 0


def _alert_on(value: str | tuple[str, ...]) -> str:
    return value if isinstance(value, str) else ", ".join(value)


def _parse(file: str, *, as_json: bool) -> int:
    """Read any document the product understands; exit 0 when it was read, 1 when it was not (a
    kind that is recognised and not read, or a file that cannot be read), with one JSON object
    either way under --json."""
    from parsers.errors import ParseError
    from parsers.reading import read_document
    from parsers.report import ResultsReport
    from parsers.table import render_notice, render_table

    try:
        reading = read_document(Path(file))
    except ParseError as exc:
        return _parse_failed(file, str(exc), as_json=as_json)
    if reading.record is None:
        if as_json:
            print(json.dumps({**reading.to_json_dict(), "error": f"not read: {reading.reason}"},
                             ensure_ascii=False))
        else:
            print(f"hkex-monitor parse: {file}: {reading.kind.value}, not read: {reading.reason}",
                  file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(reading.to_json_dict(), ensure_ascii=False))
    elif isinstance(reading.record, ResultsReport):
        print(render_table(reading.record))
    else:
        print(render_notice(reading.record))
    return 0


def _parse_failed(file: str, error: str, *, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"file": file, "error": error}, ensure_ascii=False))
    else:
        print(f"hkex-monitor parse: {file}: {error}", file=sys.stderr)
    return 1


def _backfill(settings: Settings, code: str, since: date, *, alert: bool) -> int:
    from tqdm import tqdm

    from monitor.daemon import Daemon
    from monitor.filing import HKT
    from monitor.settings import normalise_code

    try:
        code = normalise_code(code)
    except ValueError as exc:
        raise ConfigError(f"backfill CODE: {exc}") from None
    today = datetime.now(HKT).date()
    if since > today:
        print(f"hkex-monitor backfill: --since {since} is in the future (today is {today} in Hong Kong); "
              "nothing to look for", file=sys.stderr)
        return 2
    watch = settings.watch_for(code)
    if alert and watch is None:
        print(f"hkex-monitor backfill --alert: {code} is not on the watchlist, so its filings have no "
              "channel; add a [[watch]] entry for it first", file=sys.stderr)
        return 2
    daemon = Daemon(settings)
    try:
        with tqdm(desc=f"backfill {code}", unit="row", file=sys.stderr) as bar:
            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            filings = daemon.components.discovery.backfill(code, since, progress=progress)
        for f in filings:
            print(f"{f.released_at:%Y-%m-%d %H:%M}  {f.kind.value:<17}  {f.title}  {f.url}")
        print(f"{len(filings)} filings for {code} since {since}", file=sys.stderr)
        if not alert:
            return 0
        outcome, undelivered = _alert_only(daemon, filings)
    finally:
        daemon.components.close()
    print(f"backfill --alert: {outcome.enqueued} new alert(s) for the kinds {code} asks for "
          f"({_alert_on(watch.alert_on) if watch else ''}), {outcome.sent} sent", file=sys.stderr)
    return _report("backfill", outcome, undelivered)


def _alert_only(daemon: Any, filings: list[Any]) -> tuple[Any, list[str]]:
    """One round over exactly these filings: enqueue (per the watch's alert_on), read their
    documents, deliver. It neither polls the feed nor sends any other pending alert."""
    outcome = daemon.components.cycle.alert_now(filings)
    ids = {f.id for f in filings}
    return outcome, (_undelivered(daemon.components.store, ids) if outcome.failed else [])


def _alerts(settings: Settings, args: argparse.Namespace) -> int:
    from monitor.admin import describe, reroute_stranded
    from monitor.store import open_store

    store = open_store(settings.store.url, namespace=settings.store.namespace,
                       retention_days=settings.store.retention_days)
    try:
        if args.action == "list":
            rows = [describe(a) for a in store.pending(limit=100_000)]
            for r in rows:
                print(f"{r.id:<24} {r.channel:<20} {r.state:<24} attempts {r.attempts:<3} age "
                      f"{_age(r.age_s):>6}  {r.what}")
                if r.last_error:
                    print(f"{'':<24} last error: {r.last_error}")
            backlog = store.document_backlog()
            readers = "".join(f", {n} by {c}" for c, n in sorted(backlog.by_consumer.items()))
            print(f"{len(rows)} pending alert(s); documents: {backlog.waiting} waiting, "
                  f"{backlog.in_progress} being read{readers}", file=sys.stderr)
            return 0
        if args.action == "retry":
            n = store.retry_now(args.id, args.channel)
            print(f"{n} pending alert(s) will be tried at the next delivery round")
            return 0 if n or args.id is None else 1
        if args.action == "drop":
            channels = [a.channel for a in store.pending(limit=100_000)
                        if a.id == args.id and args.channel in (None, a.channel)]
            if len(channels) != 1:
                what = (f"pending to {', '.join(channels)}: add --channel" if channels else
                        "no such pending alert (see `hkex-monitor alerts list`)")
                print(f"hkex-monitor alerts drop: {args.id}: {what}", file=sys.stderr)
                return 1
            if not store.drop(args.id, channels[0], "dropped by an operator (hkex-monitor alerts drop)"):
                print(f"hkex-monitor alerts drop: {args.id} is being sent right now; try again",
                      file=sys.stderr)
                return 1
            print(f"dropped {args.id} ({channels[0]})")
            return 0
        moved = reroute_stranded(store, settings)
        for line in moved:
            print(line)
        print(f"{len(moved)} alert(s) re-routed", file=sys.stderr)
        return 0
    finally:
        store.close()


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"


def _calendar(settings: Settings, *, days: int | None, include_past: bool, as_json: bool) -> int:
    from monitor.calendar import Calendar
    from monitor.filing import HKT
    from monitor.store import open_store

    store = open_store(settings.store.url, namespace=settings.store.namespace,
                       retention_days=settings.store.retention_days)
    try:
        entries = Calendar(store).listing({w.code for w in settings.watch}, today=datetime.now(HKT).date(),
                                          days=days, include_past=include_past)
    finally:
        store.close()
    if as_json:
        print(json.dumps([{**e.to_json_dict(), "date": e.meeting_date.isoformat()} for e in entries],
                         ensure_ascii=False))
        return 0
    for e in entries:
        moved = f" (moved from {e.previous_date})" if e.previous_date and not e.new_date_unknown else ""
        if e.new_date_unknown:
            moved = " (delayed: no new date given)"
        dividend = {True: "; a dividend will be considered", False: "; no dividend", None: ""}[e.dividend]
        period = f" for the period to {e.period_end}" if e.period_end else ""
        what = f"{e.results or 'results'}{period}{dividend}{moved}"
        print(f"{e.meeting_date}  {e.code} {e.name or '':<16} {what}")
    if not entries:
        print("no results meetings known for the watched stocks (the calendar is read from their "
              "board-meeting notices as they are filed)", file=sys.stderr)
    return 0


def _reconcile(daemon: Any, day: date | None) -> int:
    from monitor.filing import HKT

    day = day or datetime.now(HKT).date()
    result = daemon.reconcile(day)
    for check in result.compared:
        missed = (f", {len(check.missed)} missed by the feed: {', '.join(check.missed)}"
                  if check.missed else "")
        print(f"{check.code}: {len(check.listed)} filing(s) on {day} by title search{missed}")
    for code, why in result.unchecked:
        print(f"{code}: not checked: {why}")
    for filing in result.too_recent:
        print(f"{'/'.join(filing.stock_codes)}: {filing.id} is too recent to judge "
              "(the feed may still bring it)")
    if result.missed:
        outcome = daemon.components.cycle.run()
        print(f"{len(result.missed)} filing(s) the feed missed were alerted, marked as found late "
              f"({outcome.sent} alert(s) sent)")
    else:
        print(f"nothing missed on {day}: {len(result.compared)} stock(s) compared")
    return 1 if result.unchecked else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
