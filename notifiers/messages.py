"""Block Kit messages: a summary per results filing, one compact list for other filings of a stock.

Pure: a ``Filing`` (and a ``ResultsReport``) in, a ``Message`` out. Every piece of text that came
from HKEXnews or a document is escaped for Slack mrkdwn, so a title cannot ping ``@channel`` or
plant a link. Messages stay well inside Slack's limits (50 blocks, 3,000 characters a section,
150 a header); the plain-text fallback is kept short.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from monitor.filing import HKT, Filing
from notifiers.base import Message
from parsers.report import PER_SHARE, Metric, ResultsReport, describe_change

MAX_BLOCKS = 50
SECTION_MAX = 3000
HEADER_MAX = 150
TEXT_MAX = 3000  # Slack allows 40,000; a notification needs a sentence
MAX_LISTED = 20  # filings listed one per line in a burst; the rest are counted

SYMBOLS = {"RMB": "RMB", "CNY": "RMB", "HKD": "HK$", "USD": "US$", "SGD": "S$", "EUR": "EUR", "JPY": "JPY"}
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


# -- text safety -------------------------------------------------------------------------------------
def escape(text: str) -> str:
    """Slack mrkdwn escaping: no mentions, no links, no stray formatting entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str) -> str:
    """For plain_text fields, which Slack shows literally: keep them free of angle brackets anyway."""
    return text.replace("<", "\u2039").replace(">", "\u203a")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def link(url: str, label: str) -> str:
    """``<url|label>`` for http(s) URLs only, with the characters that would break it encoded."""
    if not re.match(r"^https?://", url):
        return escape(label)
    safe = quote(url, safe=":/?#[]@!$'()*+,;=%-._~")
    return f"<{safe}|{escape(label).replace('|', '¦')}>"


# -- figures -----------------------------------------------------------------------------------------
def symbol(currency: str | None) -> str:
    return SYMBOLS.get((currency or "").upper(), currency or "")


def amount(value: float, currency: str | None) -> str:
    """2358198000 -> "RMB 2,358.2m"; 22470805000 -> "RMB 22.47bn"; magnitudes only (signs are words)."""
    a = abs(value)
    if a >= 1e10:
        body = f"{a / 1e9:,.2f}bn"
    elif a >= 1e6:
        body = f"{a / 1e6:,.1f}m"
    else:
        body = f"{a:,.0f}"
    return f"{symbol(currency)} {body}".strip()


def per_share(value: float, currency: str | None) -> str:
    """0.03 RMB -> "RMB 0.03"; 0.1882 HKD -> "HK 18.82 cents" (how HK announcements state it)."""
    a = abs(value)
    if (currency or "").upper() == "HKD" and 0 < a < 1:
        return f"HK {_trim(f'{a * 100:.2f}', 0)} cents"
    return f"{symbol(currency)} {_trim(f'{a:,.4f}', 2)}".strip()


def _trim(number: str, keep: int) -> str:
    whole, _, frac = number.partition(".")
    frac = frac.rstrip("0").ljust(keep, "0")
    return f"{whole}.{frac}" if frac else whole


def figure(name: str, value: float, currency: str | None) -> str:
    if value == 0 and name == "dividend_per_share":
        return "nil"
    return per_share(value, currency) if name in PER_SHARE else amount(value, currency)


def _ratio(num: Metric, den: Metric, attr: str) -> float | None:
    n, d = getattr(num, attr), getattr(den, attr)
    return None if n is None or not d else n / d * 100


def _period(report: ResultsReport) -> str:
    word = "year" if report.months == 12 else "period"
    return word


def _date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def period_text(report: ResultsReport) -> str:
    """"Six months ended 30 June 2025 (vs 30 June 2024)", or what of it is known."""
    if report.period_end is None:
        return f"{(report.kind or 'Results').capitalize()} results"
    text = f"{PERIODS.get(report.months or 0, 'Period')} ended {_date(report.period_end)}"
    if report.prior_period_end:
        text += f" (vs {_date(report.prior_period_end)})"
    return text


