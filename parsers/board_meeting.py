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

from parsers.dates import PeriodMention, find_date_spans, find_periods, stated_weekday
from parsers.errors import WrongDocumentError
from parsers.notices import BoardMeetingNotice, NoticeText, ResultsKind, clip, notice_text, read_pages

MAX_PAGES = 12  # notices are one or two pages; a long document is not one, and is read no further
_UNTITLED_PAGES = 5  # a notice without a board-meeting or delay title is short; a longer document is not one

_MEETING = re.compile(r"meeting of (?:the |its |our )?(?:board|directors)|board meeting"
                      r"|(?:board|directors) (?:will|shall) (?:hold|meet|convene)"
                      r"|董事[會会局](?:會議|会议)"
                      r"|董事[會会局][^。]{0,60}?(?:舉行|举行|召開|召开)[^。]{0,12}?(?:會議|会议)", re.I)
_HELD = re.compile(r"(?:will|shall|is to|to) be (?:held|convened)|scheduled|will (?:hold|meet|convene)"
                   r"|postponed|rescheduled|將於|将于|定於|定于|舉行|举行|召開|召开", re.I)
# Words just before a date that make it not the meeting's date: a reference to an earlier notice,
# the date originally planned.
_NOT_MEETING_DATE = re.compile(r"dated|announcements? of the company (?:published )?on|originally|previously"
                               r"|日期為|日期为|原定|原訂|原订|已於|已于", re.I)
_REFERENCE = re.compile(r"^\s*(?:reference is made|references are made|we refer"
                        r"|茲提述|兹提述|謹此提述|谨此提述|提述)", re.I)
_TITLE = re.compile(r"board meeting|date of (?:the )?board|meeting of the board"
                    r"|董事[會会局](?:會議|会议)", re.I)

_DELAY = re.compile(
    r"\bdelay(?:ed|s)?\b[^.]{0,80}?\b(?:results|board meeting)|\bpostpone(?:d|ment)?\b[^.]{0,60}?"
    r"\b(?:board meeting|meeting of the board|results)|\b(?:board meeting|meeting of the board)\b[^.]{0,60}?"
    r"\b(?:postponed|rescheduled|deferred)"
    r"|(?:延遲|延迟|延後|延后|延期|押後|押后|推遲|推迟|順延|顺延)[^。]{0,40}?(?:業績|业绩|董事[會会局](?:會議|会议))"
    r"|(?:業績|业绩|董事[會会局](?:會議|会议))[^。]{0,40}?(?:延遲|延迟|延後|延后|延期|押後|押后|推遲|推迟|順延|顺延)",
    re.I)
# Before a date: it is the new (expected) date of the meeting or of the results.
_NEW_DATE_BEFORE = re.compile(
    r"(?:(?:postponed|rescheduled|re-scheduled|deferred|changed|moved|adjourned)\s+(?:to|until)(?:\s+on)?"
    r"|on or (?:before|about|around)|no later than|not later than"
    r"|(?:expected|scheduled|anticipated|intends?|plans?)\b[^.]{0,80}?\b(?:held|published|released|announced|"
    r"convened)(?:\s+on)?|will (?:now )?be (?:held|published|released|announced)\s+on"
    r"|延後至|延后至|押後至|押后至|推遲至|推迟至|順延至|顺延至|延期至|改於|改于|改為|改为|更改為|更改为|將於|将于|預期於|预期于"
    r"|預計於|预计于|預期將於|预期将于)"
    r"\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s*,?\s*)?(?:the\s+)?$", re.I)
_NEW_DATE_AFTER = re.compile(r"^\s*(?:[（(]?\s*星期.\s*[)）])?\s*"
                             r"(?:或之前|或以前|或前後|或前后|前後|前后|左右)")
_DEADLINE = re.compile(r"on or before|no later than|not later than|或之前|或以前", re.I)
_CANNOT = re.compile(r"not be able|unable|will not|cannot|could not|未能|無法|无法|不能|不會|不会", re.I)
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
    delay = bool(_DELAY.search(text.head)) or any(_DELAY.search(s) for s in text.sentences[:6])
    titled = bool(_TITLE.search(text.head)) or delay
    if text.has_statements and not titled:
        raise WrongDocumentError("the document carries financial statements and no board-meeting title: "
                                 "it is a results announcement or a report, not a board-meeting notice")
    if len(pages) > _UNTITLED_PAGES and not titled:
        raise WrongDocumentError(f"no board-meeting or delay title in a document of over {_UNTITLED_PAGES} "
                                 "pages: this does not look like a board-meeting notice")
    if delay:
        return (_delay_notice(text),)
    meetings = _meetings(text.sentences)
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
    if not found:
        note = "the meeting is not said to approve results (its stated purpose is in 'purpose')"
        return [_record(text, meeting.when, None, dividend, purpose, meeting.notes + (note,))]
    return [_record(text, meeting.when, r, dividend, purpose, meeting.notes + r.notes) for r in found]


