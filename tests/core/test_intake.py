"""What a poll brings in (``monitor.intake.Intake``), against the HKEXnews stand-in with the real
discovery and a real Redis: an alert per channel that wants each new filing, enqueued before the
poll's items are marked seen (a store failing half-way loses nothing); each document submitted once,
cluster-wide, notices even when nobody is alerted; follow-ups threaded; a store found empty checks
older filings against Slack, where Slack's history can be read; and what reconciliation found late."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
import redis
from waiting import free_port

from monitor.calendar import due_alert_id
from monitor.errors import StoreError
from monitor.filing import HKT, Filing, FilingKind
from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.discovery import Discovery
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling
from monitor.intake import Intake
from monitor.metrics import Metrics
from monitor.settings import Settings
from monitor.store import AlertKind, PendingAlert, Store, open_store

NS = "intake"
FEED = "relsde_"  # the English latest-filings feeds (either window), as their paths name them
RESULTS, FILINGS = "#results", "#hkex-filings"
WATCHES = [{"code": "2512", "channel": RESULTS}, {"code": "20", "alert_on": "all"}]
KINDS = {  # what the feed says of each kind: (category, t2 code)
    FilingKind.INTERIM_RESULTS: ("Interim Results", "13400"),
    FilingKind.BOARD_MEETING: ("Date of Board Meeting", "13150"),
    FilingKind.PROFIT_WARNING: ("Profit Warning", "13500"),
    FilingKind.OTHER: ("Voluntary Announcements", "NaN"),
}
NAMES = {"02512": "CLOUD FACTORY", "00020": "SENSETIME-W", "00700": "TENCENT"}


@dataclass
class Instance:
    """One process's intake: its own store connection, client and discovery."""

    intake: Intake
    store: Store
    metrics: Metrics

    def metric(self, name: str, **labels: str) -> float:
        return self.metrics.registry.get_sample_value(name, labels) or 0.0


Make = Callable[..., Instance]


@pytest.fixture
def hk() -> Iterator[HKEXnewsStandIn]:
    with HKEXnewsStandIn() as standin:
        yield standin


@pytest.fixture
def make(hk: HKEXnewsStandIn, redis_url: str) -> Iterator[Make]:
    opened: list[tuple[Store, HKEXnewsClient]] = []

    def make_instance(watches: list[dict[str, Any]] | None = None, *, can_verify: bool = True,
                      clock: Callable[[], float] = time.time, store: Store | None = None,
                      wrap: Callable[[Store], Any] | None = None) -> Instance:
        settings = Settings.model_validate({
            "watch": WATCHES if watches is None else watches,
            "hkexnews": {"base_url": hk.base_url, "min_request_interval_s": 0, "retries": 0, "backoff_s": 0},
            "store": {"url": redis_url, "namespace": NS},
            "daemon": {"first_run_hours": 0},
        })
        metrics = Metrics()
        real = store or open_store(redis_url, namespace=NS)
        client = HKEXnewsClient(settings.hkexnews, metrics)
        opened.append((real, client))
        seen_by = wrap(real) if wrap is not None else real
        discovery = Discovery(client, seen_by, settings.hkexnews, metrics=metrics, first_run_hours=0)
        intake = Intake(settings, seen_by, discovery, metrics, can_verify=can_verify, clock=clock)
        return Instance(intake, real, metrics)

    yield make_instance
    for store, client in opened:
        client.close()
        store.close()


def publish(hk: HKEXnewsStandIn, news_id: int, code: str, kind: FilingKind, title: str,
            released: datetime | None = None) -> str:
    """Publish one filing; returns its id (the stem of its document)."""
    when = released or datetime.now(HKT) - timedelta(minutes=1)
    stem = f"{when:%Y%m%d}{news_id % 100000:05d}"
    category, t2 = KINDS[kind]
    hk.publish(StandInFiling(news_id, [(code, NAMES[code])], title, category, t2, when,
                             f"/listedco/listconews/sehk/{when:%Y/%m%d}/{stem}.pdf", b"%PDF-1.4 x"))
    return stem


