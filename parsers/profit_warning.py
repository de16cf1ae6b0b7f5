"""Read a profit warning or positive profit alert (HKEXnews 13500) into a ProfitWarning: which
figure the issuer expects (profit attributable, profit or loss for the period, revenue, ...), the
range or approximate amount in currency units, the period, the prior figure, a stated change.
English and Chinese (HK$60 million, 人民幣1.2億元, 4,500萬港元, 60百萬港元).

The figures come from the sentences that say what is *expected*; in them an amount after "compared
with" / "(2024: ...)" / "而去年同期" is the prior figure, and anything after "mainly due to" is a
reason, not the result. A warning whose figure cannot be read is returned with ``low``/``high`` None
and a note saying why: never a guessed number.

``compare_with_warning`` says how the results of the same period turned out against the warning.
Pure: bytes or a path in, no network, no clock.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from parsers.dates import find_periods, zh_number
from parsers.errors import WrongDocumentError
from parsers.notices import Measure, NoticeText, ProfitWarning, WarningOutcome, clip, notice_text, read_pages
from parsers.report import ResultsReport, change_pct
from parsers.units import currency_code, scale_word

MAX_PAGES = 12

_POSITIVE_TITLE = re.compile(r"positive profit alert|profit upgrade"
                             r"|正面盈利|盈利預喜|盈利预喜|業績預增|业绩预增", re.I)
_WARNING_TITLE = re.compile(r"profit warning|negative profit alert|loss warning"
                            r"|盈利警告|盈利預警|盈利预警|虧損預警|亏损预警|負面盈利|负面盈利", re.I)
_ANY_TITLE = re.compile(r"profit alert|profit warning|loss warning|expected (?:loss|profit|results)"
                        r"|estimated results"
                        r"|盈利預告|盈利预告|業績預告|业绩预告|虧損預告|亏损预告"
                        r"|預期(?:虧損|溢利|業績)|预期(?:亏损|溢利|业绩)", re.I)
_UNTITLED_PAGES = 5  # a warning without a title is a short notice; a longer document is something else

_EXPECT = re.compile(r"\b(?:expect(?:s|ed|ing)?|anticipat\w*|estimat\w*|forecast\w*|likely to)\b"
                     r"|預期|预期|預計|预计|估計|估计|預料|预料|料將|料将|預測|预测", re.I)
_REASON = re.compile(r"\b(?:mainly|primarily|principally|largely|partly|partially)\s+(?:due|attributable|"
                     r"because|as a result)|\bdue to\b|\bowing to\b|\bas a result of\b|\bresulting from\b"
                     r"|\battributable to (?:the |a |an )(?!owners|shareholders|equity|ordinary|members)"
                     r"|主要由於|主要是由於|主要由于|主要是由于|主要歸因於|主要归因于"
                     r"|乃由於|乃由于|主要原因|主要因為|主要因为", re.I)
_COMPARED = re.compile(r"\b(?:as )?compared (?:with|to)\b|\bin comparison (?:with|to)\b|\bversus\b|\bvs\.?\s"
                       r"|\bwhile\b|\bwhereas\b|\bagainst\b"
                       r"|[（(]\s*(?:(?:19|20)\d\d|二[零〇○][一二三四五六七八九〇零○]{2})\s*(?:年度?)?\s*[:：]"
                       r"|而去年同期|而上年同期|去年同期|上年同期|上一年度|上年度|而截至"
                       r"|相比|比較|比较|對比|对比|較|较", re.I)
_PAST = re.compile(r"\b(?:recorded|reported|achieved|was|were|had)\b|已錄得|已录得", re.I)

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CUR_EN = r"HK\$|HKD|RMB|US\$|USD|S\$|SGD|NT\$|MOP|Renminbi|CNY"
_CUR_ZH = r"人民幣|人民币|港幣|港币|港元|美元|新加坡元"
_AMOUNT = re.compile(
    rf"(?:(?P<pre>{_CUR_EN}|{_CUR_ZH})\s?|(?<![A-Za-z0-9.,$]))(?P<num>{_NUM})"
    rf"(?:\s?(?P<scale>thousand|million|mn|billion|bn|m)(?![A-Za-z])"
    r"|\s?(?P<zscale>千萬|千万|十億|十亿|百萬|百万|十萬|十万|億|亿|萬|万|千))?"
    rf"(?:\s?(?P<post>元?(?:{_CUR_ZH})|元|HKD|RMB|USD)(?![A-Za-z]))?", re.I)
_PCT_WORD = r"(?:%|％|per cent|percent)"
_PCT = re.compile(
    rf"(?<![A-Za-z0-9.,$])(?P<a>{_NUM})\s?(?P<pa>{_PCT_WORD})?"
    rf"(?:\s*(?:to|and|-|–|—|~|至|到)\s*(?:approximately\s+|about\s+|約|约)?(?P<b>{_NUM})\s?{_PCT_WORD})?"
    r"|百分之(?P<za>[一二三四五六七八九十]+)"
    r"(?:\s*(?:至|到)\s*(?:百分之)?(?P<zb>[一二三四五六七八九十]+))?", re.I)
_RANGE_GAP = re.compile(r"^\s*(?:to|and|-|–|—|~|至|到|與|与|和)\s*(?:approximately|about|around|約|约)?\s*$",
                        re.I)
_BOUND_BEFORE = re.compile(
    r"(?:(?P<least>not less than|no less than|at least|more than|over|exceeding|in excess of|above"
    r"|不少於|不少于|不低於|不低于|超過|超过|逾|多於|多于|最少|至少)"
    r"|(?P<most>not more than|no more than|not exceeding|not to exceed|not exceed|up to|less than|below|under"
    r"|at most|不多於|不多于|不超過|不超过|不高於|不高于|少於|少于|低於|低于|最多))"
    r"\s*(?:approximately|about|around|約|约)?\s*(?:為|为)?\s*$", re.I)
_BOUND_AFTER = re.compile(r"^\s*(?:(?P<least>以上)|(?P<most>以內|以内|以下))")
_APPROX = re.compile(r"(?:approximately|approx\.?|about|around|circa|roughly"
                     r"|約|约|大約|大约|大概)\s*(?:為|为)?\s*$|^\s*左右", re.I)

_CORE = re.compile(r"\b(?:revenues?|turnover|sales|profits?|loss(?:es)?|deficit)\b"
                   r"|收益|收入|營業額|营业额|銷售額|销售额|營收|营收|溢利|盈利|利潤|利润"
                   r"|純利|纯利|淨利|净利|虧損|亏损|虧蝕|毛利|毛損|毛损", re.I)
_LOSS = re.compile(r"loss|deficit|虧|亏|毛損|毛损", re.I)
_REVENUE = re.compile(r"revenue|turnover|sales|收益|收入|營業額|营业额|銷售額|销售额|營收|营收", re.I)
# Words before a profit/loss word that make it something other than the result: an impairment
# loss, a fair value gain, an adjusted (non-IFRS) profit, a share of associates' profit.
_NOT_RESULT = re.compile(r"(?:impairment|fair value|exchange|one-off|provision|credit|write-?(?:down|off)"
                         r"|disposal|valuation|derivative|share of|adjusted|non-(?:hk|i)frs|non-gaap|other"
                         r"|減值|减值|公平值|匯兌|汇兑|撥備|拨备|出售|信貸|信贷|經調整|经调整|分佔|分占|其他)"
                         r"[\s\w-]{0,12}$", re.I)
_NOT_RESULT_AFTER = re.compile(r"^\s*(?:on|in respect of|arising|per share)\b|^\s*(?:per share|每股)", re.I)
_INCREASE = re.compile(r"increase|growth|grow|rise|rose|improve|surge|jump"
                       r"|增加|增長|增长|上升|上漲|上涨|提升|提高|增幅|升幅|改善", re.I)
_DECREASE = re.compile(r"decrease|decline|drop|fall|fell|reduc|lower|shrink|contract"
                       r"|減少|减少|下降|下跌|下滑|降低|減幅|减幅|跌幅|倒退", re.I)
_ATTRIBUTABLE_BEFORE = re.compile(r"(?:owners'?|shareholders'?"
                                  r"|擁有人|拥有人|股東|股东|權益持有人|权益持有人|母公司)"
                                  r"\s*(?:應佔|应占|的|之)?\s*$|(?:歸屬於|归属于)[^，,。；;]{0,14}$", re.I)
_ATTRIBUTABLE = re.compile(r"attributable\s+to\s+(?:the\s+)?(?:owners|shareholders|(?:ordinary\s+)?equity\s+"
                           r"(?:holders|shareholders)|members)|歸屬於|归属于|歸母|归母", re.I)
_PRE_TAX = re.compile(r"(?:pre-?tax|除稅前|除税前|稅前|税前)\s*$", re.I)
_OPERATING = re.compile(r"(?:operating|經營|经营|營運|营运)\s*$", re.I)

_PRIORITY: tuple[Measure, ...] = ("profit_attributable", "profit_for_period", "profit_before_tax",
                                  "operating_profit", "gross_profit", "revenue")
_WORDS: dict[str, str] = {"profit_attributable": "profit attributable to owners",
                          "profit_for_period": "profit", "profit_before_tax": "profit before tax",
                          "operating_profit": "operating profit", "gross_profit": "gross profit",
                          "revenue": "revenue"}


@dataclass(frozen=True)
class _Amount:
    start: int
    stop: int
    low: float  # unsigned magnitudes, low <= high
    high: float
    currency: str | None
    rounding: float
    approximate: bool
    bound: Literal["at_least", "at_most"] | None


@dataclass(frozen=True)
class _Change:
    start: int
    stop: int
    low: float | None  # signed as the word says (a decrease is negative), before any loss flip
    high: float | None


@dataclass
class _Candidate:
    measure: Measure
    loss: bool
    at: int
    sentence: str
    amount: _Amount | None = None
    prior: float | None = None
    change: tuple[float | None, float | None] | None = None
    notes: list[str] = field(default_factory=list)


def parse_profit_warning(source: bytes | str | os.PathLike[str]) -> ProfitWarning:
    """The expected result a profit warning or positive profit alert states, from bytes or a path.

    Raises UnreadablePdfError for bytes that are not a readable PDF, WrongDocumentError for a
    document that is neither a profit warning nor a profit alert."""
    return profit_warning_in(read_pages(source, MAX_PAGES))


def profit_warning_in(pages: list[str]) -> ProfitWarning:
    """``parse_profit_warning`` on the plain text of a notice's pages."""
    text = notice_text(pages)
    titled = bool(_ANY_TITLE.search(text.head) or _WARNING_TITLE.search(text.head)
                  or _POSITIVE_TITLE.search(text.head))
    if text.has_statements and not titled:
        raise WrongDocumentError("the document carries financial statements and no profit warning title: "
                                 "it is a results announcement or a report, not a profit warning")
    candidates: list[_Candidate] = []
    expecting = [s for s in text.sentences if _EXPECT.search(s)]
    for sentence in expecting:
        candidates.extend(_candidates(sentence))
    if not titled:
        if len(pages) > _UNTITLED_PAGES:
            raise WrongDocumentError("no profit warning or profit alert title in a document of over "
                                     f"{_UNTITLED_PAGES} pages: this does not look like a profit warning")
        # Without a title, only an expected figure for a stated period makes it a warning.
        candidates = [c for c in candidates if find_periods(c.sentence)]
        if not candidates:
            raise WrongDocumentError("no profit warning or profit alert title and no sentence stating an "
                                     "expected result for a period: this does not look like a profit warning")
    direction: Literal["warning", "positive"] | None = None
    if _POSITIVE_TITLE.search(text.head):
        direction = "positive"
    elif _WARNING_TITLE.search(text.head):
        direction = "warning"
    figured = [c for c in candidates if c.amount is not None or c.change is not None]
    if not figured:
        return _no_figure(text, expecting, candidates, direction)
    chosen = min(figured, key=lambda c: (_PRIORITY.index(c.measure), c.at))
    if chosen.amount is not None and chosen.prior is None:
        chosen.prior = _prior_after(text.sentences, chosen)
    notes = list(chosen.notes)
    notes += [f"also stated: {_summary(c)}" for c in figured if c is not chosen]
    figure_stop = chosen.amount.stop if chosen.amount else chosen.at
    period = _period(chosen.sentence, text, chosen.at, figure_stop)
    if period is None:
        notes.append("the period the warning is for is not stated in a form read here")
    amount = chosen.amount
    low, high = _signed(amount, chosen.loss) if amount else (None, None)
    change_low, change_high = chosen.change or (None, None)
    if direction is None:
        direction = _infer_direction(low, high, chosen.prior, change_low, change_high)
    currency = amount.currency if amount else None
    if amount and currency is None:
        stated = {a.currency for a in _amounts(chosen.sentence) if a.currency}
        if len(stated) == 1:
            currency = stated.pop()
            notes.append(f"the currency is not printed with the amount; {currency}, the one the sentence's "
                         "other amounts state, is used")
        else:
            notes.append("the currency of the amount is not stated next to it")
    return ProfitWarning(
        company=text.company, stock_codes=text.stock_codes, language=text.language, direction=direction,
        measure=chosen.measure, low=low, high=high, approximate=bool(amount and amount.approximate),
        currency=currency, period_end=period[0] if period else None,
        months=period[1] if period else None, prior=chosen.prior, change_low_pct=change_low,
        change_high_pct=change_high, sentence=clip(chosen.sentence), notes=tuple(dict.fromkeys(notes)),
        bound=amount.bound if amount else None, rounding=amount.rounding if amount else None)


