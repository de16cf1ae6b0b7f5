"""The summary of one results announcement: key figures with their changes, honest gaps (figures not
stated, figures left out as unreliable, figures no cross-check vouched for), failed checks, how the
results compare with an earlier profit warning and with the last comparable results.

Pure: a ``Filing`` and a ``ResultsReport`` in, a ``Message`` out.
"""

from __future__ import annotations

from typing import Any

from monitor.filing import Filing
from monitor.messages.figures import figure, long_date, per_share_unit_name, symbol
from monitor.messages.filings import (
    chinese_only_note,
    footer,
    found_late_block,
    title_link,
    unresolved,
    who,
)
from monitor.messages.mrkdwn import Reference, context, escape, header, link, message, section
from monitor.messages.notices import outcome_line
from notifiers.base import Message
from parsers.notices import WarningOutcome
from parsers.report import PER_SHARE, Metric, ResultsReport, describe_change

UNVERIFIED = "†"  # marks a figure no cross-check vouched for; the footnote says which and where
PROFIT_LINES = frozenset({"gross_profit", "operating_profit", "profit_before_tax", "profit_for_period",
                          "profit_attributable", "eps_basic", "eps_diluted"})
# metric -> (label, label when the current figure is a loss); "{p}" becomes "period" or "year"
LABELS: dict[str, tuple[str, str]] = {
    "revenue": ("Revenue", "Revenue"),
    "gross_profit": ("Gross profit", "Gross loss"),
    "operating_profit": ("Operating profit", "Operating loss"),
    "profit_before_tax": ("Profit before tax", "Loss before tax"),
    "profit_for_period": ("Profit for the {p}", "Loss for the {p}"),
    "profit_attributable": ("Attributable to owners", "Loss attributable to owners"),
    "eps_basic": ("Basic EPS", "Basic loss per share"),
    "eps_diluted": ("Diluted EPS", "Diluted loss per share"),
    "dividend_per_share": ("Dividend per share", "Dividend per share"),
    "total_equity": ("Total equity", "Total deficit"),
    "cash": ("Cash", "Cash"),
}
PERIODS = {3: "Three months", 6: "Six months", 9: "Nine months", 12: "Year"}


def _ratio(num: Metric, den: Metric, attr: str) -> float | None:
    n, d = getattr(num, attr), getattr(den, attr)
    return None if n is None or not d else n / d * 100


def _period(report: ResultsReport) -> str:
    return "year" if report.months == 12 else "period"


def label_for(name: str, m: Metric, report: ResultsReport) -> str:
    plain_label, loss_label = LABELS[name]
    return (loss_label if (m.current or 0) < 0 else plain_label).format(p=_period(report))


def period_text(report: ResultsReport) -> str:
    """ "Six months ended 30 June 2025 (vs 30 June 2024)", or what of it is known."""
    if report.period_end is None:
        return f"{escape(report.kind or 'results', limit=20).capitalize()} results"
    text = f"{PERIODS.get(report.months or 0, 'Period')} ended {long_date(report.period_end)}"
    if report.prior_period_end:
        text += f" (vs {long_date(report.prior_period_end)})"
    return text


def metric_line(name: str, m: Metric, report: ResultsReport) -> str | None:
    """One bullet for a figure that is stated; None if it is not (listed separately). A figure no
    cross-check vouched for carries the ``UNVERIFIED`` mark."""
    if m.current is None:
        return None
    cur = report.currency
    text = f"• *{label_for(name, m, report)}*: {figure(name, m.current, cur)}"
    if not m.vouched_by:
        text += UNVERIFIED
    if m.prior is None:
        text += " · prior not stated"
    else:
        prior = figure(name, m.prior, cur)
        if (m.prior < 0) != (m.current < 0) and name in PROFIT_LINES:
            prior = ("loss " if m.prior < 0 else "profit ") + prior
        text += f" vs {prior}"
        change = describe_change(m.current, m.prior, is_profit=name in PROFIT_LINES)
        if change:
            text += f" · *{change}*"
    if m.note:
        text += f" _({escape(m.note, limit=80)})_"
    return text


