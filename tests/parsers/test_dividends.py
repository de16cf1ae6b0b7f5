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


def test_a_final_and_a_special_dividend_are_added_up() -> None:
    text = ("The Directors have recommended a final dividend of HK$0.30 per share (2023: HK$0.25 per share) "
            "and a special dividend of HK$0.10 per share.")
    found = find_dividend(text, year=2024, kind="final")
    assert found.current == pytest.approx(0.40)
    assert found.note and "final 0.3 + special 0.1" in found.note
    assert found.prior is None  # the special dividend's comparative is not stated


def test_the_full_year_total_stated_after_the_final_dividend_is_the_figure() -> None:
    # Water Oasis (01161) annual report 2021, p8: the year's total, with last year's.
    text = ("The board of directors recommend the payment of a final dividend of 16.5 HK cents per share, "
            "making the full-year dividend 22.0 HK cents (2020: 6.0 HK cents) per share.")
    found = find_dividend(text, year=2021, kind="final")
    assert (found.current, found.prior) == (pytest.approx(0.22), pytest.approx(0.06))
    assert found.complete and found.note and "as stated" in found.note and "final 0.165" in found.note


def test_a_second_interim_dividend_in_lieu_of_a_final_one_and_the_stated_total() -> None:
    text = ("In lieu of a final dividend, a second interim dividend of HK$0.48 per share will be paid. This "
            "would bring the total dividend for 2012 to HK$0.96 per share, which included a special dividend "
            "of HK$0.36 per share paid in September 2012.")
    assert find_dividend(text, year=2012, kind="final").current == pytest.approx(0.96)


def test_interim_paid_and_final_recommended_add_up_with_their_comparatives() -> None:
    # Water Oasis (01161) p92, note 14: the dividends note's rows, each wrapped over two lines.
    text = ("14. DIVIDENDS\n2021 2020\nHK$'000 HK$'000\nInterim dividend declared and paid of 5.5 HK cents\n"
            "(2020: 6.0 HK cents) per share 37,430 40,833\nFinal dividend proposed after the end of the "
            "reporting period of\n16.5 HK cents (2020: Nil) per share 112,291 –\n149,721 40,833")
    found = find_dividend(text, year=2021, kind="final")
    assert (found.current, found.prior) == (pytest.approx(0.22), pytest.approx(0.06))
    assert found.complete and found.note == "the total of interim 0.055 + final 0.165"


def test_an_interim_dividend_paid_during_the_year_counts_in_an_annual_report() -> None:
    text = ("An interim dividend of HK5 cents per share (2023: HK4 cents) was paid on 20 September 2024. "
            "The Board recommends a final dividend of HK10 cents per share for the year ended 31 December "
            "2024 (2023: HK8 cents).")
    found = find_dividend(text, year=2024, kind="final")
    assert (found.current, found.prior) == (pytest.approx(0.15), pytest.approx(0.12))


def test_last_years_final_paid_during_the_year_is_not_counted() -> None:
    text = ("During the year, the 2023 final dividend of HK8 cents per share was paid. The Board recommends "
            "a final dividend of HK10 cents per share for the year ended 31 December 2024 (2023: HK8 cents).")
    found = find_dividend(text, year=2024, kind="final")
    assert (found.current, found.prior) == (pytest.approx(0.10), pytest.approx(0.08))
    assert not found.complete and found.note and "no interim dividend is mentioned" in found.note


def test_no_interim_paid_and_no_final_recommended_in_one_sentence() -> None:
    # Emperor Capital (00717) p18.
    text = ("No interim dividend (2020: Nil) was paid during the Year and the Board did not recommend any "
            "payment of a final dividend for the Year (2020: Nil).")
    found = find_dividend(text, year=2021, kind="final")
    assert (found.current, found.prior, found.complete) == (0.0, 0.0, True)


def test_interim_and_special_declared_with_it() -> None:
    text = ("The Board has declared an interim dividend of HK3 cents per share (2024: HK2 cents) and a "
            "special dividend of HK5 cents per share (2024: Nil) for the six months ended 30 June 2025.")
    found = find_dividend(text, year=2025, kind="interim")
    assert (found.current, found.prior) == (pytest.approx(0.08), pytest.approx(0.02))


