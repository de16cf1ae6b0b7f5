"""The layouts issue 18 names, each a named test on a document tests/fixtures/make_layouts.py typesets
(the figures typeset there are the truth here): the PRC (CAS) format in English and Chinese,
discontinued operations printed without a total, interim balance sheets over two pages, a year's
dividend in parts, and a full annual report (five-year summary, the company's own balance sheet among
the notes) with and without bookmarks.

Amounts in absolute units (yuan with fen where the document prints them), per-share figures in
currency units.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from truth import LAYOUTS as LAYOUT_TRUTH

from parsers.report import ResultsReport
from parsers.results import parse_results

LAYOUTS = Path(__file__).parent.parent / "fixtures" / "layouts"
DOCS = {
    "cas_en": "cas-interim-report-en-2022.pdf",
    "cas_zh": "cas-interim-report-zh-2022.pdf",
    "discontinued": "discontinued-no-total-2024.pdf",
    "interim_bs": "interim-balance-sheet-2025.pdf",
    "zh_interim_bs": "zh-interim-balance-sheet-2025.pdf",
    "dividend_parts": "dividend-parts-final-2024.pdf",
    "full_bookmarked": "full-annual-report-bookmarked-2024.pdf",
    "full_plain": "full-annual-report-plain-2024.pdf",
    "eps_note": "attributable-in-eps-note-2025.pdf",
}


@pytest.fixture(scope="module")
def parsed() -> dict[str, ResultsReport]:
    return {key: parse_results(LAYOUTS / name) for key, name in DOCS.items()}


def figures(report: ResultsReport, name: str) -> tuple[float | None, float | None]:
    metric = report.metric(name)
    return metric.current, metric.prior


CAS = ("cas_en", "cas_zh")


@pytest.mark.parametrize("key", CAS)
def test_cas_period_from_its_months_and_unit_yuan(
        parsed: dict[str, ResultsReport], key: str) -> None:
    report = parsed[key]
    assert (report.kind, report.period_end, report.months, report.prior_period_end) == (
        "interim", date(2022, 6, 30), 6, date(2021, 6, 30))
    assert report.currency == "RMB" and report.unit in ("Yuan", "元")
    assert report.stock_codes == ("01872",)


@pytest.mark.parametrize("key", CAS)
def test_cas_total_operating_revenue_in_whole_yuan(
        parsed: dict[str, ResultsReport], key: str) -> None:
    assert figures(parsed[key], "revenue") == (12_345_678_901.23, 10_987_654_321.00)


@pytest.mark.parametrize("key", CAS)
def test_cas_operating_profit_total_profit_and_net_profit(
        parsed: dict[str, ResultsReport], key: str) -> None:
    report = parsed[key]
    assert figures(report, "operating_profit") == (2_058_025_579.13, 1_530_863_086.55)
    assert figures(report, "profit_before_tax") == (2_060_247_800.25, 1_532_221_111.13)  # "Total profit"
    assert figures(report, "profit_for_period") == (1_759_013_232.36, 1_282_097_654.35)
    assert "profit = profit before tax - tax" in report.metric("profit_before_tax").vouched_by


@pytest.mark.parametrize("key", CAS)
def test_cas_attributable_profit_classified_by_ownership(
        parsed: dict[str, ResultsReport], key: str) -> None:
    report = parsed[key]
    assert figures(report, "profit_attributable") == (1_671_358_911.35, 1_216_665_544.48)
    assert "profit = attributable to owners + non-controlling interests" in report.metric(
        "profit_attributable").vouched_by


@pytest.mark.parametrize("key", CAS)
def test_cas_has_no_gross_profit_and_none_is_derived(
        parsed: dict[str, ResultsReport], key: str) -> None:
    metric = parsed[key].metric("gross_profit")
    assert (metric.current, metric.prior) == (None, None)
    assert metric.note and "no gross profit line" in metric.note


@pytest.mark.parametrize("key", CAS)
def test_cas_eps_in_yuan_per_share(
        parsed: dict[str, ResultsReport], key: str) -> None:
    assert figures(parsed[key], "eps_basic") == (0.52, 0.45)
    assert figures(parsed[key], "eps_diluted") == (0.52, 0.45)


@pytest.mark.parametrize("key", CAS)
def test_cas_balance_sheet_not_the_parent_companys(
        parsed: dict[str, ResultsReport], key: str) -> None:
    report = parsed[key]
    # The parent company's balance sheet follows with cash 9,876,543,210.98 and equity 7,654,321,098,765.
    assert figures(report, "cash") == (23_456_789_012.34, 21_098_765_432.10)
    assert figures(report, "total_equity") == (103_333_322_233.32, 99_753_208_641.97)
    assert report.metric("cash").page == 3 and report.metric("total_equity").page == 3


@pytest.mark.parametrize("key", CAS)
def test_cas_income_statement_not_the_parent_companys(
        parsed: dict[str, ResultsReport], key: str) -> None:
    report = parsed[key]
    assert all(m.page != 6 for m in report.metrics.values())  # page 6 is the parent's income statement
    assert not any("disagree" in w for w in report.warnings if "revenue" in w or "cash" in w)


@pytest.mark.parametrize("key", CAS)
def test_cas_board_distributes_no_interim_dividend(
        parsed: dict[str, ResultsReport], key: str) -> None:
    assert parsed[key].metric("dividend_per_share").current == 0.0


def test_profit_is_continuing_plus_discontinued_when_no_total_is_printed(
        parsed: dict[str, ResultsReport]) -> None:
    report = parsed["discontinued"]
    profit = report.metric("profit_for_period")
    assert (profit.current, profit.prior) == (19_000_000.0, 23_500_000.0)  # 25,000 - 6,000; 20,500 + 3,000
    assert profit.note and "continuing + discontinued" in profit.note
    assert "profit = attributable to owners + non-controlling interests" in profit.vouched_by


def test_profit_for_the_year_under_a_continuing_heading_is_not_the_total(
        parsed: dict[str, ResultsReport]) -> None:
    report = parsed["discontinued"]
    assert figures(report, "profit_before_tax") == (30_000_000.0, 24_500_000.0)
    assert "continuing operations" in (report.metric("revenue").note or "")


def test_eps_from_continuing_operations_only_is_not_total_eps(
        parsed: dict[str, ResultsReport]) -> None:
    for name in ("eps_basic", "eps_diluted"):
        metric = parsed["discontinued"].metric(name)
        assert (metric.current, metric.prior) == (None, None)
        assert metric.note and "only the figure from continuing operations" in metric.note


@pytest.mark.parametrize("key", ["interim_bs", "zh_interim_bs"])
def test_interim_balance_sheet_over_two_pages(
        parsed: dict[str, ResultsReport], key: str) -> None:
    report = parsed[key]
    total = report.metric("total_equity")
    assert (total.current, total.prior, total.page) == (190_100_000.0, 184_500_000.0, 3)
    assert report.prior_period_end == date(2024, 6, 30)


@pytest.mark.parametrize(("key", "label"), [("interim_bs", "Cash and bank balances"),
                                            ("zh_interim_bs", "現金及銀行結餘")])
def test_cash_and_bank_balances_says_which_line(
        parsed: dict[str, ResultsReport], key: str, label: str) -> None:
    cash = parsed[key].metric("cash")
    assert (cash.current, cash.prior, cash.label) == (72_100_000.0, 68_400_000.0, label)
    assert cash.note and label in cash.note


def test_board_resolved_not_to_declare_an_interim_dividend(
        parsed: dict[str, ResultsReport]) -> None:
    assert figures(parsed["interim_bs"], "dividend_per_share") == (0.0, 0.0)


def test_chinese_board_does_not_recommend_an_interim_dividend_without_comparative(
        parsed: dict[str, ResultsReport]) -> None:
    assert figures(parsed["zh_interim_bs"], "dividend_per_share") == (0.0, None)


def test_years_dividend_is_interim_from_the_note_plus_final_and_special(
        parsed: dict[str, ResultsReport]) -> None:
    dividend = parsed["dividend_parts"].metric("dividend_per_share")
    # interim HK6 cents (note 7) + final HK12 cents + special HK5 cents; 2023: 5 + 10 + nil
    assert (dividend.current, dividend.prior) == (pytest.approx(0.23), pytest.approx(0.15))
    assert dividend.note == "the total of interim 0.06 + final 0.12 + special 0.05"


FULL = ("full_bookmarked", "full_plain")


@pytest.mark.parametrize("key", FULL)
def test_full_report_reads_the_consolidated_statements(parsed: dict[str, ResultsReport], key: str) -> None:
    report = parsed[key]
    assert (report.company, report.stock_codes, report.kind, report.period_end) == (
        "Harbour Crest Holdings Limited", ("01638",), "final", date(2024, 12, 31))
    assert figures(report, "revenue") == (812_400_000.0, 760_300_000.0)
    assert figures(report, "profit_attributable") == (76_900_000.0, 70_800_000.0)
    assert figures(report, "eps_basic") == (pytest.approx(0.2563), pytest.approx(0.2360))


@pytest.mark.parametrize("key", FULL)
def test_full_report_balance_sheet_is_the_groups_not_the_companys(
        parsed: dict[str, ResultsReport], key: str) -> None:
    # Note 38 prints the Company's own statement of financial position: total equity 402,600.
    report = parsed[key]
    assert figures(report, "total_equity") == (1_020_300_000.0, 968_700_000.0)
    assert figures(report, "cash") == (211_800_000.0, 190_400_000.0)


@pytest.mark.parametrize("key", FULL)
def test_full_report_dividend_is_the_years_total(parsed: dict[str, ResultsReport], key: str) -> None:
    dividend = parsed[key].metric("dividend_per_share")
    assert (dividend.current, dividend.prior) == (pytest.approx(0.25), pytest.approx(0.22))


def test_attributable_profit_stated_only_in_the_eps_note(parsed: dict[str, ResultsReport]) -> None:
    owners = parsed["eps_note"].metric("profit_attributable")
    # "the loss for the period attributable to owners of the Company of approximately HK$3,150,000
    # (2024: a profit of HK$1,800,000)"
    assert (owners.current, owners.prior) == (-3_150_000.0, 1_800_000.0)
    assert owners.statement == "earnings per share note"
    assert owners.note and "earnings per share note" in owners.note
    assert "attributable = profit (no non-controlling interests)" in owners.vouched_by


@pytest.fixture(scope="module")
def layouts_parsed() -> dict[str, ResultsReport]:
    return {key: parse_results(LAYOUTS.parent / truth.file) for key, truth in LAYOUT_TRUTH.items()}


@pytest.mark.parametrize("key", list(LAYOUT_TRUTH))
def test_every_typeset_figure_and_the_metadata(layouts_parsed: dict[str, ResultsReport], key: str) -> None:
    truth, report = LAYOUT_TRUTH[key], layouts_parsed[key]
    assert (report.kind, report.period_end, report.months, report.currency, report.unit) == (
        truth.kind, truth.period_end, truth.months, truth.currency, truth.unit)
    assert (report.company, report.stock_codes) == (truth.company, truth.codes)
    for name, (current, prior) in truth.figures.items():
        metric = report.metric(name)
        for want, got in ((current, metric.current), (prior, metric.prior)):
            assert got == (None if want is None else pytest.approx(want, abs=1e-6)), (name, metric.note)


def test_a_five_year_summary_with_statement_titles_is_not_the_statements(
        parsed: dict[str, ResultsReport]) -> None:
    # Page 2 repeats "CONSOLIDATED STATEMENT OF PROFIT OR LOSS" over four years' columns; the statements
    # are on pages 24-25.
    report = parsed["full_plain"]
    assert report.metric("revenue").page == 24 and report.metric("total_equity").page == 25
    assert figures(report, "cash") == (211_800_000.0, 190_400_000.0)


def test_a_rounded_eps_note_figure_that_disagrees_with_the_profit_is_dropped(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(LAYOUTS.parent))
    try:
        from make_traps import Doc
    finally:
        sys.path.remove(str(LAYOUTS.parent))
    doc = Doc()
    doc.cover(("Rounded Holdings Limited", 14), ("(Stock Code: 321)", 9))
    doc.text("INTERIM RESULTS ANNOUNCEMENT FOR THE SIX MONTHS ENDED 30 JUNE 2025", size=12, align="C")
    doc.text("CONDENSED CONSOLIDATED STATEMENT OF PROFIT OR LOSS", size=11, gap=0)
    doc.rows([("", "", "2025", "2024"), ("", "Notes", "HK$'000", "HK$'000"),
              ("Revenue", "", "50,000", "40,000"), ("Profit before tax", "", "8,000", "5,000"),
              ("Income tax expense", "", "(1,250)", "(800)"),
              ("Profit for the period", "", "6,750", "4,200")])
    doc.text("5. EARNINGS PER SHARE", size=10)
    doc.text("The calculation of basic earnings per share is based on the profit for the period attributable "
             "to owners of the Company of approximately HK$6.8 million (2024: HK$4.2 million).")
    path = tmp_path / "rounded.pdf"
    doc.pdf.output(str(path))
    owners = parse_results(path).metric("profit_attributable")
    assert (owners.current, owners.prior) == (None, 4_200_000.0)  # 6.8 million is not 6,750 thousand
    assert owners.note and "not trusted" in owners.note
