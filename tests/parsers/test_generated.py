"""Generated announcements (tests/fixtures/make_fixtures.py): Chinese, a loss in US$ million with
continuing and discontinued operations, and one with a deliberately inconsistent figure."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from parsers.report import ResultsReport

K, M = 1000.0, 1_000_000.0

FIGURES = [
    ("zh_cloud_factory", "revenue", 406_759 * K, 369_696 * K),
    ("zh_cloud_factory", "gross_profit", 47_690 * K, 47_110 * K),
    ("zh_cloud_factory", "profit_before_tax", 16_507 * K, 14_850 * K),
    ("zh_cloud_factory", "profit_for_period", 14_923 * K, 12_543 * K),
    ("zh_cloud_factory", "profit_attributable", 14_687 * K, 12_320 * K),
    ("zh_cloud_factory", "eps_basic", 0.03, 0.03),
    ("zh_cloud_factory", "eps_diluted", 0.03, 0.03),
    ("zh_cloud_factory", "total_equity", 418_989 * K, 405_920 * K),
    ("zh_cloud_factory", "cash", 348_055 * K, 371_016 * K),
    ("en_loss", "revenue", 1_234.5 * M, 1_456.7 * M),
    ("en_loss", "gross_profit", 224.3 * M, 356.4 * M),
    ("en_loss", "operating_profit", -94.2 * M, 42.7 * M),
    ("en_loss", "profit_before_tax", -114.5 * M, 23.8 * M),
    ("en_loss", "profit_for_period", -99.2 * M, 15.5 * M),
    ("en_loss", "profit_attributable", -95.0 * M, 14.0 * M),
    ("en_loss", "eps_basic", -0.0475, 0.0070),
    ("en_loss", "eps_diluted", -0.0475, 0.0069),
    ("en_loss", "dividend_per_share", 0.0, 0.02),
    ("en_loss", "total_equity", 1_020.8 * M, 1_118.0 * M),
    ("en_loss", "cash", 310.4 * M, 402.9 * M),
    ("inconsistent", "revenue", 50_000 * K, 40_000 * K),
    ("inconsistent", "profit_for_period", 7_000 * K, 4_200 * K),
    ("inconsistent", "eps_basic", 0.035, 0.021),
    ("inconsistent", "eps_diluted", 0.0345, 0.021),
    ("inconsistent", "dividend_per_share", 0.02, 0.015),
    ("inconsistent", "cash", 12_345 * K, 11_000 * K),
]


@pytest.mark.parametrize(("doc", "name", "current", "prior"), FIGURES,
                         ids=[f"{d}-{n}" for d, n, *_ in FIGURES])
def test_figure(reports: dict[str, ResultsReport], doc: str, name: str, current: float, prior: float) -> None:
    metric = reports[doc].metric(name)
    assert metric.current == pytest.approx(current, abs=1e-6), metric.note
    assert metric.prior == pytest.approx(prior, abs=1e-6), metric.note


def test_chinese_metadata(reports: dict[str, ResultsReport]) -> None:
    report = reports["zh_cloud_factory"]
    assert report.company == "雲工場科技控股有限公司"
    assert (report.stock_codes, report.kind) == (("02512",), "interim")
    assert (report.period_end, report.months, report.language) == (date(2025, 6, 30), 6, "zh")
    assert (report.currency, report.unit) == ("RMB", "人民幣千元")
    assert report.metric("dividend_per_share").current == 0.0


def test_loss_metadata_and_checks(reports: dict[str, ResultsReport]) -> None:
    report = reports["en_loss"]
    assert (report.kind, report.period_end, report.months) == ("final", date(2024, 12, 31), 12)
    assert (report.currency, report.unit, report.stock_codes) == ("USD", "US$ million", ("01234",))
    assert report.metric("profit_for_period").change_pct is None  # a swing from profit to loss
    assert all(c.ok for c in report.checks)
    assert any("discontinued" in c.detail for c in report.checks)


def test_inconsistent_gross_profit_is_missing_with_reason(reports: dict[str, ResultsReport]) -> None:
    report = reports["inconsistent"]
    gross = report.metric("gross_profit")
    assert gross.current is None
    assert gross.note and "failed check" in gross.note
    assert gross.prior == pytest.approx(15_000 * K)  # the comparative column adds up, so it is kept
    assert any(not c.ok and "gross profit" in c.name for c in report.checks)
    assert report.warnings


def _announcement_class() -> type:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_fixtures", Path(__file__).parent.parent / "fixtures" / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Announcement  # type: ignore[no-any-return]


def test_statement_without_a_title_is_found_by_its_line_items(tmp_path: Path) -> None:
    from parsers.results import parse_results

    doc = _announcement_class()()
    doc.text("Untitled Holdings Limited", size=14, align="C", gap=0)
    doc.text("(Stock Code: 777)", size=9, align="C")
    doc.text("INTERIM RESULTS FOR THE SIX MONTHS ENDED 30 JUNE 2025", size=12, align="C")
    doc.rows([("", "", "2025", "2024"), ("", "Notes", "HK$'000", "HK$'000"),
              ("Revenue", "3", "50,000", "40,000"), ("Cost of sales", "", "(30,000)", "(25,000)"),
              ("Gross profit", "", "20,000", "15,000"), ("Profit before tax", "", "8,000", "5,000"),
              ("Income tax expense", "", "(1,000)", "(800)"),
              ("Profit for the period", "", "7,000", "4,200")])
    path = tmp_path / "untitled.pdf"
    doc.pdf.output(str(path))
    report = parse_results(path)
    assert report.metric("revenue").current == 50_000 * K
    assert report.metric("profit_for_period").prior == 4_200 * K
    assert report.stock_codes == ("00777",)
    assert any("located by its line items" in w for w in report.warnings)
