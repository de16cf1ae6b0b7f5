"""Reading the documents the intake submitted (``monitor.documents.reader.DocumentReader``): real PDFs
served by the HKEXnews stand-in, the real client and parsers, the queue in a real Redis. Figures are
stored; a document HKEXnews will never serve is settled at once without figures; one it cannot serve now
is tried again, and given up after ``download_give_up_s``; what a notice says is remembered for the
calendar and the results to come; the lease is kept while a document is read; a stop hands it back."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from waiting import wait_for

from monitor.calendar import Calendar
from monitor.documents.reader import DocumentReader, ParseFn
from monitor.errors import DocumentError, from_parse_error
from monitor.filing import HKT, Filing, FilingKind
from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling
from monitor.metrics import Metrics
from monitor.settings import Settings
from monitor.store import DocumentTask, RecordKind, Store, open_store
from parsers.board_meeting import parse_board_meeting
from parsers.errors import ParseError
from parsers.profit_warning import parse_profit_warning
from parsers.results import parse_results

FIXTURES = Path(__file__).parents[1] / "fixtures"
CLOUD_FACTORY = (FIXTURES / "2512-cloud-factory-interim-2025.pdf").read_bytes()
# bm-en-1688: "will be held on Friday, 29 August 2025 ... interim results ... six months ended 30 June
# 2025 ... an interim dividend, if any" (tests/fixtures/notices/README.md, truth.json)
MEETING_NOTICE = (FIXTURES / "notices" / "bm-en-1688-interim-2025.pdf").read_bytes()
# pw-en-2512: "profit for the six months ended 30 June 2025 of not less than RMB14.0 million ...
# approximately RMB12.5 million"
WARNING_NOTICE = (FIXTURES / "notices" / "pw-en-2512-positive-2025.pdf").read_bytes()
LEASE_S = 1.0
GIVE_UP_S = 600.0
CONSUMER = "reader-1"
PARSERS: dict[str, Callable[[bytes], Any]] = {"results": parse_results, "board_meeting": parse_board_meeting,
                                              "profit_warning": parse_profit_warning}


def parse_here(data: bytes, reader: str) -> dict[str, Any]:
    """The parse workers' job, in this process: the record, or the parser's error as the monitor's."""
    try:
        record = PARSERS[reader](data)
    except ParseError as exc:
        raise from_parse_error(exc) from exc
    return dict(record.to_json_dict())


@dataclass
class Clock:
    now: float = field(default_factory=lambda: datetime.now(HKT).timestamp())

    def __call__(self) -> float:
        return self.now


@dataclass
class Reading:
    hk: HKEXnewsStandIn
    store: Store
    metrics: Metrics
    clock: Clock
    make_reader: Callable[..., DocumentReader]

    def publish(self, news_id: int, doc: bytes | None, kind: FilingKind, code: str = "02512",
                url: str | None = None) -> Filing:
        """Publish a document on the stand-in (``doc`` None: nothing at its address) and submit it."""
        when = datetime.now(HKT) - timedelta(minutes=1)
        stem = f"{when:%Y%m%d}{news_id % 100000:05d}"
        path = f"/listedco/listconews/sehk/{when:%Y/%m%d}/{stem}.pdf"
        if doc is not None:
            self.hk.publish(StandInFiling(news_id, [(code, "ISSUER")], "AN ANNOUNCEMENT", "Others", "NaN",
                                          when, path, doc))
        filing = Filing(id=stem, news_id=news_id, stock_codes=(code,), stock_names=("ISSUER",),
                        title="AN ANNOUNCEMENT", categories=("Announcements and Notices",), t1_code="10000",
                        t2_codes=(), released_at=when, url=url or self.hk.base_url + path, file_type="PDF",
                        size_bytes=None, kind=kind)
        return filing

    def submit(self, filing: Filing, reader: str) -> DocumentTask:
        assert self.store.submit_document(filing, reader)
        [task] = self.store.take_documents(CONSUMER, 1, reclaim_idle_s=600)
        return task

    def outcomes(self, outcome: str) -> float:
        return self.metrics.registry.get_sample_value("hkexmon_parses_total", {"outcome": outcome}) or 0.0

    def requests_for(self, filing: Filing) -> int:
        path = filing.url.removeprefix(self.hk.base_url)
        return sum(1 for p in self.hk.requests if p.split("?")[0] == path)


