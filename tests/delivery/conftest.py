"""Fixtures: the Slack Web API stand-in, and a filing factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from slackstandin import slack_standin  # noqa: F401  (a real local HTTP server)

from monitor.filing import HKT, Filing, FilingKind


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
