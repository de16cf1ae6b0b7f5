"""Real annual reports (83-190 pages, tests/fixtures/reports/) parse to the figures read from them by
hand (tests/parsers/truth.py, with the page of each); the fund's report is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from truth import FUND_REPORT, REPORTS, Truth

from parsers.errors import WrongDocumentError
from parsers.report import METRIC_NAMES, ResultsReport
from parsers.results import parse_results

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture(scope="module")
def parsed() -> dict[str, ResultsReport]:
    return {key: parse_results(FIXTURES / truth.file) for key, truth in REPORTS.items()}


# Figures the parser does not find yet, and why; each must come out missing, never wrong.
KNOWN_MISSES: dict[tuple[str, str], str] = {}
CASES = [pytest.param(key, name, id=f"{key}-{name}",
                      marks=[pytest.mark.xfail(reason=KNOWN_MISSES[(key, name)], strict=True)]
                      if (key, name) in KNOWN_MISSES else [])
         for key, truth in REPORTS.items() for name in METRIC_NAMES if name not in truth.ambiguous]


@pytest.mark.parametrize(("key", "name"), CASES)
def test_figure(parsed: dict[str, ResultsReport], key: str, name: str) -> None:
    metric = parsed[key].metric(name)
    current, prior = REPORTS[key].figures[name]
    for want, got in ((current, metric.current), (prior, metric.prior)):
        if want is None:
            assert got is None, f"{name}: the report does not state it, the parser gave {got}"
            assert metric.note
        else:
            assert got == pytest.approx(want, abs=1e-6), metric.note


@pytest.mark.parametrize("key", list(REPORTS))
def test_period_length_and_currency(parsed: dict[str, ResultsReport], key: str) -> None:
    truth: Truth = REPORTS[key]
    report = parsed[key]
    assert (report.kind, report.period_end, report.months) == (truth.kind, truth.period_end, truth.months)
    assert (report.currency, report.unit) == (truth.currency, truth.unit)
    assert report.stock_codes == truth.codes


@pytest.mark.parametrize("key", [k for k, t in REPORTS.items() if t.company])
def test_company(parsed: dict[str, ResultsReport], key: str) -> None:
    assert parsed[key].company == REPORTS[key].company


def test_known_misses_are_missing_not_wrong(parsed: dict[str, ResultsReport]) -> None:
    for key, name in KNOWN_MISSES:
        metric = parsed[key].metric(name)
        for want, got in zip(REPORTS[key].figures[name], (metric.current, metric.prior), strict=True):
            assert got is None or got == pytest.approx(want), (key, name)


def test_the_years_dividend_is_the_total_of_its_parts(parsed: dict[str, ResultsReport]) -> None:
    # Water Oasis p8: the full-year total as stated; Wisdom Education p131: interim + special (no final).
    water = parsed["01161"].metric("dividend_per_share")
    assert water.note and "as stated" in water.note and "final 0.165" in water.note
    wisdom = parsed["06068"].metric("dividend_per_share")
    assert (wisdom.page, wisdom.note) == (131, "the total of interim 0.067 + special 0.106")


def test_fund_report_is_refused() -> None:
    with pytest.raises(WrongDocumentError, match="not a results announcement: a fund"):
        parse_results(FIXTURES / FUND_REPORT)


def test_every_figure_says_where_it_came_from(parsed: dict[str, ResultsReport]) -> None:
    for key, report in parsed.items():
        for name, metric in report.metrics.items():
            if metric.current is not None and name != "dividend_per_share":
                assert metric.page and metric.statement and metric.label, (key, name)


def test_checks_vouch_for_figures(parsed: dict[str, ResultsReport]) -> None:
    # Ri Ying p67: gross profit = revenue - cost of sales; p68/p71: cash = closing cash in the cash flows.
    report = parsed["01741"]
    assert "gross profit = revenue - cost of sales" in report.metric("gross_profit").vouched_by
    assert "cash = cash flow statement's closing cash" in report.metric("cash").vouched_by
    # Emperor Capital p72: revenue is the subtotal of the two lines under its heading.
    assert "subtotal: the lines above add up to it" in parsed["00717"].metric("revenue").vouched_by


def test_every_voucher_is_a_passing_check(parsed: dict[str, ResultsReport]) -> None:
    for key, report in parsed.items():
        passed = {c.name for c in report.checks if c.ok}
        for name, metric in report.metrics.items():
            for voucher in metric.vouched_by:
                assert voucher.removesuffix(" (prior period)") in passed, (key, name, voucher)


@pytest.mark.parametrize("key", list(REPORTS))
def test_parse_reads_each_report_as_results(key: str) -> None:
    # China Creative (01678) opens with two image pages: the title pages alone carry no text.
    from parsers.kinds import DocumentKind
    from parsers.reading import read_document

    assert read_document(FIXTURES / REPORTS[key].file).kind is DocumentKind.RESULTS


@pytest.mark.parametrize(("key", "shows"), [("02324", False), ("06068", True), ("01161", True)])
def test_equity_statement_tells_whether_any_dividend_was_paid(key: str, shows: bool) -> None:
    # Capital VC p54 records no dividend; Wisdom Education p76 'Dividend recognised as distribution';
    # Water Oasis p65 '2021 interim dividend paid'. Where none was paid the notes need not be searched.
    from parsers.document import PdfSource
    from parsers.locate import equity_statement_shows_dividends, locate

    with PdfSource((FIXTURES / REPORTS[key].file).read_bytes()) as pdf:
        located = locate(pdf, lambda prose: (False, False))
        assert equity_statement_shows_dividends(pdf, located) is shows
