"""Line items of the income statement and balance sheet, read row by row into raw figures.

The reader walks positioned lines in order, keeps track of which statement it is in (from the
titles), joins labels wrapped over two lines, follows "Attributable to:" blocks only under the
profit line (never under total comprehensive income), and keeps the first value of each item.
Lines add up in blocks: an unlabelled line that equals the sum of the lines since the last heading
is their subtotal, which is how a "Revenue" heading over its parts, or total equity printed without a
label under non-controlling interests, are read (and vouched for: the parts add up to them).
Values stay in the document's unit here; scaling happens once, in results.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from parsers.headings import heading_at, is_comprehensive_only
from parsers.labels import classify, languages_agree, says_loss_per_share
from parsers.numbers import decimals
from parsers.rows import Line, Row, choose_columns, column_heads, find_columns, to_row
from parsers.units import Unit, detect_full_unit, detect_unit, per_share_scale

INCOME_KINDS = frozenset({"revenue", "cost_of_sales", "gross_profit", "operating_profit", "profit_before_tax",
                          "income_tax", "profit_for_period", "profit_attributable", "nci", "eps_basic",
                          "eps_diluted", "continuing_profit", "discontinued_profit", "dividend_amount"})
BALANCE_KINDS = frozenset({"total_equity", "net_assets", "cash", "cash_general", "cash_clients",
                           "total_assets", "total_liabilities", "equity_owners", "nci_equity"})
STATEMENT_NAMES = {"is": "income statement", "ci": "statement of comprehensive income", "bs": "balance sheet"}
ADDS_UP = "subtotal: the lines above add up to it"
# A label line ending like this continues on the next line.
_CONTINUES = re.compile(r"(?:\b(?:of|and|to|the|for|from|in|on|before|after|attributable|net)|"
                        r"[,/(&-])\s*$", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")
_CONTINUED = re.compile(r"\(continued\)|\bcontinued\b|\(cont'?d\)|續|续", re.I)
_LATIN = re.compile(r"[A-Za-z]")


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
    statement: str = "income statement"
    vouched: tuple[str, ...] = ()  # checks made while reading (its parts add up to it)
    scope: str | None = None  # "continuing" / "discontinued" for a per-share block of one kind of operation


@dataclass
class Statements:
    figures: dict[str, Figure] = field(default_factory=dict)
    conflicts: dict[str, str] = field(default_factory=dict)
    comprehensive: dict[str, Figure] = field(default_factory=dict)  # repeats in a separate OCI statement
    scoped: dict[str, Figure] = field(default_factory=dict)  # EPS of continuing (or discontinued) operations
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # which columns were read, and why
    seen: set[str] = field(default_factory=set)  # statements met: "is", "bs"
    unit: Unit | None = None
    discontinued: bool = False  # the income statement has discontinued operations
    current_year: int | None = None  # the year heading the current column of the income statement


@dataclass
class _Block:
    """The lines since the last heading, to recognise the line that adds them up."""

    heading: str = ""
    kinds: tuple[str, ...] = ()
    rows: list[tuple[str | None, float | None, float | None]] = field(default_factory=list)


@dataclass
class _State:
    section: str | None = None  # "is", "ci", "bs" or None outside statements
    header: list[Line] = field(default_factory=list)
    columns: list[float] = field(default_factory=list)  # (current, prior) right edges
    others: list[float] = field(default_factory=list)  # figure columns not read
    unit: Unit | None = None
    pending: list[str] = field(default_factory=list)
    anchor: str | None = None  # "profit" or "tci": what an "attributable to" block belongs to
    block: str | None = None  # "attr" inside the profit's attributable block
    eps_text: str | None = None  # the per-share heading in force
    scope: str | None = None  # "continuing" / "discontinued" under such a heading
    lines: _Block = field(default_factory=_Block)
    last_label: str = ""  # label of the last figure row (a translation line may follow it)
    read_any: bool = False  # a figure row has been read in this statement
    unit_line: str = ""  # a line of units alone ("HK cents") inside the statement


class StatementReader:
    """Feed pages in order; read ``result`` when done."""

    def __init__(self, months: int | None = None) -> None:
        self._months = months
        self.result = Statements()
        self._state = _State()
        self._units_from: set[str] = set()
        self._last: tuple[list[float], list[float]] = ([], [])
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
            continued = " ".join(texts[index:index + 2])
            if kind == self._state.section and _CONTINUED.search(continued):
                # The statement's title repeated over its next page: the same statement goes on.
                self._state = replace(self._state, header=[], pending=[])
            elif kind == "stop":
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

    def _columns(self, lines: list[Line], width: float) -> bool:
        """Settle which two columns this segment's figures are read from; False if none can be."""
        state = self._state
        found = find_columns(lines, width)
        if len(found) < 2 and not state.columns:
            found = find_columns(lines, width, least=2)  # a short table: two rows may be all it has
        if len(found) < 2:
            if not state.columns:
                # A short table (two or three rows) lines up with the statement before it.
                state.columns, state.others = list(self._last[0]), list(self._last[1])
            return bool(state.columns)
        first = next((i for i, line in enumerate(lines) if to_row(line, found).has_figures), len(lines))
        header = lines[:first] or state.header
        if len(found) == len(self._last[0]) + len(self._last[1]) and not _dated(header) and self._last[0]:
            # A continuation page without a dated header keeps the columns already chosen, by position.
            previous = sorted(self._last[0] + self._last[1])
            mapping = dict(zip(previous, found, strict=True))
            state.columns = [mapping[c] for c in self._last[0]]
            state.others = [c for c in found if c not in state.columns]
            return True
        choice = choose_columns(header, found, self._months, lines[first:])
        if choice.columns is None:
            self.result.warnings.append(f"page {lines[0].page}: {choice.note}; the statement was not read")
            state.columns, state.others = [], []
            return False
        state.columns = list(choice.columns)
        state.others = [c for c in found if c not in state.columns]
        if state.section == "is" and self.result.current_year is None:
            self.result.current_year = choice.year
        if choice.note:
            self.result.notes.append(f"page {lines[0].page}: {choice.note}")
        self._last = (list(state.columns), list(state.others))
        return True

    def _read_segment(self, lines: list[Line], width: float) -> None:
        state = self._state
        if state.section is None or not lines or not self._columns(lines, width):
            return
        rows = _join_hanging_labels([to_row(line, state.columns, state.others) for line in lines])
        first = next((i for i, row in enumerate(rows) if row.has_figures), len(rows))
        if first and not state.read_any:
            state.header = list(lines[:first])
            unit = _header_unit(state.header, state.columns)
            if unit:
                state.unit = unit
                if self.result.unit is None or (state.section == "is" and "is" not in self._units_from):
                    self.result.unit = unit
                    self._units_from.add(state.section)
        for row in rows:
            self._read_row(row)
        state.read_any = state.read_any or first < len(rows)

    def _read_row(self, row: Row) -> None:
        state = self._state
        in_eps = state.eps_text is not None
        if not row.has_figures:
            if not row.label and per_share_scale(row.text) is not None:
                state.unit_line = row.text  # "HK cents  HK cents" printed over the per-share figures
            if row.label and not self._translation(row.label):
                kinds = classify(row.label, in_eps=in_eps)
                if _bilingual(row.label) and not languages_agree(row.label) and not (
                        "eps_basic" in kinds or "eps_diluted" in kinds):
                    kinds = ()  # one line of a bilingual label wrapped over several: a fragment
                self._label_line(row.label, kinds)
            return
        label, used = row.label, 0
        wrapped = bool(state.pending) and (
            _CONTINUES.search(state.pending[-1]) is not None or label[:1].islower())
        kinds = classify(label, in_eps=in_eps) if label and not wrapped else ()
        if not kinds and state.pending:
            # The shallowest join that names a line, unless a deeper one names it in both languages (a
            # bilingual label wrapped over several lines, whose tail alone is a fragment).
            found = []
            for depth in range(1, min(3, len(state.pending)) + 1):
                joined = " ".join(state.pending[-depth:] + [row.label]).strip()
                named = classify(joined, in_eps=in_eps)
                if named:
                    found.append((depth, joined, named, languages_agree(joined)))
            agreed = [f for f in found if f[3]]
            if found:
                used, label, kinds, _ = agreed[-1] if agreed else found[0]
        unit_hint = " ".join(state.pending)
        unused = state.pending[:len(state.pending) - used]
        state.pending = []
        if unused:
            self._new_block(unused[-1])
        state.last_label = label or state.last_label
        if not label:
            self._subtotal(row)
            return
        values = row.values()
        # A line that adds up the lines above it, one of them already read as the same item ("Revenue
        # from contracts with customers" over "Total revenue"), is the item: the earlier one was a part.
        parts = [k for k, _, _ in state.lines.rows]
        current, prior = (values + (None, None))[:2]
        subtotal = _adds_up(state.lines.rows, current, prior, row)
        self._add_to_block(kinds, values, row, label)
        if not kinds:
            return
        if kinds == ("total_comprehensive",):
            state.anchor, state.block = "tci", None
            return
        if kinds == ("owners",):
            kinds = ("profit_attributable",) if state.block == "attr" else ()
        elif kinds == ("nci",):
            kinds = ("nci",) if state.block == "attr" else ("nci_equity",) if state.section == "bs" else ()
        elif (kinds == ("profit_for_period",) and state.scope
              and f"{state.scope}_profit" not in self.result.figures):
            # "Profit for the year" under a "Continuing operations" heading is the continuing operations'
            # (the total comes after the discontinued ones).
            kinds = (f"{state.scope}_profit",)
        if "eps_heading" in kinds:
            state.eps_text = label
            state.scope = _scope_of(label)
            kinds = ()
        for kind in kinds:
            supersede = subtotal and kind in parts
            self._store(kind, row, label, unit_hint, vouched=(ADDS_UP,) if supersede else (),
                        supersede=supersede)
        if "profit_for_period" in kinds or "profit_for_period?" in kinds:
            state.anchor, state.block, state.scope = "profit", None, None

    def _translation(self, label: str) -> bool:
        """A Chinese line under an English label with figures (a bilingual statement) repeats it."""
        state = self._state
        return (bool(_CJK.search(label)) and not _LATIN.search(label) and bool(state.last_label)
                and not _CJK.search(state.last_label) and not state.pending)

    def _label_line(self, label: str, kinds: tuple[str, ...]) -> None:
        state = self._state
        if "eps_heading" in kinds:
            state.eps_text, state.scope = label, _scope_of(label)
            state.pending = []
        elif "attributable_header" in kinds:
            # "Profit for the period attributable to:" names its own anchor (combined P&L and OCI
            # statements put it after total comprehensive income); a bare "Attributable to:" does not.
            names_profit = re.search(r"profit|loss|earnings|溢利|虧損|亏损|利潤|利润", label.lower())
            state.block = "attr" if state.anchor == "profit" or names_profit else None
            state.pending = []
            self._new_block(label)
        elif "total_comprehensive" in kinds:
            state.anchor, state.block = "tci", None
            state.pending = []
        elif kinds and kinds[0].startswith("scope_"):
            state.scope = {"scope_total": None, "scope_continuing": "continuing",
                           "scope_discontinued": "discontinued"}[kinds[0]]
            if state.scope == "discontinued" and state.section == "is":
                self.result.discontinued = True
            state.pending = []
            self._new_block(label)
        elif "eps_basic" in kinds or "eps_diluted" in kinds:
            state.pending = [label]
        else:
            state.pending = (state.pending + [label])[-3:]
        state.last_label = ""

    def _new_block(self, heading: str) -> None:
        kinds = classify(heading)
        self._state.lines = _Block(heading, kinds if kinds in (("revenue",), ("equity_heading",)) else ())

    def _add_to_block(self, kinds: tuple[str, ...], values: tuple[float | None, ...], row: Row,
                      label: str) -> None:
        block = self._state.lines
        current, prior = (values + (None, None))[:2]
        if _adds_up(block.rows, current, prior, row):
            block.rows = []  # a labelled subtotal stands for the lines it adds up
        block.rows.append((kinds[0] if kinds else None, current, prior))

    def _subtotal(self, row: Row) -> None:
        """An unlabelled line: the subtotal of its block when the block's lines add up to it."""
        state = self._state
        block = state.lines
        current, prior = (row.values() + (None, None))[:2]
        if not _adds_up(block.rows, current, prior, row):
            block.rows = [(None, current, prior)]
            return
        kinds = [k for k, _, _ in block.rows]
        target = None
        if state.section == "is" and block.kinds == ("revenue",):
            target = "revenue"
        elif state.section == "bs" and (block.kinds == ("equity_heading",) or "nci_equity" in kinds
                                        or "equity_owners" in kinds):
            target = "total_equity"
        if target and (target not in self.result.figures or target in kinds):
            self._store(target, row, block.heading, vouched=(ADDS_UP,), supersede=target in kinds)
        block.rows = [(target, current, prior)]

    def _store(self, kind: str, row: Row, label: str, unit_hint: str = "",
               vouched: tuple[str, ...] = (), supersede: bool = False) -> None:
        state = self._state
        weak = kind.endswith("?")
        kind = kind.rstrip("?")
        allowed = BALANCE_KINDS if state.section == "bs" else INCOME_KINDS
        if kind not in allowed or state.section is None:
            return
        current, prior = (row.values() + (None, None))[:2]
        if (current is None and row.cells[0] is not None) or (
                prior is None and len(row.cells) > 1 and row.cells[1] is not None):
            self.result.conflicts.setdefault(kind, f"unreadable figure on page {row.page}: {row.text!r}")
        scale = None
        loss_heading = False
        if kind.startswith("eps_"):
            context = " ".join(t for t in (state.eps_text, unit_hint, label, state.unit_line) if t)
            printed = {s for s in row.scales[:2] if s is not None}
            if len(printed) > 1:
                # "HK$0.25" beside "4.1 HK cents": bring both to currency units here.
                current, prior = (v * s if v is not None and s is not None else None
                                  for v, s in zip((current, prior), row.scales[:2], strict=True))
                scale = 1.0
            else:
                scale = next(iter(printed)) if printed else per_share_scale(context)
            loss_heading = says_loss_per_share(context)
        figure = Figure(kind, current, prior, row.page, label, state.unit, scale, loss_heading,
                        STATEMENT_NAMES[state.section], vouched,
                        state.scope if kind.startswith("eps_") else None)
        if figure.scope is not None:
            self.result.scoped.setdefault(f"{kind}@{figure.scope}", figure)
            return
        target = self.result.comprehensive if state.section == "ci" else self.result.figures
        existing = target.get(kind)
        if supersede and existing is not None:
            target[kind] = figure  # the total of the block the earlier figure was a part of
            self.result.conflicts.pop(kind, None)
        elif existing is None or (kind in self._weak and not weak):
            # A line that names the item outright replaces one inferred from "... attributable to owners".
            target[kind] = figure
            if weak:
                self._weak.add(kind)
            else:
                self._weak.discard(kind)
        elif not weak and (existing.current, existing.prior) != (current, prior) and state.section != "ci":
            self.result.conflicts.setdefault(
                kind, f"two different figures for this line (pages {existing.page} and {row.page})")
        elif not weak and vouched and existing.current == current:
            target[kind] = replace(existing, vouched=tuple(dict.fromkeys(existing.vouched + vouched)))


