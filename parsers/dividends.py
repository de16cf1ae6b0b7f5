"""The dividend per share declared for the period, from what the board says in prose.

Only a sentence where the board recommends, declares or proposes a dividend for this period counts;
tables of dividends paid (e.g. "2012 Final, paid — HK$3,000 per share") and other years do not.
Silence is reported as unknown, never as nil.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.dates import zh_number


@dataclass(frozen=True)
class Dividend:
    current: float | None
    prior: float | None
    currency: str | None
    note: str | None


_VERB = re.compile(r"recommend|declare|propos|resolved|approv|will be paid|to be paid|payable|"
                   r"建議|建议|宣派|擬派|拟派|派發|派发|派付", re.I)
_NONE = re.compile(
    r"\b(?:not|no)\b[^.;]{0,80}?\b(?:recommend|declare|propose|pay|distribute)(?:d|s|ing)?\b[^.;]{0,60}?dividend"
    r"|\bno\b[^.;]{0,40}?dividends?\b[^.;]{0,40}?\b(?:was|were|has|have|had|is|will)\b[^.;]{0,30}?"
    r"(?:declared|proposed|recommended|paid)"
    r"|\bresolved not to\b[^.;]{0,60}?dividend"
    r"|不建議(?:派發|宣派|派付)?|不建议(?:派发|宣派)?|不宣派|不派發|不派付|不派发|並無宣派|并无宣派|未有宣派|不擬派發|不拟派发"
    r"|無(?:宣派|派發)|无(?:宣派|派发)|並無建議|并无建议", re.I)
_AMOUNT = re.compile(
    r"(?P<cur>HK\$|HK|RMB|US\$|US|港幣|港币|人民幣|人民币|港元)\s?(?P<num>\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s*"
    r"(?P<cents>cents?|仙|分|元)?"
    r"|(?P<num2>\d+(?:\.\d+)?)\s*(?P<cur2>HK|RMB|US|港)?\s*(?P<cents2>cents|仙)"
    r"|(?<=每股)(?P<num3>\d+(?:\.\d+)?)\s*(?P<cur3>港元|美元|人民幣元|人民币元|元)", re.I)
_PER_SHARE = re.compile(r"\s*(?:\([^()]{0,60}\)\s*)?(?:per (?:ordinary |class [ab] )?share|each share)|"
                        r"每股", re.I)
_PAREN_PRIOR = re.compile(r"\((?:[^():]{0,60}?)(?:19|20)\d\d\s*(?:年度?|年[^():]{0,10}日)?\s*[:：]\s*"
                          r"(?P<what>[^)]{1,40})\)")
_CURRENCY = {"美元": "USD", "人民幣元": "RMB", "人民币元": "RMB",
             "hk$": "HKD", "hk": "HKD", "港幣": "HKD", "港币": "HKD", "港元": "HKD", "港": "HKD",
             "rmb": "RMB",
             "人民幣": "RMB", "人民币": "RMB", "us$": "USD", "us": "USD"}


def _value(match: re.Match[str]) -> tuple[float, str | None]:
    num = match.group("num") or match.group("num2") or match.group("num3")
    cur = (match.group("cur") or match.group("cur2") or match.group("cur3") or "").lower()
    cents = match.group("cents") or match.group("cents2")
    value = float(num.replace(",", ""))
    if cents and cents.lower() not in ("元",) and (cents.lower().startswith("cent") or cents in "仙分"):
        value = value / 100
    return round(value, 6), _CURRENCY.get(cur)


def _amounts(sentence: str) -> list[tuple[float, str | None]]:
    """Amounts directly tied to "per share" ("HK8 cents (FY2013: Nil) per share", "每股港幣8仙")."""
    found = []
    for match in _AMOUNT.finditer(sentence):
        after = sentence[match.end():match.end() + 80]
        before = sentence[max(0, match.start() - 6):match.start()]
        if _PER_SHARE.match(after) or "每股" in before:
            found.append(_value(match))
    return found


def _sentences(text: str) -> list[str]:
    """Sentences of prose; a short line (a table row, a heading) stands alone."""
    text = text.replace("（", "(").replace("）", ")").replace("：", ":")
    blocks: list[str] = []
    joinable = False
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            joinable = False
            continue
        if joinable and not re.match(r"[•·\-—–]|\(?[a-z0-9]{1,3}[.)]\s", line):
            blocks[-1] += " " + line
        else:
            blocks.append(line)
        joinable = len(line) > 60 and not re.search(r"[.。:;；]$", line)
    sentences = [s for block in blocks for s in re.split(r"(?<=[.。;；])\s+|(?<=[。；])", block)]
    return [s for s in sentences if re.search(r"dividend|股息|股利", s, re.I)]


_DECLARER = re.compile(r"\bboard\b|\bdirectors\b|\bcompany\b|\b(?:interim|final|special) dividends?\b|"
                       r"dividends? (?:for|in respect of)\b|董事|本公司|中期股息|末期股息|特別股息|特别股息",
                       re.I)


def _no_dividend(sentence: str) -> bool:
    """The board (or the company) says it declares no dividend; "no withholding tax is imposed upon
    dividends paid" says nothing of the sort."""
    if re.search(r"\btax\b|稅|税", sentence, re.I) and not _DECLARER.search(sentence):
        return False
    return bool(_NONE.search(sentence))


