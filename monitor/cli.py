"""The ``hkex-monitor`` command. Exit status: 0 ok, 1 the work failed, 2 bad config or usage."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import date
from pathlib import Path

from monitor import __version__
from monitor.errors import ConfigError, DocumentError, MonitorError
from monitor.logs import configure_logging
from monitor.settings import Settings, load_settings

log = logging.getLogger("monitor")

ENV_CONFIG = "HKEX_MONITOR_CONFIG"
DEFAULT_CONFIG_PLACES = (Path("config/watchlist.toml"), Path("~/.config/hkex-monitor/watchlist.toml"))

DESCRIPTION = """\
Watch HKEXnews for filings by the Hong Kong-listed companies on your watchlist, read the key
figures of results announcements (revenue, profit, EPS, dividend and their changes), and post
one Slack alert per filing.

Start here:   hkex-monitor demo          (offline: a local HKEXnews stand-in, console output)
Then:         hkex-monitor check-config --config config/watchlist.example.toml
              hkex-monitor run --config my-watchlist.toml
"""

CONFIG_HELP = (f"watchlist TOML file (default: ${ENV_CONFIG}, else config/watchlist.toml, else "
               "~/.config/hkex-monitor/watchlist.toml, else the embedded defaults: 2512 and 0020, "
               "local store, console output)")


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
    common.add_argument("--log-level", default=default("INFO"), choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return common


def _parser() -> argparse.ArgumentParser:
    common = _common(top=False)
    p = argparse.ArgumentParser(prog="hkex-monitor", description=DESCRIPTION, parents=[_common(top=True)],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"hkex-monitor {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    sub.add_parser("run", parents=[common], help="run the daemon: poll on schedule until SIGTERM/Ctrl-C")
    sub.add_parser("once", parents=[common], help="run one poll-parse-alert cycle, then exit")
    sub.add_parser("check-config", parents=[common], help="validate the watchlist and show what it means")
    sp = sub.add_parser("parse", parents=[common], help="read the key figures of a results announcement PDF")
    sp.add_argument("file", metavar="FILE", help="a results announcement PDF")
    sp.add_argument("--json", action="store_true", help="print exactly one JSON object")
    sd = sub.add_parser("demo", parents=[common],
                        help="offline demo: a local HKEXnews stand-in with the two seed announcements")
    sd.add_argument("--fresh", action="store_true", help="forget what earlier demo runs alerted")
    sb = sub.add_parser("backfill", parents=[common], help="list a stock's filings since a date")
    sb.add_argument("code", metavar="CODE", help="stock code, e.g. 2512 or 0020")
    sb.add_argument("--since", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD")
    sb.add_argument("--alert", action="store_true", help="also enqueue and send alerts for what it finds")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging(json_lines=args.log_json, level=args.log_level,
                      secrets=tuple(v for k in ("SLACK_BOT_TOKEN", "SLACK_WEBHOOK_URL")
                                    if (v := os.environ.get(k))))
    try:
        return _dispatch(args)
    except ConfigError as exc:
        print(f"hkex-monitor: configuration error:\n{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except MonitorError as exc:
        print(f"hkex-monitor: {exc}", file=sys.stderr)
        return 1


def _settings(args: argparse.Namespace) -> tuple[Settings, Path | None]:
    path = resolve_config(args.config)
    return load_settings(path), path


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "parse":
        return _parse(args.file, as_json=args.json)
    if args.command == "demo":
        from monitor.demo import run_demo

        return run_demo(fresh=args.fresh)
    settings, path = _settings(args)
    if args.command == "check-config":
        return _check_config(settings, path)
    if args.command == "backfill":
        return _backfill(settings, args.code, args.since, alert=args.alert)
    from monitor.daemon import Daemon

    daemon = Daemon(settings, config_path=path)
    if args.command == "once":
        try:
            outcome = daemon.poll_once()
        finally:
            daemon.components.close()
        return 0 if outcome is not None and outcome.ok else 1
    return daemon.run()


def _check_config(settings: Settings, path: Path | None) -> int:
    print(f"{path or 'embedded defaults'}: OK")
    print(f"  HKEXnews:  {settings.hkexnews.base_url} (boards: {', '.join(settings.hkexnews.boards)})")
    print(f"  store:     {settings.store.url}")
    print(f"  output:    {settings.slack.mode} (default channel {settings.slack.default_channel})")
    print(f"  schedule:  every {settings.schedule.in_window_s:g}s in publication windows, "
          f"{settings.schedule.off_window_s:g}s outside")
    for w in settings.watch:
        print(f"  watch {w.code} {w.name or '':<20} -> {settings.channel_for(w)} ({w.alert_on})")
    return 0


def _parse(file: str, *, as_json: bool) -> int:
    from parsers.results import parse_results
    from parsers.table import render_table

    try:
        report = parse_results(Path(file))
    except DocumentError as exc:
        print(f"hkex-monitor parse: {file}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"hkex-monitor parse: {file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(report.to_json_dict(), ensure_ascii=False))
    else:
        print(render_table(report))
    return 0


def _backfill(settings: Settings, code: str, since: date, *, alert: bool) -> int:
    from tqdm import tqdm

    from monitor.cycle import routes
    from monitor.daemon import Daemon
    from monitor.settings import normalise_code

    try:
        code = normalise_code(code)
    except ValueError as exc:
        raise ConfigError(f"backfill CODE: {exc}") from None
    daemon = Daemon(settings)
    try:
        bar = tqdm(desc=f"backfill {code}", unit="row", file=sys.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        filings = daemon.components.discovery.backfill(code, since, progress=progress)
        bar.close()
        for f in filings:
            print(f"{f.released_at:%Y-%m-%d %H:%M}  {f.kind.value:<17}  {f.title}  {f.url}")
        print(f"{len(filings)} filings for {code} since {since}", file=sys.stderr)
        if alert:
            for f in filings:
                for channel in routes(settings, f):
                    daemon.components.store.enqueue(f, channel)
            daemon.poll_once()
    finally:
        daemon.components.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