def _candidates(sentence: str) -> list[_Candidate]:
    """The expected figures one sentence states, each with its measure, prior and stated change."""
    marker = _EXPECT.search(sentence)
    if marker is None:
        return []
    full = sentence
    amounts = _amounts(sentence)
    changes = _changes(sentence, amounts)
    figures: list[_Amount | _Change] = sorted([*amounts, *changes], key=lambda f: f.start)
    after_marker = [f for f in figures if f.start > marker.start()]
    if after_marker:
        reason = _REASON.search(sentence, after_marker[0].stop)
        if reason:
            figures = [f for f in figures if f.start < reason.start()]
            sentence = sentence[:reason.start()]
    found: list[_Candidate] = []
    previous_stop = 0
    start_of: _Candidate | None = None  # "from HK$20m ...": the prior, when "... to HK$5m" follows
    for figure in figures:
        gap = sentence[previous_stop:figure.start]
        previous_stop = figure.stop
        compared = _COMPARED.search(gap)
        if isinstance(figure, _Change):
            _attach_change(found, figure, sentence, gap, compared is not None)
            continue
        if _CHANGE_AMOUNT.search(gap[-40:]):
            continue  # "a decrease of HK$50 million": the size of a change, not the expected figure
        if _opens_from(gap):
            if start_of is not None:
                found.append(start_of)
            start_of = _measure(sentence, figure.start, figure.stop, previous_start=figure.start - len(gap))
            if start_of is not None:
                start_of.amount = figure
            continue
        if compared and found and found[-1].amount is not None and found[-1].prior is None:
            core = _last_core(gap[compared.end():])
            loss = bool(_LOSS.search(core.group())) if core else found[-1].loss
            found[-1].prior = -figure.high if loss else figure.high
            continue
        if compared or (figure.start < marker.start() and _historic(sentence, figure, marker.start())):
            continue
        candidate = _measure(sentence, figure.start, figure.stop, previous_start=figure.start - len(gap))
        if start_of is not None:
            if _last(_TO, gap) is not None:
                candidate = candidate or _Candidate(start_of.measure, start_of.loss, figure.start, sentence)
                assert start_of.amount is not None
                candidate.prior = -start_of.amount.high if start_of.loss else start_of.amount.high
            else:
                found.append(start_of)
            start_of = None
        if candidate is None:
            continue
        candidate.amount = figure
        found.append(candidate)
    if start_of is not None:
        found.append(start_of)
    for candidate in found:  # the reason was cut off to read the figures; the record quotes it whole
        candidate.sentence = full
    return found


