"""What kind of document this is, told from its title before any figure is read.

``DocumentKind`` names every kind the product tells apart: the four it reads (results, board
meetings, delays, profit warnings) and the kinds it recognises and does not read (a prospectus,
a circular, an AGM notice, ...). ``identify`` reads the title lines of the first pages against
``TITLES``, a table in order of precedence; ``refuse_other_documents`` is the results parser's
gate: it raises ``WrongDocumentError`` naming the kind for anything that is not results.

Only the title lines count (the short lines at the top of the first pages): a results
announcement's prose may well mention "the profit warning announcement dated ..." or "the circular".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from parsers.errors import WrongDocumentError
from parsers.text import normalise_line


class DocumentKind(StrEnum):
    # read
    RESULTS = "results"
    BOARD_MEETING = "board_meeting"
    DELAY = "delay"
    PROFIT_WARNING = "profit_warning"
    # recognised, not read
    AGM_NOTICE = "agm_notice"
    CIRCULAR = "circular"
    REPORT_PUBLICATION = "report_publication"
    PROSPECTUS = "prospectus"
    FUND_REPORT = "fund_report"
    OTHER = "other"

    @property
    def is_read(self) -> bool:
        return self in READ_KINDS

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self]


READ_KINDS = frozenset({DocumentKind.RESULTS, DocumentKind.BOARD_MEETING, DocumentKind.DELAY,
                        DocumentKind.PROFIT_WARNING})
DESCRIPTIONS: dict[DocumentKind, str] = {
    DocumentKind.RESULTS: "a results announcement",
    DocumentKind.BOARD_MEETING: "a board meeting notice",
    DocumentKind.DELAY: "a delay notice",
    DocumentKind.PROFIT_WARNING: "a profit warning",
    DocumentKind.AGM_NOTICE: "a general meeting notice",
    DocumentKind.CIRCULAR: "a circular",
    DocumentKind.REPORT_PUBLICATION: "a notice that a report has been published",
    DocumentKind.PROSPECTUS: "a prospectus or listing document",
    DocumentKind.FUND_REPORT: "a fund's report",
    DocumentKind.OTHER: "a document of another kind",
}

# Title patterns, in order of precedence: the first kind whose pattern matches a title line wins
# (a results title beats them all, see ``identify``).
TITLES: tuple[tuple[DocumentKind, re.Pattern[str]], ...] = (
    (DocumentKind.PROFIT_WARNING, re.compile(
        r"\bprofit warning\b|\bprofit alert\b|\bloss warning\b|盈利警告|盈利預警|"
        r"盈利预警|盈利預告|盈利预告|虧損預警|亏损预警", re.I)),
    (DocumentKind.BOARD_MEETING, re.compile(
        r"\b(?:dates? of|notice of|notification of) (?:the )?board meetings?\b|^board meetings?$|"
        r"board meeting (?:date|notice)"
        r"|\b(?:change|changes|postponement|re-?schedul\w*|clarification)\b.{0,30}\bboard meetings?\b"
        r"|\bboard meetings?\b.{0,12}\b(?:change|clarification|rescheduled)\b|"
        r"董事[會会局](?:會議|会议)?(?:召開|召开|舉行|举行)?日期|董事[會会局](?:會議|会议)通[告知]|"
        r"^董事[會会局](?:會議|会议)$",
        re.I)),
    (DocumentKind.REPORT_PUBLICATION, re.compile(
        r"\bpublication of (?:the )?(?:[\w/]+ )?(?:annual|interim|quarterly|half[- ]year|environmental)\b"
        r"|\bnotification letter\b|\bnotice of publication\b|刊發.{0,12}(?:報告|报告|年報|年报)|通知信函",
        re.I)),
    (DocumentKind.AGM_NOTICE, re.compile(
        r"\bnotice of (?:the )?(?:annual|extraordinary|special) general meeting\b|"
        r"股東週年大會通告|股东周年大会通告|股東特別大會通告", re.I)),
    (DocumentKind.CIRCULAR, re.compile(
        r"\bcircular\b|\bproxy form\b|\bform of proxy\b|通函|代表委任表格", re.I)),
)
# A delay or postponement names the results it delays ("DELAY IN PUBLICATION OF ANNUAL RESULTS",
# 延遲刊發中期業績公告): results words on such a line do not make the document a results announcement
# (a results title on a line of its own still does, e.g. beside "delay in publication of annual report").
# A delay of something else (a circular's despatch, an annual report) is no results delay, and a board
# meeting moved to another day is a board-meeting notice (its new date wins).
_DELAY = re.compile(r"\bdelay(?:ed)? in (?:the )?(?:publication|announcement|release|despatch|dispatch)|"
                    r"\bpostpone(?:ment|d)? (?:of )?(?:the )?(?:board meeting|publication)|"
                    r"(?:延遲|延迟|延後|延后|押後|押后|推遲|推迟)(?:刊發|刊发|公佈|公布|發佈|发布|發表|发表|寄發|寄发)|"
                    r"(?:延遲|延迟|延後|延后|押後|押后)(?:舉行)?(?:董事會|董事会)", re.I)
_DELAYED_RESULTS = re.compile(r"\bresults\b|業績|业绩", re.I)
_DELAYED_CIRCULAR = re.compile(r"\bcirculars?\b|通函", re.I)
_RESULTS_TITLE = re.compile(r"\bresults announcement\b|\bannouncement of (?:the )?(?:\w+ )*results\b|"
                            r"\b(?:annual|interim|final|quarterly|half[- ]year(?:ly)?) results\b|"
                            r"業績公告|业绩公告|業績公布|业绩公布", re.I)
_FUND = re.compile(r"unitholders|unit holders|net assets attributable to (?:the )?holders of|單位持有人|"
                   r"单位持有人", re.I)


@dataclass(frozen=True)
class Identified:
    """What ``identify`` found: the kind (None when no title says), and the title line that said so."""

    kind: DocumentKind | None
    title: str | None = None


def _title_lines(first_pages: str) -> list[str]:
    lines = [normalise_line(line) for line in first_pages.split("\n")[:45]]
    return [line for line in lines if 3 <= len(line) <= 90]


def _is_heading(line: str) -> bool:
    """A line printed as a title, not prose: its Latin letters in capitals, or, in Chinese, short
    (a prose line such as '(the "2024 Annual Results").' names results without being a title)."""
    if re.search(r"[。；;，,]$", line):
        return False
    latin = [c for c in line if c.isascii() and c.isalpha()]
    if latin:
        return sum(c.isupper() for c in latin) >= 0.8 * len(latin)
    return len(line) <= 30


def _delay(titles: list[str]) -> Identified | None:
    """A delay title: of results (DELAY), of a circular (CIRCULAR: no results date moves), else None.
    A title may run over two lines ("DELAY IN PUBLICATION OF" / "ANNUAL RESULTS")."""
    for index, line in enumerate(titles):
        found = _DELAY.search(line)
        if not (found and _is_heading(line)):
            continue
        block = " ".join(t for t in titles[index:index + 2] if _is_heading(t))[found.start():]
        if _DELAYED_RESULTS.search(block):
            return Identified(DocumentKind.DELAY, line)
        if _DELAYED_CIRCULAR.search(block):
            return Identified(DocumentKind.CIRCULAR, line)
    return None


_NOTICE_KINDS = (DocumentKind.PROFIT_WARNING, DocumentKind.BOARD_MEETING)


def identify(first_pages: str) -> Identified:
    """The kind the title lines of ``first_pages`` announce. A results title wins over any other
    (a results announcement may also say "closure of register"), except a delay of results and a
    profit warning or board-meeting title printed above it ("PROFIT WARNING" over a line that names
    the results). Titles are read normalised (``parsers.text``: NFC, no spaces between Chinese
    characters)."""
    titles = _title_lines(first_pages)
    delay = _delay(titles)
    if delay is not None and not any(_RESULTS_TITLE.search(line) and _is_heading(line) for line in titles
                                     if line != delay.title or delay.kind is not DocumentKind.DELAY):
        return delay
    results = next((i for i, line in enumerate(titles) if _RESULTS_TITLE.search(line) and _is_heading(line)),
                   None)
    for kind, pattern in TITLES:
        if kind not in _NOTICE_KINDS:
            continue
        at = next((i for i, line in enumerate(titles) if pattern.search(line) and _is_heading(line)), None)
        if at is not None and (results is None or at <= results):
            return Identified(kind, titles[at])
    if results is not None:
        return Identified(DocumentKind.RESULTS, titles[results])
    for kind, pattern in TITLES:
        title = next((line for line in titles if pattern.search(line)), None)
        if title is not None and (kind not in _NOTICE_KINDS or _is_heading(title)):
            return Identified(kind, title)
    return Identified(None)


def refuse_other_documents(first_pages: str, *, statement: str | None = None) -> None:
    """Raise WrongDocumentError ("not a results announcement: ...", with ``kind``) for a document of
    another kind.

    ``first_pages`` is the text of the first pages (titles); ``statement``, once found, the text of the
    statement pages, which show whether they are a company's or a fund's."""
    found = identify(first_pages)
    if found.kind is not None and found.kind is not DocumentKind.RESULTS:
        raise WrongDocumentError(f"not a results announcement: {found.kind.description} "
                                 f"(title {found.title!r})", kind=found.kind.value)
    if statement is not None and _FUND.search(statement):
        raise WrongDocumentError("not a results announcement: a fund's report (its statements show net "
                                 "assets attributable to unitholders, not a company's profit)",
                                 kind=DocumentKind.FUND_REPORT.value)
