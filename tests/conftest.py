"""Shared test fixtures: a real Redis on an isolated, flushed database, and fixture paths."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import redis

from monitor.filing import HKT, Filing, FilingKind

FIXTURES = Path(__file__).parent / "fixtures"

# Tests own one Redis database (15 by default) and flush it around each test.
TEST_REDIS_URL = os.environ.get("HKEXMON_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def redis_url() -> Iterator[str]:
    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:  # pragma: no cover - CI installs Redis, so this is a real failure
        pytest.fail(f"tests need a Redis at {TEST_REDIS_URL}: {exc}")
    client.flushdb()
    try:
        yield TEST_REDIS_URL
    finally:
        client.flushdb()
        client.close()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's real Slack credentials or store."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_WEBHOOK_URL", "SLACK_API_URL",
                 "HKEX_MONITOR_HKEXNEWS_URL", "HKEX_MONITOR_STORE_URL"):
        monkeypatch.delenv(name, raising=False)


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