# "from HK$20 million for 2023 to HK$5 million": the first amount is the prior, the second the expected.
_FROM = re.compile(r"\bfrom\b|(?<![理自經经])(?:由|從|从)(?![於于此])", re.I)
_TO = re.compile(r"\bto\b|(?<![截止])至", re.I)
_CHANGE_AMOUNT = re.compile(r"(?:increase|decrease|decline|drop|fall|rise|growth|reduction|improvement|"
                            r"deterioration)(?:s|d)?\s+(?:by|of)\s+(?:approximately\s+|about\s+)?$"
                            r"|(?:增加|減少|减少|下降|上升|增長|增长|減幅|增幅|下跌)\s*(?:約|约)?$", re.I)
_COMPARISON_OPENS = re.compile(r"^\s*(?:in comparison|by comparison|comparatively"
                               r"|for the corresponding period|相比之下|比較之下|比较之下|對比之下|对比之下"
                               r"|而去年同期|去年同期|上年同期)", re.I)


def _prior_after(sentences: tuple[str, ...], candidate: _Candidate) -> float | None:
    """The prior figure when the next sentence gives it ("相比之下，2023年同期錄得溢利約572百萬港元")."""
    try:
        following = sentences[sentences.index(candidate.sentence) + 1]
    except (ValueError, IndexError):
        return None
    if not _COMPARISON_OPENS.match(following):
        return None
    amounts = _amounts(following)
    if not amounts:
        return None
    core = _last_core(following[:amounts[0].start])
    loss = bool(_LOSS.search(core.group())) if core else candidate.loss
    return -amounts[0].high if loss else amounts[0].high


