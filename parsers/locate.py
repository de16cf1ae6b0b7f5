"""Where the statements are: the income statement, the balance sheet, the cash flow statement and the
prose that states the dividend, found cheaply from page text (pdfium) before any page is laid out.

A report of 100-200 pages carries bookmarks naming its sections; where they name the statements, only
the pages they point to and the sections that state the dividend (directors' report, chairman's
statement, MD&A) are read. Otherwise every page's text is read in order, stopping once the statements
and the dividend are found. A page whose text comes out scrambled (drawn one character at a time) is
read again from glyph positions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from parsers.document import PdfSource
from parsers.headings import heading_at, heading_kind
from parsers.labels import classify
from parsers.numbers import is_note_ref, parse_figure

_INCOME_LINES = frozenset({"revenue", "cost_of_sales", "gross_profit", "profit_before_tax", "income_tax",
                           "profit_for_period"})
# Sections of a report that state the dividend, in the order they are read, and how many of their
# pages: the directors' report says it near its start, a statement or discussion anywhere in it.
_PROSE_SECTIONS = (
    (re.compile(r"directors['’]? report|report of (?:the )?directors|董事會報告|董事会报告|董事局報告",
                re.I), 4),
    (re.compile(r"results summary|highlights|chairman['’]?s statement|chairperson['’]?s statement|"
                r"ceo['’]?s statement|executive directors['’]? statement|財務摘要|主席報告|主席致辭",
                re.I), 6),
    (re.compile(r"management discussion|管理層討論|管理层讨论", re.I), 14),
    (re.compile(r"other information|dividends?|其他資料|股息", re.I), 4),
)
_NEAR = (0, 1, -1, 2, 3)  # where a statement is, relative to its bookmark (covers, blank pages)
_SHORT_REPORT = 60  # pages: a document this short is read whole for its dividend if need be
_PRIOR_PAGES = 15  # pages read on, once the dividend is known, for last year's figure
_CASH_FLOW_AFTER = 4  # the cash flow statement follows the later of the two within this many pages


@dataclass
class Located:
    income: int | None = None
    balance: int | None = None
    cash_flow: int | None = None
    highlights: str = ""  # text before the income statement (highlights, a summary of results)
    prose: list[tuple[int, str]] = field(default_factory=list)  # (page index, text) mentioning a dividend
    forced: bool = False  # the income statement was found by its line items, not its title
    scrambled: set[int] = field(default_factory=set)  # pages read from positions, not drawing order
    sections: dict[str, list[int]] = field(default_factory=dict)  # "auditor", "corporate" -> pages


def page_text(pdf: PdfSource, index: int, located: Located | None = None) -> str:
    """The page's text in reading order: pdfium's, or rebuilt from positions when that is scrambled."""
    text = pdf.text(index)
    if _scrambled(text):
        if located is not None:
            located.scrambled.add(index)
        return pdf.layout_text(index)
    return text


def _scrambled(text: str) -> bool:
    """Text drawn glyph by glyph out of reading order: pdfium breaks it into lines of a character or two."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 20:
        return False
    short = sum(1 for line in lines if len(line.strip()) <= 2)
    return short > len(lines) * 0.5


def has_figures(text: str, least: int = 4) -> bool:
    """At least ``least`` lines ending in two figures: a statement, not a contents page."""
    rows = 0
    for line in text.split("\n"):
        tail = line.split()[-2:]
        if len(tail) == 2 and all(any(c.isdigit() for c in t) and any(m in t for m in ",(.") for t in tail):
            rows += 1
    return rows >= least


def _headings(text: str) -> Iterable[tuple[int, str]]:
    lines = text.split("\n")
    for number in range(len(lines)):
        kind = heading_at(lines, number)
        if kind:
            yield number, kind


_SECTIONS = (("auditor", re.compile(r"auditor['’]?s['’]? report|核數師報告", re.I)),
             ("corporate", re.compile(r"corporate information|公司資料", re.I)))


