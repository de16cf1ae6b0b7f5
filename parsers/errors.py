"""What the parsers raise. Parsers stand alone (they import nothing from ``monitor/``), so they keep
this small tree of their own; the monitor translates it into its own errors tree at the one place
it calls a parser (``monitor.errors.from_parse_error``).

    ParseError                  the document could not be read into what was asked
    ├── UnreadablePdfError      not a PDF, encrypted, damaged, too large, or a scan with no text
    └── WrongDocumentError      a readable document of another kind (not a results announcement,
                                not a board-meeting notice, ...); ``kind`` names it when known
"""

from __future__ import annotations


class ParseError(Exception):
    """Root of every error a parser raises on purpose; the message says what was wrong."""


class UnreadablePdfError(ParseError):
    """The bytes cannot be read as a PDF with a text layer."""


class WrongDocumentError(ParseError):
    """The PDF is readable but is not the kind of document the parser reads. ``kind`` is the
    ``parsers.kinds.DocumentKind`` value it was recognised as (None: not recognised)."""

    def __init__(self, message: str, *, kind: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
