"""The DocumentQueue role: once cluster-wide, priorities, leases, takeover, waits, wipes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
import redis

from monitor.filing import Filing
from monitor.store import Store
from monitor.store.redis import RedisStore

MakeFiling = Callable[..., Filing]


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
    got = a.take_documents("w", 1, reclaim_idle_s=60, block_s=20)
    timer.join()
    assert len(got) == 1 and time.monotonic() - started < 10  # woken by the work, not at the block's end


def test_document_queue_survives_a_redis_wipe(redis_url: str, make_filing: MakeFiling) -> None:
    store = RedisStore(redis_url, namespace="t")
    store.submit_document(make_filing("2025082700001"), "results")
    redis.Redis.from_url(redis_url).flushdb()
    assert store.take_documents("w", 1, reclaim_idle_s=60) == []
    store.submit_document(make_filing("2025082700002"), "results")
    assert [t.filing.id for t in store.take_documents("w", 1, reclaim_idle_s=60)] == ["2025082700002"]
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