def _bookmarks(pdf: PdfSource) -> tuple[dict[str, int], list[tuple[int, int]]]:
    """What the PDF's bookmarks name: the first page of "is", "bs", "cf", "auditor", "corporate"; and
    the prose sections that state the dividend as (first page, pages to read), in reading priority."""
    found: dict[str, int] = {}
    prose: list[tuple[int, int, int]] = []
    for title, index in pdf.bookmarks():
        for name, pattern in _SECTIONS:
            if pattern.search(title):
                found.setdefault(name, index)
        kind = heading_kind(title)
        if kind == "stop" and re.search(r"cash flow|現金流量|现金流量", title, re.I):
            kind = "cf"
        if kind in ("is", "bs", "cf"):
            found.setdefault(kind, index)
        else:
            rank = next((r for r, (pattern, _) in enumerate(_PROSE_SECTIONS) if pattern.search(title)), None)
            if rank is not None:
                prose.append((rank, index, _PROSE_SECTIONS[rank][1]))
    return found, [(index, pages) for _, index, pages in sorted(prose)]


DividendState = Callable[[list[str]], tuple[bool, bool]]  # prose -> (current stated, prior stated)


def locate(pdf: PdfSource, states_dividend: DividendState) -> Located:
    """The statement pages of ``pdf``; bookmarks first, else a scan of every page in order that stops
    once both statements are found and ``states_dividend`` says the prose read so far states it."""
    marks, prose = _bookmarks(pdf)
    if "is" in marks:
        located = _from_bookmarks(pdf, marks, prose, states_dividend)
        if located.income is not None:
            return located
    return _scan(pdf, states_dividend)


def _statement_near(pdf: PdfSource, start: int, kind: str, located: Located) -> tuple[int | None, bool]:
    """The page the bookmark's statement starts on (its title found on it), or the bookmarked page itself
    when it has figures but its title could not be read (then True: opened without a title)."""
    for offset in _NEAR:
        index = start + offset
        if 0 <= index < pdf.page_count:
            text = page_text(pdf, index, located)
            if any(k == kind for _, k in _headings(text)) and has_figures(text):
                return index, False
    if 0 <= start < pdf.page_count and has_figures(page_text(pdf, start, located)):
        return start, True
    return None, False


def _from_bookmarks(pdf: PdfSource, marks: dict[str, int], prose: list[tuple[int, int]],
                    states_dividend: DividendState) -> Located:
    located = Located()
    located.sections = {name: [marks[name], marks[name] + 1]
                        for name in ("auditor", "corporate") if name in marks}
    located.income, located.forced = _statement_near(pdf, marks["is"], "is", located)
    if "bs" in marks:
        located.balance, _ = _statement_near(pdf, marks["bs"], "bs", located)
    located.cash_flow = marks.get("cf")
    if located.income is None:
        return located
    for index in range(min(3, pdf.page_count)):
        located.highlights += page_text(pdf, index, located) + "\n"
    read: set[int] = set()

    def visit(index: int) -> tuple[bool, bool]:
        read.add(index)
        text = page_text(pdf, index, located)
        if index < 8 and index < (located.income or 0):
            located.highlights += text + "\n"
        if "ividend" in text or "股息" in text:
            located.prose.append((index, text))
            return states_dividend([t for _, t in located.prose])
        return False, False

    for start, pages in prose:
        for index in range(start, min(start + pages, pdf.page_count)):
            if index not in read and all(visit(index)):
                return located
    if pdf.page_count <= _SHORT_REPORT and not states_dividend([t for _, t in located.prose])[0]:
        # A short report (an interim report) may state its dividend in a section no bookmark names.
        for index in range(pdf.page_count):
            if index not in read and visit(index)[0]:
                break
    return located


def _scan(pdf: PdfSource, states_dividend: DividendState) -> Located:
    """Every page in order, until the statements and the dividend are found."""
    located = Located()
    dividend = unread = False
    current_since: int | None = None  # page from which the current dividend was known, the prior not
    for index in range(pdf.page_count):
        text = page_text(pdf, index, located)
        # Once the statements are found, later pages are read for the dividend only.
        searching = located.income is None or located.balance is None or (
            located.cash_flow is None and index <= max(located.income, located.balance) + _CASH_FLOW_AFTER)
        titles = list(dict.fromkeys(heading for _, heading in _headings(text))) if searching else []
        summary = searching and _multi_year(text)  # a five-year summary repeats statement titles
        for heading in titles:
            if summary:
                break
            if heading == "is" and located.income is None and has_figures(text):
                located.income = index
            elif heading == "bs" and located.balance is None and has_figures(
                    text, 2 if located.income is not None else 4):
                located.balance = index
            elif heading == "stop" and located.cash_flow is None and re.search(
                    r"cash flows?|現金流量|现金流量", text, re.I) and located.balance is not None and (
                    has_figures(text)):
                located.cash_flow = index
        if located.income is None and index < 4 and not (
                {"bs", "stop"} & set(titles) and has_figures(text, 2)):
            # A balance sheet printed before the income statement (the PRC format's order), or the parent
            # company's, is no highlights table.
            located.highlights += text + "\n"
        elif located.income == index:
            located.highlights += text[: _first_heading_at(text)]
        if "ividend" in text or "股息" in text:
            located.prose.append((index, text))
            unread = True
        if unread and located.income is not None and located.balance is not None:
            # The dividend may have been stated before the statements (in the highlights).
            current, prior = states_dividend([t for _, t in located.prose])
            dividend = current and prior
            current_since = index if current and current_since is None else current_since
            unread = False
        after = located.balance is not None and index > located.balance
        if after and (dividend or (current_since is not None and index - current_since >= _PRIOR_PAGES)):
            break
    if located.income is None:
        located.income = _statement_by_content(pdf)
        located.forced = located.income is not None
    return located


