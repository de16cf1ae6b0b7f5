"""Shared test fixtures: a real Redis on an isolated, flushed database, and fixture paths."""

from __future__ import annotations

import atexit
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import redis

from monitor.filing import HKT, Filing, FilingKind

FIXTURES = Path(__file__).parent / "fixtures"

# Tests own one Redis database and flush it around each test. Unless HKEXMON_TEST_REDIS_URL names
# one, the session (each pytest-xdist worker is one) claims a free database among 15..1 with a lock
# key in database 0 (kept alive while the session runs), so two suites on one machine, and the
# workers of one suite, never flush each other's data.
TEST_REDIS_HOST = "redis://127.0.0.1:6379"
LOCK_KEY = "hkexmon-tests:db-lock:{db}"
LOCK_TTL_S = 60


def _claim_database() -> str:
    explicit = os.environ.get("HKEXMON_TEST_REDIS_URL")
    if explicit:
        if os.environ.get("PYTEST_XDIST_WORKER"):
            raise RuntimeError("HKEXMON_TEST_REDIS_URL names one database, which parallel test workers "
                               "would flush under each other: run with -n 0, or unset it")
        return explicit
    locks = redis.Redis.from_url(f"{TEST_REDIS_HOST}/0")
    try:
        for db in range(15, 0, -1):
            if locks.set(LOCK_KEY.format(db=db), f"{socket.gethostname()}:{os.getpid()}", nx=True,
                         ex=LOCK_TTL_S):
                _keep_lock(LOCK_KEY.format(db=db))
                return f"{TEST_REDIS_HOST}/{db}"
    except redis.RedisError:
        return f"{TEST_REDIS_HOST}/15"  # no Redis: the redis_url fixture fails with the reason
    raise RuntimeError("every Redis test database 1-15 is claimed by another test session")


def _keep_lock(key: str) -> None:
    stop = threading.Event()

    def refresh() -> None:
        client = redis.Redis.from_url(f"{TEST_REDIS_HOST}/0")
        while not stop.wait(LOCK_TTL_S / 4):
            try:
                client.expire(key, LOCK_TTL_S)
            except redis.RedisError:
                pass
        try:
            client.delete(key)
        except redis.RedisError:
            pass

    thread = threading.Thread(target=refresh, name="test-db-lock", daemon=True)
    thread.start()
    atexit.register(lambda: (stop.set(), thread.join(5)))


@pytest.fixture(scope="session")
def _test_redis_url() -> str:
    """This session's database, claimed when a test first needs one (so pytest-xdist's controller,
    which runs no test, holds none; each worker is a session of its own and claims its own)."""
    return _claim_database()


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def redis_url(_test_redis_url: str) -> Iterator[str]:
    client = redis.Redis.from_url(_test_redis_url)
    try:
        client.ping()
    except redis.RedisError as exc:  # pragma: no cover - CI installs Redis, so this is a real failure
        pytest.fail(f"tests need a Redis at {_test_redis_url}: {exc}")
    client.flushdb()
    try:
        yield _test_redis_url
    finally:
        client.flushdb()
        client.close()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's real Slack credentials or store."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_WEBHOOK_URL", "SLACK_API_URL",
                 "HKEX_MONITOR_HKEXNEWS_URL", "HKEX_MONITOR_STORE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _own_logging() -> Iterator[None]:
    """A command run in process installs its log handler on the root logger, often on a stream the
    test captured; it goes with the test, so a later test's threads never log into a closed stream."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers and getattr(handler, "_hkexmon", False):  # ours, not pytest's
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def make_filing() -> Callable[..., Filing]:
    def make(fid: str = "2025082700123", *, codes: tuple[str, ...] = ("00020",),
             kind: FilingKind = FilingKind.INTERIM_RESULTS, **over: Any) -> Filing:
        fields: dict[str, Any] = dict(
            id=fid, news_id=1, stock_codes=codes, stock_names=("SENSETIME-W",) * len(codes),
            title=f"Announcement {fid}", categories=("Announcements and Notices",), t1_code="10000",
            t2_codes=("13300",), released_at=datetime(2025, 8, 27, 18, 30, tzinfo=HKT),
            url=f"https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/{fid}.pdf",
            file_type="PDF", size_bytes=123_456, kind=kind)
        fields.update(over)
        return Filing(**fields)

    return make
