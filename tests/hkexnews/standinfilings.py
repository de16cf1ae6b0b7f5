"""Filings to publish on the HKEXnews stand-in for discovery tests: plain ones, SenseTime's
Chinese-only interim results under a Chinese number of its own, filings beyond the 7-day feed.
Helpers only."""

from __future__ import annotations

from datetime import datetime, timedelta

from feedbuilder import pdf_bytes
from hkexfakes import MemoryStore

from monitor.filing import HKT
from monitor.hkexnews.discovery import META_LAST_POLL
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling

NOW = datetime(2026, 4, 10, 23, 0, tzinfo=HKT)
FEED1 = "/ncms/json/eds/lcisehk1relsde_1.json"
FEED7 = "/ncms/json/eds/lcisehk7relsde_1.json"
ZH_FEED = "relsdc_"
SERVLET = "/search/titleSearchServlet.do"
ZH_TITLE = "截至2025年6月30日止六個月之中期業績公告"


def path(seq: int, *, when: datetime = NOW, ext: str = "pdf", chinese: bool = False,
         board: str = "sehk") -> str:
    d = when.astimezone(HKT)
    return f"/listedco/listconews/{board}/{d:%Y}/{d:%m%d}/{d:%Y%m%d}{seq:05d}{'_c' if chinese else ''}.{ext}"


def filing(
    news_id: int,
    code: str,
    title: str,
    *,
    seq: int,
    when: datetime,
    category: str = "Others",
    t2: str = "NaN",
    board: str = "sehk",
    **kw: object,
) -> StandInFiling:
    return StandInFiling(
        news_id,
        [(code, f"STOCK {code}")],
        title,
        category,
        t2,
        when,
        path(seq, when=when, board=board),
        pdf_bytes(title),
        board=board,
        **kw,
    )  # type: ignore[arg-type]


def chinese_only(
    *, seq: int = 999, zh_seq: int = 1001, when: datetime = NOW - timedelta(minutes=10), **kw: object
) -> StandInFiling:
    """SenseTime's interim results, published only in Chinese, under a Chinese number of its own."""
    return StandInFiling(
        12102499,
        [("00020", "SENSETIME-W"), ("80020", "SENSETIME-WR")],
        "INTERIM RESULTS",
        "Interim Results",
        "13400",
        when,
        path(seq, when=when, ext="htm"),
        None,
        zh_document=pdf_bytes(ZH_TITLE),
        chinese_only=True,
        zh_title=ZH_TITLE,
        zh_web_path=path(zh_seq, when=when, chinese=True),
        **kw,
    )  # type: ignore[arg-type]


def polled(store: MemoryStore, when: datetime) -> None:
    store.meta[META_LAST_POLL] = when.isoformat()


def paths_since(hk: HKEXnewsStandIn, start: int) -> list[str]:
    return [p.split("?", 1)[0] for p in hk.requests[start:]]


def old_filings(hk: HKEXnewsStandIn) -> None:
    """One filing per stock, 10 days ago: beyond the 7-day feed, so only the title search has them."""
    for i, code in enumerate(("00020", "02512", "00700")):
        when = NOW - timedelta(days=10, minutes=i)
        hk.publish(
            filing(12000000 + i, code, f"ANNOUNCEMENT {code}", seq=100 + i, when=when, feed_listed=False)
        )


def two_filings(hk: HKEXnewsStandIn) -> None:
    hk.publish(filing(12400001, "00020", "RECENT", seq=1, when=NOW - timedelta(minutes=30)))
    hk.publish(filing(12400002, "00020", "OLD", seq=2, when=NOW - timedelta(hours=5)))
