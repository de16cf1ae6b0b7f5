"""The ``hkex-monitor`` command. Exit status: 0 ok, 1 the work failed, 2 bad config or usage,
130 interrupted (Ctrl-C), 141 the output pipe was closed (``| head``). No traceback reaches the user:
every failure is one message saying what was wrong and what was done about it.

One module per group of commands: ``args`` (the parser), ``documents`` (parse), ``rounds`` (once,
backfill, reconcile), ``alerts``, ``calendar``, ``config`` (check-config)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from monitor.cli.args import build_parser, resolve_config
from monitor.errors import ConfigError, MonitorError
from monitor.logs import configure_logging
from monitor.secrets import redact
from monitor.settings import ENV_SLACK_TOKEN, ENV_SLACK_WEBHOOK, Settings, load_settings

log = logging.getLogger("monitor")

EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for a program ended by SIGPIPE


def main(argv: list[str] | None = None) -> int:
    json_errors = False
    try:
        args = build_parser().parse_args(argv)
        json_errors = args.log_json
        configure_logging(json_lines=args.log_json, level=args.log_level,
                          secrets=tuple(v for k in (ENV_SLACK_TOKEN, ENV_SLACK_WEBHOOK)
                                        if (v := os.environ.get(k, "").strip())))
        status = _run(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return status
    except KeyboardInterrupt:
        _say("interrupted: what was not delivered stays pending for the next run", json_lines=json_errors)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _say(message: str, *, json_lines: bool, level: str = "ERROR") -> None:
    """One message for the user on stderr: a line of text, or with --log-json a JSON line like the
    log's (so a log collector reading JSON sees it too)."""
    message = redact(message)
    if json_lines:
        print(json.dumps({"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "level": level,
                          "logger": "hkex-monitor", "message": message}, ensure_ascii=False), file=sys.stderr)
    else:
        print(f"hkex-monitor: {message}", file=sys.stderr)


def _run(args: argparse.Namespace) -> int:
    def say(message: str) -> None:
        _say(message, json_lines=args.log_json)

    try:
        return _dispatch(args)
    except ConfigError as exc:
        say(f"configuration error:\n{exc}")
        return 2
    except MonitorError as exc:
        say(str(exc))
        return 1
    except BrokenPipeError:
        raise
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        say(f"{where}{exc.strerror or exc}")
        return 1
    except Exception as exc:  # a bug: one line for the user, the traceback with --log-level debug
        log.debug("unexpected error", exc_info=True)
        say(f"unexpected error ({type(exc).__name__}: {exc}); run with --log-level debug for the details, "
            "and please report it")
        return 1


def _settings(args: argparse.Namespace) -> tuple[Settings, Path | None]:
    path = resolve_config(args.config)
    return load_settings(path), path


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "parse":
        from monitor.cli.documents import parse

        return parse(args.file, as_json=args.json)
    if args.command == "demo":
        from monitor.demo import run_demo, serve_demo

        if args.serve:
            return serve_demo(port=args.port, fresh=args.fresh)
        return run_demo(fresh=args.fresh)
    if args.command == "doctor":
        from monitor.ops.doctor import run_doctor

        return run_doctor(resolve_config(args.config), emit=lambda check: print(check.line(), flush=True))
    settings, path = _settings(args)
    if args.command == "check-config":
        from monitor.cli.config import check_config

        return check_config(settings, path)
    if args.command == "alerts":
        from monitor.cli.alerts import alerts

        return alerts(settings, args)
    if args.command == "show":
        from monitor.cli.show import show

        return show(settings, args.code, as_json=args.json)
    if args.command == "test-alert":
        from monitor.cli.testalert import test_alert

        return test_alert(settings, args.channel)
    if args.command == "calendar":
        from monitor.cli.calendar import calendar

        return calendar(settings, days=args.days, include_past=args.all, as_json=args.json)
    from monitor.cli import rounds

    if args.command == "backfill":
        return rounds.backfill(settings, args.code, args.since, until=args.until, alert=args.alert,
                               as_json=args.json)
    if args.command == "reconcile":
        return rounds.reconcile(settings, path, args.date)
    if args.command == "once":
        return rounds.once(settings, path)
    return rounds.run(settings, path, no_http=args.no_http)