@pytest.fixture
def reading(redis_url: str) -> Iterator[Reading]:
    with HKEXnewsStandIn() as hk:
        settings = Settings.model_validate({
            "watch": [{"code": "2512"}],
            "hkexnews": {"base_url": hk.base_url, "min_request_interval_s": 0, "retries": 0, "backoff_s": 0},
            "store": {"url": redis_url, "namespace": "reader", "lease_s": LEASE_S},
            "daemon": {"download_give_up_s": GIVE_UP_S},
        })
        metrics = Metrics()
        store = open_store(redis_url, namespace="reader")
        client = HKEXnewsClient(settings.hkexnews, metrics)
        clock = Clock()

        def make_reader(parse: ParseFn = parse_here, *, on: Store | None = None,
                        stop: threading.Event | None = None) -> DocumentReader:
            return DocumentReader(settings, on or store, client, metrics, parse, consumer=CONSUMER, stop=stop,
                                  clock=clock)

        yield Reading(hk, store, metrics, clock, make_reader)
        client.close()
        store.close()


def settled(store: Store) -> bool:
    backlog = store.document_backlog()
    return backlog.waiting == backlog.in_progress == 0


# -- figures ------------------------------------------------------------------------------------------
def test_a_results_document_is_read_and_its_figures_stored(reading: Reading) -> None:
    filing = reading.publish(13100001, CLOUD_FACTORY, FilingKind.INTERIM_RESULTS)
    assert reading.store.submit_document(filing, "results")
    told: list[Filing] = []
    assert reading.make_reader().read_documents(then=told.append) == 1
    assert told == [filing]  # the caller hears at once, to deliver the filing's alerts
    report = reading.store.get_report(filing.id)
    assert report is not None and report["document"] == "results"
    assert report["metrics"]["revenue"]["current"] == 406_759_000  # RMB'000 406,759 in the document
    assert report == {"document": "results", **parse_here(CLOUD_FACTORY, "results")}
    assert settled(reading.store) and reading.outcomes("ok") == 1
    assert reading.metrics.registry.get_sample_value("hkexmon_parse_seconds_count") == 1
    assert reading.make_reader().read_documents() == 0  # nothing left


# -- download errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["gone", "another host"])
def test_a_document_that_will_never_be_served_is_settled_at_once(reading: Reading, where: str) -> None:
    url = "https://files.example.com/2512.pdf" if where == "another host" else None
    filing = reading.publish(13100011, None, FilingKind.INTERIM_RESULTS, url=url)
    task = reading.submit(filing, "results")
    assert reading.make_reader().read(task) is True  # the clock says it was submitted just now
    report = reading.store.get_report(filing.id)
    assert report is not None and report["document"] == "results"
    assert report["error"].startswith("the document cannot be downloaded: ")
    assert reading.outcomes("unavailable") == 1 and settled(reading.store)
    assert reading.requests_for(filing) == (1 if where == "gone" else 0)  # asked once, or not at all


def test_a_temporary_failure_waits_for_a_later_try_then_is_given_up(reading: Reading) -> None:
    filing = reading.publish(13100021, CLOUD_FACTORY, FilingKind.INTERIM_RESULTS)
    reading.hk.fail_requests(filing.url.removeprefix(reading.hk.base_url), 500)  # until cleared
    task = reading.submit(filing, "results")
    reader = reading.make_reader()
    reading.clock.now = task.submitted_at + 60
    assert reader.read(task) is False  # not yet: HKEXnews may serve it later
    assert reading.store.get_report(filing.id) is None
    assert reading.store.document_backlog().in_progress == 1  # still queued, for the next try
    reading.clock.now = task.submitted_at + GIVE_UP_S - 1
    assert reader.read(task) is False
    reading.clock.now = task.submitted_at + GIVE_UP_S + 1
    assert reader.read(task) is True
    report = reading.store.get_report(filing.id)
    assert report is not None and "could not be downloaded for 10 minutes" in report["error"]
    assert "HTTP 500" in report["error"]
    assert reading.outcomes("gave_up") == 1 and settled(reading.store)
    assert reading.requests_for(filing) == 3


