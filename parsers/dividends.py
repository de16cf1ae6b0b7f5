"""The dividend per share declared for the period, from what the board says in prose and in the
dividends note.

``dividend_per_share`` is the total declared for the period the document covers: for a year, the
interim dividend (paid during it), the final one (recommended after it) and any special dividend in
respect of it; for an interim period, the interim dividend and any special one declared with it. A
total the document states ("making the full-year dividend 22.0 HK cents") is taken as stated;
otherwise the parts are added and the note names them. Last year's final paid during the period,
dividends of other years and amounts of money (not per share) do not count. Silence is unknown, never
nil; a board that says it declares none gives 0.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from parsers.dates import zh_number


@dataclass(frozen=True)
class Dividend:
    current: float | None
    prior: float | None
    currency: str | None
    note: str | None
    # Every part of the period's dividend is accounted for: a stated total, or (for a year) the interim
    # dividend as well as the final one. A reader may look further (the dividends note) when it is not.
    complete: bool = False


_VERB = re.compile(r"recommend|declare|propos|resolved|approv|will be paid|to be paid|payable|"
                   r"建議|建议|宣派|擬派|拟派|派發|派发|派付|預案|预案|每\s*10\s*股派", re.I)
_NONE = re.compile(
    r"\b(?:not|no)\b[^.;]{0,80}?\b(?:recommend|declare|propose|pay|distribute)(?:d|s|ing)?\b[^.;]{0,60}?dividend"
    r"|\bno\b[^.;]{0,40}?dividends?\b[^.;]{0,40}?\b(?:was|were|has|have|had|is|will)\b[^.;]{0,30}?"
    r"(?:declared|proposed|recommended|paid)"
    r"|\bresolved not to\b[^.;]{0,60}?dividend"
    r"|不建議(?:派發|宣派|派付)?|不建议(?:派发|宣派)?|不宣派|不派發|不派付|不派发|並無宣派|并无宣派|未有宣派|不擬派發|不拟派发"
    r"|無(?:宣派|派發)|无(?:宣派|派发)|並無建議|并无建议"
    r"|不擬(?:派發|派付|宣派)|不拟(?:派发|派付|宣派)|並無(?:派付|擬派|宣佈派發)|并无(?:派付|拟派)|未有(?:派付|建議)"
    r"|不會(?:派發|派付|宣派)|不会(?:派发|派付|宣派)|議決不(?:派發|派付|宣派)|议决不(?:派发|派付|宣派)"
    # The PRC report's form: "Whether to distribute or capitalize: No" / 是否分配或轉增：否.
    r"|whether to distribute or (?:capitali[sz]e|convert)\w*\s*:?\s*no\b"
    r"|是否分配或(?:轉增|转增)\s*[:：]?\s*否"
    r"|不(?:進行|进行)(?:利潤分配|利润分配|現金分紅|现金分红)", re.I)
_AMOUNT = re.compile(
    r"(?P<cur>HK\$|HK|RMB|US\$|US|港幣|港币|人民幣|人民币|港元)\s?(?P<num>\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s*"
    r"(?P<cents>cents?|仙|分|元)?"
    r"|(?P<num2>\d+(?:\.\d+)?)\s*(?P<cur2>HK|RMB|US|港)?\s*(?P<cents2>cents|仙)"
    r"|(?<=每股)(?P<num3>\d+(?:\.\d+)?)\s*(?P<cur3>港元|美元|人民幣元|人民币元|元)", re.I)
_PER_SHARE = re.compile(r"\s*(?:\([^()]{0,60}\)\s*)?(?:per (?:ordinary |class [ab] )?share|each share)|"
                        r"\s*\((?:equivalent to|approximately|approx\.)[^()]{0,40}per share\)|"
                        r"每股", re.I)
_PAREN_PRIOR = re.compile(r"\((?:[^():]{0,60}?)(?:19|20)\d\d\s*(?:年度?|年[^():]{0,10}日)?\s*[:：]\s*"
                          r"(?P<what>[^)]{1,60})\)")
_CURRENCY = {"美元": "USD", "人民幣元": "RMB", "人民币元": "RMB",
             "hk$": "HKD", "hk": "HKD", "港幣": "HKD", "港币": "HKD", "港元": "HKD", "港": "HKD",
             "rmb": "RMB",
             "人民幣": "RMB", "人民币": "RMB", "us$": "USD", "us": "USD"}
# What part of the period's dividend an amount is: the last of these words before it.
_PART = re.compile(r"(?P<second>second interim|2nd interim|第二次中期)|(?P<interim>\binterim\b|中期)|"
                   r"(?P<final>\bfinal\b|末期)|(?P<special>\bspecial\b|特別|特别)|"
                   r"(?P<total>\b(?:total(?:l?ing)?|full[- ]year|aggregat(?:e|ing)|whole[- ]year|in total)\b|"
                   r"全年|股息總額|股息总额|合共)", re.I)
_YEAR_BEFORE = re.compile(r"(?:FY|財政年度|财政年度)?((?:19|20)\d\d)(?:/\d{2,4})?\s*(?:年度?|年)?\s*$", re.I)
# A clause of its own: "No interim dividend was paid ... and the Board did not recommend a final one".
_CLAUSE = re.compile(r"\s+and\s+(?=(?:the|its|our)\s+(?:board|directors|company)\b)|;\s*|，(?=董事)", re.I)
PARTS = ("interim", "final", "special")


def _value(match: re.Match[str]) -> tuple[float, str | None]:
    num = match.group("num") or match.group("num2") or match.group("num3")
    cur = (match.group("cur") or match.group("cur2") or match.group("cur3") or "").lower()
    cents = match.group("cents") or match.group("cents2")
    value = float(num.replace(",", ""))
    if cents and cents.lower() not in ("元",) and (cents.lower().startswith("cent") or cents in "仙分"):
        value = value / 100
    return round(value, 6), _CURRENCY.get(cur)


def _amounts(sentence: str) -> list[tuple[int, float, str | None]]:
    """Amounts directly tied to "per share" ("HK8 cents (FY2013: Nil) per share", "每股港幣8仙") or to
    ten shares (每10股派2.50元), per share, with where each starts."""
    found: list[tuple[int, float, str | None]] = [
        (m.start(), round(float(m.group("a") or m.group("b")) / 10, 6), "RMB")
        for m in _PER_TEN.finditer(sentence)]
    for match in _AMOUNT.finditer(sentence):
        after = sentence[match.end():match.end() + 80]
        before = sentence[max(0, match.start() - 6):match.start()]
        if _PER_SHARE.match(after) or "每股" in before:
            found.append((match.start(), *_value(match)))
    return found


def _sentences(text: str) -> list[str]:
    """Sentences of prose; a short line (a table row, a heading) stands alone unless the next line goes
    on with a bracket or in lower case (a dividends note's row wrapped over two lines)."""
    text = text.replace("（", "(").replace("）", ")").replace("：", ":")
    blocks: list[str] = []
    joinable = False
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            joinable = False
            continue
        goes_on = bool(blocks) and bool(re.match(r"\(|[a-z]", line)) and re.search(
            r"dividend|股息", blocks[-1], re.I) is not None and not re.search(r"[.。:;；]$", blocks[-1])
        open_bracket = bool(blocks) and blocks[-1].count("(") > blocks[-1].count(")")
        if (joinable or goes_on or open_bracket) and not re.match(r"[•·\-—–]|\(?[a-z0-9]{1,3}[.)]\s", line):
            blocks[-1] += " " + line
        else:
            blocks.append(line)
        joinable = len(line) > 60 and not re.search(r"[.。:;；]$", line)
    sentences = [s for block in blocks for s in re.split(r"(?<=[.。;；])\s+|(?<=[。；])", block)]
    return [s for s in sentences if _ABOUT_DIVIDENDS.search(s)]


_ABOUT_DIVIDENDS = re.compile(r"dividend|股息|股利|紅利|红利|分紅|分红|利潤分配|利润分配|分配或(?:轉增|转增)|"
                              r"distribute or capitali|profit distribution", re.I)
# A PRC dividend is per 10 shares: 每10股派發現金紅利2.50元（含稅）, "RMB2.50 (tax inclusive) for every
# 10 shares".
_PER_TEN = re.compile(r"每\s*10\s*股派(?:發|发|送)?(?:現金紅利|现金红利|現金股利|现金股利|現金|现金|股息|"
                      r"紅利|红利)?"
                      r"(?:人民幣|人民币)?\s*(?P<a>\d+(?:\.\d+)?)\s*元|"
                      r"RMB\s?(?P<b>\d+(?:\.\d+)?)\s*(?:\((?:tax inclusive|including tax)\)\s*)?"
                      r"(?:for every|per|on every)\s+10\s+shares", re.I)
_DECLARER = re.compile(r"\bboard\b|\bdirectors\b|\bcompany\b|\b(?:interim|final|special) dividends?\b|"
                       r"dividends? (?:for|in respect of)\b|董事|本公司|中期股息|末期股息|特別股息|特别股息",
                       re.I)


def _no_dividend(sentence: str) -> re.Match[str] | None:
    """The board (or the company) says it declares no dividend; "no withholding tax is imposed upon
    dividends paid" says nothing of the sort."""
    if re.search(r"\btax\b|稅|税", sentence, re.I) and not _DECLARER.search(sentence):
        return None
    return _NONE.search(sentence)


def _about_this_period(sentence: str, year: int, kind: str | None, interim_year: int) -> bool:
    # The comparative in brackets ("(2023: HK8 cents)") does not make a sentence about 2023.
    years = {int(y) for y in re.findall(r"(?:19|20)\d\d", _PAREN_PRIOR.sub(" ", sentence))}
    other = years - {year, year - 1}
    if other and year not in years:
        return False
    if re.search(r"(?:19|20)\d\d\s+(?:final|interim|special)", sentence, re.I) and year not in years:
        return False
    if kind in ("interim", "quarterly"):
        # An interim period declares its own dividend: a sentence about a final one (last year's, paid
        # during the period) is not about it.
        wanted = r"interim|中期" if kind == "interim" else r"quarter|季度"
        if re.search(r"final|末期", sentence, re.I) and not re.search(wanted, sentence, re.I):
            return False
    if kind == "final" and interim_year in years and re.search(r"interim|中期", sentence, re.I):
        return True  # the interim dividend of a year that ends in June was for six months ended December
    return year in years or not years


_ZH_YEAR = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})(?=\s*年)")