def _last(pattern: re.Pattern[str], gap: str) -> int | None:
    """Where ``pattern`` last occurs in the clause just before a figure (its last 45 characters)."""
    clause = re.split(r"[.;。；,，]", gap[-45:])[-1]
    found = [m.start() for m in pattern.finditer(clause)]
    return found[-1] if found else None


def _opens_from(gap: str) -> bool:
    """The figure follows "from" (not "to"): "decrease from approximately HK$20 million ..."."""
    at_from, at_to = _last(_FROM, gap), _last(_TO, gap)
    return at_from is not None and (at_to is None or at_from > at_to)


def _historic(sentence: str, figure: _Amount, marker: int) -> bool:
    """An amount printed before "expected" is the expected one only in "a loss of HK$60m is expected"."""
    between = sentence[figure.stop:marker]
    return len(between) > 60 or bool(_PAST.search(sentence[:marker]))


def _attach_change(found: list[_Candidate], change: _Change, sentence: str, gap: str, compared: bool) -> None:
    """A stated change belongs to the measure named just before it ("revenue ... increase by 30%"),
    else just after it ("a decrease of 40% to 50% in profit after tax"), else to the figure it follows."""
    before = _last_core(gap)
    candidate: _Candidate | None = None
    if before:
        candidate = _measure(sentence, change.start, change.stop, previous_start=change.start - len(gap))
    elif not found or compared and found[-1].change is not None:
        candidate = _measure(sentence, change.start, change.stop, previous_start=change.start,
                             look_after=True)
    if candidate is None and found:
        candidate = found[-1]
    if candidate is None:
        return
    if candidate.change is not None:
        return
    low, high = change.low, change.high
    if candidate.loss:  # a loss growing by 30% is a change of -30% in the (negative) figure
        low, high = (-high if high is not None else None), (-low if low is not None else None)
        candidate.notes.append("the stated change is in the size of a loss; it is signed as a change in the "
                               "figure")
    candidate.change = (low, high)
    if candidate not in found:
        found.append(candidate)


