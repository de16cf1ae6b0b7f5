"""Operational alarms and their recoveries."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from slackblocks import assert_within_limits, block_texts

from monitor.filing import HKT
from monitor.messages import ALARMS, alarm_message, recovered_message
from monitor.messages.figures import duration

SINCE = datetime(2025, 8, 27, 14, 5, tzinfo=HKT)


def test_alarm_says_what_since_when_and_what_to_check() -> None:
    alarm = ALARMS["feed_stale"]
    m = alarm_message(alarm.problem, channel="#ops", since=SINCE, checks=alarm.checks,
                      now=SINCE + timedelta(minutes=45), detail="genDate still 2025-08-27 14:05:12")
    assert m.blocks[0]["text"]["text"] == f"HKEX monitor alarm: {alarm.problem}"
    assert alarm.problem == "The HKEXnews latest-filings feed has stopped changing"
    assert block_texts(m)[1] == (":rotating_light: *The HKEXnews latest-filings feed has stopped changing* "
                                 "since 27 Aug 2025 14:05 HKT (45 min so far)\n"
                                 "genDate still 2025-08-27 14:05:12")
    assert block_texts(m)[2] == (
        "*What to check*\n• whether HKEXnews itself is up and its latest-filings page still updates\n"
        "• the monitor's log for HKEXnews errors, and /healthz\n"
        "• whether HKEXnews announced maintenance or an outage")
    assert m.text == ("HKEX monitor alarm: *The HKEXnews latest-filings feed has stopped changing* since "
                      "27 Aug 2025 14:05 HKT (45 min so far)")
    assert (m.kind, m.channel, m.filing_ids) == ("ops_alarm", "#ops", ())
    assert_within_limits(m)


@pytest.mark.parametrize("name", sorted(ALARMS))
def test_every_configured_alarm_has_words(name: str) -> None:
    alarm = ALARMS[name]
    assert alarm.problem and alarm.checks
    assert_within_limits(alarm_message(alarm.problem, channel="#ops", since=SINCE, checks=alarm.checks))


def test_recovered_says_how_long_it_lasted() -> None:
    m = recovered_message("Polls of HKEXnews are failing", channel="#ops", since=SINCE,
                          until=SINCE + timedelta(hours=1, minutes=12))
    assert m.blocks[0]["text"]["text"] == "HKEX monitor recovered: Polls of HKEXnews are failing"
    assert block_texts(m)[1] == (":white_check_mark: *Polls of HKEXnews are failing*: recovered at 27 Aug "
                                 "2025 15:17 HKT, after 1 h 12 min (since 27 Aug 2025 14:05 HKT)")
    assert m.kind == "ops_recovered"


@pytest.mark.parametrize("seconds, shown", [
    (0, "0 s"), (45, "45 s"), (60, "1 min"), (2700, "45 min"), (3600, "1 h"), (4320, "1 h 12 min"),
    (86400, "1 d"), (183600, "2 d 3 h"), (-5, "0 s"),
])
def test_duration(seconds: float, shown: str) -> None:
    assert duration(seconds) == shown


def test_long_alarm_stays_within_limits() -> None:
    m = alarm_message("P" * 900, channel="#ops", since=SINCE, checks=["C" * 900] * 30, detail="D" * 9000)
    assert_within_limits(m)
