"""Shared test fixtures: a real Redis on an isolated, flushed database, and fixture paths."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

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