def _last_core(text: str) -> re.Match[str] | None:
    cores = [m for m in _CORE.finditer(text)]
    return cores[-1] if cores else None


def _measure(sentence: str, start: int, stop: int, *, previous_start: int,
             look_after: bool = False) -> _Candidate | None:
    """Which figure an amount (or change) at ``sentence[start:stop]`` is: the profit/loss or revenue
    word nearest before it, or (``look_after``) just after it, with its qualifiers ("attributable
    to owners", "before tax", "gross"). None for amounts that are not a result (an impairment loss,
    a fair value gain, an adjusted or per-share figure)."""
    before = sentence[max(previous_start, 0):start]
    core = _last_core(before)
    offset = max(previous_start, 0)
    if core is None and look_after:
        core = _CORE.search(sentence, stop, min(len(sentence), stop + 60))
        offset = 0
    if core is None:
        return None
    core_start, core_end = core.start() + offset, core.end() + offset
    word = core.group()
    pre = sentence[max(0, core_start - 24):core_start]
    post = sentence[core_end:core_end + 40]
    if _NOT_RESULT.search(pre) or _NOT_RESULT_AFTER.match(post) \
            or _NOT_RESULT_AFTER.match(sentence[stop:stop + 12]):
        return None
    loss = bool(_LOSS.search(word))
    next_core = _CORE.search(sentence, max(stop, core_end), min(len(sentence), max(stop, core_end) + 90))
    region_end = next_core.start() if next_core else min(len(sentence), max(stop, core_end) + 90)
    region = sentence[core_start:region_end]
    return _Candidate(measure=_classify(word, pre, post, region), loss=loss, at=start, sentence=sentence)


def _classify(word: str, pre: str, post: str, region: str) -> Measure:
    if _REVENUE.fullmatch(word.rstrip("s")) or _REVENUE.match(word):
        return "revenue"
    if _ATTRIBUTABLE_BEFORE.search(pre) or _ATTRIBUTABLE.search(region):
        return "profit_attributable"
    if re.match(r"\s*before\s+(?:income\s+)?tax", post, re.I) or _PRE_TAX.search(pre):
        return "profit_before_tax"
    if _OPERATING.search(pre) or re.match(r"\s*from\s+operations", post, re.I):
        return "operating_profit"
    if re.search(r"gross\s*$", pre, re.I) or word in ("毛利", "毛損", "毛损"):
        return "gross_profit"
    return "profit_for_period"


