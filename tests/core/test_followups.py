"""Which alerted filing a follow-up belongs under: one title pair per case, read as a person would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from monitor.filing import HKT, Filing, FilingKind
from monitor.followups import is_follow_up, original_of

MakeFiling = Callable[..., Filing]
T0 = datetime(2026, 8, 27, 18, tzinfo=HKT)


def f(make: MakeFiling, fid: str, title: str, kind: FilingKind = FilingKind.OTHER, *, days: float = 0,
      code: str = "02512", extra: tuple[tuple[str, str], ...] = ()) -> Filing:
    return make(fid, codes=(code,), kind=kind, title=title, released_at=T0 + timedelta(days=days),
                extra=extra)


@pytest.mark.parametrize(("title", "expected"), [
    ("SUPPLEMENTAL ANNOUNCEMENT IN RELATION TO THE ANNUAL REPORT 2025", True),
    ("CLARIFICATION ANNOUNCEMENT", True),
    ("REVISED INTERIM RESULTS ANNOUNCEMENT", True),
    ("補充公告", True),
    ("ANNOUNCEMENT OF INTERIM RESULTS FOR THE SIX MONTHS ENDED 30 JUNE 2026", False),
    ("CONNECTED TRANSACTION", False),
])
def test_follow_up_titles(make_filing: MakeFiling, title: str, expected: bool) -> None:
    assert is_follow_up(f(make_filing, "x", title)) is expected


def test_a_refiled_headline_is_a_follow_up(make_filing: MakeFiling) -> None:
    refiled = f(make_filing, "x", "ANNUAL RESULTS", extra=(("headline_revision", "revised"),))
    assert is_follow_up(refiled)


def test_the_original_is_the_one_the_title_names(make_filing: MakeFiling) -> None:
    report = f(make_filing, "r", "ANNUAL REPORT 2025", FilingKind.FINANCIAL_REPORT, days=-5)
    deal = f(make_filing, "d", "CONNECTED TRANSACTION - LEASE AGREEMENT", days=-1)
    results = f(make_filing, "i", "ANNOUNCEMENT OF INTERIM RESULTS FOR THE SIX MONTHS ENDED 30 JUNE 2026",
                FilingKind.INTERIM_RESULTS, days=-2)
    earlier = [report, deal, results]
    supplement = f(make_filing, "s", "SUPPLEMENTAL ANNOUNCEMENT IN RELATION TO THE ANNUAL REPORT 2025")
    assert original_of(supplement, earlier) == report
    revised = f(make_filing, "v", "REVISED INTERIM RESULTS ANNOUNCEMENT", FilingKind.INTERIM_RESULTS)
    assert original_of(revised, earlier) == results
    lease = f(make_filing, "c", "CLARIFICATION ANNOUNCEMENT - LEASE AGREEMENT")
    assert original_of(lease, earlier) == deal


def test_no_clear_original_means_none(make_filing: MakeFiling) -> None:
    earlier = [f(make_filing, "d", "CONNECTED TRANSACTION", days=-1),
               f(make_filing, "o", "ANNUAL REPORT 2025", days=-90),  # too old
               f(make_filing, "z", "ANNUAL REPORT 2025", code="00020", days=-1)]  # another stock
    supplement = f(make_filing, "s", "SUPPLEMENTAL ANNOUNCEMENT TO THE ANNUAL REPORT 2025")
    assert original_of(supplement, earlier) is None
    assert original_of(f(make_filing, "n", "ANNUAL REPORT 2025"), earlier) is None  # not a follow-up
