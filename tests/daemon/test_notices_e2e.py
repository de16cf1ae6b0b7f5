"""Before results: board-meeting notices fill the calendar, the poll speeds up on the day, a warning's
range is in its alert and compared in the later results, results that do not come are said once, and
a supplemental announcement goes into the original's thread. Real parts: the HKEXnews and Slack
stand-ins, a real Redis, real PDFs parsed by the real parsers (in this process)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slackstandin import Post, SlackStandin

from monitor.calendar import Calendar, due_alerts
from monitor.daemon import Daemon
from monitor.filing import HKT
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling
from monitor.settings import Settings
from parsers.board_meeting import parse_board_meeting
from parsers.profit_warning import parse_profit_warning
from parsers.results import parse_results

FIXTURES = Path(__file__).parents[1] / "fixtures"
NOTICES = FIXTURES / "notices"
PARSERS = {"results": parse_results, "board_meeting": parse_board_meeting,
           "profit_warning": parse_profit_warning}


def parse_here(data: bytes, parser: str) -> dict[str, Any]:
    record: Any = PARSERS[parser](data)
    return dict(record.to_json_dict())


def settings(hkex: HKEXnewsStandIn, slack: SlackStandin, redis_url: str, **watch: object) -> Settings:
    return Settings.model_validate({
        "watch": [{"code": "2512", "channel": "#results", **watch},
                  {"code": "1688", "channel": "#results", "alert_on": ["board_meeting", "results"]}],
        "hkexnews": {"base_url": hkex.base_url, "min_request_interval_s": 0},
        "slack": {"api_url": slack.api_url, "bot_token": slack.token, "max_retries": 0,
                  "min_post_interval_s": 0},
        "store": {"url": redis_url, "lease_s": 5},
        "daemon": {"http_port": 0, "first_run_hours": 0},
    })


@pytest.fixture
def hkex() -> Iterator[HKEXnewsStandIn]:
    with HKEXnewsStandIn() as standin:
        yield standin


@pytest.fixture
def slack() -> Iterator[SlackStandin]:
    with SlackStandin() as standin:
        standin.add_channel("results")
        yield standin


def now_reads(slack: SlackStandin) -> list[Post]:
    """Every message posted, as it reads now: a first notice after the edit that added its figures."""
    out = []
    for post in slack.posts:
        ch = "#results"
        current = slack.message(ch, post.ts)
        out.append(current if current is not None else post)
    return out


def publish(hkex: HKEXnewsStandIn, news_id: int, code: str, name: str, title: str, category: str, t2: str,
            when: datetime, doc: bytes) -> StandInFiling:
    path = f"/listedco/listconews/sehk/{when:%Y/%m%d}/{when:%Y%m%d}{news_id % 100000:05d}.pdf"
    filing = StandInFiling(news_id, [(code, name)], title, category, t2, when, path, doc)
    hkex.publish(filing)
    return filing


def test_board_meeting_notice_enters_the_calendar_and_its_alert(hkex: HKEXnewsStandIn, slack: SlackStandin,
                                                              redis_url: str) -> None:
    now = datetime.now(HKT)
    publish(hkex, 12300001, "01688", "HARBOUR", "DATE OF BOARD MEETING", "Date of Board Meeting", "13150",
            now - timedelta(minutes=5), (NOTICES / "bm-en-1688-interim-2025.pdf").read_bytes())
    daemon = Daemon(settings(hkex, slack, redis_url), parse=parse_here)
    outcome = daemon.one_round()
    assert outcome is not None and outcome.read == 1 and outcome.sent == 1
    [post] = now_reads(slack)
    assert "Board meeting on Fri 29 Aug 2025 to approve interim results" in str(post.blocks)
    [entry] = Calendar(daemon.components.store).entries()
    assert (entry.code, entry.meeting_date, entry.results, entry.dividend) == (
        "01688", date(2025, 8, 29), "interim", True)
    daemon.jobs.calendar()  # the calendar job refreshes the results days the poll plan reads
    assert daemon.lasting.results_days.on(date(2025, 8, 29)) == ("01688",)
    daemon.components.close()


def test_notices_are_read_for_the_calendar_even_unalerted(hkex: HKEXnewsStandIn, slack: SlackStandin,
                                                          redis_url: str) -> None:
    now = datetime.now(HKT)
    publish(hkex, 12300002, "02512", "CLOUD FACTORY", "DATE OF BOARD MEETING", "Date of Board Meeting",
            "13150", now - timedelta(minutes=5), (NOTICES / "bm-en-1688-interim-2025.pdf").read_bytes())
    daemon = Daemon(settings(hkex, slack, redis_url), parse=parse_here)  # 2512 alerts on "results" only
    outcome = daemon.one_round()
    assert outcome is not None and outcome.read == 1 and outcome.sent == 0 and slack.posts == []
    assert [e.code for e in Calendar(daemon.components.store).entries()] == ["02512"]
    daemon.components.close()


def test_warning_range_in_its_alert_and_compared_in_the_results(hkex: HKEXnewsStandIn, slack: SlackStandin,
                                                                 redis_url: str) -> None:
    now = datetime.now(HKT)
    publish(hkex, 12300003, "02512", "CLOUD FACTORY", "POSITIVE PROFIT ALERT", "Profit Warning", "13500",
            now - timedelta(minutes=30), (NOTICES / "pw-en-2512-positive-2025.pdf").read_bytes())
    daemon = Daemon(settings(hkex, slack, redis_url), parse=parse_here)
    first = daemon.one_round()
    assert first is not None and first.sent == 1
    warning = now_reads(slack)[0]
    assert "not less than RMB 14m" in warning.text, warning.text
    assert "six months to 30 Jun 2025" in warning.text
    publish(hkex, 12300004, "02512", "CLOUD FACTORY", "ANNOUNCEMENT OF INTERIM RESULTS FOR THE SIX MONTHS "
            "ENDED 30 JUNE 2025", "Interim Results", "13400", now - timedelta(minutes=1),
            (FIXTURES / "2512-cloud-factory-interim-2025.pdf").read_bytes())
    second = daemon.one_round()
    assert second is not None and second.sent == 1
    results = now_reads(slack)[1]
    assert "Profit RMB 14.92m: as warned (a profit of not less than RMB 14m)" in results.text, results.text
    assert "14,923,000" not in results.text
    daemon.components.close()


def test_results_due_once_then_linked_when_they_come(hkex: HKEXnewsStandIn, slack: SlackStandin,
                                                     redis_url: str) -> None:
    daemon = Daemon(settings(hkex, slack, redis_url), parse=parse_here)
    cal = Calendar(daemon.components.store)
    notice = publish(hkex, 12300005, "02512", "CLOUD FACTORY", "DATE OF BOARD MEETING",
                     "Date of Board Meeting", "13150", datetime(2025, 8, 15, 17, tzinfo=HKT),
                     (NOTICES / "bm-en-1688-interim-2025.pdf").read_bytes())  # meets on Fri 29 Aug 2025
    daemon.one_round()
    [entry] = cal.entries()
    assert entry.filing_id == notice.web_path.rsplit("/", 1)[1][:-4]
    after_window = datetime(2025, 8, 29, 23, 5, tzinfo=HKT)
    for _ in range(2):  # checked every few minutes by the daemon: one message, however often
        for aid, channel, data in due_alerts(cal, daemon.settings, after_window):
            daemon.components.store.enqueue_message(aid, channel, "results_due", data)
        daemon.one_round()
    due = [p for p in now_reads(slack) if "results due, not out" in str(p.blocks)]
    assert len(due) == 1 and "had not appeared by 23:00 HKT" in due[0].text
    publish(hkex, 12300006, "02512", "CLOUD FACTORY", "ANNOUNCEMENT OF INTERIM RESULTS FOR THE SIX MONTHS "
            "ENDED 30 JUNE 2025", "Interim Results", "13400",
            datetime(2025, 8, 30, 7, tzinfo=HKT),
            (FIXTURES / "2512-cloud-factory-interim-2025.pdf").read_bytes())
    daemon.one_round()
    results = now_reads(slack)[-1]
    assert "Follows: results due on 29 Aug 2025 had not appeared by 23:00 HKT" in str(results.blocks)
    assert due_alerts(cal, daemon.settings, after_window + timedelta(hours=10)) == []
    daemon.components.close()


def test_supplemental_announcement_goes_into_the_original_thread(hkex: HKEXnewsStandIn, slack: SlackStandin,
                                                                 redis_url: str) -> None:
    now = datetime.now(HKT)
    publish(hkex, 12300007, "02512", "CLOUD FACTORY", "ANNOUNCEMENT OF INTERIM RESULTS FOR THE SIX MONTHS "
            "ENDED 30 JUNE 2025", "Interim Results", "13400", now - timedelta(minutes=20),
            (FIXTURES / "2512-cloud-factory-interim-2025.pdf").read_bytes())
    daemon = Daemon(settings(hkex, slack, redis_url, alert_on="all"), parse=parse_here)
    daemon.one_round()
    [original] = slack.posts
    publish(hkex, 12300008, "02512", "CLOUD FACTORY", "SUPPLEMENTAL ANNOUNCEMENT TO THE INTERIM RESULTS "
            "ANNOUNCEMENT FOR THE SIX MONTHS ENDED 30 JUNE 2025", "Other", "13800",
            now - timedelta(minutes=1), b"%PDF-1.4 supplemental")
    daemon.one_round()
    reply = slack.posts[-1]
    assert reply.thread_ts == original.ts and "Update to" in reply.text
    edited = slack.message("results", original.ts)
    assert edited is not None and "See the update in the thread" in str(edited.blocks)
    daemon.components.close()


REAL = NOTICES / "real"


def test_real_notices_through_the_daemon_fill_the_calendar_and_say_what_they_say(
        hkex: HKEXnewsStandIn, slack: SlackStandin, redis_url: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Real board-meeting notices (English and the Chinese one with spaced, overdrawn text and
    compatibility ideographs), a real profit warning with no figure, and a warning with a range and a
    prior figure, through the real daemon: `calendar --json` gives the meeting date read by hand
    (tests/fixtures/notices/real/truth.json), and each warning's alert says what it states."""
    from monitor.cli import main

    now = datetime.now(HKT)
    publish(hkex, 12310001, "01856", "ERNEST BOREL", "DATE OF BOARD MEETING", "Date of Board Meeting",
            "13150", now - timedelta(minutes=9),
            (REAL / "01856_board_meeting_2015-08-17_tc.pdf").read_bytes())
    publish(hkex, 12310003, "01856", "ERNEST BOREL", "PROFIT WARNING", "Profit Warning", "13500",
            now - timedelta(minutes=8), (REAL / "01856_profit_warning_2015-07-31_en.pdf").read_bytes())
    publish(hkex, 12310005, "00020", "SENSETIME-W", "PROFIT WARNING", "Profit Warning", "13500",
            now - timedelta(minutes=7), (NOTICES / "demo" / "pw-en-0020-interim-2025.pdf").read_bytes())
    watch = [{"code": "1856", "channel": "#results", "alert_on": ["board_meeting", "profit_warning"]},
             {"code": "20", "channel": "#results"}]
    settings = Settings.model_validate({
        "watch": watch, "hkexnews": {"base_url": hkex.base_url, "min_request_interval_s": 0},
        "slack": {"api_url": slack.api_url, "bot_token": slack.token, "max_retries": 0,
                  "min_post_interval_s": 0},
        "store": {"url": redis_url, "lease_s": 5}, "daemon": {"http_port": 0, "first_run_hours": 0}})
    daemon = Daemon(settings, parse=parse_here)
    outcome = daemon.one_round()
    assert outcome is not None and outcome.read == 3 and outcome.pending == 0
    daemon.close()

    cfg = tmp_path / "w.toml"
    cfg.write_text('[[watch]]\ncode = "1856"\n[[watch]]\ncode = "20"\n'
                   f'[store]\nurl = "{redis_url}"\n')
    assert main(["calendar", "--json", "--all", "--config", str(cfg)]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    truth = json.loads((REAL / "truth.json").read_text())["01856_board_meeting_2015-08-17_tc.pdf"]
    assert (entry["code"], entry["date"], entry["results"], entry["period_end"]) == (
        "01856", truth["meeting_date"], truth["results"], truth["period_end"])

    texts = {}
    for message in now_reads(slack):
        assert message.metadata is not None
        texts[message.metadata["event_payload"]["filing_ids"][0]] = message.text
    ernest = next(t for fid, t in texts.items() if fid.endswith("10003"))
    assert "no expected figure" in ernest.lower() or "no figure" in ernest.lower()
    sensetime = next(t for fid, t in texts.items() if fid.endswith("10005"))
    # The demo warning: a loss of RMB1,400m-1,600m, against a loss of about RMB2,477m a year before.
    assert "loss of RMB 1.4bn-1.6bn" in sensetime and "vs a loss of RMB 2.477bn" in sensetime, sensetime
