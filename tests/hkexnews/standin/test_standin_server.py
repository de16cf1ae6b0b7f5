"""The stand-in's HTTP side (``standin/server.py``): a feed regenerated on a cadence, whose
``genDate`` is the regeneration tick and whose cadence the monitor can learn."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from standinfilings import NOW, filing

from monitor.hkexnews.cadence import FeedCadence
from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.standin import HKEXnewsStandIn
from monitor.settings import HKEXnewsSettings


def test_the_feed_changes_only_at_regeneration_ticks_and_its_cadence_is_learnt(
    make_settings: Callable[..., HKEXnewsSettings],
) -> None:
    period = 0.3
    with HKEXnewsStandIn(regen_period_s=period) as hk:
        client = HKEXnewsClient(make_settings(base_url=hk.base_url))
        hk.publish(filing(12700000, "00020", "ONE", seq=1, when=NOW))
        assert client.latest_page().filings == ()  # published after the last regeneration
        time.sleep(period * 1.2)
        page = client.latest_page()
        assert [f.title for f in page.filings] == ["ONE"]
        ticks = page.gen_date_ms / 1000 / period  # genDate is a regeneration tick
        assert abs(ticks - round(ticks)) * period < 0.002 and page.gen_date_ms / 1000 <= time.time()
        cadence = FeedCadence(min_period_s=0.1)
        deadline = time.time() + 4
        while time.time() < deadline and cadence.estimate() is None:
            seen = client.latest_page()
            cadence.observe(seen.gen_date_ms, time.time())
            time.sleep(0.07)
        est = cadence.estimate()
        assert est is not None and est.period_s == pytest.approx(period, rel=0.01)
        due = cadence.next_due(time.time())
        assert due is not None and due - time.time() <= period + 0.5
        client.close()
