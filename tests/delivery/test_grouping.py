"""Which alerts share a message, and in what order messages go (``monitor.delivery.grouping``): a filing
whose document is read, a reply in a thread and every message that is not a filing's go alone; other
filings of one stock share one message per channel, at most 50 to a message; newest first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from monitor.delivery.grouping import MAX_PER_MESSAGE, group_alerts, needs_own_message
from monitor.filing import Filing, FilingKind
from monitor.store import AlertKind, PendingAlert

MakeFiling = Callable[..., Filing]
OWN = {FilingKind.FINAL_RESULTS, FilingKind.INTERIM_RESULTS, FilingKind.QUARTERLY_RESULTS,
       FilingKind.PROFIT_WARNING, FilingKind.BOARD_MEETING, FilingKind.RESULTS_DELAY}


def alert(filing: Filing | None, *, channel: str = "#c", at: float = 0.0, kind: str = AlertKind.FILING,
          data: dict[str, Any] | None = None, aid: str | None = None) -> PendingAlert:
    return PendingAlert(id=aid or (filing.id if filing else f"{kind}:{at}"), channel=channel, kind=kind,
                        filing=filing, data=data or {}, attempts=0, last_error=None, enqueued_at=at)


def ids(groups: list[list[PendingAlert]]) -> list[list[str]]:
    return [[a.id for a in g] for g in groups]


@pytest.mark.parametrize("kind", list(FilingKind))
def test_a_filing_whose_document_is_read_has_a_message_of_its_own(kind: FilingKind,
                                                                 make_filing: MakeFiling) -> None:
    assert needs_own_message(alert(make_filing(kind=kind))) is (kind in OWN)


def test_a_reply_in_a_thread_has_a_message_of_its_own(make_filing: MakeFiling) -> None:
    assert needs_own_message(alert(make_filing(kind=FilingKind.OTHER), data={"thread_of": "2025082600001"}))


@pytest.mark.parametrize("kind", [AlertKind.OPS, AlertKind.DIGEST, AlertKind.RESULTS_DUE])
def test_messages_that_are_not_a_filings_go_alone(kind: AlertKind) -> None:
    one, two = alert(None, kind=kind, at=1), alert(None, kind=kind, at=2)
    assert needs_own_message(one)
    assert ids(group_alerts([one, two])) == [[two.id], [one.id]]


def test_other_filings_of_one_stock_share_a_message_per_channel(make_filing: MakeFiling) -> None:
    a = [alert(make_filing(f"A{i}", kind=FilingKind.OTHER), at=i) for i in range(3)]
    elsewhere = alert(make_filing("A0", kind=FilingKind.OTHER), channel="#d", at=0.5)
    other_stock = alert(make_filing("B0", codes=("00700",), kind=FilingKind.OTHER), at=1.5)
    results = alert(make_filing("R0", kind=FilingKind.INTERIM_RESULTS), at=1.7)
    groups = group_alerts([*a, elsewhere, other_stock, results])
    assert sorted(ids(groups)) == sorted([["A0", "A1", "A2"], ["A0"], ["B0"], ["R0"]])
    [shared] = [g for g in groups if len(g) == 3]
    assert {x.channel for x in shared} == {"#c"}


def test_a_filing_is_grouped_under_its_first_stock_code(make_filing: MakeFiling) -> None:
    both = alert(make_filing("X1", codes=("00020", "80020"), kind=FilingKind.OTHER), at=1)
    first_only = alert(make_filing("X2", codes=("00020",), kind=FilingKind.OTHER), at=2)
    second_first = alert(make_filing("X3", codes=("80020", "00020"), kind=FilingKind.OTHER), at=3)
    assert ids(group_alerts([both, first_only, second_first])) == [["X3"], ["X1", "X2"]]


def test_at_most_fifty_filings_to_a_message(make_filing: MakeFiling) -> None:
    n = 2 * MAX_PER_MESSAGE + 20
    burst = [alert(make_filing(f"F{i:03d}", kind=FilingKind.OTHER), at=i) for i in range(n)]
    groups = group_alerts(burst)
    assert MAX_PER_MESSAGE == 50
    assert sorted(len(g) for g in groups) == [20, 50, 50]
    assert sorted(a.id for g in groups for a in g) == [a.id for a in burst]  # each once, none lost
    # in the order enqueued inside a message; the chunk holding the newest goes first
    assert [a.id for a in groups[0]] == [f"F{i:03d}" for i in range(100, 120)]
    assert [a.id for a in groups[1]] == [f"F{i:03d}" for i in range(50, 100)]


def test_newest_first(make_filing: MakeFiling) -> None:
    old_results = alert(make_filing("R1"), at=1.0)
    others = [alert(make_filing(f"O{i}", kind=FilingKind.OTHER), at=t) for i, t in enumerate((2.0, 5.0))]
    new_results = alert(make_filing("R2"), at=4.0)
    ops = alert(None, kind=AlertKind.OPS, at=3.0, aid="ops:feed_stale:1")
    groups = group_alerts([old_results, *others, new_results, ops])
    # a group is as new as its newest alert: the burst with O1 (5.0) goes before R2 (4.0)
    assert ids(groups) == [["O0", "O1"], ["R2"], ["ops:feed_stale:1"], ["R1"]]


def test_figures_for_a_posted_first_notice_go_before_new_posts(make_filing: MakeFiling) -> None:
    """An update is not paced per channel: it must not wait behind posts waiting for their turn
    (BENCHMARKS.md "Findings" 9)."""
    posted_long_ago = replace(alert(make_filing("R1"), at=1.0), announced_ts="1.1")
    posted_later = replace(alert(make_filing("R2"), at=2.0), announced_ts="2.2")
    new_posts = [alert(make_filing(f"R{i}"), at=float(i)) for i in (3, 4)]
    groups = group_alerts([*new_posts, posted_long_ago, posted_later])
    assert ids(groups) == [["R2"], ["R1"], ["R4"], ["R3"]]


def test_nothing_to_group() -> None:
    assert group_alerts([]) == []
