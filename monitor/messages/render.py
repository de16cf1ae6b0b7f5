"""What a pending alert looks like in Slack: gathers what the message needs from the store (the
parsed figures or notice, the last comparable report, the warning for the same period, the
calendar, the message it follows up) and hands it to the notifiers' builders, which stay pure.

Follow-ups: a filing that clarifies, supplements or revises an alerted one (``data["thread_of"]``)
is posted as a reply in the original's thread; ``Message.extra["note_thread"]`` then asks the
deliverer to add "see the update in the thread" to the original. Results that arrive after a
"results due, not out" message name it (``data["follow_up_of"]``).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

from monitor.calendar import Calendar, CalendarEntry
from monitor.filing import HKT, Filing, FilingKind
from monitor.messages import (
    ALARMS,
    alarm_message,
    as_follow_up,
    board_meeting_message,
    digest_message,
    filings_message,
    first_notice_message,
    profit_warning_message,
    recovered_message,
    results_due_message,
    results_message,
)
from monitor.messages.mrkdwn import Reference
from monitor.store import AlertKind, PendingAlert, RecordKind, Store
from notifiers.base import Message
from parsers.notices import BoardMeetingNotice, ProfitWarning, WarningOutcome
from parsers.report import ResultsReport

logger = logging.getLogger(__name__)



class Renderer:
    """``Renderer(store)(alerts)`` -> the one message that covers these alerts (one channel)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __call__(self, alerts: list[PendingAlert]) -> Message:
        first = alerts[0]
        if first.kind == AlertKind.OPS:
            return ops_message(first)
        if first.kind == AlertKind.DIGEST:
            entries = [CalendarEntry.from_json_dict(e) for e in first.data.get("entries") or []]
            start = date.fromisoformat(first.data["week_of"])
            return digest_message(entries, channel=first.channel, start=start)
        if first.kind == AlertKind.RESULTS_DUE:
            entry = CalendarEntry.from_json_dict(first.data["entry"])
            end = time.fromisoformat(first.data.get("window_end") or "23:00")
            return results_due_message(entry, channel=first.channel,
                                       deadline=datetime.combine(entry.meeting_date, end, HKT),
                                       now=datetime.now(HKT))
        if first.kind != AlertKind.FILING or first.filing is None:
            raise ValueError(f"no message builder for alerts of kind {first.kind!r}")
        message = self._filing_message(alerts)
        original_id = first.data.get("thread_of")
        if original_id and len(alerts) == 1:
            message = self._in_thread(message, str(original_id), first.channel)
        return message

    def first_notice(self, alert: PendingAlert) -> Message:
        """The message posted the moment a filing is found, before its document is read (it is
        edited in place with the figures later)."""
        if alert.filing is None:
            raise ValueError(f"no first notice for an alert of kind {alert.kind!r}")
        message = first_notice_message(alert.filing, channel=alert.channel,
                                       found_late=bool(alert.data.get("found_late")))
        original_id = alert.data.get("thread_of")
        return self._in_thread(message, str(original_id), alert.channel) if original_id else message

    def _filing_message(self, alerts: list[PendingAlert]) -> Message:
        first = alerts[0]
        filing = first.filing
        assert filing is not None
        late = bool(first.data.get("found_late"))
        if filing.kind.is_results:
            return self._results(filing, first, late)
        if filing.kind is FilingKind.PROFIT_WARNING:
            payload, error = self._payload(filing.id)
            warning = _record(ProfitWarning.from_json_dict, payload)
            return profit_warning_message(filing, warning, channel=first.channel, error=error,
                                          found_late=late)
        if filing.kind in (FilingKind.BOARD_MEETING, FilingKind.RESULTS_DELAY):
            payload, error = self._payload(filing.id)
            notice = _record(BoardMeetingNotice.from_json_dict, payload)
            entries = Calendar(self.store).entries()
            replaces = next((e.previous_date for e in entries if e.filing_id == filing.id), None)
            return board_meeting_message(filing, notice, channel=first.channel, error=error,
                                         replaces=replaces, found_late=late)
        found_late = [a.filing.id for a in alerts if a.filing is not None and a.data.get("found_late")]
        return filings_message([a.filing for a in alerts if a.filing is not None], channel=first.channel,
                               found_late=found_late)

    def _results(self, filing: Filing, alert: PendingAlert, late: bool) -> Message:
        payload, error = self._payload(filing.id)
        report = _record(ResultsReport.from_json_dict, payload)
        if payload is not None and report is None and error is None:
            error = "the stored figures could not be read"
        previous = outcome = None
        if report is not None and filing.stock_codes:
            earlier = self.store.previous_reports(filing.stock_codes[0], filing.id, limit=4)
            previous = comparable(filing.kind, earlier)
            outcome = self._against_warning(filing, report)
        follows = None
        due = alert.data.get("follow_up_of")
        if due:
            follows = self._due_reference(str(due), alert.channel)
        return results_message(filing, report, channel=alert.channel, error=error, previous=previous,
                               outcome=outcome, follow_up_of=follows, found_late=late)

    def _payload(self, filing_id: str) -> tuple[dict[str, Any] | None, str | None]:
        payload = self.store.get_report(filing_id)
        if payload is None:
            return None, "the announcement has not been read"
        if "error" in payload:
            return None, str(payload["error"])
        return payload, None

    def _against_warning(self, filing: Filing, report: ResultsReport) -> WarningOutcome | None:
        """How the results compare with the latest warning this stock gave for the same period."""
        from parsers.profit_warning import compare_with_warning

        codes = set(filing.stock_codes)
        found = [v for k, v in self.store.records(RecordKind.WARNING).items() if k.split(":", 1)[0] in codes]
        for record in sorted(found, key=lambda r: r.get("released_at") or "", reverse=True):
            warning = _record(ProfitWarning.from_json_dict, record.get("warning"))
            if warning is None:
                continue
            outcome = compare_with_warning(warning, report)
            if outcome is not None:
                return outcome
        return None

    def _due_reference(self, due_id: str, channel: str) -> Reference | None:
        due = self.store.get_alert(due_id, channel)
        if due is None or "entry" not in due.data:
            return None
        entry = CalendarEntry.from_json_dict(due.data["entry"])
        by = due.data.get("window_end") or "23:00"
        return Reference(f"results due on {entry.meeting_date:%d %b %Y} had not appeared by {by} HKT")

    def _in_thread(self, message: Message, original_id: str, channel: str) -> Message:
        original = self.store.get_alert(original_id, channel)
        if original is None or original.filing is None:
            return message
        ts = self.store.receipt(original_id, channel)
        threaded = as_follow_up(message, original=original.filing, thread_ts=ts)
        if ts is None:
            return threaded
        return replace(threaded, extra={**threaded.extra, "note_thread": {"id": original_id, "ts": ts}})