def margin_line(label: str, num: str, report: ResultsReport) -> str | None:
    rev, part = report.metric("revenue"), report.metric(num)
    now, before = _ratio(part, rev, "current"), _ratio(part, rev, "prior")
    if now is None:
        return None
    text = f"• *{label}*: {now:.1f}%"
    if before is not None:
        text += f" vs {before:.1f}% · *{now - before:+.1f} pp*"
    return text


def _unstated(report: ResultsReport) -> str | None:
    missing, unreliable = [], []
    for name in LABELS:
        m = report.metric(name)
        if m.current is not None:
            continue
        label = LABELS[name][0].format(p=_period(report))
        note = (m.note or "").lower()
        if not note or any(w in note for w in ("not found", "not stated")):
            missing.append(label)
        elif any(w in f" {note}" for w in (" no ", "nil", "none")):
            missing.append(f"{label} ({escape(m.note or '', limit=60)})")
        else:
            unreliable.append(f"{label} ({escape(m.note or '', limit=60)})")
    parts = []
    if missing:
        parts.append("Not stated: " + ", ".join(missing))
    if unreliable:
        parts.append("Left out as unreliable: " + "; ".join(unreliable))
    return " · ".join(parts) or None


def _unverified_note(report: ResultsReport, shown: list[str]) -> str | None:
    """The footnote for the figures marked ``UNVERIFIED``: which, and where they were read."""
    where = []
    for name in shown:
        m = report.metric(name)
        if m.vouched_by:
            continue
        bits = [f"p. {m.page}"] if isinstance(m.page, int) and m.page > 0 else []  # read from stored JSON
        if m.label:
            bits.append(f"“{escape(str(m.label), limit=50)}”")
        where.append(label_for(name, m, report) + (f" ({', '.join(bits)})" if bits else ""))
    if not where:
        return None
    return f"{UNVERIFIED} Not confirmed by any cross-check, check against the document: " + "; ".join(where)


def key_lines(report: ResultsReport) -> tuple[list[str], list[str]]:
    """The figure bullets, and the metrics they show (for the footnote)."""
    out: list[str] = []
    shown: list[str] = []

    def add(name: str) -> None:
        line = metric_line(name, report.metric(name), report)
        if line:
            out.append(line)
            shown.append(name)

    def add_margin(label: str, num: str) -> None:
        line = margin_line(label, num, report)
        if line:
            out.append(line)

    add("revenue")
    add("gross_profit")
    add_margin("Gross margin", "gross_profit")
    for name in ("operating_profit", "profit_before_tax", "profit_for_period"):
        add(name)
    add_margin("Net margin", "profit_for_period")
    add("profit_attributable")
    basic, diluted = report.metric("eps_basic"), report.metric("eps_diluted")
    add("eps_basic")
    if diluted.current is not None and (diluted.current, diluted.prior) != (basic.current, basic.prior):
        add("eps_diluted")
    for name in ("dividend_per_share", "total_equity", "cash"):
        add(name)
    return out, shown


def _headline(report: ResultsReport) -> str:
    """The two figures a notification should carry: revenue and the bottom line."""
    bits: list[str] = []
    for name in ("revenue", "profit_for_period", "profit_attributable"):
        m = report.metric(name)
        if m.current is None or (name == "profit_attributable" and len(bits) == 2):
            continue
        change = describe_change(m.current, m.prior, is_profit=name in PROFIT_LINES)
        shown = f"{label_for(name, m, report).lower()} {figure(name, m.current, report.currency)}"
        shown += " (unverified)" if not m.vouched_by else ""
        bits.append(shown + (f" ({change})" if change else ""))
        if len(bits) == 2:
            break
    return ", ".join(bits)


def units_text(report: ResultsReport) -> str:
    """What the figures are shown in, and what the document printed: " · amounts in RMB m/bn (the
    document prints RMB'000) · per share in HK cents"."""
    cur = report.currency
    amounts = [m.current for n, m in report.metrics.items() if n not in PER_SHARE and m.current is not None]
    per_share = [v for n in PER_SHARE for v in (report.metric(n).current, report.metric(n).prior)
                 if v is not None and n in report.metrics]
    bits = []
    if amounts and cur:
        printed = f" (the document prints {escape(report.unit, limit=40)})" if report.unit else ""
        bits.append(f"amounts in {symbol(cur)} m/bn{printed}")
    if per_share and cur:
        bits.append(f"per share in {per_share_unit_name(cur, per_share)}")
    return "".join(f" · {b}" for b in bits)


