"""The delivery loop's log line counts first notices and keeps alerts whose first notice is up apart
from those nothing was posted for (BENCHMARKS.md "Findings" 12: a run that had posted every first
notice logged hundreds "pending")."""

from __future__ import annotations

from monitor.daemon.loops import delivery_line
from monitor.delivery import DeliveryOutcome


def test_first_notices_are_counted_and_awaiting_figures_is_not_pending() -> None:
    line = delivery_line(DeliveryOutcome(sent=1, failed=0, skipped=0, pending=5, announced=3, awaiting=3))
    assert line == ("1 sent, 3 first notices posted, 0 not sent, 2 pending, "
                    "3 posted and awaiting their figures")


def test_a_round_without_first_notices_reads_as_before() -> None:
    assert delivery_line(DeliveryOutcome(sent=2, failed=1, skipped=0, pending=1)) == \
        "2 sent, 1 not sent, 1 pending"
    one = DeliveryOutcome(sent=0, failed=0, skipped=0, pending=1, announced=1, awaiting=1)
    assert delivery_line(one) == \
        "0 sent, 1 first notice posted, 0 not sent, 0 pending, 1 posted and awaiting its figures"
