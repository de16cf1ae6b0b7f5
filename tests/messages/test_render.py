"""What a pending alert looks like in Slack (``monitor.messages.render.Renderer``): the renderer gathers
from a real store (Redis) what each message needs, with records parsed from real PDFs (the Cloud Factory
interim results, the positive profit alert for the same period, a board-meeting notice): results with
the last comparable report and how they compare with the warning, notices, the first notice, a follow-up
in its original's thread with the note the original gains, ops alarms, the digest, results due; and a
stored record that cannot be read still gives a message."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slackblocks import all_text, assert_within_limits, body

from monitor.calendar import Calendar, CalendarEntry, due_alert_id
from monitor.filing import HKT, Filing, FilingKind
from monitor.messages.render import Renderer
from monitor.store import AlertKind, PendingAlert, RecordKind, Store, open_store
from notifiers.base import Message
from parsers.board_meeting import parse_board_meeting
from parsers.profit_warning import parse_profit_warning
from parsers.report import Metric, ResultsReport
from parsers.results import parse_results

FIXTURES = Path(__file__).parents[1] / "fixtures"
RESULTS = "#results"
RELEASED = datetime(2025, 8, 27, 18, 0, tzinfo=HKT)


@pytest.fixture(scope="module")
def records() -> dict[str, dict[str, Any]]:
    """Records as the parse workers store them, parsed once from the real documents."""
    return {
        # Cloud Factory (02512), six months to 30 June 2025: revenue RMB'000 406,759, profit 14,923
        "results": parse_results(FIXTURES / "2512-cloud-factory-interim-2025.pdf").to_json_dict(),
        # "profit for the six months ended 30 June 2025 of not less than RMB14.0 million"
        "warning": parse_profit_warning((FIXTURES / "notices" / "pw-en-2512-positive-2025.pdf").read_bytes())
        .to_json_dict(),
        # 01688: board meeting on Friday, 29 August 2025, interim results, interim dividend if any
        "meeting": parse_board_meeting((FIXTURES / "notices" / "bm-en-1688-interim-2025.pdf").read_bytes())
        .to_json_dict(),
    }


@pytest.fixture
def store(redis_url: str) -> Iterator[Store]:
    s = open_store(redis_url, namespace="render")
    yield s
    s.close()


def filing(fid: str, kind: FilingKind = FilingKind.INTERIM_RESULTS, *, code: str = "02512",
           title: str = "INTERIM RESULTS ANNOUNCEMENT", released: datetime = RELEASED) -> Filing:
    return Filing(id=fid, news_id=1, stock_codes=(code,), stock_names=("CLOUD FACTORY",), title=title,
                  categories=("Announcements and Notices",), t1_code="10000", t2_codes=(),
                  released_at=released, url=f"https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/{fid}.pdf",
                  file_type="PDF", size_bytes=None, kind=kind)


def alert_for(store: Store, f: Filing, channel: str = RESULTS, **data: Any) -> PendingAlert:
    assert store.enqueue(f, channel, data=data)
    found = store.get_alert(f.id, channel)
    assert found is not None
    return found


def message_alert(store: Store, aid: str, kind: str, data: dict[str, Any],
                  channel: str = RESULTS) -> PendingAlert:
    assert store.enqueue_message(aid, channel, kind, data)
    found = store.get_alert(aid, channel)
    assert found is not None
    return found


def render(store: Store, *alerts: PendingAlert) -> Message:
    message = Renderer(store)(list(alerts))
    assert_within_limits(message)
    return message


def earlier_final() -> dict[str, Any]:
    """A final results report stored a year before: what interim results are compared with."""
    report = ResultsReport(company="Cloud Factory Technology Holdings Limited", stock_codes=("02512",),
                           kind="final", period_end=date(2024, 12, 31), months=12,
                           prior_period_end=date(2023, 12, 31), currency="RMB", language="en",
                           metrics={"revenue": Metric("revenue", 780_000_000, 700_000_000, vouched_by=("x",)),
                                    "profit_for_period": Metric("profit_for_period", 30_000_000, 25_000_000,
                                                                vouched_by=("x",))},
                           unit="RMB'000")
    return {"document": "results", **report.to_json_dict()}


def keep_warning(store: Store, warning: dict[str, Any], fid: str = "2025072000001") -> None:
    """What the reader keeps of a profit warning."""
    store.put_record(RecordKind.WARNING, f"02512:{fid}",
                     {"filing_id": fid, "released_at": "2025-07-20T18:00:00+08:00", "warning": warning})


# -- results ----------------------------------------------------------------------------------------
def test_results_with_the_last_comparable_report_and_the_warning_they_answer(
        store: Store, records: dict[str, dict[str, Any]]) -> None:
    store.save_report(filing("2025032000001", FilingKind.FINAL_RESULTS, title="ANNUAL RESULTS",
                             released=datetime(2025, 3, 20, 18, 0, tzinfo=HKT)), earlier_final())
    results = filing("2025082700001")
    store.save_report(results, {"document": "results", **records["results"]})
    keep_warning(store, records["warning"])
    m = render(store, alert_for(store, results))
    text = body(m)
    assert m.filing_ids == (results.id,) and m.channel == RESULTS and m.kind == "results"
    assert "• *Revenue*: RMB 406.8m vs RMB 369.7m · *+10.0%*" in text
    assert "• *Profit for the period*: RMB 14.9m vs RMB 12.5m · *+19.0%*" in text
    # 14,923 thousand against "not less than RMB14.0 million"
    assert ":dart: Profit RMB 14.92m: as warned (a profit of not less than RMB 14m)" in text
    assert ("*Compared with the last final results* (Year ended 31 December 2024): Revenue RMB 780.0m · "
            "Profit for the year RMB 30.0m") in text
    assert m.text.startswith("Cloud Factory Technology Holdings Limited (02512) interim results: revenue "
                             "RMB 406.8m (+10.0%)")
    assert "as warned" in m.text


def test_final_results_compare_with_the_last_interim_and_warnings_of_another_period_are_left_out(
        store: Store, records: dict[str, dict[str, Any]]) -> None:
    interim = filing("2025082700001")
    store.save_report(interim, {"document": "results", **records["results"]})
    keep_warning(store, records["warning"])  # for the six months to June
    final = filing("2026032000001", FilingKind.FINAL_RESULTS, title="ANNUAL RESULTS",
                   released=datetime(2026, 3, 20, 18, 0, tzinfo=HKT))
    report = {**records["results"], "kind": "final", "period_end": "2025-12-31", "months": 12,
              "prior_period_end": "2024-12-31"}
    store.save_report(final, {"document": "results", **report})
    text = body(render(store, alert_for(store, final)))
    assert "*Compared with the last interim results* (Six months ended 30 June 2025)" in text
    assert ":dart:" not in text  # the warning was for the interim period


def test_results_not_read_yet_or_not_readable_still_go_out_with_the_reason(store: Store) -> None:
    unread = filing("2025082700001")
    text = all_text(render(store, alert_for(store, unread)))
    assert "Figures not available: the announcement has not been read" in text and unread.url in text
    failed = filing("2025082700002")
    store.save_report(failed, {"document": "results", "error": "the document cannot be downloaded: HTTP 404"})
    assert "Figures not available: the document cannot be downloaded: HTTP 404" in all_text(
        render(store, alert_for(store, failed)))


# -- notices -----------------------------------------------------------------------------------------
def test_a_board_meeting_notice_says_when_and_what(store: Store, records: dict[str, dict[str, Any]]) -> None:
    notice = filing("2025081500001", FilingKind.BOARD_MEETING, code="01688", title="DATE OF BOARD MEETING")
    store.save_report(notice, {"document": "board_meeting", **records["meeting"]})
    m = render(store, alert_for(store, notice))
    assert m.kind == "board_meeting"
    assert ("Board meeting on Fri 29 Aug 2025 to approve interim results for the six months to 30 Jun 2025; "
            "an interim dividend will be considered") in body(m)


def test_a_notice_that_moves_a_meeting_says_which_date_it_replaces(
        store: Store, records: dict[str, dict[str, Any]]) -> None:
    first = filing("2025080100001", FilingKind.BOARD_MEETING, code="01688", title="DATE OF BOARD MEETING")
    Calendar(store).record_notice(first, {**records["meeting"], "meeting_date": "2025-08-22"})
    moved = filing("2025081500001", FilingKind.BOARD_MEETING, code="01688",
                   title="CHANGE OF DATE OF BOARD MEETING")
    Calendar(store).record_notice(moved, records["meeting"])  # what the reader does once it is read
    store.save_report(moved, {"document": "board_meeting", **records["meeting"]})
    assert "Board meeting on Fri 29 Aug 2025 (was Fri 22 Aug 2025) to approve interim results" in body(
        render(store, alert_for(store, moved)))


def test_a_profit_warning_says_what_it_expects(store: Store, records: dict[str, dict[str, Any]]) -> None:
    warning = filing("2025072000001", FilingKind.PROFIT_WARNING, title="POSITIVE PROFIT ALERT")
    store.save_report(warning, {"document": "profit_warning", **records["warning"]})
    m = render(store, alert_for(store, warning))
    assert m.kind == "profit_warning" and body(m).startswith("Cloud Factory Technology Holdings Limited "
                                                             "(02512): Positive profit alert")
    assert ("positive profit alert: Expects a profit of not less than RMB 14m (up at least 15%) for the six "
            "months to 30 Jun 2025") in m.text


def test_the_first_notice_before_the_document_is_read(store: Store) -> None:
    results = filing("2025082700001")
    m = Renderer(store).first_notice(alert_for(store, results))
    assert m.kind == "first_notice" and m.filing_ids == (results.id,) and m.thread_ts is None
    assert "Figures coming" in body(m) and "figures coming" in m.text
    late = filing("2025082700002", FilingKind.PROFIT_WARNING)
    text = all_text(Renderer(store).first_notice(alert_for(store, late, found_late=True)))
    assert "Reading the notice" in text and "found late by the nightly check" in text
    with pytest.raises(ValueError):
        Renderer(store).first_notice(message_alert(store, "ops:x", AlertKind.OPS, {}))


# -- follow-ups ------------------------------------------------------------------------------------
def delivered(store: Store, f: Filing, ts: str, channel: str = RESULTS) -> None:
    """``f``'s alert posted to ``channel`` as message ``ts``."""
    store.enqueue(f, channel)
    claim = store.claim(f.id, channel, "test", 60)
    assert claim is not None and store.mark_delivered(claim, ts)