def metric_line(name: str, m: Metric, report: ResultsReport) -> str | None:
    """One bullet for a figure that is stated; None if it is not (listed separately)."""
    if m.current is None:
        return None
    plain_label, loss_label = LABELS[name]
    label = (loss_label if m.current < 0 else plain_label).format(p=_period(report))
    cur = report.currency
    text = f"• *{label}*: {figure(name, m.current, cur)}"
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
        text += f" _({escape(clip(m.note, 80))})_"
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
    missing, unverified = [], []
    for name in LABELS:
        m = report.metric(name)
        if m.current is not None:
            continue
        label = LABELS[name][0].format(p=_period(report))
        note = (m.note or "").lower()
        if not note or any(w in note for w in ("not found", "not stated")):
            missing.append(label)
        elif any(w in f" {note}" for w in (" no ", "nil", "none")):
            missing.append(f"{label} ({escape(clip(m.note or '', 60))})")
        else:
            unverified.append(f"{label} ({escape(clip(m.note or '', 60))})")
    parts = []
    if missing:
        parts.append("Not stated: " + ", ".join(missing))
    if unverified:
        parts.append("Unverified: " + "; ".join(unverified))
    return " · ".join(parts) or None


def key_lines(report: ResultsReport) -> list[str]:
    out: list[str] = []
    for name in ("revenue", "gross_profit"):
        out.append(metric_line(name, report.metric(name), report) or "")
    out.append(margin_line("Gross margin", "gross_profit", report) or "")
    for name in ("operating_profit", "profit_before_tax", "profit_for_period"):
        out.append(metric_line(name, report.metric(name), report) or "")
    out.append(margin_line("Net margin", "profit_for_period", report) or "")
    out.append(metric_line("profit_attributable", report.metric("profit_attributable"), report) or "")
    basic, diluted = report.metric("eps_basic"), report.metric("eps_diluted")
    out.append(metric_line("eps_basic", basic, report) or "")
    if diluted.current is not None and (diluted.current, diluted.prior) != (basic.current, basic.prior):
        out.append(metric_line("eps_diluted", diluted, report) or "")
    for name in ("dividend_per_share", "total_equity", "cash"):
        out.append(metric_line(name, report.metric(name), report) or "")
    return [line for line in out if line]


def _headline(report: ResultsReport) -> str:
    """The two figures a notification should carry: revenue and the bottom line."""
    bits: list[str] = []
    for name in ("revenue", "profit_for_period", "profit_attributable"):
        m = report.metric(name)
        if m.current is None or (name == "profit_attributable" and len(bits) == 2):
            continue
        label = (LABELS[name][1] if m.current < 0 else LABELS[name][0]).format(p=_period(report)).lower()
        change = describe_change(m.current, m.prior, is_profit=name in PROFIT_LINES)
        shown = f"{label} {figure(name, m.current, report.currency)}"
        bits.append(shown + (f" ({change})" if change else ""))
        if len(bits) == 2:
            break
    return ", ".join(bits)


# -- messages -----------------------------------------------------------------------------------------
def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(plain(text), HEADER_MAX)}}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_MAX)}}


def _context(*texts: str) -> dict[str, Any]:
    elements = [{"type": "mrkdwn", "text": clip(t, SECTION_MAX)} for t in texts]
    return {"type": "context", "elements": elements[:10]}


def _who(filing: Filing, report: ResultsReport | None = None) -> str:
    name = (report.company if report and report.company else None) or next(iter(filing.stock_names), "")
    codes = " / ".join(filing.stock_codes)
    return f"{name} ({codes})" if codes else name


def _released(filing: Filing) -> str:
    return filing.released_at.astimezone(HKT).strftime("%d %b %Y %H:%M HKT")