_DIVIDEND_NOTE = re.compile(r"^\s*(?:\d{1,2}\s*[.、]?|[一二三四五六七八九十]{1,3}\s*、)\s*(?:dividends?"
                            r"(?: paid| declared| proposed| paid and proposed| recognised as "
                            r"distributions?)?|股息)\s*$", re.I)
_NOTE_PAGES = 90  # the notes of a full report, past its statements, searched for the dividends note


def dividend_note(pdf: PdfSource, located: Located) -> list[tuple[int, str]]:
    """The dividends note among the notes to the statements ("14. DIVIDENDS"), as (page index, text) for
    its page and the next: where a report lists the interim, final and special dividends of the year."""
    start = max(p for p in (located.income, located.balance, located.cash_flow) if p is not None) + 1 \
        if located.income is not None else 0
    read = {index for index, _ in located.prose}
    for index in range(start, min(start + _NOTE_PAGES, pdf.page_count)):
        text = page_text(pdf, index, located)
        if "ividend" not in text and "股息" not in text:
            continue
        if any(_DIVIDEND_NOTE.match(line) for line in text.split("\n")):
            return [(i, page_text(pdf, i, located)) for i in (index, index + 1)
                    if i < pdf.page_count and i not in read]
    return []


_EQUITY_CHANGES = re.compile(r"statements? of changes in (?:owners'|shareholders'|stockholders')? ?equity|"
                             r"權益變動表|权益变动表", re.I)


def equity_statement_shows_dividends(pdf: PdfSource, located: Located) -> bool | None:
    """Whether the statement of changes in equity (which records every dividend paid in the two years)
    has a dividend line: False means no dividend was paid, so no interim one; None that the statement
    was not found just after the balance sheet."""
    if located.balance is None:
        return None
    for index in range(located.balance + 1, min(located.balance + 4, pdf.page_count)):
        text = page_text(pdf, index, located)
        if _opens_equity_statement(text):
            following = page_text(pdf, index + 1, located) if index + 1 < pdf.page_count else ""
            pages = text + ("\n" + following if _opens_equity_statement(following) else "")  # (continued)
            return bool(re.search(r"dividend|股息|distribution|分派", pages, re.I))
    return None


def _opens_equity_statement(text: str) -> bool:
    return any(_EQUITY_CHANGES.search(line) and heading_kind(line) == "stop" for line in text.split("\n")[:8])


def _multi_year(text: str) -> bool:
    """A page whose column header names four or more years: a five-year (financial) summary, not a
    statement (which compares two periods, however many columns it splits them into)."""
    for line in text.split("\n"):
        years = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", line)
        if len(set(years)) >= 4 and len(years) >= len(line.split()) * 0.6:
            return True
    return False


def _first_heading_at(text: str) -> int:
    lines = text.split("\n")
    for number, kind in _headings(text):
        if kind == "is":
            return len("\n".join(lines[:number]))
    return 0


def _statement_by_content(pdf: PdfSource) -> int | None:
    """The page with the most income-statement line items, for a statement whose title we missed."""
    best, best_score = None, 0
    for index in range(pdf.page_count):
        kinds: set[str] = set()
        if _multi_year(pdf.text(index)):
            continue
        for line in pdf.text(index).split("\n"):
            words = line.split()
            if len(words) >= 3 and all(parse_figure(w) is not None for w in words[-2:]):
                kinds.update(classify(" ".join(w for w in words[:-2] if not is_note_ref(w))))
        score = len(kinds & _INCOME_LINES)
        if score > best_score:
            best, best_score = index, score
    return best if best_score >= 4 else None
