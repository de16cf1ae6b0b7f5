"""Parse a results announcement PDF into a ResultsReport: the entry point of the parsers package.

Cheap pass first (``parsers.locate``: bookmarks, else pdfium text of each page until the statements
and the dividend are found), then the layout pass (positioned words) on the statement pages only.
The income statement and balance sheet are the reference; highlights, the cash flow statement and
arithmetic cross-checks vouch for or against them, and a figure a failed check casts doubt on, that
nothing else vouches for, is dropped with the reason.
"""

from __future__ import annotations

import os
import re

from parsers.dividends import find_dividend, find_dividend_in_pages
from parsers.document import PdfSource, read_source
from parsers.eps_note import attributable_from_eps_note
from parsers.errors import WrongDocumentError
from parsers.kinds import refuse_other_documents
from parsers.locate import Located, dividend_note, equity_statement_shows_dividends, locate, page_text
from parsers.metadata import (
    Period,
    detect_language,
    find_company,
    find_kind,
    find_period,
    find_span_period,
    find_stock_codes,
    find_undated_period,
    prior_end,
)
from parsers.metrics import Metrics, PeriodDividend
from parsers.numbers import parse_figure
from parsers.report import ResultsReport
from parsers.statements import StatementReader, Statements
from parsers.units import Unit, detect_scale_with_currency, detect_unit, per_share_scale

_FOLLOW_PAGES = 3  # a statement continues over at most this many further pages


def parse_results(source: bytes | str | os.PathLike[str], *, max_pages: int | None = None) -> ResultsReport:
    """Read a results announcement (bytes or a path) into a typed report. Pure: no network, no clock.

    Raises UnreadablePdfError when the bytes cannot be read as a PDF with text, WrongDocumentError
    ("... not a results announcement") when the document is of another kind or has no income statement."""
    data = read_source(source)
    with PdfSource(data, max_pages=max_pages) as pdf:
        pdf.require_text()
        cover = page_text(pdf, 0)
        first = cover + "\n" + (page_text(pdf, 1) if pdf.page_count > 1 else "")
        refuse_other_documents(cover)
        period = find_period(first)
        kind = find_kind(cover, period)

        def states_dividend(prose: list[str]) -> tuple[bool, bool]:
            if period is None:
                return False, False
            found = find_dividend_in_pages(prose, year=period.end.year, kind=kind, end_month=period.end.month)
            return found.current is not None and found.complete, found.prior is not None

        located = locate(pdf, states_dividend)
        if located.income is None:
            # What the pages read say the document is (a prospectus's Track Record Period), if anything.
            refuse_other_documents(cover, prose=first, statement="\n".join(
                [located.highlights] + [text for _, text in located.prose]))
            raise WrongDocumentError(
                f"not a results announcement: no income statement (statement of profit or loss) found in "
                f"{pdf.page_count} pages")
        income_text = page_text(pdf, located.income)
        refuse_other_documents(cover, prose=first, statement=income_text + "\n" + (
            page_text(pdf, located.balance) if located.balance is not None else ""))
        if period is None:
            period = (find_period(located.highlights) or find_period(income_text)
                      or find_span_period(income_text) or find_span_period(first))
        statements = _read_statements(pdf, located, period.months if period else None)
        if period is None and statements.current_year:
            period = find_undated_period(income_text, statements.current_year) or find_undated_period(
                first, statements.current_year)
        kind = kind or find_kind("", period)
        language = detect_language(income_text)
        unit = (statements.unit or detect_unit(income_text)
                or detect_scale_with_currency(income_text, income_text + "\n" + first) or detect_unit(first))
        eps_scale = per_share_scale(" ".join(
            line for page in {located.income, located.income + 1} if page < pdf.page_count
            for line in page_text(pdf, page).split("\n")
            if ("per share" in line.lower() or "每股" in line)
            and not re.search(r"dividend|股息", line, re.I)))
        dividend = _find_dividend(located, period, kind, unit)
        if dividend is not None and not dividend.found.complete and (
                kind != "final" or equity_statement_shows_dividends(pdf, located) is not False):
            # The parts of the year's dividend may be listed only in the dividends note (unless the
            # statement of changes in equity shows no dividend was paid at all).
            located.prose += dividend_note(pdf, located)
            dividend = _find_dividend(located, period, kind, unit)
        closing_cash = _closing_cash(pdf, located)
        eps_note = (None if "profit_attributable" in statements.figures
                    else attributable_from_eps_note(pdf, located))
        company = find_company(first, language) or _company_from_pages(pdf, located)
        codes = find_stock_codes(first) or _codes_from_pages(pdf, located)
    warnings = list(statements.warnings)
    if located.forced:
        warnings.append("no income statement title found; the statement was located by its line items")
    if located.scrambled:
        pages = ", ".join(str(p + 1) for p in sorted(located.scrambled))
        warnings.append(f"page text drawn out of reading order (pages {pages}); read from glyph positions")
    metrics, checks = Metrics(statements, unit, located, warnings, eps_scale, closing_cash,
                              eps_note).build(dividend)
    return ResultsReport(
        company=company,
        stock_codes=codes,
        kind=kind,
        period_end=period.end if period else None,
        months=period.months if period else None,
        prior_period_end=prior_end(period.end) if period else None,
        currency=unit.currency if unit else None,
        language=language,
        metrics=metrics,
        checks=tuple(checks),
        warnings=tuple(dict.fromkeys(statements.notes + warnings)),
        unit=unit.label if unit else None,
    )


