"""Documents that cannot be parsed fail with UnreadablePdfError / WrongDocumentError and a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from parsers.errors import ParseError, UnreadablePdfError, WrongDocumentError
from parsers.results import parse_results

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _pdf(write_text: bool = True, **encryption: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    if encryption:
        pdf.set_encryption(**encryption)
    if write_text:
        for _ in range(12):
            pdf.multi_cell(0, 6, "The Board announces that the Company has entered into a connected "
                                 "transaction "
                                 "for the lease of office premises. Shareholders should exercise caution.",
                           new_x="LMARGIN", new_y="NEXT")
    else:
        for i in range(20):
            pdf.rect(20 + i * 5, 20 + i * 5, 30, 30, style="F")
    return bytes(pdf.output())


def test_not_a_pdf() -> None:
    with pytest.raises(UnreadablePdfError, match="not a PDF"):
        parse_results(b"<html><body>Not found</body></html>")


def test_empty_bytes() -> None:
    with pytest.raises(UnreadablePdfError, match="not a PDF"):
        parse_results(b"")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadablePdfError, match="cannot read"):
        parse_results(tmp_path / "nope.pdf")


def test_truncated_pdf() -> None:
    data = (FIXTURES / "2512-cloud-factory-interim-2025.pdf").read_bytes()
    with pytest.raises(ParseError) as caught:
        parse_results(data[: len(data) // 3])
    assert not isinstance(caught.value, WrongDocumentError) or "results" in str(caught.value)


def test_corrupt_pdf() -> None:
    with pytest.raises(UnreadablePdfError, match="damaged|truncated|no text"):
        parse_results(b"%PDF-1.7\n" + b"\x00garbage" * 200)


def test_encrypted_pdf() -> None:
    with pytest.raises(UnreadablePdfError, match="encrypted"):
        parse_results(_pdf(owner_password="owner", user_password="secret"))


def test_image_only_pdf() -> None:
    with pytest.raises(UnreadablePdfError, match="no text layer"):
        parse_results(_pdf(write_text=False))


def test_readable_but_not_results() -> None:
    with pytest.raises(WrongDocumentError, match="no income statement"):
        parse_results(_pdf())


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import parsers.document as document

    monkeypatch.setattr(document, "MAX_BYTES", 1000)
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b" " * 2000)
    with pytest.raises(ParseError, match="limit"):
        parse_results(path)


def test_max_pages_limits_the_search() -> None:
    with pytest.raises(WrongDocumentError):
        parse_results(FIXTURES / "0020-sensetime-interim-2025.pdf", max_pages=5)
