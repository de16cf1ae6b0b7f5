"""Line items of the income statement and balance sheet, read row by row into raw figures.

The reader walks positioned lines in order, keeps track of which statement it is in (from the
titles), joins labels wrapped over two lines, follows "Attributable to:" blocks only under the
profit line (never under total comprehensive income), and keeps the first value of each item.
Values stay in the document's unit here; scaling happens once, in results.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from parsers.headings import heading_at, is_comprehensive_only
from parsers.labels import classify, says_loss_per_share
from parsers.numbers import parse_figure
from parsers.rows import Line, Row, current_first, find_columns, pick_period_columns, to_row
from parsers.units import Unit, detect_full_unit, detect_unit, per_share_scale

INCOME_KINDS = frozenset({"revenue", "cost_of_sales", "gross_profit", "operating_profit", "profit_before_tax",
                          "income_tax", "profit_for_period", "profit_attributable", "nci", "eps_basic",
                          "eps_diluted", "continuing_profit", "discontinued_profit"})
BALANCE_KINDS = frozenset({"total_equity", "net_assets", "cash"})
# A label line ending like this continues on the next line.
_CONTINUES = re.compile(r"(?:\b(?:of|and|to|the|for|from|in|on|before|after|attributable|net)|"
                        r"[,/(&-])\s*$", re.I)


@dataclass(frozen=True)
class Figure:
    """One line item as printed: values in the document's unit (None where blank or unreadable)."""

    kind: str
    current: float | None
    prior: float | None
    page: int
    label: str
    unit: Unit | None
    per_share_scale: float | None = None
    loss_heading: bool = False  # printed under "Loss per share": positive figures are losses


@dataclass
class Statements:
    figures: dict[str, Figure] = field(default_factory=dict)
    conflicts: dict[str, str] = field(default_factory=dict)
    comprehensive: dict[str, Figure] = field(default_factory=dict)  # repeats in a separate OCI statement
    warnings: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # statements met: "is", "bs"
    unit: Unit | None = None


@dataclass
class _State:
    section: str | None = None  # "is", "ci", "bs" or None outside statements
    header: list[Line] = field(default_factory=list)
    columns: list[float] = field(default_factory=list)
    unit: Unit | None = None
    pending: list[str] = field(default_factory=list)
    anchor: str | None = None  # "profit" or "tci": what an "attributable to" block belongs to
    block: str | None = None  # "attr" inside the profit's attributable block
    eps_text: str | None = None  # the per-share heading in force


