"""A plain-text table of a ResultsReport for the terminal: one row per metric (with the page it is printed on
and how many cross-checks vouch for it), then checks and warnings."""

from __future__ import annotations

from parsers import display
from parsers.notices import BoardMeetingNotice, ProfitWarning
from parsers.report import METRIC_NAMES, PER_SHARE, ResultsReport, describe_change

_PROFIT_LINES = frozenset({"operating_profit", "profit_before_tax", "profit_for_period",
                           "profit_attributable", "eps_basic", "eps_diluted", "gross_profit"})
_TITLES = {
    "revenue": "Revenue", "gross_profit": "Gross profit", "operating_profit": "Operating profit",
    "profit_before_tax": "Profit before tax", "profit_for_period": "Profit for the period",
    "profit_attributable": "Attributable to owners", "eps_basic": "EPS basic", "eps_diluted": "EPS diluted",
    "dividend_per_share": "Dividend per share", "total_equity": "Total equity", "cash": "Cash",
}


def _cell(name: str, value: float | None, scale: display.Scale, unit: display.PerShareUnit,
          places: int) -> str:
    if name in PER_SHARE:
        return display.per_share(value, unit, places)
    return display.amount(value, scale)


def _source(page: int | None, vouchers: int, current: float | None, prior: float | None) -> str:
    if current is None and prior is None:
        return ""
    where = f"p{page}" if page else "?"
    return f"{where} +{vouchers}" if vouchers else f"{where} unvouched"


def units_line(report: ResultsReport) -> str:
    """What the table's figures are in: "amounts in RMB millions (document unit RMB'000); per share in
    RMB cents"."""
    scale, unit = _units(report)
    document = f" (document unit {report.unit})" if report.unit else ""
    return f"amounts in {scale.name(report.currency)}{document}; per share in {unit.label}"


def _units(report: ResultsReport) -> tuple[display.Scale, display.PerShareUnit]:
    amounts = [v for n in METRIC_NAMES if n not in PER_SHARE
               for v in (report.metric(n).current, report.metric(n).prior)]
    per_share = [v for n in PER_SHARE for v in (report.metric(n).current, report.metric(n).prior)]
    return display.scale_for(amounts), display.per_share_unit(per_share, report.currency)


def render_table(report: ResultsReport) -> str:
    """Metric, current, prior, change and notes, aligned; amounts in one scale of the report currency and
    per-share figures in one unit, both named in the header, rounded half up."""
    period = report.period_end.isoformat() if report.period_end else "?"
    prior = report.prior_period_end.isoformat() if report.prior_period_end else "?"
    head = (f"{report.company or 'Unknown company'} ({', '.join(report.stock_codes) or 'no code'}) — "
            f"{report.kind or 'results'}, {report.months or '?'} months to {period} vs {prior}; "
            f"{units_line(report)}")
    scale, unit = _units(report)
    places = display.per_share_places([v for n in PER_SHARE for v in (report.metric(n).current,
                                                                       report.metric(n).prior)], unit)
    rows = [("metric", "current", "prior", "change", "source", "note")]
    for name in METRIC_NAMES:
        metric = report.metric(name)
        change = describe_change(metric.current, metric.prior, is_profit=name in _PROFIT_LINES) or ""
        rows.append((_TITLES[name], _cell(name, metric.current, scale, unit, places),
                     _cell(name, metric.prior, scale, unit, places),
                     change, _source(metric.page, len(metric.vouched_by), metric.current, metric.prior),
                     metric.note or ""))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [head, ""]
    for index, row in enumerate(rows):
        cells = ([row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in (1, 2, 3)]
                 + [row[4].ljust(widths[4]), row[5]])
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    failed = [c for c in report.checks if not c.ok]
    if failed:
        lines += ["", "Failed checks:"] + [f"  ✗ {c.name}: {c.detail}" for c in failed]
    if report.warnings:
        lines += ["", "Warnings:"] + [f"  ! {w}" for w in report.warnings]
    passed = sum(1 for c in report.checks if c.ok)
    lines += ["", f"{passed} of {len(report.checks)} cross-checks passed. Source: the page a figure is "
                  "printed on; +n: n cross-checks vouch for it, 'unvouched': none does."]
    return "\n".join(lines)


def render_notice(record: BoardMeetingNotice | ProfitWarning) -> str:
    """A board-meeting, delay or profit-warning notice as a few lines: what it says, then its notes."""
    head = f"{record.company or 'Unknown company'} ({', '.join(record.stock_codes) or 'no code'})"
    if isinstance(record, BoardMeetingNotice):
        what = "delay notice" if record.is_delay else "board meeting notice"
        when = record.meeting_date.isoformat() if record.meeting_date else "date not stated"
        moved = f" (moved from {record.replaces_date.isoformat()})" if record.replaces_date else ""
        rows = [("meeting", f"{'on or before ' if record.on_or_before else ''}{when}{moved}"),
                ("results", record.results or "not named"),
                ("period", f"{record.months or '?'} months to "
                           f"{record.period_end.isoformat() if record.period_end else '?'}"),
                ("dividend", {True: "to be considered", False: "none", None: "not said"}[record.dividend])]
    else:
        what = "positive profit alert" if record.direction == "positive" else "profit warning"
        rows = [("measure", record.measure or "not named"),
                ("expected", _range(record.low, record.high, record.currency)),
                ("prior", _range(record.prior, record.prior, record.currency)),
                ("change", _range_pct(record.change_low_pct, record.change_high_pct)),
                ("period", f"{record.months or '?'} months to "
                           f"{record.period_end.isoformat() if record.period_end else '?'}")]
    width = max(len(k) for k, _ in rows)
    lines = [f"{head} — {what}", ""] + [f"{k.ljust(width)}  {v}" for k, v in rows]
    if record.notes:
        lines += ["", "Notes:"] + [f"  ! {n}" for n in record.notes]
    return "\n".join(lines)


def _range(low: float | None, high: float | None, currency: str | None) -> str:
    if low is None and high is None:
        return "not stated"
    ends = [display.compact_amount(v) for v in (low, high) if v is not None]
    text = ends[0] if len(ends) == 1 or ends[0] == ends[1] else f"{ends[0]} to {ends[1]}"
    return f"{currency or '?'} {text}"


def _range_pct(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return "not stated"
    ends = [f"{v:+.1f}%" for v in (low, high) if v is not None]
    return ends[0] if len(ends) == 1 or ends[0] == ends[1] else f"{ends[0]} to {ends[1]}"