def _amounts(sentence: str) -> list[_Amount]:
    """Every amount with a currency or a scale, ranges ("HK$60 million to HK$70 million", "HK$20 to 30
    million", "60百萬港元至70百萬港元") merged into one, with the words around it that qualify it."""
    raw = list(_AMOUNT.finditer(sentence))
    merged: list[tuple[re.Match[str], re.Match[str] | None]] = []
    for number, match in enumerate(raw):
        if not _qualified(match):
            # A bare number opens a range only when a currency or scale closes it ("約20至30百萬港元").
            # The currency then comes after the second number, and the first is no year ("2023 to HK$5m").
            following = raw[number + 1] if number + 1 < len(raw) else None
            if not (following and _qualified(following) and not following.group("pre")
                    and not re.fullmatch(r"(?:19|20)\d\d", match.group("num"))
                    and _RANGE_GAP.match(sentence[match.end():following.start()])):
                continue
        if merged and merged[-1][1] is None and _RANGE_GAP.match(sentence[merged[-1][0].end():match.start()]):
            merged[-1] = (merged[-1][0], match)
        else:
            merged.append((match, None))
    out: list[_Amount] = []
    for first, second in merged:
        last = second or first
        scale_a, scale_b = _scale(first), _scale(last)
        if second is not None and _scale_of(first) is None and "," not in first.group("num"):
            scale_a = scale_b  # "HK$20 to 30 million": the scale printed once covers both ends
        currency = _currency(first) or _currency(last)
        values = sorted((float(first.group("num").replace(",", "")) * scale_a,
                         float(last.group("num").replace(",", "")) * scale_b))
        before = sentence[max(0, first.start() - 40):first.start()]
        after = sentence[last.end():last.end() + 6]
        bound_match = _BOUND_BEFORE.search(before) or _BOUND_AFTER.match(after)
        bound: Literal["at_least", "at_most"] | None = None
        if bound_match and second is None:
            bound = "at_least" if bound_match.group("least") else "at_most"
        approximate = bool(_APPROX.search(before) or _APPROX.search(after))
        rounding = max(_rounding(first.group("num"), scale_a), _rounding(last.group("num"), scale_b))
        out.append(_Amount(first.start(), last.end(), values[0], values[1], currency, rounding, approximate,
                           bound))
    return out


def _qualified(match: re.Match[str]) -> bool:
    """An amount, not just a number: a currency or a scale is printed with it."""
    return any(match.group(k) for k in ("pre", "scale", "zscale", "post"))


def _scale_of(match: re.Match[str]) -> float | None:
    word = match.group("scale") or match.group("zscale")
    return scale_word(word) if word else None


def _scale(match: re.Match[str]) -> float:
    return _scale_of(match) or 1.0


def _currency(match: re.Match[str]) -> str | None:
    for word in (match.group("pre"), match.group("post")):
        if word and (code := currency_code(word.lstrip("元"))):
            return code
    return None


def _rounding(number: str, scale: float) -> float:
    """The step a printed amount is rounded to: "592 million" 1e6, "14.0 million" 1e5, "1.2億" 1e7;
    for a full amount ("60,000,000") the thousands groups of trailing zeros."""
    if "." in number:
        return scale * 10 ** -len(number.split(".", 1)[1])
    if scale == 1.0:
        groups = number.split(",")[1:]
        zeros = 0
        for group in reversed(groups):
            if group != "000":
                break
            zeros += 1
        return float(1000 ** zeros)
    return scale


def _changes(sentence: str, amounts: list[_Amount]) -> list[_Change]:
    """Stated percentage changes with their direction ("a decrease of approximately 40% to 50%",
    "增加約50%至88%", "an increase of not less than 15%"); a percentage with no direction word is skipped."""
    out: list[_Change] = []
    for match in _PCT.finditer(sentence):
        if any(a.start <= match.start() < a.stop for a in amounts):
            continue
        a: float | None
        b: float | None
        if match.group("za"):
            a = zh_number(match.group("za"))
            b = zh_number(match.group("zb")) if match.group("zb") else None
        elif match.group("pa") or match.group("b"):
            a = float(match.group("a").replace(",", ""))
            b = float(match.group("b").replace(",", "")) if match.group("b") else None
        else:
            continue
        if a is None:
            continue
        before = sentence[max(0, match.start() - 45):match.start()]
        after = sentence[match.end():match.end() + 25]
        sign = _direction(before, after)
        if sign is None:
            continue
        low, high = sorted((float(a), float(b if b is not None else a)))
        bound = _BOUND_BEFORE.search(before)
        if bound and b is None:
            at_least = bool(bound.group("least"))
            low_v: float | None = low if at_least else None
            high_v: float | None = None if at_least else high
        else:
            low_v, high_v = low, high
        signed = sorted(v * sign for v in (low_v, high_v) if v is not None)
        if low_v is not None and high_v is not None:
            out.append(_Change(match.start(), match.end(), signed[0], signed[1]))
        elif (low_v is not None) == (sign > 0):  # "increase of not less than 15%" -> 15 and up
            out.append(_Change(match.start(), match.end(), signed[0], None))
        else:  # "decrease of not less than 40%" -> -40 and down
            out.append(_Change(match.start(), match.end(), None, signed[0]))
    return out


