"""Rounding half up and the units figures are shown in (parsers.display), shared by the table and Slack."""

from __future__ import annotations

import pytest

from parsers import display


@pytest.mark.parametrize(("value", "places", "shown"), [
    (14.85, 1, "14.9"), (-14.85, 1, "-14.9"), (0.125, 2, "0.13"), (2.5, 0, "3"), (1.0049, 2, "1.00"),
])
def test_round_half_up(value: float, places: int, shown: str) -> None:
    assert str(display.round_half_up(value, places)) == shown


def test_14850_thousand_is_14_9_million() -> None:
    assert display.amount(14_850_000.0, display.MILLIONS) == "14.9"
    assert f"{14_850_000.0 / 1e6:.1f}" == "14.8"  # what float formatting said before


@pytest.mark.parametrize(("values", "word"), [
    ([406_759_000.0, 14_850_000.0], "RMB millions"), ([58_000.0, 12_500.0], "RMB thousands"),
    ([950.0], "RMB"),
])
def test_one_scale_for_the_amounts_named_with_the_currency(values: list[float], word: str) -> None:
    assert display.scale_for(values).name("RMB") == word


def test_a_small_amount_among_millions_keeps_its_digits() -> None:
    assert display.amount(58_000.0, display.MILLIONS) == "0.058"
    assert display.amount(None, display.MILLIONS) == "—"


@pytest.mark.parametrize(("value", "currency", "text"), [
    (0.1882, "HKD", "18.82 HK cents"), (0.08, "HKD", "8 HK cents"), (1.2, "HKD", "HK$1.20"),
    (0.03, "RMB", "3 RMB cents"), (-0.0855, "HKD", "-8.55 HK cents"), (None, "HKD", "—"),
    (3.17, "USD", "US$3.17"),
])
def test_per_share_text_names_its_unit(value: float | None, currency: str, text: str) -> None:
    assert display.per_share_text(value, currency) == text


def test_per_share_unit_is_the_currency_when_any_figure_is_a_unit_or_more() -> None:
    assert display.per_share_unit([0.05, 1.2], "HKD") == display.PerShareUnit("HK$", 1)
    assert display.per_share_unit([0.05, 0.2], "HKD") == display.PerShareUnit("HK cents", 100)


def test_compact_amount() -> None:
    assert display.compact_amount(60_000_000.0) == "60.0m"
    assert display.compact_amount(850_000.0) == "850,000"
    assert display.compact_amount(14_850_000.0) == "14.9m"
    assert display.compact_amount(1_234.0) == "1,234"
