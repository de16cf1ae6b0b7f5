"""The commands that run the monitor's work: ``run`` (the daemon), ``once`` (one round),
``backfill`` (a stock's history, optionally alerted) and ``reconcile`` (a day's title search
against what the feed found). Exit status 1 when the work failed, with the reason."""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from monitor.cli.config import alert_on
from monitor.daemon import Daemon, RoundOutcome, alert_now, run_round
from monitor.errors import ConfigError, MonitorError
from monitor.filing import HKT
from monitor.secrets import redact
from monitor.settings import Settings, normalise_code
from monitor.store import PendingAlert, Store


def run(settings: Settings, path: Path | None, *, no_http: bool) -> int:
    if no_http:
        settings = settings.model_copy(update={"daemon": settings.daemon.model_copy(update={"http_port": 0})})
    return Daemon(settings, config_path=path).run()


def once(settings: Settings, path: Path | None) -> int:
    daemon = Daemon(settings, config_path=path, wait_out_pauses=False)
    try:
        outcome = daemon.one_round()
        undelivered = (_undelivered(daemon.components.store)
                       if outcome is not None and (outcome.failed or outcome.pending) else [])
    finally:
        daemon.close()
    return _report("once", outcome, undelivered)


def _undelivered(store: Store, only: set[str] | None = None) -> list[str]:
    """Lines naming what could not be delivered and why, grouped by channel and error (``only``:
    these alert ids)."""
    try:
        counts = Counter((a.channel, _why(a)) for a in store.pending() if only is None or a.id in only)
    except MonitorError as exc:
        return [f"(the store could not list them: {exc})"]
    return [f"{n} alert{'' if n == 1 else 's'} for {channel}: {error}"
            for (channel, error), n in counts.most_common()]


def _why(alert: PendingAlert) -> str:
    """Why an alert is still pending after a round."""
    if alert.owner:
        return f"held by another process ({alert.owner}, {'alive' if alert.owner_alive else 'gone'})"
    if alert.last_error:
        return alert.last_error
    if alert.announced_ts:
        return "posted; its document is not read yet, so the figures are not in the message"
    return "not tried: sends stopped after an error above, or its document is not read yet"


def _report(command: str, outcome: RoundOutcome | None, undelivered: list[str]) -> int:
    """Exit status of a round run from the command line: 1 if the poll failed or any alert was not
    delivered (a failure, or still pending at the end: the reasons are listed)."""
    if outcome is None:
        print(f"hkex-monitor {command}: the round failed; see the log above", file=sys.stderr)
        return 1
    status = 0
    if not outcome.ok:
        print(f"hkex-monitor {command}: the round did not complete: {redact(str(outcome.reason))}",
              file=sys.stderr)
        status = 1
    if outcome.failed or outcome.pending:
        print(f"hkex-monitor {command}: {outcome.pending} alert{'' if outcome.pending == 1 else 's'} not "
              "delivered; they stay pending and are retried by the next run (`hkex-monitor doctor` checks "
              "the Slack set-up):", file=sys.stderr)
        for line in undelivered:
            print(f"  {redact(line)}", file=sys.stderr)
        status = 1
    return status


def backfill(settings: Settings, code: str, since: date, *, until: date | None = None, alert: bool = False,
             as_json: bool = False) -> int:
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    try:
        code = normalise_code(code)
    except ValueError as exc:
        raise ConfigError(f"backfill CODE: {exc}") from None
    today = datetime.now(HKT).date()
    until = until or today
    if since > today:
        print(f"hkex-monitor backfill: --since {since} is in the future (today is {today} in Hong Kong); "
              "nothing to look for", file=sys.stderr)
        return 2
    if until < since:
        print(f"hkex-monitor backfill: --until {until} is before --since {since}", file=sys.stderr)
        return 2
    watch = settings.watch_for(code)
    if alert and watch is None:
        print(f"hkex-monitor backfill --alert: {code} is not on the watchlist, so its filings have no "
              "channel; add a [[watch]] entry for it first", file=sys.stderr)
        return 2
    daemon = Daemon(settings, wait_out_pauses=False)
    comps = daemon.components
    try:
        # One bar, on a terminal only, with the log lines printed above it instead of through it.
        with logging_redirect_tqdm(), tqdm(desc=f"backfill {code}", unit="row", file=sys.stderr,
                                           disable=None, leave=False) as bar:
            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            found = comps.discovery.backfill(code, since, progress=progress)
        filings = [f for f in found if f.released_at.astimezone(HKT).date() <= until]
        if as_json:
            print(json.dumps([f.to_dict() for f in filings], ensure_ascii=False))
        else:
            for f in filings:
                print(f"{f.released_at:%Y-%m-%d %H:%M}  {f.kind.value:<17}  {f.title}  {f.url}")
        print(f"{_n(len(filings), 'filing')} for {code} from {since} to {until}", file=sys.stderr)
        if not alert:
            return 0
        outcome = alert_now(comps, filings)
        ids = {f.id for f in filings}
        undelivered = _undelivered(comps.store, ids) if outcome.failed or outcome.pending else []
    finally:
        daemon.close()
    print(f"backfill --alert: {_n(outcome.enqueued, 'new alert')} for the kinds {code} asks for "
          f"({alert_on(watch.alert_on) if watch else ''}), {outcome.sent} sent", file=sys.stderr)
    return _report("backfill", outcome, undelivered)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def reconcile(settings: Settings, path: Path | None, day: date | None) -> int:
    daemon = Daemon(settings, config_path=path, wait_out_pauses=False)
    try:
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
            outcome = run_round(daemon.components)
            print(f"{len(result.missed)} filing(s) the feed missed were alerted, marked as found late "
                  f"({outcome.sent} alert(s) sent)")
        else:
            print(f"nothing missed on {day}: {len(result.compared)} stock(s) compared")
    finally:
        daemon.close()
    return 1 if result.unchecked else 0