def test_a_temporary_failure_is_read_on_the_next_try(reading: Reading) -> None:
    filing = reading.publish(13100031, CLOUD_FACTORY, FilingKind.INTERIM_RESULTS)
    reading.hk.fail_requests(filing.url.removeprefix(reading.hk.base_url), 500, times=1)
    assert reading.store.submit_document(filing, "results")
    reader = reading.make_reader()
    assert reader.read_documents() == 0  # failed; left in the queue, not settled
    # taken again once its lease has run out, by this reader (or any other)
    wait_for(lambda: reader.read_documents() == 1, 30, "the next try")
    report = reading.store.get_report(filing.id)
    assert report is not None and "error" not in report and report["metrics"]["revenue"]["current"] > 0
    assert settled(reading.store) and reading.requests_for(filing) == 2


def test_what_is_not_a_pdf_is_settled_without_figures(reading: Reading) -> None:
    filing = reading.publish(13100041, b"<html><body>Maintenance</body></html>", FilingKind.INTERIM_RESULTS)
    assert reading.store.submit_document(filing, "results")
    assert reading.make_reader().read_documents() == 1
    report = reading.store.get_report(filing.id)
    assert report is not None and "expected a PDF" in report["error"]
    assert reading.outcomes("unreadable") == 1 and settled(reading.store)


def test_a_notice_filed_as_results_is_settled_as_not_results(reading: Reading) -> None:
    filing = reading.publish(13100051, MEETING_NOTICE, FilingKind.INTERIM_RESULTS, code="01688")
    assert reading.store.submit_document(filing, "results")
    assert reading.make_reader().read_documents() == 1
    report = reading.store.get_report(filing.id)
    assert report is not None and "board meeting" in report["error"]
    assert reading.outcomes("not_results") == 1 and Calendar(reading.store).entries() == []


# -- what a notice says, remembered ---------------------------------------------------------------------
def test_a_board_meeting_notice_goes_into_the_calendar(reading: Reading) -> None:
    filing = reading.publish(13100061, MEETING_NOTICE, FilingKind.BOARD_MEETING, code="01688")
    assert reading.store.submit_document(filing, "board_meeting")
    assert reading.make_reader().read_documents() == 1
    [entry] = Calendar(reading.store).entries()
    assert (entry.code, entry.meeting_date, entry.results, entry.period_end, entry.dividend) == (
        "01688", date(2025, 8, 29), "interim", date(2025, 6, 30), True)
    assert entry.filing_id == filing.id and entry.filing_url == filing.url
    report = reading.store.get_report(filing.id)
    assert report is not None and report["document"] == "board_meeting"
    assert report["meeting_date"] == "2025-08-29"


def test_a_profit_warning_is_kept_for_the_results_to_come(reading: Reading) -> None:
    filing = reading.publish(13100071, WARNING_NOTICE, FilingKind.PROFIT_WARNING)
    assert reading.store.submit_document(filing, "profit_warning")
    assert reading.make_reader().read_documents() == 1
    kept = reading.store.records(RecordKind.WARNING)
    assert list(kept) == [f"02512:{filing.id}"]
    record = kept[f"02512:{filing.id}"]
    assert record["filing_id"] == filing.id and record["released_at"] == filing.released_at.isoformat()
    warning = record["warning"]
    assert (warning["low"], warning["high"], warning["currency"], warning["prior"]) == (
        14_000_000.0, None, "RMB", 12_500_000.0)
    assert warning["period_end"] == "2025-06-30"
    assert Calendar(reading.store).entries() == []


