"""The Store contract, run against RedisStore (real Redis, db 15) and SqliteStore (a real file)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import redis

from monitor.errors import StoreError
from monitor.filing import HKT, Filing, FilingKind
from monitor.store import DeliveryState, Store, open_store
from monitor.store.redis import RedisStore
from monitor.store.sqlite import SqliteStore

CH = "#hkex-filings"
MakeFiling = Callable[..., Filing]


# -- discovery bookkeeping ---------------------------------------------------------------------------
def test_ping(store: Store) -> None:
    store.ping()


def test_unseen_and_mark_seen_batch(store: Store) -> None:
    keys = [f"news:{i}" for i in range(400)]
    assert store.unseen(keys) == set(keys)
    store.mark_seen(keys[:250] + keys[:10])  # duplicates are harmless
    assert store.unseen(keys) == set(keys[250:])
    assert store.unseen([]) == set()
    store.mark_seen([])


def test_meta(store: Store) -> None:
    assert store.get_meta("cursor") is None
    store.set_meta("cursor", "a")
    store.set_meta("cursor", "b")
    assert store.get_meta("cursor") == "b"


def test_namespaces_are_separate(open_test_store: Callable[..., Store], make_filing: MakeFiling) -> None:
    a, b = open_test_store(namespace="a"), open_test_store(namespace="b")
    a.mark_seen(["k"])
    a.set_meta("m", "1")
    a.enqueue(make_filing(), CH)
    assert b.unseen(["k"]) == {"k"} and b.get_meta("m") is None and b.pending() == []


# -- outbox -------------------------------------------------------------------------------------------
def test_enqueue_is_idempotent_and_pending_is_oldest_first(store: Store, make_filing: MakeFiling) -> None:
    f1, f2 = make_filing("2025082700001"), make_filing("2025082700002", codes=("02512", "82512"))
    assert store.enqueue(f2, CH) is True
    assert store.enqueue(f1, CH) is True
    assert store.enqueue(f1, "#other") is True
    assert store.enqueue(f2, CH) is False
    pending = store.pending()
    assert [(p.id, p.channel) for p in pending] == [
        ("2025082700002", CH), ("2025082700001", CH), ("2025082700001", "#other")]
    first = pending[0]
    assert first.filing == f2 and first.attempts == 0 and first.last_error is None
    assert abs(first.enqueued_at - time.time()) < 5
    assert len(store.pending(limit=2)) == 2
    assert store.state(f1.id, CH) is DeliveryState.NEW
    assert store.state("nope", CH) is DeliveryState.UNKNOWN


def test_claim_deliver(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    claim = store.claim(f.id, CH, "a", 30)
    assert claim is not None and claim.token and claim.attempts == 0 and not claim.taken_over
    assert (claim.alert_id, claim.channel) == (f.id, CH)
    assert store.claim(f.id, CH, "b", 30) is None  # live lease
    assert store.claim(f.id, CH, "a", 30) is None  # even for the same owner
    assert store.state(f.id, CH) is DeliveryState.CLAIMED
    assert [p.id for p in store.pending()] == [f.id]  # claimed is still pending

    assert store.mark_delivered(claim, receipt="1700000000.000100") is True
    assert store.state(f.id, CH) is DeliveryState.DELIVERED
    assert store.pending() == []
    assert store.claim(f.id, CH, "b", 30) is None
    assert store.enqueue(f, CH) is False  # delivered stays delivered
    assert store.mark_delivered(claim) is False  # twice is a no-op


def test_claim_unknown_is_none(store: Store) -> None:
    assert store.claim("nope", CH, "a", 30) is None


def test_release_counts_attempts_and_keeps_error(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    for n in (1, 2, 3):
        claim = store.claim(f.id, CH, "a", 30)
        assert claim is not None and claim.attempts == n - 1 and not claim.taken_over
        assert store.release(claim, f"slack down {n}") == n
        assert store.state(f.id, CH) is DeliveryState.NEW
    [p] = store.pending()
    assert p.attempts == 3 and p.last_error == "slack down 3"


def test_expired_lease_is_taken_over(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    old = store.claim(f.id, CH, "crashed", 0.2)
    assert old is not None
    time.sleep(0.3)
    assert store.state(f.id, CH) is DeliveryState.NEW  # no live lease
    new = store.claim(f.id, CH, "b", 30)
    assert new is not None and new.taken_over and new.attempts == 1
    assert "crashed" in (store.pending()[0].last_error or "")

    # The old holder comes back: its stale token must not clobber the new claim.
    assert store.mark_delivered(old) is False
    assert store.release(old, "late failure") == 1
    assert store.state(f.id, CH) is DeliveryState.CLAIMED
    assert store.claim(f.id, CH, "c", 30) is None
    assert store.mark_delivered(new) is True
    assert store.state(f.id, CH) is DeliveryState.DELIVERED


def test_expired_lease_not_taken_over_can_still_be_marked(store: Store, make_filing: MakeFiling) -> None:
    # A slow send that outlived its lease, with nobody taking over, is still recorded: no re-post.
    f = make_filing()
    store.enqueue(f, CH)
    claim = store.claim(f.id, CH, "slow", 0.1)
    assert claim is not None
    time.sleep(0.2)
    assert store.mark_delivered(claim) is True


def test_released_claim_is_not_a_takeover(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    claim = store.claim(f.id, CH, "a", 0.1)
    assert claim is not None
    store.release(claim, "boom")
    time.sleep(0.15)
    again = store.claim(f.id, CH, "b", 30)
    assert again is not None and not again.taken_over and again.attempts == 1


def test_claim_race_one_winner(open_test_store: Callable[..., Store], make_filing: MakeFiling) -> None:
    files = [make_filing(f"20250827{i:05d}") for i in range(5)]
    seed = open_test_store()
    for f in files:
        seed.enqueue(f, CH)
    stores = [open_test_store() for _ in range(12)]  # one instance per thread, like separate processes
    barrier = threading.Barrier(len(stores))
    wins: list[tuple[str, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def race(i: int, s: Store) -> None:
        try:
            barrier.wait()
            for f in files:
                if s.claim(f.id, CH, f"owner-{i}", 30) is not None:
                    with lock:
                        wins.append((f.id, f"owner-{i}"))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=race, args=(i, s)) for i, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(w[0] for w in wins) == sorted(f.id for f in files)  # each alert won exactly once


# -- parsed results -----------------------------------------------------------------------------------
def _report(kind: str, revenue: float) -> dict[str, object]:
    return {"company": "SenseTime", "kind": kind, "metrics": {"revenue": {"current": revenue, "prior": None}}}


def test_reports(store: Store, make_filing: MakeFiling) -> None:
    t0 = datetime(2024, 3, 26, 16, 30, tzinfo=HKT)
    final23 = make_filing("2024032600001", released=t0)
    interim24 = make_filing("2024082700001", released=t0 + timedelta(days=150))
    failed = make_filing("2025032500001", released=t0 + timedelta(days=364))
    final24 = make_filing("2025032600001", released=t0 + timedelta(days=365))
    interim25 = make_filing("2025082700001", released=t0 + timedelta(days=515))
    other = make_filing("2025082700002", codes=("02512",), released=t0 + timedelta(days=400))
    # Saved out of order: ordering comes from release times, not from saving.
    store.save_report(final24, _report("final", 4.0))
    store.save_report(interim25, _report("interim", 5.0))
    store.save_report(final23, _report("final", 1.0))
    store.save_report(failed, {"error": "not a PDF"})
    store.save_report(interim24, _report("interim", 2.0))
    store.save_report(other, _report("interim", 9.0))

    assert store.get_report(interim25.id) == _report("interim", 5.0)
    assert store.get_report(failed.id) == {"error": "not a PDF"}
    assert store.get_report("nope") is None
    prev = store.previous_reports("00020", interim25.id)
    assert [p["metrics"]["revenue"]["current"] for p in prev] == [4.0, 2.0, 1.0]  # error skipped
    assert [p["kind"] for p in store.previous_reports("00020", interim25.id, limit=1)] == ["final"]
    before24 = store.previous_reports("00020", interim24.id)
    assert [p["metrics"]["revenue"]["current"] for p in before24] == [1.0]
    assert store.previous_reports("00020", final23.id) == []
    assert store.previous_reports("02512", other.id) == []
    # An id never saved: everything known for the stock, newest first.
    assert len(store.previous_reports("00020", "unknown", limit=10)) == 4

    store.save_report(interim25, _report("interim", 6.0))  # re-parse replaces
    assert store.get_report(interim25.id) == _report("interim", 6.0)


def test_report_for_dual_counter_filing(store: Store, make_filing: MakeFiling) -> None:
    first = make_filing("2025032600001", codes=("00020", "80020"), released=datetime(2025, 3, 26, tzinfo=HKT))
    store.save_report(first, _report("final", 1.0))
    later = make_filing("2025082700001", codes=("00020", "80020"))
    assert len(store.previous_reports("80020", later.id)) == 1


# -- retention ----------------------------------------------------------------------------------------
def test_retention(backend: tuple[str, str], open_test_store: Callable[..., Store],
                   make_filing: MakeFiling) -> None:
    store = open_test_store(retention_days=45)
    done, waiting = make_filing("2025082700001"), make_filing("2025082700002")
    store.mark_seen(["k"])
    store.enqueue(done, CH)
    store.enqueue(waiting, CH)
    claim = store.claim(done.id, CH, "a", 30)
    assert claim is not None and store.mark_delivered(claim)
    store.save_report(done, {"kind": "final"})
    day = 86_400
    if backend[0] == "redis":
        r = redis.Redis.from_url(backend[1])
        ttl = lambda key: r.ttl(f"t:{key}")  # noqa: E731
        assert 44 * day < ttl("seen:k") <= 45 * day
        assert 44 * day < ttl(f"alert:{done.id}:{CH}") <= 45 * day
        assert ttl(f"alert:{waiting.id}:{CH}") == -1  # pending never expires
        assert 399 * day < ttl(f"report:{done.id}") <= 400 * day
        assert 399 * day < ttl("reports:00020") <= 400 * day
        r.close()
    else:
        assert isinstance(store, SqliteStore)
        store.prune(now=time.time() + 46 * day)
        assert store.unseen(["k"]) == {"k"}
        assert store.state(done.id, CH) is DeliveryState.UNKNOWN
        assert store.state(waiting.id, CH) is DeliveryState.NEW
        assert store.get_report(done.id) == {"kind": "final"}
        store.prune(now=time.time() + 401 * day)
        assert store.get_report(done.id) is None
        assert store.previous_reports("00020", "x") == []


# -- failures -----------------------------------------------------------------------------------------
def _every_call(store: Store, f: Filing) -> list[Callable[[], object]]:
    from monitor.store import Claim

    c = Claim(f.id, CH, "tok", 0, False)
    return [store.ping, lambda: store.unseen(["k"]), lambda: store.mark_seen(["k"]),
            lambda: store.get_meta("m"), lambda: store.set_meta("m", "v"), lambda: store.enqueue(f, CH),
            store.pending, lambda: store.claim(f.id, CH, "a", 1), lambda: store.mark_delivered(c),
            lambda: store.release(c, "e"), lambda: store.state(f.id, CH),
            lambda: store.save_report(f, {}), lambda: store.get_report(f.id),
            lambda: store.previous_reports("00020", f.id)]


def test_redis_down_is_store_error(make_filing: MakeFiling) -> None:
    store = RedisStore("redis://:s3cret@127.0.0.1:1/0", timeout_s=0.5)
    for call in _every_call(store, make_filing()):
        with pytest.raises(StoreError) as err:
            call()
        assert "127.0.0.1:1" in str(err.value) and "s3cret" not in str(err.value)
    store.close()


def test_sqlite_unwritable_is_store_error(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("")
    with pytest.raises(StoreError, match="afile"):
        SqliteStore(f"sqlite:///{tmp_path}/afile/state.sqlite3")
    (tmp_path / "adir.sqlite3").mkdir()
    with pytest.raises(StoreError):
        SqliteStore(f"sqlite:///{tmp_path}/adir.sqlite3")


def test_sqlite_locked_is_store_error(tmp_path: Path, make_filing: MakeFiling) -> None:
    url = f"sqlite:///{tmp_path}/state.sqlite3"
    store = SqliteStore(url, timeout_s=0.1)
    f = make_filing()
    store.enqueue(f, CH)
    other = sqlite3.connect(tmp_path / "state.sqlite3", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="claim"):
            store.claim(f.id, CH, "a", 30)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.claim(f.id, CH, "a", 30) is not None  # usable again once the lock is gone
    store.close()


# -- open_store ---------------------------------------------------------------------------------------
def test_open_store_picks_backend(redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  make_filing: MakeFiling) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    s = open_store("sqlite:///~/.hkex-monitor/state.sqlite3")
    assert isinstance(s, SqliteStore)
    assert (tmp_path / ".hkex-monitor" / "state.sqlite3").exists()
    s.close()
    m = open_store("memory://")
    assert m.enqueue(make_filing(), CH) and len(m.pending()) == 1
    m.close()
    r = open_store(redis_url, namespace="x")
    assert isinstance(r, RedisStore)
    r.ping()
    r.close()
    with pytest.raises(ValueError):
        open_store("postgres://nope")


def test_kinds_round_trip(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing(kind=FilingKind.OTHER, zh_url="https://x/c.pdf", extra=(("a", "b"),), size_bytes=None)
    store.enqueue(f, CH)
    assert store.pending()[0].filing == f


# -- alerts that are not filings, payloads, uncertainty, backoff -------------------------------------
def test_message_alerts_and_payloads(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    assert store.enqueue(f, CH, data={"found_late": True}) is True
    assert store.enqueue_message("ops:feed_stale:2026-11-21T10:00", "#ops", "ops", {"what": "feed stale"})
    assert not store.enqueue_message("ops:feed_stale:2026-11-21T10:00", "#ops", "ops", {"what": "again"})
    with pytest.raises(ValueError):
        store.enqueue_message("x", CH, "filing", {})
    by_id = {p.id: p for p in store.pending()}
    mine = by_id[f.id]
    assert mine.kind == "filing" and mine.filing == f and mine.data == {"found_late": True}
    ops = by_id["ops:feed_stale:2026-11-21T10:00"]
    assert ops.kind == "ops" and ops.filing is None and ops.data == {"what": "feed stale"}
    claim = store.claim(ops.id, "#ops", "a", 30)
    assert claim is not None and store.mark_delivered(claim, "1700000000.000100")
    assert store.receipt(ops.id, "#ops") == "1700000000.000100"
    assert store.receipt(f.id, CH) is None  # not delivered yet


def test_uncertain_release_is_kept_until_delivered(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    claim = store.claim(f.id, CH, "a", 30)
    assert claim is not None and not claim.must_check
    store.release(claim, "timed out after the request was sent", uncertain=True)
    assert store.pending()[0].uncertain is True
    again = store.claim(f.id, CH, "b", 30)
    assert again is not None and again.uncertain and again.must_check and not again.taken_over
    store.release(again, "history could not be read", uncertain=True)
    third = store.claim(f.id, CH, "b", 30)
    assert third is not None and third.must_check
    store.release(third, "not in history; connection refused", uncertain=False)
    fourth = store.claim(f.id, CH, "b", 30)
    assert fourth is not None and not fourth.must_check and fourth.attempts == 3
    assert store.mark_delivered(fourth, "1.2")
    assert store.pending() == []


def test_release_with_backoff_and_retry_now(store: Store, make_filing: MakeFiling) -> None:
    f, g = make_filing("2025082700001"), make_filing("2025082700002")
    for x in (f, g):
        store.enqueue(x, CH)
        claim = store.claim(x.id, CH, "a", 30)
        assert claim is not None
        store.release(claim, "Slack 500", retry_in_s=600)
    assert all(p.not_before > time.time() + 500 for p in store.pending())
    assert store.retry_now(alert_id=f.id) == 1
    by_id = {p.id: p for p in store.pending()}
    assert by_id[f.id].not_before == 0 and by_id[g.id].not_before > time.time()
    assert store.retry_now() == 2
    assert store.retry_now(channel="#nowhere") == 0


def test_pending_names_the_live_owner(store: Store, make_filing: MakeFiling) -> None:
    f = make_filing()
    store.enqueue(f, CH)
    assert store.pending()[0].owner is None
    store.claim(f.id, CH, "host:1:abc", 0.2)
    assert store.pending()[0].owner == "host:1:abc"
    time.sleep(0.4)
    assert store.pending()[0].owner is None  # the lease ran out


# -- operator actions ----------------------------------------------------------------------------------
def test_drop(store: Store, make_filing: MakeFiling) -> None:
    f, g = make_filing("2025082700001"), make_filing("2025082700002")
    store.enqueue(f, CH)
    store.enqueue(g, CH)
    held = store.claim(g.id, CH, "a", 30)
    assert held is not None
    assert store.drop(f.id, CH, "dropped by alice") is True
    assert store.drop(g.id, CH, "x") is False  # under a live claim
    assert store.drop(f.id, CH, "again") is False
    assert store.drop("nope", CH, "x") is False
    assert store.state(f.id, CH) is DeliveryState.DROPPED
    assert [p.id for p in store.pending()] == [g.id]
    assert store.claim(f.id, CH, "a", 30) is None
    assert store.enqueue(f, CH) is False  # a dropped alert is not re-created by the next poll


def test_reroute(store: Store, make_filing: MakeFiling) -> None:
    f, g, h = make_filing("2025082700001"), make_filing("2025082700002"), make_filing("2025082700003")
    for x in (f, g, h):
        store.enqueue(x, "#gone", data={"note": x.id})
    claim = store.claim(f.id, "#gone", "a", 30)
    assert claim is not None
    store.release(claim, "channel_not_found")
    assert store.reroute(f.id, "#gone", "#new") == "rerouted"
    moved = {p.id: p for p in store.pending() if p.channel == "#new"}
    assert moved[f.id].attempts == 1 and moved[f.id].filing == f and moved[f.id].data == {"note": f.id}
    assert store.state(f.id, "#gone") is DeliveryState.DROPPED
    store.enqueue(g, "#new")
    assert store.reroute(g.id, "#gone", "#new") == "merged"
    assert store.claim(h.id, "#gone", "a", 30) is not None
    assert store.reroute(h.id, "#gone", "#new") == "claimed"
    assert store.reroute(f.id, "#gone", "#new") == "not_pending"
    assert sorted((p.id, p.channel) for p in store.pending()) == [
        (f.id, "#new"), (g.id, "#new"), (h.id, "#gone")]


# -- epoch ---------------------------------------------------------------------------------------------
def test_epoch_marks_a_store_that_remembers(open_test_store: Callable[..., Store]) -> None:
    a, b = open_test_store(), open_test_store()
    epoch, created = a.ensure_epoch()
    assert created and epoch
    assert b.ensure_epoch() == (epoch, False)
    assert a.ensure_epoch() == (epoch, False)


def test_epoch_is_recreated_after_a_redis_wipe(redis_url: str) -> None:
    store = RedisStore(redis_url, namespace="t")
    first, _ = store.ensure_epoch()
    redis.Redis.from_url(redis_url).flushdb()
    second, created = store.ensure_epoch()
    assert created and second != first
    store.close()


# -- documents -----------------------------------------------------------------------------------------
def test_documents_once_high_first(store: Store, make_filing: MakeFiling) -> None:
    old, new = make_filing("2025082700001"), make_filing("2025082700002")
    assert store.submit_document(old, "results", priority="low") is True
    assert store.submit_document(new, "results") is True
    assert store.submit_document(new, "results") is False  # once, cluster-wide
    assert store.submit_document(new, "board_meeting") is True  # another parser of the same filing
    with pytest.raises(ValueError):
        store.submit_document(old, "results", priority="urgent")
    backlog = store.document_backlog()
    assert (backlog.waiting, backlog.in_progress) == (3, 0) and backlog.oldest_s is not None
    tasks = store.take_documents("w1", 2, reclaim_idle_s=60)
    assert [(t.filing.id, t.parser, t.priority, t.deliveries) for t in tasks] == [
        (new.id, "results", "high", 1), (new.id, "board_meeting", "high", 1)]
    assert tasks[0].filing == new and abs(tasks[0].submitted_at - time.time()) < 5
    rest = store.take_documents("w2", 5, reclaim_idle_s=60)
    assert [(t.filing.id, t.priority) for t in rest] == [(old.id, "low")]
    assert store.take_documents("w2", 5, reclaim_idle_s=60) == []
    backlog = store.document_backlog()
    assert (backlog.waiting, backlog.in_progress) == (0, 3) and backlog.by_consumer == {"w1": 2, "w2": 1}
    for t in tasks + rest:
        store.finish_document(t)
    backlog = store.document_backlog()
    assert (backlog.waiting, backlog.in_progress, backlog.oldest_s) == (0, 0, None)
    assert store.submit_document(new, "results") is False  # finished is still "submitted once"


def test_abandoned_document_is_taken_over(open_test_store: Callable[..., Store],
                                          make_filing: MakeFiling) -> None:
    a, b = open_test_store(), open_test_store()
    f = make_filing()
    a.submit_document(f, "results")
    [task] = a.take_documents("dead", 1, reclaim_idle_s=0.3)
    assert b.take_documents("alive", 1, reclaim_idle_s=0.3) == []  # the lease is live
    time.sleep(0.5)
    [again] = b.take_documents("alive", 1, reclaim_idle_s=0.3)
    assert again.filing == f and again.deliveries == 2
    b.finish_document(again)
    assert b.document_backlog().in_progress == 0


def test_renewed_document_is_not_taken_over(open_test_store: Callable[..., Store],
                                            make_filing: MakeFiling) -> None:
    a, b = open_test_store(), open_test_store()
    a.submit_document(make_filing(), "results")
    [task] = a.take_documents("busy", 1, reclaim_idle_s=0.4)
    for _ in range(4):
        time.sleep(0.2)
        a.renew_document(task, "busy")
        assert b.take_documents("other", 1, reclaim_idle_s=0.4) == []
    a.finish_document(task)


def test_take_documents_waits_for_new_work(open_test_store: Callable[..., Store],
                                           make_filing: MakeFiling) -> None:
    a, b = open_test_store(), open_test_store()
    a.take_documents("w", 1, reclaim_idle_s=60)  # creates what the queue needs
    timer = threading.Timer(0.3, lambda: b.submit_document(make_filing(), "results"))
    timer.start()
    started = time.monotonic()
    got = a.take_documents("w", 1, reclaim_idle_s=60, block_s=1.5)
    timer.join()
    assert len(got) == 1 and time.monotonic() - started < 1.4


def test_document_queue_survives_a_redis_wipe(redis_url: str, make_filing: MakeFiling) -> None:
    store = RedisStore(redis_url, namespace="t")
    store.submit_document(make_filing("2025082700001"), "results")
    redis.Redis.from_url(redis_url).flushdb()
    assert store.take_documents("w", 1, reclaim_idle_s=60) == []
    store.submit_document(make_filing("2025082700002"), "results")
    assert [t.filing.id for t in store.take_documents("w", 1, reclaim_idle_s=60)] == ["2025082700002"]
    store.close()


# -- records -------------------------------------------------------------------------------------------
def test_records(store: Store) -> None:
    store.put_record("calendar", "00020:2025-06-30", {"date": "2025-08-29"})
    store.put_record("calendar", "02512:2025-06-30", {"date": "2025-08-28"}, ttl_s=0.3)
    store.put_record("warning", "00020", {"low": -70})
    assert store.get_record("calendar", "00020:2025-06-30") == {"date": "2025-08-29"}
    assert set(store.records("calendar")) == {"00020:2025-06-30", "02512:2025-06-30"}
    store.put_record("calendar", "00020:2025-06-30", {"date": "2025-08-30"})
    assert store.records("calendar")["00020:2025-06-30"] == {"date": "2025-08-30"}
    time.sleep(0.5)
    assert set(store.records("calendar")) == {"00020:2025-06-30"}
    assert store.get_record("calendar", "02512:2025-06-30") is None
    store.delete_record("calendar", "00020:2025-06-30")
    assert store.records("calendar") == {} and store.get_record("warning", "00020") == {"low": -70}


# -- shared budgets ------------------------------------------------------------------------------------
def test_reserve_spaces_slots_across_instances(open_test_store: Callable[..., Store]) -> None:
    a, b = open_test_store(), open_test_store()
    waits = [s.reserve("hkexnews", 0.5) for s in (a, b, a, b)]
    assert waits[0] < 0.05
    for earlier, later in zip(waits, waits[1:], strict=False):
        assert 0.4 <= later - earlier <= 0.6
    assert a.reserve("slack:#other", 0.5) < 0.05  # budgets are separate by name


def test_pause_is_shared_and_keeps_the_longer(open_test_store: Callable[..., Store]) -> None:
    a, b = open_test_store(), open_test_store()
    assert a.paused_for("slack") == 0
    assert 39 < a.pause("slack", 40) <= 40
    assert 39 < b.paused_for("slack") <= 40
    assert 39 < b.pause("slack", 5) <= 40  # a shorter pause does not cut a longer one
    assert a.paused_for("hkexnews") == 0
    assert 0 < a.pause("short", 0.2) <= 0.201
    time.sleep(0.3)
    assert a.paused_for("short") == 0


def test_sqlite_state_from_the_first_release_is_migrated(tmp_path: Path, make_filing: MakeFiling) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE alerts (ns TEXT NOT NULL, fid TEXT NOT NULL, channel TEXT NOT NULL,
            filing TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
            enqueued_at REAL NOT NULL, token TEXT, owner TEXT, lease_until REAL, delivered_at REAL,
            receipt TEXT, PRIMARY KEY (ns, fid, channel));""")
    f = make_filing()
    db.execute("INSERT INTO alerts (ns, fid, channel, filing, state, enqueued_at) "
               "VALUES (?, ?, ?, ?, 'new', ?)", ("hkexmon", f.id, CH, json.dumps(f.to_dict()), time.time()))
    db.commit()
    db.close()
    store = SqliteStore(f"sqlite:///{path}")
    [pending] = store.pending()
    assert pending.filing == f and pending.kind == "filing" and pending.data == {} and not pending.uncertain
    store.close()


def test_a_wait_for_documents_survives_a_wipe_under_it(redis_url: str, make_filing: MakeFiling) -> None:
    store = RedisStore(redis_url, namespace="t")
    store.take_documents("w", 1, reclaim_idle_s=60)
    wiper = threading.Timer(0.3, lambda: redis.Redis.from_url(redis_url).flushdb())
    wiper.start()
    assert store.take_documents("w", 1, reclaim_idle_s=60, block_s=1.5) == []  # not an error
    wiper.join()
    store.submit_document(make_filing(), "results")
    assert len(store.take_documents("w", 1, reclaim_idle_s=60)) == 1
    store.close()
