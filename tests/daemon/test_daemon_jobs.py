"""What the daemon's timed jobs do (``monitor.daemon.jobs.DaemonJobs``), on real components against the
HKEXnews stand-in and a real Redis (console output): the poll records what it found for /healthz and
wakes the deliverer; the calendar job refreshes the results days the poll plan reads and posts "results
due, not out" once; the digest once a week per channel; the alarm check; and the day's reconciliation,
once per day for the whole cluster."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from waiting import free_port

from monitor.calendar import Calendar, due_alert_id
from monitor.daemon.components import Components, build
from monitor.daemon.jobs import DaemonJobs
from monitor.filing import HKT, Filing, FilingKind
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling
from monitor.metrics import Metrics
from monitor.ops.watchdog import Watchdog
from monitor.schedule.plan import ResultsDays
from monitor.settings import Settings
from monitor.store import AlertKind, PendingAlert, RecordKind, Store

RESULTS, FILINGS = "#results", "#hkex-filings"
TITLE_SEARCH = "/search/titleSearchServlet.do"
MakeFiling = Callable[..., Filing]


def parse_nothing(data: bytes, reader: str) -> dict[str, Any]:
    raise AssertionError("no document is read by the timed jobs")


@dataclass
class Instance:
    """One daemon's jobs and what they work on."""

    jobs: DaemonJobs
    comps: Components
    metrics: Metrics
    wake: threading.Event
    stop: threading.Event
    clock: list[datetime]  # the watchdog's clock

    @property
    def store(self) -> Store:
        return self.comps.store

    def metric(self, name: str, **labels: str) -> float:
        return self.metrics.registry.get_sample_value(name, labels) or 0.0

    def pending(self, kind: str) -> list[PendingAlert]:
        return [a for a in self.store.pending() if a.kind == kind]


Make = Callable[..., Instance]


@pytest.fixture
def hk() -> Iterator[HKEXnewsStandIn]:
    with HKEXnewsStandIn() as standin:
        for code in ("02512", "00020"):
            standin.add_stock(code)
        yield standin


@pytest.fixture
def make(hk: HKEXnewsStandIn, redis_url: str) -> Iterator[Make]:
    made: list[Components] = []

    def make_instance(owner: str = "instance-a", *, store_url: str = redis_url) -> Instance:
        settings = Settings.model_validate({
            "watch": [{"code": "2512", "channel": RESULTS}, {"code": "20", "alert_on": "all"}],
            "hkexnews": {"base_url": hk.base_url, "min_request_interval_s": 0, "retries": 0, "backoff_s": 0},
            "store": {"url": store_url, "namespace": "jobs"},
            "daemon": {"http_port": 0, "first_run_hours": 0},
            "ops": {"quiet_window": False},
        })
        metrics, wake, stop = Metrics(), threading.Event(), threading.Event()
        comps = build(settings, metrics, stop=stop, owner=owner, parse=parse_nothing, stream=io.StringIO())
        made.append(comps)
        clock = [datetime.now(HKT)]
        watchdog = Watchdog(settings, metrics, clock=lambda: clock[0])
        jobs = DaemonJobs(lambda: comps, metrics, watchdog, ResultsDays(), owner=owner, wake=wake, stop=stop)
        return Instance(jobs, comps, metrics, wake, stop, clock)

    yield make_instance
    for comps in made:
        comps.close()


def publish(hk: HKEXnewsStandIn, news_id: int, code: str, title: str, category: str, t2: str,
            when: datetime | None = None, **over: Any) -> str:
    when = when or datetime.now(HKT) - timedelta(minutes=2)
    stem = f"{when:%Y%m%d}{news_id % 100000:05d}"
    hk.publish(StandInFiling(news_id, [(code, "ISSUER")], title, category, t2, when,
                             f"/listedco/listconews/sehk/{when:%Y/%m%d}/{stem}.pdf", b"%PDF-1.4 x", **over))
    return stem


def title_searches(hk: HKEXnewsStandIn) -> int:
    return sum(1 for p in hk.requests if p.startswith(TITLE_SEARCH))


# -- the poll -------------------------------------------------------------------------------------------
def test_a_poll_records_what_it_found_and_wakes_the_deliverer(hk: HKEXnewsStandIn, make: Make) -> None:
    publish(hk, 13200001, "02512", "INTERIM RESULTS ANNOUNCEMENT", "Interim Results", "13400")
    publish(hk, 13200002, "00020", "VOLUNTARY ANNOUNCEMENT", "Voluntary Announcements", "NaN")
    one = make()
    assert one.jobs.last_poll is None
    before = time.time()
    one.jobs.poll()
    last = one.jobs.last_poll
    assert last is not None and last.ok and last.reason is None and last.at >= before
    assert (last.new_filings, last.alerts_enqueued, last.documents_submitted) == (2, 2, 1)
    assert one.wake.is_set()
    one.wake.clear()
    one.jobs.poll()
    last = one.jobs.last_poll
    assert last is not None and last.ok and (last.new_filings, last.alerts_enqueued) == (0, 0)
    assert not one.wake.is_set()  # nothing new to deliver


