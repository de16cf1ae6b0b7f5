"""The terminal table shows every metric with its change in words, and failed checks."""

from __future__ import annotations

from parsers.report import ResultsReport
from parsers.table import render_table


def test_table_lists_metrics_changes_and_notes(reports: dict[str, ResultsReport]) -> None:
    text = render_table(reports["sensetime"])
    assert "SenseTime Group Inc. (00020, 80020)" in text
    assert "Revenue" in text and "2,358.2m" in text and "+35.6%" in text
    assert "loss narrowed 39.9%" in text
    assert "Cash" in text and "—" in text


def test_table_lists_failed_checks_and_warnings(reports: dict[str, ResultsReport]) -> None:
    text = render_table(reports["inconsistent"])
    assert "Failed checks:" in text and "gross profit = revenue - cost of sales" in text
    assert "Warnings:" in text
    assert "not trusted" in text


def test_per_share_figures_are_not_scaled(reports: dict[str, ResultsReport]) -> None:
    text = render_table(reports["ernest_borel"])
    assert "0.1882" in text and "0.08" in text


def test_table_shows_where_each_figure_is_printed_and_whether_a_check_vouches(
        reports: dict[str, ResultsReport]) -> None:
    lines = render_table(reports["ernest_borel"]).splitlines()
    revenue = next(line for line in lines if line.startswith("Revenue"))
    assert "p2 +1" in revenue  # gross profit = revenue - cost of sales
    cash = next(line for line in lines if line.startswith("Cash"))
    assert "p3 unvouched" in cash
