"""Read a "date of board meeting" notice (HKEXnews 13150) or a "delay in results announcement"
(13200) into a BoardMeetingNotice: when the board meets, which results it approves, for which
period, and whether it will consider a dividend. English and Chinese.

A meeting is read from the sentence that says the board will meet on a date; its purpose from that
sentence and the next ones up to the next meeting. A meeting that is not said to approve results
gets ``results`` None with a note, never a guessed kind. Pure: bytes or a path in, no network, no clock.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import date

from parsers.dates import PeriodMention, find_periods
from parsers.errors import WrongDocumentError
from parsers.meeting_dates import meeting_dates, new_date, weekday_notes
from parsers.notices import BoardMeetingNotice, NoticeText, ResultsKind, clip, notice_text, read_pages

MAX_PAGES = 12  # notices are one or two pages; a long document is not one, and is read no further
_UNTITLED_PAGES = 5  # a notice without a board-meeting or delay title is short; a longer document is not one

_MEETING = re.compile(r"meeting of (?:the |its |our )?(?:board|directors)|board meeting"
                      r"|(?:board|directors) (?:will|shall) (?:hold|meet|convene)"
                      r"|董事[會会局](?:[（(][^）)]{0,16}[）)])?(?:會議|会议)"
                      r"|董事[會会局][^。]{0,60}?(?:舉行|举行|召開|召开)[^。]{0,12}?(?:會議|会议)", re.I)
_HELD = re.compile(r"(?:will|shall|is to|to) be (?:held|convened)|scheduled|will (?:hold|meet|convene)"
                   r"|postponed|rescheduled|changed|moved|brought forward|should (?:be|read)|instead of"
                   r"|將於|将于|定於|定于|訂於|订于|舉行|举行|召開|召开|更改|改於|改于|改為|改为|更正|應為|应为|延後|押後",
                   re.I)
_REFERENCE = re.compile(r"^\s*(?:reference is made|references are made|we refer"
                        r"|茲提述|兹提述|謹此提述|谨此提述|提述)", re.I)
_TITLE = re.compile(r"board meeting|date of (?:the )?board|meeting of the board"
                    r"|董事[會会局](?:會議|会议)", re.I)

# A delay of the results themselves (kind "delay"); a board meeting moved to another known day is a
# change of date (kind "board_meeting", ``replaces_date``), moved to no known day a delay.
_DELAY = re.compile(
    r"\bdelay(?:ed|s)?\b[^.]{0,80}?\bresults"
    r"|\b(?:publication|release|announcement|publishing)\b[^.]{0,60}?\bresults\b(?:(?!meeting)[^.]){0,40}?"
    r"\b(?:delayed|postponed|deferred)"
    r"|\bresults(?: announcement)?\s+(?:(?:will|shall|would|is|are|has|have|may)\s+)?(?:been\s+|be\s+)?"
    r"(?:delayed|postponed|deferred)"
    r"|\bpostpone(?:d|ment)?\b[^.]{0,40}?\b(?:publication|release|announcement)\b[^.]{0,60}?\bresults"
    r"|(?:延遲|延迟|延後|延后|押後|押后|推遲|推迟)(?:刊發|刊发|公佈|公布|發佈|发布|發表|发表)[^。]{0,40}?(?:業績|业绩)"
    r"|(?:業績|业绩)[^。會会議议]{0,24}?(?:延遲|延迟|延後|延后|延期|押後|押后|推遲|推迟)",
    re.I)
_POSTPONED = re.compile(
    r"\bpostpone(?:d|ment)?\b[^.]{0,60}?\b(?:board meeting|meeting of the board)"
    r"|\b(?:board meeting|meeting of the board)\b[^.]{0,90}?\b(?:postponed|rescheduled|deferred|adjourned)"
    r"|(?:延遲|延迟|延後|延后|延期|押後|押后|推遲|推迟|順延|顺延)[^。]{0,40}?董事[會会局](?:會議|会议)"
    r"|董事[會会局](?:會議|会议)[^。]{0,40}?(?:延遲|延迟|延後|延后|延期|押後|押后|推遲|推迟|順延|顺延)",
    re.I)
_CIRCULAR_DELAY = re.compile(r"\bdelay\w*\b[^.]{0,60}?\b(?:despatch|dispatch|publication|issue)\b[^.]{0,30}?"
                             r"\bcirculars?\b|(?:延遲|延迟|延後|延后|押後|押后)[^。]{0,12}?通函", re.I)
_CHANGED = re.compile(r"\b(?:change[sd]?|postponed|rescheduled|re-scheduled|moved|brought forward|advanced"
                      r"|instead of|clarif\w*|should (?:be|read))\b"
                      r"|更改|改於|改于|改為|改为|更正|澄清|應為|应为|而非|延後|延后|押後|押后|提前", re.I)
_RESULTS_NAMED = re.compile(r"\bresults\b|業績|业绩", re.I)
_SUSPENSION = re.compile(r"suspen|halt|resum|暫停買賣|暂停买卖|停牌|復牌|复牌|短暫停牌", re.I)

_KINDS: tuple[tuple[ResultsKind, re.Pattern[str]], ...] = (
    ("quarterly", re.compile(r"(?:first|second|third|fourth|1st|2nd|3rd|4th|q[1-4])[- ]quarter(?:ly)?\s+"
                             r"(?:(?:consolidated|financial|unaudited|audited)\s+)*results"
                             r"|quarterly\s+(?:(?:consolidated|financial|unaudited|audited)\s+)*results"
                             r"|季度(?:綜合|综合)?(?:財務|财务)?(?:業績|业绩)"
                             r"|季度報告|季度报告|第[一三]季度", re.I)),
    ("interim", re.compile(r"interim\s+(?:(?:consolidated|condensed|financial|unaudited|audited)\s+)*results"
                           r"|half[- ]year(?:ly)?\s+(?:(?:consolidated|financial|unaudited)\s+)*results"
                           r"|中期(?:綜合|综合)?(?:財務|财务)?(?:業績|业绩)|半年度(?:業績|业绩)", re.I)),
    ("final", re.compile(r"(?:annual|final|full[- ]year|year[- ]end)\s+"
                         r"(?:(?:consolidated|financial|unaudited|audited|preliminary)\s+)*results"
                         r"|results for the (?:financial )?year"
                         r"|(?:全年|年度|末期)(?:綜合|综合)?(?:財務|财务)?(?:業績|业绩)", re.I)),
)
_RESULTS_WORD = re.compile(r"\bresults\b|\bfinancial statements\b|業績|业绩|財務報表|财务报表", re.I)
_BY_MONTHS: dict[int, ResultsKind] = {3: "quarterly", 6: "interim", 9: "quarterly", 12: "final"}

_NO_DIVIDEND = re.compile(r"(?<!whether or )\bnot\b[^.;]{0,60}?\b(?:dividend|distribution)"
                          r"|\bno\b[^.;]{0,30}?\b(?:dividend|distribution)[^.;]{0,30}?\bwill\b"
                          r"|不[會会][^。；]{0,20}?(?:股息|分派)"
                          r"|不(?:擬|拟|考慮|考虑|建議|建议)[^。；]{0,20}?(?:股息|分派)", re.I)
_OF_THE_MEETING = re.compile(r"\bmeeting\b|\bpurposes?\b|\bthe board will\b"
                             r"|會議|会议|董事[會会局]將|董事[會会局]将", re.I)
_DIVIDEND = re.compile(r"\bdividends?\b|\b(?:interim|final|special) distributions?\b|股息|分派|派息", re.I)


@dataclass(frozen=True)
class _Meeting:
    sentence: int  # index of the sentence that names the meeting
    when: date | None
    notes: tuple[str, ...]
    replaces: date | None = None  # the date the sentence says this one replaces


@dataclass(frozen=True)
class _Results:
    kind: ResultsKind | None
    period: PeriodMention | None
    at: int
    notes: tuple[str, ...]


def parse_board_meeting(source: bytes | str | os.PathLike[str]) -> BoardMeetingNotice:
    """The results board meeting a notice announces (or a delay notice moves), from bytes or a path.

    When the notice names several meetings, the first that approves results is returned and the
    others are listed in ``notes`` (``parse_board_meetings`` returns each). Raises UnreadablePdfError
    for bytes that are not a readable PDF, WrongDocumentError for a document that is not such a notice."""
    meetings = parse_board_meetings(source)
    chosen = next((m for m in meetings if m.results), meetings[0])
    others = [_describe(m) for m in meetings if m is not chosen]
    if not others:
        return chosen
    return replace(chosen, notes=chosen.notes + tuple(f"the notice also names {o}" for o in others))


def parse_board_meetings(source: bytes | str | os.PathLike[str]) -> tuple[BoardMeetingNotice, ...]:
    """Every board meeting a notice names (one entry per meeting and results it approves), in order."""
    return board_meetings_in(read_pages(source, MAX_PAGES))


def board_meetings_in(pages: list[str]) -> tuple[BoardMeetingNotice, ...]:
    """``parse_board_meetings`` on the plain text of a notice's pages."""
    text = notice_text(pages)
    opening = (text.head, *text.sentences[:6])
    delay = any(_DELAY.search(s) for s in opening)
    postponed = any(_POSTPONED.search(s) for s in opening)
    if not delay and any(_CIRCULAR_DELAY.search(s) and not _RESULTS_NAMED.search(s) for s in opening[:3]):
        raise WrongDocumentError("a delay in despatching a circular, not in results: it moves no results "
                                 f"date (title {text.head!r})", kind="circular")
    titled = bool(_TITLE.search(text.head)) or delay or postponed
    if text.has_statements and not titled:
        raise WrongDocumentError("the document carries financial statements and no board-meeting title: "
                                 "it is a results announcement or a report, not a board-meeting notice")
    if len(pages) > _UNTITLED_PAGES and not titled:
        raise WrongDocumentError(f"no board-meeting or delay title in a document of over {_UNTITLED_PAGES} "
                                 "pages: this does not look like a board-meeting notice")
    if delay:
        return (_delay_notice(text),)
    meetings = _meetings(text.sentences)
    if postponed and not any(m.when for m in meetings):  # postponed to a day not yet fixed: a delay
        return (_delay_notice(text),)
    meetings = [m for m in meetings if m.when is not None]
    if not meetings:
        raise WrongDocumentError("no sentence saying the board will meet on a date was found: this does not "
                                 "look like a board-meeting notice or a delay in results announcement")
    entries: list[BoardMeetingNotice] = []
    for number, meeting in enumerate(meetings):
        stop = meetings[number + 1].sentence if number + 1 < len(meetings) else len(text.sentences)
        # The purpose or the dividend may follow in the next sentences, when they speak of the meeting.
        following = [s for s in text.sentences[meeting.sentence + 1:min(stop, meeting.sentence + 3)]
                     if _OF_THE_MEETING.search(s)]
        entries.extend(_entries(text, meeting, (text.sentences[meeting.sentence], *following)))
    return tuple(entries)


