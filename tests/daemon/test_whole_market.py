"""Watching the whole market (`[[watch]] code = "*"`): every listed stock's filings, Main Board and
GEM, go to the whole-market watch's channel as its alert_on asks, while a stock with a watch of its
own keeps its own; the real daemon, the HKEXnews and Slack stand-ins, a real Redis."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slackstandin import SlackStandin

from monitor.daemon import Daemon
from monitor.filing import HKT
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling
from monitor.settings import Settings
from parsers.reading import read_document

FIXTURES = Path(__file__).parents[1] / "fixtures"
CLOUD_FACTORY = (FIXTURES / "2512-cloud-factory-interim-2025.pdf").read_bytes()


def parse_here(data: bytes, reader: str) -> dict[str, Any]:
    record = read_document(data).record
    assert record is not None
    return dict(record.to_json_dict())


@pytest.fixture
def hkex() -> Iterator[HKEXnewsStandIn]:
    with HKEXnewsStandIn() as standin:
        yield standin


def filing(news_id: int, code: str, title: str, t2: str, when: datetime, *, board: str = "sehk",
           doc: bytes = b"%PDF-1.4 x") -> StandInFiling:
    path = f"/listedco/listconews/{board}/{when:%Y/%m%d}/{when:%Y%m%d}{news_id % 100000:05d}.pdf"
    category = "Interim Results" if t2 == "13400" else "Voluntary Announcements"
    return StandInFiling(news_id, [(code, f"STOCK {code}")], title, category, t2, when, path, doc,
                         board=board)


def test_the_whole_market_to_one_channel(hkex: HKEXnewsStandIn, slack_standin: SlackStandin,
                                         redis_url: str) -> None:
    now = datetime.now(HKT)
    main = filing(12600001, "03888", "INTERIM RESULTS ANNOUNCEMENT", "13400", now - timedelta(minutes=5),
                  doc=CLOUD_FACTORY)
    gem = filing(12600002, "08123", "INTERIM RESULTS ANNOUNCEMENT", "13400", now - timedelta(minutes=4),
                 board="gem", doc=CLOUD_FACTORY)
    other = filing(12600003, "01234", "VOLUNTARY ANNOUNCEMENT", "NaN", now - timedelta(minutes=3))
    own = filing(12600004, "00020", "VOLUNTARY ANNOUNCEMENT", "NaN", now - timedelta(minutes=2))
    for f in (main, gem, other, own):
        hkex.publish(f)
    settings = Settings.model_validate({
        "watch": [{"code": "*", "channel": "#results", "alert_on": ["results"]},
                  {"code": "0020", "alert_on": "all"}],
        "hkexnews": {"base_url": hkex.base_url, "min_request_interval_s": 0},
        "slack": {"api_url": slack_standin.api_url, "bot_token": slack_standin.token, "max_retries": 0,
                  "min_post_interval_s": 0},
        "store": {"url": redis_url}, "daemon": {"http_port": 0, "first_run_hours": 0}})
    daemon = Daemon(settings, parse=parse_here)
    outcome = daemon.one_round()
    daemon.close()
    assert outcome is not None and outcome.ok and outcome.pending == 0
    by_channel = {slack_standin.channel_id("results"): set(), slack_standin.channel_id("hkex-filings"): set()}
    for post in slack_standin.posts:
        assert post.metadata is not None
        by_channel[post.channel] |= set(post.metadata["event_payload"]["filing_ids"])
    stem = f"{now:%Y%m%d}"
    assert by_channel[slack_standin.channel_id("results")] == {f"{stem}00001", f"{stem}00002"}  # both boards
    assert by_channel[slack_standin.channel_id("hkex-filings")] == {f"{stem}00004"}  # its own watch
    feeds = {r.split("?")[0] for r in hkex.requests if "/ncms/json/" in r}
    assert any("gem" in f for f in feeds) and any("sehk" in f for f in feeds)


def test_the_operator_is_told_what_is_watched() -> None:
    """The start line, a reload and doctor say 'the whole market', not the whole-market entry counted
    as one stock."""
    def watching(*watches: dict[str, Any]) -> str:
        return Settings.model_validate({"watch": list(watches)}).watching

    assert watching({"code": "2512"}) == "1 stock"
    assert watching({"code": "2512"}, {"code": "0020"}) == "2 stocks"
    assert watching({"code": "*", "channel": "#all"}) == "the whole market"
    assert watching({"code": "*", "channel": "#all"}, {"code": "0020"}) == \
        "the whole market (1 stock with a watch of its own)"