def _arabic_years(text: str) -> str:
    """二零一三年 -> 2013年, so Chinese-numeral years compare like any other."""
    return _ZH_YEAR.sub(lambda m: str(zh_number(m.group(1))), text)


@dataclass
class _Part:
    currents: set[tuple[float, str | None]] = field(default_factory=set)
    priors: set[float] = field(default_factory=set)


def _part_at(clause: str, end: int, kind: str | None, year: int) -> str | None:
    """The part of the dividend the words before ``end`` name: the last part word, "other" when a year
    other than this one stands before it ("2020 final dividend"), the kind's own part when none does."""
    found = None
    for match in _PART.finditer(clause, 0, end):
        found = match
    if found is None:
        return "final" if kind == "final" else "interim"
    name = found.lastgroup or "interim"
    if name == "second":
        name = "final" if kind == "final" else "interim"
    stated = _YEAR_BEFORE.search(clause[max(0, found.start() - 12):found.start()])
    if stated and int(stated.group(1)) != year and name != "total":
        return "other"
    return name


def _read_clause(clause: str, parts: dict[str, _Part], year: int, kind: str | None, currency: str | None,
                 paid_only: bool) -> None:
    none = _no_dividend(clause)
    if none is not None:
        tail = clause[none.start():]
        stop = re.search(r"dividend|股息", tail, re.I)
        window_end = none.start() + (stop.end() if stop else len(none.group(0)))
        part = _part_at(clause, window_end, kind, year)
        if not _PART.search(clause, none.start(), window_end) and part != "other":
            # "does not recommend the payment of a dividend": none at all for the period, interim included.
            parts.setdefault("none_at_all", _Part())
        if part != "other" and part is not None:
            entry = parts.setdefault(part, _Part())
            entry.currents.add((0.0, None))
            for paren in _PAREN_PRIOR.finditer(clause):
                _add_prior(paren.group("what"), entry, currency)
        return
    if not _VERB.search(clause) and not paid_only:
        return
    stripped = _PAREN_PRIOR.sub(lambda m: " " * len(m.group(0)), clause)
    amounts = _amounts(stripped)
    preferred = [a for a in amounts if a[2] == currency]
    owners: list[tuple[int, str]] = []  # (where, part) of each amount read
    for start, value, cur in amounts:
        part = _part_at(stripped, start, kind, year)
        if part is None or part == "other" or (paid_only and part == "final"):
            continue  # another year's dividend; a final dividend paid during the year is last year's
        if currency and preferred and cur != currency:
            continue  # two currencies for one amount ("RMB0.067 (equivalent to HK$0.080)"): the reporting one
        parts.setdefault(part, _Part()).currents.add((value, cur))
        owners.append((start, part))
    for paren in _PAREN_PRIOR.finditer(clause):
        before = [part for start, part in owners if start < paren.start()]
        owner = before[-1] if before else _part_at(stripped, paren.start(), kind, year)
        if owner is None or owner == "other" or (paid_only and owner == "final"):
            continue
        _add_prior(paren.group("what"), parts.setdefault(owner, _Part()), currency)