def results_message(filing: Filing, report: ResultsReport | None, *, channel: str, error: str | None = None,
                    previous: ResultsReport | None = None) -> Message:
    """The summary of one results announcement; without a report, the alert still goes out with
    the reason and the link."""
    who = _who(filing, report)
    kind = filing.kind.label
    doc = link(filing.url, clip(filing.title, 200) or "Announcement")
    blocks: list[dict[str, Any]] = [_header(f"{who}: {kind}")]
    if report is None:
        reason = escape(clip(error or "the document could not be read", 500))
        blocks.append(_section(f":warning: Figures not available: {reason}\nRead the announcement: {doc}"))
        blocks.append(_context(f"Released {_released(filing)}"))
        text = f"{escape(who)} {kind.lower()}: figures not available ({reason}). {filing.url}"
        return Message(channel, clip(text, TEXT_MAX), tuple(blocks), (filing.id,), "results")

    lines = key_lines(report)
    unit = f" · figures in {escape(report.unit)}" if report.unit else ""
    blocks.append(_section(f"*{period_text(report)}*{unit}"))
    blocks.append(_section("\n".join(lines) if lines else "_No key figures could be read._"))
    notes = []
    unstated = _unstated(report)
    if unstated:
        notes.append(unstated)
    failed = [c for c in report.checks if not c.ok]
    if failed:
        detail = "; ".join(escape(clip(f"{c.name}: {c.detail}", 120)) for c in failed[:3])
        more = f" (+{len(failed) - 3} more)" if len(failed) > 3 else ""
        notes.append(f":warning: {len(failed)} check{'s' * (len(failed) > 1)} failed: {detail}{more}")
    if report.warnings:
        notes.append("Parser notes: " + "; ".join(escape(clip(w, 120)) for w in report.warnings[:2]))
    if notes:
        blocks.append(_context(*notes))
    if previous is not None:
        blocks.append(_section(_previous_text(previous)))
    blocks.append(_context(f"Released {_released(filing)}", doc))
    headline = _headline(report)
    text = f"{escape(who)} {kind.lower()}" + (f": {headline}" if headline else "") + f". {filing.url}"
    return Message(channel, clip(text, TEXT_MAX), tuple(blocks), (filing.id,), "results")


def _previous_text(previous: ResultsReport) -> str:
    what = f"last {previous.kind} results" if previous.kind else "previous results"
    head = f"*Compared with the {what}* ({period_text(previous).split(' (vs')[0]})"
    bits = []
    for name in ("revenue", "profit_for_period", "eps_basic"):
        m = previous.metric(name)
        if m.current is not None:
            label = (LABELS[name][1] if m.current < 0 else LABELS[name][0]).format(p=_period(previous))
            bits.append(f"{label} {figure(name, m.current, previous.currency)}")
    return head + (": " + " · ".join(bits) if bits else ": no figures stated")


def filings_message(filings: Sequence[Filing], *, channel: str) -> Message:
    """Other filings of a watched stock, one line each; a burst becomes one message."""
    if not filings:
        raise ValueError("filings_message needs at least one filing")
    ordered = sorted(filings, key=lambda f: (f.released_at, f.id))
    first = ordered[0]
    mixed = len({f.stock_codes[:1] for f in ordered}) > 1
    who = "Watched stocks" if mixed else _who(first)
    n = len(ordered)
    blocks: list[dict[str, Any]] = [_header(f"{who}: {n} new filing{'s' * (n > 1)}")]
    lines = []
    for f in ordered[:MAX_LISTED]:
        what = " / ".join(f.categories) or f.kind.label
        prefix = f"{escape(_who(f))}: " if mixed else ""
        lines.append(f"• {prefix}{link(f.url, clip(f.title, 200) or 'Announcement')} "
                     f"_{escape(clip(what, 120))}_ · {f.released_at.astimezone(HKT):%d %b %H:%M}")
    if n > MAX_LISTED:
        lines.append(f"… and {n - MAX_LISTED} more")
    chunk: list[str] = []
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > SECTION_MAX - 100:
            blocks.append(_section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    blocks.append(_section("\n".join(chunk)))
    titles = "; ".join(escape(clip(f.title, 80)) for f in ordered[:3])
    text = f"{escape(who)}: {n} new filing{'s' * (n > 1)}: {titles}" + (" …" if n > 3 else "")
    return Message(channel, clip(text, TEXT_MAX), tuple(blocks[:MAX_BLOCKS]), tuple(f.id for f in ordered),
                   "filing")


# -- for the console ------------------------------------------------------------------------------------
_LINK = re.compile(r"<([^|>]+)\|([^>]*)>")


def _unslack(text: str) -> str:
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def as_text(message: Message) -> str:
    """A readable rendering of a message, channel first (what the console notifier prints)."""
    out = [f"── to {message.channel} ──"]
    for block in message.blocks:
        kind = block.get("type")
        if kind in ("header", "section") and block.get("text"):
            out.append(_unslack(block["text"]["text"]))
        elif kind == "context":
            out.append(" · ".join(_unslack(e.get("text", "")) for e in block.get("elements", [])))
        elif kind == "divider":
            out.append("")
    if not message.blocks:
        out.append(_unslack(message.text))
    return "\n".join(out)
