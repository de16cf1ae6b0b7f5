"""Profit warnings, board-meeting notices and delays, in the words a reader wants, from parsed records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from slackblocks import all_text, assert_within_limits, block_texts, body

from monitor.filing import Filing, FilingKind
from monitor.messages import board_meeting_message, expectation, profit_warning_message
from monitor.messages.notices import meeting_text
from parsers.notices import BoardMeetingNotice, ProfitWarning

MakeFiling = Callable[..., Filing]


def warning(**over: object) -> ProfitWarning:
    """The issue's example: a loss of HK$60m-70m for the year to 31 Mar 2025, vs a profit of about HK$592m."""
    fields: dict[str, object] = dict(
        company="Example Holdings Ltd", stock_codes=("01234",), language="en", direction="warning",
        measure="profit_for_period", low=-70_000_000.0, high=-60_000_000.0, approximate=True, currency="HKD",
        period_end=date(2025, 3, 31), months=12, prior=592_000_000.0,
        sentence="a loss of between HK$60 million and HK$70 million, compared with a profit of about "
                 "HK$592 million")
    fields.update(over)
    return ProfitWarning(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("over, said", [
    ({}, "Expects a loss of HK$60m-70m for the year to 31 Mar 2025, vs a profit of about HK$592m"),
    (dict(low=100e6, high=100e6, currency="RMB", months=6, period_end=date(2025, 6, 30), prior=None),
     "Expects a profit of about RMB 100m for the six months to 30 Jun 2025"),
    (dict(low=100e6, high=None, approximate=False, prior=50e6, period_end=date(2024, 12, 31)),
     "Expects a profit of not less than HK$100m for the year to 31 Dec 2024, vs a profit of HK$50m"),
    (dict(low=None, high=-50e6, approximate=False, prior=-10e6),
     "Expects a loss of not less than HK$50m for the year to 31 Mar 2025, vs a loss of HK$10m"),
    (dict(low=-50e6, high=None, approximate=False, prior=None),
     "Expects a loss of not more than HK$50m for the year to 31 Mar 2025"),
    (dict(measure="profit_attributable", low=None, high=None, change_low_pct=-50.0, change_high_pct=-40.0,
          prior=None, period_end=date(2024, 12, 31)),
     "Expects profit attributable to owners for the year to 31 Dec 2024 to be down 40%-50%"),
    (dict(low=1.2e9, high=1.2e9, change_low_pct=-30.0, change_high_pct=-30.0, prior=1.7e9),
     "Expects a profit of about HK$1.2bn (down about 30%) for the year to 31 Mar 2025, vs a profit of about "
     "HK$1.7bn"),
    (dict(measure="revenue", low=1.2e9, high=1.3e9, approximate=False, currency="USD", months=9,
          period_end=date(2025, 9, 30), prior=1.5e9),
     "Expects revenue of US$1.2bn-1.3bn for the nine months to 30 Sep 2025, vs US$1.5bn"),
    (dict(measure="profit_attributable", language="zh", currency="RMB", low=-45e6, high=-35e6,
          approximate=False, months=6, period_end=date(2025, 6, 30), prior=-20e6),
     "Expects a loss attributable to owners of RMB 35m-45m for the six months to 30 Jun 2025, vs a loss "
     "attributable to owners of RMB 20m"),
    (dict(low=-10e6, high=5e6, approximate=False, prior=None),
     "Expects between a loss of HK$10m and a profit of HK$5m for the year to 31 Mar 2025"),
    (dict(period_end=None, months=None), "Expects a loss of HK$60m-70m, vs a profit of about HK$592m"),
    (dict(direction="positive", low=800e6, high=1_250e6, approximate=False, prior=600e6),
     "Expects a profit of HK$800m-1.25bn for the year to 31 Mar 2025, vs a profit of HK$600m"),
    (dict(low=None, high=None, change_low_pct=30.0, change_high_pct=None, prior=None, direction="positive"),
     "Expects profit for the year to 31 Mar 2025 to be up at least 30%"),
    (dict(low=64_250_000.0, high=64_250_000.0, approximate=False, prior=0.0),
     "Expects a profit of HK$64.25m for the year to 31 Mar 2025, vs nil"),
])
def test_expectation(over: dict[str, object], said: str) -> None:
    assert expectation(warning(**over)) == said


def test_warning_alert(make_filing: MakeFiling) -> None:
    f = make_filing("2025041000012", codes=("01234",), stock_names=("EXAMPLE HLDGS",),
                    kind=FilingKind.PROFIT_WARNING, title="PROFIT WARNING")
    m = profit_warning_message(f, warning(), channel="#c")
    assert m.blocks[0]["text"]["text"] == "Example Holdings Ltd (01234): Profit warning"
    assert block_texts(m)[1] == ("*Expects a loss of HK$60m-70m for the year to 31 Mar 2025, vs a profit of "
                                 "about HK$592m*")
    assert ("As stated: “a loss of between HK$60 million and HK$70 million, compared with a profit of about "
            "HK$592 million”") in block_texts(m)
    assert m.text == ("Example Holdings Ltd (01234) profit warning: Expects a loss of HK$60m-70m for the "
                      "year to 31 Mar 2025, vs a profit of about HK$592m.")
    assert (m.kind, m.filing_ids) == ("profit_warning", ("2025041000012",))
    assert_within_limits(m)
    positive = profit_warning_message(f, warning(direction="positive", low=80e6, high=90e6), channel="#c")
    assert positive.blocks[0]["text"]["text"].endswith(": Positive profit alert")


def test_chinese_warning_says_where_it_was_read(make_filing: MakeFiling) -> None:
    w = warning(language="zh", sentence="預期錄得虧損約人民幣35百萬元至45百萬元", currency="RMB", low=-45e6,
                high=-35e6, prior=None)
    texts = block_texts(profit_warning_message(make_filing(kind=FilingKind.PROFIT_WARNING), w, channel="#c"))
    assert "As stated: “預期錄得虧損約人民幣35百萬元至45百萬元”" in texts
    assert "Read from the Chinese announcement" in texts


@pytest.mark.parametrize("w, error, reason", [
    (warning(low=None, high=None, prior=None, notes=("the expected result is described only as a significant "
                                                     "decrease",)),
     None, "the expected result is described only as a significant decrease"),
    (None, "the PDF could not be read (encrypted)", "the PDF could not be read (encrypted)"),
    (warning(low=None, high=None, prior=None), None, ""),
])
def test_warning_without_a_figure_says_so_never_guesses(make_filing: MakeFiling, w: ProfitWarning | None,
                                                       error: str | None, reason: str) -> None:
    f = make_filing(kind=FilingKind.PROFIT_WARNING, title="PROFIT WARNING - EXPECTED DECREASE IN PROFIT")
    m = profit_warning_message(f, w, channel="#c", error=error)
    why = f": {reason}" if reason else ""
    assert block_texts(m)[1] == (f":warning: No expected figure could be read from this announcement{why}.\n"
                                 f"Title: <{f.url}|PROFIT WARNING - EXPECTED DECREASE IN PROFIT>")
    assert "HK$" not in all_text(m) and "Expects" not in all_text(m)
    assert "no expected figure could be read; see the announcement" in m.text
    assert m.filing_ids == (f.id,)


def test_warning_limits_with_long_text(make_filing: MakeFiling) -> None:
    f = make_filing(title="W" * 3000, stock_names=("N" * 400,), kind=FilingKind.PROFIT_WARNING)
    long = warning(sentence="S" * 9000, company="C" * 400)
    assert_within_limits(profit_warning_message(f, long, channel="#c"))
    assert_within_limits(profit_warning_message(f, warning(low=None, high=None, notes=("x" * 9000,) * 9),
                                                channel="#c"))


def notice(**over: object) -> BoardMeetingNotice:
    fields: dict[str, object] = dict(
        company="SenseTime Group Inc.", stock_codes=("00020",), language="en", meeting_date=date(2025, 8, 29),
        results="interim", period_end=date(2025, 6, 30), months=6, dividend=True,
        purpose="for the purpose of, among other things, approving the interim results of the Group for the "
                "six months ended 30 June 2025 and considering the payment of an interim dividend")
    fields.update(over)
    return BoardMeetingNotice(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("over, replaces, said", [
    ({}, None, "Board meeting on Fri 29 Aug 2025 to approve interim results for the six months to 30 Jun "
               "2025; an interim dividend will be considered"),
    (dict(results="final", months=None, period_end=date(2024, 12, 31), meeting_date=date(2025, 3, 25),
          dividend=None), None,
     "Board meeting on Tue 25 Mar 2025 to approve final results for the year to 31 Dec 2024"),
    (dict(results="quarterly", months=3, period_end=date(2025, 3, 31), meeting_date=date(2025, 5, 13),
          dividend=False), None,
     "Board meeting on Tue 13 May 2025 to approve quarterly results for the three months to 31 Mar 2025; "
     "no dividend will be considered"),
    (dict(meeting_date=date(2025, 9, 5)), date(2025, 8, 29),
     "Board meeting on Fri 5 Sep 2025 (was Fri 29 Aug 2025) to approve interim results for the six months to "
     "30 Jun 2025; an interim dividend will be considered"),
    (dict(is_delay=True, meeting_date=date(2025, 9, 5)), date(2025, 8, 29),
     "Interim results for the six months to 30 Jun 2025 delayed; new date Fri 5 Sep 2025 "
     "(was Fri 29 Aug 2025)"),
    (dict(is_delay=True, meeting_date=None), None,
     "Interim results for the six months to 30 Jun 2025 delayed; no new date given"),
    (dict(meeting_date=None), None,
     "Board meeting to approve interim results for the six months to 30 Jun 2025: no meeting date could be "
     "read"),
    (dict(results=None, months=None, period_end=None, dividend=None), None,
     "Board meeting on Fri 29 Aug 2025 to approve results"),
])
def test_meeting_text(over: dict[str, object], replaces: date | None, said: str) -> None:
    assert meeting_text(notice(**over), replaces) == said


def test_board_meeting_alert(make_filing: MakeFiling) -> None:
    f = make_filing("2025081500050", kind=FilingKind.BOARD_MEETING, title="DATE OF BOARD MEETING")
    m = board_meeting_message(f, notice(), channel="#c")
    assert m.blocks[0]["text"]["text"] == "SenseTime Group Inc. (00020): Board meeting"
    assert block_texts(m)[1] == ("*Board meeting on Fri 29 Aug 2025 to approve interim results for the six "
                                 "months to 30 Jun 2025; an interim dividend will be considered*")
    assert "As stated: “for the purpose of, among other things, approving the interim results" in body(m)
    assert (m.kind, m.filing_ids) == ("board_meeting", ("2025081500050",))
    assert m.text.startswith("SenseTime Group Inc. (00020) board meeting: Board meeting on Fri 29 Aug 2025")
    assert_within_limits(m)


def test_delay_alert(make_filing: MakeFiling) -> None:
    f = make_filing(kind=FilingKind.RESULTS_DELAY, title="DELAY IN PUBLICATION OF INTERIM RESULTS")
    m = board_meeting_message(f, notice(is_delay=True, meeting_date=None, purpose=None), channel="#c")
    assert m.blocks[0]["text"]["text"] == "SenseTime Group Inc. (00020): Results delayed"
    assert block_texts(m)[1] == ("*Interim results for the six months to 30 Jun 2025 delayed; no new date "
                                 "given*")
    assert m.kind == "results_delay"
    unread = board_meeting_message(f, None, channel="#c", error="not a PDF")
    assert unread.blocks[0]["text"]["text"] == "SENSETIME-W (00020): Results delayed"
    assert block_texts(unread)[1] == (":warning: The notice could not be read: not a PDF.\n"
                                      f"Title: <{f.url}|DELAY IN PUBLICATION OF INTERIM RESULTS>")


def test_found_late_notices_are_marked(make_filing: MakeFiling) -> None:
    f = make_filing(kind=FilingKind.BOARD_MEETING)
    for m in (board_meeting_message(f, notice(), channel="#c", found_late=True),
              profit_warning_message(f, warning(), channel="#c", found_late=True)):
        assert ":mag: Found late by the nightly check: the live feed missed this filing" in block_texts(m)
        assert "(found late by the nightly check)" in m.text


def test_notice_limits_with_long_text(make_filing: MakeFiling) -> None:
    f = make_filing(title="T" * 3000, stock_names=("N" * 400,), kind=FilingKind.BOARD_MEETING)
    assert_within_limits(board_meeting_message(f, replace(notice(), purpose="P" * 9000, company="C" * 500),
                                               channel="#c"))
    assert_within_limits(board_meeting_message(f, None, channel="#c", error="E" * 9000))
