"""The results calendar in messages: each channel's weekly digest of expected results, and the
"results due, not out" message on a meeting day that ended without results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from monitor.calendar import CalendarEntry
from monitor.filing import HKT
from monitor.messages.figures import weekday
from monitor.messages.mrkdwn import context, escape, header, link, message, section, sections
from monitor.messages.notices import results_phrase
from notifiers.base import Message

MAX_DIGEST_LINES = 120


def _name(entry: CalendarEntry) -> str:
    return f"{entry.name} ({entry.code})" if entry.name else entry.code


def _expected(entry: CalendarEntry) -> str:
    """ "interim results for the period to 30 Jun 2025 · dividend to be considered" """
    text = results_phrase(entry.results, None, entry.period_end)
    if entry.dividend is True:
        text += " · dividend to be considered"
    elif entry.dividend is False:
        text += " · no dividend to be considered"
    return text


def entry_line(entry: CalendarEntry) -> str:
    """ "• *Fri 5 Sep* (moved from Fri 29 Aug) · SenseTime (00020): interim results ... · notice" """
    when = f"*{weekday(entry.meeting_date, year=False)}*"
    if entry.previous_date and entry.previous_date != entry.meeting_date:
        how = "delayed" if entry.is_delay else "moved"
        when += f" ({how} from {weekday(entry.previous_date, year=False)})"
    return (f"• {when} · {escape(_name(entry), limit=120)}: {_expected(entry)} · "
            f"{link(entry.filing_url, 'notice')}")


def digest_message(entries: Sequence[CalendarEntry], *, channel: str, start: date, days: int = 7) -> Message:
    """The results expected from ``start`` for ``days`` days (the entries of this channel's stocks;
    others outside the window are left out), by date; an empty week says so in one line."""
    end = start + timedelta(days=days - 1)
    span = f"{weekday(start, year=False)} to {weekday(end)}"
    inside = sorted((e for e in entries if start <= e.meeting_date <= end),
                    key=lambda e: (e.meeting_date, e.code))
    blocks: list[dict[str, Any]] = [header(f"Results expected, {span}")]
    if not inside:
        text = f"No results expected for this channel's stocks from {span}."
        blocks.append(section(text))
        return message(channel, text, blocks, kind="digest")
    lines = [entry_line(e) for e in inside[:MAX_DIGEST_LINES]]
    if len(inside) > MAX_DIGEST_LINES:
        lines.append(f"… and {len(inside) - MAX_DIGEST_LINES} more")
    blocks.extend(sections(lines))
    moved = sum(1 for e in inside if e.previous_date and e.previous_date != e.meeting_date)
    if moved:
        blocks.append(context(f"{moved} date{'s' * (moved > 1)} moved by a later notice"))
    first = ", ".join(f"{escape(_name(e), limit=60)} {weekday(e.meeting_date, year=False)}"
                      for e in inside[:3])
    n = len(inside)
    text = f"Results expected {span}: {n} ({first}{', …' if n > 3 else ''})"
    return message(channel, text, blocks, kind="digest")


def results_due_message(entry: CalendarEntry, *, channel: str, deadline: datetime,
                        now: datetime | None = None) -> Message:
    """ "SenseTime (00020): results were due from today's board meeting but had not appeared by 23:00
    HKT". ``deadline``: the end of the evening window; ``now``: when it is posted (the deadline if not
    given), which decides between "today's" and a dated meeting."""
    today = (now or deadline).astimezone(HKT).date()
    end = deadline.astimezone(HKT)
    meeting = "today's board meeting" if entry.meeting_date == today else \
        f"the board meeting on {weekday(entry.meeting_date)}"
    by = f"{end:%H:%M} HKT" + ("" if end.date() == today else f" on {weekday(end.date())}")
    said = f"{escape(_name(entry), limit=120)}: results were due from {meeting} but had not appeared by {by}"
    blocks = [header(f"{_name(entry)}: results due, not out"),
              section(f"{said}.\nExpected: {_expected(entry)} "
                      f"({link(entry.filing_url, 'board-meeting notice')})"),
              context("The summary will follow when the results appear.")]
    return message(channel, said, blocks, kind="results_due")
