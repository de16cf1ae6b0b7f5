"""``hkex-monitor show CODE``: what the store keeps of one stock (400 days): each results
announcement read, period by period, with its figures and link; its results calendar; its profit
warnings; and the documents that could not be read, with the reason."""

from __future__ import annotations

import json
import sys
from typing import Any

from monitor.calendar import Calendar
from monitor.errors import ConfigError
from monitor.filing import HKT
from monitor.messages.figures import figure
from monitor.messages.notices import expectation
from monitor.settings import Settings, normalise_code
from monitor.store import RecordKind, SavedReport, open_store
from parsers.notices import ProfitWarning
from parsers.report import describe_change

SHOWN = ("revenue", "profit_for_period", "profit_attributable", "eps_basic", "dividend_per_share")


def show(settings: Settings, code: str, *, as_json: bool) -> int:
    try:
        code = normalise_code(code)
    except ValueError as exc:
        raise ConfigError(f"show CODE: {exc}") from None
    store = open_store(settings.store.url, namespace=settings.store.namespace,
                       retention_days=settings.store.retention_days)
    try:
        saved = store.stock_reports(code)
        calendar = [e for e in Calendar(store).entries() if e.code == code]
        warnings = [v for k, v in store.records(RecordKind.WARNING).items() if k.split(":", 1)[0] == code]
    finally:
        store.close()
    results = [s for s in saved
               if "error" not in s.payload and s.payload.get("document", "results") == "results"]
    unread = [s for s in saved if "error" in s.payload]
    if as_json:
        print(json.dumps({"code": code, "results": [_entry(s) for s in results],
                          "calendar": [e.to_json_dict() for e in calendar],
                          "warnings": sorted(warnings, key=lambda w: w.get("released_at") or ""),
                          "unread": [_entry(s) for s in unread]}, ensure_ascii=False))
        return 0
    if not (results or calendar or warnings or unread):
        print(f"nothing is kept of {code}: no document of it has been read in the last 400 days (the store "
              f"keeps what the monitor read; `hkex-monitor backfill {code} --since ... --alert` reads the "
              "past)", file=sys.stderr)
        return 0
    print(f"{code}")
    _section("Results", [_results_line(s) for s in results])
    _section("Results calendar", [
        f"{e.meeting_date}  {e.results or 'results'} for the period to {e.period_end or '?'}"
        + (f" (moved from {e.previous_date})" if e.previous_date else "") + f"  {e.filing_url}"
        for e in calendar])
    _section("Profit warnings", [_warning_line(w) for w in warnings])
    _section("Documents not read", [
        f"{_when(s)}  {s.filing.display_title}: {s.payload['error']}  {s.filing.url}" for s in unread])
    return 0


def _entry(s: SavedReport) -> dict[str, Any]:
    f = s.filing
    read = {k: v for k, v in s.payload.items() if k != "document"}
    return {"filing_id": f.id, "title": f.display_title, "released_at": f.released_at.isoformat(),
            "url": f.url, "kind": f.kind.value, "read": read}


def _when(s: SavedReport) -> str:
    return f"{s.filing.released_at.astimezone(HKT):%Y-%m-%d}"


def _results_line(s: SavedReport) -> str:
    p = s.payload
    metrics: dict[str, Any] = p.get("metrics") or {}
    bits = []
    for name in SHOWN:
        m = metrics.get(name) or {}
        current, prior = m.get("current"), m.get("prior")
        if current is None:
            continue
        change = describe_change(current, prior, is_profit=name != "revenue")
        sign = "-" if current < 0 and name not in ("dividend_per_share",) else ""
        bits.append(f"{name.replace('_', ' ')} {sign}{figure(name, current, p.get('currency'))}"
                    + (f" ({change})" if change else ""))
    period = f"{p.get('kind') or 'results'}, {p.get('months') or '?'} months to {p.get('period_end') or '?'}"
    return f"{_when(s)}  {period}: {'; '.join(bits) or 'no key figure read'}  {s.filing.url}"


def _warning_line(record: dict[str, Any]) -> str:
    warning = ProfitWarning.from_json_dict(record.get("warning") or {})
    what = "positive profit alert" if warning.direction == "positive" else "profit warning"
    said = expectation(warning) or "no expected figure stated"
    return f"{str(record.get('released_at') or '?')[:10]}  {what}: {said}"


def _section(title: str, lines: list[str]) -> None:
    if lines:
        print(f"\n{title}")
        for line in lines:
            print(f"  {line}")
