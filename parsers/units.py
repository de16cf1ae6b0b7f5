"""Scale and currency as a document states them (``RMB'000``, ``HK$ million``, ``千港元``), and the
unit of per-share figures (HK cents, RMB), which is never the amount scale."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """How to turn a printed amount into absolute currency units."""

    currency: str
    scale: float
    label: str  # as the document writes it, quotes straightened: "RMB'000"


_CUR = {
    "rmb": "RMB", "renminbi": "RMB", "cny": "RMB", "hk$": "HKD", "hkd": "HKD", "hong kong dollars": "HKD",
    "us$": "USD", "usd": "USD", "united states dollars": "USD", "s$": "SGD", "sgd": "SGD",
    "jpy": "JPY", "eur": "EUR", "£": "GBP", "gbp": "GBP", "mop": "MOP", "nt$": "TWD", "a$": "AUD",
    "c$": "CAD", "myr": "MYR", "rm": "MYR",
    # Chinese currency words, as prose writes them before or after an amount ("人民幣1.2億元", "60百萬港元")
    "人民幣": "RMB", "人民币": "RMB", "港元": "HKD", "港幣": "HKD", "港币": "HKD", "美元": "USD",
    "新加坡元": "SGD", "新元": "SGD", "澳門幣": "MOP", "澳门币": "MOP",
}
_CUR_RE = r"(?P<cur>RMB|HK\$|HKD|US\$|USD|S\$|SGD|JPY|EUR|GBP|MOP|NT\$|A\$|C\$|MYR|CNY)"
_EN_PATTERNS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(_CUR_RE + r"\s?['’‘`]?\s?000\b(?!['’]?000)", re.I), 1e3),
    (re.compile(_CUR_RE + r"\s?['’‘`]?\s?000['’]?000\b", re.I), 1e6),
    (re.compile(_CUR_RE + r"\s?['’‘`]?\s?(?:thousands?|k)\b", re.I), 1e3),
    (re.compile(_CUR_RE + r"\s?['’‘`]?\s?(?:million|mn|m|mil)\b", re.I), 1e6),
    (re.compile(_CUR_RE + r"\s?['’‘`]?\s?(?:billion|bn)\b", re.I), 1e9),
    (re.compile(r"thousands\s+of\s+(?P<cur>Renminbi|RMB|Hong Kong dollars|HK\$|US\$|United States dollars)",
                re.I), 1e3),
    (re.compile(r"millions\s+of\s+(?P<cur>Renminbi|RMB|Hong Kong dollars|HK\$|US\$|United States dollars)",
                re.I), 1e6),
)
_ZH_UNITS: tuple[tuple[str, str, float], ...] = (
    ("人民幣千元", "RMB", 1e3), ("人民币千元", "RMB", 1e3), ("千元人民幣", "RMB", 1e3),
    ("人民幣百萬元", "RMB", 1e6), ("人民币百万元", "RMB", 1e6), ("百萬人民幣", "RMB", 1e6),
    ("千港元", "HKD", 1e3), ("港幣千元", "HKD", 1e3), ("港元千元", "HKD", 1e3), ("港币千元", "HKD", 1e3),
    ("百萬港元", "HKD", 1e6), ("百万港元", "HKD", 1e6), ("港幣百萬元", "HKD", 1e6),
    ("千美元", "USD", 1e3), ("美元千元", "USD", 1e3), ("百萬美元", "USD", 1e6), ("百万美元", "USD", 1e6),
    ("人民幣億元", "RMB", 1e8), ("人民币亿元", "RMB", 1e8), ("億港元", "HKD", 1e8),
    ("千新加坡元", "SGD", 1e3), ("新加坡元千元", "SGD", 1e3), ("千澳門元", "MOP", 1e3),
    ("澳門元千元", "MOP", 1e3), ("千元人民币", "RMB", 1e3), ("港幣百万元", "HKD", 1e6),
    ("美元百萬元", "USD", 1e6), ("千日圓", "JPY", 1e3),
    ("人民幣元", "RMB", 1.0), ("人民币元", "RMB", 1.0), ("港元", "HKD", 1.0),
)
# A column header that is only a currency means full units ("HK$", "RMB", "港元").
_FULL = re.compile(r"^\(?(?:" + _CUR_RE + r"|(?P<zh>港元|港幣|港币|人民幣|人民币|美元|人民幣元|人民币元))"
                   r"\)?$", re.I)
_ZH_CUR = {"港元": "HKD", "港幣": "HKD", "港币": "HKD", "人民幣": "RMB", "人民币": "RMB", "美元": "USD",
           "人民幣元": "RMB", "人民币元": "RMB"}


def currency_code(text: str) -> str | None:
    return _CUR.get(text.strip().lower())


# Scale words prose puts after an amount: "HK$60 million", "1.2億", "4,500萬", "592百萬".
SCALE_WORDS: dict[str, float] = {
    "thousand": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
    "千": 1e3, "萬": 1e4, "万": 1e4, "十萬": 1e5, "十万": 1e5, "百萬": 1e6, "百万": 1e6,
    "千萬": 1e7, "千万": 1e7, "億": 1e8, "亿": 1e8, "十億": 1e9, "十亿": 1e9,
}


def scale_word(text: str) -> float | None:
    """The multiplier a scale word stands for ("million" 1e6, "億" 1e8), or None."""
    return SCALE_WORDS.get(text.strip().lower())


def straighten(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("`", "'")


def detect_unit(text: str) -> Unit | None:
    """The first amount unit stated in ``text`` (a header line or a page), or None. Chinese units set
    in a narrow column header over two lines ("人民幣" / "千元") are read joined."""
    text = re.sub(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])", "", text)
    best: tuple[int, Unit] | None = None
    for pattern, scale in _EN_PATTERNS:
        match = pattern.search(text)
        if match:
            code = currency_code(match.group("cur")) or match.group("cur").upper()
            unit = Unit(code, scale, straighten(match.group(0)).strip())
            if best is None or match.start() < best[0]:
                best = (match.start(), unit)
    for word, code, scale in _ZH_UNITS:
        at = text.find(word)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, Unit(code, scale, word))
    yuan = _YUAN.search(text)
    if yuan and (best is None or yuan.start() < best[0]):
        # "Unit: Yuan" / "單位：元": whole yuan (RMB unless the line names another currency).
        named = _CURRENCY_WORD.search(text[yuan.start():yuan.start() + 60])
        code = (_WORD_CODES.get(named.group(0).lower()) or _WORD_CODES.get(named.group(0))) if named else None
        best = (yuan.start(), Unit(code or "RMB", 1.0, yuan.group("word")))
    return best[1] if best else None


_YUAN = re.compile(r"(?:\bunit|單位|单位)\s*[:：]\s*(?P<word>(?:RMB\s*)?yuan\b|(?:人民幣|人民币)?元"
                   r"(?=幣種|币种|[^\u3400-\u9fff]|$))", re.I)


_SCALE_ONLY = (("千元", 1e3), ("百萬元", 1e6), ("百万元", 1e6), ("億元", 1e8), ("亿元", 1e8))
_CURRENCY_WORD = re.compile(r"人民幣|人民币|港幣|港币|港元|美元|新加坡元|\bRMB\b|HK\$|US\$|\bRenminbi\b|"
                            r"Hong Kong dollars?", re.I)
_WORD_CODES = {"人民幣": "RMB", "人民币": "RMB", "港幣": "HKD", "港币": "HKD", "港元": "HKD", "美元": "USD",
               "新加坡元": "SGD", "rmb": "RMB", "hk$": "HKD", "us$": "USD", "renminbi": "RMB",
               "hong kong dollar": "HKD", "hong kong dollars": "HKD"}


def detect_scale_with_currency(header: str, page: str) -> Unit | None:
    """A header that gives the scale without the currency ("千元"), completed with the currency the page
    names first ("（除另有指明外，以人民幣列示）")."""
    compact = re.sub(r"\s+", "", header)
    scale = next(((word, value) for word, value in _SCALE_ONLY if word in compact), None)
    match = _CURRENCY_WORD.search(page)
    if scale is None or match is None:
        return None
    code = _WORD_CODES.get(match.group(0).lower()) or _WORD_CODES.get(match.group(0))
    return Unit(code, scale[1], scale[0]) if code else None


def detect_full_unit(tokens: list[str]) -> Unit | None:
    """Column headers reading only a currency ("HK$", "RMB") mean amounts in full units."""
    for token in tokens:
        match = _FULL.match(token.strip())
        if match:
            printed = match.group("cur") or match.group("zh")
            code = currency_code(printed) or _ZH_CUR.get(printed)
            if code:
                return Unit(code, 1.0, printed)
    return None


_CENTS = re.compile(r"\bcents?\b|仙|人民幣分|人民币分|[（(]分[)）]|美分", re.I)
_DOLLARS = re.compile(r"\(\s*(?:RMB|HK\$|US\$|人民幣|人民币|港元|美元)(?:\s*元)?\s*\)|"
                      r"expressed in (?:RMB|HK\$|US\$)"
                      r"|(?:RMB|HK\$|US\$|S\$) per share|人民幣元|人民币元|\(\s*(?:S\$|SGD|HKD|USD)\s*\)"
                      r"|(?:RMB|yuan|元)\s*/\s*(?:share|股)",
                      re.I)


def per_share_scale(text: str) -> float | None:
    """1.0 when per-share figures are in currency units, 0.01 when in cents; None if not stated."""
    text = text.replace("（", "(").replace("）", ")")
    if _CENTS.search(text):
        return 0.01
    if _DOLLARS.search(text):
        return 1.0
    return None
