"""The traps real announcements set, each a named test on a generated document
(tests/fixtures/make_traps.py typesets them; the figures there are the truth here).

Amounts in absolute units, per-share figures in currency units.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from parsers.errors import WrongDocumentError
from parsers.report import ResultsReport
from parsers.results import parse_results

FIXTURES = Path(__file__).parent.parent / "fixtures"
K, M = 1000.0, 1_000_000.0
TRAP_DOCS = {
    "zh_final": "traps/zh-final-hkd-2014.pdf",
    "zh_mainland": "traps/zh-mainland-interim-2025.pdf",
    "zh_loss": "traps/zh-loss-march-2024.pdf",
    "discontinued": "traps/continuing-discontinued-2025.pdf",
    "three_six": "traps/three-and-six-months-2025.pdf",
    "broker": "traps/broker-subtotals-2024.pdf",
    "decoys": "traps/decoys-misprint-kerning-2025.pdf",
    "shuffled": "traps/shuffled-statement-2025.pdf",
    "bank": "traps/bank-final-2024.pdf",
}


@pytest.fixture(scope="module")
def traps() -> dict[str, ResultsReport]:
    return {key: parse_results(FIXTURES / name) for key, name in TRAP_DOCS.items()}


def figures(report: ResultsReport, name: str) -> tuple[float | None, float | None]:
    metric = report.metric(name)
    return metric.current, metric.prior


def test_turnover_in_chinese_is_revenue(traps: dict[str, ResultsReport]) -> None:
    report = traps["zh_final"]
    assert figures(report, "revenue") == (602_624 * K, 604_013 * K)
    assert report.metric("revenue").label == "營業額"


def test_chinese_cover_gives_company_and_code(traps: dict[str, ResultsReport]) -> None:
    report = traps["zh_final"]
    assert (report.company, report.stock_codes, report.language) == ("華南精密控股有限公司", ("00888",), "zh")


def test_chinese_numeral_period_and_undated_statement_header(traps: dict[str, ResultsReport]) -> None:
    report = traps["zh_final"]
    assert (report.kind, report.period_end, report.months, report.prior_period_end) == (
        "final", date(2014, 12, 31), 12, date(2013, 12, 31))
    assert (report.currency, report.unit) == ("HKD", "千港元")


def test_chinese_statement_figures(traps: dict[str, ResultsReport]) -> None:
    report = traps["zh_final"]
    assert figures(report, "gross_profit") == (366_716 * K, 380_126 * K)
    assert figures(report, "profit_before_tax") == (79_047 * K, 110_743 * K)
    assert figures(report, "profit_for_period") == (58_811 * K, 93_021 * K)
    assert figures(report, "profit_attributable") == (57_954 * K, 92_100 * K)
    assert figures(report, "eps_basic") == (pytest.approx(0.1492), pytest.approx(0.2363))
    assert figures(report, "eps_diluted") == (pytest.approx(0.1488), pytest.approx(0.2363))
    assert figures(report, "total_equity") == (682_495 * K, 455_104 * K)


def test_cash_beside_pledged_deposits_in_chinese(traps: dict[str, ResultsReport]) -> None:
    assert figures(traps["zh_final"], "cash") == (141_285 * K, 60_907 * K)
    assert traps["zh_final"].metric("cash").label == "銀行結餘及現金"


def test_chinese_dividend_with_numeral_years_and_dividends_payable(traps: dict[str, ResultsReport]) -> None:
    # 應付股息 (dividends payable, 15,000 in 2013) is a balance, not a dividend per share.
    assert figures(traps["zh_final"], "dividend_per_share") == (pytest.approx(0.08), 0.0)


def test_pbt_in_mainland_wording_is_not_operating_profit(traps: dict[str, ResultsReport]) -> None:
    report = traps["zh_mainland"]
    assert figures(report, "profit_before_tax") == (55_700 * K, 47_100 * K)
    assert report.metric("profit_before_tax").label == "除所得稅費用前營業利潤"
    assert figures(report, "operating_profit") == (60_200 * K, 50_900 * K)
    assert report.metric("operating_profit").label == "經營利潤"


def test_mainland_revenue_attributable_and_unit_over_two_lines(traps: dict[str, ResultsReport]) -> None:
    report = traps["zh_mainland"]
    assert (report.currency, report.unit, report.months, report.period_end) == (
        "RMB", "人民幣千元", 6, date(2025, 6, 30))
    assert figures(report, "revenue") == (380_250 * K, 331_800 * K)
    assert figures(report, "profit_attributable") == (45_300 * K, 38_600 * K)
    assert figures(report, "eps_basic") == (0.23, 0.19)
    assert figures(report, "cash") == (210_330 * K, 198_760 * K)
    assert figures(report, "total_equity") == (830_500 * K, 783_700 * K)


def test_eps_printed_as_hk_dollars_and_cents_in_chinese(traps: dict[str, ResultsReport]) -> None:
    report = traps["zh_loss"]
    assert figures(report, "eps_basic") == (pytest.approx(-0.1492), pytest.approx(-0.1023))
    assert figures(report, "eps_diluted") == (pytest.approx(-0.1492), pytest.approx(-0.1023))


def test_tax_credit_makes_the_loss_smaller_than_before_tax(traps: dict[str, ResultsReport]) -> None:
    report = traps["zh_loss"]
    assert figures(report, "profit_before_tax") == (-52_300 * K, -35_100 * K)
    assert figures(report, "profit_for_period") == (-49_800 * K, -34_400 * K)
    assert any(c.ok and "profit before tax" in c.name for c in report.checks)


def test_equity_printed_only_as_attributable_to_owners(traps: dict[str, ResultsReport]) -> None:
    metric = traps["zh_loss"].metric("total_equity")
    assert (metric.current, metric.prior) == (334_600 * K, 384_400 * K)
    assert metric.note and "no non-controlling interests" in metric.note


def test_fiscal_year_ending_in_march(traps: dict[str, ResultsReport]) -> None:
    report = traps["zh_loss"]
    assert (report.period_end, report.months, report.prior_period_end, report.currency) == (
        date(2024, 3, 31), 12, date(2023, 3, 31), "HKD")
    assert figures(report, "dividend_per_share") == (0.0, 0.0)


def test_continuing_and_discontinued_operations_report_the_total(traps: dict[str, ResultsReport]) -> None:
    report = traps["discontinued"]
    profit = report.metric("profit_for_period")
    assert (profit.current, profit.prior) == (15_000 * K, 18_300 * K)
    assert profit.note and "discontinued" in profit.note
    assert figures(report, "profit_attributable") == (14_200 * K, 17_600 * K)


def test_two_eps_blocks_take_the_total_one(traps: dict[str, ResultsReport]) -> None:
    report = traps["discontinued"]
    basic, diluted = report.metric("eps_basic"), report.metric("eps_diluted")
    assert (basic.current, basic.prior) == (pytest.approx(0.0710), pytest.approx(0.0880))
    assert (diluted.current, diluted.prior) == (pytest.approx(0.0706), pytest.approx(0.0874))
    assert basic.note and "continuing and discontinued" in basic.note


def test_revenue_of_continuing_operations_says_so(traps: dict[str, ResultsReport]) -> None:
    revenue = traps["discontinued"].metric("revenue")
    assert (revenue.current, revenue.prior) == (210_000 * K, 190_000 * K)
    assert revenue.note and "continuing operations" in revenue.note
    assert figures(traps["discontinued"], "profit_before_tax") == (21_000 * K, 16_300 * K)


def test_restated_comparatives_are_read_as_printed(traps: dict[str, ResultsReport]) -> None:
    # The prior column is headed "2024 (Restated)"; its figures are the restated ones printed here.
    assert figures(traps["discontinued"], "gross_profit") == (30_000 * K, 24_000 * K)
    assert traps["discontinued"].prior_period_end == date(2024, 6, 30)


def test_three_and_six_months_columns_take_the_six_months(traps: dict[str, ResultsReport]) -> None:
    report = traps["three_six"]
    assert (report.kind, report.period_end, report.months) == ("interim", date(2025, 9, 30), 6)
    assert figures(report, "revenue") == (95_000 * K, 88_000 * K)
    assert figures(report, "profit_for_period") == (15_300 * K, 13_700 * K)
    assert figures(report, "eps_basic") == (pytest.approx(0.0383), pytest.approx(0.0343))
    assert any("6-month columns" in w for w in report.warnings)
    assert figures(report, "total_equity") == (120_300 * K, 111_500 * K)


def test_revenue_as_an_unlabelled_subtotal_under_its_heading(traps: dict[str, ResultsReport]) -> None:
    revenue = traps["broker"].metric("revenue")
    assert (revenue.current, revenue.prior) == (182_400 * K, 203_500 * K)
    assert "subtotal: the lines above add up to it" in revenue.vouched_by


def test_total_equity_as_an_unlabelled_line_under_nci(traps: dict[str, ResultsReport]) -> None:
    assert figures(traps["broker"], "total_equity") == (97_400 * K, 101_100 * K)


def test_eps_printed_in_brackets_with_hk_cents(traps: dict[str, ResultsReport]) -> None:
    assert figures(traps["broker"], "eps_basic") == (pytest.approx(-0.1492), pytest.approx(-0.1361))


def test_cash_and_bank_balances_beside_pledged_deposits(traps: dict[str, ResultsReport]) -> None:
    assert figures(traps["broker"], "cash") == (156_780 * K, 173_050 * K)


def test_dividend_total_amount_beside_the_per_share_amount(traps: dict[str, ResultsReport]) -> None:
    assert figures(traps["broker"], "dividend_per_share") == (pytest.approx(0.01), pytest.approx(0.02))


def test_year_ending_in_september(traps: dict[str, ResultsReport]) -> None:
    report = traps["broker"]
    assert (report.kind, report.period_end, report.months, report.prior_period_end) == (
        "final", date(2024, 9, 30), 12, date(2023, 9, 30))


def test_dividend_decoys_last_years_final_paid_and_total_amount(traps: dict[str, ResultsReport]) -> None:
    dividend = traps["decoys"].metric("dividend_per_share")
    assert (dividend.current, dividend.prior) == (pytest.approx(0.05), pytest.approx(0.04))
    assert dividend.note and "HKD" in dividend.note  # declared in HK$ by an RMB reporter


def test_digits_split_by_kerning_are_one_figure(traps: dict[str, ResultsReport]) -> None:
    report = traps["decoys"]
    assert figures(report, "revenue") == (700_000 * K, 650_000 * K)
    gross = report.metric("gross_profit")
    assert (gross.current, gross.prior) == (123_210 * K, 110_400 * K)
    assert "gross profit = revenue - cost of sales" in gross.vouched_by


def test_misprinted_line_is_caught_by_the_cross_checks(traps: dict[str, ResultsReport]) -> None:
    report = traps["decoys"]
    pbt = report.metric("profit_before_tax")
    assert pbt.current is None and pbt.note and "failed check" in pbt.note
    assert pbt.prior == 36_000 * K
    profit = report.metric("profit_for_period")  # vouched for by owners + NCI, so kept
    assert profit.current == 34_000 * K
    assert "profit = attributable to owners + non-controlling interests" in profit.vouched_by


def test_page_typeset_one_character_at_a_time(traps: dict[str, ResultsReport]) -> None:
    report = traps["shuffled"]
    assert figures(report, "revenue") == (64_000 * K, 58_000 * K)
    assert figures(report, "profit_for_period") == (8_600 * K, 7_900 * K)
    assert figures(report, "eps_basic") == (pytest.approx(0.043), pytest.approx(0.0395))
    assert figures(report, "total_equity") == (75_400 * K, 70_100 * K)
    assert any("out of reading order" in w for w in report.warnings)


def test_a_bank_has_no_revenue_or_gross_profit_line(traps: dict[str, ResultsReport]) -> None:
    report = traps["bank"]
    for name in ("revenue", "gross_profit", "operating_profit"):
        metric = report.metric(name)
        assert (metric.current, metric.prior) == (None, None), name
        assert metric.note and "not stated" in metric.note
    assert figures(report, "profit_before_tax") == (7_600 * M, 7_100 * M)
    assert figures(report, "eps_basic") == (3.17, 2.95)
    assert figures(report, "dividend_per_share") == (1.20, 1.10)


@pytest.mark.parametrize("name", ["profit-warning.pdf", "board-meeting.pdf", "report-publication.pdf",
                                  "agm-circular.pdf", "zh-profit-warning.pdf"])
def test_other_documents_are_refused(name: str) -> None:
    with pytest.raises(WrongDocumentError, match="not a results announcement"):
        parse_results(FIXTURES / "other" / name)


def test_every_figure_says_where_it_came_from(traps: dict[str, ResultsReport]) -> None:
    for key, report in traps.items():
        for name, metric in report.metrics.items():
            if metric.current is None and metric.prior is None:
                continue
            assert metric.page and metric.statement, (key, name)
            if name != "dividend_per_share":
                assert metric.label, (key, name)


def _doc() -> type:
    import importlib.util
    import sys

    folder = FIXTURES
    sys.path.insert(0, str(folder))
    try:
        spec = importlib.util.spec_from_file_location("make_traps", folder / "make_traps.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(folder))
    return module.Doc  # type: ignore[no-any-return]


def test_statement_continued_over_a_page_keeps_its_attributable_block(tmp_path: Path) -> None:
    doc = _doc()()
    doc.cover(("Continued Holdings Limited", 14), ("(Stock Code: 321)", 9))
    doc.text("ANNUAL RESULTS ANNOUNCEMENT FOR THE YEAR ENDED 31 DECEMBER 2024", size=12, align="C")
    doc.text("CONSOLIDATED STATEMENT OF PROFIT OR LOSS", size=11, gap=0)
    doc.text("For the year ended 31 December 2024")
    head = [("", "", "2024", "2023"), ("", "Notes", "HK$'000", "HK$'000")]
    doc.rows(head + [
        ("Revenue", "3", "50,000", "40,000"), ("Cost of sales", "", "(30,000)", "(25,000)"),
        ("Gross profit", "", "20,000", "15,000"), ("Profit before tax", "", "8,000", "5,000"),
        ("Income tax expense", "", "(1,000)", "(800)"), ("Profit for the year", "", "7,000", "4,200"),
        ("Profit for the year attributable to:", "", "", "")])
    doc.page_break()
    doc.text("CONSOLIDATED STATEMENT OF PROFIT OR LOSS (CONTINUED)", size=11, gap=0)
    doc.rows(head + [
        ("Owners of the Company", "", "6,500", "4,000"), ("Non-controlling interests", "", "500", "200"),
        ("Earnings per share", "", "", ""), ("Basic and diluted (HK cents)", "", "3.25", "2.00")])
    path = tmp_path / "continued.pdf"
    doc.pdf.output(str(path))
    report = parse_results(path)
    assert figures(report, "profit_attributable") == (6_500 * K, 4_000 * K)
    assert figures(report, "eps_basic") == (pytest.approx(0.0325), pytest.approx(0.02))
    assert "profit = attributable to owners + non-controlling interests" in report.metric(
        "profit_attributable").vouched_by


@pytest.mark.parametrize("total_label", ["", "Total revenue"])
def test_revenue_parts_under_a_heading_give_way_to_their_total(tmp_path: Path, total_label: str) -> None:
    doc = _doc()()
    doc.cover(("Parts Holdings Limited", 14), ("(Stock Code: 654)", 9))
    doc.text("INTERIM RESULTS ANNOUNCEMENT FOR THE SIX MONTHS ENDED 30 JUNE 2025", size=12, align="C")
    doc.text("CONDENSED CONSOLIDATED STATEMENT OF PROFIT OR LOSS", size=11, gap=0)
    doc.rows([
        ("", "", "2025", "2024"), ("", "Notes", "HK$'000", "HK$'000"), ("Revenue", "4", "", ""),
        ("  Revenue from contracts with customers", "", "10,000", "9,000"),
        ("  Interest income", "", "2,000", "1,500"), (total_label, "", "12,000", "10,500"),
        ("Expenses", "", "(8,000)", "(7,500)"), ("Profit before tax", "", "4,000", "3,000"),
        ("Income tax expense", "", "(600)", "(500)"), ("Profit for the period", "", "3,400", "2,500"),
    ])
    path = tmp_path / "parts.pdf"
    doc.pdf.output(str(path))
    revenue = parse_results(path).metric("revenue")
    assert (revenue.current, revenue.prior) == (12_000 * K, 10_500 * K)
    assert "subtotal: the lines above add up to it" in revenue.vouched_by


def test_a_rotated_statement_page_reads_like_an_upright_one(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(FIXTURES / "en-loss-final-2024.pdf")
    source[0].set_rotation(90)  # displayed landscape; its text is still laid out in the page's own space
    path = tmp_path / "rotated.pdf"
    source.save(path)
    source.close()
    report = parse_results(path)
    assert figures(report, "revenue") == (1_234.5 * M, 1_456.7 * M)
    assert figures(report, "eps_basic") == (pytest.approx(-0.0475), pytest.approx(0.0070))
