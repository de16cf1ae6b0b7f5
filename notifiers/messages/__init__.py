"""Every message the monitor posts, built from records (pure: records in, a ``Message`` out).

One module per thing said: ``results`` (a results summary), ``filings`` (other filings, listed),
``notices`` (profit warnings, board meetings, delays), ``calendar`` (weekly digest, results due),
``ops`` (alarms, recoveries), ``threads`` (follow-ups); ``mrkdwn`` holds the one escaping function
and the block helpers, ``figures`` the number and date formats.
"""

from notifiers.messages.calendar import digest_message, results_due_message
from notifiers.messages.filings import filings_message
from notifiers.messages.mrkdwn import as_text, escape, link
from notifiers.messages.notices import (
    board_meeting_message,
    expectation,
    outcome_line,
    profit_warning_message,
)
from notifiers.messages.ops import ALARMS, Alarm, alarm_message, recovered_message
from notifiers.messages.results import results_message
from notifiers.messages.threads import as_follow_up, with_thread_note

__all__ = ["ALARMS", "Alarm", "alarm_message", "as_follow_up", "as_text", "board_meeting_message",
           "digest_message", "escape", "expectation", "filings_message", "link", "outcome_line",
           "profit_warning_message", "recovered_message", "results_due_message", "results_message",
           "with_thread_note"]
