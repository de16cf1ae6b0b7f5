"""Statement rows from positioned words: a label, an optional note, and one figure per value column.

Columns are found from where figures line up (their right edges, since statements right-align
numbers), so a "Notes" column, a stray dash or a garbled fragment left of a column is never read as
a figure. Which columns are the current and prior period comes from the header above them (years,
dates, "Six months ended", "(Restated)", "The Group"), else the HKEX convention: current period first.
Per-share figures printed with their unit ("HK(8.55) cents", "25.0 HK cents", "港幣(14.92)仙",
"RMB0.03") are read as one figure that carries its unit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from parsers.dates import find_all_dates, year_word
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
    """One statement line: its label, and the raw figure token per value column (None if blank).
    ``scales`` holds, per cell, the per-share unit printed with the figure (0.01 for cents, 1.0 for a
    currency), or None."""

    label: str
    cells: tuple[str | None, ...]
    page: int
    text: str
    scales: tuple[float | None, ...] = ()

    @property
    def has_figures(self) -> bool:
        return any(c is not None for c in self.cells)

    def values(self) -> tuple[float | None, ...]:
        return tuple(parse_figure(c) if c is not None else None for c in self.cells)


_NOTE = r"\d{1,2}(?:\.\d{1,2})?(?:\([a-z]{1,4}\)|[a-z])?"
# CAS notes are numbered by section and item: "VII.1", "VII(1)", "七、1", "五、(一)".
_CAS_NOTE = (r"(?:[IVX]{1,5}|[一二三四五六七八九十]{1,3})\s*[.、]?\s*\(?"
             r"(?:\d{1,3}|[一二三四五六七八九十]{1,3})\)?(?:\.\d{1,2})?")
_NOTES = re.compile(rf"^{_NOTE}(?:[,&]\s*{_NOTE})*"
                    rf"$|^\d{{1,2}}\([a-z]\)\(?[ivx]*\)?$|^{_CAS_NOTE}$")
_ALIGN = 12.0  # points a figure's right edge may sit from its column (closing brackets hang out)


def _is_amount(text: str) -> bool:
    value = parse_figure(text)
    return value is not None and not is_year(text) and any(ch.isdigit() for ch in text) and not (
        is_note_ref(text) and "," not in text)


def find_columns(lines: Sequence[Line], page_width: float, least: int = 3) -> list[float]:
    """Right edges of the value columns, left to right: where ``least`` or more figures line up on the
    right."""
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
    keep = [c for c in clusters if len(c) >= max(least, biggest * 0.5)]
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
    heads = column_heads(header, columns[:2])
    keys = [h.key for h in heads]
    return not (len(keys) == 2 and keys[0] is not None and keys[1] is not None and keys[0] < keys[1])


# A per-share figure printed with its unit, read across up to three words joined without spaces:
# "HK(8.55)" "cents" · "25.0" "HK" "cents" · "(HK14.92" "cents)" · "港幣(14.92)仙" · "RMB0.03" · "US$(0.12)".
_CUR = r"(?:HK\$?|RMB|US\$?|S\$|NT\$|MOP\$?|SGD|HKD|USD|港幣|港币|人民幣|人民币|港元|美元|新加坡元)"
_PER_SHARE = re.compile(
    rf"^(?P<o1>\()?(?P<c1>{_CUR})?(?P<o2>\()?(?P<num>\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?)(?P<x1>\))?"
    rf"(?P<c2>{_CUR})?(?P<cents>cents?|港仙|仙|分|元)?(?P<x2>\))?$", re.I)


def _per_share_token(text: str) -> tuple[str, float] | None:
    match = _PER_SHARE.match(text)
    if not match or not (match.group("c1") or match.group("c2") or match.group("cents")):
        return None
    opened = bool(match.group("o1")) + bool(match.group("o2"))
    closed = bool(match.group("x1")) + bool(match.group("x2"))
    if opened != closed or opened > 1:
        return None
    unit = (match.group("cents") or "").lower()
    scale = 0.01 if unit in ("cent", "cents", "港仙", "仙", "分") else 1.0
    number = match.group("num")
    return (f"({number})" if opened else number), scale


@dataclass(frozen=True)
class _Token:
    word: Word
    scale: float | None = None
    edges: tuple[float, ...] = field(default=())  # right edges it may be aligned by


def _attach_signs(words: Sequence[Word]) -> list[Word]:
    """Brackets and minus signs set apart from their figure ("( 1,234 )", "- 1,234") join it: a figure
    read without its bracket would change sign."""
    out: list[Word] = []
    for word in words:
        previous = out[-1] if out else None
        if previous is not None and word.text in (")", "）") and word.x0 - previous.x1 < 6 and any(
                c.isdigit() for c in previous.text):
            out[-1] = Word(previous.text + ")", previous.x0, word.x1, previous.top)
            continue
        sign = previous is not None and previous.text in ("(", "（", "-", "−", "–")
        if previous is not None and sign and word.text[:1].isdigit() and (
                word.x0 - previous.x1 < (6 if previous.text in ("(", "（") else 3)):
            out[-1] = Word(previous.text.replace("（", "(") + word.text, previous.x0, word.x1, word.top)
            continue
        out.append(word)
    return out


def _tokens(words: Sequence[Word]) -> list[_Token]:
    """Words, with per-share figures and their units merged into one token each."""
    words = _attach_signs(words)
    tokens: list[_Token] = []
    index = 0
    while index < len(words):
        merged = None
        for size in (3, 2, 1):
            group = words[index:index + size]
            if len(group) < size or any(b.x0 - a.x1 > 8 for a, b in zip(group, group[1:], strict=False)):
                continue
            found = _per_share_token("".join(w.text for w in group))
            if found is not None and any(ch.isdigit() for ch in group[0].text + group[-1].text):
                text, scale = found
                figure_edge = next((w.x1 for w in group if any(c.isdigit() for c in w.text)), group[-1].x1)
                word = Word(text, group[0].x0, group[-1].x1, group[0].top)
                merged = (_Token(word, scale, (group[-1].x1, figure_edge)), size)
                break
        if merged is None:
            tokens.append(_Token(words[index], None, (words[index].x1,)))
            index += 1
        else:
            tokens.append(merged[0])
            index += merged[1]
    return tokens


def to_row(line: Line, columns: Sequence[float], others: Sequence[float] = ()) -> Row:
    """Split a line into label and cells; figures not aligned with a column are left out of both.
    ``others`` are figure columns not read (another segment, a three-month column): figures there are
    dropped rather than taken into the label."""
    cells: list[str | None] = [None] * len(columns)
    scales: list[float | None] = [None] * len(columns)
    label_words: list[Word] = []
    clash = False
    everything = sorted(set(columns) | set(others))
    first_col_left = (min(everything) - 70.0) if everything else float("inf")
    previous: Word | None = None
    for token in _tokens(line.words):
        word = token.word
        figure = parse_figure(word.text)
        # A figure glued to digits on its left is a fragment of a garbled number ("2,7 10").
        glued = previous is not None and word.x0 - previous.x1 < 4 and any(c.isdigit() for c in previous.text)
        previous = word
        target = None
        elsewhere = False
        if figure is not None:
            near = [i for i, edge in enumerate(columns) if any(abs(x - edge) <= _ALIGN for x in token.edges)]
            target = near[0] if near else None
            elsewhere = target is None and any(abs(x - edge) <= _ALIGN
                                               for x in token.edges for edge in others)
        if target is not None:
            if cells[target] is not None or glued:
                clash = True
            cells[target] = word.text
            scales[target] = token.scale
        elif not elsewhere and word.x0 < first_col_left:
            label_words.append(word)
    # A note reference ("5", "4(a)", "5,6") sits apart from the label, in its own column.
    while label_words and len(label_words) > 1 and _NOTES.match(label_words[-1].text) and (
            label_words[-1].x0 - label_words[-2].x1 > 15):
        label_words.pop()
    label = " ".join(w.text for w in label_words)
    if clash or (not label and all(c is None or is_year(c) for c in cells)):
        cells = [None] * len(columns)  # garbled, or a header line of years
    return Row(label, tuple(cells), line.page, line.text, tuple(scales))


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
    """With four or more figure columns under two spans side by side ("Three months ended" and "Six
    months ended"), the columns under the one naming the report's period, up to where the next span
    starts; None when the header does not name two spans."""
    if len(columns) < 4:
        return list(columns)
    starts: list[tuple[float, int]] = []
    for line in header:
        for index, word in enumerate(line.words):
            for span, words in _SPAN_WORDS.items():
                if _names_span(line, index, words):
                    starts.append((word.x0, span))
    if len({span for _, span in starts}) < 2:
        return None
    starts.sort()
    for number, (x0, span) in enumerate(starts):
        if span != months:
            continue
        end = starts[number + 1][0] if number + 1 < len(starts) else float("inf")
        under = [c for c in columns if x0 + 10 < c <= end + _ALIGN]
        if len(under) == 2:
            return under
    return None


@dataclass(frozen=True)
class ColumnHead:
    """What the header prints above one figure column."""

    text: str
    year: int | None
    when: date | None

    @property
    def key(self) -> tuple[int, int, int] | None:
        """Sort key of the period the column covers: its date, else its year-end."""
        if self.when is not None:
            return (self.when.year, self.when.month, self.when.day)
        return (self.year, 12, 31) if self.year is not None else None

    @property
    def restated(self) -> bool:
        return bool(re.search(r"restated|經重列|经重列|重列", self.text, re.I))

    @property
    def as_reported(self) -> bool:
        return bool(re.search(r"previously reported|originally stated|原先呈報|原先呈报|先前呈報", self.text,
                              re.I))

    @property
    def company_only(self) -> bool:
        return bool(re.search(r"\bthe company\b|^company\b|本公司", self.text, re.I)) and not self.group

    @property
    def group(self) -> bool:
        return bool(re.search(r"\bgroup\b|本集團|本集团|綜合|综合|consolidated", self.text, re.I))


def _runs(line: Line) -> list[list[Word]]:
    """Words in runs: a header phrase ("30 June 2025", "Six months ended") is one run."""
    runs: list[list[Word]] = []
    for word in line.words:
        if runs and word.x0 - runs[-1][-1].x1 < 6.0:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def column_heads(header: Sequence[Line], columns: Sequence[float]) -> list[ColumnHead]:
    """Header text above each column. A phrase over one column dates it; a phrase spanning several
    ("Six months ended 30 June", "The Group") only qualifies them, and a period line set right-aligned
    with the last column ("For the year ended 31 August 2021") is no column's date."""
    if not columns:
        return []
    if list(columns) != sorted(columns):
        by_edge = dict(zip(sorted(columns), column_heads(header, sorted(columns)), strict=True))
        return [by_edge[c] for c in columns]
    spacing = min((b - a for a, b in zip(columns, columns[1:], strict=False)), default=90.0)
    own: list[list[str]] = [[] for _ in columns]
    shared: list[list[str]] = [[] for _ in columns]
    for line in header:
        for run in _runs(line):
            x0, x1 = run[0].x0, run[-1].x1
            text = " ".join(w.text for w in run)
            under = [i for i, edge in enumerate(columns) if x0 < edge - 2 and x1 > edge - spacing * 0.7]
            for index, edge in enumerate(columns):
                left = columns[index - 1] if index else edge - spacing
                if edge - spacing + 4 < x1 <= edge + _ALIGN and x0 > left - 2 and len(under) <= 1:
                    own[index].append(text)
                elif index in under and len(under) > 1:
                    shared[index].append(text)
    heads = []
    for mine, common in zip(own, shared, strict=True):
        text = " ".join(mine)
        years = [y for part in mine for w in part.split() if (y := year_word(w)) is not None]
        dates = [d for _, d in find_all_dates(text)]
        year = years[-1] if years else (dates[-1].year if dates else None)
        heads.append(ColumnHead(" ".join(common + mine), year, dates[-1] if dates else None))
    return heads


_CHANGE = re.compile(r"change|%|increase|decrease|variance|movement|變動|变动|變化|变化|增加|減少|减少|"
                     r"增長|增长|增幅|"
                     r"減幅|百分比", re.I)


@dataclass(frozen=True)
class Choice:
    """The two columns read (current, prior), or None with the reason; ``note`` says what was chosen."""

    columns: tuple[float, float] | None
    note: str | None = None
    year: int | None = None  # the current column's year, as its header prints it


def choose_columns(header: Sequence[Line], columns: Sequence[float], months: int | None,
                   body: Sequence[Line]) -> Choice:
    """Of three or more figure columns, the current and prior period's, from the header: the report's
    span (six of "three and six months"), the group's (not the company's), the latest date and the
    comparative before it (not an opening balance, the restated not the as-reported), the total of
    segment columns (the one that adds up the others). None when the header does not say."""
    if len(columns) == 2:
        heads = column_heads(header, columns)
        first = current_first(header, columns)
        year = (heads[0] if first else heads[1]).year
        return Choice((columns[0], columns[1]) if first else (columns[1], columns[0]), None, year)
    if len(columns) >= 4:
        span = pick_period_columns(header, columns, months)
        if span is not None and len(span) == 2:
            chosen = list(span)
            heads = column_heads(header, chosen)
            if heads[0].key is None or heads[1].key is None or heads[0].key == heads[1].key:
                return Choice(None, f"the {months}-month columns are not dated one year apart")
            if heads[0].key < heads[1].key:
                chosen.reverse()
            return Choice((chosen[0], chosen[1]), f"read the {months}-month columns of a statement that also "
                                                  "shows another period", max(heads[0].key, heads[1].key)[0])
    heads = column_heads(header, columns)
    change = [c for c, h in zip(columns, heads, strict=True) if h.key is None and _CHANGE.search(h.text)]
    if change and len(columns) - len(change) >= 2:
        # A "Change %" column beside the two periods is not a period.
        return choose_columns(header, [c for c in columns if c not in change], months, body)
    if any(h.group for h in heads) and any(h.company_only for h in heads):
        group = [c for c, h in zip(columns, heads, strict=True) if not h.company_only]
        if len(group) == 2:
            return choose_columns(header, group, months, body)
    keyed = [(h.key, c, h) for c, h in zip(columns, heads, strict=True) if h.key is not None]
    if len(keyed) != len(columns):
        return Choice(None, f"{len(columns)} figure columns and no header dating each of them")
    groups: dict[tuple[int, int, int], list[tuple[float, ColumnHead]]] = {}
    for key, column, head in keyed:
        groups.setdefault(key, []).append((column, head))
    picked: dict[tuple[int, int, int], float] = {}
    for key, members in groups.items():
        if len(members) == 1:
            picked[key] = members[0][0]
            continue
        restated = [c for c, h in members if h.restated and not h.as_reported]
        if len(restated) == 1 and len(members) == 2:
            picked[key] = restated[0]
            continue
        total = _total_column([c for c, _ in members], columns, body)
        if total is None:
            return Choice(None, f"{len(members)} columns for the same period and none adds up the others")
        picked[key] = total
    keys = sorted(picked, reverse=True)
    if len(keys) < 2:
        return Choice(None, "the header names only one period")
    current = keys[0]
    # The comparative is the column dated closest to a year before; an opening balance column
    # (1 January of the prior year, after a restatement) is further away.
    target = (current[0] - 1, current[1], current[2])
    prior = min(keys[1:], key=lambda k: abs((k[0] - target[0]) * 372 + (k[1] - target[1]) * 31
                                            + k[2] - target[2]))
    note = None
    if len(columns) > 2:
        totals = " (the totals of segment columns)" if len(groups) < len(columns) else ""
        note = (f"read the columns headed {_key_text(groups[current])} and {_key_text(groups[prior])} of "
                f"{len(columns)}{totals}")
    return Choice((picked[current], picked[prior]), note, current[0])


def _key_text(members: list[tuple[float, ColumnHead]]) -> str:
    head = members[0][1]
    return head.when.isoformat() if head.when else str(head.year)


def _total_column(members: list[float], columns: Sequence[float], body: Sequence[Line]) -> float | None:
    """The column among ``members`` that equals the sum of the others on every row that fills them all."""
    for candidate in members:
        parts = [c for c in members if c != candidate]
        agree = disagree = 0
        for line in body:
            row = to_row(line, list(columns))
            values = dict(zip(columns, row.values(), strict=True))
            if any(values.get(c) is None for c in members):
                continue
            total = values[candidate]
            assert total is not None
            summed = sum(values[c] or 0.0 for c in parts)
            if abs(total - summed) <= 1.01 * len(parts):
                agree += 1
            else:
                disagree += 1
        if agree >= 2 and disagree == 0:
            return candidate
    return None
