"""Positioned words from pdfium's characters: lines by vertical position, words by horizontal gaps.

The order in which a PDF draws its characters is not the reading order (a page can be typeset one
character at a time, in any order), so lines and words are rebuilt from where each glyph sits, never
from the content stream. Glyph boxes are pdfium's "loose" boxes (the font's advance box), which touch
within a word however the text was kerned: "(576,79" and "0)" drawn apart by a kerning adjustment are
one word, while a space, or a gap of a space's width, separates two.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.rows import Line, Word

_WORD_GAP = 0.15  # a gap wider than this share of the glyph height separates words
_SAME_LINE = 0.4  # glyph centres closer than this share of the height sit on one line


@dataclass(frozen=True)
class _Glyph:
    char: str
    left: float
    right: float
    bottom: float
    top: float

    @property
    def middle(self) -> float:
        return (self.bottom + self.top) / 2

    @property
    def height(self) -> float:
        return self.top - self.bottom


def _glyphs(textpage: pdfium.PdfTextPage) -> list[_Glyph]:
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    text = textpage.get_text_range() if count > 0 else ""
    exact = len(text) == count
    box = pdfium_c.FS_RECTF()
    glyphs: list[_Glyph] = []
    for index in range(count):
        char = text[index] if exact else chr(pdfium_c.FPDFText_GetUnicode(handle, index))
        if char in "\r\n\x02\ufffe" or pdfium_c.FPDFText_IsGenerated(handle, index):
            continue  # pdfium's own guesses at spaces and line ends; the geometry decides here
        if not pdfium_c.FPDFText_GetLooseCharBox(handle, index, box):
            continue
        if box.top - box.bottom <= 0:
            continue
        glyphs.append(_Glyph(char, box.left, box.right, box.bottom, box.top))
    return glyphs


def _rows(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Glyphs grouped into lines, top of the page first, each left to right."""
    rows: list[list[_Glyph]] = []
    middles: list[float] = []
    for glyph in sorted(glyphs, key=lambda g: -g.middle):
        if rows and abs(middles[-1] - glyph.middle) <= _SAME_LINE * min(glyph.height, rows[-1][0].height):
            rows[-1].append(glyph)
            continue
        rows.append([glyph])
        middles.append(glyph.middle)
    return [sorted(row, key=lambda g: g.left) for row in rows]


def _words(row: list[_Glyph], left: float, top: float) -> list[Word]:
    """Words of one line, in coordinates from the page's top left corner."""
    words: list[Word] = []
    chars: list[_Glyph] = []

    def close() -> None:
        if chars:
            words.append(Word("".join(g.char for g in chars), chars[0].left - left, chars[-1].right - left,
                              top - max(g.top for g in chars)))
            chars.clear()

    for glyph in row:
        if glyph.char.isspace():
            close()
            continue
        if chars:
            last = chars[-1]
            if glyph.char == last.char and glyph.left - last.left < 0.3 * (last.right - last.left):
                continue  # the same glyph drawn twice (simulated bold)
            if glyph.left - last.right > _WORD_GAP * max(glyph.height, last.height):
                close()
        chars.append(glyph)
    close()
    return words


def page_lines(page: pdfium.PdfPage, page_number: int) -> tuple[list[Line], float]:
    """The page's lines of positioned words (top-down coordinates, as pdfplumber gives them) and its width."""
    # Glyph boxes are in the page's own (unrotated) space: measure the page there too, not as displayed.
    left, bottom, right, top = page.get_bbox()
    width = right - left
    textpage = page.get_textpage()
    try:
        glyphs = _glyphs(textpage)
    finally:
        textpage.close()
    # Text outside the page box (a hidden copy of a title, a printer's mark) is not on the page.
    glyphs = [g for g in glyphs if g.top > bottom and g.bottom < top and g.right > left and g.left < right]
    lines = []
    for row in _rows(glyphs):
        words = _words(row, left, top)
        if words:
            lines.append(Line(tuple(words), page_number))
    return lines, float(width)
