"""The calendar itself: entries written from board-meeting and delay notices, kept in the store
(records of kind "calendar", so every instance of a cluster shares one), and the questions the
daemon and the commands ask of it."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from monitor.calendar.entry import CalendarEntry, day_of, period_key
from monitor.filing import HKT, Filing
from monitor.store import RecordKind

log = logging.getLogger(__name__)

KEEP_DAYS = 400  # entries are kept this long after their meeting


class _Records(Protocol):
    def put_record(self, kind: str, key: str, value: dict[str, Any], *,
                   ttl_s: float | None = None) -> None: ...
    def get_record(self, kind: str, key: str) -> dict[str, Any] | None: ...
    def records(self, kind: str) -> dict[str, dict[str, Any]]: ...


class Calendar:
    """One calendar shared by every instance: notices write entries, the daemon's jobs and the
    commands ask it questions."""

    def __init__(self, store: _Records) -> None:
        self.store = store

    def record_notice(self, filing: Filing, notice: dict[str, Any]) -> list[CalendarEntry]:
        """Enter what a parsed board-meeting or delay notice says for each of its watched stocks
        (``notice`` is ``BoardMeetingNotice.to_json_dict()``); returns the entries written."""
        meeting = day_of(notice.get("meeting_date"))
        period_end = day_of(notice.get("period_end"))
        is_delay = bool(notice.get("is_delay"))
        results = notice.get("results")
        if not is_delay and (meeting is None or results is None):
            log.info("%s is a board-meeting notice that names no results meeting (%s); not in the calendar",
                     filing.id, "; ".join(notice.get("notes") or ()) or "no date or purpose read")
            return []
        written = []
        for code, name in zip(filing.stock_codes, filing.stock_names, strict=False):
            entry = self._entry(filing, notice, code, name, meeting, period_end, results, is_delay)
            if entry is None:
                continue
            key = period_key(code, entry.results, entry.period_end, None if entry.period_end else
                             (entry.previous_date or entry.meeting_date))
            self.store.put_record(RecordKind.CALENDAR, key, entry.to_json_dict(),
                                  ttl_s=_ttl(entry.meeting_date))
            written.append(entry)
            what = "moved" if entry.previous_date else "set"
            log.info("calendar: %s %s results meeting %s on %s%s (from %s)", code, entry.results or "",
                     what, entry.meeting_date, f", was {entry.previous_date}" if entry.previous_date else "",
                     filing.id)
        return written

    def _entry(self, filing: Filing, notice: dict[str, Any], code: str, name: str, meeting: date | None,
               period_end: date | None, results: str | None, is_delay: bool) -> CalendarEntry | None:
        old = self._current(code, results, period_end, upcoming_from=filing.released_at.date()
                            if is_delay else None)
        if is_delay:
            if old is None:
                log.info("%s delays %s's results but the calendar has no meeting for them; noted only",
                         filing.id, code)
                if meeting is None:
                    return None
            base = old or CalendarEntry(code, name, meeting or filing.released_at.date(), results, period_end,
                                        None, filing.id, filing.url)
            return replace(base, meeting_date=meeting or base.meeting_date, filing_id=filing.id,
                           filing_url=filing.url, previous_date=base.meeting_date if old else None,
                           is_delay=True, new_date_unknown=meeting is None,
                           results=base.results or results, period_end=base.period_end or period_end,
                           notice_released_at=filing.released_at)
        assert meeting is not None
        # A change of date (or a clarification of one) says which date it replaces: the calendar says
        # so even when it never saw the first notice.
        replaces = day_of(notice.get("replaces_date"))
        previous = (old.meeting_date if old is not None and old.meeting_date != meeting else
                    replaces if replaces is not None and replaces != meeting else None)
        return CalendarEntry(code=code, name=name or None, meeting_date=meeting, results=results,
                             period_end=period_end, dividend=notice.get("dividend"), filing_id=filing.id,
                             filing_url=filing.url, previous_date=previous,
                             notice_released_at=filing.released_at)

    def _current(self, code: str, results: str | None, period_end: date | None,
                 upcoming_from: date | None) -> CalendarEntry | None:
        """The entry a new notice for this stock and period replaces (for a delay that names no
        period: the stock's next meeting from ``upcoming_from``)."""
        entries = [e for e in self.entries() if e.code == code]
        if period_end is not None:
            same = [e for e in entries if e.period_end == period_end]
            if same:
                return same[0]
        if upcoming_from is not None:
            upcoming = sorted((e for e in entries if e.meeting_date >= upcoming_from - timedelta(days=3)),
                              key=lambda e: e.meeting_date)
            if results is not None:
                upcoming = [e for e in upcoming if e.results in (results, None)] or upcoming
            return upcoming[0] if upcoming else None
        return None

    def results_appeared(self, filing: Filing) -> None:
        """Note a results filing of each of its stocks (the "results due" check reads it)."""
        for code in filing.stock_codes:
            self.store.put_record(RecordKind.RESULTS_OUT, code, {"filing_id": filing.id,
                                                      "released_at": filing.released_at.isoformat()},
                                  ttl_s=KEEP_DAYS * 86_400)

    def entries(self) -> list[CalendarEntry]:
        out = []
        for key, value in self.store.records(RecordKind.CALENDAR).items():
            try:
                out.append(CalendarEntry.from_json_dict(value))
            except (KeyError, TypeError, ValueError) as exc:
                log.warning("ignoring calendar entry %s that cannot be read: %s", key, exc)
        return sorted(out, key=lambda e: (e.meeting_date, e.code))

    def listing(self, codes: set[str], *, today: date, days: int | None = None,
                include_past: bool = False) -> list[CalendarEntry]:
        """The watched stocks' entries, upcoming first (then past ones, most recent first)."""
        mine = [e for e in self.entries() if e.code in codes]
        end = today + timedelta(days=days) if days is not None else date.max
        upcoming = [e for e in mine if today <= e.meeting_date <= end]
        past = sorted((e for e in mine if e.meeting_date < today), key=lambda e: e.meeting_date, reverse=True)
        return upcoming + (past if include_past else [])

    def meetings_on(self, day: date, codes: set[str]) -> list[CalendarEntry]:
        """Results meetings of watched stocks on ``day`` (a delay without a new date is not one)."""
        return [e for e in self.entries() if e.code in codes and e.meeting_date == day and e.expected]

    def not_out(self, entry: CalendarEntry) -> bool:
        """Whether no results filing of the entry's stock has appeared since its notice."""
        seen = self.store.get_record(RecordKind.RESULTS_OUT, entry.code)
        if seen is None:
            return True
        released = datetime.fromisoformat(seen["released_at"])
        since = entry.notice_released_at or datetime.combine(entry.meeting_date, datetime.min.time(), HKT)
        return released < since


def _ttl(meeting: date) -> float:
    days = (meeting - datetime.now(HKT).date()).days + KEEP_DAYS
    return max(1, days) * 86_400.0