def routed(alerts: Iterable[PendingAlert]) -> set[tuple[str, str]]:
    return {(a.id, a.channel) for a in alerts}


def documents(store: Store) -> list[tuple[str, str, str]]:
    """(filing id, reader, priority) of every document queued, in the order a reader takes them."""
    tasks = store.take_documents("test-reader", 100, reclaim_idle_s=600)
    return [(t.filing.id, t.parser, t.priority) for t in tasks]


# -- a poll -----------------------------------------------------------------------------------------
def test_a_poll_enqueues_an_alert_per_channel_and_submits_each_document(hk: HKEXnewsStandIn,
                                                                        make: Make) -> None:
    results = publish(hk, 13000001, "02512", FilingKind.INTERIM_RESULTS, "INTERIM RESULTS ANNOUNCEMENT")
    other = publish(hk, 13000002, "00020", FilingKind.OTHER, "VOLUNTARY ANNOUNCEMENT")
    meeting = publish(hk, 13000003, "00020", FilingKind.BOARD_MEETING, "DATE OF BOARD MEETING")
    publish(hk, 13000004, "00700", FilingKind.INTERIM_RESULTS, "INTERIM RESULTS")  # not watched
    one = make()
    found = one.intake.discover()
    assert (found.ok, found.new_filings, found.enqueued, found.submitted) == (True, 3, 3, 2)
    assert found.generated_at is not None and found.newest_release is not None
    assert routed(one.store.pending()) == {(results, RESULTS), (other, FILINGS), (meeting, FILINGS)}
    assert sorted(documents(one.store)) == sorted([(results, "results", "high"),
                                                   (meeting, "board_meeting", "high")])
    assert one.metric("hkexmon_filings_seen_total", kind="interim_results") == 1
    assert one.metric("hkexmon_polls_total", outcome="ok") == 1
    assert one.metric("hkexmon_last_successful_poll_timestamp_seconds") > 0
    again = one.intake.discover()
    assert (again.ok, again.new_filings, again.enqueued, again.submitted) == (True, 0, 0, 0)
    assert len(one.store.pending()) == 3


def test_a_poll_of_nothing_watched_asks_nothing(hk: HKEXnewsStandIn, make: Make) -> None:
    found = make([]).intake.discover()
    assert found.ok and found.new_filings == 0 and hk.requests == []


def test_a_failed_poll_enqueues_nothing_marks_nothing_and_says_why(hk: HKEXnewsStandIn, make: Make) -> None:
    fid = publish(hk, 13000011, "02512", FilingKind.INTERIM_RESULTS, "INTERIM RESULTS ANNOUNCEMENT")
    hk.fail_requests(FEED, 500, times=1)
    one = make()
    failed = one.intake.discover()
    assert not failed.ok and failed.reason is not None and "HTTP 500" in failed.reason
    assert one.store.pending() == [] and one.store.unseen([fid]) == {fid}
    assert one.metric("hkexmon_polls_total", outcome="source_error") == 1
    assert one.intake.discover().enqueued == 1  # found by the next poll


def test_a_store_that_is_down_skips_the_poll(hk: HKEXnewsStandIn, make: Make) -> None:
    dead = open_store(f"redis://127.0.0.1:{free_port()}/0", namespace=NS)  # nobody listens there
    one = make(store=dead)
    with pytest.raises(StoreError) as down:
        one.intake.discover()
    assert hk.requests == []  # nothing is asked of HKEXnews without dedupe
    one.intake.store_down(down.value)
    assert one.metric("hkexmon_polls_total", outcome="store_down") == 1
    assert one.metric("hkexmon_store_errors_total") == 1


