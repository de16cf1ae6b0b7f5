"""Read any document the product understands, saying what kind it is: ``read_document``.

The kind comes from the title (``parsers.kinds.identify``); a document whose title says nothing
is tried by each reader in turn (results first: a statement with figures is unmistakable). A kind
the product recognises but does not read (a prospectus, a circular, an AGM notice) is answered as
that kind with the reason, never read as another. ``Reading.to_json_dict`` is the shape
``hkex-monitor parse --json`` prints: ``"kind"`` and that kind's fields (README, "parse --json").
Pure: bytes or a path in, no network, no clock.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from parsers.document import PdfSource, read_source
from parsers.errors import WrongDocumentError
from parsers.kinds import DocumentKind, identify
from parsers.notices import BoardMeetingNotice, ProfitWarning
from parsers.report import ResultsReport

Record = ResultsReport | BoardMeetingNotice | ProfitWarning
_TITLE_PAGES = 2  # the title block is on the first page; a cover page pushes it to the second


@dataclass(frozen=True)
class Reading:
    """What a document is and, for the kinds that are read, what it says.

    ``record`` is None for a kind that is recognised and not read; ``reason`` then says why
    nothing was read (e.g. "a prospectus or listing document (title 'GLOBAL OFFERING')")."""

    kind: DocumentKind
    record: Record | None = None
    title: str | None = None
    reason: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """One JSON object: ``kind``, then the record's fields (results: ``results`` is the kind of
        results, interim/final/quarterly, which the record itself calls ``kind``)."""
        out: dict[str, Any] = {"kind": self.kind.value}
        if isinstance(self.record, ResultsReport):
            fields = self.record.to_json_dict()
            fields["results"] = fields.pop("kind")
            out.update(fields)
        elif self.record is not None:
            fields = self.record.to_json_dict()
            fields.pop("is_delay", None)  # said by "kind"
            out.update(fields)
        if self.title is not None:
            out["title"] = self.title
        if self.reason is not None:
            out["reason"] = self.reason
        return out


def _results(data: bytes) -> Record:
    from parsers.results import parse_results

    return parse_results(data)


def _board_meeting(data: bytes) -> Record:
    from parsers.board_meeting import parse_board_meeting

    return parse_board_meeting(data)


def _profit_warning(data: bytes) -> Record:
    from parsers.profit_warning import parse_profit_warning

    return parse_profit_warning(data)


# The reader of each kind that is read (a delay notice is read by the board-meeting reader).
READERS: dict[DocumentKind, Callable[[bytes], Record]] = {
    DocumentKind.RESULTS: _results,
    DocumentKind.BOARD_MEETING: _board_meeting,
    DocumentKind.DELAY: _board_meeting,
    DocumentKind.PROFIT_WARNING: _profit_warning,
}
# Untitled documents: tried in this order; the first reader that accepts the document wins.
UNTITLED_ORDER = (DocumentKind.RESULTS, DocumentKind.PROFIT_WARNING, DocumentKind.BOARD_MEETING)


def _kind_of(record: Record) -> DocumentKind:
    if isinstance(record, ResultsReport):
        return DocumentKind.RESULTS
    if isinstance(record, ProfitWarning):
        return DocumentKind.PROFIT_WARNING
    return DocumentKind.DELAY if record.is_delay else DocumentKind.BOARD_MEETING


def title_text(data: bytes) -> str:
    """The plain text of the first pages, where the title stands (a fake-bold title kept once)."""
    with PdfSource(data, max_pages=_TITLE_PAGES) as pdf:
        pdf.require_text()
        return "\n".join(pdf.text_once(i) for i in range(pdf.page_count))


def read_document(source: bytes | str | os.PathLike[str]) -> Reading:
    """What the document is, and what it says when it is a kind the product reads.

    Raises UnreadablePdfError for bytes that are not a readable PDF with text. A readable document
    of no kind the product reads is a ``Reading`` with ``record`` None, never an error."""
    data = read_source(source)
    found = identify(title_text(data))
    if found.kind is not None and not found.kind.is_read:
        return Reading(found.kind, title=found.title,
                       reason=f"{found.kind.description} (title {found.title!r}): not read")
    order = [found.kind] if found.kind is not None else list(UNTITLED_ORDER)
    refusals: list[str] = []
    for kind in order:  # grows when a reader says the document is another kind that is read
        try:
            record = READERS[kind](data)
        except WrongDocumentError as exc:
            other = DocumentKind(exc.kind) if exc.kind is not None else None
            if other is not None and other is not kind:
                if not other.is_read:
                    return Reading(other, title=found.title, reason=str(exc))
                if other not in order:
                    order.append(other)
            refusals.append(str(exc))
            continue
        return Reading(_kind_of(record), record, title=found.title)
    kind = found.kind or DocumentKind.OTHER
    return Reading(kind, title=found.title, reason="; ".join(refusals) or "no reader accepted it")
