"""Discovery and the client against the HKEXnews stand-in serving the corrected shapes, nothing
patched: monthly returns, Chinese-only filings resolved to their own Chinese document (or not),
per-stock catch-up that one odd answer cannot wedge, reconciliation, the first-run window, an
unchanged feed that costs no store calls, and a feed regenerated on a cadence."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from conftest import FakeClock, MemoryStore
from feedbuilder import pdf_bytes

from monitor.errors import SourceError
from monitor.filing import HKT, FilingKind
from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.discovery import (
    META_CATCH_UP_PENDING,
    META_LAST_POLL,
    ZH_RESOLVE_GIVE_UP_S,
    Discovery,
    catch_up_meta,
)
from monitor.hkexnews.standin import PLACEHOLDER_TITLE, HKEXnewsStandIn, StandInFiling
from monitor.schedule.cadence import FeedCadence
from monitor.settings import HKEXnewsSettings

NOW = datetime(2026, 4, 10, 23, 0, tzinfo=HKT)
FEED1 = "/ncms/json/eds/lcisehk1relsde_1.json"
FEED7 = "/ncms/json/eds/lcisehk7relsde_1.json"
ZH_FEED = "relsdc_"
SERVLET = "/search/titleSearchServlet.do"
ZH_TITLE = "截至2025年6月30日止六個月之中期業績公告"


def path(seq: int, *, when: datetime = NOW, ext: str = "pdf", chinese: bool = False) -> str:
    d = when.astimezone(HKT)
    return f"/listedco/listconews/sehk/{d:%Y}/{d:%m%d}/{d:%Y%m%d}{seq:05d}{'_c' if chinese else ''}.{ext}"


def filing(
    news_id: int,
    code: str,
    title: str,
    *,
    seq: int,
    when: datetime,
    category: str = "Others",
    t2: str = "NaN",
    **kw: object,
) -> StandInFiling:
    return StandInFiling(
        news_id,
        [(code, f"STOCK {code}")],
        title,
        category,
        t2,
        when,
        path(seq, when=when),
        pdf_bytes(title),
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


@pytest.fixture
def hk() -> Iterator[HKEXnewsStandIn]:
    with HKEXnewsStandIn() as standin:
        yield standin


@pytest.fixture
def client(hk: HKEXnewsStandIn, make_settings: Callable[..., HKEXnewsSettings]) -> Iterator[HKEXnewsClient]:
    made = HKEXnewsClient(make_settings(base_url=hk.base_url, retries=1, backoff_s=0.01))
    yield made
    made.close()


@pytest.fixture
def make_discovery(client: HKEXnewsClient, store: MemoryStore, clock: FakeClock) -> Callable[..., Discovery]:
    def make(**kw: object) -> Discovery:
        return Discovery(client, store, client.settings, clock=clock, **kw)  # type: ignore[arg-type]

    return make


def polled(store: MemoryStore, when: datetime) -> None:
    store.meta[META_LAST_POLL] = when.isoformat()


def paths_since(hk: HKEXnewsStandIn, start: int) -> list[str]:
    return [p.split("?", 1)[0] for p in hk.requests[start:]]


# -- every kind ---------------------------------------------------------------------------------------


def test_a_watched_stocks_monthly_return_is_found(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    hk.publish(
        StandInFiling(
            12102452,
            [("00020", "SENSETIME-W")],
            "Monthly Return of Equity Issuer on Movements in Securities for the month ended 31 March 2026",
            "",
            "NaN",
            NOW - timedelta(hours=1),
            path(1695),
            pdf_bytes("mr"),
            t1_code="51500",
            headline="Monthly Returns",
        )
    )
    hk.publish(
        filing(12102453, "00005", "VOLUNTARY ANNOUNCEMENT", seq=1696, when=NOW - timedelta(minutes=50))
    )
    polled(store, NOW - timedelta(minutes=5))
    poll = make_discovery().poll(["00020"], now=NOW)
    (monthly,) = poll.filings
    assert monthly.kind is FilingKind.MONTHLY_RETURN and monthly.categories == ("Monthly Returns",)
    assert monthly.id == "2026041001695" and monthly.t1_code == "51500"


# -- Chinese-only filings -----------------------------------------------------------------------------


def test_a_chinese_only_filing_is_resolved_to_its_own_chinese_document(
    hk: HKEXnewsStandIn, client: HKEXnewsClient, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    hk.publish(chinese_only())
    # A bilingual SenseTime filing the same minute: its Chinese version (number + 1) is no match.
    hk.publish(
        filing(
            12102497,
            "00020",
            "VOLUNTARY ANNOUNCEMENT",
            seq=997,
            when=NOW - timedelta(minutes=10),
            zh_title="自願公告",
            zh_document=pdf_bytes("自願公告"),
        )
    )
    polled(store, NOW - timedelta(minutes=5))
    discovery = make_discovery()
    start = len(hk.requests)
    poll = discovery.poll(["00020"], now=NOW)
    resolved = next(f for f in poll.filings if f.chinese_only)
    assert resolved.id == "2026041000999" and resolved.news_id == 12102499  # keyed on the English listing
    assert resolved.url == resolved.zh_url == hk.base_url + path(1001, chinese=True)  # not 00999_c, not 01000
    assert resolved.zh_title == ZH_TITLE == resolved.display_title and resolved.title == PLACEHOLDER_TITLE
    assert resolved.kind is FilingKind.INTERIM_RESULTS and resolved.stock_codes == ("00020", "80020")
    assert dict(resolved.extra)["chinese_only_source"] == "Chinese feed"
    assert poll.requests == 2 and paths_since(hk, start) == [FEED1, "/ncms/json/eds/lcisehk1relsdc_1.json"]
    assert client.fetch_document(resolved) == pdf_bytes(ZH_TITLE)
    discovery.commit(poll)
    # No placeholder appears: no request to the Chinese listings.
    start = len(hk.requests)
    assert discovery.poll(["00020"], now=NOW + timedelta(minutes=1)).requests == 1
    assert paths_since(hk, start) == [FEED1]


def test_a_chinese_only_filing_is_found_by_the_chinese_title_search_when_the_chinese_feed_fails(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    hk.publish(chinese_only())
    hk.fail_requests(ZH_FEED, 500)
    polled(store, NOW - timedelta(minutes=5))
    poll = make_discovery().poll(["00020"], now=NOW)
    (resolved,) = poll.filings
    assert resolved.zh_url == hk.base_url + path(1001, chinese=True) and resolved.zh_title == ZH_TITLE
    assert dict(resolved.extra)["chinese_only_source"] == "Chinese title search"
    assert any("lang=ZH" in p for p in hk.requests)


def test_an_unresolvable_chinese_only_filing_comes_back_unresolved_and_fails_at_once(
    hk: HKEXnewsStandIn, client: HKEXnewsClient, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    hk.publish(chinese_only(zh_listed=False))
    polled(store, NOW - timedelta(minutes=5))
    poll = make_discovery().poll(["00020"], now=NOW)
    (gone,) = poll.filings
    assert gone.chinese_only and gone.zh_url is None and gone.url == hk.base_url + path(999, ext="htm")
    why = dict(gone.extra)["chinese_only_unresolved"]
    assert "no match in the SEHK Chinese feed" in why and "Chinese title search for 00020" in why
    assert poll.seen_keys == ("2026041000999",)  # alerted now, never again
    start = len(hk.requests)
    with pytest.raises(SourceError) as err:
        client.fetch_document(gone)
    assert err.value.permanent and "could not be found in the Chinese listings" in str(err.value)
    assert "Interim Results" in str(err.value) and gone.url in str(err.value)
    assert hk.requests[start:] == []  # no download attempted, no half-hour wait


def test_unreadable_chinese_listings_defer_the_placeholder_then_give_up(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore, clock: FakeClock
) -> None:
    hk.publish(chinese_only())
    hk.fail_requests(ZH_FEED, 500)
    hk.fail_title_search("00020", "error", lang="ZH")
    polled(store, NOW - timedelta(minutes=5))
    discovery = make_discovery()
    first = discovery.poll(["00020"], now=NOW)
    assert first.filings == () and [f.id for f in first.deferred] == ["2026041000999"]
    assert "2026041000999" not in first.seen_keys
    discovery.commit(first)
    clock.advance(60)
    again = discovery.poll(["00020"], now=NOW + timedelta(minutes=1))
    assert [f.id for f in again.deferred] == ["2026041000999"]  # found again, tried again
    discovery.commit(again)
    clock.advance(ZH_RESOLVE_GIVE_UP_S)
    last = discovery.poll(["00020"], now=NOW + timedelta(minutes=11))
    (gone,) = last.filings
    assert gone.zh_url is None and "could not be read" in dict(gone.extra)["chinese_only_unresolved"]


def test_a_deferred_placeholder_resolves_once_the_listings_answer(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    hk.publish(chinese_only())
    hk.fail_requests(ZH_FEED, 500)
    hk.fail_title_search("00020", "html", lang="ZH")
    polled(store, NOW - timedelta(minutes=5))
    discovery = make_discovery()
    discovery.commit(discovery.poll(["00020"], now=NOW))
    hk.clear_faults()
    (resolved,) = discovery.poll(["00020"], now=NOW + timedelta(minutes=1)).filings
    assert resolved.zh_url == hk.base_url + path(1001, chinese=True)


# -- per-stock catch-up ---------------------------------------------------------------------------------


def old_filings(hk: HKEXnewsStandIn) -> None:
    """One filing per stock, 10 days ago: beyond the 7-day feed, so only the title search has them."""
    for i, code in enumerate(("00020", "02512", "00700")):
        when = NOW - timedelta(days=10, minutes=i)
        hk.publish(
            filing(12000000 + i, code, f"ANNOUNCEMENT {code}", seq=100 + i, when=when, feed_listed=False)
        )


@pytest.mark.parametrize("answer", ["null", "empty", "html", "error"])
def test_one_stocks_odd_answer_leaves_it_pending_while_the_others_advance(
    hk: HKEXnewsStandIn,
    make_discovery: Callable[..., Discovery],
    store: MemoryStore,
    clock: FakeClock,
    answer: str,
) -> None:
    old_filings(hk)
    hk.fail_title_search("00700", answer)
    gap_start = NOW - timedelta(days=12)
    polled(store, gap_start)
    discovery = make_discovery()
    first = discovery.poll(["00020", "02512", "00700"], now=NOW)
    assert first.mode == "title-search"
    assert sorted(f.stock_codes[0] for f in first.filings) == ["00020", "02512"]
    states = {c.code: c for c in first.catch_up}
    assert states["00020"].done and states["02512"].done and not states["00700"].done
    assert states["00700"].error and first.catch_up_pending == ("00700",)
    discovery.commit(first)
    assert store.meta[META_LAST_POLL] == NOW.isoformat()
    assert store.meta[catch_up_meta("00700")] == gap_start.isoformat()
    assert store.meta[META_CATCH_UP_PENDING] == "00700"
    assert catch_up_meta("00020") not in store.meta  # caught up, no cursor left behind

    hk.clear_faults()
    start = len(hk.requests)
    waiting = discovery.poll(["00020", "02512", "00700"], now=NOW + timedelta(minutes=1))
    assert waiting.mode == "latest" and paths_since(hk, start) == [FEED1]  # not retried before its time
    assert waiting.catch_up_pending == ("00700",) and "retry in" in (waiting.catch_up[0].error or "")
    discovery.commit(waiting)

    clock.advance(61)
    retried = discovery.poll(["00020", "02512", "00700"], now=NOW + timedelta(minutes=2))
    assert [f.stock_codes[0] for f in retried.filings] == ["00700"] and retried.catch_up_pending == ()
    discovery.commit(retried)
    assert store.meta[catch_up_meta("00700")] == "" and store.meta[META_CATCH_UP_PENDING] == ""


def test_a_pending_catch_up_survives_a_restart(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    old_filings(hk)
    hk.fail_title_search("00700", "null")
    polled(store, NOW - timedelta(days=12))
    before = make_discovery()
    before.commit(before.poll(["00020", "02512", "00700"], now=NOW))
    hk.clear_faults()
    after = make_discovery()  # a new process: what is pending comes from the store
    poll = after.poll(["00020", "02512", "00700"], now=NOW + timedelta(minutes=1))
    assert poll.mode == "latest" and [f.stock_codes[0] for f in poll.filings] == ["00700"]


def test_the_latest_feed_is_read_every_poll_while_a_catch_up_keeps_failing(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore, clock: FakeClock
) -> None:
    old_filings(hk)
    hk.fail_title_search("00700", "empty")
    polled(store, NOW - timedelta(days=12))
    discovery = make_discovery()
    discovery.commit(discovery.poll(["00020", "00700"], now=NOW))
    for i in range(1, 4):
        hk.publish(filing(12200000 + i, "00020", f"NEW {i}", seq=200 + i, when=NOW + timedelta(minutes=i)))
        clock.advance(3700)  # the failing stock is due for a retry every time
        start = len(hk.requests)
        poll = discovery.poll(["00020", "00700"], now=NOW + timedelta(minutes=i, seconds=30))
        assert paths_since(hk, start)[0] == FEED1
        assert [f.title for f in poll.filings] == [f"NEW {i}"] and poll.catch_up_pending == ("00700",)
        assert SERVLET in paths_since(hk, start)  # retried, and failed again
        discovery.commit(poll)


# -- reconciliation -------------------------------------------------------------------------------------


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


# -- first start ------------------------------------------------------------------------------------------


def two_filings(hk: HKEXnewsStandIn) -> None:
    hk.publish(filing(12400001, "00020", "RECENT", seq=1, when=NOW - timedelta(minutes=30)))
    hk.publish(filing(12400002, "00020", "OLD", seq=2, when=NOW - timedelta(hours=5)))


def test_a_first_start_holds_back_old_filings_and_records_them_as_seen(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    two_filings(hk)
    discovery = make_discovery(first_run_hours=2)
    poll = discovery.poll(["00020"], now=NOW)
    assert poll.first_start and [f.title for f in poll.filings] == ["RECENT"]
    assert [f.title for f in poll.held_back] == ["OLD"]
    discovery.commit(poll)
    assert store.seen == {"2026041000001", "2026041000002"}
    later = discovery.poll(["00020"], now=NOW + timedelta(minutes=1))
    assert later.filings == () and later.held_back == () and not later.first_start


def test_first_run_hours_zero_alerts_everything(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery]
) -> None:
    two_filings(hk)
    poll = make_discovery(first_run_hours=0).poll(["00020"], now=NOW)
    assert [f.title for f in poll.filings] == ["RECENT", "OLD"] and poll.held_back == ()


def test_a_catch_up_after_downtime_is_not_a_first_start(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    two_filings(hk)
    polled(store, NOW - timedelta(days=2))
    poll = make_discovery(first_run_hours=2).poll(["00020"], now=NOW)
    assert poll.mode == "catch-up-7d" and not poll.first_start
    assert [f.title for f in poll.filings] == ["RECENT", "OLD"] and poll.held_back == ()


# -- an unchanged feed costs no store calls -----------------------------------------------------------------


def test_an_unchanged_feed_costs_no_store_calls(
    hk: HKEXnewsStandIn,
    client: HKEXnewsClient,
    make_settings: Callable[..., HKEXnewsSettings],
    store: MemoryStore,
    clock: FakeClock,
) -> None:
    for i in range(100):
        hk.publish(
            filing(12500000 + i, f"{i + 1:05d}", f"FILING {i}", seq=i, when=NOW - timedelta(minutes=i))
        )
    polled(store, NOW - timedelta(minutes=5))
    discovery = Discovery(client, store, client.settings, clock=clock)
    discovery.commit(discovery.poll(["00020"], now=NOW))
    assert len(store.seen) == 100
    store.calls.clear()

    unchanged = discovery.poll(["00020"], now=NOW + timedelta(minutes=1))
    discovery.commit(unchanged)
    assert unchanged.not_modified and unchanged.filings == () and unchanged.seen_keys == ()
    assert unchanged.gen_date_ms == int(hk.regenerated_at() * 1000)
    assert store.calls == []  # a 304: no unseen, no mark_seen, no meta

    fresh_client = HKEXnewsClient(client.settings)  # no ETag cached: a 200 with the same items
    discovery.client = fresh_client
    repeat = discovery.poll(["00020"], now=NOW + timedelta(minutes=2))
    discovery.commit(repeat)
    assert not repeat.not_modified and store.calls == []
    fresh_client.close()

    hk.publish(filing(12600000, "00020", "NEW", seq=500, when=NOW + timedelta(minutes=3)))
    new = discovery.poll(["00020"], now=NOW + timedelta(minutes=3))
    discovery.commit(new)
    assert [f.title for f in new.filings] == ["NEW"] and new.seen_keys == ("2026041000500",)
    assert store.calls == ["unseen", "mark_seen"]  # one item checked, one marked


# -- a feed regenerated on a cadence ------------------------------------------------------------------------


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


def test_a_chinese_only_filing_found_by_catch_up_is_resolved_by_the_chinese_title_search(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery], store: MemoryStore
) -> None:
    hk.publish(chinese_only(when=NOW - timedelta(days=9), feed_listed=False))
    polled(store, NOW - timedelta(days=12))
    poll = make_discovery().poll(["00020"], now=NOW)
    (resolved,) = poll.filings
    assert resolved.zh_url == hk.base_url + path(1001, when=NOW - timedelta(days=9), chinese=True)
    assert dict(resolved.extra)["chinese_only_source"] == "Chinese title search"
    assert not any(ZH_FEED in p for p in hk.requests)  # nine days old: beyond the 7-day Chinese feed


def test_backfill_resolves_chinese_only_filings_too(
    hk: HKEXnewsStandIn, make_discovery: Callable[..., Discovery]
) -> None:
    hk.publish(chinese_only(when=NOW - timedelta(days=30)))
    hk.publish(filing(12800000, "00020", "ANNOUNCEMENT", seq=5, when=NOW - timedelta(days=20)))
    found = make_discovery().backfill("20", (NOW - timedelta(days=40)).date(), until=NOW.date())
    placeholder, plain = found
    assert (
        placeholder.zh_title == ZH_TITLE and placeholder.zh_url is not None and plain.title == "ANNOUNCEMENT"
    )
