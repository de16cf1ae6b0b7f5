"""Statement rows from positioned words: a label, an optional note, and one figure per value column.

Columns are found from where figures line up (their right edges, since statements right-align
numbers), so a "Notes" column, a stray dash or a garbled fragment left of a column is never read as
a figure. Which column is the current period comes from the year header when it says so, else the
HKEX convention: current period first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from parsers.numbers import is_note_ref, is_year, parse_figure


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float


@dataclass(frozen=True)
class Line:
    """Words on one baseline, left to right."""

    words: tuple[Word, ...]
    page: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True)
class Row:
    """One statement line: its label, and the raw figure token per value column (None if blank)."""

    label: str
    cells: tuple[str | None, ...]
    page: int
    text: str

    @property
    def has_figures(self) -> bool:
        return any(c is not None for c in self.cells)


_ALIGN = 12.0  # points a figure's right edge may sit from its column (closing brackets hang out)


def group_lines(words: Iterable[Word], page: int, tolerance: float = 3.0) -> list[Line]:
    """Words whose tops are within ``tolerance`` points form one line."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(lines[-1][0].top - word.top) <= tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [Line(tuple(sorted(ws, key=lambda w: w.x0)), page) for ws in lines]


def _is_amount(text: str) -> bool:
    value = parse_figure(text)
    return value is not None and not is_year(text) and any(ch.isdigit() for ch in text) and not (
        is_note_ref(text) and "," not in text)


def find_columns(lines: Sequence[Line], page_width: float) -> list[float]:
    """Right edges of the value columns, left to right: where many figures line up on the right."""
    edges = sorted(w.x1 for line in lines for w in line.words
                   if w.x1 > page_width * 0.4 and _is_amount(w.text))
    clusters: list[list[float]] = []
    for edge in edges:
        if clusters and edge - clusters[-1][-1] <= 6.0:
            clusters[-1].append(edge)
        else:
            clusters.append([edge])
    if not clusters:
        return []
    biggest = max(len(c) for c in clusters)
    keep = [c for c in clusters if len(c) >= max(3, biggest * 0.5)]
    columns: list[float] = []
    for cluster in sorted(keep, key=lambda c: min(c)):
        # The most common right edge sets the column: closing brackets hang a little to the right.
        counts: dict[int, int] = {}
        for x in cluster:
            counts[round(x)] = counts.get(round(x), 0) + 1
        centre = float(max(counts, key=lambda v: (counts[v], -v)))
        if not columns or centre - columns[-1] > _ALIGN * 1.5:
            columns.append(centre)
    return columns


def current_first(header: Sequence[Line], columns: Sequence[float]) -> bool:
    """Whether the first value column is the current period: yes, unless the years above the first
    two columns say the second is later (as printed "2024 2025")."""
    years: dict[int, int] = {}
    for line in header:
        for word in line.words:
            if is_year(word.text):
                for index, edge in enumerate(columns[:2]):
                    if abs(word.x1 - edge) <= _ALIGN * 1.5:
                        years.setdefault(index, int(word.text.strip(",.()")))
    return not (len(years) == 2 and years[0] < years[1])


def to_row(line: Line, columns: Sequence[float]) -> Row:
    """Split a line into label and cells; figures not aligned with a column are left out of both."""
    cells: list[str | None] = [None] * len(columns)
    label_words: list[Word] = []
    clash = False
    first_col_left = (min(columns) - 70.0) if columns else float("inf")
    previous: Word | None = None
    for word in line.words:
        figure = parse_figure(word.text)
        # A figure glued to digits on its left is a fragment of a garbled number ("2,7 10").
        glued = previous is not None and word.x0 - previous.x1 < 4 and any(c.isdigit() for c in previous.text)
        previous = word
        target = None
        if figure is not None:
            near = [i for i, edge in enumerate(columns) if abs(word.x1 - edge) <= _ALIGN]
            target = near[0] if near else None
        if target is not None:
            if cells[target] is not None or glued:
                clash = True
            cells[target] = word.text
        elif word.x0 < first_col_left:
            label_words.append(word)
    # A note reference sits apart from the label, in its own column.
    while label_words and len(label_words) > 1 and is_note_ref(label_words[-1].text) and (
            label_words[-1].x0 - label_words[-2].x1 > 15):
        label_words.pop()
    if clash:
        cells = [None] * len(columns)
    return Row(" ".join(w.text for w in label_words), tuple(cells), line.page, line.text)


_SPAN_WORDS = {3: ("three", "3", "三"), 6: ("six", "6", "六"), 9: ("nine", "9", "九"),
               12: ("year", "twelve", "年度")}


def _names_span(line: Line, index: int, words: tuple[str, ...]) -> bool:
    text = line.words[index].text.lower()
    following = line.words[index + 1].text.lower() if index + 1 < len(line.words) else ""
    if text in ("year", "年度") and text in words:
        return True
    if any(text.startswith(w + suffix) for w in words for suffix in ("個月", "个月")):
        return True
    return text in words and bool(re.match(r"months?|個月|个月", following))


def pick_period_columns(header: Sequence[Line], columns: Sequence[float],
                        months: int | None) -> list[float] | None:
    """With four or more figure columns (e.g. three and six months side by side), the two under the
    header naming the report's period ("Six months ended"); None when the header does not say."""
    if len(columns) < 4:
        return list(columns)
    words = _SPAN_WORDS.get(months or 0, ())
    for line in header:
        for index, word in enumerate(line.words):
            if _names_span(line, index, words):
                under = [c for c in columns if c >= word.x0 - 5]
                if len(under) >= 2:
                    return under[:2]
    return None
