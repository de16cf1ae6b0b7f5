"""What each back end adds to the contract: opening by URL, retention, failures as StoreError, and
the migration of SQLite files written by the first release."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import redis

from monitor.errors import StoreError
from monitor.filing import Filing
from monitor.store import DeliveryState, Store, open_store
from monitor.store.redis import RedisStore
from monitor.store.sqlite import SqliteStore

CH = "#hkex-filings"
MakeFiling = Callable[..., Filing]


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


def _every_call(store: Store, f: Filing) -> list[Callable[[], object]]:
    from monitor.store import Claim, DocumentTask

    c = Claim(f.id, CH, "tok", 0, False)
    task = DocumentTask("1-0", f, "results", 0.0, 1, "high")
    return [store.ping, lambda: store.unseen(["k"]), lambda: store.mark_seen(["k"]),
            lambda: store.get_meta("m"), lambda: store.set_meta("m", "v"), lambda: store.enqueue(f, CH),
            store.pending, lambda: store.claim(f.id, CH, "a", 1), lambda: store.mark_delivered(c),
            lambda: store.release(c, "e"), lambda: store.state(f.id, CH),
            lambda: store.save_report(f, {}), lambda: store.get_report(f.id),
            lambda: store.previous_reports("00020", f.id), lambda: store.stock_reports("00020"),
            lambda: store.mark_announced(c, "1.1"), lambda: store.renew_claims([c], 10),
            lambda: store.release_claims([c], "stopping"), lambda: store.release_document(task, "a"),
            lambda: store.take_documents("a", 1, reclaim_idle_s=10), lambda: store.beat("a", 10),
            lambda: store.retire("a"), lambda: store.alive(["a"]), store.processes,
            lambda: store.acquire("l", "a", 10), lambda: store.release_lock("l", "a"),
            lambda: store.renew_lock("l", "a", 10), lambda: store.add_record("k", "1", {}),
            lambda: store.pause("p", 1), lambda: store.paused_for("p"), lambda: store.clear_pause("p")]


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