def reference_text(ref: Reference) -> str:
    """ "↪ Follows: <text> (earlier message)": an earlier message this one answers."""
    earlier = f" ({link(ref.url, 'earlier message')})" if ref.url else ""
    return f":leftwards_arrow_with_hook: Follows: {escape(ref.text, limit=300)}{earlier}"


def results_message(filing: Filing, report: ResultsReport | None, *, channel: str, error: str | None = None,
                    previous: ResultsReport | None = None, outcome: WarningOutcome | None = None,
                    follow_up_of: Reference | None = None, found_late: bool = False,
                    thread_ts: str | None = None) -> Message:
    """The summary of one results announcement. Without a report the alert still goes out, with the
    reason and the link. ``outcome``: how the figures compare with the profit warning for the same
    period; ``follow_up_of``: the earlier message this answers (e.g. "results due, not out")."""
    who_text = who(filing, report.company if report else None)
    kind = filing.kind.label
    blocks: list[dict[str, Any]] = [header(f"{who_text}: {kind}")]
    if found_late:
        blocks.append(found_late_block())
    if follow_up_of is not None:
        blocks.append(context(reference_text(follow_up_of)))
    late = " (found late by the nightly check)" if found_late else ""
    if report is None:
        if unresolved(filing):
            blocks.append(section(chinese_only_note(filing)))
            reason = "in Chinese only, document not found in the Chinese listings"
        else:
            reason = escape(error or "the document could not be read", limit=500)
            blocks.append(section(f":warning: Figures not available: {reason}\n"
                                  f"Read the announcement: {title_link(filing)}"))
        blocks.append(footer(filing))
        text = f"{escape(who_text, limit=150)} {kind.lower()}{late}: figures not available ({reason}). "
        return message(channel, text + link(filing.url), blocks, kind="results", filing_ids=(filing.id,),
                       thread_ts=thread_ts)

    lines, shown = key_lines(report)
    unit = units_text(report)
    blocks.append(section(f"*{period_text(report)}*{unit}"))
    blocks.append(section("\n".join(lines) if lines else "_No key figures could be read._"))
    if outcome is not None:
        blocks.append(section(f":dart: {outcome_line(outcome)}"))
    notes = [n for n in (_unverified_note(report, shown), _unstated(report)) if n]
    failed = [c for c in report.checks if not c.ok]
    if failed:
        detail = "; ".join(escape(f"{c.name.replace('_', ' ')}: {c.detail}", limit=120) for c in failed[:3])
        more = f" (+{len(failed) - 3} more)" if len(failed) > 3 else ""
        notes.append(f":warning: {len(failed)} check{'s' * (len(failed) > 1)} failed: {detail}{more}")
    if report.warnings:
        notes.append("Parser notes: " + "; ".join(escape(w, limit=120) for w in report.warnings[:2]))
    if notes:
        blocks.append(context(*notes))
    if previous is not None:
        blocks.append(section(_previous_text(previous)))
    blocks.append(footer(filing))
    headline = _headline(report)
    text = f"{escape(who_text, limit=150)} {kind.lower()}{late}" + (f": {headline}" if headline else "")
    if outcome is not None:
        text += f". {outcome_line(outcome)}"
    return message(channel, f"{text}. {link(filing.url)}", blocks, kind="results", filing_ids=(filing.id,),
                   thread_ts=thread_ts)


def _previous_text(previous: ResultsReport) -> str:
    what = f"last {escape(previous.kind, limit=20)} results" if previous.kind else "previous results"
    head = f"*Compared with the {what}* ({period_text(previous).split(' (vs')[0]})"
    bits = []
    for name in ("revenue", "profit_for_period", "eps_basic"):
        m = previous.metric(name)
        if m.current is not None:
            bits.append(f"{label_for(name, m, previous)} {figure(name, m.current, previous.currency)}")
    return head + (": " + " · ".join(bits) if bits else ": no figures stated")