def _add_prior(what: str, entry: _Part, currency: str | None) -> None:
    """The comparative in brackets ("(2023: HK6 cents)", "(2020: Nil)") for one part."""
    if re.search(r"\bnil\b|\bnone\b|無|无|零", what, re.I):
        entry.priors.add(0.0)
        return
    values = [(v, c) for _, v, c in _amounts(what + " per share")]
    chosen = [v for v, c in values if c == currency] or [v for v, _ in values]
    entry.priors.update(chosen[:1])


# A highlights row: "Interim dividend per share (HK cents)  8.0  6.0", "每股末期股息（港仙） 無 5.0".
_ROW = re.compile(r"^(?P<label>[^\d\n]{0,60}?(?:dividends?|股息)[^\d\n]{0,60}?)\s+"
                  r"(?P<a>nil|n/a|-|—|–|無|无|\d{1,3}(?:\.\d+)?)\s+(?P<b>nil|n/a|-|—|–|無|无|\d{1,3}(?:\.\d+)?)\s*$",
                  re.I)
_ROW_UNIT = {"hk cents": ("HKD", 0.01), "hk cent": ("HKD", 0.01), "港仙": ("HKD", 0.01),
             "rmb cents": ("RMB", 0.01), "人民幣分": ("RMB", 0.01), "us cents": ("USD", 0.01),
             "hk$": ("HKD", 1.0), "港元": ("HKD", 1.0), "rmb": ("RMB", 1.0), "人民幣元": ("RMB", 1.0),
             "人民幣": ("RMB", 1.0), "us$": ("USD", 1.0)}


