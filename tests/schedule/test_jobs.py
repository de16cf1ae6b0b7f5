"""The real daemon on the default schedule against a feed regenerated on a grid: once the cadence is
learnt, it polls once per regeneration, just after it, and finds a new filing within a second or two of
its first appearance in the feed."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from waiting import wait_for

import monitor.schedule.plan
from monitor.daemon import Daemon
from monitor.filing import HKT
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling
from monitor.settings import Settings

PERIOD = 1.5  # seconds between the stand-in's regenerations
FEED = "/ncms/json/eds/lcisehk1relsde_1.json"


@pytest.fixture
def inside_a_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one thing of the real clock a test cannot have on demand: being inside a publication
    window. Everything else (cadence, timers, pacing) runs on the real clock."""
    monkeypatch.setattr(monitor.schedule.plan, "in_window", lambda moment: True)


@pytest.fixture
def running(redis_url: str, inside_a_window: None) -> Iterator[tuple[Daemon, HKEXnewsStandIn]]:
    with HKEXnewsStandIn(regen_period_s=PERIOD) as hk:
        settings = Settings.model_validate({
            "watch": [{"code": "0020", "alert_on": "all"}],
            "hkexnews": {"base_url": hk.base_url, "min_request_interval_s": 0},
            "schedule": {"learning_s": 1},  # otherwise the defaults: no fixed in-window interval
            "store": {"url": redis_url},
            "daemon": {"http_port": 0, "first_run_hours": 0},
        })
        daemon = Daemon(settings)
        thread = threading.Thread(target=daemon.run, daemon=True)
        thread.start()
        try:
            yield daemon, hk
        finally:
            daemon.request_stop()
            thread.join(30)


def test_one_feed_request_per_regeneration_once_the_cadence_is_learnt(
    running: tuple[Daemon, HKEXnewsStandIn],
) -> None:
    daemon, hk = running
    wait_for(lambda: daemon.lasting.cadence.estimate() is not None, 12 * PERIOD + 10, "the cadence learnt")
    start = time.time()
    time.sleep(8 * PERIOD)
    end = time.time()
    wall = time.time() - time.monotonic()  # the stand-in stamps arrivals with time.monotonic()
    polls = [t + wall for t, path in hk.timed_requests if path.split("?")[0] == FEED]
    polls = [t for t in polls if start <= t < end]
    regenerations = math.floor(end / PERIOD) - math.ceil(start / PERIOD) + 1
    # one poll per regeneration (a poll that comes before a late regeneration may be repeated once)
    assert regenerations - 1 <= len(polls) <= regenerations + 1, (len(polls), regenerations)
    # each just after its regeneration: within a second of the grid point
    offsets = sorted(t % PERIOD for t in polls)
    assert offsets[len(offsets) // 2] < 1.0, offsets


def test_a_new_filing_is_found_soon_after_it_first_appears(running: tuple[Daemon, HKEXnewsStandIn]) -> None:
    daemon, hk = running
    wait_for(lambda: daemon.lasting.cadence.estimate() is not None, 12 * PERIOD + 10, "the cadence learnt")
    now = datetime.now(HKT)
    published = time.time()
    hk.publish(StandInFiling(12990001, [("00020", "SENSETIME-W")], "VOLUNTARY ANNOUNCEMENT", "Voluntary",
                             "NaN", now, f"/listedco/listconews/sehk/{now:%Y/%m%d}/{now:%Y%m%d}90001.pdf",
                             b"%PDF-1.4 x"))
    appears = math.ceil(published / PERIOD) * PERIOD
    wait_for(lambda: daemon.metrics.filings_seen.labels("other")._value.get() >= 1, 10, "the filing found")
    found = time.time()
    assert found - appears < 2.0, found - appears
