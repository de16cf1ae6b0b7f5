"""The results calendar on a real store (Redis and SQLite): notices in, dates out, delays and later
notices replacing a date, results due and the weekly digest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from monitor.calendar import Calendar, digest_alerts, due_alert_id, due_alerts
from monitor.filing import HKT, Filing, FilingKind
from monitor.settings import Settings
from monitor.store import Store, open_store
from monitor.store.sqlite import SqliteStore

MakeFiling = Callable[..., Filing]


@pytest.fixture(params=["redis", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    redis = request.param == "redis"
    url = str(request.getfixturevalue("redis_url")) if redis else f"sqlite:///{tmp_path}/c.db"
    s = open_store(url, namespace="cal")
    yield s
    s.close()


def notice(meeting: str | None, *, results: str | None = "interim", period_end: str | None = "2026-06-30",
           dividend: bool | None = True, is_delay: bool = False,
           replaces: str | None = None) -> dict[str, object]:
    """What ``BoardMeetingNotice.to_json_dict()`` gives for such a notice."""
    return {"company": "SenseTime Group Inc.", "stock_codes": ["00020"], "language": "en",
            "meeting_date": meeting, "results": results, "period_end": period_end, "months": 6,
            "dividend": dividend, "is_delay": is_delay, "purpose": None, "notes": [],
            "replaces_date": replaces}


def bmn(make_filing: MakeFiling, fid: str, released: datetime,
        kind: FilingKind = FilingKind.BOARD_MEETING) -> Filing:
    return make_filing(fid, codes=("00020",), kind=kind, released_at=released, title="DATE OF BOARD MEETING")


SETTINGS = Settings.model_validate({"watch": [{"code": "20", "channel": "#results"},
                                              {"code": "2512", "alert_on": ["board_meeting"]}]})


def test_a_notice_sets_the_date_and_a_later_one_moves_it(store: Store, make_filing: MakeFiling) -> None:
    cal = Calendar(store)
    first = bmn(make_filing, "2026081000101", datetime(2026, 8, 10, 18, tzinfo=HKT))
    [entry] = cal.record_notice(first, notice("2026-08-27"))
    assert (entry.code, entry.meeting_date, entry.results, entry.period_end, entry.dividend) == (
        "00020", date(2026, 8, 27), "interim", date(2026, 6, 30), True)
    assert entry.previous_date is None and entry.filing_id == first.id
    later = bmn(make_filing, "2026081400202", datetime(2026, 8, 14, 18, tzinfo=HKT))
    [moved] = cal.record_notice(later, notice("2026-08-28"))
    assert moved.meeting_date == date(2026, 8, 28) and moved.previous_date == date(2026, 8, 27)
    assert [e.meeting_date for e in cal.entries()] == [date(2026, 8, 28)]  # replaced, not added


def test_a_change_of_date_notice_says_the_date_it_moves_even_unseen(store: Store,
                                                                    make_filing: MakeFiling) -> None:
    """A "change of date of board meeting" names the date it replaces: the calendar says it moved,
    also when the first notice was filed before the monitor watched the stock."""
    cal = Calendar(store)
    change = bmn(make_filing, "2026082000505", datetime(2026, 8, 20, 18, tzinfo=HKT))
    [moved] = cal.record_notice(change, notice("2026-08-31", replaces="2026-08-27"))
    assert (moved.meeting_date, moved.previous_date, moved.is_delay) == (date(2026, 8, 31), date(2026, 8, 27),
                                                                        False)
    assert cal.meetings_on(date(2026, 8, 27), {"00020"}) == []
    assert [e.code for e in cal.meetings_on(date(2026, 8, 31), {"00020"})] == ["00020"]


def test_a_delay_notice_moves_the_date_or_says_none_was_given(store: Store, make_filing: MakeFiling) -> None:
    cal = Calendar(store)
    cal.record_notice(bmn(make_filing, "2026081000101", datetime(2026, 8, 10, 18, tzinfo=HKT)),
                      notice("2026-08-27"))
    delay = bmn(make_filing, "2026082700303", datetime(2026, 8, 27, 21, tzinfo=HKT), FilingKind.RESULTS_DELAY)
    [delayed] = cal.record_notice(delay, notice(None, results=None, period_end=None, is_delay=True))
    assert delayed.is_delay and delayed.new_date_unknown and delayed.previous_date == date(2026, 8, 27)
    assert cal.meetings_on(date(2026, 8, 27), {"00020"}) == []  # not expected on the old date any more
    again = bmn(make_filing, "2026090100404", datetime(2026, 9, 1, 18, tzinfo=HKT), FilingKind.RESULTS_DELAY)
    [dated] = cal.record_notice(again, notice("2026-09-15", results=None, period_end=None, is_delay=True))
    assert dated.meeting_date == date(2026, 9, 15) and not dated.new_date_unknown
    assert [e.code for e in cal.meetings_on(date(2026, 9, 15), {"00020"})] == ["00020"]


def test_a_notice_about_something_else_is_not_a_results_date(store: Store, make_filing: MakeFiling) -> None:
    cal = Calendar(store)
    assert cal.record_notice(bmn(make_filing, "2026081000101", datetime(2026, 8, 10, tzinfo=HKT)),
                             notice("2026-08-27", results=None)) == []
    assert cal.entries() == []


def test_listing_upcoming_first(store: Store, make_filing: MakeFiling) -> None:
    cal = Calendar(store)
    for i, (day, end) in enumerate((("2026-03-20", "2025-12-31"), ("2026-08-27", "2026-06-30"))):
        cal.record_notice(bmn(make_filing, f"20260101{i:05d}", datetime(2026, 1, 1, tzinfo=HKT)),
                          notice(day, period_end=end, results="final" if i == 0 else "interim"))
    today = date(2026, 8, 1)
    assert [e.meeting_date for e in cal.listing({"00020"}, today=today)] == [date(2026, 8, 27)]
    assert [e.meeting_date for e in cal.listing({"00020"}, today=today, include_past=True)] == [
        date(2026, 8, 27), date(2026, 3, 20)]
    assert cal.listing({"00020"}, today=today, days=7) == []
    assert cal.listing({"02512"}, today=today) == []


def test_results_due_once_the_evening_window_ended_without_results(store: Store,
                                                                   make_filing: MakeFiling) -> None:
    cal = Calendar(store)
    day = date(2026, 8, 27)  # a Thursday: evening window ends 23:00
    cal.record_notice(bmn(make_filing, "2026081000101", datetime(2026, 8, 10, 18, tzinfo=HKT)),
                      notice(day.isoformat()))
    assert due_alerts(cal, SETTINGS, datetime(2026, 8, 27, 22, 59, tzinfo=HKT)) == []
    [(aid, channel, data)] = due_alerts(cal, SETTINGS, datetime(2026, 8, 27, 23, 1, tzinfo=HKT))
    assert (aid, channel) == (due_alert_id("00020", day), "#results") and data["window_end"] == "23:00"
    results = make_filing("2026082800505", codes=("00020",), released_at=datetime(2026, 8, 28, 7, tzinfo=HKT))
    cal.results_appeared(results)
    assert due_alerts(cal, SETTINGS, datetime(2026, 8, 28, 8, tzinfo=HKT)) == []


def test_results_that_came_are_not_due(store: Store, make_filing: MakeFiling) -> None:
    cal = Calendar(store)
    cal.record_notice(bmn(make_filing, "2026081000101", datetime(2026, 8, 10, 18, tzinfo=HKT)),
                      notice("2026-08-27"))
    cal.results_appeared(make_filing("2026082700505", codes=("00020",),
                                     released_at=datetime(2026, 8, 27, 18, 30, tzinfo=HKT)))
    assert due_alerts(cal, SETTINGS, datetime(2026, 8, 27, 23, 30, tzinfo=HKT)) == []


def test_last_periods_results_do_not_count(store: Store, make_filing: MakeFiling) -> None:
    cal = Calendar(store)
    cal.results_appeared(make_filing("2026032000505", codes=("00020",),
                                     released_at=datetime(2026, 3, 20, 18, tzinfo=HKT)))
    cal.record_notice(bmn(make_filing, "2026081000101", datetime(2026, 8, 10, 18, tzinfo=HKT)),
                      notice("2026-08-27"))
    assert len(due_alerts(cal, SETTINGS, datetime(2026, 8, 27, 23, 30, tzinfo=HKT))) == 1


def test_weekly_digest_per_channel(store: Store, make_filing: MakeFiling) -> None:
    cal = Calendar(store)
    cal.record_notice(bmn(make_filing, "2026081000101", datetime(2026, 8, 10, 18, tzinfo=HKT)),
                      notice("2026-08-27"))
    alerts = {channel: (aid, data) for aid, channel, data in
              digest_alerts(cal, SETTINGS, datetime(2026, 8, 24, 8, tzinfo=HKT))}
    assert set(alerts) == {"#results", "#hkex-filings"}
    aid, data = alerts["#results"]
    assert aid == "digest:#results:2026-W35" and [e["code"] for e in data["entries"]] == ["00020"]
    assert alerts["#hkex-filings"][1]["entries"] == []  # 02512 has nothing this week
    next_week = digest_alerts(cal, SETTINGS, datetime(2026, 8, 31, 8, tzinfo=HKT))
    assert all(not data["entries"] for _, _, data in next_week)


def test_calendar_command_lists_upcoming_first_and_as_json(
        make_filing: MakeFiling, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from monitor.cli import main

    store = SqliteStore(f"sqlite:///{tmp_path}/c.db", namespace="cal")
    cal = Calendar(store)
    today = datetime.now(HKT).date()
    soon, past = today.replace(year=today.year + 1), today.replace(year=today.year - 1)
    cal.record_notice(bmn(make_filing, "2026081000101", datetime(2026, 8, 10, 18, tzinfo=HKT)),
                      notice(soon.isoformat(), period_end=None))
    cal.record_notice(bmn(make_filing, "2025081000101", datetime(2025, 8, 10, 18, tzinfo=HKT)),
                      notice(past.isoformat(), results="final", period_end=None))
    cfg = tmp_path / "w.toml"
    cfg.write_text(f'[[watch]]\ncode = "20"\n[store]\nurl = "{store.url}"\nnamespace = "cal"\n')
    assert main(["calendar", "--json", "--config", str(cfg)]) == 0
    [upcoming] = json.loads(capsys.readouterr().out)
    assert {k: upcoming[k] for k in ("code", "date", "results", "period_end", "filing_id")} == {
        "code": "00020", "date": soon.isoformat(), "results": "interim", "period_end": None,
        "filing_id": "2026081000101"}
    assert main(["calendar", "--all", "--config", str(cfg)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line[:10] for line in lines] == [soon.isoformat(), past.isoformat()]
    assert "interim" in lines[0] and "a dividend will be considered" in lines[0]
    store.close()
