"""Every message the monitor posts, built from records (pure: records in, a ``Message`` out).

One module per thing said: ``results`` (a results summary), ``filings`` (other filings, listed),
``notices`` (profit warnings, board meetings, delays), ``calendar`` (weekly digest, results due),
``ops`` (alarms, recoveries), ``threads`` (follow-ups); ``mrkdwn`` holds the one escaping function
and the block helpers, ``figures`` the number and date formats.
"""

from monitor.messages.calendar import digest_message, results_due_message
from monitor.messages.filings import filings_message, first_notice_message
from monitor.messages.mrkdwn import as_text, escape, link
from monitor.messages.notices import (
    board_meeting_message,
    expectation,
    outcome_line,
    profit_warning_message,
)
from monitor.messages.ops import ALARMS, Alarm, alarm_message, recovered_message
from monitor.messages.results import results_message
from monitor.messages.threads import as_follow_up, with_thread_note

__all__ = ["ALARMS", "Alarm", "alarm_message", "as_follow_up", "as_text", "board_meeting_message",
           "digest_message", "escape", "expectation", "filings_message", "first_notice_message", "link",
           "outcome_line", "profit_warning_message", "recovered_message", "results_due_message",
           "results_message", "with_thread_note"]