def _direction(before: str, after: str) -> float | None:
    """+1 for an increase, -1 for a decrease: the direction word nearest the percentage, before it
    ("a decrease of 40%") or, failing that, after it ("30% higher")."""
    last_before = max([(m.end(), 1.0) for m in _INCREASE.finditer(before)]
                      + [(m.end(), -1.0) for m in _DECREASE.finditer(before)], default=None)
    if last_before:
        return last_before[1]
    first_after = min([(m.start(), 1.0) for m in _INCREASE.finditer(after)]
                      + [(m.start(), -1.0) for m in _DECREASE.finditer(after)], default=None)
    return first_after[1] if first_after else None


def _signed(amount: _Amount, loss: bool) -> tuple[float | None, float | None]:
    """The amount as a signed range; a one-sided amount leaves its open end None."""
    low: float | None = amount.low
    high: float | None = amount.high
    if amount.bound == "at_least":
        high = None
    elif amount.bound == "at_most":
        low = None
    if not loss:
        return low, high
    return (-high if high is not None else None), (-low if low is not None else None)


def _period(sentence: str, text: NoticeText, at: int | None = None,
            stop: int | None = None) -> tuple[date, int | None] | None:
    """The period the expected figure (at ``sentence[at:stop]``) is for: one printed right after it
    ("HK$5 million for the year ended 31 December 2024"), else the last before it that is not part
    of a comparison ("截至...止年度將錄得虧損..."), else the first in the sentence before any comparison,
    else the first in the notice."""
    periods = find_periods(sentence)
    chosen = None
    if at is not None and stop is not None:
        chosen = next((p for p in periods if 0 <= p.start - stop <= 40  # "而截至" opens a comparison
                       and not _COMPARED.search(sentence[stop:p.start + 2])), None)
        if chosen is None:
            before = [p for p in periods if p.stop <= at and not _COMPARED.search(sentence[p.stop:at])
                      and not _COMPARED.search(sentence[max(0, p.start - 40):p.start])]
            chosen = before[-1] if before else None
    if chosen is None:
        compared = _COMPARED.search(sentence)
        leading = [p for p in periods if compared is None or p.start < compared.start()]
        chosen = leading[0] if leading else periods[0] if periods else None
    if chosen is None:
        everywhere = [p for s in text.sentences for p in find_periods(s)]
        chosen = everywhere[0] if everywhere else None
    return (chosen.end, chosen.months) if chosen else None


def _infer_direction(low: float | None, high: float | None, prior: float | None, change_low: float | None,
                     change_high: float | None) -> Literal["warning", "positive"] | None:
    """Without a title saying which, the figures decide: worse than the prior (or a fall) is a warning."""
    change = change_high if change_high is not None else change_low
    if change is not None:
        return "positive" if change > 0 else "warning"
    value = high if high is not None else low
    if value is not None and prior is not None:
        return "positive" if value > prior else "warning"
    if value is not None and value < 0:
        return "warning"
    return None


def _no_figure(text: NoticeText, expecting: list[str], candidates: list[_Candidate],
               direction: Literal["warning", "positive"] | None) -> ProfitWarning:
    """A titled warning whose expected figure cannot be read: what it is about, and why no figure."""
    measure: Measure | None = None
    sentence: str | None = None
    word = "result"
    for line in expecting:
        marker = _EXPECT.search(line)
        cores = list(_CORE.finditer(line))
        if marker is None or not cores:
            continue
        core = min(cores, key=lambda m: abs(m.start() - marker.start()))
        found = _measure(line, core.end(), core.end(), previous_start=core.start())
        if found:
            measure, sentence = found.measure, line
            word = _WORDS[measure].replace("profit", "loss") if found.loss else _WORDS[measure]
            break
    period = _period(sentence, text) if sentence else None
    if sentence:
        note = f"the notice states no figure for the expected {word}; it says: \"{_clip_around(sentence)}\""
    else:
        note = "no sentence stating the expected result was found"
    notes = [note] + [f"also mentioned without a figure: {_WORDS[c.measure]}" for c in candidates]
    return ProfitWarning(
        company=text.company, stock_codes=text.stock_codes, language=text.language, direction=direction,
        measure=measure, low=None, high=None, approximate=False, currency=None,
        period_end=period[0] if period else None, months=period[1] if period else None,
        sentence=clip(sentence) if sentence else None, notes=tuple(dict.fromkeys(notes)))