def _table_rows(text: str, parts: dict[str, _Part], kind: str | None, year: int) -> None:
    """Dividend rows of a highlights table, current column first, each naming its part and unit."""
    for line in text.replace("（", "(").replace("）", ")").split("\n"):
        match = _ROW.match(line.strip())
        if match is None:
            continue
        label = match.group("label")
        if not re.search(r"per (?:ordinary )?share|每股", label, re.I) or not _PART.search(label):
            continue
        unit = re.search(r"\(([^()]*)\)", label)
        scale = _ROW_UNIT.get(unit.group(1).strip().lower()) if unit else None
        values = [None if v.lower() in ("n/a",) else 0.0 if not v[0].isdigit() else float(v)
                  for v in (match.group("a"), match.group("b"))]
        if scale is None and any(values):
            continue  # an amount without its unit is not guessed
        part = _part_at(label, len(label), kind, year)
        if part in (None, "other") or (kind != "final" and part == "final"):
            continue
        code, factor = scale or (None, 1.0)
        entry = parts.setdefault(part, _Part())
        if values[0] is not None:
            entry.currents.add((round(values[0] * factor, 6), code if values[0] else None))
        if values[1] is not None:
            entry.priors.add(round(values[1] * factor, 6))


def find_dividend(text: str, *, year: int, kind: str | None, currency: str | None = None,
                  end_month: int | None = None) -> Dividend:
    """Dividend per share for the period ending in ``year`` (in month ``end_month``): the total declared
    for it, 0.0 when the board says none, None (with a note) when the text is silent or contradicts
    itself. Where one sentence gives an amount in two currencies ("RMB0.15 (HK$0.165) per share"), the
    reporting ``currency`` is kept."""
    return _combine(_thaw(_statements(text, year, kind, currency, end_month)), kind, currency)


def find_dividend_in_pages(pages: list[str], *, year: int, kind: str | None, currency: str | None = None,
                           end_month: int | None = None) -> Dividend:
    """``find_dividend`` over pages read one at a time (each page's statements are read once, however
    often the pages read so far are asked about): what a reader deciding whether to read on needs."""
    parts: dict[str, _Part] = {}
    for page in pages:
        for name, part in _thaw(_statements(page, year, kind, currency, end_month)).items():
            entry = parts.setdefault(name, _Part())
            entry.currents |= part.currents
            entry.priors |= part.priors
    return _combine(parts, kind, currency)


_Frozen = tuple[tuple[str, frozenset[tuple[float, str | None]], frozenset[float]], ...]


def _thaw(frozen: _Frozen) -> dict[str, _Part]:
    return {name: _Part(set(currents), set(priors)) for name, currents, priors in frozen}