class StatementReader:
    """Feed pages in order; read ``result`` when done."""

    def __init__(self, months: int | None = None) -> None:
        self._months = months
        self.result = Statements()
        self._state = _State()
        self._units_from: set[str] = set()
        self._last_columns: list[float] = []
        self._weak: set[str] = set()

    def feed(self, lines: Sequence[Line], width: float, *, start: str | None = None) -> bool:
        """Read one page; True when a statement ended on it (a non-statement title followed).
        ``start`` opens a statement at the top of the page when its title was not recognised."""
        ended = False
        if start and self._state.section is None:
            self._state = _State(section=start)
            self.result.seen.add(start)
        segment: list[Line] = []
        texts = [line.text for line in lines]
        for index, line in enumerate(lines):
            kind = heading_at(texts, index)
            if kind is None:
                segment.append(line)
                continue
            self._read_segment(segment, width)
            segment = []
            if kind == "stop":
                ended = ended or self._state.section is not None
                self._state = _State()
            else:
                if self._state.section is not None:
                    ended = True
                section = kind
                if kind == "is" and "is" in self.result.seen and is_comprehensive_only(line.text):
                    section = "ci"
                self._state = _State(section=section)
                self.result.seen.add("is" if section == "ci" else section)
        self._read_segment(segment, width)
        return ended

    @property
    def in_statement(self) -> bool:
        return self._state.section is not None

    def complete(self) -> bool:
        """Whether the open statement has already given its last line we read (EPS, total equity)."""
        found = self.result.figures
        if self._state.section == "bs":
            return "total_equity" in found
        if self._state.section == "is":
            return "eps_basic" in found or "eps_diluted" in found
        return False

    def _read_segment(self, lines: list[Line], width: float) -> None:
        state = self._state
        if state.section is None or not lines:
            return
        columns = find_columns(lines, width)
        if len(columns) >= 2:
            state.columns = columns
            self._last_columns = columns
        elif not state.columns:
            # A short table (two or three rows) lines up with the statement before it.
            state.columns = self._last_columns
            if not state.columns:
                return
        if len(state.columns) >= 4:
            header_lines = lines[:next((i for i, line in enumerate(lines)
                                        if to_row(line, state.columns).has_figures), len(lines))]
            picked = pick_period_columns(header_lines or state.header, state.columns, self._months)
            if picked is None:
                self.result.warnings.append(f"page {lines[0].page}: {len(state.columns)} figure columns and "
                                            "no header naming the period; the statement was not read")
                return
            state.columns = picked
        rows = [(to_row(line, state.columns), line) for line in lines]
        first = next((i for i, (row, _) in enumerate(rows) if row.has_figures), len(rows))
        if first and not self._any_figure_yet(state):
            state.header = [line for _, line in rows[:first]]
            unit = detect_unit(" ".join(h.text for h in state.header)) or detect_full_unit(
                [w.text for h in state.header for w in h.words])
            if unit:
                state.unit = unit
                if self.result.unit is None or (state.section == "is" and "is" not in self._units_from):
                    self.result.unit = unit
                    self._units_from.add(state.section)
        for row, line in rows:
            self._read_row(row, line)
        if len(state.columns) == 3:
            self.result.warnings.append(
                f"page {lines[0].page}: three figure columns; the first two were read")

    @staticmethod
    def _any_figure_yet(state: _State) -> bool:
        return state.anchor is not None or state.block is not None

    def _read_row(self, row: Row, line: Line) -> None:
        state = self._state
        in_eps = state.eps_text is not None
        if not row.has_figures:
            kinds = classify(row.label, in_eps=in_eps)
            if not row.label:
                return
            if "eps_heading" in kinds:
                state.eps_text = row.label
                state.pending = []
            elif "attributable_header" in kinds:
                # "Profit for the period attributable to:" names its own anchor (combined P&L and OCI
                # statements put it after total comprehensive income); a bare "Attributable to:" does not.
                names_profit = re.search(r"profit|loss|earnings|溢利|虧損|亏损|利潤|利润", row.label.lower())
                state.block = "attr" if state.anchor == "profit" or names_profit else None
                state.pending = []
            elif "total_comprehensive" in kinds:
                state.anchor, state.block = "tci", None
                state.pending = []
            elif "eps_basic" in kinds or "eps_diluted" in kinds:
                state.pending = [row.label]
            else:
                state.pending = (state.pending + [row.label])[-2:]
            return
        label = row.label
        wrapped = bool(state.pending) and (
            _CONTINUES.search(state.pending[-1]) is not None or label[:1].islower())
        kinds = classify(label, in_eps=in_eps) if label and not wrapped else ()
        if not kinds and state.pending:
            for depth in (1, 2):
                joined = " ".join(state.pending[-depth:] + [row.label]).strip()
                kinds = classify(joined, in_eps=in_eps)
                if kinds:
                    label = joined
                    break
        unit_hint = " ".join(state.pending)
        state.pending = []
        if not kinds:
            return
        if kinds == ("total_comprehensive",):
            state.anchor, state.block = "tci", None
            return
        if kinds == ("owners",):
            kinds = ("profit_attributable",) if state.block == "attr" else ()
        elif kinds == ("nci",):
            kinds = ("nci",) if state.block == "attr" else ()
        if "eps_heading" in kinds:
            state.eps_text = label
            kinds = ()
        for kind in kinds:
            self._store(kind, row, label, unit_hint)
        if "profit_for_period" in kinds or "profit_for_period?" in kinds:
            state.anchor, state.block = "profit", None

    def _store(self, kind: str, row: Row, label: str, unit_hint: str = "") -> None:
        state = self._state
        weak = kind.endswith("?")
        kind = kind.rstrip("?")
        allowed = BALANCE_KINDS if state.section == "bs" else INCOME_KINDS
        if kind not in allowed:
            return
        current = parse_figure(row.cells[0]) if row.cells[0] is not None else None
        prior = parse_figure(row.cells[1]) if len(row.cells) > 1 and row.cells[1] is not None else None
        if (current is None and row.cells[0] is not None) or (
                prior is None and len(row.cells) > 1 and row.cells[1] is not None):
            self.result.conflicts.setdefault(kind, f"unreadable figure on page {row.page}: {row.text!r}")
        if not current_first(state.header, state.columns):
            current, prior = prior, current
        scale = None
        loss_heading = False
        if kind.startswith("eps_"):
            context = " ".join(t for t in (state.eps_text, unit_hint, label) if t)
            scale = per_share_scale(context)
            loss_heading = says_loss_per_share(context)
        figure = Figure(kind, current, prior, row.page, label, state.unit, scale, loss_heading)
        target = self.result.comprehensive if state.section == "ci" else self.result.figures
        existing = target.get(kind)
        if existing is None or (kind in self._weak and not weak):
            # A line that names the item outright replaces one inferred from "... attributable to owners".
            target[kind] = figure
            if weak:
                self._weak.add(kind)
            else:
                self._weak.discard(kind)
        elif not weak and (existing.current, existing.prior) != (current, prior) and state.section != "ci":
            self.result.conflicts.setdefault(
                kind, f"two different figures for this line (pages {existing.page} and {row.page})")