def _about_this_period(sentence: str, year: int, kind: str | None) -> bool:
    # The comparative in brackets ("(2023: HK8 cents)") does not make a sentence about 2023.
    years = {int(y) for y in re.findall(r"(?:19|20)\d\d", _PAREN_PRIOR.sub(" ", sentence))}
    other = years - {year, year - 1}
    if other and year not in years:
        return False
    if re.search(r"(?:19|20)\d\d\s+(?:final|interim|special)", sentence, re.I) and year not in years:
        return False
    wanted = {"interim": r"interim|中期", "final": r"final|末期|全年|"
                                                 r"年度", "quarterly": r"quarter|季度"}.get(kind or "")
    other_kinds = r"interim|final|中期|末期"
    if wanted and re.search(other_kinds, sentence, re.I) and not re.search(wanted, sentence, re.I):
        return False
    return year in years or not years


# Where a sentence goes on to the year's total ("..., making the full-year dividend 22.0 HK cents (2020:
# 6.0 HK cents)"): the total and its comparative are not the dividend declared now.
_TOTAL = re.compile(r"\b(?:making|bringing|representing)\b[^.;]{0,40}?"
                    r"\b(?:total|full[- ]year|aggregate|whole[- ]year)\b"
                    r"|\b(?:total|full[- ]year|aggregate) dividends? (?:for|of|in respect of)\b|"
                    r"全年股息|全年合共|股息總額|"
                    r"股息总额", re.I)
_ZH_YEAR = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})(?=\s*年)")


def _arabic_years(text: str) -> str:
    """二零一三年 -> 2013年, so Chinese-numeral years compare like any other."""
    return _ZH_YEAR.sub(lambda m: str(zh_number(m.group(1))), text)


def find_dividend(text: str, *, year: int, kind: str | None, currency: str | None = None) -> Dividend:
    """Dividend per share for the period ending in ``year``: an amount, 0.0 when the board says none,
    None (with a note) when the text is silent or contradicts itself. Where one sentence gives the
    amount in two currencies ("RMB0.15 (HK$0.165) per share"), the reporting ``currency`` is kept."""
    currents: set[tuple[float, str | None]] = set()
    priors: set[float] = set()
    for sentence in _sentences(_arabic_years(text)):
        if not _about_this_period(sentence, year, kind):
            years = {int(y) for y in re.findall(r"(?:19|20)\d\d", sentence)}
            if _no_dividend(sentence) and years == {year - 1}:
                priors.add(0.0)
            continue
        # A dividend paid (last year's final, paid in this period) is not one declared for this period.
        if re.search(r"\bpaid\b|已派|已付", sentence, re.I) and not _VERB.search(
                re.sub(r"\b(?:was|were|been|had|has|have)\s+paid\b", "", sentence)):
            continue
        sentence = _TOTAL.split(sentence, maxsplit=1)[0]
        stripped = _PAREN_PRIOR.sub(" ", sentence)
        for paren in _PAREN_PRIOR.finditer(sentence):
            what = paren.group("what")
            if re.search(r"\bnil\b|\bnone\b|無|无|零", what, re.I):
                priors.add(0.0)
            else:
                priors.update(v for v, _ in _amounts(what + " per share"))
        if _no_dividend(stripped):
            if year in {int(y) for y in re.findall(r"(?:19|20)\d\d", stripped)} or not re.search(
                    r"(?:19|20)\d\d", stripped):
                currents.add((0.0, None))
            continue
        if _VERB.search(stripped):
            amounts = _amounts(stripped)
            preferred = [a for a in amounts if a[1] == currency]
            if currency and len({v for v, _ in amounts}) > 1 and preferred:
                amounts = preferred
            currents.update(amounts)
    if not currents:
        return Dividend(None, None, None, "the announcement does not state a dividend for the period")
    values = {v for v, _ in currents}
    if len(values) > 1:
        listed = ", ".join(f"{v:g}" for v in sorted(values))
        return Dividend(None, None, None, f"several different dividend statements ({listed}); not chosen")
    value, currency = next(iter(currents))
    if value != 0.0:
        currency = next((c for v, c in currents if c), currency)
    prior = next(iter(priors)) if len(priors) == 1 else None
    return Dividend(value, prior, currency, None if value else "the board declared no dividend for the "
                                                               "period")
