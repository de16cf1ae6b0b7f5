"""Open a PDF and read it cheaply with pdfium: plain text per page (fast, used to find things), and
positioned words (``parsers.layout``) only for the few pages that hold the statements.

Library errors are translated here, once, into UnreadablePdfError with a message a user can act on.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdfium2 as pdfium

from parsers.errors import UnreadablePdfError
from parsers.layout import page_lines
from parsers.rows import Line

MAX_BYTES = 80 * 1024 * 1024
MIN_TEXT_CHARS = 200  # below this over the first pages, the PDF is a scan with no text layer


def read_source(source: bytes | str | os.PathLike[str]) -> bytes:
    """The PDF's bytes, from bytes or a path; checks size and the %PDF header. The messages do not
    repeat the file's name: the caller, which knows it, says it once."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise UnreadablePdfError(f"cannot read it: {exc.strerror or exc}") from exc
        if size > MAX_BYTES:
            raise UnreadablePdfError(_too_large(size))
        data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise UnreadablePdfError(_too_large(len(data)))
    if b"%PDF-" not in data[:1024]:
        head = data[:16].decode("latin-1", "replace")
        raise UnreadablePdfError(f"not a PDF (it starts with {head!r}, not %PDF-)")
    return data


def _too_large(size: int) -> str:
    return f"it is {size / 1e6:.0f} MB, over the {MAX_BYTES // 1_000_000} MB limit"


class PdfSource:
    """One opened PDF. Page text is read lazily and cached; close() releases pdfium."""

    def __init__(self, data: bytes, *, max_pages: int | None = None) -> None:
        try:
            self._pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            message = str(exc).lower()
            if "password" in message:
                raise UnreadablePdfError("the PDF is encrypted (password protected) and cannot be "
                                         "read") from exc
            raise UnreadablePdfError(f"the PDF is damaged or truncated and cannot be opened ({exc})") from exc
        self._data = data
        total = len(self._pdf)
        if total == 0:
            self._pdf.close()
            raise UnreadablePdfError("the PDF has no pages (damaged or truncated)")
        self.page_count = min(total, max_pages) if max_pages else total
        self._texts: dict[int, str] = {}
        self._lines: dict[int, tuple[list[Line], float]] = {}

    def close(self) -> None:
        self._pdf.close()

    def __enter__(self) -> PdfSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def text(self, index: int) -> str:
        """Plain text of page ``index`` (0-based), as pdfium extracts it."""
        if index not in self._texts:
            try:
                page = self._pdf[index]
                textpage = page.get_textpage()
                self._texts[index] = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
                textpage.close()
                page.close()
            except pdfium.PdfiumError as exc:
                raise UnreadablePdfError(f"page {index + 1} of the PDF cannot be read ({exc})") from exc
        return self._texts[index]

    def text_once(self, index: int) -> str:
        """Plain text of page ``index`` with a glyph drawn several times at one place (fake bold, a
        stray overdrawn copy of a word) kept once (``parsers.overdraw``): what a reader sees."""
        from parsers.overdraw import text_once

        try:
            page = self._pdf[index]
            textpage = page.get_textpage()
            try:
                return text_once(textpage)
            finally:
                textpage.close()
                page.close()
        except pdfium.PdfiumError as exc:
            raise UnreadablePdfError(f"page {index + 1} of the PDF cannot be read ({exc})") from exc

    def bookmarks(self) -> list[tuple[str, int]]:
        """The PDF's bookmarks (outline) as (title, 0-based page index), in order; [] when it has none."""
        found: list[tuple[str, int]] = []
        try:
            for bookmark in self._pdf.get_toc(max_depth=2):
                dest = bookmark.get_dest()
                index = dest.get_index() if dest is not None else None
                if index is not None and 0 <= index < self.page_count:
                    found.append((bookmark.get_title(), index))
        except (pdfium.PdfiumError, ValueError):
            return []
        return found

    def require_text(self) -> None:
        """Raise when the first pages carry no text: an image-only scan we cannot read without OCR."""
        # The document's first five pages, however few ``max_pages`` opened: a report whose cover and
        # inside cover are images still has text on the pages after them.
        sample = "".join("".join(self.text(i).split()) for i in range(min(len(self._pdf), 5)))
        # A Chinese character carries about what an English word does: a short Chinese notice has text.
        if len(sample) + 2 * len(re.findall(r"[\u3400-\u9fff]", sample)) < MIN_TEXT_CHARS:
            raise UnreadablePdfError("the PDF has no text layer (an image-only scan?); it cannot be parsed "
                                "without OCR")

    def lines(self, index: int) -> tuple[list[Line], float]:
        """Positioned lines of page ``index`` and the page width, rebuilt from glyph positions."""
        if index not in self._lines:
            try:
                page = self._pdf[index]
                try:
                    self._lines[index] = page_lines(page, index + 1)
                finally:
                    page.close()
            except pdfium.PdfiumError as exc:
                raise UnreadablePdfError(f"page {index + 1} of the PDF cannot be read ({exc})") from exc
        return self._lines[index]

    def layout_text(self, index: int) -> str:
        """Page text in reading order rebuilt from positions: for pages whose drawing order is not
        their reading order (typeset one character at a time), where ``text`` comes out scrambled."""
        return "\n".join(line.text for line in self.lines(index)[0])
