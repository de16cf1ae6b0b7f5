"""Profit warnings and positive profit alerts (HKEXnews 13500), and how results compare with them.

Fixture PDFs are typeset by tests/fixtures/notices/make_notices.py; the sentence each figure comes
from is quoted beside its case (every notice is one page). Phrasing and unit cases are single
sentences as real warnings print them, read through the same text path as a PDF's page text.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from notice_truth import load

from parsers.errors import UnreadablePdfError, WrongDocumentError
from parsers.notices import ProfitWarning
from parsers.profit_warning import compare_with_warning, parse_profit_warning, profit_warning_in
from parsers.report import Metric, ResultsReport
from parsers.results import parse_results

FIXTURES = Path(__file__).parent.parent / "fixtures"
NOTICES = FIXTURES / "notices"
M = 1e6


def page(body: str, title: str = "PROFIT WARNING") -> list[str]:
    """One notice page as pdfium extracts it: disclaimer, cover, stock code, title, body, sign-off."""
    return ["Hong Kong Exchanges and Clearing Limited and The Stock Exchange of Hong Kong Limited take no "
            "responsibility for the contents of this announcement.\nSample Holdings Limited\n"
            f"(Stock Code: 1234)\n{title}\n{body}\n"
            "By order of the Board\nSample Holdings Limited\nHong Kong, 1 August 2025"]


# file: language, direction, measure, low, high, approximate, currency, period end, months, prior,
# change low %, change high %, bound
FIXTURE_CASES = [
    # "PROFIT WARNING": "the Group is expected to record a loss of between HK$60 million and HK$70 million for
    # the year ending 31 March 2025, compared with a profit of approximately HK$592 million for the
    # corresponding period in 2024." (the next sentence's fair value loss of HK$410 million is a reason)
    ("pw-en-0539-loss-range-2025.pdf", "en", "warning", "profit_for_period", -70 * M, -60 * M, False, "HKD",
     date(2025, 3, 31), 12, 592 * M, None, None, None),
    # "盈利警告": "預期本集團截至二零二五年三月三十一日止年度將錄得虧損介乎約60百萬港元至
    # 70百萬港元，而去年同期則錄得溢利約592百萬港元。"
    ("pw-zh-0539-loss-range-2025.pdf", "zh", "warning", "profit_for_period", -70 * M, -60 * M, True, "HKD",
     date(2025, 3, 31), 12, 592 * M, None, None, None),
    # "POSITIVE PROFIT ALERT": "a net profit attributable to owners of the Company of not less than RMB120
    # million for the six months ended 30 June 2025, as compared with approximately RMB68.5 million ..."
    ("pw-en-6616-positive-2025.pdf", "en", "positive", "profit_attributable", 120 * M, None, False, "RMB",
     date(2025, 6, 30), 6, 68.5 * M, None, None, "at_least"),
    # "正面盈利預告": "截至二零二五年十二月三十一日止年度之本公司擁有人應佔溢利約為
    # 人民幣1.2億元至1.5億元，較二零二四年同期之約人民幣8,000萬元增加約50%至88%。"
    ("pw-zh-1897-positive-2025.pdf", "zh", "positive", "profit_attributable", 120 * M, 150 * M, True, "RMB",
     date(2025, 12, 31), 12, 80 * M, 50.0, 88.0, None),
    # "PROFIT WARNING": "a decrease of approximately 40% to 50% in profit after tax for the year ended
    # 31 December 2024 as compared with that for the year ended 31 December 2023."
    ("pw-en-3318-pct-2024.pdf", "en", "warning", "profit_for_period", None, None, False, None,
     date(2024, 12, 31), 12, None, -50.0, -40.0, None),
    # "INSIDE INFORMATION / PROFIT WARNING": "a loss attributable to shareholders of approximately US$3.5
    # million for the six months ended 30 June 2025, as compared to a loss of approximately US$1.2 million"
    ("pw-en-2343-usd-loss-2025.pdf", "en", "warning", "profit_attributable", -3.5 * M, -3.5 * M, True, "USD",
     date(2025, 6, 30), 6, -1.2 * M, None, None, None),
    # "盈利警告": "截至二零二五年九月三十日止六個月將錄得本公司擁有人應佔虧損不少於港幣4,500萬元，
    # 而截至二零二四年九月三十日止六個月則錄得本公司擁有人應佔虧損約港幣1,370萬元。"
    ("pw-zh-1462-loss-wan-2025.pdf", "zh", "warning", "profit_attributable", None, -45 * M, False, "HKD",
     date(2025, 9, 30), 6, -13.7 * M, None, None, "at_least"),
    # "PROFIT WARNING": "(i) revenue of approximately HK$1.2 billion (2023: HK$1.5 billion); and (ii) a loss
    # for the year of approximately HK$75 to 85 million (2023: a profit of HK$42.6 million)"; year ended
    # 31 December 2024
    ("pw-en-1180-several-2024.pdf", "en", "warning", "profit_for_period", -85 * M, -75 * M, True, "HKD",
     date(2024, 12, 31), 12, 42.6 * M, None, None, None),
    # "POSITIVE PROFIT ALERT": "a profit for the six months ended 30 June 2025 of not less than RMB14.0
    # million, representing an increase of not less than 15% as compared with approximately RMB12.5 million"
    ("pw-en-2512-positive-2025.pdf", "en", "positive", "profit_for_period", 14 * M, None, False, "RMB",
     date(2025, 6, 30), 6, 12.5 * M, 15.0, None, "at_least"),
    # "PROFIT WARNING": "a loss attributable to owners of the Company of between US$80 million and US$90
    # million for the year ended 31 December 2024, compared with a profit attributable to owners of the
    # Company of approximately US$14.0 million"
    ("pw-en-1234-loss-2024.pdf", "en", "warning", "profit_attributable", -90 * M, -80 * M, False, "USD",
     date(2024, 12, 31), 12, 14 * M, None, None, None),
    # "PROFIT WARNING": "the loss of the Group for the year ending 31 December 2025 is expected to increase
    # significantly as compared with that for the year ended 31 December 2024": no figure
    ("pw-en-1552-unreadable-2025.pdf", "en", "warning", "profit_for_period", None, None, False, None,
     date(2025, 12, 31), 12, None, None, None, None),
]


def read(warning: ProfitWarning) -> tuple[object, ...]:
    return (warning.language, warning.direction, warning.measure, warning.low, warning.high,
            warning.approximate, warning.currency, warning.period_end, warning.months, warning.prior,
            warning.change_low_pct, warning.change_high_pct, warning.bound)


@pytest.mark.parametrize(("name", "expected"), [(row[0], row[1:]) for row in FIXTURE_CASES])
def test_fixture_warning(name: str, expected: tuple[object, ...]) -> None:
    assert read(parse_profit_warning(NOTICES / name)) == pytest.approx(expected)


@pytest.mark.parametrize(("name", "company", "codes"), [
    ("pw-en-0539-loss-range-2025.pdf", "SEAVIEW HOTELS GROUP LIMITED", ("00539",)),
    ("pw-zh-0539-loss-range-2025.pdf", "海濱酒店集團有限公司", ("00539",)),
    ("pw-zh-1897-positive-2025.pdf", "錦程物流控股有限公司", ("01897",)),
])
def test_company_and_codes_from_the_cover(name: str, company: str, codes: tuple[str, ...]) -> None:
    warning = parse_profit_warning(NOTICES / name)
    assert (warning.company, warning.stock_codes) == (company, codes)


def test_figure_is_quoted_from_its_sentence() -> None:
    warning = parse_profit_warning(NOTICES / "pw-en-0539-loss-range-2025.pdf")
    assert warning.sentence is not None
    assert ("a loss of between HK$60 million and HK$70 million for the year ending 31 March 2025"
            in warning.sentence)
    assert warning.rounding == 1e6 and warning.has_figure


def test_other_measures_are_noted() -> None:
    several = parse_profit_warning(NOTICES / "pw-en-1180-several-2024.pdf")
    assert any("revenue" in n and "1,200,000,000" in n for n in several.notes)
    alert = parse_profit_warning(NOTICES / "pw-en-6616-positive-2025.pdf")
    assert any("revenue" in n and "+30%" in n for n in alert.notes)


def test_unreadable_figure_is_missing_with_the_reason() -> None:
    warning = parse_profit_warning(NOTICES / "pw-en-1552-unreadable-2025.pdf")
    assert not warning.has_figure
    assert any("no figure for the expected loss" in n and "increase significantly" in n
               for n in warning.notes)


def test_record_survives_json() -> None:
    warning = parse_profit_warning(NOTICES / "pw-zh-1462-loss-wan-2025.pdf")
    assert ProfitWarning.from_json_dict(warning.to_json_dict()) == warning


# Real warnings' phrasing, one sentence each, under the title "PROFIT WARNING"; expected: measure, low,
# high, approximate, currency, period end, months, prior, change low %, change high %, bound
PHRASINGS = [
    pytest.param(
        "the Group expects to record a loss attributable to shareholders of approximately HK$700 million to "
        "HK$800 million for the year ended March 31, 2022, compared with a profit attributable to "
        "shareholders of HK$622 million for the same period last year.",
        ("profit_attributable", -800 * M, -700 * M, True, "HKD", date(2022, 3, 31), 12, 622 * M, None, None,
         None), id="range, US-style date"),
    pytest.param(
        "董事會謹此知會股東，預期截至2024年9月30日止六個月將錄得虧損約20至30百萬港元。"
        "相比之下，2023年同期錄得溢利約572百萬港元。",
        ("profit_for_period", -30 * M, -20 * M, True, "HKD", date(2024, 9, 30), 6, 572 * M, None, None, None),
        id="20至30百萬港元, prior in the next sentence"),
    pytest.param(
        "the Group is expected to record a consolidated net loss in the range of approximately HK$16.0 "
        "million to HK$20.0 million for the year ending 31 March 2020, as compared with a net profit of "
        "approximately HK$0.8 million for the corresponding year in 2019.",
        ("profit_for_period", -20 * M, -16 * M, True, "HKD", date(2020, 3, 31), 12, 0.8 * M, None, None,
         None),
        id="in the range of"),
    pytest.param(
        "the Group is expected to record a net loss attributable to owners of the Company of not less than "
        "approximately HK$45 million for the year ending 31 March 2021, as compared with a net loss "
        "attributable to owners of the Company of approximately HK$13.7 million for the year ended "
        "31 March 2020.",
        ("profit_attributable", None, -45 * M, True, "HKD", date(2021, 3, 31), 12, -13.7 * M, None, None,
         "at_least"), id="loss not less than"),
    pytest.param(
        "the Group expects to record a loss of no more than HK$11 million for the year ending 31 March 2025, "
        "compared to a loss of HK$36.5 million in the previous year.",
        ("profit_for_period", -11 * M, None, False, "HKD", date(2025, 3, 31), 12, -36.5 * M, None, None,
         "at_most"), id="loss no more than"),
    pytest.param(
        "預期本集團截至二零二五年六月三十日止六個月之純利將較去年同期增加不少於80%。",
        ("profit_for_period", None, None, False, None, date(2025, 6, 30), 6, None, 80.0, None, None),
        id="純利 increase of not less than 80%"),
    pytest.param(
        "the Group expects to record revenue of approximately RMB2.1 billion for the year ended 31 December "
        "2024, representing an increase of approximately 25%, and net profit of approximately RMB350 "
        "million, representing an increase of approximately 40%.",
        ("profit_for_period", 350 * M, 350 * M, True, "RMB", date(2024, 12, 31), 12, None, 40.0, 40.0, None),
        id="revenue and net profit: the profit leads"),
    pytest.param(
        "the Group expects to record a profit of approximately RMB50 million for the year ended 31 December "
        "2024, as compared with a loss of approximately RMB120 million for the year ended 31 December 2023.",
        ("profit_for_period", 50 * M, 50 * M, True, "RMB", date(2024, 12, 31), 12, -120 * M, None, None,
         None),
        id="turnaround from a loss"),
    pytest.param(
        "the loss attributable to owners of the Company for the six months ended 30 June 2025 is expected to "
        "decrease by approximately 60% as compared with the corresponding period in 2024.",
        ("profit_attributable", None, None, False, None, date(2025, 6, 30), 6, None, 60.0, 60.0, None),
        id="a loss shrinking by 60% is +60%"),
    pytest.param(
        "the Group is expected to record a net loss of HK$700 million-HK$800 million for the six months "
        "ended 30 September 2025.",
        ("profit_for_period", -800 * M, -700 * M, False, "HKD", date(2025, 9, 30), 6, None, None, None, None),
        id="hyphen range"),
    pytest.param(
        "预计本集团截至2025年12月31日止年度归属于母公司股东的净利润约为人民币3.5亿元至4.2亿元，"
        "同比增长约35%至62%。",
        ("profit_attributable", 350 * M, 420 * M, True, "RMB", date(2025, 12, 31), 12, None, 35.0, 62.0,
         None),
        id="simplified, 亿元"),
    pytest.param(
        "the Group is expected to record an impairment loss of approximately HK$50 million on goodwill and, "
        "as a result, a loss for the year ending 31 December 2025 of approximately HK$30 million.",
        ("profit_for_period", -30 * M, -30 * M, True, "HKD", date(2025, 12, 31), 12, None, None, None, None),
        id="an impairment loss is not the result"),
    pytest.param(
        "the Group's net profit is expected to decrease from approximately HK$20 million for the year ended "
        "31 December 2023 to approximately HK$5 million for the year ended 31 December 2024.",
        ("profit_for_period", 5 * M, 5 * M, True, "HKD", date(2024, 12, 31), 12, 20 * M, None, None, None),
        id="from the prior to the expected"),
    pytest.param(
        "the Group is expected to turn from a profit of approximately HK$20 million for the year ended "
        "31 December 2023 to a loss of approximately HK$5 million for the year ended 31 December 2024.",
        ("profit_for_period", -5 * M, -5 * M, True, "HKD", date(2024, 12, 31), 12, 20 * M, None, None, None),
        id="turn from a profit to a loss"),
    pytest.param(
        "Based on information from the management accounts, the Group expects to record a loss of HK$60 "
        "million for the year ended 31 December 2024 compared to a profit of HK$5 million for 2023.",
        ("profit_for_period", -60 * M, -60 * M, False, "HKD", date(2024, 12, 31), 12, 5 * M, None, None,
         None), id="'from' that opens no range"),
    pytest.param(
        "預期本集團截至二零二四年十二月三十一日止年度之純利將由去年同期約20百萬港元減少至約5百萬港元。",
        ("profit_for_period", 5 * M, 5 * M, True, "HKD", date(2024, 12, 31), 12, 20 * M, None, None, None),
        id="由...減少至"),
    pytest.param(
        "the Group's net profit for the year ended 31 December 2024 is expected to decrease by approximately "
        "HK$50 million as compared with the year ended 31 December 2023.",
        ("profit_for_period", None, None, False, None, date(2024, 12, 31), 12, None, None, None, None),
        id="a decrease of HK$50 million is not the profit"),
    pytest.param(
        "預期本集團截至二零二五年六月三十日止六個月之收益將減少約人民幣50百萬元，而淨虧損將約為人民幣30百萬元。",
        ("profit_for_period", -30 * M, -30 * M, True, "RMB", date(2025, 6, 30), 6, None, None, None, None),
        id="revenue down by an amount, a net loss"),
]


@pytest.mark.parametrize(("sentence", "expected"), PHRASINGS)
def test_phrasing(sentence: str, expected: tuple[object, ...]) -> None:
    assert read(profit_warning_in(page(sentence)))[2:] == pytest.approx(expected)


@pytest.mark.parametrize(("amount", "value", "currency"), [
    ("HK$60 million", 60e6, "HKD"), ("HK$60m", 60e6, "HKD"), ("RMB1.2 billion", 1.2e9, "RMB"),
    ("US$3.5 million", 3.5e6, "USD"), ("HK$600,000", 6e5, "HKD"), ("HK$45 thousand", 4.5e4, "HKD"),
    ("人民幣1.2億元", 1.2e8, "RMB"), ("港幣4,500萬元", 4.5e7, "HKD"), ("592百萬港元", 5.92e8, "HKD"),
    ("人民幣50,000千元", 5e7, "RMB"), ("5千萬港元", 5e7, "HKD"), ("3.5百萬美元", 3.5e6, "USD"),
    ("1.2亿元人民币", 1.2e8, "RMB"),
])
def test_units(amount: str, value: float, currency: str) -> None:
    warning = profit_warning_in(page(f"the Group expects to record a loss of {amount} for the year ending "
                                     "31 March 2025."))
    assert (warning.low, warning.high, warning.currency) == pytest.approx((-value, -value, currency))


@pytest.mark.parametrize(("amount", "rounding"), [
    ("HK$592 million", 1e6), ("RMB14.0 million", 1e5), ("人民幣1.2億元", 1e7), ("HK$60,000,000", 1e6),
])
def test_rounding_is_the_printed_precision(amount: str, rounding: float) -> None:
    warning = profit_warning_in(page(f"the Group expects to record a loss of about {amount} for the year "
                                     "ending 31 March 2025."))
    assert warning.rounding == pytest.approx(rounding)


def test_currency_printed_once_in_the_sentence() -> None:
    sentence = ("預期本集團截至二零二五年十二月三十一日止年度將錄得虧損約5,000萬元，"
                "而去年同期則錄得溢利約人民幣3,000萬元。")
    warning = profit_warning_in(page(sentence, title="盈利警告"))
    assert (warning.low, warning.currency, warning.prior) == (-50 * M, "RMB", 30 * M)
    assert any("currency is not printed with the amount" in n for n in warning.notes)


def test_direction_from_the_figures_when_the_title_does_not_say() -> None:
    sentence = ("the Group expects to record a profit of approximately RMB50 million for the year ended "
                "31 December 2024, as compared with a loss of approximately RMB120 million for the year "
                "ended 31 December 2023.")
    assert profit_warning_in(page(sentence, title="INSIDE INFORMATION")).direction == "positive"


def test_results_announcement_is_refused() -> None:
    with pytest.raises(WrongDocumentError, match="results announcement"):
        parse_profit_warning(FIXTURES / "2512-cloud-factory-interim-2025.pdf")


@pytest.mark.parametrize("name", sorted(n for n, t in load(NOTICES).items() if t["kind"] != "profit_warning"))
def test_board_meeting_and_delay_notices_are_refused(name: str) -> None:
    with pytest.raises(WrongDocumentError, match="profit warning"):
        parse_profit_warning(NOTICES / name)


def test_untitled_notice_without_an_expected_result_is_refused() -> None:
    with pytest.raises(WrongDocumentError):
        profit_warning_in(page("The Board has resolved to declare a special dividend of HK$0.10 per share, "
                               "expected to be paid on 30 September 2025.", title="SPECIAL DIVIDEND"))


def test_not_a_pdf_is_unreadable() -> None:
    with pytest.raises(UnreadablePdfError):
        parse_profit_warning(b"%PDF-1.7 truncated")


# ---------------------------------------------------------------------------- against the results


def test_cloud_factory_profit_is_inside_its_alert() -> None:
    # alert: profit for the six months ended 30 June 2025 of not less than RMB14.0 million;
    # results (2512 fixture, page 1): profit for the period RMB14,923 thousand
    outcome = compare_with_warning(parse_profit_warning(NOTICES / "pw-en-2512-positive-2025.pdf"),
                                   parse_results(FIXTURES / "2512-cloud-factory-interim-2025.pdf"))
    assert outcome is not None
    assert (outcome.actual, outcome.verdict) == (14_923_000, "inside")


def test_harbour_robotics_loss_is_worse_than_its_warning() -> None:
    # warning: loss attributable to owners of US$80 million to US$90 million for 2024;
    # results (en-loss-final-2024 fixture): attributable to owners of the Company US$(95.0) million
    outcome = compare_with_warning(parse_profit_warning(NOTICES / "pw-en-1234-loss-2024.pdf"),
                                   parse_results(FIXTURES / "en-loss-final-2024.pdf"))
    assert outcome is not None
    assert (outcome.actual, outcome.verdict) == (-95_000_000, "worse")
    assert outcome.detail is not None and "below the warned range" in outcome.detail


def test_results_of_another_period_are_not_compared() -> None:
    warning = parse_profit_warning(NOTICES / "pw-en-1234-loss-2024.pdf")
    results = parse_results(FIXTURES / "2512-cloud-factory-interim-2025.pdf")
    assert compare_with_warning(warning, results) is None


def report(current: float | None, prior: float | None = None, *, measure: str = "profit_attributable",
           end: date = date(2025, 6, 30), months: int = 6, currency: str = "HKD") -> ResultsReport:
    return ResultsReport(company="Sample", stock_codes=("01234",), kind="interim", period_end=end,
                         months=months, prior_period_end=None, currency=currency, language="en",
                         metrics={measure: Metric(measure, current, prior)})


def warned(low: float | None, high: float | None, *, rounding: float | None = 1e6, prior: float | None = None,
           change: tuple[float | None, float | None] = (None, None)) -> ProfitWarning:
    return ProfitWarning(company="Sample", stock_codes=("01234",), language="en", direction="warning",
                         measure="profit_attributable", low=low, high=high, approximate=low == high,
                         currency="HKD", period_end=date(2025, 6, 30), months=6, prior=prior,
                         change_low_pct=change[0], change_high_pct=change[1], rounding=rounding)


@pytest.mark.parametrize(("warning", "result", "verdict"), [
    pytest.param(warned(-70 * M, -60 * M), report(-64.3 * M), "inside", id="loss 64.3m in 60m-70m"),
    pytest.param(warned(-70 * M, -60 * M), report(-70.4 * M), "inside", id="70.4m rounds to 70m"),
    pytest.param(warned(-70 * M, -60 * M), report(-71 * M), "worse", id="loss beyond the range"),
    pytest.param(warned(-70 * M, -60 * M), report(-52 * M), "better", id="loss smaller than warned"),
    pytest.param(warned(-3.5 * M, -3.5 * M, rounding=1e5), report(-3.54 * M), "inside", id="about 3.5m"),
    pytest.param(warned(-3.5 * M, -3.5 * M, rounding=1e5), report(-3.6 * M), "worse",
    id="3.6m is not about 3.5m"),
    pytest.param(warned(None, -45 * M), report(-80 * M), "inside", id="loss of not less than 45m"),
    pytest.param(warned(None, -45 * M), report(-40 * M), "better", id="smaller than the least loss warned"),
    pytest.param(warned(-11 * M, None), report(-8 * M), "inside", id="loss of at most 11m"),
    pytest.param(warned(-11 * M, None), report(2 * M), "better", id="a profit beats a loss of at most 11m"),
    pytest.param(warned(120 * M, None), report(119.6 * M), "inside",
    id="profit not less than 120m, rounding"),
    pytest.param(warned(None, None, change=(-50.0, -40.0)), report(55 * M, 100 * M), "inside",
                 id="down 45%, prior from the results"),
    pytest.param(warned(None, None, prior=100 * M, change=(-50.0, -40.0)), report(70 * M), "better",
                 id="down 30%, prior from the warning"),
    pytest.param(warned(None, None, change=(-50.0, -40.0)), report(55 * M), "unclear",
    id="no prior anywhere"),
    pytest.param(warned(None, None, change=(-50.0, -40.0)), report(-5 * M, 100 * M), "unclear",
                 id="a swing to loss has no percentage"),
    pytest.param(warned(None, None), report(-5 * M), "unclear", id="warning with no figure"),
    pytest.param(warned(-70 * M, -60 * M), report(-64 * M, currency="RMB"), "unclear", id="other currency"),
])
def test_verdict(warning: ProfitWarning, result: ResultsReport, verdict: str) -> None:
    outcome = compare_with_warning(warning, result)
    assert outcome is not None
    assert outcome.verdict == verdict
    assert outcome.actual == result.metrics["profit_attributable"].current
    assert outcome.detail


@pytest.mark.parametrize("result", [
    pytest.param(report(-64 * M, end=date(2025, 12, 31), months=12), id="another period"),
    pytest.param(report(-64 * M, months=3), id="same end, other length"),
    pytest.param(report(-64 * M, measure="revenue"), id="measure not in the report"),
    pytest.param(report(None), id="measure not read"),
])
def test_no_comparison(result: ResultsReport) -> None:
    assert compare_with_warning(warned(-70 * M, -60 * M), result) is None


def test_no_comparison_without_the_warning_period() -> None:
    assert compare_with_warning(replace(warned(-70 * M, -60 * M), period_end=None), report(-64 * M)) is None


# Warnings as 2007-2013 notices word them (one page each, read through the same text path).
WORDINGS = [
    pytest.param("INSIDE INFORMATION",
                 "Based on the preliminary review, the Board expects that the profit of the Group for the "
                 "year ended 31 December 2012 would decrease significantly as compared with 2011.",
                 "warning", None, None, date(2012, 12, 31), id="inside information, no warning word"),
    pytest.param("內幕消息",
                 "董事會預期本集團截至二零一二年十二月三十一日止年度之溢利將較二零一一年大幅減少。",
                 "warning", None, None, date(2012, 12, 31), id="內幕消息: 將較...減少"),
    pytest.param("PROFIT ALERT",
                 "The Board expects the Group to record a significant increase in net profit for the six "
                 "months ended 30 June 2010.",
                 "positive", None, None, date(2010, 6, 30), id="profit alert: an increase is positive"),
    pytest.param("PROFIT WARNING",
                 "Based on the preliminary assessment, the Group may record a loss for the year ended 31 "
                 "December 2008, as compared with a profit of HK$80.5 million for the year ended 31 December "
                 "2007, mainly due to the provision for impairment of trade receivables.",
                 "warning", None, 80.5 * M, date(2008, 12, 31), id="may record a loss, prior stated"),
    pytest.param("PROFIT WARNING",
                 "The Board expects the Group to record a net loss for the six months ended 30 June 2009. In "
                 "the corresponding period of 2008, the Group recorded a net profit of approximately HK$45.6 "
                 "million.",
                 "warning", None, 45.6 * M, date(2009, 6, 30), id="next-sentence prior"),
    pytest.param("PROFIT WARNING",
                 "The Group is expected to record a loss for the year ended 31 December 2012. The Group "
                 "recorded a loss of approximately HK$30 million on the disposal of a subsidiary.",
                 "warning", None, None, date(2012, 12, 31), id="a loss with no period is not the result"),
]


@pytest.mark.parametrize(("title", "body", "direction", "low", "prior", "period_end"), WORDINGS)
def test_warning_wording(title: str, body: str, direction: str, low: float | None, prior: float | None,
                         period_end: date) -> None:
    warning = profit_warning_in(page(body, title=title))
    assert (warning.direction, warning.low, warning.prior, warning.period_end) == (
        direction, low, prior, period_end)
