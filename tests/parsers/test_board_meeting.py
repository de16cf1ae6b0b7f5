"""Board-meeting and delay notices (HKEXnews 13150 / 13200).

Fixture PDFs are typeset by tests/fixtures/notices/make_notices.py; what each one prints is quoted
beside its case (every notice is one page). Phrasing cases are single sentences as real notices
print them, read through the same text path (cover, title, sentences) as a PDF's page text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from notice_truth import load

from parsers.board_meeting import board_meetings_in, parse_board_meeting, parse_board_meetings
from parsers.dates import find_date_spans, find_periods, stated_weekday
from parsers.errors import UnreadablePdfError, WrongDocumentError
from parsers.kinds import DocumentKind
from parsers.notices import BoardMeetingNotice, join_lines, split_sentences
from parsers.results import parse_results

FIXTURES = Path(__file__).parent.parent / "fixtures"
NOTICES = FIXTURES / "notices"
TRUTH = load(NOTICES)


def page(title: str, body: str) -> list[str]:
    """One notice page as pdfium extracts it: disclaimer, cover, stock code, title, body, sign-off."""
    return ["Hong Kong Exchanges and Clearing Limited and The Stock Exchange of Hong Kong Limited take no "
            "responsibility for the contents of this announcement.\nSample Holdings Limited\n"
            f"(Stock Code: 1234)\n{title}\n{body}\n"
            "By order of the Board\nSample Holdings Limited\nHong Kong, 1 August 2025"]


# file, language, meeting date, results, period end, months, dividend, is_delay, on_or_before
FIXTURE_CASES = [
    # "will be held on Friday, 29 August 2025 ... interim results ... for the six months ended 30 June 2025
    # ... considering the payment of an interim dividend, if any"
    ("bm-en-1688-interim-2025.pdf", "en", date(2025, 8, 29), "interim", date(2025, 6, 30), 6,
     True, False, False),
    # "董事會會議將於二零二五年八月二十九日（星期五）舉行 ... 截至二零二五年六月三十日止六個月之中期業績 ...
    # 考慮派發中期股息（如有）"
    ("bm-zh-1688-interim-2025.pdf", "zh", date(2025, 8, 29), "interim", date(2025, 6, 30), 6,
     True, False, False),
    # "held on Thursday, June 26, 2025 at 2:30 p.m. ... annual results ... for the year ended March 31, 2025
    # ... to consider the recommendation of a final dividend"
    ("bm-en-0377-final-2025.pdf", "en", date(2025, 6, 26), "final", date(2025, 3, 31), 12,
     True, False, False),
    # "scheduled to be held on Thursday, 27th November, 2025 ... unaudited interim results ... for the six
    # months ending 30th September, 2025"; next sentence "... the declaration of an interim dividend"
    ("bm-en-0377-interim-2025.pdf", "en", date(2025, 11, 27), "interim", date(2025, 9, 30), 6, True, False,
     False),
    # "held on Thursday, 26th March 2026 ... final results ... for the year ended 31st December, 2025";
    # no dividend mentioned
    ("bm-en-0888-final-2025.pdf", "en", date(2026, 3, 26), "final", date(2025, 12, 31), 12,
     None, False, False),
    # "將於2026年3月26日（星期四）舉行 ... 截至2025年12月31日止年度之全年業績 ... 建議派發末期股息（如有）"
    ("bm-zh-0888-final-2025.pdf", "zh", date(2026, 3, 26), "final", date(2025, 12, 31), 12,
     True, False, False),
    # GEM: "held on May 8, 2025 ... first quarterly results ... for the three months ended 31 March 2025"
    ("bm-en-8321-quarterly-2025.pdf", "en", date(2025, 5, 8), "quarterly", date(2025, 3, 31), 3, None, False,
     False),
    # "將於二零二五年十一月十二日（星期三）舉行 ... 截至二零二五年九月三十日止九個月之第三季度業績"
    ("bm-zh-8321-quarterly-2025.pdf", "zh", date(2025, 11, 12), "quarterly", date(2025, 9, 30), 9,
     None, False, False),
    # two meetings: Wednesday, 20 August 2025 (a proposed disposal) and Thursday, 28 August 2025 (interim
    # results, six months ended 30 June 2025, "does not intend to consider the payment of any interim
    # dividend"); register closed 8 to 11 September 2025
    ("bm-en-2299-two-meetings-2025.pdf", "en", date(2025, 8, 28), "interim", date(2025, 6, 30), 6,
     False, False, False),
    # "annual results ... for the year ended 31 December 2024"; "will not be able to publish ... on or before
    # 31 March 2025"; "originally scheduled to be held on 28 March 2025 will be postponed"; "will be published
    # on or before 30 September 2025"; "suspended with effect from 9:00 a.m. on Tuesday, 1 April 2025"
    ("delay-en-1419-final-2024.pdf", "en", date(2025, 9, 30), "final", date(2024, 12, 31), 12,
     None, True, True),
    # "interim results ... for the six months ended 30 June 2025 ... will not be published on or before
    # 31 August 2025 ... originally scheduled to be held on Friday, 29 August 2025 will be postponed to a date
    # to be fixed"
    ("delay-en-1419-interim-2025.pdf", "en", None, "interim", date(2025, 6, 30), 6, None, True, False),
    # "截至二零二五年六月三十日止六個月之中期業績 ... 將延遲刊發"; "原定於二零二五年八月二十九日（星期五）舉行
    # ... 之董事會會議將會延期"; no new date
    ("delay-zh-6128-interim-2025.pdf", "zh", None, "interim", date(2025, 6, 30), 6, None, True, False),
    # a change of date, not a delay of results: "茲提述 ... 日期為二零二六年三月十日之公告 ...
    # 將於二零二六年三月二十日（星期五）舉行會議"; then "將延後至二零二六年三月三十日（星期一）
    # 舉行 ... 截至二零二五年十二月三十一日止年度之全年業績，以及考慮建議派發末期股息（如有）"
    ("bm-zh-6128-change-2026.pdf", "zh", date(2026, 3, 30), "final", date(2025, 12, 31), 12,
     True, False, False),
]


@pytest.mark.parametrize(("name", "language", "meeting", "results", "period_end", "months", "dividend",
                          "is_delay", "on_or_before"), FIXTURE_CASES)
def test_fixture_notice(name: str, language: str, meeting: date | None, results: str | None,
                        period_end: date | None, months: int | None, dividend: bool | None, is_delay: bool,
                        on_or_before: bool) -> None:
    notice = parse_board_meeting(NOTICES / name)
    assert (notice.language, notice.meeting_date, notice.results, notice.period_end, notice.months,
            notice.dividend, notice.is_delay, notice.on_or_before) == (
        language, meeting, results, period_end, months, dividend, is_delay, on_or_before)


@pytest.mark.parametrize(("name", "company", "codes"), [
    ("bm-en-1688-interim-2025.pdf", "HARBOUR LANTERN HOLDINGS LIMITED", ("01688",)),
    ("bm-zh-1688-interim-2025.pdf", "海港燈籠控股有限公司", ("01688",)),
    ("bm-en-0377-final-2025.pdf", "JADE PEAK RETAIL GROUP LIMITED", ("00377",)),
    ("bm-en-0888-final-2025.pdf", "East Asia Chipworks Technology Co., Ltd.", ("00888", "80888")),
    ("bm-zh-0888-final-2025.pdf", "東亞晶片科技股份有限公司", ("00888", "80888")),
    ("delay-zh-6128-interim-2025.pdf", "綠源環保集團有限公司", ("06128",)),
])
def test_company_and_codes_from_the_cover(name: str, company: str, codes: tuple[str, ...]) -> None:
    notice = parse_board_meeting(NOTICES / name)
    assert (notice.company, notice.stock_codes) == (company, codes)


def test_purpose_is_the_sentence_as_printed() -> None:
    notice = parse_board_meeting(NOTICES / "bm-en-1688-interim-2025.pdf")
    assert notice.purpose is not None
    assert notice.purpose.startswith("NOTICE IS HEREBY GIVEN that a meeting of the board of directors")
    assert "considering the payment of an interim dividend" in notice.purpose


def test_two_meetings_each_read_and_the_other_noted() -> None:
    meetings = parse_board_meetings(NOTICES / "bm-en-2299-two-meetings-2025.pdf")
    assert [(m.meeting_date, m.results) for m in meetings] == [(date(2025, 8, 20), None),
                                                               (date(2025, 8, 28), "interim")]
    assert any("not said to approve results" in n for n in meetings[0].notes)
    chosen = parse_board_meeting(NOTICES / "bm-en-2299-two-meetings-2025.pdf")
    assert any("2025-08-20" in n and "not said to approve results" in n for n in chosen.notes)


def test_meeting_not_about_results_has_no_results_entry() -> None:
    notice = parse_board_meeting(NOTICES / "bm-en-2299-transaction-2025.pdf")
    # page 1: "held on Monday, 6 October 2025 for the purpose of considering ... a proposed rights issue"
    assert (notice.meeting_date, notice.results, notice.period_end, notice.months) == (
        date(2025, 10, 6), None, None, None)
    assert any("not said to approve results" in n for n in notice.notes)


def test_delay_without_a_date_says_so() -> None:
    for name in ("delay-en-1419-interim-2025.pdf", "delay-zh-6128-interim-2025.pdf"):
        notice = parse_board_meeting(NOTICES / name)
        assert notice.meeting_date is None
        assert any("no new date" in n for n in notice.notes), name


def test_delay_deadline_is_flagged() -> None:
    notice = parse_board_meeting(NOTICES / "delay-en-1419-final-2024.pdf")
    assert notice.on_or_before
    assert any("latest date" in n for n in notice.notes)


def test_record_survives_json() -> None:
    notice = parse_board_meeting(NOTICES / "delay-en-1419-final-2024.pdf")
    assert BoardMeetingNotice.from_json_dict(notice.to_json_dict()) == notice


# Phrasings from real notices (English and simplified / traditional Chinese), one sentence each:
# title, sentence, then meeting date, results, period end, months, dividend, is_delay.
PHRASINGS = [
    pytest.param("DATE OF BOARD MEETING",
                 'The board of directors (the "Board") of the Company announces that the Board will hold a '
                 'meeting on Wednesday, 26 November 2025 to consider and approve the unaudited consolidated '
                 'financial results of the Company and its subsidiaries for the six months ending 30 '
                 'September 2025, and to consider the declaration of an interim dividend, if applicable.',
                 date(2025, 11, 26), "interim", date(2025, 9, 30), 6, True, False,
                 id="will hold, kind from period"),
    pytest.param("董事会会议召开日期",
                 "本公司将于二零一九年九月二十七日(星期五)举行董事会会议,藉以(其中包括)考虑及批准本公司及其附"
                 "属公司截至二零一九年六月三十日止年度之年度业绩,并建议宣派末期股息(如有)。",
                 date(2019, 9, 27), "final", date(2019, 6, 30), 12, True, False,
                 id="simplified, June year end"),
    pytest.param("董事会会议日期",
                 "董事会会议将于二零一九年二月二十八日（星期四）举行，旨在（其中包括）批准刊发本公司及其附属"
                 "公司截至二零一八年十二月三十一日止六个月的中期业绩公告，以及考虑宣派中期股息（如有）。",
                 date(2019, 2, 28), "interim", date(2018, 12, 31), 6, True, False,
                 id="simplified, interim to Dec"),
    pytest.param("NOTICE OF BOARD MEETING",
                 "NOTICE IS HEREBY GIVEN that a meeting of the board of directors of the Company will be "
                 "held at the Company's principal office on Tuesday, 19 August 2025 at 10:00 a.m. The "
                 "purposes of the meeting are, among other things, to approve the interim results of the "
                 "Group for the six months ended 30 June 2025 and to consider the payment of an interim "
                 "dividend.",
                 date(2025, 8, 19), "interim", date(2025, 6, 30), 6, True, False,
                 id="purpose in the next sentence"),
    pytest.param("CHANGE OF DATE OF BOARD MEETING",
                 "The board meeting originally scheduled to be held on Thursday, 28 August 2025 has been "
                 "rescheduled to Friday, 29 August 2025 for the purposes of approving the interim results of "
                 "the Company for the six months ended 30 June 2025.",
                 date(2025, 8, 29), "interim", date(2025, 6, 30), 6, None, False,
                 id="rescheduled: the new date"),
    pytest.param("FURTHER DELAY IN PUBLISHING THE 2020 AUDITED ANNUAL RESULTS AND POSTPONEMENT OF BOARD "
                 "MEETING",
                 "The Board hereby announces that the meeting of the Board originally postponed to be held "
                 "on Friday, 23 April 2021 has been further postponed to Thursday, 29 April 2021, during "
                 "which the Board will, among other matters, consider and approve the 2020 Audited Annual "
                 "Results and the 2021 First Quarterly Results.",
                 date(2021, 4, 29), "final", None, None, None, True,
                 id="further postponed, period not printed"),
    pytest.param("延遲刊發年度業績",
                 "根據本公司目前所得資料，董事會估計年度業績將於2021年7月30日或之前刊發。原定於2021年6月30日"
                 "舉行之董事會會議已延期。",
                 date(2021, 7, 30), "final", None, None, None, True, id="或之前: a deadline"),
    pytest.param("POSTPONEMENT OF BOARD MEETING",
                 "As more time is required by the Company to address the Auditor's queries, the Board "
                 "Meeting is accordingly postponed to another date to be fixed and announced by the Board.",
                 None, None, None, None, None, True, id="postponed to a date to be fixed"),
]


PHRASINGS += [
    pytest.param("BOARD MEETING",
                 "The board of directors of the Company will convene a board meeting on Friday, 27 June 2025 "
                 "to consider and approve the audited consolidated financial statements of the Group for the "
                 "year ended 31 March 2025.",
                 date(2025, 6, 27), "final", date(2025, 3, 31), 12, None, False,
                 id="financial statements for the year: final"),
    pytest.param("董事會會議召開日期",
                 "本公司董事會謹定於二零二五年八月二十七日（星期三）召開董事會會議，以（其中包括）審議及批准"
                 "本公司截至二零二五年六月三十日止六個月之中期業績。",
                 date(2025, 8, 27), "interim", date(2025, 6, 30), 6, None, False, id="謹定於...召開"),
]


@pytest.mark.parametrize(("title", "sentence", "meeting", "results", "period_end", "months", "dividend",
                          "is_delay"), PHRASINGS)
def test_phrasing(title: str, sentence: str, meeting: date | None, results: str | None,
                  period_end: date | None, months: int | None, dividend: bool | None, is_delay: bool) -> None:
    notice = board_meetings_in(page(title, sentence))[0]
    assert (notice.meeting_date, notice.results, notice.period_end, notice.months, notice.dividend,
            notice.is_delay) == (meeting, results, period_end, months, dividend, is_delay)


def test_printed_weekday_that_disagrees_is_noted_not_trusted() -> None:
    notice = board_meetings_in(page("DATE OF BOARD MEETING",
                                    "A meeting of the board will be held on Thursday, 29 August 2025 to "
                                    "approve the interim results for the six months ended 30 June 2025."))[0]
    assert notice.meeting_date == date(2025, 8, 29)
    assert any("Thursday" in n and "Friday" in n for n in notice.notes)


def test_two_kinds_of_results_of_a_postponed_meeting_are_both_said() -> None:
    # postponed to a known day: a change of date, one entry per results the meeting approves
    notices = board_meetings_in(page("POSTPONEMENT OF BOARD MEETING",
                                     "The meeting of the Board has been further postponed to Thursday, 29 "
                                     "April 2021, during which the Board will consider and approve the 2020 "
                                     "Audited Annual Results and the 2021 First Quarterly Results."))
    assert [(n.meeting_date, n.results, n.is_delay) for n in notices] == [
        (date(2021, 4, 29), "final", False), (date(2021, 4, 29), "quarterly", False)]
    # as one record: the final results' meeting, the quarterly results noted
    delay = board_meetings_in(page("DELAY IN PUBLICATION OF RESULTS",
                                   "The meeting of the Board has been further postponed to Thursday, 29 "
                                   "April 2021, during which the Board will consider and approve the 2020 "
                                   "Audited Annual Results and the 2021 First Quarterly Results."))[0]
    assert (delay.meeting_date, delay.results, delay.is_delay) == (date(2021, 4, 29), "final", True)
    assert any("quarterly" in n for n in delay.notes)


@pytest.mark.parametrize(("text", "dividend"), [
    ("A meeting of the Board will be held on 28 August 2025 to approve the interim results for the six "
     "months ended 30 June 2025. The final dividend for 2024 was paid on 15 July 2025.", None),
    ("A meeting of the Board will be held on 28 August 2025 to approve the interim results for the six "
     "months ended 30 June 2025 and to consider whether or not to declare an interim dividend.", True),
    ("A meeting of the Board will be held on 28 August 2025 to approve the interim results for the six "
     "months ended 30 June 2025. No interim dividend will be considered at the meeting.", False),
])
def test_dividend_is_what_the_meeting_will_consider(text: str, dividend: bool | None) -> None:
    assert board_meetings_in(page("DATE OF BOARD MEETING", text))[0].dividend is dividend


@pytest.mark.parametrize(("title", "sentence"), [
    ("NOTICE OF ANNUAL GENERAL MEETING",
     "NOTICE IS HEREBY GIVEN that the annual general meeting of the Company will be held at 10/F, Central "
     "Tower on Friday, 20 June 2025 at 10:00 a.m. for the following purposes: 1. To receive and consider the "
     "audited consolidated financial statements and the reports of the directors for the year ended 31 "
     "December 2024."),
    ("DELAY IN DESPATCH OF ANNUAL REPORT",
     "The Company expects that the publication of the annual report for the year ended 31 March 2025 will be "
     "delayed and expects to despatch it on or before 31 August 2025."),
    ("CLOSURE OF REGISTER OF MEMBERS",
     "The register of members of the Company will be closed from Monday, 8 September 2025 to Thursday, "
     "11 September 2025, both days inclusive."),
])
def test_other_notices_are_refused(title: str, sentence: str) -> None:
    with pytest.raises(WrongDocumentError, match="board-meeting notice"):
        board_meetings_in(page(title, sentence))


def test_results_announcement_is_refused() -> None:
    with pytest.raises(WrongDocumentError, match="results announcement"):
        parse_board_meeting(FIXTURES / "2512-cloud-factory-interim-2025.pdf")


@pytest.mark.parametrize("name", sorted(p.name for p in NOTICES.glob("pw-*.pdf")))
def test_profit_warnings_are_refused(name: str) -> None:
    with pytest.raises(WrongDocumentError):
        parse_board_meeting(NOTICES / name)


def test_not_a_pdf_is_unreadable() -> None:
    with pytest.raises(UnreadablePdfError, match="not a PDF"):
        parse_board_meeting(b"<html>An announcement has just been published</html>")


@pytest.mark.parametrize("name", sorted(n for n in TRUTH if "clarification" not in n))
def test_results_parser_refuses_notices_naming_their_kind(name: str) -> None:
    # titles as printed include "BOARD MEETING", "DATES OF BOARD MEETINGS", "DELAY IN PUBLICATION OF
    # ANNUAL RESULTS ... AND POSTPONEMENT OF BOARD MEETING", 延遲刊發中期業績公告, 延後董事會會議日期,
    # "DELAY IN DESPATCH OF CIRCULAR" (a clarification's title, "CLARIFICATION ANNOUNCEMENT", names no kind)
    kind = DocumentKind(TRUTH[name]["kind"]).description
    with pytest.raises(WrongDocumentError, match=f"not a results announcement: {kind} "):
        parse_results(NOTICES / name)


@pytest.mark.parametrize("title", ["ANNUAL RESULTS ANNOUNCEMENT FOR THE YEAR ENDED 31 DECEMBER 2024",
                                   "截至二零二五年六月三十日止六個月之中期業績公告",
                                   "INTERIM RESULTS ANNOUNCEMENT AND DELAY IN DESPATCH OF CIRCULAR"])
def test_results_titles_are_not_mistaken_for_delays(title: str) -> None:
    from parsers.kinds import refuse_other_documents

    refuse_other_documents(f"Sample Holdings Limited\n(Stock Code: 1234)\n{title}\nREVENUE")  # no refusal
    # a results announcement that also announces a delayed annual report is still results
    refuse_other_documents(f"(Stock Code: 1234)\n{title}\nAND\nDELAY IN PUBLICATION OF ANNUAL REPORT\n")
    with pytest.raises(WrongDocumentError, match="a delay notice"):
        refuse_other_documents("(Stock Code: 1234)\nDELAY IN PUBLICATION OF INTERIM RESULTS\n")


# The shared readers these notices rely on (parsers/dates.py, parsers/notices.py).


@pytest.mark.parametrize(("text", "end", "months"), [
    ("for the six months ended 30 June 2025", date(2025, 6, 30), 6),
    ("for the year ending 31 March 2025", date(2025, 3, 31), 12),
    ("the nine months ended September 30, 2025", date(2025, 9, 30), 9),
    ("the financial year ended 31st December, 2025", date(2025, 12, 31), 12),
    ("the first quarter ended 31 March 2025", date(2025, 3, 31), 3),
    ("the period ended 30 June 2025", date(2025, 6, 30), None),
    ("截至二零二五年九月三十日止九個月", date(2025, 9, 30), 9),
    ("截至2025年12月31日止年度", date(2025, 12, 31), 12),
    ("截至二零二五年三月三十一日止財政年度", date(2025, 3, 31), 12),
    ("截至二零一八年十二月三十一日止六个月", date(2018, 12, 31), 6),
])
def test_find_periods(text: str, end: date, months: int | None) -> None:
    found = find_periods(text)
    assert [(p.end, p.months) for p in found] == [(end, months)]


def test_a_date_alone_is_not_a_period() -> None:
    assert find_periods("will be held on Friday, 29 August 2025 at 2:30 p.m.") == []


@pytest.mark.parametrize(("text", "weekday"), [
    ("held on Friday, 29 August 2025", 4), ("將於二零二五年八月二十九日（星期五）舉行", 4),
    ("将于二零一九年九月二十七日(星期五)举行", 4), ("held on 29 August 2025", None),
])
def test_stated_weekday(text: str, weekday: int | None) -> None:
    start, stop, _ = find_date_spans(text)[0]
    assert stated_weekday(text, start, stop) == weekday


def test_lines_join_into_sentences() -> None:
    english = join_lines(["a meeting of the board will be held on Friday, 29",
                          "August 2025 at 2:30 p.m. for the", "purpose of approving the non-",
                          "controlling interests. The Board will also meet."])
    assert split_sentences(english) == [
        "a meeting of the board will be held on Friday, 29 August 2025 at 2:30 p.m. for the purpose of "
        "approving the non-controlling interests.", "The Board will also meet."]
    chinese = join_lines(["董事會會議將於二零二五年八月二", "十九日（星期五）舉行。本公司將另行公告。"])
    assert split_sentences(chinese) == ["董事會會議將於二零二五年八月二十九日（星期五）舉行。",
                                        "本公司將另行公告。"]


@pytest.mark.parametrize(("title", "sentence", "meeting", "on_or_before", "replaces"), [
    ("DELAY IN PUBLICATION OF ANNUAL RESULTS",
     "The Company is required under Rule 13.49(1) to publish its annual results for the year ended 31 "
     "December 2008 by 31 March 2009. As additional time is required, the Company expects that the annual "
     "results will be published by 30 April 2009.", date(2009, 4, 30), True, None),
    ("DELAY IN ANNOUNCEMENT OF INTERIM RESULTS",
     "The board meeting to approve the interim results for the six months ended 30 June 2009, originally "
     "scheduled for 27 August 2009, will be postponed. The board meeting is expected to be held on or about "
     "15 September 2009.", date(2009, 9, 15), False, date(2009, 8, 27)),
])
def test_delay_new_date(title: str, sentence: str, meeting: date, on_or_before: bool,
                        replaces: date | None) -> None:
    notice = board_meetings_in(page(title, sentence))[0]
    assert (notice.is_delay, notice.meeting_date, notice.on_or_before, notice.replaces_date) == (
        True, meeting, on_or_before, replaces)