def _clip_around(sentence: str) -> str:
    marker = _EXPECT.search(sentence)
    start = max(0, (marker.start() if marker else 0) - 80)
    tail = "..." if start + 200 < len(sentence) else ""
    return ("..." if start else "") + sentence[start:start + 200].strip() + tail


def _summary(candidate: _Candidate) -> str:
    parts = [_WORDS[candidate.measure]]
    if candidate.amount:
        low, high = _signed(candidate.amount, candidate.loss)
        currency = candidate.amount.currency or ""
        parts.append(f"{currency} {_span(low, high)}".strip())
    if candidate.change:
        low_pct, high_pct = candidate.change
        parts.append("change " + _span(low_pct, high_pct, unit="%"))
    return " ".join(parts)


def _span(low: float | None, high: float | None, unit: str = "") -> str:
    def one(v: float) -> str:
        return f"{v:+g}{unit}" if unit else f"{v:,.0f}"
    if low is None:
        return f"at most {one(high)}" if high is not None else "no figure"
    if high is None:
        return f"at least {one(low)}"
    return one(low) if low == high else f"{one(low)} to {one(high)}"


# ---------------------------------------------------------------------------- against the results


def compare_with_warning(warning: ProfitWarning, report: ResultsReport) -> WarningOutcome | None:
    """How the reported figure of the warning's measure compares with what the warning said.

    None when the two are not about the same period (or the report lacks the measure). "inside" the
    warned range (allowing the warning's rounding), "better" or "worse" than it, "unclear" when the
    warning gives only a change and the prior figure is unknown, or gives no figure at all."""
    if warning.measure is None or warning.period_end is None or report.period_end != warning.period_end:
        return None
    if warning.months and report.months and warning.months != report.months:
        return None
    metric = report.metrics.get(warning.measure)
    if metric is None or metric.current is None:
        return None
    actual = metric.current
    if warning.currency and report.currency and warning.currency != report.currency:
        return WarningOutcome(warning, actual, "unclear",
                              f"the warning is in {warning.currency}, the results in {report.currency}")
    if warning.low is not None or warning.high is not None:
        return _against_amount(warning, actual)
    if warning.change_low_pct is not None or warning.change_high_pct is not None:
        base = warning.prior if warning.prior is not None else metric.prior
        if base is None:
            return WarningOutcome(warning, actual, "unclear",
                                  "the warning states only a change and the prior figure is not known")
        change = change_pct(actual, base)
        if change is None:
            return WarningOutcome(warning, actual, "unclear",
                                  "the warning states a change, and a change from the prior figure cannot be "
                                  "computed (nil prior or a swing between profit and loss)")
        return _verdict(warning, actual, change, warning.change_low_pct, warning.change_high_pct, 0.5,
                        what=f"reported change {change:+.1f}%", target="the warned change", unit="%")
    return WarningOutcome(warning, actual, "unclear", "the warning states no figure to compare with")


def _against_amount(warning: ProfitWarning, actual: float) -> WarningOutcome:
    low, high = warning.low, warning.high
    # A one-sided figure still cannot cross zero: a loss of at most 11m lies between -11m and 0.
    if low is None and high is not None and high > 0:
        low = 0.0
    if high is None and low is not None and low < 0:
        high = 0.0
    tolerance = (warning.rounding or 0.0) / 2
    single = low is not None and low == high
    return _verdict(warning, actual, actual, low, high, tolerance, what=f"reported {actual:,.0f}",
                    target="the warned figure" if single else "the warned range", unit="")


def _verdict(warning: ProfitWarning, actual: float, value: float, low: float | None, high: float | None,
             tolerance: float, *, what: str, target: str, unit: str) -> WarningOutcome:
    stated = f"{target} ({_span(low, high, unit)})"
    if low is not None and value < low - tolerance:
        return WarningOutcome(warning, actual, "worse", f"{what}: below {stated}")
    if high is not None and value > high + tolerance:
        return WarningOutcome(warning, actual, "better", f"{what}: above {stated}")
    return WarningOutcome(warning, actual, "inside",
                          f"{what}: {'within rounding of' if low == high else 'within'} {stated}")
