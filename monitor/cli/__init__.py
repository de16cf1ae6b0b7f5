"""The ``hkex-monitor`` command. Exit status: 0 ok, 1 the work failed, 2 bad config or usage,
130 interrupted (Ctrl-C), 141 the output pipe was closed (``| head``). No traceback reaches the user:
every failure is one message saying what was wrong and what was done about it.

One module per group of commands: ``args`` (the parser), ``documents`` (parse), ``rounds`` (once,
backfill, reconcile), ``alerts``, ``calendar``, ``config`` (check-config)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
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
    try:
        args = build_parser().parse_args(argv)
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
    if args.command == "calendar":
        from monitor.cli.calendar import calendar

        return calendar(settings, days=args.days, include_past=args.all, as_json=args.json)
    from monitor.cli import rounds

    if args.command == "backfill":
        return rounds.backfill(settings, args.code, args.since, alert=args.alert)
    if args.command == "reconcile":
        return rounds.reconcile(settings, path, args.date)
    if args.command == "once":
        return rounds.once(settings, path)
    return rounds.run(settings, path, no_http=args.no_http)
