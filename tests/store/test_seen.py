"""The SeenLog role (seen feed items, meta, epoch) and namespaces, on both back ends."""

from __future__ import annotations

from collections.abc import Callable

import redis

from monitor.filing import Filing
from monitor.store import Store
from monitor.store.redis import RedisStore

CH = "#hkex-filings"
MakeFiling = Callable[..., Filing]


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