def test_chinese_interim_and_final_for_the_year() -> None:
    text = ("本公司已於二零二四年九月派付中期股息每股港幣5仙（二零二三年：每股港幣4仙）。"
            "董事會建議派發截至二零二四年十二月三十一日止年度之末期股息每股港幣10仙（二零二三年：每股港幣8仙）。")
    found = find_dividend(text, year=2024, kind="final")
    assert (found.current, found.prior) == (pytest.approx(0.15), pytest.approx(0.12))


def test_chinese_board_does_not_recommend_an_interim_dividend() -> None:
    found = find_dividend("董事會不建議派發中期股息。", year=2025, kind="interim")
    assert (found.current, found.prior) == (0.0, None)


def test_special_dividend_in_respect_of_the_year_in_a_note() -> None:
    # Wisdom Education (06068) p131 note 14 and p30: interim and special, no final.
    text = ("During the year ended 31 August 2021, an interim dividend of RMB0.067 (equivalent to HK$0.080 "
            "per share) (2020: RMB0.057 (equivalent to HK$0.062 per share)) amounting to RMB145,222,000 was "
            "paid to the shareholders of the Company.\nSubsequent to the end of the reporting period, the "
            "directors of the Company declared a special dividend in respect of the year ended 31 August "
            "2021 of RMB0.106 per share (equivalent to HK$0.128 per share) (2020: nil) amounting to "
            "RMB230,232,000.\n"
            "The Board does not recommend the payment of a final dividend for year ended 31 August 2021.")
    found = find_dividend(text, year=2021, kind="final", currency="RMB", end_month=8)
    assert (found.current, found.currency) == (pytest.approx(0.173), "RMB")
    assert found.prior is None  # last year's final is not stated


def test_the_interim_of_a_year_ending_in_june_ended_the_december_before() -> None:
    text = ("An interim dividend of HK3 cents per share for the six months ended 31 December 2021 was paid. "
            "The Board recommends a final dividend of HK7 cents per share for the year ended 30 June 2022.")
    found = find_dividend(text, year=2022, kind="final", end_month=6)
    assert found.current == pytest.approx(0.10)


def test_simplified_chinese_comparative_dated_to_the_day() -> None:
    text = "董事会不建议派付截至二零一八年十二月三十一日止年度的任何股息(二零一七年十二月三十一日:无)。"
    found = find_dividend(text, year=2018, kind="final")
    assert (found.current, found.prior) == (0.0, 0.0)


@pytest.mark.parametrize(("text", "kind", "current", "prior"), [
    ("Interim dividend per share (HK cents)   8.0   6.0", "interim", 0.08, 0.06),
    ("Proposed final dividend per share (HK$)   0.20   Nil", "final", 0.20, 0.0),
    ("每股中期股息（港仙） 無 無", "interim", 0.0, 0.0),
])
def test_highlights_rows_of_dividends_per_share(text: str, kind: str, current: float, prior: float) -> None:
    found = find_dividend(text, year=2025, kind=kind)
    assert (found.current, found.prior) == (pytest.approx(current), pytest.approx(prior))


def test_a_dividend_row_without_its_unit_is_not_guessed() -> None:
    assert find_dividend("Interim dividend per share   8.0   6.0", year=2025, kind="interim").current is None


@pytest.mark.parametrize("text", [
    "董事會議決不宣派截至二零二五年六月三十日止六個月之中期股息。",
    "董事會不擬派付截至2025年6月30日止六個月的中期股息。",
    "董事會並無宣佈派發截至2025年6月30日止六個月之中期股息。",
    "The Board has decided not to declare any interim dividend for the six months ended 30 June 2025.",
    "No interim dividend is proposed for the six months ended 30 June 2025.",
])
def test_ways_of_saying_no_interim_dividend(text: str) -> None:
    assert find_dividend(text, year=2025, kind="interim").current == 0.0


def test_final_and_special_totalling_a_stated_sum() -> None:
    text = ("The Board recommends the payment of a final dividend of HK10 cents per share and a special "
            "dividend of HK5 cents per share, totalling HK15 cents per share (2023: HK12 cents per share).")
    found = find_dividend(text, year=2024, kind="final")
    assert (found.current, found.prior) == (pytest.approx(0.15), pytest.approx(0.12))
