"""The dividend the board declares for this period, from prose; other years' dividends are ignored."""

from __future__ import annotations

import pytest

from parsers.dividends import find_dividend


@pytest.mark.parametrize(("text", "year", "kind", "current", "prior"), [
    ("The Board has recommended the payment of a final dividend for FY2014 of HK8 cents (FY2013: Nil) "
     "per share.",
     2014, "final", 0.08, 0.0),
    ("The Board does not recommend the payment of an interim dividend for the six months ended 30 June 2025 "
     "(2024: Nil).", 2025, "interim", 0.0, 0.0),
    ("The Board has resolved to declare an interim dividend of HK$0.12 per share for the six months ended "
     "30 June 2025 (2024: HK$0.10 per share).", 2025, "interim", 0.12, 0.10),
    ("董事會不建議派發截至2025年6月30日止六個月之中期股息（2024年：無）。", 2025, "interim", 0.0, 0.0),
    ("董事會建議派發截至2024年12月31日止年度之末期股息每股港幣8仙。", 2024, "final", 0.08, None),
    ("No interim dividend was paid or proposed for ordinary shareholders of the Company during the six "
     "months "
     "ended 30 June 2025 (six months ended 30 June 2024: Nil).", 2025, "interim", 0.0, 0.0),
])
def test_dividend(text: str, year: int, kind: str, current: float, prior: float | None) -> None:
    found = find_dividend(text, year=year, kind=kind)
    assert found.current == pytest.approx(current)
    assert found.prior == (pytest.approx(prior) if prior is not None else None)


def test_silence_is_unknown_not_nil() -> None:
    found = find_dividend("Revenue grew 10% in the period.", year=2025, kind="interim")
    assert found.current is None and found.note


def test_an_old_dividend_paid_is_not_this_years() -> None:
    text = ("Dividend recognised as distribution during the year:\n— 2012 Final, paid — HK$3,000 per "
            "share – 30,000\n"
            "No dividend has been proposed or paid for the year ended 31 December 2013.")
    assert find_dividend(text, year=2014, kind="final").current is None


def test_contradicting_statements_are_not_chosen() -> None:
    text = ("The Board has declared an interim dividend of HK$0.10 per share for 2025. "
            "The Board has declared an interim dividend of HK$0.20 per share for 2025.")
    found = find_dividend(text, year=2025, kind="interim")
    assert found.current is None and found.note and "several" in found.note


def test_two_currencies_in_one_sentence_keep_the_reporting_one() -> None:
    text = ("The Board has resolved to declare an interim dividend of RMB0.15 per share "
            "(equivalent to HK$0.165 per share) for the six months ended 30 June 2025.")
    assert find_dividend(text, year=2025, kind="interim", currency="RMB").current == pytest.approx(0.15)


def test_chinese_amount_after_the_number() -> None:
    text = "董事會建議派發截至2024年12月31日止年度之末期股息每股0.10港元（2023年：每股0.08港元）。"
    found = find_dividend(text, year=2024, kind="final")
    assert (found.current, found.prior, found.currency) == (pytest.approx(0.10), pytest.approx(0.08), "HKD")
