"""Positioned words from glyph boxes: lines and words from where glyphs sit, not the drawing order."""

from __future__ import annotations

import random
from pathlib import Path

import pypdfium2 as pdfium
from fpdf import FPDF

from parsers.layout import page_lines


def _lines(pdf: FPDF, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "page.pdf"
    pdf.output(str(path))
    doc = pdfium.PdfDocument(path)
    try:
        lines, _width = page_lines(doc[0], 1)
    finally:
        doc.close()
    return [[word.text for word in line.words] for line in lines]


def _page() -> FPDF:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    return pdf


def test_words_split_at_spaces_and_gaps_not_at_kerning(tmp_path: Path) -> None:
    pdf = _page()
    pdf.text(20, 30, "Cost of sales")
    width = pdf.get_string_width("(576,79")
    pdf.text(120, 30, "(576,79")
    pdf.text(120 + width + 0.2, 30, "0)")  # 0.2 mm: a kerning adjustment, not a space
    pdf.text(20, 40, "Gross")
    pdf.text(20 + pdf.get_string_width("Gross ") + 0.5, 40, "profit")  # a gap a space wide, no space glyph
    assert _lines(pdf, tmp_path) == [["Cost", "of", "sales", "(576,790)"], ["Gross", "profit"]]


def test_drawing_order_does_not_matter(tmp_path: Path) -> None:
    pdf = _page()
    glyphs = []
    for y, text in ((30, "Revenue 406,759"), (40, "Gross profit 47,690")):
        x = 20.0
        for char in text:
            glyphs.append((x, y, char))
            x += pdf.get_string_width(char)
    random.Random(3).shuffle(glyphs)
    for x, y, char in glyphs:
        if char != " ":
            pdf.text(x, y, char)
    assert _lines(pdf, tmp_path) == [["Revenue", "406,759"], ["Gross", "profit", "47,690"]]


def test_text_off_the_page_and_glyphs_drawn_twice(tmp_path: Path) -> None:
    pdf = _page()
    pdf.text(20, -5, "A hidden copy of the title")
    pdf.text(20, 30, "Total")
    pdf.text(20.1, 30, "Total")  # simulated bold: the same glyphs a hair apart
    assert _lines(pdf, tmp_path) == [["Total"]]
