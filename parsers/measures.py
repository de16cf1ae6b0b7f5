"""Which result a figure in a profit warning is: the profit/loss or revenue word that governs it, with
its qualifiers ("attributable to owners", "before tax", "gross", 擁有人應佔, 除稅前), and whether it is a
loss. An amount governed by an impairment, a fair value change or a disposal is no result at all.
``Candidate`` is one figure so read, with the prior and change that go with it. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.amounts import Amount
from parsers.notices import Measure
from parsers.warning_outcome import span

CORE = re.compile(r"\b(?:revenues?|turnover|sales|profits?|loss(?:es)?|deficit)\b"
                   r"|收益|收入|營業額|营业额|銷售額|销售额|營收|营收|溢利|盈利|利潤|利润"
                   r"|純利|纯利|淨利|净利|虧損|亏损|虧蝕|毛利|毛損|毛损", re.I)
LOSS = re.compile(r"loss|deficit|虧|亏|毛損|毛损", re.I)
PROFIT_WORD = re.compile(r"\b(?:profits?|loss(?:es)?|deficit|earnings)\b"
                         r"|溢利|盈利|利潤|利润|純利|纯利|淨利|净利|虧損|亏损|虧蝕", re.I)
REVENUE = re.compile(r"revenue|turnover|sales|收益|收入|營業額|营业额|銷售額|销售额|營收|营收", re.I)
# Words before a profit/loss word that make it something other than the result: an impairment
# loss, a fair value gain, an adjusted (non-IFRS) profit, a share of associates' profit.
_NOT_RESULT = re.compile(r"(?:impairment|fair value|exchange|one-off|provision|credit|write-?(?:down|off)"
                         r"|disposal|valuation|derivative|share of|adjusted|non-(?:hk|i)frs|non-gaap|other"
                         r"|減值|减值|公平值|匯兌|汇兑|撥備|拨备|出售|信貸|信贷|經調整|经调整|分佔|分占|其他)"
                         r"[\s\w-]{0,12}$", re.I)
_NOT_RESULT_AFTER = re.compile(r"^\s*(?:on|in respect of|arising|per share)\b|^\s*(?:per share|每股)", re.I)
_ATTRIBUTABLE_BEFORE = re.compile(r"(?:owners'?|shareholders'?"
                                  r"|擁有人|拥有人|股東|股东|權益持有人|权益持有人|母公司)"
                                  r"\s*(?:應佔|应占|的|之)?\s*$|(?:歸屬於|归属于)[^，,。；;]{0,14}$", re.I)
_ATTRIBUTABLE = re.compile(r"attributable\s+to\s+(?:the\s+)?(?:owners|shareholders|(?:ordinary\s+)?equity\s+"
                           r"(?:holders|shareholders)|members)|歸屬於|归属于|歸母|归母", re.I)
_PRE_TAX = re.compile(r"(?:pre-?tax|除稅前|除税前|稅前|税前)\s*$", re.I)
_OPERATING = re.compile(r"(?:operating|經營|经营|營運|营运)\s*$", re.I)

PRIORITY: tuple[Measure, ...] = ("profit_attributable", "profit_for_period", "profit_before_tax",
                                 "operating_profit", "gross_profit", "revenue")
WORDS: dict[str, str] = {"profit_attributable": "profit attributable to owners",
                         "profit_for_period": "profit", "profit_before_tax": "profit before tax",
                         "operating_profit": "operating profit", "gross_profit": "gross profit",
                         "revenue": "revenue"}


@dataclass
class Candidate:
    """One figure a sentence states as a result: its measure, whether a loss, where, and the prior and
    change printed with it."""

    measure: Measure
    loss: bool
    at: int
    sentence: str
    amount: Amount | None = None
    prior: float | None = None
    change: tuple[float | None, float | None] | None = None
    notes: list[str] = field(default_factory=list)


def last_core(text: str) -> re.Match[str] | None:
    cores = [m for m in CORE.finditer(text)]
    return cores[-1] if cores else None


def measure_of(sentence: str, start: int, stop: int, *, previous_start: int,
             look_after: bool = False) -> Candidate | None:
    """Which figure an amount (or change) at ``sentence[start:stop]`` is: the profit/loss or revenue
    word nearest before it, or (``look_after``) just after it, with its qualifiers ("attributable
    to owners", "before tax", "gross"). None for amounts that are not a result (an impairment loss,
    a fair value gain, an adjusted or per-share figure)."""
    before = sentence[max(previous_start, 0):start]
    core = last_core(before)
    offset = max(previous_start, 0)
    if core is None and look_after:
        core = CORE.search(sentence, stop, min(len(sentence), stop + 60))
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
    loss = bool(LOSS.search(word))
    next_core = CORE.search(sentence, max(stop, core_end), min(len(sentence), max(stop, core_end) + 90))
    region_end = next_core.start() if next_core else min(len(sentence), max(stop, core_end) + 90)
    region = sentence[core_start:region_end]
    return Candidate(measure=_classify(word, pre, post, region), loss=loss, at=start, sentence=sentence)


def _classify(word: str, pre: str, post: str, region: str) -> Measure:
    if REVENUE.fullmatch(word.rstrip("s")) or REVENUE.match(word):
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


def signed(amount: Amount, loss: bool) -> tuple[float | None, float | None]:
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


def summary(candidate: Candidate) -> str:
    parts = [WORDS[candidate.measure]]
    if candidate.amount:
        low, high = signed(candidate.amount, candidate.loss)
        currency = candidate.amount.currency or ""
        parts.append(f"{currency} {span(low, high)}".strip())
    if candidate.change:
        low_pct, high_pct = candidate.change
        parts.append("change " + span(low_pct, high_pct, unit="%"))
    return " ".join(parts)