@functools.lru_cache(maxsize=512)
def _statements(text: str, year: int, kind: str | None, currency: str | None,
                end_month: int | None) -> _Frozen:
    """What ``text`` states of each part of the period's dividend (interim, final, special, total)."""
    parts: dict[str, _Part] = {}
    _table_rows(text, parts, kind, year)
    interim_year = year - 1 if end_month is not None and end_month <= 6 else year
    for sentence in _sentences(_arabic_years(text)):
        if not _about_this_period(sentence, year, kind, interim_year):
            years = {int(y) for y in re.findall(r"(?:19|20)\d\d", sentence)}
            if _no_dividend(sentence) and years == {year - 1}:
                parts.setdefault("prior_none", _Part()).priors.add(0.0)
            continue
        paid = bool(re.search(r"\bpaid\b|已派|已付", sentence, re.I)) and not _VERB.search(
            re.sub(r"\b(?:was|were|been|had|has|have)\s+paid\b|\bdeclared and paid\b", "", sentence))
        if paid and kind != "final":
            continue  # a dividend paid in an interim period is last year's final
        for clause in _CLAUSE.split(sentence):
            if _ABOUT_DIVIDENDS.search(clause):
                _read_clause(clause, parts, year, kind, currency, paid)
    return tuple((name, frozenset(p.currents), frozenset(p.priors)) for name, p in parts.items())


def _one(part: _Part | None, currency: str | None) -> tuple[float | None, str | None, str | None]:
    """The part's value and currency, or a note when it is stated differently in different places."""
    if part is None or not part.currents:
        return None, None, None
    values = {v for v, _ in part.currents}
    if len(values) > 1 and 0.0 in values:
        values.discard(0.0)  # "no final dividend other than the special one" beside the special amount
    if len(values) > 1:
        same = {v for v, c in part.currents if c == currency}
        values = same if len(same) == 1 else values
    if len(values) > 1:
        listed = ", ".join(f"{v:g}" for v in sorted(values))
        return None, None, f"several different dividend statements ({listed}); not chosen"
    value = next(iter(values))
    cur = next((c for v, c in part.currents if v == value and c), None)
    return value, cur, None


def _prior_of(part: _Part | None) -> float | None:
    if part is None or len(part.priors) != 1:
        return None
    return next(iter(part.priors))


def _combine(parts: dict[str, _Part], kind: str | None, currency: str | None) -> Dividend:
    main = "final" if kind == "final" else "interim"
    resolved: dict[str, tuple[float | None, str | None]] = {}
    for name in ("total", *PARTS):
        value, cur, problem = _one(parts.get(name), currency)
        if problem:
            return Dividend(None, None, None, problem)
        resolved[name] = (value, cur)
    total, total_cur = resolved["total"]
    main_value = resolved[main][0]
    if main_value is None and total is None:
        if any(resolved[p][0] for p in PARTS):
            stated = ", ".join(f"{p} {resolved[p][0]:g}" for p in PARTS if resolved[p][0] is not None)
            return Dividend(None, None, None, f"only part of the period's dividend is stated ({stated}); "
                                              f"the {main} dividend is not")
        return Dividend(None, None, None, "the announcement does not state a dividend for the period")
    counted = [p for p in PARTS if resolved[p][0] is not None and (kind == "final" or p != "final")]
    currencies = {resolved[p][1] for p in counted if resolved[p][0]} - {None}
    if total is not None:
        value, cur = total, total_cur or next(iter(currencies), None)
        prior = _prior_of(parts.get("total"))
        if prior is None:
            prior = _sum_priors(parts, counted)
        pieces = _pieces(resolved, counted)
        note = "the total for the period as stated" + (f" ({pieces})" if pieces else "")
        return Dividend(value, prior, cur, note, True)
    if len(currencies) > 1:
        return Dividend(None, None, None, "the parts of the dividend are declared in different currencies")
    value = round(sum(resolved[p][0] or 0.0 for p in counted), 6)
    cur = next(iter(currencies), None)
    prior = _sum_priors(parts, counted)
    if prior is None and len(counted) == 1:
        prior = _prior_of(parts.get("prior_none"))
    complete = kind != "final" or resolved["interim"][0] is not None or (
        "none_at_all" in parts and not value)
    nonzero = [p for p in counted if resolved[p][0]]
    said = (f"the total of {_pieces(resolved, counted)}" if len(nonzero) > 1 else
            "" if value else "the board declared no dividend for the period")
    if kind == "final" and resolved["interim"][0] is None and value:
        said = "; ".join(n for n in (said, "no interim dividend is mentioned") if n)
    return Dividend(value, prior, cur, said or None, complete)


def _pieces(resolved: dict[str, tuple[float | None, str | None]], counted: list[str]) -> str:
    return " + ".join(f"{p} {resolved[p][0]:g}" for p in counted if resolved[p][0])


def _sum_priors(parts: dict[str, _Part], counted: list[str]) -> float | None:
    """Last year's total, when every part counted this year states its comparative."""
    if not counted:
        return None
    priors = [_prior_of(parts.get(p)) for p in counted]
    if any(p is None for p in priors):
        return None
    return round(sum(p or 0.0 for p in priors), 6)