_SCALED = re.compile(r"千|百萬|百万|億|亿|['’]000|thousand|million|billion|\bm\b|\bmn\b|\bbn\b", re.I)


def _header_unit(header: Sequence[Line], columns: Sequence[float]) -> Unit | None:
    """The amount unit over the figure columns: read per column first, so a unit set over two lines
    ("人民幣" / "千元") is read whole; a bare currency means whole units only if nothing says thousands."""
    for head in column_heads(header, columns):
        unit = detect_unit(head.text)
        if unit:
            return unit
    text = " ".join(line.text for line in header)
    unit = detect_unit(text)
    if unit or _SCALED.search(text):
        return unit
    return detect_full_unit([w.text for line in header for w in line.words])


def _scope_of(heading: str) -> str | None:
    """The operations a per-share heading is limited to: "Earnings per share from continuing operations"
    is not the total EPS."""
    low = heading.lower()
    if re.search(r"continuing and discontinued|持續及已終止|持续及已终止", low):
        return None
    if re.search(r"discontinued|已終止|已终止", low):
        return "discontinued"
    if re.search(r"continuing|持續經營|持续经营", low):
        return "continuing"
    return None


def _bilingual(label: str) -> bool:
    return bool(_CJK.search(label)) and bool(_LATIN.search(label))


