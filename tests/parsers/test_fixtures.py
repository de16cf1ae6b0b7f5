"""Every figure tests/fixtures/README.md states, for the three real-layout fixtures, plus metadata."""

from __future__ import annotations

from datetime import date

import pytest

from parsers.report import ResultsReport, describe_change

K = 1000.0  # the fixtures state amounts in thousands

FIGURES = [
    # Cloud Factory (2512), RMB'000
    ("cloud_factory", "revenue", 406_759 * K, 369_696 * K),
    ("cloud_factory", "gross_profit", 47_690 * K, 47_110 * K),
    ("cloud_factory", "profit_before_tax", 16_507 * K, 14_850 * K),
    ("cloud_factory", "profit_for_period", 14_923 * K, 12_543 * K),
    ("cloud_factory", "profit_attributable", 14_687 * K, 12_320 * K),
    ("cloud_factory", "eps_basic", 0.03, 0.03),
    ("cloud_factory", "eps_diluted", 0.03, 0.03),
    ("cloud_factory", "dividend_per_share", 0.0, 0.0),
    ("cloud_factory", "total_equity", 418_989 * K, 405_920 * K),
    ("cloud_factory", "cash", 348_055 * K, 371_016 * K),
    # SenseTime (0020), RMB'000, garbled extraction
    ("sensetime", "revenue", 2_358_198 * K, 1_739_717 * K),
    ("sensetime", "gross_profit", 907_800 * K, 766_760 * K),
    ("sensetime", "operating_profit", -1_453_193 * K, -2_721_514 * K),
    ("sensetime", "profit_before_tax", -1_453_283 * K, -2_481_204 * K),
    ("sensetime", "profit_for_period", -1_489_270 * K, -2_477_212 * K),
    ("sensetime", "profit_attributable", -1_477_949 * K, -2_456_782 * K),
    ("sensetime", "eps_basic", -0.04, -0.08),
    ("sensetime", "total_equity", 22_470_805 * K, 23_641_705 * K),
    # Ernest Borel (1856), HK$'000, EPS in HK cents
    ("ernest_borel", "revenue", 602_624 * K, 604_013 * K),
    ("ernest_borel", "gross_profit", 366_716 * K, 380_126 * K),
    ("ernest_borel", "profit_before_tax", 79_047 * K, 110_743 * K),
    ("ernest_borel", "profit_for_period", 58_811 * K, 93_021 * K),
    ("ernest_borel", "profit_attributable", 58_811 * K, 93_021 * K),
    ("ernest_borel", "eps_basic", 0.1882, 0.3310),
    ("ernest_borel", "eps_diluted", 0.1876, 0.3310),
    ("ernest_borel", "total_equity", 682_495 * K, 455_104 * K),
]


@pytest.mark.parametrize(("doc", "name", "current", "prior"), FIGURES,
                         ids=[f"{d}-{n}" for d, n, *_ in FIGURES])
def test_figure(reports: dict[str, ResultsReport], doc: str, name: str, current: float, prior: float) -> None:
    metric = reports[doc].metric(name)
    assert metric.current == pytest.approx(current, abs=1e-9), metric.note
    assert metric.prior == pytest.approx(prior, abs=1e-9), metric.note


METADATA = [
    ("cloud_factory", "Cloud Factory Technology Holdings "
                      "Limited", ("02512",), "interim", date(2025, 6, 30), 6,
     date(2024, 6, 30), "RMB", "RMB'000"),
    ("sensetime", "SenseTime Group "
                  "Inc.", ("00020", "80020"), "interim", date(2025, 6, 30), 6, date(2024, 6, 30),
     "RMB", "RMB'000"),
    ("ernest_borel", "ERNEST BOREL HOLDINGS LIMITED", ("01856",), "final", date(2014, 12, 31), 12,
     date(2013, 12, 31), "HKD", "HK$'000"),
]


@pytest.mark.parametrize(
    ("doc", "company", "codes", "kind", "end", "months", "prior_end", "currency", "unit"),
    METADATA, ids=[m[0] for m in METADATA])
def test_metadata(reports: dict[str, ResultsReport], doc: str, company: str, codes: tuple[str, ...],
                  kind: str, end: date, months: int, prior_end: date, currency: str, unit: str) -> None:
    report = reports[doc]
    assert (report.company, report.stock_codes, report.kind) == (company, codes, kind)
    assert (report.period_end, report.months, report.prior_period_end) == (end, months, prior_end)
    assert (report.currency, report.unit, report.language) == (currency, unit, "en")


def test_ernest_borel_dividend_is_this_years_not_the_2012_one(reports: dict[str, ResultsReport]) -> None:
    dividend = reports["ernest_borel"].metric("dividend_per_share")
    assert dividend.current == pytest.approx(0.08)
    assert dividend.prior == 0.0


def test_operating_profit_not_a_line_is_missing_with_reason(reports: dict[str, ResultsReport]) -> None:
    for doc in ("cloud_factory", "ernest_borel"):
        metric = reports[doc].metric("operating_profit")
        assert (metric.current, metric.prior) == (None, None)
        assert metric.note and "not stated" in metric.note


def test_sensetime_loss_narrowed(reports: dict[str, ResultsReport]) -> None:
    loss = reports["sensetime"].metric("profit_for_period")
    assert describe_change(loss.current, loss.prior, is_profit=True) == "loss narrowed 39.9%"
    assert reports["sensetime"].metric("revenue").change_pct == 35.6


def test_sensetime_dividend_none_and_garbled_cash_not_guessed(reports: dict[str, ResultsReport]) -> None:
    report = reports["sensetime"]
    assert report.metric("dividend_per_share").current == 0.0
    # The balance sheet's cash line is merged with "Term deposits" by extraction: missing, not guessed.
    cash = report.metric("cash")
    assert cash.current is None and cash.note


def test_every_check_passes_on_consistent_fixtures(reports: dict[str, ResultsReport]) -> None:
    for doc in ("cloud_factory", "sensetime", "ernest_borel"):
        report = reports[doc]
        assert report.checks, doc
        assert all(c.ok for c in report.checks), [c for c in report.checks if not c.ok]


def test_json_shape(reports: dict[str, ResultsReport]) -> None:
    data = reports["cloud_factory"].to_json_dict()
    assert set(data) == {"company", "stock_codes", "kind", "period_end", "months", "prior_period_end",
                         "currency", "unit", "language", "metrics", "checks", "warnings"}
    assert data["metrics"]["revenue"]["page"] == 1
    assert data["period_end"] == "2025-06-30"
