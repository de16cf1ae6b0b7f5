"""Which date in a board-meeting or delay sentence is the meeting's, and which one it replaces.

A notice may print several dates in the sentence that names the meeting: the period its results
cover ("six months ended 30 June 2025"), an earlier announcement ("dated 8 August 2008"), the date
first planned or printed wrongly ("changed from Wednesday, 20 August 2008 to ...", "instead of ...",
"原定於...", "而非...") and the date the meeting will now be held. ``meeting_dates`` sorts them: the
new date wins, and the replaced one is kept to say what moved. ``new_date`` reads the new date a
delay notice gives ("on or before 30 September 2025", "延後至...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from parsers.dates import find_date_spans, find_periods, stated_weekday

# Around a date: it is an earlier notice's date, not a meeting's ("the announcement dated ...",
# "於二零零八年八月八日刊發之公告").
_REFERENCE_BEFORE = re.compile(r"(?:\bdated|announcements? of the company (?:published |issued )?on"
                               r"|日期為|日期为|已於|已于)\s*(?:\(?[A-Za-z]+day\)?,?\s*)?$", re.I)
_REFERENCE_AFTER = re.compile(r"^\s*(?:[(（]\s*星期.\s*[)）])?\s*"
                              r"(?:所?(?:刊發|刊发|發表|发表|發佈|发布|公佈|公布))?(?:之|的)(?:公告|通告|通函)"
                              r"|^\s*(?:\([A-Za-z]+day\)\s*)?\(the [\"“]?announcement", re.I)
# Just before a date: it is the date replaced (planned first, printed wrongly).
_OLD_BEFORE = re.compile(
    r"(?:\bfrom|originally|previously|\binstead of|rather than|\band not|\bnot on|in place of|as stated"
    r"|wrongly|incorrectly|mistakenly|erroneously|(?:stated|printed|set out|mentioned) in"
    r"|原定|原訂|原订|原先|原來|原来|而非|並非|并非|而不是|取代|誤|误"
    r"|(?<!更改為)(?<!改為)(?<!更正為)由(?!於|于))"
    r"[^.;。；]{0,45}$", re.I)
# Just after a date: it is the one being replaced ("20 August 2008 as previously announced",
# "二零零八年八月二十日更改為...").
_OLD_AFTER = re.compile(
    r"^\s*(?:[(（]\s*(?:[A-Za-z]+day|星期.)\s*[)）])?\s*[\"”’')）]*\s*,?\s*"
    r"(?:as (?:previously |originally |initially )?"
    r"(?:announced|stated|scheduled|disclosed|printed|mentioned|set out)"
    r"|(?:in|of) the (?:previous |earlier )?announcement|should (?:read|be|have been)"
    r"|(?:has been|have been|is|was|will be|shall be) (?:changed|postponed|rescheduled|re-scheduled|moved|"
    r"brought forward|advanced|cancelled|deferred)"
    r"|(?:應|应)?(?:更改|改|更正|修改|修正|延後|延后|押後|押后|推遲|推迟|提前)(?:為|为|至|到)|應為|应为|應改|应改)",
    re.I)
# Just before a date: it is the new one.
_NEW_BEFORE = re.compile(
    r"(?:(?:changed|postponed|rescheduled|re-scheduled|deferred|moved|adjourned|brought forward|advanced)"
    r"\s+(?:to|until)(?:\s+on)?|should (?:read|be|have been)|will now be held on"
    r"|(?:更改|改|更正|修改|修正|延後|延后|押後|押后|推遲|推迟|順延|顺延|延期|提前)(?:為|为|至|到|於|于)|改於|改于"
    r"|應為|应为)\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s*,?\s*)?(?:the\s+)?[\"“‘']?$", re.I)


@dataclass(frozen=True)
class MeetingDates:
    """The meeting's date in a sentence (the first date that is neither a period, an earlier
    notice's date nor a replaced one), the date it replaces (when one is printed), the other
    candidates, and where the chosen date stands."""

    when: date | None
    replaces: date | None
    others: tuple[date, ...]
    span: tuple[int, int] | None


def meeting_dates(sentence: str) -> MeetingDates:
    """Sort the dates of a sentence that names a board meeting (see the module docstring)."""
    periods = find_periods(sentence)
    marked: list[tuple[int, int, date]] = []  # printed as the new date ("changed to", "應為")
    plain: list[tuple[int, int, date]] = []
    old: list[date] = []
    previous = 0
    for start, stop, when in find_date_spans(sentence):
        window = sentence[max(previous, start - 70):start]
        after = sentence[stop:stop + 40]
        previous = stop
        if any(p.start <= start < p.stop for p in periods) or _REFERENCE_BEFORE.search(window) \
                or _REFERENCE_AFTER.match(after):
            continue
        if _NEW_BEFORE.search(window[-30:]):
            marked.append((start, stop, when))
        elif _OLD_BEFORE.search(window) or _OLD_AFTER.match(after):
            old.append(when)
        else:
            plain.append((start, stop, when))
    new = marked + plain
    if not new:
        return MeetingDates(None, old[0] if old else None, (), None)
    start, stop, when = new[0]
    others = tuple(sorted({d for _, _, d in new[1:] if d != when}))
    replaced = next((d for d in old if d != when), None)
    return MeetingDates(when, replaced, others, (start, stop))


def weekday_notes(sentence: str, start: int, stop: int, when: date) -> tuple[str, ...]:
    """A note when the weekday printed beside the date is not that date's."""
    printed = stated_weekday(sentence, start, stop)
    if printed is None or printed == when.weekday():
        return ()
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    return (f"the notice prints {names[printed]} beside {when.isoformat()}, which is a "
            f"{names[when.weekday()]}; the date is kept",)