def _read_statements(pdf: PdfSource, located: Located, months: int | None) -> Statements:
    """Lay out the statement pages, following a statement onto the next page while it is open."""
    reader = StatementReader(months)
    targets = sorted({p for p in (located.income, located.balance) if p is not None})
    page, last = targets[0], targets[-1] + _FOLLOW_PAGES
    while page < pdf.page_count:
        lines, width = pdf.lines(page)
        reader.feed(lines, width, start="is" if located.forced and page == located.income else None)
        later = [t for t in targets if t > page]
        if reader.in_statement and not reader.complete() and page < last:
            page += 1
        elif later:
            page = later[0]
        else:
            break
    return reader.result


def _find_dividend(located: Located, period: Period | None, kind: str | None,
                   unit: Unit | None) -> PeriodDividend | None:
    if period is None:
        return None
    currency = unit.currency if unit else None
    end = period.end
    found = find_dividend("\n".join(text for _, text in located.prose), year=end.year, kind=kind,
                          currency=currency, end_month=end.month)
    page = None
    if found.current is not None:
        alone = {index: find_dividend(text, year=end.year, kind=kind, currency=currency, end_month=end.month)
                 for index, text in located.prose}
        # The page that states it all, else the first page that states a part of it (a total added up from
        # a note and the directors' report).
        pages = [i for i, d in alone.items() if d.current == found.current] or [
            i for i, d in alone.items() if d.current or (d.note or "").startswith("only part")]
        page = min(pages) + 1 if pages else None
    return PeriodDividend(found, page)


_CLOSING = re.compile(r"cash and cash equivalents,? (?:at|as at) (?:the )?end of (?:the )?(?:year|period|"
                      r"financial year|reporting period)|"
                      r"(?:期末|年末|年終|期終|年底)(?:之|的)?現金及現金等價物|"
                      r"於(?:期|年)末之現金及現金等價物", re.I)


def _closing_cash(pdf: PdfSource, located: Located) -> tuple[float, float] | None:
    """Cash and cash equivalents at the end of the period, as the cash flow statement prints it."""
    if located.cash_flow is None:
        return None
    for index in range(located.cash_flow, min(located.cash_flow + 3, pdf.page_count)):
        lines = page_text(pdf, index).split("\n")
        for number, line in enumerate(lines):
            if not _CLOSING.search(line):
                continue
            for candidate in lines[number:number + 4]:
                figures = [v for v in (parse_figure(t) for t in candidate.split()[-2:]) if v is not None]
                tokens = candidate.split()[-2:]
                if len(figures) == 2 and all(any(c.isdigit() for c in t) for t in tokens):
                    return figures[0], figures[1]
    return None


_LEGAL = r"(?:Limited|LIMITED|Ltd\.?|LTD\.?|Inc\.|INC\.|Corporation|CORPORATION|plc|PLC|Co\., Ltd\.)"
_COMPANY_LINE = re.compile(rf"(?:^|\s)(?P<name>[A-Z][A-Za-z&.,'’()\- ]{{2,80}}? {_LEGAL})(?=\s|$)")
_ADDRESSEE = re.compile(rf"to the (?:shareholders|members) of\s+"
                        rf"(?P<name>[A-Za-z0-9&.,'’()\- \n]{{3,90}}?{_LEGAL})",
                        re.I)
_CODE_AFTER = re.compile(r"(?:stock\s+code|股份代號|股份代号)\s*[:：]?\s*\n?\s*(?:[A-Za-z ]+:\s*)?"
                         r"(?P<code>\d{1,5})\b",
                         re.I)


def _company_from_pages(pdf: PdfSource, located: Located) -> str | None:
    """A report's name: the running header or footer its statement pages share, else the auditor's
    report addressed "To the shareholders of ..."."""
    pages = [p for p in (located.income, located.balance) if p is not None]
    if len(pages) == 2:
        names = [{m.group("name").strip() for line in page_text(pdf, p).split("\n")
                  for m in _COMPANY_LINE.finditer(line)} for p in pages]
        common = sorted(names[0] & names[1], key=len, reverse=True)
        common = [n for n in common if not re.search(r"exchange|clearing|auditor|cpa|bank", n, re.I)]
        if common:
            return common[0]
    for index in located.sections.get("auditor", [])[:2]:
        match = _ADDRESSEE.search(page_text(pdf, index))
        if match:
            return re.sub(r"\s+", " ", match.group("name")).strip()
    return None


def _codes_from_pages(pdf: PdfSource, located: Located) -> tuple[str, ...]:
    """A report's stock code from its corporate information page ("STOCK CODE" over "1161")."""
    pages = list(range(min(6, pdf.page_count))) + located.sections.get("corporate", [])[:3]
    for index in pages:
        match = _CODE_AFTER.search(page_text(pdf, index))
        if match:
            return (match.group("code").zfill(5),)
    return ()
