"""Figure tokens as statements print them."""

from __future__ import annotations

import pytest

from parsers.numbers import is_note_ref, is_year, looks_garbled, parse_figure


@pytest.mark.parametrize(("token", "value"), [
    ("406,759", 406_759.0),
    ("(359,069)", -359_069.0),
    ("(0.04)", -0.04),
    ("18.82", 18.82),
    ("1,234.5", 1_234.5),
    ("-1,234", -1_234.0),
    ("−12", -12.0),
    ("—", 0.0),
    ("–", 0.0),
    ("-", 0.0),
    ("Nil", 0.0),
    ("3,992", 3_992.0),
    ("7", 7.0),
])
def test_parse_figure(token: str, value: float) -> None:
    assert parse_figure(token) == value


@pytest.mark.parametrize("token", ["1.477.040", "2,7", "(60)201)", "(2.22.1.22.1)", "12,34", "(1,234",
                                   "RMB'000",
                                   "abc", "1,2345", ""])
def test_garbled_or_non_figures_are_rejected(token: str) -> None:
    assert parse_figure(token) is None


def test_garbled_detection() -> None:
    assert looks_garbled("1.477.040")
    assert not looks_garbled("1,477,040")
    assert not looks_garbled("Revenue")


@pytest.mark.parametrize(("token", "note"), [("5", True), ("4(a)", True), ("12b", True), ("3.2", True),
                                             ("406,759", False), ("(1,584)", False)])
def test_note_refs(token: str, note: bool) -> None:
    assert is_note_ref(token) is note


def test_years() -> None:
    assert is_year("2025") and is_year("2024,") and not is_year("2,025") and not is_year("1850s")
