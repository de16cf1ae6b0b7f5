"""Open a PDF and read it cheaply: plain text per page from pypdfium2 (fast, used to find things),
positioned words from pdfplumber only for the few pages that hold the statements.

Library errors are translated here, once, into DocumentError with a message a user can act on.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from monitor.errors import DocumentError
from parsers.rows import Line, Word, group_lines

MAX_BYTES = 80 * 1024 * 1024
MIN_TEXT_CHARS = 200  # below this over the first pages, the PDF is a scan with no text layer


def read_source(source: bytes | str | os.PathLike[str]) -> bytes:
    """The PDF's bytes, from bytes or a path; checks size and the %PDF header."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        name = "document"
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise DocumentError(f"cannot read {path}: {exc.strerror or exc}") from exc
        if size > MAX_BYTES:
            raise DocumentError(f"{path} is {size / 1e6:.0f} MB, over the {MAX_BYTES // 1_000_000} MB limit")
        data = path.read_bytes()
        name = str(path)
    if len(data) > MAX_BYTES:
        raise DocumentError(f"{name} is {len(data) / 1e6:.0f} MB, over the {MAX_BYTES // 1_000_000} MB limit")
    if b"%PDF-" not in data[:1024]:
        head = data[:16].decode("latin-1", "replace")
        raise DocumentError(f"{name} is not a PDF (it starts with {head!r}, not %PDF-)")
    return data


class PdfSource:
    """One opened PDF. Page text is read lazily and cached; close() releases pdfium."""

    def __init__(self, data: bytes, *, max_pages: int | None = None) -> None:
        try:
            self._pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            message = str(exc).lower()
            if "password" in message:
                raise DocumentError("the PDF is encrypted (password protected) and cannot be read") from exc
            raise DocumentError(f"the PDF is damaged or truncated and cannot be opened ({exc})") from exc
        self._data = data
        total = len(self._pdf)
        if total == 0:
            self._pdf.close()
            raise DocumentError("the PDF has no pages (damaged or truncated)")
        self.page_count = min(total, max_pages) if max_pages else total
        self._texts: dict[int, str] = {}

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
                raise DocumentError(f"page {index + 1} of the PDF cannot be read ({exc})") from exc
        return self._texts[index]

    def require_text(self) -> None:
        """Raise when the first pages carry no text: an image-only scan we cannot read without OCR."""
        sample = "".join(self.text(i) for i in range(min(self.page_count, 5)))
        if len("".join(sample.split())) < MIN_TEXT_CHARS:
            raise DocumentError("the PDF has no text layer (an image-only scan?); it cannot be parsed "
                                "without OCR")

    def lines(self, index: int) -> tuple[list[Line], float]:
        """Positioned lines of page ``index`` and the page width, via pdfplumber on that page alone.

        The page is copied into a one-page PDF first, so the cost does not grow with the document."""
        single = pdfium.PdfDocument.new()
        try:
            single.import_pages(self._pdf, [index])
            buffer = io.BytesIO()
            single.save(buffer)
        except pdfium.PdfiumError as exc:
            raise DocumentError(f"page {index + 1} of the PDF cannot be read ({exc})") from exc
        finally:
            single.close()
        try:
            with pdfplumber.open(io.BytesIO(buffer.getvalue())) as pdf:
                page = pdf.pages[0]
                raw = page.extract_words(x_tolerance=1.5, y_tolerance=3, keep_blank_chars=False)
                width = float(page.width)
        except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
            raise DocumentError(f"page {index + 1} of the PDF cannot be laid out ({exc})") from exc
        words = [Word(str(w["text"]), float(w["x0"]), float(w["x1"]), float(w["top"])) for w in raw]
        return group_lines(words, index + 1), width
