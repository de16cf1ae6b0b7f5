"""Generated notices with the traits of real text layers (tests/fixtures/notices/traits.py), one named
test per trait, and every generated notice against tests/fixtures/notices/truth.json.

What each trait file prints is quoted beside its test; the PDFs are drawn line by line, so a quoted
"/" is where the printed line breaks.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from notice_truth import NOTICES, load, mismatches

from parsers.board_meeting import parse_board_meeting
from parsers.document import PdfSource
from parsers.errors import WrongDocumentError
from parsers.profit_warning import parse_profit_warning
from parsers.reading import read_document

TRUTH = load(NOTICES)


def reading(name: str) -> dict[str, Any]:
    return read_document(NOTICES / name).to_json_dict()


def page_texts(name: str) -> tuple[str, str]:
    """The first page as pdfium gives it, and with overdrawn glyphs kept once."""
    with PdfSource((NOTICES / name).read_bytes()) as pdf:
        return pdf.text(0), pdf.text_once(0)


def test_every_generated_notice_is_in_the_truth_file() -> None:
    generated = {p.relative_to(NOTICES).as_posix() for p in NOTICES.glob("**/*.pdf") if "real" not in p.parts}
    assert generated == set(TRUTH)


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_generated_notice_against_its_truth(name: str) -> None:
    assert mismatches(reading(name), TRUTH[name]) == []


# ---------------------------------------------------------------- text-layer traits


def test_spaced_characters() -> None:
    # spaced on some lines only: "本 公 司 將 於 二 零 零 八 年 八" / "月 二 十 日（ 星 期 三 ）舉 行 董
    # 事 會 會 議"
    raw, _ = page_texts("trait-bm-zh-spaced-2008.pdf")
    assert "二 零 零 八 年 八" in raw
    notice = parse_board_meeting(NOTICES / "trait-bm-zh-spaced-2008.pdf")
    assert (notice.meeting_date, notice.results, notice.period_end) == (date(2008, 8, 20), "interim",
                                                                        date(2008, 6, 30))
    assert notice.purpose is not None
    assert "本公司將於二零零八年八月二十日（星期三）舉行董事會會議" in notice.purpose


def test_overdrawn_fake_bold_runs_are_kept_once() -> None:
    # the title 董事會會議召開日期 drawn again whole, 董事會會議 twice more and 會議召開日期 once more
    raw, once = page_texts("trait-bm-zh-fakebold-2015.pdf")
    assert raw.count("會議召開日期") >= 2
    assert once.count("會議召開日期") == 1
    assert read_document(NOTICES / "trait-bm-zh-fakebold-2015.pdf").title == "董事會會議召開日期"


def test_stray_duplicate_between_date_and_weekday() -> None:
    # a copy of 本公司 drawn over the first one after "...二零一五年八月二十七日（星" and before "期四）"
    raw, once = page_texts("trait-bm-zh-fakebold-2015.pdf")
    assert "（星 本公司" in raw
    assert "本公司" not in once.split("（星", 1)[1][:6]
    notice = parse_board_meeting(NOTICES / "trait-bm-zh-fakebold-2015.pdf")
    assert notice.meeting_date == date(2015, 8, 27)
    assert not any("prints" in n for n in notice.notes)  # the weekday 星期四 is read beside its date


def test_genuine_repeated_text_is_not_deduplicated() -> None:
    # "第三十三屆董事會謹訂於二零二零年三月三十一日（星期二）", the title and the date drawn over themselves
    raw, once = page_texts("trait-bm-zh-repeats-2020.pdf")
    assert raw.count("二零二零年三月三十一日") == 2
    assert once.count("二零二零年三月三十一日") == 1
    assert "第三十三屆" in once and "香港，二零二零年三月十六日" in once
    assert parse_board_meeting(NOTICES / "trait-bm-zh-repeats-2020.pdf").meeting_date == date(2020, 3, 31)


def test_compatibility_ideographs() -> None:
    # 二零一四年八月二十八日 printed with 零 U+F9B2 and 年 U+F98E, 舉行 with 行 U+FA08
    raw, _ = page_texts("trait-bm-zh-compat-2014.pdf")
    assert "\uf9b2" in raw and "\uf98e" in raw
    notice = parse_board_meeting(NOTICES / "trait-bm-zh-compat-2014.pdf")
    assert (notice.meeting_date, notice.period_end) == (date(2014, 8, 28), date(2014, 6, 30))


def test_dates_broken_across_lines() -> None:
    # "...將於二零零八年八" / "月二十日（星期三）" and "Wednesday, 20th" / "August, 2008"
    assert parse_board_meeting(NOTICES / "trait-bm-zh-spaced-2008.pdf").meeting_date == date(2008, 8, 20)
    assert parse_board_meeting(NOTICES / "trait-bm-en-oldstyle-2008.pdf").meeting_date == date(2008, 8, 20)


def test_old_style_dates() -> None:
    # "Wednesday, 20th August, 2008 ... six months ended 30th June, 2008"; "Tuesday, November 9, 2010"
    old = parse_board_meeting(NOTICES / "trait-bm-en-oldstyle-2008.pdf")
    assert (old.meeting_date, old.period_end, old.months) == (date(2008, 8, 20), date(2008, 6, 30), 6)
    gem = parse_board_meeting(NOTICES / "trait-bm-en-quarterly-2010.pdf")
    assert (gem.meeting_date, gem.results, gem.period_end, gem.months) == (
        date(2010, 11, 9), "quarterly", date(2010, 9, 30), 9)


# ---------------------------------------------------------------- board meetings: changes and delays


@pytest.mark.parametrize("name", ["trait-bm-en-change-2008.pdf", "trait-bm-zh-change-2008.pdf"])
def test_change_of_date_the_new_date_wins(name: str) -> None:
    # "has been changed from Wednesday, 20 August 2008 to Thursday, 28 August 2008";
    # "已由二零零八年八月二十日（星期三）更改為二零零八年八月二十八日（星期四）"
    notice = parse_board_meeting(NOTICES / name)
    assert (notice.meeting_date, notice.replaces_date, notice.is_delay) == (date(2008, 8, 28),
                                                                           date(2008, 8, 20), False)
    assert (notice.results, notice.period_end) == ("interim", date(2008, 6, 30))


@pytest.mark.parametrize("name", ["trait-bm-en-clarification-2009.pdf", "trait-bm-zh-clarification-2009.pdf"])
def test_clarification_the_corrected_date_wins(name: str) -> None:
    # "should be Friday, 27 March 2009 instead of Friday, 20 March 2009 as stated in the Announcement";
    # "應為二零零九年三月二十七日（星期五），而非該公告所述之二零零九年三月二十日"
    notice = parse_board_meeting(NOTICES / name)
    assert (notice.meeting_date, notice.replaces_date) == (date(2009, 3, 27), date(2009, 3, 20))
    assert reading(name)["kind"] == "board_meeting"


@pytest.mark.parametrize("name", ["trait-circular-en-delay-2010.pdf", "trait-circular-zh-delay-2010.pdf"])
def test_circular_delay_is_not_a_results_delay(name: str) -> None:
    # "DELAY IN DESPATCH OF CIRCULAR ... delayed to a date on or before 30 July 2010"; 延遲寄發通函
    got = reading(name)
    assert got["kind"] == "circular" and "meeting_date" not in got
    with pytest.raises(WrongDocumentError) as refused:
        parse_board_meeting(NOTICES / name)
    assert refused.value.kind == "circular"


def test_results_delay_on_or_before() -> None:
    # "截至二零零八年十二月三十一日止年度之全年業績將延遲刊發 ... 將於二零零九年四月 / 三十日或之前刊發"
    notice = parse_board_meeting(NOTICES / "trait-delay-zh-final-2009.pdf")
    assert (notice.is_delay, notice.meeting_date, notice.on_or_before, notice.results) == (
        True, date(2009, 4, 30), True, "final")


# ---------------------------------------------------------------- profit warnings and alerts


def test_figure_in_the_second_paragraph() -> None:
    # p1 "... expected to record a loss for the six months ended 30 June 2012."; next paragraph "The
    # unaudited net loss ... amounted to approximately RMB35 million, as compared with a net profit of
    # approximately RMB12 million"; the goodwill impairment of RMB28 million is a reason
    warning = parse_profit_warning(NOTICES / "trait-pw-en-second-para-2012.pdf")
    assert (warning.low, warning.high, warning.currency, warning.prior) == (-35e6, -35e6, "RMB", 12e6)
    assert warning.sentence is not None and warning.sentence.startswith("The unaudited net loss")


def test_chinese_range_in_millions() -> None:
    # "虧損介乎約 6 0 百 萬 港 元 至 7 0 百 萬 港" / "元，而截至二零一一年...則錄得溢利約25百萬港元"
    warning = parse_profit_warning(NOTICES / "trait-pw-zh-range-million-2012.pdf")
    assert (warning.low, warning.high, warning.currency, warning.prior, warning.approximate) == (
        -70e6, -60e6, "HKD", 25e6, True)


def test_chinese_range_in_full_units() -> None:
    # "虧損介乎 6 0 , 0 0 0 , 0 0 0 港 元 至 7 0 , 0 0 0 , 0 0 0 港 元，而...則錄得溢利約30,200,000港元"
    warning = parse_profit_warning(NOTICES / "trait-pw-zh-range-full-2008.pdf")
    assert (warning.low, warning.high, warning.prior) == (-70e6, -60e6, 30.2e6)


def test_chinese_yi_and_wan() -> None:
    # "本公司擁有人應佔虧損約1.2億港元，而去年同 / 期則錄得本公司擁有人應佔溢利約3,500萬港元"
    warning = parse_profit_warning(NOTICES / "trait-pw-zh-yi-2012.pdf")
    assert (warning.measure, warning.low, warning.prior) == ("profit_attributable", -120e6, 35e6)


@pytest.mark.parametrize("name", ["trait-pw-en-positive-prior-2010.pdf",
                                  "trait-pw-zh-positive-prior-2010.pdf"])
def test_positive_alert_with_the_prior_figure_only(name: str) -> None:
    # "a substantial increase in net profit ... as compared with the net profit of approximately HK$52.3
    # million"; "純利將較...之純利約52,300,000港元大幅增加"
    warning = parse_profit_warning(NOTICES / name)
    assert (warning.direction, warning.low, warning.high, warning.prior) == ("positive", None, None, 52.3e6)
    assert warning.period_end == date(2010, 12, 31)


def test_warning_with_no_figure_says_so() -> None:
    # "預期本集團截至二零零八年十二月三十一日止 / 年度之財務業績將大幅下降" (financial results, no figure)
    warning = parse_profit_warning(NOTICES / "trait-pw-zh-no-figure-2008.pdf")
    assert (warning.low, warning.high, warning.prior, warning.change_low_pct) == (None, None, None, None)
    assert warning.period_end == date(2008, 12, 31)
    assert warning.sentence is not None and "財務業績將大幅下降" in warning.sentence
    assert any("states no figure for the expected result" in n for n in warning.notes)


@pytest.mark.parametrize("name", ["trait-pw-en-revenue-trap-2015.pdf", "trait-pw-zh-revenue-trap-2015.pdf"])
def test_revenue_percentage_is_not_the_profits_change(name: str) -> None:
    # "This expected decrease is primarily attributable to a decrease in revenue of approximately 24%";
    # "預 期 溢 利 減 少 主 要 歸 因 於 收 益 減 少 約 2 4 %"
    warning = parse_profit_warning(NOTICES / name)
    assert (warning.measure, warning.change_low_pct, warning.change_high_pct) == (
        "profit_for_period", None, None)


# ---------------------------------------------------------------- the demo notices


def test_demo_notices_precede_their_results() -> None:
    from parsers.profit_warning import compare_with_warning
    from parsers.results import parse_results

    meeting = parse_board_meeting(NOTICES / "demo" / "bm-en-2512-interim-2025.pdf")
    # "will be held on Thursday, 28 August 2025 ... six months ended 30 June 2025"
    assert (meeting.stock_codes, meeting.meeting_date, meeting.results, meeting.period_end) == (
        ("02512",), date(2025, 8, 28), "interim", date(2025, 6, 30))
    # the results that follow: SenseTime's loss for the period, RMB1,489,270 thousand
    warning = parse_profit_warning(NOTICES / "demo" / "pw-en-0020-interim-2025.pdf")
    outcome = compare_with_warning(warning, parse_results(NOTICES.parent / "0020-sensetime-interim-2025.pdf"))
    assert outcome is not None and (outcome.actual, outcome.verdict) == (-1_489_270_000.0, "inside")
