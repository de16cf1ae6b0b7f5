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


def test_chinese_numeral_years_in_the_comparative() -> None:
    text = ("董事會建議派發截至二零一四年十二月三十一日止年度之末期股息"
            "每股港幣8仙（二零一三年：每股港幣6仙）。")
    found = find_dividend(text, year=2014, kind="final")
    assert (found.current, found.prior) == (pytest.approx(0.08), pytest.approx(0.06))


def test_the_comparative_in_brackets_does_not_make_the_sentence_last_years() -> None:
    text = "董事會建議派發末期股息每股人民幣0.10元（2023年：每股人民幣0.08元）。"
    found = find_dividend(text, year=2024, kind="final")
    assert (found.current, found.prior, found.currency) == (pytest.approx(0.10), pytest.approx(0.08), "RMB")


def test_withholding_tax_on_dividends_is_not_a_dividend_decision() -> None:
    text = "In addition, no Cayman Islands withholding tax is imposed upon any payments of dividends."
    assert find_dividend(text, year=2025, kind="interim").current is None


def test_no_dividend_paid_or_proposed_is_nil() -> None:
    text = ("No dividend was paid or proposed during the six months ended 30 June 2025, nor has any "
            "dividend been proposed since the end of the reporting period (2024: nil).")
    found = find_dividend(text, year=2025, kind="interim")
    assert (found.current, found.prior) == (0.0, 0.0)


def test_last_years_final_dividend_paid_in_the_period_is_a_decoy() -> None:
    text = ("During the six months ended 30 June 2025, a final dividend of HK12 cents per share in respect "
            "of the year ended 31 December 2024 (2024: HK10 cents per share) was paid. The Board has "
            "declared an interim dividend of HK5 cents per share for the six months ended 30 June 2025 "
            "(2024: HK4 cents per share), amounting to approximately HK$50 million.")
    found = find_dividend(text, year=2025, kind="interim")
    assert (found.current, found.prior) == (pytest.approx(0.05), pytest.approx(0.04))


def test_a_final_and_a_special_dividend_are_not_added_up_or_chosen() -> None:
    text = ("The Directors have recommended a final dividend of HK$0.30 per share (2023: HK$0.25 per share) "
            "and a special dividend of HK$0.10 per share.")
    found = find_dividend(text, year=2024, kind="final")
    assert found.current is None and found.note and "several" in found.note


def test_the_full_year_total_after_the_final_dividend_is_a_decoy() -> None:
    text = ("The board of directors recommend the payment of a final dividend of 16.5 HK cents per share, "
            "making the full-year dividend 22.0 HK cents (2020: 6.0 HK cents) per share.")
    found = find_dividend(text, year=2021, kind="final")
    assert (found.current, found.prior) == (pytest.approx(0.165), None)


def test_a_second_interim_dividend_in_lieu_of_a_final_one() -> None:
    text = ("In lieu of a final dividend, a second interim dividend of HK$0.48 per share will be paid. This "
            "would bring the total dividend for 2012 to HK$0.96 per share, which included a special dividend "
            "of HK$0.36 per share paid in September 2012.")
    assert find_dividend(text, year=2012, kind="final").current == pytest.approx(0.48)


def test_simplified_chinese_comparative_dated_to_the_day() -> None:
    text = "董事会不建议派付截至二零一八年十二月三十一日止年度的任何股息(二零一七年十二月三十一日:无)。"
    found = find_dividend(text, year=2018, kind="final")
    assert (found.current, found.prior) == (0.0, 0.0)
