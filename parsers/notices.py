"""What the parsers read from the notices an issuer files *before* its results: the typed records
that cross from parsers/ to the rest (the calendar, pre-armed polling, warning alerts).

``BoardMeetingNotice``: a "date of board meeting" notice (category 13150) or a "delay in results
announcement" (13200) that moves the date. ``ProfitWarning``: a profit warning or positive profit
alert (13500). Amounts are absolute currency units (HK$60 million -> 60_000_000.0), losses are
negative, ``None`` means the document does not state it (``notes`` say why), never a guess.

``NoticeText``/``notice_text``: the prose of a short notice (cover, title, sentences), which both
notice parsers read, normalised once (``parsers.text``) before any pattern; ``read_pages`` opens the
PDF and keeps each overdrawn (fake-bold) glyph once (importing the PDF libraries only when called, so
code that only handles the records does not load them).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from parsers.headings import heading_kind
from parsers.metadata import detect_language, find_company, find_stock_codes
from parsers.numbers import parse_figure
from parsers.text import join_lines, normalise_page

if TYPE_CHECKING:
    import os

ResultsKind = Literal["final", "interim", "quarterly"]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class BoardMeetingNotice:
    """A board meeting that will approve results, as the notice states it."""

    company: str | None
    stock_codes: tuple[str, ...]
    language: str  # "en" | "zh"
    meeting_date: date | None
    results: ResultsKind | None  # which results the meeting approves
    period_end: date | None  # the end of the period those results cover
    months: int | None  # its length (3, 6, 9, 12)
    dividend: bool | None  # True: "and to consider the payment of a dividend"; None: not said
    is_delay: bool = False  # a delay notice: ``meeting_date`` is the new (expected) date, if stated
    purpose: str | None = None  # the sentence stating the purpose, as printed (clipped)
    notes: tuple[str, ...] = ()
    on_or_before: bool = False  # ``meeting_date`` is the latest date given ("on or before"), not the day
    # The meeting date this notice replaces, when it prints one: the date first planned (a change of
    # date, a postponement) or printed wrongly (a clarification). None for a first notice.
    replaces_date: date | None = None

    def to_json_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("meeting_date", "period_end", "replaces_date"):
            d[key] = d[key].isoformat() if d[key] else None
        d["stock_codes"], d["notes"] = list(self.stock_codes), list(self.notes)
        return d

    @classmethod
    def from_json_dict(cls, d: dict[str, Any]) -> BoardMeetingNotice:
        return cls(company=d.get("company"), stock_codes=tuple(d.get("stock_codes") or ()),
                   language=d.get("language") or "en", meeting_date=_date(d.get("meeting_date")),
                   results=d.get("results"), period_end=_date(d.get("period_end")), months=d.get("months"),
                   dividend=d.get("dividend"), is_delay=bool(d.get("is_delay")), purpose=d.get("purpose"),
                   notes=tuple(d.get("notes") or ()), on_or_before=bool(d.get("on_or_before")),
                   replaces_date=_date(d.get("replaces_date")))


Measure = Literal["revenue", "gross_profit", "operating_profit", "profit_before_tax", "profit_for_period",
                  "profit_attributable"]


@dataclass(frozen=True)
class ProfitWarning:
    """The expected result a profit warning or positive profit alert states.

    ``low``/``high``: the expected range of ``measure`` (equal, with ``approximate``, for "about
    HK$592 million"; losses negative, so a loss of HK$60m-70m is low=-70e6, high=-60e6).
    ``change_low_pct``/``change_high_pct``: a stated change range instead of (or besides) amounts,
    signed ("a decrease of 40% to 50%" is -50.0, -40.0) the way ``parsers.report.change_pct`` signs
    a change, so a loss growing by 30% is -30.0. ``prior``: the comparative figure where
    stated. ``direction``: "warning" (worse) or "positive" (better), from what the document says.
    ``bound``: a one-sided figure, "at_least" for "not less than" and "at_most" for "not more than"
    (in size: a loss of not less than HK$45m is high=-45e6 with low None). ``rounding``: the step the
    printed figure is rounded to (HK$592 million: 1e6; 人民幣1.2億元: 1e7), for comparing with results.
    """

    company: str | None
    stock_codes: tuple[str, ...]
    language: str
    direction: Literal["warning", "positive"] | None
    measure: Measure | None
    low: float | None
    high: float | None
    approximate: bool
    currency: str | None  # "HKD" | "RMB" | "USD" ...
    period_end: date | None
    months: int | None
    prior: float | None = None
    change_low_pct: float | None = None
    change_high_pct: float | None = None
    sentence: str | None = None  # where the figure was read, as printed (clipped)
    notes: tuple[str, ...] = field(default=())
    bound: Literal["at_least", "at_most"] | None = None
    rounding: float | None = None

    @property
    def has_figure(self) -> bool:
        """An amount or a change was read (either end of a one-sided figure counts)."""
        return any(v is not None for v in (self.low, self.high, self.change_low_pct, self.change_high_pct))

    def to_json_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["period_end"] = self.period_end.isoformat() if self.period_end else None
        d["stock_codes"], d["notes"] = list(self.stock_codes), list(self.notes)
        return d

    @classmethod
    def from_json_dict(cls, d: dict[str, Any]) -> ProfitWarning:
        return cls(company=d.get("company"), stock_codes=tuple(d.get("stock_codes") or ()),
                   language=d.get("language") or "en", direction=d.get("direction"), measure=d.get("measure"),
                   low=d.get("low"), high=d.get("high"), approximate=bool(d.get("approximate")),
                   currency=d.get("currency"), period_end=_date(d.get("period_end")), months=d.get("months"),
                   prior=d.get("prior"), change_low_pct=d.get("change_low_pct"),
                   change_high_pct=d.get("change_high_pct"), sentence=d.get("sentence"),
                   notes=tuple(d.get("notes") or ()), bound=d.get("bound"), rounding=d.get("rounding"))


@dataclass(frozen=True)
class WarningOutcome:
    """How reported results compare with the earlier warning for the same period.

    ``actual``: the reported figure of the warning's ``measure`` (absolute units, losses negative).
    ``verdict``: "inside" the warned range (or within rounding of an approximate figure),
    "better" or "worse" than it, or "unclear" (e.g. the warning stated only a change and the
    prior figure is not known); ``detail`` says why in a few words."""

    warning: ProfitWarning
    actual: float
    verdict: Literal["inside", "better", "worse", "unclear"]
    detail: str | None = None


@dataclass(frozen=True)
class NoticeText:
    """A short notice as prose: who issued it, its title block and its body as sentences.

    ``head``: the lines between the stock-code line and the body (the title, "PROFIT WARNING").
    ``sentences``: the body from the title block to "By order of the Board", lines joined back
    into sentences (the exchange's disclaimer, the cover and the directors list are left out).
    ``has_statements``: the document carries a primary statement with figures (a results announcement)."""

    company: str | None
    stock_codes: tuple[str, ...]
    language: str
    head: str
    sentences: tuple[str, ...]
    has_statements: bool


_SIGN_OFF = re.compile(r"^\s*(?:By order of the Board|For and on behalf of|On behalf of the Board\b"
                       r"|承董事[會会局]命|代表董事[會会局]|代表\s*$)", re.I)
_FOOTER = re.compile(r"^\s*[-–—]?\s*\d{1,3}\s*[-–—]?\s*$|^\s*\*\s*For identification purposes? only\s*$",
                     re.I)
_CJK = r"\u3400-\u9fff\u3000-\u303f\uff00-\uffef「」『』"
_ABBREVIATIONS = frozenset({"ltd", "co", "no", "nos", "mr", "ms", "mrs", "dr", "inc", "p.m", "a.m", "etc",
                            "i.e", "e.g", "approx", "corp", "st", "u.s", "hk"})


def clip(sentence: str, limit: int = 600) -> str:
    """A sentence as printed, cut with "..." when longer than ``limit`` characters."""
    return sentence if len(sentence) <= limit else sentence[:limit - 3].rstrip() + "..."


def split_sentences(text: str) -> list[str]:
    """Sentences of prose: after "。", or after "." / ";" followed by a capital (not after "Ltd.", "p.m.")."""
    sentences: list[str] = []
    start = 0
    for match in re.finditer(r"。|[.;](?=\s+[A-Z(“\"'「])", text):
        if match.group() != "。":
            word = re.search(r"([A-Za-z.]+)$", text[start:match.start()])
            if word and word.group(1).lower().strip(".") in _ABBREVIATIONS:
                continue
        piece = text[start:match.end()].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    if text[start:].strip():
        sentences.append(text[start:].strip())
    return sentences


def _statement_lines(lines: list[str]) -> bool:
    """A primary statement title followed by rows ending in two figures: a results announcement."""
    if not any(heading_kind(line.strip()) == "is" for line in lines):
        return False
    rows = sum(1 for line in lines
               if len(tail := line.split()[-2:]) == 2 and all(parse_figure(t) is not None for t in tail)
               and any("," in t or "(" in t for t in tail))
    return rows >= 6


def _width(line: str) -> int:
    """Printed width in Latin characters (a Chinese character is about two)."""
    return len(line) + len(re.findall(rf"[{_CJK}]", line))


def _title_line(line: str, prose_width: int) -> bool:
    """A line of the title block: not ending a sentence or clause, and either in capitals or clearly
    shorter than the prose lines (a Chinese prose line is about 40 characters, a title 4 to 30)."""
    if re.search(r"[。.;；:：,，]$", line):
        return False
    latin = [c for c in line if c.isascii() and c.isalpha()]
    if len(latin) >= 4 and sum(c.isupper() for c in latin) >= 0.8 * len(latin):
        return True
    return _width(line) < min(80, 0.8 * prose_width) if prose_width else _width(line) < 80


def notice_text(pages: list[str]) -> NoticeText:
    """Read a notice's pages (plain text per page) into its cover, title block and sentences; the text
    is normalised first (``parsers.text``: NFC, spaces beside Chinese characters)."""
    pages = [normalise_page(page) for page in pages]
    lines = [line for page in pages for line in page.split("\n") if not _FOOTER.match(line)]
    first = pages[0] if pages else ""
    language = detect_language("\n".join(pages))
    code_at = next((i for i, line in enumerate(lines[:40]) if find_stock_codes(line)), None)
    body_from = code_at + 1 if code_at is not None else 0
    body_to = next((i for i in range(body_from, len(lines)) if _SIGN_OFF.match(lines[i])), len(lines))
    body = lines[body_from:body_to]
    widths = sorted(_width(line.strip()) for line in body[:40])
    prose_width = widths[min(len(widths) - 1, int(0.8 * len(widths)))] if widths else 0
    head_lines: list[str] = []
    for line in body[:8]:
        if not _title_line(line.strip(), prose_width):  # prose: the title is over
            break
        head_lines.append(line.strip())
    head = "\n".join(head_lines)
    prose = join_lines(body[len(head_lines):])
    return NoticeText(company=find_company(first, language), stock_codes=find_stock_codes(first),
                      language=language, head=head, sentences=tuple(split_sentences(prose)),
                      has_statements=_statement_lines(lines))


def read_pages(source: bytes | str | os.PathLike[str], max_pages: int) -> list[str]:
    """Plain text of a notice's first ``max_pages`` pages, from bytes or a path, each glyph that is
    drawn several times at one place (fake bold) kept once.

    Raises UnreadablePdfError for bytes that are not a readable PDF with a text layer."""
    from parsers.document import PdfSource, read_source

    with PdfSource(read_source(source), max_pages=max_pages) as pdf:
        pdf.require_text()
        return [pdf.text_once(i) for i in range(pdf.page_count)]