def test_a_follow_up_goes_in_its_originals_thread_and_asks_for_the_note(store: Store) -> None:
    original = filing("2025082700001")
    delivered(store, original, "1756290600.000100")
    follow_up = filing("2025082800001", FilingKind.OTHER, released=RELEASED + timedelta(days=1),
                       title="CLARIFICATION ANNOUNCEMENT ON INTERIM RESULTS")
    m = render(store, alert_for(store, follow_up, thread_of=original.id))
    assert m.thread_ts == "1756290600.000100"
    assert m.extra["note_thread"] == {"id": original.id, "ts": "1756290600.000100"}
    assert m.text.startswith("Update to INTERIM RESULTS ANNOUNCEMENT: ")
    assert "Update to CLOUD FACTORY (02512)" in body(m)
    revised = filing("2025082800002", released=RELEASED + timedelta(days=1), title="REVISED INTERIM RESULTS")
    first = Renderer(store).first_notice(alert_for(store, revised, thread_of=original.id))
    assert first.thread_ts == "1756290600.000100" and first.extra["note_thread"]["id"] == original.id


def test_a_follow_up_of_an_original_not_posted_yet_names_it_without_a_thread(store: Store) -> None:
    original = filing("2025082700001")
    store.enqueue(original, RESULTS)  # pending: no message to reply to
    follow_up = filing("2025082800001", FilingKind.OTHER, title="SUPPLEMENTAL ANNOUNCEMENT")
    m = render(store, alert_for(store, follow_up, thread_of=original.id))
    assert m.thread_ts is None and "note_thread" not in m.extra
    assert m.text.startswith("Update to INTERIM RESULTS ANNOUNCEMENT: ")
    gone = filing("2025082800002", FilingKind.OTHER, title="SUPPLEMENTAL ANNOUNCEMENT")
    plain = render(store, alert_for(store, gone, thread_of="2024010100001"))  # an original long forgotten
    assert plain.thread_ts is None and not plain.text.startswith("Update to")


