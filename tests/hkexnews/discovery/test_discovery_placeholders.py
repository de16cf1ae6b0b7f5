"""Chinese-only placeholders (``discovery/placeholders.py``) against the stand-in: resolved to their own
Chinese document through the Chinese feed or the Chinese title search, deferred while the Chinese
listings cannot be read, then given up with the reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from feedbuilder import pdf_bytes
from hkexfakes import FakeClock, MemoryStore
from standinfilings import FEED1, NOW, ZH_FEED, ZH_TITLE, chinese_only, filing, path, paths_since, polled

from monitor.errors import SourceError
from monitor.filing import FilingKind
from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.discovery import (
    ZH_RESOLVE_GIVE_UP_S,
    Discovery,
    Requests,
)
from monitor.hkexnews.standin import PLACEHOLDER_TITLE, HKEXnewsStandIn


def test_a_chinese_only_filing_is_resolved_to_its_own_chinese_document(
    hk: HKEXnewsStandIn, hk_client: HKEXnewsClient, make_discovery: Callable[..., Discovery],
    store: MemoryStore,
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
    assert poll.requests == Requests(feed=1, chinese_feed=1)
    assert paths_since(hk, start) == [FEED1, "/ncms/json/eds/lcisehk1relsdc_1.json"]
    assert hk_client.fetch_document(resolved) == pdf_bytes(ZH_TITLE)
    discovery.commit(poll)
    # No placeholder appears: no request to the Chinese listings.
    start = len(hk.requests)
    assert discovery.poll(["00020"], now=NOW + timedelta(minutes=1)).requests == Requests(feed=1)
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
    hk: HKEXnewsStandIn, hk_client: HKEXnewsClient, make_discovery: Callable[..., Discovery],
    store: MemoryStore,
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
        hk_client.fetch_document(gone)
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
