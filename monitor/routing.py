"""Where a filing goes and what is read of it: the channels that hear about it (one per watch
that asked for its kind) and the reader of its document, if the alert needs one."""

from __future__ import annotations

from monitor.filing import Filing, FilingKind
from monitor.settings import Settings, Watch
from parsers.kinds import DocumentKind

# The reader of each kind of filing whose document is read (others are alerted without reading).
READERS: dict[FilingKind, DocumentKind] = {
    FilingKind.FINAL_RESULTS: DocumentKind.RESULTS,
    FilingKind.INTERIM_RESULTS: DocumentKind.RESULTS,
    FilingKind.QUARTERLY_RESULTS: DocumentKind.RESULTS,
    FilingKind.PROFIT_WARNING: DocumentKind.PROFIT_WARNING,
    FilingKind.BOARD_MEETING: DocumentKind.BOARD_MEETING,
    FilingKind.RESULTS_DELAY: DocumentKind.BOARD_MEETING,
}


def reader_for(filing: Filing) -> DocumentKind | None:
    """Which reader reads this filing's document, or None when its alert needs no figures."""
    return READERS.get(filing.kind)


def wants(watch: Watch, filing: Filing) -> bool:
    """Whether this watch asked to hear about this kind of filing (``Watch.kinds``)."""
    return filing.kind.value in watch.kinds


def routes(settings: Settings, filing: Filing) -> set[str]:
    """The channels this filing goes to: one per watch that wants it, deduplicated."""
    channels = set()
    for code in filing.stock_codes:
        watch = settings.watch_for(code)
        if watch is not None and wants(watch, filing):
            channels.add(settings.channel_for(watch))
    return channels
