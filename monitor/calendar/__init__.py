"""The results calendar: when each watched stock's results board meeting falls, from its notices.

A ``CalendarEntry`` is one stock's expected results meeting for one period, built from a
board-meeting notice and replaced by a later notice or a delay notice for the same period (the
entry then says which date it replaced). Entries live in the store (records of kind "calendar"),
so every instance of a cluster shares one calendar. ``Calendar`` answers what the daemon asks:
is today a results day for a watched stock (poll faster), which results were due today and have
not appeared by the end of the evening window ("results due, not out"), and what the weekly
digest lists.

``entry`` is the entry; ``book`` the calendar in the store; ``posts`` what its jobs post.
"""

from monitor.calendar.book import KEEP_DAYS, Calendar
from monitor.calendar.entry import CalendarEntry, period_key
from monitor.calendar.posts import (
    RESULTS_KINDS,
    MessageAlerts,
    digest_alerts,
    due_alert_id,
    due_alerts,
    results_channels,
)

__all__ = ["KEEP_DAYS", "RESULTS_KINDS", "Calendar", "CalendarEntry", "MessageAlerts", "digest_alerts",
           "due_alert_id", "due_alerts", "period_key", "results_channels"]
