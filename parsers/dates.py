"""Dates as announcements print them, English and Chinese: "30 June 2025", "June 30, 2025",
"30th September, 2021", "2025年6月30日", "二零二五年六月三十日" (Chinese numerals, 〇/零/○ for zero).

Pure functions; every parser that reads a date uses these, so a form learnt once is read everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS: dict[str, int] = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

_ZH_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "０": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
ZH_NUM = r"[\d〇零○Ｏ０-９一二三四五六七八九十]+"

EN_DATE = re.compile(
    r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>[A-Za-z]{3,9})\.?,?\s+(?P<y1>\d{4})"
    r"|(?P<m2>[A-Za-z]{3,9})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})")
ZH_DATE = re.compile(rf"(?P<y>{ZH_NUM})\s*年\s*(?P<m>{ZH_NUM})\s*月\s*(?P<d>{ZH_NUM})\s*日")


def zh_number(text: str) -> int | None:
    """Arabic or full-width digits, or Chinese numerals as dates write them (二零二五, 三十, 十二)."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789")).strip()
    if text.isdigit():
        return int(text)
    if all(ch in _ZH_DIGITS for ch in text):
        return int("".join(str(_ZH_DIGITS[ch]) for ch in text))
    if text.count("十") == 1:
        tens, _, units = text.partition("十")
        if (tens and tens not in _ZH_DIGITS) or (units and units not in _ZH_DIGITS):
            return None
        return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[units] if units else 0)
    return None


def make_date(year: int | None, month: int | None, day: int | None) -> date | None:
    """A real calendar date, or None (31 June, month 13 and the like are not dates)."""
    if not (year and month and day):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def en_date(match: re.Match[str]) -> date | None:
    """The date an ``EN_DATE`` match names, or None when the month word is not a month."""
    month = MONTHS.get((match.group("m1") or match.group("m2") or "").lower())
    day = match.group("d1") or match.group("d2")
    year = match.group("y1") or match.group("y2")
    return make_date(int(year), month, int(day)) if month else None


def zh_date(match: re.Match[str]) -> date | None:
    """The date a ``ZH_DATE`` match names."""
    return make_date(*(zh_number(match.group(k)) for k in ("y", "m", "d")))


def find_date_spans(text: str) -> list[tuple[int, int, date]]:
    """Every date in ``text`` with where it starts and stops, in order of appearance."""
    hits = [(m.start(), m.end(), d) for m in EN_DATE.finditer(text) if (d := en_date(m))]
    hits += [(m.start(), m.end(), d) for m in ZH_DATE.finditer(text) if (d := zh_date(m))]
    return sorted(hits, key=lambda h: h[0])


def find_dates(text: str) -> list[tuple[int, date]]:
    """Every date in ``text`` with its position, in order of appearance."""
    return [(start, d) for start, _, d in find_date_spans(text)]


def parse_date(text: str) -> date | None:
    """The first date in ``text``, or None."""
    found = find_dates(text)
    return found[0][1] if found else None


_WEEKDAYS_EN = {name: i for i, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_EN_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*,?\s*(?:the\s+)?$",
                         re.I)
_ZH_WEEKDAY = re.compile(r"^\s*[（(]?\s*(?:星期|週|周|礼拜|禮拜)([一二三四五六日天])\s*[)）]?")


def stated_weekday(text: str, start: int, stop: int) -> int | None:
    """The weekday printed with the date at ``text[start:stop]`` ("Friday, 29 August 2025",
    "二零二五年八月二十九日（星期五）"), Monday 0, or None when none is printed."""
    before = _EN_WEEKDAY.search(text[max(0, start - 14):start])
    if before:
        return _WEEKDAYS_EN[before.group(1).lower()]
    after = _ZH_WEEKDAY.match(text[stop:stop + 8])
    return _WEEKDAYS_ZH[after.group(1)] if after else None


@dataclass(frozen=True)
class PeriodMention:
    """A reporting period as printed ("six months ended 30 June 2025", "year ending 31 March 2025",
    "截至二零二五年九月三十日止九個月"): where it is in the text, its end and its length in months
    (None when the text says only "the period ended ...")."""

    start: int
    stop: int
    end: date
    months: int | None


_SPANS = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "fifteen": 15, "eighteen": 18,
          "三": 3, "六": 6, "九": 9, "十二": 12, "十五": 15, "十八": 18}
_EN_PERIOD = re.compile(
    r"(?:(?P<span>three|six|nine|twelve|fifteen|eighteen|\d{1,2})[- ]months?(?:\s+period)?"
    r"|(?P<half>half[- ]year|interim\s+period)"
    r"|(?P<quarter>(?:(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+)?quarter)"
    r"|(?P<year>(?:financial\s+|fiscal\s+)?year)"
    r"|(?P<period>(?:reporting\s+|financial\s+)?period))"
    r"\s+(?:ended|ending|ends)\s+(?:on\s+)?(?:" + EN_DATE.pattern + ")", re.I)
_ZH_PERIOD = re.compile(
    r"(?:截至|截止)?\s*(?:" + ZH_DATE.pattern + r")\s*(?:止|為止|为止)\s*(?:的|之)?\s*"
    r"(?:(?P<span>十二|十五|十八|三|六|九|\d{1,2})\s*(?:個|个)?\s*月"
    r"|(?P<quarter>第[一二三四]季度?|季度)"
    r"|(?P<year>(?:財政|财政|會計|会计)?年度|全年|年)"
    r"|(?P<half>半年度?|中期)"
    r"|(?P<period>期間|期间))")


def _months(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("span"):
        span = groups["span"].lower()
        return _SPANS.get(span) or (int(span) if span.isdigit() else None)
    if groups.get("year"):
        return 12
    if groups.get("half"):
        return 6
    if groups.get("quarter"):
        return 3
    return None


def find_periods(text: str) -> list[PeriodMention]:
    """Every reporting period printed in ``text``, English or Chinese, "ended" or "ending", in order."""
    found = [PeriodMention(m.start(), m.end(), d, _months(m))
             for m in _EN_PERIOD.finditer(text) if (d := en_date(m))]
    found += [PeriodMention(m.start(), m.end(), d, _months(m))
              for m in _ZH_PERIOD.finditer(text) if (d := zh_date(m))]
    return sorted(found, key=lambda p: p.start)


NUMERIC_DATE = re.compile(r"(?<![\d/.])(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>(?:19|20)?\d\d)(?![\d/.])")
_YEAR_WORD = re.compile(rf"^(?:FY|財政年度|财政年度)?(?P<y>(?:19|20)\d\d|{ZH_NUM})(?:年度?)?[,.]?$", re.I)


def numeric_date(match: re.Match[str]) -> date | None:
    """The date a ``NUMERIC_DATE`` match names, day first as Hong Kong prints it: 31/12/2020, 30.09.21."""
    year = int(match.group("y"))
    return make_date(year + 2000 if year < 100 else year, int(match.group("m")), int(match.group("d")))


def year_word(text: str) -> int | None:
    """The year a column header word names: "2025", "2025年", "二零二五年", "FY2025"; None otherwise."""
    match = _YEAR_WORD.match(text.strip().strip("()"))
    if not match:
        return None
    year = zh_number(match.group("y"))
    return year if year is not None and 1990 <= year <= 2099 else None


def find_all_dates(text: str) -> list[tuple[int, date]]:
    """``find_dates`` plus day-first numeric dates (31/12/2020, 30.09.2021), in order of appearance."""
    hits = find_dates(text) + [(m.start(), d) for m in NUMERIC_DATE.finditer(text) if (d := numeric_date(m))]
    return sorted(hits, key=lambda h: h[0])
