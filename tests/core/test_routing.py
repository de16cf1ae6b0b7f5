"""Where a filing goes and what is read of it (``monitor.routing``): the channels whose watch asked
for its kind, one each, the whole-market watch for stocks without one of their own, and the reader
of each kind of document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from monitor.filing import Filing, FilingKind
from monitor.routing import READERS, reader_for, routes, wants
from monitor.settings import Settings, Watch
from parsers.kinds import DocumentKind

MakeFiling = Callable[..., Filing]


def settings(*watches: dict[str, Any], default_channel: str = "#hkex-filings") -> Settings:
    return Settings.model_validate({"watch": list(watches), "slack": {"default_channel": default_channel}})


# -- reader_for -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("kind", "reader"), [
    (FilingKind.FINAL_RESULTS, DocumentKind.RESULTS),
    (FilingKind.INTERIM_RESULTS, DocumentKind.RESULTS),
    (FilingKind.QUARTERLY_RESULTS, DocumentKind.RESULTS),
    (FilingKind.PROFIT_WARNING, DocumentKind.PROFIT_WARNING),
    (FilingKind.BOARD_MEETING, DocumentKind.BOARD_MEETING),
    (FilingKind.RESULTS_DELAY, DocumentKind.BOARD_MEETING),  # the notice reader reads delays too
    (FilingKind.DIVIDEND, None),
    (FilingKind.MONTHLY_RETURN, None),
    (FilingKind.NEXT_DAY_DISCLOSURE, None),
    (FilingKind.FINANCIAL_REPORT, None),
    (FilingKind.OTHER, None),
])
def test_reader_for_each_kind(kind: FilingKind, reader: DocumentKind | None,
                              make_filing: MakeFiling) -> None:
    assert reader_for(make_filing(kind=kind)) is reader


def test_every_reader_named_is_one_the_parse_workers_have() -> None:
    from monitor.documents.parseworker import PARSERS

    assert {r.value for r in READERS.values()} <= set(PARSERS)


# -- wants ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("alert_on", "wanted"), [
    ("results", {FilingKind.FINAL_RESULTS, FilingKind.INTERIM_RESULTS, FilingKind.QUARTERLY_RESULTS,
                 FilingKind.PROFIT_WARNING}),
    ("all", set(FilingKind)),
    (["board_meeting", "results_delay"], {FilingKind.BOARD_MEETING, FilingKind.RESULTS_DELAY}),
    (["results"], {FilingKind.FINAL_RESULTS, FilingKind.INTERIM_RESULTS, FilingKind.QUARTERLY_RESULTS}),
    (["other", "dividend"], {FilingKind.OTHER, FilingKind.DIVIDEND}),
])
def test_wants_exactly_the_kinds_the_watch_names(alert_on: object, wanted: set[FilingKind],
                                                 make_filing: MakeFiling) -> None:
    watch = Watch.model_validate({"code": "20", "alert_on": alert_on})
    assert {k for k in FilingKind if wants(watch, make_filing(kind=k))} == wanted


# -- routes -----------------------------------------------------------------------------------------
def test_one_channel_per_watch_that_wants_the_filing(make_filing: MakeFiling) -> None:
    s = settings({"code": "20", "channel": "#sensetime", "alert_on": "all"},
                 {"code": "2512", "channel": "#results"})
    both = make_filing(codes=("00020", "02512"), kind=FilingKind.INTERIM_RESULTS)
    assert routes(s, both) == {"#sensetime", "#results"}
    other = make_filing(codes=("00020", "02512"), kind=FilingKind.OTHER)  # 2512 asked for results only
    assert routes(s, other) == {"#sensetime"}


def test_two_watches_on_one_channel_give_one_route(make_filing: MakeFiling) -> None:
    s = settings({"code": "20", "alert_on": "all"}, {"code": "80020", "alert_on": "all"})
    assert routes(s, make_filing(codes=("00020", "80020"), kind=FilingKind.OTHER)) == {"#hkex-filings"}


def test_a_watch_without_a_channel_uses_the_default(make_filing: MakeFiling) -> None:
    s = settings({"code": "20"}, default_channel="#everything")
    assert routes(s, make_filing(kind=FilingKind.FINAL_RESULTS)) == {"#everything"}


def test_unwatched_stocks_and_unwanted_kinds_go_nowhere(make_filing: MakeFiling) -> None:
    s = settings({"code": "20"})
    assert routes(s, make_filing(codes=("00700",), kind=FilingKind.FINAL_RESULTS)) == set()
    assert routes(s, make_filing(kind=FilingKind.BOARD_MEETING)) == set()  # "results" does not ask for it
    assert routes(settings(), make_filing()) == set()


def test_the_whole_market_watch_takes_every_stock_without_a_watch_of_its_own(make_filing: MakeFiling) -> None:
    s = settings({"code": "*", "channel": "#market", "alert_on": "all"},
                 {"code": "2512", "channel": "#results"})
    assert routes(s, make_filing(codes=("00700",), kind=FilingKind.OTHER)) == {"#market"}
    assert routes(s, make_filing(codes=("08321",), kind=FilingKind.BOARD_MEETING)) == {"#market"}
    # A stock's own watch decides for it, even where the whole-market watch would have wanted more.
    assert routes(s, make_filing(codes=("02512",), kind=FilingKind.OTHER)) == set()
    assert routes(s, make_filing(codes=("02512",), kind=FilingKind.FINAL_RESULTS)) == {"#results"}
    # A filing of a watched stock and another stock: the other goes through the whole-market watch.
    assert routes(s, make_filing(codes=("02512", "00700"), kind=FilingKind.FINAL_RESULTS)) == {
        "#results", "#market"}


def test_the_whole_market_watch_keeps_its_kinds(make_filing: MakeFiling) -> None:
    s = settings({"code": "*", "alert_on": ["profit_warning"]})
    assert routes(s, make_filing(codes=("00700",), kind=FilingKind.PROFIT_WARNING)) == {"#hkex-filings"}
    assert routes(s, make_filing(codes=("00700",), kind=FilingKind.FINAL_RESULTS)) == set()
