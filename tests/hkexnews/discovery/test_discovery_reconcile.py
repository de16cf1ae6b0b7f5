"""Reconciliation (``discovery/reconcile.py``) against the stand-in: what the feed never showed is found,
multi-counter filings once, Chinese-only ones resolved, stocks that cannot be compared say why,
and filings the feed may still bring are left alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from feedbuilder import pdf_bytes
from hkexfakes import MemoryStore
from standinfilings import NOW, ZH_TITLE, chinese_only, filing, path, polled

from monitor.filing import HKT
from monitor.hkexnews.discovery import (
    Discovery,
)
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling


def test_reconciliation_finds_what_the_feed_never_showed(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    day = NOW.date()
    seen = filing(
        12300001,
        "00020",
        "INTERIM RESULTS ANNOUNCEMENT",
        seq=1,
        when=NOW - timedelta(hours=5),
        category="Interim Results",
        t2="13400",
    )
    revised = filing(
        12300002,
        "00020",
        "INTERIM RESULTS ANNOUNCEMENT",
        seq=2,
        when=NOW - timedelta(hours=4),
        category="Interim Results",
        t2="13400",
        revision="revised",
    )
    missed = filing(
        12300003,
        "02512",
        "ANNOUNCEMENT OF INTERIM RESULTS",
        seq=3,
        when=NOW - timedelta(hours=3),
        category="Interim Results",
        t2="13400",
        feed_listed=False,
    )
    both_counters = StandInFiling(
        12300004,
        [("00700", "TENCENT"), ("80700", "TENCENT-R")],
        "VOLUNTARY ANNOUNCEMENT",
        "Others",
        "NaN",
        NOW - timedelta(hours=2),
        path(4),
        pdf_bytes("t"),
        feed_listed=False,
    )
    placeholder = chinese_only(seq=5, zh_seq=7, when=NOW - timedelta(hours=1), feed_listed=False)
    before_midnight = filing(
        12300008,
        "02512",
        "NEXT DAY DISCLOSURE RETURN",
        seq=8,
        when=datetime(2026, 4, 10, 23, 59, tzinfo=HKT),
        feed_listed=False,
    )
    after_midnight = filing(
        12300009,
        "02512",
        "NEXT DAY DISCLOSURE RETURN",
        seq=9,
        when=datetime(2026, 4, 11, 0, 1, tzinfo=HKT),
        feed_listed=False,
    )
    too_recent = filing(
        12300010,
        "00005",
        "ANNOUNCEMENT",
        seq=10,
        when=datetime(2026, 4, 11, 0, 25, tzinfo=HKT),
        feed_listed=False,
    )
    for f in (seen, revised, missed, both_counters, placeholder, before_midnight, after_midnight, too_recent):
        hk.publish(f)
    hk.add_stock("01234")
    hk.fail_title_search("01234", "null")
    polled(store, NOW - timedelta(minutes=5))
    discovery = make_discovery()
    codes = ["00020", "02512", "00700", "80700", "00005", "01234", "09999"]
    discovery.commit(discovery.poll(codes, now=NOW))  # the feed path sees `seen` and `revised`

    after = datetime(2026, 4, 11, 0, 30, tzinfo=HKT)
    rec = discovery.reconcile(day, codes, now=after)
    found_late = {f.id: f for f in rec.missed}
    assert set(found_late) == {"2026041000003", "2026041000004", "2026041000005", "2026041000008"}
    resolved = found_late["2026041000005"]
    assert resolved.chinese_only and resolved.zh_url == hk.base_url + path(7, chinese=True)
    assert resolved.zh_title == ZH_TITLE
    checks = {c.code: c for c in rec.compared}
    assert checks["00700"].missed == checks["80700"].missed == ("2026041000004",)  # one filing, two counters
    assert set(checks["00020"].listed) == {"2026041000001", "2026041000002", "2026041000005"}
    assert checks["00020"].missed == ("2026041000005",)
    assert "2026041000009" not in checks["02512"].listed  # the next day's filing is the next day's
    assert checks["00005"].listed == () and rec.too_recent == ()  # 00:25 on the 11th is not the 10th's
    assert dict(rec.unchecked) == {
        "01234": 'HKEXnews answered "null" (no rows, unconfirmed)',
        "09999": "not in HKEXnews' active stock lists (delisted or mistyped?)",
    }
    assert not rec.complete and store.unseen(rec.seen_keys) == set(rec.seen_keys)  # nothing marked yet
    discovery.commit_reconciliation(rec)
    assert discovery.reconcile(day, codes, now=after).missed == ()


def test_reconciliation_leaves_filings_the_feed_may_still_bring(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    hk.publish(
        filing(12300011, "00020", "ANNOUNCEMENT", seq=11, when=NOW - timedelta(minutes=3), feed_listed=False)
    )
    rec = make_discovery().reconcile(NOW.date(), ["00020"], now=NOW)
    assert rec.missed == () and [f.id for f in rec.too_recent] == ["2026041000011"] and rec.complete
