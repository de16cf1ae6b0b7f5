"""Operational messages to the ops channel: an alarm (what is wrong, since when, what to check) and,
once, the matching "recovered" (what recovered, how long it lasted)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from monitor.messages.figures import duration, hkt
from monitor.messages.mrkdwn import context, escape, header, message, section
from notifiers.base import Message


@dataclass(frozen=True)
class Alarm:
    """The words for one kind of alarm."""

    problem: str
    checks: tuple[str, ...]


# The alarms of ``[ops]`` (silence is an alarm), keyed as the settings name them.
ALARMS: dict[str, Alarm] = {
    "feed_stale": Alarm("The HKEXnews latest-filings feed has stopped changing", (
        "whether HKEXnews itself is up and its latest-filings page still updates",
        "the monitor's log for HKEXnews errors, and /healthz",
        "whether HKEXnews announced maintenance or an outage")),
    "poll_failing": Alarm("Polls of HKEXnews are failing", (
        "the monitor's log for the error of each failed poll",
        "network, DNS and proxy from this host to HKEXnews",
        "whether HKEXnews is refusing us (403/503 answers: the log says the monitor is cooling off)")),
    "quiet_window": Alarm("A whole publication window passed with no filing from any issuer", (
        "whether the exchange was closed (a public holiday, a typhoon or black rainstorm signal)",
        "whether the feed answers with an old date (/healthz)",
        "the monitor's log for HKEXnews errors")),
}


def alarm_message(problem: str, *, channel: str, since: datetime, checks: Sequence[str] = (),
                  detail: str | None = None, now: datetime | None = None) -> Message:
    """One alarm: ``problem`` since ``since`` (and for how long, given ``now``), an optional
    ``detail`` (the last error, say) and what to check."""
    lasting = f" ({duration((now - since).total_seconds())} so far)" if now else ""
    said = f"*{escape(problem, limit=200)}* since {hkt(since)}{lasting}"
    blocks = [header(f"HKEX monitor alarm: {problem}"),
              section(f":rotating_light: {said}" + (f"\n{escape(detail, limit=500)}" if detail else ""))]
    if checks:
        listed = "\n".join(f"• {escape(c, limit=300)}" for c in checks[:10])
        blocks.append(section(f"*What to check*\n{listed}"))
    blocks.append(context("One message will follow here when it recovers."))
    return message(channel, f"HKEX monitor alarm: {said}", blocks, kind="ops_alarm")


def recovered_message(problem: str, *, channel: str, since: datetime, until: datetime) -> Message:
    """The end of an alarm: what recovered, when, and how long it lasted."""
    lasted = duration((until - since).total_seconds())
    said = (f"*{escape(problem, limit=200)}*: recovered at {hkt(until)}, after {lasted} "
            f"(since {hkt(since)})")
    blocks = [header(f"HKEX monitor recovered: {problem}"), section(f":white_check_mark: {said}")]
    return message(channel, f"HKEX monitor recovered: {said}", blocks, kind="ops_recovered")


def test_message(*, channel: str, sent_at: datetime, host: str, mode: str) -> Message:
    """``hkex-monitor test-alert``: says plainly that it is a test, from where and when, and that
    nothing needs doing."""
    said = f"*Test alert* from hkex-monitor on {escape(host, limit=100)} at {hkt(sent_at)} ({escape(mode)})"
    blocks = [header("HKEX monitor: test alert"),
              section(f":white_check_mark: {said}. Alerts for your watchlist will arrive here the same way."),
              context("Sent by `hkex-monitor test-alert`; no filing is behind it and nothing needs doing.")]
    return message(channel, f"HKEX monitor test alert: {said}", blocks, kind="test")
