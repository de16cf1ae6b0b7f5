"""The results calendar: when each watched stock's results board meeting falls, from its notices.

A ``CalendarEntry`` is one stock's expected results meeting for one period, built from a
board-meeting notice and replaced by a later notice or a delay notice for the same period (the
entry then says which date it replaced). Entries live in the store (records of kind "calendar"),
so every instance of a cluster shares one calendar. ``Calendar`` answers what the daemon asks:
is today a results day for a watched stock (poll faster), which results were due today and have
not appeared by the end of the evening window ("results due, not out"), and what the weekly
digest lists.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from monitor.filing import HKT, Filing
from monitor.schedule.windows import windows_on
from monitor.settings import Settings
from monitor.store import RecordKind

log = logging.getLogger(__name__)

KEEP_DAYS = 400  # entries are kept this long after their meeting


@dataclass(frozen=True)
class CalendarEntry:
    code: str  # five digits
    name: str | None
    meeting_date: date
    results: str | None  # "final" | "interim" | "quarterly"
    period_end: date | None
    dividend: bool | None  # whether a dividend will be considered (None: not said)
    filing_id: str  # the notice it came from
    filing_url: str
    previous_date: date | None = None  # the date this entry replaced (a later notice or a delay)
    is_delay: bool = False
    new_date_unknown: bool = False  # a delay notice that gave no new date: ``meeting_date`` is the old one
    notice_released_at: datetime | None = None

    @property
    def expected(self) -> bool:
        """Whether results are expected on ``meeting_date`` (not a delay without a new date)."""
        return not self.new_date_unknown

    def to_json_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("meeting_date", "period_end", "previous_date", "notice_released_at"):
            d[key] = d[key].isoformat() if d[key] else None
        return d

    @classmethod
    def from_json_dict(cls, d: dict[str, Any]) -> CalendarEntry:
        def day(value: str | None) -> date | None:
            return date.fromisoformat(value) if value else None

        meeting = day(d["meeting_date"])
        assert meeting is not None
        released = d.get("notice_released_at")
        return cls(code=d["code"], name=d.get("name"), meeting_date=meeting, results=d.get("results"),
                   period_end=day(d.get("period_end")), dividend=d.get("dividend"), filing_id=d["filing_id"],
                   filing_url=d["filing_url"], previous_date=day(d.get("previous_date")),
                   is_delay=bool(d.get("is_delay")), new_date_unknown=bool(d.get("new_date_unknown")),
                   notice_released_at=datetime.fromisoformat(released) if released else None)


class _Records(Protocol):
    def put_record(self, kind: str, key: str, value: dict[str, Any], *,
                   ttl_s: float | None = None) -> None: ...
    def get_record(self, kind: str, key: str) -> dict[str, Any] | None: ...
    def records(self, kind: str) -> dict[str, dict[str, Any]]: ...


def period_key(code: str, results: str | None, period_end: date | None, meeting: date | None) -> str:
    """The calendar key of one stock's results for one period."""
    if period_end is not None:
        return f"{code}:{period_end.isoformat()}"
    return f"{code}:{results or 'results'}:{(meeting or date.min).isoformat()}"


class Calendar:
    def __init__(self, store: _Records) -> None:
        self.store = store

    # -- recording -------------------------------------------------------------------------------
    def record_notice(self, filing: Filing, notice: dict[str, Any]) -> list[CalendarEntry]:
        """Enter what a parsed board-meeting or delay notice says for each of its watched stocks
        (``notice`` is ``BoardMeetingNotice.to_json_dict()``); returns the entries written."""
        meeting = _day(notice.get("meeting_date"))
        period_end = _day(notice.get("period_end"))
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
        replaces = _day(notice.get("replaces_date"))
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

    # -- questions ---------------------------------------------------------------------------------
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


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _ttl(meeting: date) -> float:
    days = (meeting - datetime.now(HKT).date()).days + KEEP_DAYS
    return max(1, days) * 86_400.0


# -- what the calendar's jobs post ------------------------------------------------------------------
RESULTS_KINDS = frozenset({"final_results", "interim_results", "quarterly_results"})


def results_channels(settings: Settings, code: str) -> list[str]:
    """The channels that hear about this stock's results."""
    watch = settings.watch_for(code)
    if watch is None or not (watch.kinds & RESULTS_KINDS):
        return []
    return [settings.channel_for(watch)]


def due_alert_id(code: str, day: date) -> str:
    return f"due:{code}:{day.isoformat()}"


MessageAlerts = list[tuple[str, str, dict[str, Any]]]  # (alert id, channel, data) to enqueue


def due_alerts(calendar: Calendar, settings: Settings, now: datetime) -> MessageAlerts:
    """(alert id, channel, data) for each watched stock whose results were due at a meeting today
    (or yesterday, for a daemon that was down at the time) and had not appeared by the end of that
    day's last publication window."""
    hk = now.astimezone(HKT)
    codes = {w.code for w in settings.watch}
    out = []
    for day in (hk.date() - timedelta(days=1), hk.date()):
        ends = [end for _, end in windows_on(day)] or [time(23)]
        if hk < datetime.combine(day, max(ends), HKT):
            continue
        for entry in calendar.meetings_on(day, codes):
            if not calendar.not_out(entry):
                continue
            for channel in results_channels(settings, entry.code):
                out.append((due_alert_id(entry.code, day), channel,
                            {"entry": entry.to_json_dict(), "window_end": max(ends).strftime("%H:%M")}))
    return out


def digest_alerts(calendar: Calendar, settings: Settings, now: datetime) -> MessageAlerts:
    """(alert id, channel, data): per channel, the results its stocks expect in the coming week."""
    today = now.astimezone(HKT).date()
    year, week, _ = today.isocalendar()
    by_channel: dict[str, set[str]] = {}
    for watch in settings.watch:
        by_channel.setdefault(settings.channel_for(watch), set()).add(watch.code)
    out = []
    for channel, codes in sorted(by_channel.items()):
        entries = calendar.listing(codes, today=today, days=6)
        out.append((f"digest:{channel}:{year}-W{week:02d}", channel,
                    {"week_of": today.isoformat(), "entries": [e.to_json_dict() for e in entries]}))
    return out
