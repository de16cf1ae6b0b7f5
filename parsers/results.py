"""Parse a results announcement PDF into a ResultsReport: the entry point of the parsers package.

Cheap pass first (pypdfium2 text of each page, stopping once the statements and the dividend are
found), then the layout pass (pdfplumber words) on the statement pages only. The income statement
and balance sheet are the reference; highlights and cross-checks only vouch for or against them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from monitor.errors import NotResultsError
from parsers.checks import Outcome, arithmetic, highlight_lines, vouches
from parsers.dividends import Dividend, find_dividend
from parsers.document import PdfSource, read_source
from parsers.headings import heading_at
from parsers.labels import classify
from parsers.metadata import (
    Period,
    detect_language,
    find_company,
    find_kind,
    find_period,
    find_stock_codes,
    prior_end,
)
from parsers.numbers import is_note_ref, parse_figure
from parsers.report import METRIC_NAMES, PER_SHARE, Check, Metric, ResultsReport, change_pct
from parsers.statements import Figure, StatementReader, Statements
from parsers.units import Unit, detect_unit, per_share_scale

_FOLLOW_PAGES = 3  # a statement continues over at most this many further pages


@dataclass
class _Scan:
    is_page: int | None = None
    bs_page: int | None = None
    highlights: str = ""
    prose: list[str] = field(default_factory=list)
    dividend: Dividend | None = None
    forced: bool = False  # the income statement was found by its line items, not its title


def parse_results(source: bytes | str | os.PathLike[str], *, max_pages: int | None = None) -> ResultsReport:
    """Read a results announcement (bytes or a path) into a typed report. Pure: no network, no clock.

    Raises DocumentError when the bytes cannot be read as a PDF with text, NotResultsError when the
    document has no income statement."""
    data = read_source(source)
    with PdfSource(data, max_pages=max_pages) as pdf:
        pdf.require_text()
        first = pdf.text(0) + "\n" + (pdf.text(1) if pdf.page_count > 1 else "")
        period = find_period(first)
        kind = find_kind(pdf.text(0), period)
        scan = _scan(pdf, period, kind)
        if scan.is_page is None:
            scan.is_page = _statement_by_content(pdf)
            scan.forced = scan.is_page is not None
        if scan.is_page is None:
            raise NotResultsError(
                f"no income statement (statement of profit or loss) found in {pdf.page_count} pages; "
                "this does not look like a results announcement")
        statements = _read_statements(pdf, scan, period.months if period else None)
        language = detect_language(pdf.text(scan.is_page))
        if period is None:
            period = find_period(pdf.text(scan.is_page))
            kind = kind or find_kind("", period)
        unit = statements.unit or detect_unit(pdf.text(scan.is_page)) or detect_unit(first)
        eps_scale = per_share_scale(" ".join(
            line for page in {scan.is_page, scan.is_page + 1} if page < pdf.page_count
            for line in pdf.text(page).split("\n") if "per share" in line.lower() or "每股" in line))
        if period:
            scan.dividend = find_dividend("\n".join(scan.prose), year=period.end.year, kind=kind,
                                          currency=unit.currency if unit else None)
    warnings = list(statements.warnings)
    if scan.forced:
        warnings.append("no income statement title found; the statement was located by its line items")
    metrics, checks = _metrics(statements, unit, scan, warnings, eps_scale)
    return ResultsReport(
        company=find_company(first, language),
        stock_codes=find_stock_codes(first),
        kind=kind,
        period_end=period.end if period else None,
        months=period.months if period else None,
        prior_period_end=prior_end(period.end) if period else None,
        currency=unit.currency if unit else None,
        language=language,
        metrics=metrics,
        checks=tuple(checks),
        warnings=tuple(dict.fromkeys(warnings)),
        unit=unit.label if unit else None,
    )


def _scan(pdf: PdfSource, period: Period | None, kind: str | None) -> _Scan:
    """Find the statement pages and the dividend statement, reading page text only as far as needed."""
    scan = _Scan()
    for index in range(pdf.page_count):
        text = pdf.text(index)
        lines = text.split("\n")
        for number, line in enumerate(lines):
            heading = heading_at(lines, number)
            if heading == "is" and scan.is_page is None and _has_figures(text):
                scan.is_page = index
                scan.highlights += text[: text.find(line)]
            elif heading == "bs" and scan.bs_page is None and _has_figures(text):
                scan.bs_page = index
        if scan.is_page is None and index < 4:
            scan.highlights += text + "\n"
        if "ividend" in text or "股息" in text:
            scan.prose.append(text)
            if period and scan.is_page is not None and scan.bs_page is not None:
                found = find_dividend("\n".join(scan.prose), year=period.end.year, kind=kind)
                if found.current is not None:
                    scan.dividend = found
        if scan.dividend is not None and scan.bs_page is not None and index > scan.bs_page:
            break
    return scan


_INCOME_LINES = frozenset({"revenue", "cost_of_sales", "gross_profit", "profit_before_tax", "income_tax",
                           "profit_for_period"})


def _statement_by_content(pdf: PdfSource) -> int | None:
    """The page with the most income-statement line items, for a statement whose title we missed."""
    best, best_score = None, 0
    for index in range(pdf.page_count):
        kinds: set[str] = set()
        for line in pdf.text(index).split("\n"):
            words = line.split()
            if len(words) >= 3 and all(parse_figure(w) is not None for w in words[-2:]):
                kinds.update(classify(" ".join(w for w in words[:-2] if not is_note_ref(w))))
        score = len(kinds & _INCOME_LINES)
        if score > best_score:
            best, best_score = index, score
    return best if best_score >= 4 else None


def _has_figures(text: str) -> bool:
    """At least a handful of lines ending in two figures: a statement, not a contents page."""
    rows = 0
    for line in text.split("\n"):
        tail = line.split()[-2:]
        if len(tail) == 2 and all(any(c.isdigit() for c in t) and any(m in t for m in ",(.") for t in tail):
            rows += 1
    return rows >= 4


def _read_statements(pdf: PdfSource, scan: _Scan, months: int | None) -> Statements:
    """Lay out the statement pages, following a statement onto the next page while it is open."""
    reader = StatementReader(months)
    targets = sorted({p for p in (scan.is_page, scan.bs_page) if p is not None})
    page, last = targets[0], targets[-1] + _FOLLOW_PAGES
    while page < pdf.page_count:
        lines, width = pdf.lines(page)
        reader.feed(lines, width, start="is" if scan.forced and page == scan.is_page else None)
        later = [t for t in targets if t > page]
        if reader.in_statement and not reader.complete() and page < last:
            page += 1
        elif later:
            page = later[0]
        else:
            break
    return reader.result


def _metrics(statements: Statements, unit: Unit | None, scan: _Scan, warnings: list[str],
             eps_scale: float | None) -> tuple[dict[str, Metric], list[Check]]:
    figures = {k: (replace(f, per_share_scale=eps_scale) if k.startswith("eps_") and f.per_share_scale is None
                   else f) for k, f in statements.figures.items()}
    current = {k: f.current for k, f in figures.items()}
    prior = {k: f.prior for k, f in figures.items()}
    outcomes = arithmetic(current, prior)
    confirmed = {(k, o.period) for o in outcomes if o.ok for k in o.involved}
    checks = [Check(o.name, o.ok, o.detail) for o in outcomes]
    lines = highlight_lines(scan.highlights)
    for kind, figure in figures.items():
        scale = _per_share_factor(figure) if kind.startswith("eps_") else 1.0
        for period, value in (("current", figure.current), ("prior", figure.prior)):
            rows = [line for line in lines if kind in line.kinds]
            if value is None or not rows:
                continue
            if any(vouches(line, value, scale or 1.0) for line in rows):
                confirmed.add((kind, period))
            elif period == "current" and kind in METRIC_NAMES:
                checks.append(Check(f"highlights agree: {kind}", False,
                                    f"highlights row {rows[0].text!r} does not show the statement's "
                                    f"{value:,.6g}"))
                warnings.append(f"highlights disagree with the statement on {kind}; the statement figure "
                                f"is used")
    repeat = statements.comprehensive.get("profit_for_period")
    if repeat is not None and "profit_for_period" in figures:
        for period in ("current", "prior"):
            if getattr(repeat, period) == getattr(figures["profit_for_period"], period) is not None:
                confirmed.add(("profit_for_period", period))
    distrust = _distrust(outcomes, confirmed, warnings)
    for kind, reason in statements.conflicts.items():
        distrust.setdefault((kind, "current"), reason)
        distrust.setdefault((kind, "prior"), reason)
    metrics = {name: _metric(name, figures, unit, distrust, statements.seen) for name in METRIC_NAMES
               if name != "dividend_per_share"}
    metrics = _eps_signs(metrics, checks)
    metrics["dividend_per_share"] = _dividend(scan.dividend, unit)
    return metrics, checks


def _distrust(outcomes: list[Outcome], confirmed: set[tuple[str, str]],
              warnings: list[str]) -> dict[tuple[str, str], str]:
    """Figures to drop: those in a failed check that nothing else vouches for."""
    distrust: dict[tuple[str, str], str] = {}
    for outcome in outcomes:
        if outcome.ok:
            continue
        suspects = [k for k in outcome.involved if (k, outcome.period) not in confirmed]
        if not suspects:
            warnings.append(f"check failed but each figure is vouched for elsewhere: {outcome.detail}")
        for kind in suspects:
            distrust.setdefault((kind, outcome.period), f"failed check {outcome.name} ({outcome.detail})")
    return distrust


def _per_share_factor(figure: Figure) -> float | None:
    return figure.per_share_scale


def _metric(name: str, figures: dict[str, Figure], unit: Unit | None, distrust: dict[tuple[str, str], str],
            seen_statements: set[str]) -> Metric:
    figure = figures.get(name)
    note: str | None = None
    if figure is None and name == "total_equity" and "net_assets" in figures:
        figure, note = figures["net_assets"], "from net assets (equal to total equity)"
    if figure is None:
        where = "balance sheet" if name in ("total_equity", "cash") else "income statement"
        seen = "bs" if where == "balance sheet" else "is"
        if seen not in seen_statements:
            return Metric(name, None, None, note=f"no {where} found")
        return Metric(name, None, None, note=f"not stated in the {where}")
    values: list[float | None] = []
    notes = [note] if note else []
    for period, value in (("current", figure.current), ("prior", figure.prior)):
        key = (figure.kind, period)
        if value is None:
            notes.append(f"{period} figure not stated")
        elif key in distrust:
            notes.append(f"{period} not trusted: {distrust[key]}")
            value = None
        values.append(value)
    scaled = [_scale(name, v, figure, unit, notes) for v in values]
    return Metric(name, scaled[0], scaled[1], change_pct(scaled[0], scaled[1]), figure.page,
                  "; ".join(dict.fromkeys(notes)) or None)


def _scale(name: str, value: float | None, figure: Figure, unit: Unit | None,
           notes: list[str]) -> float | None:
    if value is None:
        return None
    if name in PER_SHARE:
        factor = figure.per_share_scale
        if factor is None:
            if abs(value) >= 10:
                notes.append("per-share unit not stated and the figure is too large to be in currency units")
                return None
            notes.append("per-share unit not stated; read as currency units")
            factor = 1.0
        if figure.loss_heading and value > 0:
            value = -value
        return round(value * factor, 6)
    amount_unit = figure.unit or unit
    if amount_unit is None:
        notes.append("amount unit (e.g. RMB'000) not stated")
        return None
    return round(value * amount_unit.scale, 2)


def _eps_signs(metrics: dict[str, Metric], checks: list[Check]) -> dict[str, Metric]:
    """EPS must have the sign of the profit attributable to owners; a mismatch is a misread."""
    owners = metrics.get("profit_attributable")
    out = dict(metrics)
    for name in ("eps_basic", "eps_diluted"):
        eps = metrics.get(name)
        if eps is None or owners is None:
            continue
        cur, pri = eps.current, eps.prior
        for attr in ("current", "prior"):
            e, p = getattr(eps, attr), getattr(owners, attr)
            if e is not None and p is not None and e != 0 and p != 0 and (e < 0) != (p < 0):
                checks.append(Check(f"{name} sign matches profit attributable", False,
                                    f"{attr}: EPS {e} vs attributable {p:,.0f}"))
                if attr == "current":
                    cur = None
                else:
                    pri = None
        if (cur, pri) != (eps.current, eps.prior):
            note = "; ".join(n for n in (eps.note, "sign disagrees with profit attributable") if n)
            out[name] = Metric(name, cur, pri, change_pct(cur, pri), eps.page, note)
    return out


def _dividend(dividend: Dividend | None, unit: Unit | None) -> Metric:
    if dividend is None:
        return Metric("dividend_per_share", None, None, note="period not found, so the dividend was not read")
    note = dividend.note
    if dividend.current and dividend.currency and unit and dividend.currency != unit.currency:
        note = f"declared in {dividend.currency}"
    return Metric("dividend_per_share", dividend.current, dividend.prior,
                  change_pct(dividend.current, dividend.prior), None, note)