def test_a_failed_poll_is_recorded_with_its_reason(hk: HKEXnewsStandIn, make: Make) -> None:
    hk.fail_requests("relsde_", 500)
    one = make()
    one.jobs.poll()
    last = one.jobs.last_poll
    assert last is not None and not last.ok and last.reason is not None and "HTTP 500" in last.reason
    assert not one.wake.is_set() and one.metric("hkexmon_polls_total", outcome="source_error") == 1


def test_a_poll_with_the_store_down_is_skipped_not_raised(hk: HKEXnewsStandIn, make: Make) -> None:
    one = make(store_url=f"redis://127.0.0.1:{free_port()}/0")  # nobody listens there
    one.jobs.poll()
    assert one.jobs.last_poll is None and hk.requests == []
    assert one.metric("hkexmon_polls_total", outcome="store_down") == 1


def test_a_stopping_daemon_does_not_poll(hk: HKEXnewsStandIn, make: Make) -> None:
    one = make()
    one.stop.set()
    one.jobs.poll()
    assert one.jobs.last_poll is None and hk.requests == []


def test_polls_that_keep_failing_raise_one_alarm(hk: HKEXnewsStandIn, make: Make) -> None:
    one = make()
    one.jobs.poll()  # a good poll: the store records its time
    hk.fail_requests("relsde_", 500)
    one.jobs.poll()
    one.jobs.poll()
    one.jobs.alarms()
    assert one.pending(AlertKind.OPS) == [] and not one.wake.is_set()  # not yet: 15 minutes of failure
    one.clock[0] += timedelta(seconds=Settings().ops.poll_failing_s + 60)
    one.jobs.alarms()
    [alarm] = one.pending(AlertKind.OPS)
    assert alarm.channel == FILINGS and alarm.data["alarm"] == "poll_failing" and one.wake.is_set()
    one.jobs.alarms()
    assert len(one.pending(AlertKind.OPS)) == 1  # raised once per episode


def test_the_heartbeat_reports_the_document_backlog(make: Make, make_filing: MakeFiling) -> None:
    one = make()
    for i in range(2):
        one.store.submit_document(make_filing(f"202508270000{i}"), "results")
    one.jobs.heartbeat()
    assert one.metric("hkexmon_documents", state="waiting") == 2
    assert one.metric("hkexmon_documents", state="in_progress") == 0
    assert one.metric("hkexmon_heartbeat_timestamp_seconds") > 0


# -- the calendar ----------------------------------------------------------------------------------------
def notice(store: Store, code: str, meeting: date, *, fid: str) -> None:
    """A board-meeting notice of ``code`` for interim results, read and recorded in the calendar."""
    filing = Filing(id=fid, news_id=1, stock_codes=(code,), stock_names=("ISSUER",),
                    title="DATE OF BOARD MEETING", categories=("Announcements and Notices",), t1_code="10000",
                    t2_codes=("13150",),
                    released_at=datetime.combine(meeting - timedelta(days=10), datetime.min.time(), HKT),
                    url=f"https://www1.hkexnews.hk/{fid}.pdf", file_type="PDF", size_bytes=None,
                    kind=FilingKind.BOARD_MEETING)
    Calendar(store).record_notice(filing, {"meeting_date": meeting.isoformat(), "results": "interim",
                                           "period_end": "2025-06-30", "dividend": True})


@pytest.fixture
def days() -> tuple[date, date]:
    today = datetime.now(HKT).date()
    return today - timedelta(days=1), today + timedelta(days=1)


def test_the_calendar_job_refreshes_the_results_days_and_posts_results_due_once(
        make: Make, days: tuple[date, date]) -> None:
    yesterday, tomorrow = days
    one = make()
    notice(one.store, "00020", yesterday, fid="N1")  # met yesterday; no results since
    notice(one.store, "02512", tomorrow, fid="N2")
    notice(one.store, "00700", yesterday, fid="N3")  # not watched
    one.jobs.calendar()
    assert one.jobs.results_days.on(yesterday) == ("00020",)
    assert one.jobs.results_days.on(tomorrow) == ("02512",)
    [due] = one.pending(AlertKind.RESULTS_DUE)
    assert (due.id, due.channel) == (due_alert_id("00020", yesterday), FILINGS)
    assert due.data["entry"]["filing_id"] == "N1" and one.wake.is_set()
    one.wake.clear()
    one.jobs.calendar()
    assert len(one.pending(AlertKind.RESULTS_DUE)) == 1 and not one.wake.is_set()  # once
    notice(one.store, "02512", tomorrow + timedelta(days=7), fid="N4")  # a later notice moves the meeting
    one.jobs.calendar()
    assert one.jobs.results_days.on(tomorrow) == () and one.jobs.results_days.on(tomorrow + timedelta(7)) == (
        "02512",)