def _entries(text: NoticeText, meeting: _Meeting, context: tuple[str, ...]) -> list[BoardMeetingNotice]:
    """One record per results the meeting approves (one with ``results`` None when it approves none)."""
    joined = " ".join(context)
    dividend = _dividend(joined)
    found = _results(joined)
    purpose = clip(context[0])
    notes = meeting.notes
    replaces = meeting.replaces
    if replaces is None and _CHANGED.search(joined):
        replaces = _referenced_date(text.sentences, meeting.when)
    if not found and (replaces is not None or _CHANGED.search(joined)):
        # A change of date often names the results only where it recalls the first notice.
        found = _results(" ".join(s for s in text.sentences if _REFERENCE.match(s)))
        if found:
            notes += ("the results are those the earlier notice named, as this notice recalls it",)
    if not found:
        note = "the meeting is not said to approve results (its stated purpose is in 'purpose')"
        return [_record(text, meeting.when, None, dividend, purpose, notes + (note,), replaces=replaces)]
    return [_record(text, meeting.when, r, dividend, purpose, notes + r.notes, replaces=replaces)
            for r in found]


def _record(text: NoticeText, when: date | None, results: _Results | None, dividend: bool | None,
            purpose: str, notes: tuple[str, ...], *, is_delay: bool = False,
            on_or_before: bool = False, replaces: date | None = None) -> BoardMeetingNotice:
    period = results.period if results else None
    if replaces is not None:
        notes += (f"the notice moves the meeting from {replaces.isoformat()}"
                  + (f" to {when.isoformat()}" if when else ""),)
    return BoardMeetingNotice(
        company=text.company, stock_codes=text.stock_codes, language=text.language, meeting_date=when,
        results=results.kind if results else None, period_end=period.end if period else None,
        months=period.months if period else None, dividend=dividend, is_delay=is_delay, purpose=purpose,
        notes=tuple(dict.fromkeys(notes)), on_or_before=on_or_before, replaces_date=replaces)


