"""What the calendar's jobs post: "results due, not out" after a meeting day's last window, and
the weekly digest of the coming week's results meetings, each as (alert id, channel, data) to
enqueue."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from monitor.calendar.book import Calendar
from monitor.filing import HKT
from monitor.schedule.windows import windows_on
from monitor.settings import Settings

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