def test_results_that_came_out_are_not_due(make: Make, days: tuple[date, date],
                                           make_filing: MakeFiling) -> None:
    yesterday, _ = days
    one = make()
    notice(one.store, "00020", yesterday, fid="N1")
    released = datetime.combine(yesterday, datetime.min.time(), HKT) + timedelta(hours=12)
    Calendar(one.store).results_appeared(make_filing(codes=("00020",), released_at=released))
    one.jobs.calendar()
    assert one.jobs.results_days.on(yesterday) == ("00020",)
    assert one.pending(AlertKind.RESULTS_DUE) == [] and not one.wake.is_set()


def test_the_digest_goes_once_to_each_channel(make: Make, days: tuple[date, date]) -> None:
    _, tomorrow = days
    one = make()
    notice(one.store, "02512", tomorrow, fid="N2")
    one.jobs.digest()
    digests = {a.channel: a for a in one.pending(AlertKind.DIGEST)}
    assert set(digests) == {RESULTS, FILINGS} and one.wake.is_set()
    year, week, _ = datetime.now(HKT).date().isocalendar()
    assert digests[RESULTS].id == f"digest:{RESULTS}:{year}-W{week:02d}"
    assert [e["code"] for e in digests[RESULTS].data["entries"]] == ["02512"]
    assert digests[FILINGS].data["entries"] == []  # 0020 has nothing this week: said so, in one line
    one.jobs.digest()
    assert len(one.pending(AlertKind.DIGEST)) == 2


# -- reconciliation ----------------------------------------------------------------------------------
def test_reconciliation_alerts_what_the_feed_missed(hk: HKEXnewsStandIn, make: Make,
                                                    days: tuple[date, date]) -> None:
    yesterday, _ = days
    noon = datetime.combine(yesterday, datetime.min.time(), HKT) + timedelta(hours=12)
    missed = publish(hk, 13200011, "02512", "INTERIM RESULTS ANNOUNCEMENT", "Interim Results", "13400", noon,
                     feed_listed=False)
    one = make()
    result = one.jobs.reconcile(yesterday)
    assert [f.id for f in result.missed] == [missed] and result.unchecked == ()
    [alert] = one.store.pending()
    assert (alert.id, alert.channel, alert.data.get("found_late")) == (missed, RESULTS, True)
    assert one.wake.is_set()
    assert one.jobs.reconcile(yesterday).missed == ()  # marked seen: found once


def test_the_days_reconciliation_runs_once_for_the_cluster(hk: HKEXnewsStandIn, make: Make) -> None:
    a, b = make("instance-a"), make("instance-b")
    a.jobs.reconcile_today()
    searched = title_searches(hk)
    assert searched >= 2  # each watched stock
    record = a.store.get_record(RecordKind.RECONCILED, datetime.now(HKT).date().isoformat())
    assert record is not None and record["by"] == "instance-a"
    b.jobs.reconcile_today()
    a.jobs.reconcile_today()
    assert title_searches(hk) == searched


class ReadTogether:
    """The store as two instances whose reconciliation starts at the same moment see it (the nightly
    job fires at ``daemon.reconcile_at`` on every instance): each reads the day's record before
    either writes it. Every call goes to the real store."""

    def __init__(self, store: Store, barrier: threading.Barrier) -> None:
        self.store = store
        self.barrier = barrier

    def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        found = self.store.get_record(kind, key)
        if kind == RecordKind.RECONCILED:
            self.barrier.wait(30)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_two_instances_starting_the_days_reconciliation_together_run_it_once(hk: HKEXnewsStandIn,
                                                                            make: Make) -> None:
    a, b = make("instance-a"), make("instance-b")
    a.jobs.reconcile_today()
    once = title_searches(hk)  # what one reconciliation of the day asks
    a.store.delete_record(RecordKind.RECONCILED, datetime.now(HKT).date().isoformat())
    hk.reset_counters()
    barrier = threading.Barrier(2)
    for one in (a, b):
        one.comps.store = ReadTogether(one.comps.store, barrier)
    threads = [threading.Thread(target=one.jobs.reconcile_today) for one in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert title_searches(hk) == once
