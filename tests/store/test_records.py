"""The Records role: small named records with expiry."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from monitor.store import AlertKind, RecordKind, Store

Race = Callable[..., list[Any]]  # the ``race`` fixture of conftest.py


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


def test_record_kinds_are_the_stored_names(store: Store) -> None:
    # These names are in every store already written: a rename would forget its records.
    assert [k.value for k in RecordKind] == ["calendar", "results_out", "warning", "reconciled", "alerted"]
    assert RecordKind.alerted("00020") == "alerted:00020"
    assert [k.value for k in AlertKind] == ["filing", "ops", "digest", "results_due"]
    store.put_record(RecordKind.WARNING, "00020:2025082700001", {"warning": "loss"})
    store.put_record(RecordKind.alerted("00020"), "2025082700001", {"id": "2025082700001"})
    assert store.records("warning") == {"00020:2025082700001": {"warning": "loss"}}
    assert store.get_record("alerted:00020", "2025082700001") == {"id": "2025082700001"}
    assert store.records(RecordKind.alerted("00700")) == {}


def test_add_record_writes_only_where_there_is_none(store: Store) -> None:
    assert store.add_record(RecordKind.RECONCILED, "2026-12-04", {"by": "a"}, ttl_s=0.3) is True
    assert store.add_record(RecordKind.RECONCILED, "2026-12-04", {"by": "b"}) is False
    assert store.get_record(RecordKind.RECONCILED, "2026-12-04") == {"by": "a"}
    assert set(store.records(RecordKind.RECONCILED)) == {"2026-12-04"}
    time.sleep(0.5)  # an expired record is no record: it can be added again
    assert store.add_record(RecordKind.RECONCILED, "2026-12-04", {"by": "c"}) is True
    assert store.get_record(RecordKind.RECONCILED, "2026-12-04") == {"by": "c"}


def test_add_record_has_one_winner_among_instances(open_test_store: Callable[..., Store], race: Race) -> None:
    stores = [open_test_store() for _ in range(6)]
    for _ in range(10):
        won = race(stores, lambda i, s: [i] if s.add_record(RecordKind.RECONCILED, "day", {"by": i}) else [])
        assert len(won) == 1
        assert stores[0].get_record(RecordKind.RECONCILED, "day") == {"by": won[0]}
        stores[0].delete_record(RecordKind.RECONCILED, "day")