def _dated(header: Sequence[Line]) -> bool:
    return any(re.search(r"(?:19|20)\d\d|二[零〇○]", line.text) for line in header)


def _join_hanging_labels(rows: list[Row]) -> list[Row]:
    """A label printed beside its figures and continued on the next line ("... attributable to owners" /
    "of the Company") is joined into one."""
    out: list[Row] = []
    for row in rows:
        if (out and not row.has_figures and row.label and out[-1].has_figures and out[-1].label
                and (_CONTINUES.search(out[-1].label) or re.match(r"(?:of|the|and|to|for|in)\b", row.label))
                and not _CJK.search(row.label)):
            previous = out[-1]
            out[-1] = replace(previous, label=f"{previous.label} {row.label}")
            continue
        out.append(row)
    return out


def _adds_up(rows: list[tuple[str | None, float | None, float | None]], current: float | None,
             prior: float | None, row: Row) -> bool:
    """Whether ``current``/``prior`` are the sums of ``rows`` (two or more), to the printed precision."""
    if len(rows) < 2 or (current is None and prior is None):
        return False
    step = 10.0 ** -max([decimals(c) for c in row.cells if c is not None] or [0])
    for index, total in enumerate((current, prior)):
        if total is None:
            continue
        parts = [(r[1], r[2])[index] for r in rows]
        if all(p is None for p in parts):
            return False
        if abs(sum(p or 0.0 for p in parts) - total) > step * len(parts) * 0.51 + 1e-9:
            return False
    return True
