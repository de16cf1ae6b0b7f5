"""The weekly digest of expected results, and "results due, not out", from calendar entries."""

from __future__ import annotations

from datetime import date, datetime

from slackblocks import assert_within_limits, block_texts

from monitor.calendar import CalendarEntry
from monitor.filing import HKT
from monitor.messages import digest_message, results_due_message

NOTICE = "https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0815/2025081500050.pdf"
MONDAY = date(2025, 9, 1)


def entry(code: str, name: str | None, day: date, **over: object) -> CalendarEntry:
    fields: dict[str, object] = dict(code=code, name=name, meeting_date=day, results="interim",
                                     period_end=date(2025, 6, 30), dividend=None, filing_id="N" + code,
                                     filing_url=NOTICE)
    fields.update(over)
    return CalendarEntry(**fields)  # type: ignore[arg-type]


def test_digest_lists_the_week_by_date_with_what_is_considered() -> None:
    entries = [
        entry("02512", "Cloud Factory", date(2025, 9, 4), dividend=False),
        entry("00020", "SenseTime", date(2025, 9, 2), dividend=True),
        entry("00700", "Tencent", date(2025, 9, 5), previous_date=date(2025, 8, 29)),
        entry("00005", "HSBC", date(2025, 9, 3), results="final", period_end=date(2025, 6, 30),
              previous_date=date(2025, 8, 28), is_delay=True),
        entry("09988", None, date(2025, 9, 8)),  # next week: not listed
        entry("01810", "Xiaomi", date(2025, 8, 31)),  # last week
    ]
    m = digest_message(entries, channel="#results", start=MONDAY)
    assert m.blocks[0]["text"]["text"] == "Results expected, Mon 1 Sep to Sun 7 Sep 2025"
    assert block_texts(m)[1].splitlines() == [
        f"• *Tue 2 Sep* · SenseTime (00020): interim results for the period to 30 Jun 2025 · dividend to be "
        f"considered · <{NOTICE}|notice>",
        f"• *Wed 3 Sep* (delayed from Thu 28 Aug) · HSBC (00005): final results for the year to 30 Jun 2025 "
        f"· <{NOTICE}|notice>",
        f"• *Thu 4 Sep* · Cloud Factory (02512): interim results for the period to 30 Jun 2025 · no dividend "
        f"to be considered · <{NOTICE}|notice>",
        f"• *Fri 5 Sep* (moved from Fri 29 Aug) · Tencent (00700): interim results for the period to 30 Jun "
        f"2025 · <{NOTICE}|notice>",
    ]
    assert "2 dates moved by a later notice" in block_texts(m)
    assert m.text == ("Results expected Mon 1 Sep to Sun 7 Sep 2025: 4 (SenseTime (00020) Tue 2 Sep, "
                      "HSBC (00005) Wed 3 Sep, Cloud Factory (02512) Thu 4 Sep, …)")
    assert (m.kind, m.filing_ids, m.channel) == ("digest", (), "#results")
    assert_within_limits(m)


def test_empty_week_says_so_briefly() -> None:
    m = digest_message([entry("09988", None, date(2025, 9, 8))], channel="#c", start=MONDAY)
    said = "No results expected for this channel's stocks from Mon 1 Sep to Sun 7 Sep 2025."
    assert block_texts(m)[1:] == [said] and m.text == said and len(m.blocks) == 2


def test_big_digest_stays_within_limits() -> None:
    entries = [entry(f"{i:05d}", "N" * 200, date(2025, 9, 1 + i % 7)) for i in range(300)]
    m = digest_message(entries, channel="#c", start=MONDAY)
    assert_within_limits(m)
    assert "… and 180 more" in block_texts(m)[-1]


def test_results_due_not_out() -> None:
    e = entry("00020", "SenseTime", date(2025, 8, 29))
    deadline = datetime(2025, 8, 29, 23, 0, tzinfo=HKT)
    m = results_due_message(e, channel="#c", deadline=deadline)
    said = "SenseTime (00020): results were due from today's board meeting but had not appeared by 23:00 HKT"
    assert m.text == said
    assert block_texts(m)[1] == (f"{said}.\nExpected: interim results for the period to 30 Jun 2025 "
                                 f"(<{NOTICE}|board-meeting notice>)")
    assert m.blocks[0]["text"]["text"] == "SenseTime (00020): results due, not out"
    assert (m.kind, m.filing_ids) == ("results_due", ())
    assert_within_limits(m)
    next_morning = datetime(2025, 8, 30, 8, 0, tzinfo=HKT)
    late = results_due_message(e, channel="#c", deadline=deadline, now=next_morning)
    assert late.text == ("SenseTime (00020): results were due from the board meeting on Fri 29 Aug 2025 but "
                         "had "
                         "not appeared by 23:00 HKT on Fri 29 Aug 2025")
    unnamed = results_due_message(entry("00020", None, date(2025, 8, 29)), channel="#c", deadline=deadline)
    assert unnamed.text.startswith("00020: results were due")


def test_results_due_with_long_names_stays_within_limits() -> None:
    e = entry("00020", "N" * 900, date(2025, 8, 29), filing_url="https://h.hk/" + "x" * 5000)
    assert_within_limits(results_due_message(e, channel="#c", deadline=datetime(2025, 8, 29, 23, tzinfo=HKT)))