# Before a date in a delay notice: it is the new (expected) date of the meeting or of the results.
_DELAY_NEW_BEFORE = re.compile(
    r"(?:(?:postponed|rescheduled|re-scheduled|deferred|changed|moved|adjourned)\s+(?:to|until)(?:\s+on)?"
    r"|on or (?:before|about|around)|no later than|not later than"
    r"|(?:expected|scheduled|anticipated|intends?|plans?|expects?)\b[^.]{0,80}?\b(?:held|published|released|"
    r"announced|convened|publish|release|announce|hold|convene)(?:\s+(?:on|by|before|on or before))?"
    r"|will (?:now )?be (?:held|published|released|announced)\s+(?:on|by)"
    r"|延後至|延后至|押後至|押后至|推遲至|推迟至|順延至|顺延至|延期至|改於|改于|改為|改为|更改為|更改为|將於|将于|預期於|预期于"
    r"|預計於|预计于|預期將於|预期将于)"
    r"\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s*,?\s*)?(?:the\s+)?$", re.I)
_DELAY_NEW_AFTER = re.compile(r"^\s*(?:[（(]?\s*星期.\s*[)）])?\s*"
                              r"(?:或之前|或以前|或前後|或前后|前後|前后|左右)")
_DEADLINE = re.compile(r"on or before|no later than|not later than|\bby|\bbefore|或之前|或以前", re.I)
_CANNOT = re.compile(r"not be able|unable|will not|cannot|could not|未能|無法|无法|不能|不會|不会", re.I)
_DELAY_OLD = re.compile(r"originally|previously|原定|原訂|原订|日期為|日期为|已於|已于|dated", re.I)


def new_date(sentence: str) -> tuple[date, bool] | None:
    """The new date a delay sentence gives ("postponed to 30 September 2025", "on or before ...",
    "延後至二零二六年三月三十日"), and whether it is a deadline rather than the day itself."""
    periods = find_periods(sentence)
    previous = 0
    for start, stop, when in find_date_spans(sentence):
        before = sentence[max(previous, start - 90):start]
        after = sentence[stop:stop + 12]
        previous = stop
        if any(p.start <= start < p.stop for p in periods) or _DELAY_OLD.search(before[-70:]):
            continue
        if _CANNOT.search(before):
            continue
        if _DELAY_NEW_BEFORE.search(before) or _DELAY_NEW_AFTER.match(after):
            deadline = bool(_DEADLINE.search(before[-20:]) or _DEADLINE.search(after))
            return when, deadline
    return None
