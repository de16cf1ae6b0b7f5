"""Which alerts share a message, and in what order messages go: a filing whose document is read
(results, warnings, notices), a reply in a thread, and every message that is not a filing's get a
message each; other filings of one stock are listed together in one message per channel, a burst
becoming one message."""

from __future__ import annotations

from monitor.filing import FilingKind
from monitor.store import AlertKind, PendingAlert

MAX_PER_MESSAGE = 50  # filings listed in one grouped message (its metadata carries every id)
OWN_MESSAGE_KINDS = frozenset({
    FilingKind.FINAL_RESULTS, FilingKind.INTERIM_RESULTS, FilingKind.QUARTERLY_RESULTS,
    FilingKind.PROFIT_WARNING, FilingKind.BOARD_MEETING, FilingKind.RESULTS_DELAY,
})


def needs_own_message(alert: PendingAlert) -> bool:
    if alert.kind != AlertKind.FILING or alert.filing is None:
        return True
    return alert.filing.kind in OWN_MESSAGE_KINDS or "thread_of" in alert.data


def group_alerts(alerts: list[PendingAlert]) -> list[list[PendingAlert]]:
    """One message per alert that needs its own; other filings per (channel, first stock code);
    newest first: what has just been found goes out before a backlog drains (a burst of first
    notices, or of figures, must not hold back the filing that appeared after it). Figures for a
    first notice already posted (a ``chat.update``, which Slack does not pace per channel) go before
    every new post, so they do not wait behind posts that wait for their channel's turn."""
    groups: dict[tuple[str, ...], list[PendingAlert]] = {}
    for a in alerts:
        if needs_own_message(a):
            key: tuple[str, ...] = ("own", a.id, a.channel)
        else:
            assert a.filing is not None
            key = ("filings", a.channel, next(iter(a.filing.stock_codes), ""))
        groups.setdefault(key, []).append(a)
    out: list[list[PendingAlert]] = []
    for group in groups.values():
        out.extend(group[i:i + MAX_PER_MESSAGE] for i in range(0, len(group), MAX_PER_MESSAGE))
    return sorted(out, key=lambda g: (is_update(g), max(a.enqueued_at for a in g)), reverse=True)


def is_update(group: list[PendingAlert]) -> bool:
    """Whether this message edits a first notice already posted (its figures), rather than posting."""
    return all(a.announced_ts is not None for a in group)
