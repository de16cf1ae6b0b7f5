"""Filing categories: tier-one and tier-two codes, the labels both listings spell, and the kind of
filing that codes, labels and title decide together (hkexnews.md section 4). Pure: no network, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from monitor.filing import Filing, FilingKind
from monitor.hkexnews.feed.fields import headline_segments, parse_category_codes, unescape_title

T1_ANNOUNCEMENTS, T1_FINANCIAL_STATEMENTS = "10000", "40000"
T1_NEXT_DAY_DISCLOSURE, T1_MONTHLY_RETURNS = "50000", "51500"

# Headline (tier-one) labels as both listings spell them, hkexnews.md sections 1 and 4.
_T1_BY_HEADLINE = {
    "announcements and notices": T1_ANNOUNCEMENTS, "公告及通告": T1_ANNOUNCEMENTS,
    "financial statements/esg information": T1_FINANCIAL_STATEMENTS,
    "財務報表/環境、社會及管治資料": T1_FINANCIAL_STATEMENTS,
    "next day disclosure returns": T1_NEXT_DAY_DISCLOSURE, "翌日披露報表": T1_NEXT_DAY_DISCLOSURE,
    "monthly returns": T1_MONTHLY_RETURNS, "月報表": T1_MONTHLY_RETURNS,
}
# Tier-two labels inside ``[...]`` for the categories the monitor tells apart (section 4).
_T2_BY_LABEL = {
    "final results": "13300", "末期業績": "13300",
    "interim results": "13400", "中期業績": "13400",
    "quarterly results": "13600", "季度業績": "13600",
    "profit warning": "13500", "盈利警告": "13500",
    "date of board meeting": "13150", "董事會召開日期": "13150",
    "delay in results announcement": "13200", "延遲發表業績公告": "13200",
    "dividend or distribution": "13250", "股息或分派": "13250",
    "annual report": "40100", "年報": "40100",
    "interim/half-year report": "40200", "中期/半年度報告": "40200",
    "quarterly report": "40300", "季度報告": "40300",
}
_KIND_BY_T1 = {
    T1_MONTHLY_RETURNS: FilingKind.MONTHLY_RETURN, T1_NEXT_DAY_DISCLOSURE: FilingKind.NEXT_DAY_DISCLOSURE,
    T1_FINANCIAL_STATEMENTS: FilingKind.FINANCIAL_REPORT,
}
_KIND_BY_T2 = {
    "13300": FilingKind.FINAL_RESULTS, "13400": FilingKind.INTERIM_RESULTS,
    "13600": FilingKind.QUARTERLY_RESULTS, "13500": FilingKind.PROFIT_WARNING,
    "13150": FilingKind.BOARD_MEETING, "13200": FilingKind.RESULTS_DELAY,
    "13250": FilingKind.DIVIDEND, "13251": FilingKind.DIVIDEND,
    "40100": FilingKind.FINANCIAL_REPORT, "40200": FilingKind.FINANCIAL_REPORT,
    "40300": FilingKind.FINANCIAL_REPORT,
}
# When several signals agree on nothing, results beat the rest (missing one costs most).
_PRIORITY = (FilingKind.FINAL_RESULTS, FilingKind.INTERIM_RESULTS, FilingKind.QUARTERLY_RESULTS,
             FilingKind.PROFIT_WARNING, FilingKind.RESULTS_DELAY, FilingKind.BOARD_MEETING,
             FilingKind.DIVIDEND, FilingKind.FINANCIAL_REPORT, FilingKind.NEXT_DAY_DISCLOSURE,
             FilingKind.MONTHLY_RETURN)


def split_categories(long_text: str) -> tuple[str, ...]:
    """``"Announcements and Notices - [Final Results &#x2f; Suspension]"`` -> both labels.

    Unescape first (the slash arrives as ``&#x2f;``), then split each ``[...]`` on `` / ``
    (``中期/半年度報告`` keeps its unspaced slash). Text without brackets (``"Monthly Returns"``)
    is one category. A revised-headline prefix is not a category.
    """
    out: list[str] = []
    for segment in headline_segments(long_text):
        groups = re.findall(r"\[([^\]]*)\]", segment)
        labels = [label for group in groups for label in group.split(" / ")] if groups else [segment]
        for label in labels:
            label = label.strip()
            if label and label not in out:
                out.append(label)
    return tuple(out)


def headline_t1_codes(long_text: str) -> tuple[str, ...]:
    """The tier-one codes a LONG_TEXT's headlines name (title-search rows carry no ``t1Code``):
    ``"Monthly Returns"`` -> ``("51500",)``; unknown headlines give nothing."""
    out: list[str] = []
    for segment in headline_segments(long_text):
        head = segment.split(" - [", 1)[0].strip().lower()
        code = _T1_BY_HEADLINE.get(head)
        if code is not None and code not in out:
            out.append(code)
    return tuple(out)


def category_codes(filing: Filing) -> frozenset[str]:
    """Every category code a filing carries or its labels name (English or Chinese), tier one and
    two: what two listings of one filing in different languages have in common."""
    codes = set(parse_category_codes(filing.t1_code)) | set(filing.t2_codes)
    codes |= {_T2_BY_LABEL[c.lower()] for c in filing.categories if c.lower() in _T2_BY_LABEL}
    codes |= {_T1_BY_HEADLINE[c.lower()] for c in filing.categories if c.lower() in _T1_BY_HEADLINE}
    return frozenset(codes)


# -- classification: codes and title together -------------------------------------------------

_T_MONTHLY_RETURN = re.compile(r"\bMONTHLY RETURNS?\b|月報表")
_T_NEXT_DAY = re.compile(r"\bNEXT DAY DISCLOSURE RETURNS?\b|翌日披露報表")
_T_BOARD_MEETING = re.compile(r"\bBOARD MEETING\b|董事會會議")
_T_PROFIT_WARNING = re.compile(r"\b(PROFIT|LOSS) (WARNING|ALERT)\b|\bPOSITIVE PROFIT\b"
                               r"|盈利警告|盈利預警|正面盈利|盈警|盈喜")
# "DELAY IN PUBLICATION OF ANNUAL RESULTS": the delay clause, not crossing an "AND".
_T_DELAY = re.compile(r"\b(?:FURTHER\s+)?(?:DELAY(?:ED|S)?|POSTPONE(?:D|MENT)?)\b"
                      r"(?:(?!\bAND\b)[^.;]){0,80}?\bRESULTS?\b|(?:延遲|押後)[^，。；及]{0,30}?業績")
# About results but not the results themselves: AGM polls, corrections, supplements.
_T_NOT_RESULTS = re.compile(
    r"\b(POLL|VOTING) RESULTS?\b|\bSUPPLEMENT(AL|ARY)\b|\bCLARIFICATION\b"
    r"|\bRESULTS? OF (THE )?(\d{4} )?((ANNUAL|EXTRAORDINARY|SPECIAL|CLASS) )*GENERAL MEETINGS?\b"
    r"|\bCHANGE (IN|OF) (THE )?DATE\b|\bCORRECTION\b|\bERRATUM\b"
    r"|\bRESULTS? OF (THE )?([A-Z]+ ){0,3}(OFFER|ISSUE|ALLOTMENT|TENDER|PLACING|SUBSCRIPTION)S?\b"
    r"|補充|更正|澄清")
_FILLER = r"(?:(?:UNAUDITED|AUDITED|CONDENSED|CONSOLIDATED|PRELIMINARY|GROUP|COMBINED)\s+)*"
_T_NAMED = re.compile(
    r"\b(ANNUAL|FINAL|FULL[- ]YEAR|INTERIM|HALF[- ]YEAR(?:LY)?|QUARTERLY|Q[1-4]"
    r"|(?:FIRST|SECOND|THIRD|FOURTH|1ST|2ND|3RD|4TH)\s+QUARTER(?:LY)?)\s+(?:(?:FY)?\d{4}\s+)?"
    + _FILLER + r"RESULTS\b")
# "RESULTS FOR THE THREE AND SIX MONTHS ENDED": the span named between "FOR THE" and "ENDED".
_T_PERIOD = re.compile(r"\bRESULTS\b(?:\s+ANNOUNCEMENT)?\s+(?:FOR|OF)\s+THE\s+(.{1,80}?)"
                       r"(?=\s+(?:ENDED|ENDING)\b|\s+OF\s+\d{4}|\s+\d{4}|\s*$)")
_SPAN_MONTHS = (
    (re.compile(r"\b(?:YEAR|TWELVE|12|FIFTEEN|15|EIGHTEEN|18)\b"), 12),
    (re.compile(r"\b(?:NINE|9)\b"), 9),
    (re.compile(r"\b(?:SIX|6|HALF[- ]YEAR|INTERIM)\b"), 6),
    (re.compile(r"\b(?:THREE|3|QUARTER)\b"), 3),
)
_ZH_NAMED = (
    (re.compile(r"(?:全年|年度|末期)業績"), 12),
    (re.compile(r"中期業績"), 6),
    (re.compile(r"季度業績|第[一二三四1-4]季度?業績"), 3),
)
_ZH_PERIOD = re.compile(r"止([^止]{1,24}?)業績")
_ZH_SPAN_MONTHS = (
    (re.compile(r"年度|十二個月|12個月"), 12),
    (re.compile(r"九個月|9個月"), 9),
    (re.compile(r"六個月|6個月|半年"), 6),
    (re.compile(r"三個月|3個月|季度"), 3),
)


def _months_of(span: str, table: Sequence[tuple[re.Pattern[str], int]]) -> int:
    span = re.sub(r"HALF[- ]YEAR(?:LY)?", "SIX", span)  # not a "YEAR"
    return max((months for pattern, months in table if pattern.search(span)), default=0)


def results_span_months(title: str) -> int:
    """The longest reporting span a results title names, in months (0: it names none).

    "RESULTS FOR THE THREE AND SIX MONTHS" is 6 (a quarterly reporter's interim); "THREE AND NINE
    MONTHS" is 9; "FOURTH QUARTER AND ANNUAL RESULTS" is 12. Chinese titles likewise
    (``止三個月及六個月之業績``).
    """
    t = unescape_title(title).upper()
    months = 0
    for m in _T_NAMED.finditer(t):
        word = m.group(1)
        months = max(months, 12 if word.startswith(("ANNUAL", "FINAL", "FULL")) else
                     6 if word.startswith(("INTERIM", "HALF")) else 3)
    for m in _T_PERIOD.finditer(t):
        months = max(months, _months_of(m.group(1), _SPAN_MONTHS))
    for pattern, span in _ZH_NAMED:
        if pattern.search(t):
            months = max(months, span)
    for m in _ZH_PERIOD.finditer(t):
        months = max(months, _months_of(m.group(1), _ZH_SPAN_MONTHS))
    return months


def _results_kind_in_title(title: str) -> FilingKind | None:
    months = results_span_months(title)
    if months >= 12:
        return FilingKind.FINAL_RESULTS
    if months == 6:
        return FilingKind.INTERIM_RESULTS
    if months:
        return FilingKind.QUARTERLY_RESULTS
    return None


def classify(t1_code: str, t2_codes: Sequence[str], categories: Sequence[str], title: str) -> FilingKind:
    """What a filing is, from its category codes, category labels and title together.

    ``t1_code`` may be a comma list. Issuers pick their own categories, so the title decides when
    it is explicit: a monthly return or next-day disclosure return is one whatever its codes; a
    board-meeting notice that mentions results is a board meeting; "INTERIM RESULTS" filed under
    Other is interim; a delay in publishing results is a delay unless the title also carries the
    results themselves. AGM poll results and supplements are never results. Otherwise the codes and
    labels decide (results first), then the headline (monthly returns, next-day disclosures,
    financial statements).
    """
    t = unescape_title(title).upper()
    t1_codes = set(parse_category_codes(t1_code))
    if _T_MONTHLY_RETURN.search(t):
        return FilingKind.MONTHLY_RETURN
    if _T_NEXT_DAY.search(t):
        return FilingKind.NEXT_DAY_DISCLOSURE
    if t1_codes & {T1_MONTHLY_RETURNS, T1_NEXT_DAY_DISCLOSURE}:
        return _KIND_BY_T1[min(t1_codes & {T1_MONTHLY_RETURNS, T1_NEXT_DAY_DISCLOSURE})]
    if _T_BOARD_MEETING.search(t):
        return FilingKind.BOARD_MEETING
    if _T_PROFIT_WARNING.search(t):
        return FilingKind.PROFIT_WARNING
    not_results = bool(_T_NOT_RESULTS.search(t))
    delay = _T_DELAY.search(t)
    if delay is not None:
        rest = t[:delay.start()] + " " + t[delay.end():]
        carried = None if not_results else _results_kind_in_title(rest)
        return carried or FilingKind.RESULTS_DELAY
    if not not_results:
        by_title = _results_kind_in_title(t)
        if by_title is not None:
            return by_title
    labels = {c.strip().lower() for c in categories}
    codes = set(t2_codes) | {_T2_BY_LABEL[c] for c in labels if c in _T2_BY_LABEL}
    codes |= t1_codes | {_T1_BY_HEADLINE[c] for c in labels if c in _T1_BY_HEADLINE}
    signals = {_KIND_BY_T2[c] for c in codes if c in _KIND_BY_T2}
    signals |= {_KIND_BY_T1[c] for c in codes if c in _KIND_BY_T1}
    if not_results:
        signals = {k for k in signals if not k.is_results}
    for kind in _PRIORITY:
        if kind in signals:
            return kind
    if re.search(r"\bDIVIDEND\b|股息", t) and not not_results:
        return FilingKind.DIVIDEND
    return FilingKind.OTHER


def reclassify(filing: Filing) -> Filing:
    """The filing with its kind decided again from all its codes, labels and title (after two
    listings of one document were folded into one record)."""
    kind_t1 = ",".join(c for c in category_codes(filing) if c in _KIND_BY_T1)
    return replace(filing, kind=classify(kind_t1, filing.t2_codes, filing.categories, filing.title))
