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
    ALLOTMENT_RESULTS = "allotment_results"
    OVER_ALLOTMENT = "over_allotment"
    NEXT_DAY_DISCLOSURE = "next_day_disclosure"
    MONTHLY_RETURN = "monthly_return"
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
    DocumentKind.ALLOTMENT_RESULTS: "an announcement of a share offer's allotment results",
    DocumentKind.OVER_ALLOTMENT: "a notice of an over-allotment option or stabilisation after a listing",
    DocumentKind.NEXT_DAY_DISCLOSURE: "a next day disclosure return (changes in issued shares)",
    DocumentKind.MONTHLY_RETURN: "a monthly return on movements in securities",
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
# Listing documents and the returns of share movements, checked before the results title: "ANNOUNCEMENT
# OF OFFER PRICE AND ALLOTMENT RESULTS" reads like a results title, and an accountants' report in a
# prospectus holds income statements. A prospectus is named by a cover line that is only its title
# ("GLOBAL OFFERING", 全球發售), never by prose that mentions "the Prospectus".
LISTING_TITLES: tuple[tuple[DocumentKind, re.Pattern[str]], ...] = (
    (DocumentKind.ALLOTMENT_RESULTS, re.compile(
        r"\ballot?ment results\b|\ballocation results\b|配發結果|配发结果|分配結果|分配结果", re.I)),
    (DocumentKind.OVER_ALLOTMENT, re.compile(
        r"\bover-?allotment option\b|\bstabili[sz](?:ing|ation) (?:actions?|period|manager)\b|"
        r"超額配股權|超额配股权|超額配售|超额配售|穩定價格行動|稳定价格行动|穩定價格期|稳定价格期", re.I)),
    (DocumentKind.NEXT_DAY_DISCLOSURE, re.compile(r"\bnext day disclosure return\b|翌日披露報表|翌日披露报表",
                                                  re.I)),
    (DocumentKind.MONTHLY_RETURN, re.compile(
        r"\bmonthly return\b|月報表|月报表", re.I)),
    (DocumentKind.PROSPECTUS, re.compile(
        r"(?:global offering|prospectus|share offer|public offer|listing by way of introduction|"
        r"post hearing information pack|application proof|listing on the (?:main board|gem)\b.*|"
        r"全球發售|全球发售|招股章程|聆訊後資料集|聆讯后资料集|申請版本|申请版本|以介紹方式上市|以介绍方式上市)"
        r"[\s*]*", re.I)),
)
# Words of a prospectus's own cover and its accountants' report: "this prospectus" (a results
# announcement says "the Prospectus"), the Track Record Period its financial information covers.
_PROSPECTUS_TEXT = re.compile(r"\b(?:of|in) this prospectus\b|本招股章程", re.I)
_ACCOUNTANTS_REPORT = re.compile(r"accountants['’]? report|track record period|往績記錄期間|往绩记录期间|"
                                 r"會計師報告|会计师报告", re.I)
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
    listing = _listing(titles)
    if listing.kind is not None:
        return listing
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


def _listing(titles: list[str]) -> Identified:
    """A listing document or share-movement return, by a title line (a prospectus by a line that is only
    its title, as its cover prints it)."""
    for kind, pattern in LISTING_TITLES:
        for line in titles:
            compact = re.sub(r"\s+", " ", line).strip()
            if kind is DocumentKind.PROSPECTUS:
                if pattern.fullmatch(compact) or pattern.fullmatch(re.sub(r"\s+", "", line)):
                    return Identified(kind, line)
            elif pattern.search(compact):
                return Identified(kind, line)
    return Identified(None)


def refuse_other_documents(first_pages: str, *, statement: str | None = None,
                           prose: str | None = None) -> None:
    """Raise WrongDocumentError ("not a results announcement: ...", with ``kind``) for a document of
    another kind.

    ``first_pages`` is the text of the first pages (titles); ``statement``, once found, the text of the
    statement pages, which show whether they are a company's or a fund's (or a prospectus's accountants'
    report); ``prose``, more of the opening pages, where a prospectus speaks of "this prospectus"."""
    found = identify(first_pages)
    if found.kind is not None and found.kind is not DocumentKind.RESULTS:
        raise WrongDocumentError(f"not a results announcement: {found.kind.description} "
                                 f"(title {found.title!r})", kind=found.kind.value)
    if found.kind is None and (cover := _PROSPECTUS_TEXT.search(prose or first_pages)):
        raise WrongDocumentError(f"not a results announcement: {DocumentKind.PROSPECTUS.description} "
                                 f"(its cover says {cover.group(0)!r})", kind=DocumentKind.PROSPECTUS.value)
    if statement is not None and (report := _ACCOUNTANTS_REPORT.search(statement)):
        raise WrongDocumentError(f"not a results announcement: {DocumentKind.PROSPECTUS.description} (its "
                                 f"statements stand in {report.group(0)!r}, not in results)",
                                 kind=DocumentKind.PROSPECTUS.value)
    if statement is not None and _FUND.search(statement):
        raise WrongDocumentError("not a results announcement: a fund's report (its statements show net "
                                 "assets attributable to unitholders, not a company's profit)",
                                 kind=DocumentKind.FUND_REPORT.value)