def _meetings(sentences: tuple[str, ...]) -> list[_Meeting]:
    """Sentences that say the board will meet, each with its date (``parsers.meeting_dates``: the
    first date that is not a period end, an earlier notice's date or a date it replaces)."""
    found: list[_Meeting] = []
    for index, sentence in enumerate(sentences):
        if not (_MEETING.search(sentence) and _HELD.search(sentence)) or _REFERENCE.match(sentence):
            continue
        dates = meeting_dates(sentence)
        if dates.when is None and dates.replaces is None:
            continue
        notes: list[str] = []
        if dates.when is not None and dates.span is not None:
            notes.extend(weekday_notes(sentence, *dates.span, dates.when))
            if dates.others:
                listed = ", ".join(d.isoformat() for d in dates.others)
                notes.append(f"the sentence naming the meeting also gives {listed}; "
                             f"{dates.when.isoformat()}, the first, is read as the meeting date")
        found.append(_Meeting(index, dates.when, tuple(notes), dates.replaces))
    return found


def _referenced_date(sentences: tuple[str, ...], when: date | None) -> date | None:
    """The meeting date an earlier notice gave, as this one recalls it ("Reference is made to the
    announcement dated 8 August 2008 in relation to the board meeting to be held on 20 August 2008")."""
    for sentence in sentences:
        if not (_REFERENCE.match(sentence) and _MEETING.search(sentence)):
            continue
        dates = meeting_dates(sentence)
        for candidate in (dates.when, dates.replaces, *dates.others):
            if candidate is not None and candidate != when:
                return candidate
    return None


