"""The Reports role: parsed results per filing and per stock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from monitor.filing import HKT, Filing
from monitor.store import Store

MakeFiling = Callable[..., Filing]


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


def test_everything_read_of_a_stock_with_its_filing(store: Store, make_filing: MakeFiling) -> None:
    t0 = datetime(2025, 3, 26, 16, 30, tzinfo=HKT)
    results = make_filing("2025032600001", released=t0)
    notice = make_filing("2025081400001", released=t0 + timedelta(days=140))
    unread = make_filing("2025082700001", released=t0 + timedelta(days=150))
    other = make_filing("2025082700002", codes=("02512",), released=t0 + timedelta(days=150))
    store.save_report(notice, {"document": "board_meeting", "meeting_date": "2025-08-27"})
    store.save_report(results, _report("final", 4.0))
    store.save_report(unread, {"error": "not a PDF"})
    store.save_report(other, _report("interim", 9.0))
    saved = store.stock_reports("00020")
    assert [s.filing.id for s in saved] == [unread.id, notice.id, results.id]  # newest first, all kinds
    assert saved[0].payload == {"error": "not a PDF"} and saved[1].payload["meeting_date"] == "2025-08-27"
    assert saved[2].filing.url == results.url and saved[2].saved_at > 0
    assert [s.filing.id for s in store.stock_reports("00020", limit=1)] == [unread.id]
    assert store.stock_reports("09999") == []
