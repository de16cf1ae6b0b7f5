"""What the announcement is: company, stock codes, kind, period, language; read from the first pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from parsers.dates import MONTHS, ZH_NUM, make_date, zh_number

_SPAN_EN = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "fifteen": 15, "eighteen": 18, "3": 3, "6": 6,
            "9": 9, "12": 12, "15": 15, "18": 18}
_SPAN_ZH = {"三": 3, "六": 6, "九": 9, "十二": 12, "十五": 15, "十八": 18, "3": 3, "6": 6, "9": 9, "12": 12}


@dataclass(frozen=True)
class Period:
    end: date
    months: int


_EN_SPAN = (r"(?:(?P<span>three|six|nine|twelve|fifteen|eighteen|3|6|9|12|15|18)[- ]months?"
            r"(?:\s+(?:financial\s+)?period)?|(?P<half>half[- ]year|interim period|six-month period)"
            r"|(?P<year>year|financial year|fiscal year))\s+ended\s+(?:on\s+)?")
_EN_PERIOD = re.compile(
    _EN_SPAN + r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>[a-z]+)\.?,?\s+(?P<y1>\d{4})"
    r"|(?P<m2>[a-z]+)\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4}))", re.I)
# The period without its year ("For the year ended 31 December", "截至十二月三十一日止年度"): the year
# is then the current column's header.
_EN_UNDATED = re.compile(
    _EN_SPAN + r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>[a-z]+)|(?P<m2>[a-z]+)\s+(?P<d2>\d{1,2})"
    r"(?:st|nd|rd|th)?)\b(?!,?\s+\d{4})", re.I)
_ZH_SPAN = (r"\s*止\s*(?:之|的)?\s*"
            r"(?:(?P<span>三|六|九|十二|十五|十八|3|6|9|12)\s*(?:個|个)\s*月(?:期間|期间)?|"
            r"(?P<half>半年度?|中期)|(?P<year>財政年度|财政年度|年度|年))")
_ZH_PERIOD = re.compile(
    rf"(?:截至|截止|至)\s*(?P<y>{ZH_NUM})\s*年\s*(?P<m>{ZH_NUM})\s*月\s*(?P<d>{ZH_NUM})\s*日" + _ZH_SPAN)
_ZH_UNDATED = re.compile(rf"(?:截至|截止|至)\s*(?P<m>{ZH_NUM})\s*月\s*(?P<d>{ZH_NUM})\s*日" + _ZH_SPAN)


def find_period(text: str) -> Period | None:
    """The first "six months ended 30 June 2025" / "截至2025年6月30日止六個月" in ``text``."""
    hits: list[tuple[int, Period]] = []
    for match in _EN_PERIOD.finditer(text):
        month = MONTHS.get((match.group("m1") or match.group("m2") or "").lower())
        day = int(match.group("d1") or match.group("d2"))
        year = int(match.group("y1") or match.group("y2"))
        end = make_date(year, month, day)
        if end:
            hits.append((match.start(), Period(end, _months(match, _SPAN_EN))))
    for match in _ZH_PERIOD.finditer(text):
        end = make_date(*(zh_number(match.group(k)) for k in ("y", "m", "d")))
        if end:
            hits.append((match.start(), Period(end, _months(match, _SPAN_ZH))))
    return min(hits, key=lambda h: h[0])[1] if hits else None


def _months(match: re.Match[str], spans: dict[str, int]) -> int:
    if match.group("year"):
        return 12
    if match.group("half"):
        return 6
    return spans[match.group("span").lower()]


def find_undated_period(text: str, year: int) -> Period | None:
    """A period stated without its year ("For the year ended 31 December" over columns headed 2024 and
    2023), completed with ``year``, the current column's."""
    hits: list[tuple[int, Period]] = []
    for match in _EN_UNDATED.finditer(text):
        month = MONTHS.get((match.group("m1") or match.group("m2") or "").lower())
        end = make_date(year, month, int(match.group("d1") or match.group("d2")))
        if end:
            hits.append((match.start(), Period(end, _months(match, _SPAN_EN))))
    for match in _ZH_UNDATED.finditer(text):
        end = make_date(year, zh_number(match.group("m")), zh_number(match.group("d")))
        if end:
            hits.append((match.start(), Period(end, _months(match, _SPAN_ZH))))
    return min(hits, key=lambda h: h[0])[1] if hits else None


# The PRC format names its period by its months ("January to June 2022", "2022年1－6月", 2022年半年度) and
# its semi-annual report by the year alone: the year then always starts in January.
_EN_MONTHS_SPAN = re.compile(r"\b(?:january|jan\.?)\s*(?:to|-|–|—|through)\s*(?P<m>[a-z]{3,9})\.?,?\s*"
                             r"(?P<y>(?:19|20)\d\d)\b", re.I)
_EN_HALF = re.compile(r"\b(?:first half(?: year)? of|(?P<y1>(?:19|20)\d\d)\s+(?:semi-?annual|"
                      r"first half[- ]year))\s*(?P<y2>(?:19|20)\d\d)?", re.I)
_ZH_MONTHS_SPAN = re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?:1\s*月?\s*[-－–~—至]\s*(?P<m>\d{1,2})\s*月|"
                             r"1\s*月\s*1\s*日\s*至\s*(?:(?:19|20)\d\d\s*年)?\s*(?P<m2>\d{1,2})\s*月\s*\d{1,2}\s*日|"
                             r"(?P<half>半年度|上半年))")


def find_span_period(text: str) -> Period | None:
    """The first period named by its months in ``text``: "January to June 2022", "2022年1－6月",
    "2022年1月1日至6月30日", "2022年半年度", "first half of 2022", "2022 semi-annual report"."""
    hits: list[tuple[int, Period]] = []
    for match in _EN_MONTHS_SPAN.finditer(text):
        month = MONTHS.get(match.group("m").lower())
        if month and month in (3, 6, 9, 12):
            hits.append((match.start(), _span(int(match.group("y")), month)))
    for match in _EN_HALF.finditer(text):
        year = match.group("y1") or match.group("y2")
        if year:
            hits.append((match.start(), _span(int(year), 6)))
    for match in _ZH_MONTHS_SPAN.finditer(text):
        month = 6 if match.group("half") else int(match.group("m") or match.group("m2"))
        if month in (3, 6, 9, 12):
            hits.append((match.start(), _span(int(match.group("y")), month)))
    return min(hits, key=lambda h: h[0])[1] if hits else None


def _span(year: int, month: int) -> Period:
    """From January to the end of ``month`` of ``year``."""
    end = date(year, 12, 31) if month == 12 else date(year, month + 1, 1).replace(day=1) - timedelta(days=1)
    return Period(end, month)


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
                           r"中期业绩|semi-?annual report|半年度報告|半年度报告|中期報告|中期报告", re.I)),
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
    """"zh" when Chinese characters are about as many as the Latin letters, else "en": a bilingual
    statement (English labels beside Chinese ones, the English longer) reads as English."""
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk * 1.25 > latin else "en"