def test_results_after_results_due_name_that_message(store: Store,
                                                     records: dict[str, dict[str, Any]]) -> None:
    entry = CalendarEntry("02512", "Cloud Factory", date(2025, 8, 26), "interim", date(2025, 6, 30), True,
                          "2025081200001", "https://www1.hkexnews.hk/n.pdf")
    due = due_alert_id("02512", date(2025, 8, 26))
    message_alert(store, due, AlertKind.RESULTS_DUE, {"entry": entry.to_json_dict(), "window_end": "23:00"})
    results = filing("2025082700001")
    store.save_report(results, {"document": "results", **records["results"]})
    text = body(render(store, alert_for(store, results, follow_up_of=due)))
    assert "Follows: results due on 26 Aug 2025 had not appeared by 23:00 HKT" in text


# -- messages that are not a filing's ------------------------------------------------------------------
def test_an_ops_alarm_and_its_recovery(store: Store) -> None:
    since = datetime(2025, 8, 27, 19, 0, tzinfo=HKT)
    raised = message_alert(store, "ops:poll_failing:1", AlertKind.OPS, {
        "alarm": "poll_failing", "state": "raised", "detail": "no poll has succeeded since 19:00",
        "since": since.isoformat()}, channel="#ops")
    m = render(store, raised)
    assert m.kind == "ops_alarm" and m.channel == "#ops"
    assert "*Polls of HKEXnews are failing* since" in m.text
    assert "no poll has succeeded since 19:00" in body(m) and "*What to check*" in body(m)
    recovered = message_alert(store, "ops:poll_failing:1:recovered", AlertKind.OPS, {
        "alarm": "poll_failing", "state": "recovered", "since": since.isoformat(), "lasted_s": 1800},
        channel="#ops")
    m = render(store, recovered)
    assert m.kind == "ops_recovered" and "recovered at 27 Aug 2025 19:30 HKT, after 30 min" in m.text
    odd = message_alert(store, "ops:blackout:1", AlertKind.OPS, {"alarm": "blackout", "state": "raised",
                                                                 "since": since.isoformat()})
    assert "*blackout* since" in render(store, odd).text  # an alarm this version has no words for: its name