def _results(text: str) -> list[_Results]:
    """The results a passage says will be approved: each kind named ("interim results") with the
    period printed next to it, or a period next to the word "results"."""
    periods = find_periods(text)
    mentions = sorted((m.start(), m.end(), kind) for kind, pattern in _KINDS for m in pattern.finditer(text))
    found: list[_Results] = []
    taken: set[int] = set()
    for start, stop, kind in mentions:
        period = _period_near(periods, start, stop)
        notes: list[str] = []
        if period is None:
            notes.append(f"the notice names the {kind} results but not the period they cover")
        else:
            taken.add(period.start)
            expected = _BY_MONTHS.get(period.months or 0)
            if expected and expected != kind:
                notes.append(f"{kind} results for a {period.months}-month period: the kind is taken as "
                             "printed")
        found.append(_Results(kind, period, start, tuple(notes)))
    for word in _RESULTS_WORD.finditer(text):
        period = _period_near(periods, word.start(), word.end())
        if period is None or period.start in taken or any(r.at <= word.start() < r.at + 60 for r in found):
            continue
        taken.add(period.start)
        inferred = _BY_MONTHS.get(period.months or 0)
        note = (f"the kind of results is not named; read from the {period.months}-month period" if inferred
                else "the kind of results is not named and the period's length is not stated")
        found.append(_Results(inferred, period, word.start(), (note,)))
    unique: dict[tuple[str | None, date | None], _Results] = {}
    for item in sorted(found, key=lambda r: r.at):
        key = (item.kind, item.period.end if item.period else None)
        if key not in unique and not (item.period is None and any(k[0] == item.kind for k in unique)):
            unique[key] = item
    return list(unique.values())