def test_a_notice_the_calendar_cannot_take_still_counts_as_read(reading: Reading,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    def odd_notice(data: bytes, reader: str) -> dict[str, Any]:
        # a date written in a way the calendar cannot read
        return {"meeting_date": "29/08/2025", "results": "interim", "notes": []}

    filing = reading.publish(13100081, MEETING_NOTICE, FilingKind.BOARD_MEETING, code="01688")
    assert reading.store.submit_document(filing, "board_meeting")
    with caplog.at_level(logging.ERROR, logger="monitor.documents.reader"):
        assert reading.make_reader(odd_notice).read_documents() == 1
    assert reading.store.get_report(filing.id) == {"document": "board_meeting", **odd_notice(b"", "")}
    assert Calendar(reading.store).entries() == [] and settled(reading.store)
    assert f"could not record what {filing.id} says" in caplog.text  # the alert is not held back by it


# -- the lease, and a stop ----------------------------------------------------------------------------
class CountedRenewals:
    """The store as the reader sees it, counting lease renewals (each goes to the real store)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.renewed = 0

    def renew_document(self, task: DocumentTask, consumer: str) -> None:
        self.store.renew_document(task, consumer)
        self.renewed += 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_the_lease_is_kept_while_a_long_document_is_read(reading: Reading, redis_url: str) -> None:
    filing = reading.publish(13100091, CLOUD_FACTORY, FilingKind.INTERIM_RESULTS)
    counted = CountedRenewals(reading.store)
    other = open_store(redis_url, namespace="reader")
    taken_by_other: list[DocumentTask] = []

    def slow_parse(data: bytes, reader: str) -> dict[str, Any]:
        def renewed_past_several_leases() -> bool:
            taken_by_other.extend(other.take_documents("reader-2", 1, reclaim_idle_s=LEASE_S))
            return counted.renewed >= 6  # every half second: three lease lengths
        wait_for(renewed_past_several_leases, 60, "renewals while the document is read")
        return parse_here(data, reader)

    try:
        assert reading.store.submit_document(filing, "results")
        assert reading.make_reader(slow_parse, on=counted).read_documents() == 1
    finally:
        other.close()
    assert taken_by_other == []  # never taken over while it was being read
    assert settled(reading.store) and reading.store.get_report(filing.id) is not None


def test_a_stop_during_a_parse_hands_the_document_back(reading: Reading, redis_url: str) -> None:
    stop = threading.Event()

    def cut_short(data: bytes, reader: str) -> dict[str, Any]:
        stop.set()  # the daemon is stopping: the pool ends the parse in flight
        raise DocumentError("the parse pool was closed while it was reading this document")

    filing = reading.publish(13100101, CLOUD_FACTORY, FilingKind.INTERIM_RESULTS)
    task = reading.submit(filing, "results")
    assert reading.make_reader(cut_short, stop=stop).read(task) is False
    assert reading.store.get_report(filing.id) is None and reading.outcomes("failed") == 0
    other = open_store(redis_url, namespace="reader")
    try:
        [again] = other.take_documents("reader-2", 1, reclaim_idle_s=600)  # at once, not after a lease
    finally:
        other.close()
    assert again.filing.id == filing.id


def test_an_interrupted_read_hands_the_document_back(reading: Reading, redis_url: str) -> None:
    def interrupted(data: bytes, reader: str) -> dict[str, Any]:
        raise KeyboardInterrupt

    filing = reading.publish(13100111, CLOUD_FACTORY, FilingKind.INTERIM_RESULTS)
    task = reading.submit(filing, "results")
    with pytest.raises(KeyboardInterrupt):
        reading.make_reader(interrupted).read(task)
    other = open_store(redis_url, namespace="reader")
    try:
        [again] = other.take_documents("reader-2", 1, reclaim_idle_s=600)
    finally:
        other.close()
    assert again.filing.id == filing.id and reading.store.get_report(filing.id) is None


def test_a_stopped_reader_takes_nothing(reading: Reading) -> None:
    stop = threading.Event()
    stop.set()
    filing = reading.publish(13100121, CLOUD_FACTORY, FilingKind.INTERIM_RESULTS)
    assert reading.store.submit_document(filing, "results")
    assert reading.make_reader(stop=stop).read_documents() == 0
    assert reading.store.document_backlog().waiting == 1