def test_the_weekly_digest(store: Store) -> None:
    entry = CalendarEntry("02512", "Cloud Factory", date(2025, 8, 28), "interim", date(2025, 6, 30), True,
                          "2025081200001", "https://www1.hkexnews.hk/n.pdf")
    digest = message_alert(store, "digest:#results:2025-W35", AlertKind.DIGEST,
                           {"week_of": "2025-08-25", "entries": [entry.to_json_dict()]})
    m = render(store, digest)
    assert m.kind == "digest" and "Results expected, Mon 25 Aug to Sun 31 Aug 2025" in body(m)
    assert "Cloud Factory (02512): interim results for the period to 30 Jun 2025" in body(m)
    empty = message_alert(store, "digest:#results:2025-W36", AlertKind.DIGEST,
                          {"week_of": "2025-09-01", "entries": []})
    assert render(store, empty).text.startswith("No results expected for this channel's stocks")


def due_on(store: Store, meeting: date) -> PendingAlert:
    entry = CalendarEntry("02512", "Cloud Factory", meeting, "interim", date(2025, 6, 30), None,
                          "2025081200001", "https://www1.hkexnews.hk/n.pdf")
    return message_alert(store, due_alert_id("02512", meeting), AlertKind.RESULTS_DUE,
                         {"entry": entry.to_json_dict(), "window_end": "23:00"})


def test_results_due_the_evening_of_the_meeting(store: Store) -> None:
    m = render(store, due_on(store, datetime.now(HKT).date()))
    assert m.kind == "results_due"
    assert m.text == ("Cloud Factory (02512): results were due from today's board meeting but had not "
                      "appeared by 23:00 HKT")


