"""Announce first (issue 19): an alert whose message is posted as a placeholder (ANNOUNCED, its
Slack ts kept) and later updated in place, through every Outbox operation."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from waiting import wait_for

from monitor.filing import Filing
from monitor.store import Claim, DeliveryState, Store

CH = "#hkex-filings"
MakeFiling = Callable[..., Filing]
LONG_S = 600
TS = "1700000000.000100"


def _announced(store: Store, f: Filing, ts: str = TS) -> None:
    store.enqueue(f, CH)
    claim = store.claim(f.id, CH, "a", LONG_S)
    assert claim is not None and claim.announced_ts is None
    assert store.mark_announced(claim, ts) is True


def _claim(store: Store, f: Filing, owner: str = "b", lease_s: float = LONG_S) -> Claim:
    claim = store.claim(f.id, CH, owner, lease_s)
    assert claim is not None
    return claim


def test_announced_is_pending_with_its_ts(open_test_store: Callable[..., Store],
                                          make_filing: MakeFiling) -> None:
    store, other = open_test_store(), open_test_store()
    f = make_filing()
    store.enqueue(f, CH, data={"found_late": True})
    claim = _claim(store, f, "a")
    assert store.receipt(f.id, CH) is None
    assert store.mark_announced(claim, TS) is True
    assert store.mark_announced(claim, TS) is False  # the claim ended: its token is spent
    assert store.state(f.id, CH) is DeliveryState.ANNOUNCED
    assert store.receipt(f.id, CH) == TS
    [p] = store.pending()
    assert (p.id, p.announced_ts, p.owner, p.filing, p.data) == (f.id, TS, None, f, {"found_late": True})
    alert = store.get_alert(f.id, CH)
    assert alert is not None and alert.announced_ts == TS
    assert store.enqueue(f, CH) is False  # the next poll does not re-create it
    update = other.claim(f.id, CH, "b", LONG_S)  # at once: the lease ended with the announcement
    assert update is not None and update.announced_ts == TS and not update.taken_over
    assert update.attempts == 0 and not update.must_check
    assert other.state(f.id, CH) is DeliveryState.CLAIMED and other.receipt(f.id, CH) == TS
    assert other.pending()[0].announced_ts == TS and other.pending()[0].owner == "b"


def test_mark_announced_needs_a_ts_and_the_live_token(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    claim = _claim(store, f)
    with pytest.raises(ValueError):
        store.mark_announced(claim, "")
    stale = Claim(f.id, CH, "not-the-token", 0, False)
    assert store.mark_announced(stale, TS) is False
    assert store.state(f.id, CH) is DeliveryState.CLAIMED


def test_a_released_update_stays_announced(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    _announced(store, f)
    failed = _claim(store, f)
    assert store.release(failed, "chat.update failed", retry_in_s=LONG_S) == 1
    assert store.state(f.id, CH) is DeliveryState.ANNOUNCED and store.receipt(f.id, CH) == TS
    [p] = store.pending()
    assert p.announced_ts == TS and p.attempts == 1 and p.not_before > time.time()
    assert store.retry_now(alert_id=f.id) == 1  # backoff cleared for announced alerts too
    assert store.pending()[0].not_before == 0
    stopping = _claim(store, f)
    assert store.release_claims([stopping], "not sent: stopping") == [True]
    assert store.state(f.id, CH) is DeliveryState.ANNOUNCED
    assert store.pending()[0].attempts == 1 and store.pending()[0].announced_ts == TS
    again = _claim(store, f)
    assert again.announced_ts == TS and again.attempts == 1


def test_an_announced_claim_whose_lease_ran_out_is_announced(open_test_store: Callable[..., Store],
                                                            make_filing: MakeFiling) -> None:
    store, other = open_test_store(), open_test_store()
    f = make_filing()
    _announced(store, f)
    _claim(store, f, "crashed", 0.3)
    wait_for(lambda: store.state(f.id, CH) is DeliveryState.ANNOUNCED, 30, "the lease to run out")
    taken = other.claim(f.id, CH, "b", LONG_S)
    assert taken is not None and taken.taken_over and taken.announced_ts == TS


def test_delivering_an_announced_alert_keeps_its_ts(store: Store, make_filing: MakeFiling) -> None:
    f, g = make_filing("2025082700001"), make_filing("2025082700002")
    _announced(store, f, "1.1")
    _announced(store, g, "2.2")
    assert store.mark_delivered(_claim(store, f)) is True  # updated in place: no new ts
    assert store.mark_delivered(_claim(store, g), "2.3") is True
    assert store.state(f.id, CH) is DeliveryState.DELIVERED
    assert (store.receipt(f.id, CH), store.receipt(g.id, CH)) == ("1.1", "2.3")
    assert store.pending() == []
    alert = store.get_alert(f.id, CH)
    assert alert is not None and alert.announced_ts is None  # delivered: nothing is due


def test_drop_and_reroute_of_announced_alerts(store: Store, make_filing: MakeFiling) -> None:
    f, g, h = make_filing("2025082700001"), make_filing("2025082700002"), make_filing("2025082700003")
    for x in (f, g, h):
        _announced(store, x)
    assert store.reroute(f.id, CH, "#new") == "announced"  # its message is in CH: nothing moves
    assert store.reroute(f.id, CH, CH) == "announced"
    assert store.state(f.id, CH) is DeliveryState.ANNOUNCED
    assert store.state(f.id, "#new") is DeliveryState.UNKNOWN
    assert store.drop(g.id, CH, "dropped by alice") is True
    assert store.state(g.id, CH) is DeliveryState.DROPPED and store.receipt(g.id, CH) is None
    _claim(store, h)
    assert store.drop(h.id, CH, "x") is False  # under a live claim
    assert store.reroute(h.id, CH, "#new") == "announced"
    assert sorted(p.id for p in store.pending()) == [f.id, h.id]
