"""The terminal table shows every metric with its change in words, and failed checks."""

from __future__ import annotations

from parsers.report import ResultsReport
from parsers.table import render_table


def test_table_lists_metrics_changes_and_notes(reports: dict[str, ResultsReport]) -> None:
    text = render_table(reports["sensetime"])
    assert "SenseTime Group Inc. (00020, 80020)" in text
    assert "Revenue" in text and "2,358.2" in text and "+35.6%" in text
    assert "loss narrowed 39.9%" in text
    assert "Cash" in text and "—" in text


def test_table_lists_failed_checks_and_warnings(reports: dict[str, ResultsReport]) -> None:
    text = render_table(reports["inconsistent"])
    assert "Failed checks:" in text and "gross profit = revenue - cost of sales" in text
    assert "Warnings:" in text
    assert "not trusted" in text


def test_per_share_figures_are_shown_in_the_unit_the_header_names(reports: dict[str, ResultsReport]) -> None:
    text = render_table(reports["ernest_borel"])
    assert "per share in HK cents" in text.splitlines()[0]
    eps = next(line for line in text.splitlines() if line.startswith("EPS basic"))
    assert "18.82" in eps and "33.10" in eps  # HK$0.1882 and HK$0.3310, the statement's HK cents
    dividend = next(line for line in text.splitlines() if line.startswith("Dividend per share"))
    assert "8.00" in dividend


def test_header_names_the_scale_amounts_are_shown_in(reports: dict[str, ResultsReport]) -> None:
    head = render_table(reports["cloud_factory"]).splitlines()[0]
    assert "amounts in RMB millions (document unit RMB'000)" in head


def test_amounts_round_half_up(reports: dict[str, ResultsReport]) -> None:
    # Cloud Factory's profit before tax for 2024 is RMB14,850 thousand: 14.9 million, not 14.8.
    lines = render_table(reports["cloud_factory"]).splitlines()
    pbt = next(line for line in lines if line.startswith("Profit before tax"))
    assert pbt.split()[3:5] == ["16.5", "14.9"]


def test_table_shows_where_each_figure_is_printed_and_whether_a_check_vouches(
        reports: dict[str, ResultsReport]) -> None:
    lines = render_table(reports["ernest_borel"]).splitlines()
    revenue = next(line for line in lines if line.startswith("Revenue"))
    assert "p2 +1" in revenue  # gross profit = revenue - cost of sales
    cash = next(line for line in lines if line.startswith("Cash"))
    assert "p3 unvouched" in cash
