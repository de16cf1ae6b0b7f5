"""The fault-injection harness: a real daemon (in this process, or as the real command), a real Redis,
the HKEXnews and Slack stand-ins; each test injects one fault and tallies, per filing it expects,
how many Slack messages carried it. ``tally`` asserts nothing lost and nothing duplicated, and the
session's summary prints one row per fault (alerts expected, delivered, lost, duplicated)."""

from __future__ import annotations

import os
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slackstandin import SlackStandin, slack_standin  # noqa: F401
from waiting import wait_for  # noqa: F401  (the tests here import it from this conftest)

from monitor.daemon import Daemon
from monitor.filing import HKT
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling
from monitor.settings import Settings

FIXTURES = Path(__file__).parents[1] / "fixtures"
CLOUD_FACTORY = (FIXTURES / "2512-cloud-factory-interim-2025.pdf").read_bytes()


@dataclass(frozen=True)
class Row:
    fault: str
    expected: int
    delivered: int
    lost: int
    duplicated: int


ROWS: list[Row] = []


def posted_ids(slack: SlackStandin) -> Counter[str]:
    """How many messages in Slack (the channels' history, as Slack holds it) carry each filing id."""
    return slack.filing_counts()


def tally(fault: str, expected: set[str], slack: SlackStandin) -> Row:
    """Record and check one fault's row: every expected filing in Slack exactly once."""
    counts = posted_ids(slack)
    row = Row(fault, len(expected), len(expected & set(counts)), len(expected - set(counts)),
              sum(n - 1 for fid, n in counts.items() if n > 1))
    ROWS.append(row)
    assert row.lost == 0, f"{fault}: lost {sorted(expected - set(counts))}"
    assert row.duplicated == 0, f"{fault}: duplicated {[f for f, n in counts.items() if n > 1]}"
    assert set(counts) <= expected, f"{fault}: unexpected {sorted(set(counts) - expected)}"
    return row


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not ROWS:
        return
    terminalreporter.write_sep("-", "fault injection: alerts expected / delivered / lost / duplicated")
    width = max(len(r.fault) for r in ROWS)
    terminalreporter.write_line(f"{'fault':<{width}}  exp del lst dup")
    for r in ROWS:
        terminalreporter.write_line(f"{r.fault:<{width}}  {r.expected:>3} {r.delivered:>3} {r.lost:>3} "
                                    f"{r.duplicated:>3}")


@pytest.fixture
def hkex() -> Iterator[HKEXnewsStandIn]:
    with HKEXnewsStandIn() as standin:
        yield standin


def _stem(now: datetime, news_id: int) -> str:
    """A document stem unique to the news id (the last five digits; keep ``start`` values apart)."""
    return f"{now:%Y%m%d}{news_id % 100000:05d}"


def publish_results(hkex: HKEXnewsStandIn, n: int, *, code: str = "02512", start: int = 12410000,
                    doc: bytes = CLOUD_FACTORY, **over: Any) -> list[str]:
    """``n`` results announcements of one stock; returns their filing ids."""
    now = datetime.now(HKT)
    ids = []
    for i in range(n):
        stem = _stem(now, start + i)
        hkex.publish(StandInFiling(start + i, [(code, "CLOUD FACTORY")], f"INTERIM RESULTS ANNOUNCEMENT {i}",
                                   "Interim Results", "13400", now - timedelta(seconds=30 + i),
                                   f"/listedco/listconews/sehk/{now:%Y/%m%d}/{stem}.pdf", doc, **over))
        ids.append(stem)
    return ids


def publish_others(hkex: HKEXnewsStandIn, n: int, *, code: str = "00020", start: int = 12520000) -> list[str]:
    now = datetime.now(HKT)
    ids = []
    for i in range(n):
        stem = _stem(now, start + i)
        hkex.publish(StandInFiling(start + i, [(code, "SENSETIME-W")], f"VOLUNTARY ANNOUNCEMENT {i}",
                                   "Voluntary Announcements", "NaN", now - timedelta(seconds=20 + i),
                                   f"/listedco/listconews/sehk/{now:%Y/%m%d}/{stem}.pdf", b"%PDF-1.4 x"))
        ids.append(stem)
    return ids


def settings(hkex: HKEXnewsStandIn, slack_api: SlackStandin, store_url: str, /, **over: Any) -> Settings:
    """The daemon's settings for these tests; ``over`` overrides keys per section (``slack={...}``)."""
    slack = slack_api
    base: dict[str, Any] = {
        "watch": [{"code": "2512", "channel": "#results"}, {"code": "0020", "alert_on": "all"}],
        "hkexnews": {"base_url": hkex.base_url, "min_request_interval_s": 0, "backoff_s": 0.05, "retries": 1,
                     "cooloff_s": 30},
        "schedule": {"in_window_s": 1, "off_window_s": 1, "learning_s": 1},
        "slack": {"api_url": slack.api_url, "bot_token": slack.token, "max_retries": 1, "timeout_s": 1,
                  "min_post_interval_s": 0},
        "store": {"url": store_url, "lease_s": 3},
        "daemon": {"http_port": 0, "heartbeat_s": 1, "first_run_hours": 0},
    }
    for section, values in over.items():
        base[section] = {**base.get(section, {}), **values} if isinstance(values, dict) else values
    return Settings.model_validate(base)


class Running:
    """``Daemon.run()`` in a thread of this process (no signals: ``stop()`` ends it)."""

    def __init__(self, daemon: Daemon) -> None:
        self.daemon = daemon
        self.thread = threading.Thread(target=daemon.run, name="daemon-under-test", daemon=True)

    def __enter__(self) -> Daemon:
        self.thread.start()
        return self.daemon

    def __exit__(self, *exc: object) -> None:
        self.daemon.request_stop()
        self.thread.join(30)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "monitor.cli", *args]


def cli_env(hkex: HKEXnewsStandIn, slack: SlackStandin, store_url: str) -> dict[str, str]:
    return {**os.environ, "HKEX_MONITOR_HKEXNEWS_URL": hkex.base_url, "HKEX_MONITOR_STORE_URL": store_url,
            "SLACK_BOT_TOKEN": slack.token, "SLACK_API_URL": slack.api_url, "PYTHONUNBUFFERED": "1",
            "HKEX_MONITOR_FIRST_RUN_HOURS": "0"}
