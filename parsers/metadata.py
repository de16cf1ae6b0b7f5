"""What the announcement is: company, stock codes, kind, period, language; read from the first pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), start=1)}
_ZH_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_SPAN_EN = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "3": 3, "6": 6, "9": 9, "12": 12}
_SPAN_ZH = {"三": 3, "六": 6, "九": 9, "十二": 12}


@dataclass(frozen=True)
class Period:
    end: date
    months: int


def _zh_number(text: str) -> int | None:
    """Arabic digits, or Chinese numerals as dates write them (二零二五, 三十, 十二)."""
    if text.isdigit():
        return int(text)
    if all(ch in _ZH_DIGITS for ch in text):
        return int("".join(str(_ZH_DIGITS[ch]) for ch in text))
    if "十" in text:
        tens, _, units = text.partition("十")
        value = (_ZH_DIGITS.get(tens, 1) if tens else 1) * 10
        return value + (_ZH_DIGITS.get(units, 0) if units else 0)
    return None


_EN_PERIOD = re.compile(
    r"(?:(?P<span>three|six|nine|twelve|3|6|9|12)[- ]months?|(?P<year>year|financial year))\s+ended\s+"
    r"(?:on\s+)?(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>[a-z]+),?\s+(?P<y1>\d{4})"
    r"|(?P<m2>[a-z]+)\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4}))", re.I)
_ZH_NUM = r"[\d〇零○一二三四五六七八九十]+"
_ZH_PERIOD = re.compile(
    rf"截至\s*(?P<y>{_ZH_NUM})\s*年\s*(?P<m>{_ZH_NUM})\s*月\s*(?P<d>{_ZH_NUM})\s*日\s*止\s*"
    r"(?:(?P<span>三|六|九|十二)\s*(?:個|个)\s*月|(?P<year>年度|年))")


def find_period(text: str) -> Period | None:
    """The first "six months ended 30 June 2025" / "截至2025年6月30日止六個月" in ``text``."""
    hits: list[tuple[int, Period]] = []
    for match in _EN_PERIOD.finditer(text):
        month = _MONTHS.get((match.group("m1") or match.group("m2") or "").lower())
        day = int(match.group("d1") or match.group("d2"))
        year = int(match.group("y1") or match.group("y2"))
        months = 12 if match.group("year") else _SPAN_EN[match.group("span").lower()]
        if month:
            try:
                hits.append((match.start(), Period(date(year, month, day), months)))
            except ValueError:
                continue
    for match in _ZH_PERIOD.finditer(text):
        y, m, d = (_zh_number(match.group(k)) for k in ("y", "m", "d"))
        months = 12 if match.group("year") else _SPAN_ZH[match.group("span")]
        if y and m and d:
            try:
                hits.append((match.start(), Period(date(y, m, d), months)))
            except ValueError:
                continue
    return min(hits, key=lambda h: h[0])[1] if hits else None


def prior_end(end: date) -> date:
    """The comparative period's end: the same day a year earlier (28 February for a 29th)."""
    try:
        return end.replace(year=end.year - 1)
    except ValueError:
        return end.replace(year=end.year - 1, day=28)


_KINDS = (
    ("quarterly", re.compile(r"quarterly results|(?:first|third|1st|3rd) quarter(?:ly)? results|"
                             r"季度業績|季度业绩|第一季度|第三季度|季度報告", re.I)),
    ("interim", re.compile(r"interim results|half[- ]year(?:ly)? results|interim report|中期業績|"
                           r"中期业绩", re.I)),
    ("final", re.compile(r"annual results|final results|results for the year|annual report|全年業績|全年业绩|"
                         r"年度業績|年度业绩|末期業績|全年之業績", re.I)),
)


def find_kind(title_text: str, period: Period | None) -> str | None:
    """"interim", "final" or "quarterly" from the title, else from the length of the period."""
    hits = [(m.start(), kind) for kind, pattern in _KINDS for m in [pattern.search(title_text)] if m]
    if hits:
        return min(hits)[1]
    if period:
        return {6: "interim", 12: "final", 3: "quarterly", 9: "quarterly"}.get(period.months)
    return None


_CODES = re.compile(r"(?:stock\s+codes?|股份代號|股份代号|股票代號|股票代码|證券代號|"
                    r"证券代号)\s*[:：]?(?P<rest>[^\n]{0,90})",
                    re.I)


def find_stock_codes(text: str) -> tuple[str, ...]:
    """Five-digit codes from "(Stock Code: 2512)" or "(Stock Codes: 0020 (HKD Counter) and 80020 ...)"."""
    match = _CODES.search(text)
    if not match:
        return ()
    rest = match.group("rest").split("\n")[0]
    codes = [c.zfill(5) for c in re.findall(r"(?<![\d$.,])(\d{1,5})(?![\d,.%])", rest)]
    return tuple(dict.fromkeys(codes))


_EN_COMPANY = re.compile(r"^[A-Z0-9][A-Za-z0-9&.,'’()\- ]{2,90}?(?:Limited|LIMITED|Ltd\.?|LTD\.?|Inc\.?|"
                         r"INC\.?|"
                         r"Corporation|CORPORATION|Company|COMPANY|Co\.|Group|GROUP|Holdings|HOLDINGS|plc|PLC|N\.V\.|"
                         r"S\.A\.|AG|SE)\s*\*?$")
_ZH_COMPANY = re.compile(r"^[\u3400-\u9fff（）()]{2,40}(?:有限公司|股份公司|集團|集团|控股)\s*\*?$")


def find_company(first_page: str, language: str) -> str | None:
    """The issuer's name: the name line(s) just above the "(Stock Code: ...)" line."""
    lines = [line.strip() for line in first_page.split("\n")]
    stop = next((i for i, line in enumerate(lines) if _CODES.search(line)), min(len(lines), 25))
    english: str | None = None
    chinese: str | None = None
    for line in reversed(lines[max(0, stop - 10):stop]):
        if re.search(r"exchange|clearing|responsibility|announcement|incorporated", line, re.I):
            continue
        compact = re.sub(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])", "", line)
        if english is None and _EN_COMPANY.match(line):
            english = line.rstrip(" *")
        elif chinese is None and _ZH_COMPANY.match(compact):
            chinese = compact.rstrip(" *")
    if language == "zh":
        return chinese or english
    return english or chinese


def detect_language(text: str) -> str:
    """"zh" when Chinese characters outnumber a third of the Latin letters, else "en"."""
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk * 3 > latin else "en"