def ops_message(alert: PendingAlert) -> Message:
    """An alarm raised by the watchdog, or its recovery."""
    data = alert.data
    words = ALARMS.get(str(data.get("alarm")))
    problem = words.problem if words else str(data.get("alarm"))
    since = datetime.fromisoformat(data["since"])
    if data.get("state") == "recovered":
        until = datetime.fromtimestamp(since.timestamp() + float(data.get("lasted_s") or 0), HKT)
        return recovered_message(problem, channel=alert.channel, since=since, until=until)
    return alarm_message(problem, channel=alert.channel, since=since, checks=words.checks if words else (),
                         detail=data.get("detail"))


def _record(load: Any, payload: dict[str, Any] | None) -> Any:
    """A parsed record from its stored JSON, or None when there is none or it cannot be read."""
    if payload is None:
        return None
    try:
        return load({k: v for k, v in payload.items() if k != "document"})
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # not the shape it was written in
        logger.warning("a stored record cannot be read (%s: %s); alerting without it", type(exc).__name__,
                       exc)
        return None


def comparable(kind: FilingKind, earlier: list[dict[str, Any]]) -> ResultsReport | None:
    """Interim or quarterly results are compared with the last final results; final results with
    the last interim results (the prior year's final is already the report's own comparative)."""
    wanted = "interim" if kind is FilingKind.FINAL_RESULTS else "final"
    for payload in earlier:
        if payload.get("kind") == wanted and payload.get("document", "results") == "results":
            report = _record(ResultsReport.from_json_dict, payload)
            if report is not None:
                return report
    return None
