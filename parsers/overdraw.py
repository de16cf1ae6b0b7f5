"""Page text with each glyph kept once where a PDF draws it several times at the same place.

Notices set their titles and names in a "fake bold": the same run drawn two to four times, each copy
a fraction of a point from the last. pdfium drops a copy that follows its original at once, but not
one drawn later in the content stream, which then comes out as a stray fragment (``本公司`` between
``（星`` and ``期四）``, ``會議召開日期`` after ``董事會會議召開日期``). Whether a character is such a copy is
decided here from where it sits: a glyph with the same character as one already kept, over the same
place (centres closer than a third of the glyph's size), adds nothing a reader sees. Genuinely
repeated text (二零二零年, 三十三) sits side by side and is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

_SAME_PLACE = 0.35  # centres closer than this share of the glyph's width and height: one glyph


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    width: float
    height: float

    def covers(self, other: _Box) -> bool:
        size_x = max(min(self.width, other.width), 1e-3)
        size_y = max(min(self.height, other.height), 1e-3)
        return abs(self.x - other.x) < _SAME_PLACE * size_x and abs(self.y - other.y) < _SAME_PLACE * size_y


def text_once(textpage: pdfium.PdfTextPage) -> str:
    """The page's text in pdfium's order, without the glyphs that repeat one already kept at the same
    place. pdfium's own line ends and spaces are kept (a line left empty is dropped by the reader)."""
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    if count <= 0:
        return ""
    text = textpage.get_text_range()
    exact = len(text) == count
    kept: dict[str, list[_Box]] = {}
    out: list[str] = []
    rect = pdfium_c.FS_RECTF()
    for index in range(count):
        char = text[index] if exact else chr(pdfium_c.FPDFText_GetUnicode(handle, index))
        if char.isspace() or pdfium_c.FPDFText_IsGenerated(handle, index) \
                or not pdfium_c.FPDFText_GetLooseCharBox(handle, index, rect):
            out.append(char)
            continue
        box = _Box((rect.left + rect.right) / 2, (rect.bottom + rect.top) / 2, rect.right - rect.left,
                   rect.top - rect.bottom)
        same = kept.setdefault(char, [])
        if any(other.covers(box) for other in same):
            continue
        same.append(box)
        out.append(char)
    return "".join(out).replace("\r\n", "\n").replace("\r", "\n")