# -- alerts before seen marks -------------------------------------------------------------------------
class Recorded:
    """The store with the calls that matter to a crash recorded in order; ``fail_enqueue_of`` makes the
    enqueue of that filing raise as a store gone down half-way would."""

    def __init__(self, store: Store, fail_enqueue_of: str | None = None) -> None:
        self.store = store
        self.calls: list[tuple[str, tuple[str, ...]]] = []
        self.fail_enqueue_of = fail_enqueue_of
        self._lock = threading.Lock()

    def _note(self, what: str, ids: Iterable[str]) -> None:
        with self._lock:
            self.calls.append((what, tuple(ids)))

    def enqueue(self, filing: Filing, channel: str, *, data: dict[str, Any] | None = None) -> bool:
        if filing.id == self.fail_enqueue_of:
            raise StoreError("Redis store: enqueue failed: Connection reset by peer")
        self._note("enqueue", [filing.id])
        return self.store.enqueue(filing, channel, data=data)

    def submit_document(self, filing: Filing, parser: str, *, priority: str = "high") -> bool:
        self._note("submit", [filing.id])
        return self.store.submit_document(filing, parser, priority=priority)

    def mark_seen(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        self._note("mark_seen", keys)
        self.store.mark_seen(keys)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_alerts_and_documents_go_in_before_the_items_are_marked_seen(hk: HKEXnewsStandIn, make: Make) -> None:
    ids = [publish(hk, 13000020 + i, "02512", FilingKind.INTERIM_RESULTS, f"INTERIM RESULTS {i}")
           for i in range(3)]
    recorders: list[Recorded] = []

    def recorded(store: Store) -> Recorded:
        recorders.append(Recorded(store))
        return recorders[-1]

    one = make(wrap=recorded)
    assert one.intake.discover().enqueued == 3
    calls = recorders[0].calls
    marked = [i for i, (what, _) in enumerate(calls) if what == "mark_seen"]
    assert marked and {k for i in marked for k in calls[i][1]} >= set(ids)
    last_write = max(i for i, (what, _) in enumerate(calls) if what in ("enqueue", "submit"))
    assert last_write < min(marked)


def test_a_store_failing_half_way_through_a_poll_loses_nothing(hk: HKEXnewsStandIn, make: Make) -> None:
    ids = [publish(hk, 13000030 + i, "02512", FilingKind.INTERIM_RESULTS, f"INTERIM RESULTS {i}")
           for i in range(3)]
    crashing = make(wrap=lambda s: Recorded(s, fail_enqueue_of=ids[1]))
    with pytest.raises(StoreError):
        crashing.intake.discover()
    assert crashing.store.unseen(ids) == set(ids)  # nothing marked: the next poll finds them again
    restarted = make()  # the next process (or the next poll once the store is back)
    found = restarted.intake.discover()
    assert found.new_filings == 3
    pending = restarted.store.pending()
    assert sorted(a.id for a in pending) == sorted(ids)  # every one, once
    assert sorted(f for f, _, _ in documents(restarted.store)) == sorted(ids)
    assert restarted.store.unseen(ids) == set()


# -- documents ------------------------------------------------------------------------------------
def test_each_document_is_submitted_once_cluster_wide(make: Make, make_filing: Callable[..., Filing]) -> None:
    filing = make_filing(codes=("02512",), kind=FilingKind.INTERIM_RESULTS,
                         released_at=datetime.now(HKT) - timedelta(minutes=2))
    first, second = make(), make()
    assert first.intake.admit(filing) == (1, 1)
    assert second.intake.admit(filing) == (0, 0)  # another instance found it too
    assert first.intake.admit(filing) == (0, 0)  # found again after a crash
    assert documents(first.store) == [(filing.id, "results", "high")]


def test_an_alert_enqueued_before_a_crash_still_gets_its_document(make: Make,
                                                                  make_filing: Callable[..., Filing]) -> None:
    filing = make_filing(codes=("02512",), kind=FilingKind.INTERIM_RESULTS)
    one = make()
    assert one.store.enqueue(filing, RESULTS)  # the crash came between the alert and the document
    assert one.intake.admit(filing) == (0, 1)
    assert [d[0] for d in documents(one.store)] == [filing.id]


def test_notices_are_read_even_when_nobody_is_alerted(make: Make, make_filing: Callable[..., Filing]) -> None:
    one = make([{"code": "2512"}, {"code": "20", "alert_on": ["other"]}])
    meeting = make_filing("2025082700001", codes=("02512",), kind=FilingKind.BOARD_MEETING)
    alerted_warning = make_filing("2025082700002", codes=("02512",), kind=FilingKind.PROFIT_WARNING)
    warning = make_filing("2025082700003", codes=("00020",), kind=FilingKind.PROFIT_WARNING)
    delay = make_filing("2025082700004", codes=("00020",), kind=FilingKind.RESULTS_DELAY)
    unwanted_results = make_filing("2025082700005", codes=("00020",), kind=FilingKind.FINAL_RESULTS)
    assert one.intake.admit(meeting) == (0, 1)  # for the calendar
    assert one.intake.admit(alerted_warning) == (1, 1)  # "results" asks for warnings
    assert one.intake.admit(warning) == (0, 1)  # for the results it will be compared with
    assert one.intake.admit(delay) == (0, 1)
    assert one.intake.admit(unwanted_results) == (0, 0)  # results nobody asked for are not read
    assert sorted((f, r) for f, r, _ in documents(one.store)) == [
        (meeting.id, "board_meeting"), (alerted_warning.id, "profit_warning"), (warning.id, "profit_warning"),
        (delay.id, "board_meeting")]


def test_what_was_just_released_is_read_before_a_catch_up(hk: HKEXnewsStandIn, make: Make) -> None:
    now = datetime.now(HKT)
    results = FilingKind.INTERIM_RESULTS
    old = publish(hk, 13000041, "02512", results, "INTERIM RESULTS", now - timedelta(hours=3))
    new = publish(hk, 13000042, "02512", results, "INTERIM RESULTS", now - timedelta(minutes=3))
    one = make()
    assert one.intake.discover().submitted == 2
    assert documents(one.store) == [(new, "results", "high"), (old, "results", "low")]


# -- follow-ups -------------------------------------------------------------------------------------
def test_a_follow_up_is_threaded_under_the_alert_it_follows(hk: HKEXnewsStandIn, make: Make) -> None:
    now = datetime.now(HKT)
    original = publish(hk, 13000051, "00020", FilingKind.OTHER, "ANNUAL REPORT 2025",
                       now - timedelta(hours=2))
    unrelated = publish(hk, 13000052, "00020", FilingKind.OTHER, "CONNECTED TRANSACTION",
                        now - timedelta(hours=1))
    one = make()
    assert one.intake.discover().enqueued == 2
    supplement = publish(hk, 13000053, "00020", FilingKind.OTHER,
                         "SUPPLEMENTAL ANNOUNCEMENT IN RELATION TO THE ANNUAL REPORT 2025")
    assert one.intake.discover().enqueued == 1
    data = {a.id: a.data for a in one.store.pending()}
    assert data[supplement].get("thread_of") == original
    assert "thread_of" not in data[original] and "thread_of" not in data[unrelated]


def test_a_follow_up_of_nothing_alerted_goes_alone(hk: HKEXnewsStandIn, make: Make) -> None:
    publish(hk, 13000061, "00020", FilingKind.OTHER,
            "CLARIFICATION ANNOUNCEMENT IN RELATION TO THE ANNUAL REPORT")
    one = make()
    assert one.intake.discover().enqueued == 1
    [alert] = one.store.pending()
    assert "thread_of" not in alert.data


def test_results_after_a_results_due_message_refer_to_it(make: Make,
                                                         make_filing: Callable[..., Filing]) -> None:
    one = make()
    released = datetime(2025, 8, 29, 12, 0, tzinfo=HKT)
    yesterday = due_alert_id("02512", released.date() - timedelta(days=1))
    assert one.store.enqueue_message(yesterday, RESULTS, AlertKind.RESULTS_DUE, {"entry": {}})
    results = make_filing("2025082900001", codes=("02512",), kind=FilingKind.INTERIM_RESULTS,
                          released_at=released)
    other_stock = make_filing("2025082900002", codes=("00020",), kind=FilingKind.INTERIM_RESULTS,
                              released_at=released)
    one.intake.admit(results)
    one.intake.admit(other_stock)
    data = {a.id: a.data for a in one.store.pending() if a.kind == AlertKind.FILING}
    assert data[results.id]["follow_up_of"] == yesterday
    assert "follow_up_of" not in data[other_stock.id]


# -- a store found empty --------------------------------------------------------------------------------
def test_a_store_found_empty_has_older_filings_checked_against_slack(hk: HKEXnewsStandIn, make: Make) -> None:
    now = datetime.now(HKT)
    empty_at = (now - timedelta(minutes=10)).timestamp()  # when this process found the store empty
    before = publish(hk, 13000071, "00020", FilingKind.OTHER, "BEFORE", now - timedelta(minutes=20))
    after = publish(hk, 13000072, "00020", FilingKind.OTHER, "AFTER", now - timedelta(minutes=5))
    one = make(clock=lambda: empty_at)
    assert one.intake.discover().enqueued == 2
    assert one.intake.rebuilt_at == empty_at
    data = {a.id: a.data for a in one.store.pending()}
    assert data[before].get("verify") is True  # it may have been posted before the store lost its memory
    assert "verify" not in data[after]
    assert one.metric("hkexmon_store_rebuilds_total") == 1


def test_without_slacks_history_nothing_is_marked_to_verify(hk: HKEXnewsStandIn, make: Make) -> None:
    fid = publish(hk, 13000081, "00020", FilingKind.OTHER, "BEFORE",
                  datetime.now(HKT) - timedelta(minutes=20))
    one = make(can_verify=False)
    assert one.intake.discover().enqueued == 1
    assert one.intake.rebuilt_at is None and one.metric("hkexmon_store_rebuilds_total") == 1
    [alert] = one.store.pending()
    assert alert.id == fid and "verify" not in alert.data


def test_a_store_that_loses_its_memory_mid_run_finds_the_filings_again(hk: HKEXnewsStandIn, make: Make,
                                                                       redis_url: str) -> None:
    fid = publish(hk, 13000091, "00020", FilingKind.OTHER, "VOLUNTARY ANNOUNCEMENT")
    one = make()
    assert one.intake.discover().enqueued == 1  # a first start: the store is found empty too
    assert one.intake.discover().enqueued == 0
    client = redis.Redis.from_url(redis_url)
    client.flushdb()  # Redis restarted without its data
    client.close()
    again = one.intake.discover()
    assert again.enqueued == 1  # found again, not hidden by what this process remembered
    [alert] = one.store.pending()
    assert alert.id == fid and alert.data.get("verify") is True
    assert one.metric("hkexmon_store_rebuilds_total") == 2


# -- found late -------------------------------------------------------------------------------------
def test_admit_late_alerts_what_reconciliation_found(make: Make, make_filing: Callable[..., Filing]) -> None:
    one = make()
    missed = make_filing(codes=("02512",), kind=FilingKind.INTERIM_RESULTS)
    assert one.intake.admit_late(missed) == 1
    [alert] = one.store.pending()
    assert (alert.id, alert.channel, alert.data.get("found_late")) == (missed.id, RESULTS, True)
    assert [d[0] for d in documents(one.store)] == [missed.id]
    assert one.metric("hkexmon_reconcile_found_late_total") == 1
    assert one.intake.admit_late(missed) == 0  # found late twice: alerted once