def test_results_due_posted_the_day_after_name_the_meeting_day(store: Store) -> None:
    yesterday = datetime.now(HKT).date() - timedelta(days=1)
    m = render(store, due_on(store, yesterday))
    said = f"{yesterday:%a} {yesterday.day} {yesterday:%b %Y}"
    assert f"results were due from the board meeting on {said}" in m.text
    assert "today's" not in m.text


def test_other_filings_of_a_stock_share_one_message(store: Store) -> None:
    one = filing("2025082700011", FilingKind.OTHER, title="VOLUNTARY ANNOUNCEMENT")
    two = filing("2025082700012", FilingKind.OTHER, title="NEXT DAY DISCLOSURE RETURN")
    m = render(store, alert_for(store, one), alert_for(store, two, found_late=True))
    assert m.filing_ids == (one.id, two.id) and "2 new filings" in m.text
    assert "(1 found late by the nightly check)" in m.text


def test_an_alert_of_no_known_kind_is_refused(store: Store) -> None:
    odd = message_alert(store, "odd:1", "something_new", {})
    with pytest.raises(ValueError):
        Renderer(store)([odd])


# -- stored records that cannot be read ----------------------------------------------------------------
@pytest.mark.parametrize("broken", [
    {"period_end": 20250630},  # not an ISO date
    {"checks": ["statement_ties"]},  # checks that are not objects
    {"stock_codes": 2512},
])
def test_stored_figures_that_cannot_be_read_still_give_a_message(
        store: Store, records: dict[str, dict[str, Any]], broken: dict[str, Any]) -> None:
    results = filing("2025082700001")
    store.save_report(results, {"document": "results", **records["results"], **broken})
    text = all_text(render(store, alert_for(store, results)))
    assert "Figures not available: the stored figures could not be read" in text and results.url in text


@pytest.mark.parametrize("metrics", [{"revenue": "406759"}, {"revenue": None}, ["revenue"]])
def test_stored_figures_that_are_not_objects_still_give_a_message(store: Store,
                                                                  records: dict[str, dict[str, Any]],
                                                                  metrics: Any) -> None:
    results = filing("2025082700001")
    store.save_report(results, {"document": "results", **records["results"], "metrics": metrics})
    text = all_text(render(store, alert_for(store, results)))
    assert "Figures not available: the stored figures could not be read" in text


def test_a_notice_or_warning_that_cannot_be_read_still_gives_a_message(store: Store) -> None:
    meeting = filing("2025081500001", FilingKind.BOARD_MEETING, code="01688", title="DATE OF BOARD MEETING")
    store.save_report(meeting, {"document": "board_meeting", "meeting_date": "29 August"})
    text = all_text(render(store, alert_for(store, meeting)))
    assert "The notice could not be read" in text and "DATE OF BOARD MEETING" in text
    warning = filing("2025072000001", FilingKind.PROFIT_WARNING, title="PROFIT WARNING")
    store.save_report(warning, {"document": "profit_warning", "period_end": 2025})
    text = all_text(render(store, alert_for(store, warning)))
    assert "No expected figure could be read from this announcement" in text and "PROFIT WARNING" in text


def test_a_kept_warning_or_earlier_report_that_cannot_be_read_is_passed_over(
        store: Store, records: dict[str, dict[str, Any]]) -> None:
    store.save_report(filing("2025032000001", FilingKind.FINAL_RESULTS, title="ANNUAL RESULTS",
                             released=datetime(2025, 3, 20, 18, 0, tzinfo=HKT)), earlier_final())
    store.save_report(filing("2025040100001", FilingKind.FINAL_RESULTS, title="REVISED ANNUAL RESULTS",
                             released=datetime(2025, 4, 1, 18, 0, tzinfo=HKT)),
                      {"document": "results", "kind": "final", "period_end": "31/12/2024"})
    keep_warning(store, {"period_end": "June 2025"}, fid="2025072100001")  # a newer warning, unreadable
    keep_warning(store, records["warning"])
    results = filing("2025082700001")
    store.save_report(results, {"document": "results", **records["results"]})
    text = body(render(store, alert_for(store, results)))
    assert "*Compared with the last final results* (Year ended 31 December 2024)" in text  # the readable one
    assert ":dart: Profit RMB 14.92m: as warned" in text