def _period_near(periods: list[PeriodMention], start: int, stop: int) -> PeriodMention | None:
    """The period printed with a results mention: just after it in English ("interim results of the
    Company for the six months ended ..."), just before it in Chinese ("截至...止六個月之中期業績")."""
    after = [p for p in periods if 0 <= p.start - stop <= 110]
    before = [p for p in periods if 0 <= start - p.stop <= 12]
    if before:
        return before[-1]
    return after[0] if after else None


def _dividend(text: str) -> bool | None:
    """True when the meeting will consider a dividend, False when the notice says it will not,
    None when the notice does not say."""
    if _NO_DIVIDEND.search(text):
        return False
    return True if _DIVIDEND.search(text) else None


def _delay_notice(text: NoticeText) -> BoardMeetingNotice:
    """A delay notice: the new date of the meeting or of the results where it states one."""
    notes: list[str] = []
    new: tuple[date, bool, str] | None = None
    for sentence in text.sentences:
        if _REFERENCE.match(sentence) or _SUSPENSION.search(sentence):
            continue
        found = new_date(sentence)
        if found and new is None:
            new = (found[0], found[1], sentence)
        elif found and new and found[0] != new[0]:
            notes.append(f"the notice also gives {found[0].isoformat()} as a new date; the first, "
                         f"{new[0].isoformat()}, is kept")
    delayed = [s for s in text.sentences if _DELAY.search(s)]
    results = (_results(" ".join(delayed)) or _results(" ".join(text.sentences)))
    chosen = results[0] if results else None
    if chosen is not None and chosen.period is None:
        # "the publication of the annual results will be delayed": the period is printed elsewhere
        # ("... to publish its annual results for the year ended 31 December 2008 by 31 March 2009").
        dated = [r for r in _results(" ".join(text.sentences)) if r.kind == chosen.kind and r.period]
        if dated:
            chosen = replace(dated[0], notes=())
    if chosen is None:
        notes.append("the notice does not say which results are delayed")
    else:
        notes.extend(chosen.notes)
        notes.extend(f"the notice also names {r.kind or 'other'} results"
                     + (f" for the period ended {r.period.end.isoformat()}" if r.period else "")
                     for r in results[1:])
    planned = next((m.replaces for m in _meetings(text.sentences) if m.replaces is not None), None)
    if new is None:
        notes.append("the notice states no new date for the board meeting or the results")
        purpose = clip(delayed[0] if delayed else text.head)
        return _record(text, None, chosen, None, purpose, tuple(notes), is_delay=True, replaces=planned)
    when, deadline, sentence = new
    if deadline:
        notes.append(f"{when.isoformat()} is the latest date the notice gives (\"on or before\"), not the "
                     "day itself")
    return _record(text, when, chosen, _dividend(sentence), clip(sentence), tuple(notes), is_delay=True,
                   on_or_before=deadline, replaces=planned if planned != when else None)


def _describe(notice: BoardMeetingNotice) -> str:
    when = notice.meeting_date.isoformat() if notice.meeting_date else "an unstated date"
    if notice.results:
        period = f" for the period ended {notice.period_end.isoformat()}" if notice.period_end else ""
        return f"a meeting on {when} to approve {notice.results} results{period}"
    return f"a meeting on {when} not said to approve results"
