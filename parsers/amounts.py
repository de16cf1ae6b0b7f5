"""Amounts and percentage changes as notices print them, English and Chinese: "HK$60 million to
HK$70 million", "HK$20 to 30 million", "not less than RMB120 million", "60百萬港元至70百萬港元",
"人民幣1.2億元", "4,500萬港元", "21,000,000港元", "a decrease of approximately 40% to 50%", "增加約50%至88%".

``amounts`` finds every amount with a currency or a scale (ranges merged into one, with the words
that qualify it: approximate, a one-sided bound, the rounding of the printed figure); ``changes`` finds
every percentage printed with a direction word. Which figure a sentence states as the expected result
is decided by the profit-warning reader, not here. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from parsers.dates import zh_number
from parsers.units import currency_code, scale_word

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
INCREASE = re.compile(r"increase|growth|grow|rise|rose|improve|surge|jump"
                       r"|增加|增長|增长|上升|上漲|上涨|提升|提高|增幅|升幅|改善", re.I)
DECREASE = re.compile(r"decrease|decline|drop|fall|fell|reduc|lower|shrink|contract"
                       r"|減少|减少|下降|下跌|下滑|降低|減幅|减幅|跌幅|倒退", re.I)


@dataclass(frozen=True)
class Amount:
    start: int
    stop: int
    low: float  # unsigned magnitudes, low <= high
    high: float
    currency: str | None
    rounding: float
    approximate: bool
    bound: Literal["at_least", "at_most"] | None


@dataclass(frozen=True)
class Change:
    start: int
    stop: int
    low: float | None  # signed as the word says (a decrease is negative), before any loss flip
    high: float | None


def amounts(sentence: str) -> list[Amount]:
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
    out: list[Amount] = []
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
        out.append(Amount(first.start(), last.end(), values[0], values[1], currency, rounding, approximate,
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


def changes(sentence: str, amounts: list[Amount]) -> list[Change]:
    """Stated percentage changes with their direction ("a decrease of approximately 40% to 50%",
    "增加約50%至88%", "an increase of not less than 15%"); a percentage with no direction word is skipped."""
    out: list[Change] = []
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
            out.append(Change(match.start(), match.end(), signed[0], signed[1]))
        elif (low_v is not None) == (sign > 0):  # "increase of not less than 15%" -> 15 and up
            out.append(Change(match.start(), match.end(), signed[0], None))
        else:  # "decrease of not less than 40%" -> -40 and down
            out.append(Change(match.start(), match.end(), None, signed[0]))
    return out


def _direction(before: str, after: str) -> float | None:
    """+1 for an increase, -1 for a decrease: the direction word nearest the percentage, before it
    ("a decrease of 40%") or, failing that, after it ("30% higher")."""
    last_before = max([(m.end(), 1.0) for m in INCREASE.finditer(before)]
                      + [(m.end(), -1.0) for m in DECREASE.finditer(before)], default=None)
    if last_before:
        return last_before[1]
    first_after = min([(m.start(), 1.0) for m in INCREASE.finditer(after)]
                      + [(m.start(), -1.0) for m in DECREASE.finditer(after)], default=None)
    return first_after[1] if first_after else None