def _record(text: NoticeText, when: date | None, results: _Results | None, dividend: bool | None,
            purpose: str, notes: tuple[str, ...], *, is_delay: bool = False,
            on_or_before: bool = False) -> BoardMeetingNotice:
    period = results.period if results else None
    return BoardMeetingNotice(
        company=text.company, stock_codes=text.stock_codes, language=text.language, meeting_date=when,
        results=results.kind if results else None, period_end=period.end if period else None,
        months=period.months if period else None, dividend=dividend, is_delay=is_delay, purpose=purpose,
        notes=tuple(dict.fromkeys(notes)), on_or_before=on_or_before)


def _meetings(sentences: tuple[str, ...]) -> list[_Meeting]:
    """Sentences that say the board will meet, each with its date (the first date that is not a
    period end, a reference to an earlier notice or the date originally planned)."""
    found: list[_Meeting] = []
    for index, sentence in enumerate(sentences):
        if not (_MEETING.search(sentence) and _HELD.search(sentence)) or _REFERENCE.match(sentence):
            continue
        dates = _candidate_dates(sentence)
        if not dates:
            continue
        start, stop, when = dates[0]
        notes = list(_weekday_notes(sentence, start, stop, when))
        others = sorted({d for _, _, d in dates[1:] if d != when})
        if others:
            listed = ", ".join(d.isoformat() for d in others)
            notes.append(f"the sentence naming the meeting also gives {listed}; {when.isoformat()}, the "
                         "first, is read as the meeting date")
        found.append(_Meeting(index, when, tuple(notes)))
    return found


def _candidate_dates(sentence: str) -> list[tuple[int, int, date]]:
    """Dates in a sentence that could be a meeting's: not inside a period ("six months ended 30 June
    2025"), not an earlier notice's date, not the date originally planned."""
    periods = find_periods(sentence)
    out: list[tuple[int, int, date]] = []
    previous = 0
    for start, stop, when in find_date_spans(sentence):
        inside = any(p.start <= start < p.stop for p in periods)
        window = sentence[max(previous, start - 70):start]
        previous = stop
        if not inside and not _NOT_MEETING_DATE.search(window):
            out.append((start, stop, when))
    return out


def _weekday_notes(sentence: str, start: int, stop: int, when: date) -> tuple[str, ...]:
    printed = stated_weekday(sentence, start, stop)
    if printed is None or printed == when.weekday():
        return ()
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    return (f"the notice prints {names[printed]} beside {when.isoformat()}, which is a "
            f"{names[when.weekday()]}; the date is kept",)


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
        found = _new_date(sentence)
        if found and new is None:
            new = (found[0], found[1], sentence)
        elif found and new and found[0] != new[0]:
            notes.append(f"the notice also gives {found[0].isoformat()} as a new date; the first, "
                         f"{new[0].isoformat()}, is kept")
    delayed = [s for s in text.sentences if _DELAY.search(s)]
    results = (_results(" ".join(delayed)) or _results(" ".join(text.sentences)))
    chosen = results[0] if results else None
    if chosen is None:
        notes.append("the notice does not say which results are delayed")
    else:
        notes.extend(chosen.notes)
        notes.extend(f"the notice also names {r.kind or 'other'} results"
                     + (f" for the period ended {r.period.end.isoformat()}" if r.period else "")
                     for r in results[1:])
    if new is None:
        notes.append("the notice states no new date for the board meeting or the results")
        purpose = clip(delayed[0] if delayed else text.head)
        return _record(text, None, chosen, None, purpose, tuple(notes), is_delay=True)
    when, deadline, sentence = new
    if deadline:
        notes.append(f"{when.isoformat()} is the latest date the notice gives (\"on or before\"), not the "
                     "day itself")
    return _record(text, when, chosen, _dividend(sentence), clip(sentence), tuple(notes), is_delay=True,
                   on_or_before=deadline)


def _new_date(sentence: str) -> tuple[date, bool] | None:
    """The new date a delay sentence gives ("postponed to 30 September 2025", "on or before ...",
    "延後至二零二六年三月三十日"), and whether it is a deadline rather than the day itself."""
    periods = find_periods(sentence)
    previous = 0
    for start, stop, when in find_date_spans(sentence):
        before = sentence[max(previous, start - 90):start]
        after = sentence[stop:stop + 12]
        previous = stop
        if any(p.start <= start < p.stop for p in periods) or _NOT_MEETING_DATE.search(before):
            continue
        if _CANNOT.search(before):
            continue
        if _NEW_DATE_BEFORE.search(before) or _NEW_DATE_AFTER.match(after):
            deadline = bool(_DEADLINE.search(before[-20:]) or _DEADLINE.search(after))
            return when, deadline
    return None


def _describe(notice: BoardMeetingNotice) -> str:
    when = notice.meeting_date.isoformat() if notice.meeting_date else "an unstated date"
    if notice.results:
        period = f" for the period ended {notice.period_end.isoformat()}" if notice.period_end else ""
        return f"a meeting on {when} to approve {notice.results} results{period}"
    return f"a meeting on {when} not said to approve results"
