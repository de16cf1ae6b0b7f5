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
}
_CUR_RE = r"(?P<cur>RMB|HK\$|HKD|US\$|USD|S\$|SGD|JPY|EUR|GBP|MOP|NT\$|A\$|C\$|MYR|CNY)"
_EN_PATTERNS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(_CUR_RE + r"\s?['’‘`]?\s?000(?:['’]?000)?\b", re.I), 1e3),
    (re.compile(_CUR_RE + r"\s?(?:million|mn|m)\b", re.I), 1e6),
    (re.compile(_CUR_RE + r"\s?(?:billion|bn)\b", re.I), 1e9),
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
    ("人民幣元", "RMB", 1.0), ("人民币元", "RMB", 1.0), ("港元", "HKD", 1.0),
)
# A column header that is only a currency means full units ("HK$", "RMB").
_FULL = re.compile(r"^\(?" + _CUR_RE + r"\)?$", re.I)


def currency_code(text: str) -> str | None:
    return _CUR.get(text.strip().lower())


def straighten(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("`", "'")


def detect_unit(text: str) -> Unit | None:
    """The first amount unit stated in ``text`` (a header line or a page), or None."""
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
    return best[1] if best else None


def detect_full_unit(tokens: list[str]) -> Unit | None:
    """Column headers reading only a currency ("HK$", "RMB") mean amounts in full units."""
    for token in tokens:
        match = _FULL.match(token.strip())
        if match:
            code = currency_code(match.group("cur"))
            if code:
                return Unit(code, 1.0, match.group("cur"))
    return None


_CENTS = re.compile(r"\bcents?\b|仙|人民幣分|人民币分|[（(]分[)）]", re.I)
_DOLLARS = re.compile(r"\(\s*(?:RMB|HK\$|US\$|人民幣|人民币|港元|美元)(?:\s*元)?\s*\)|"
                      r"expressed in (?:RMB|HK\$|US\$)"
                      r"|(?:RMB|HK\$|US\$) per share|人民幣元|人民币元", re.I)


def per_share_scale(text: str) -> float | None:
    """1.0 when per-share figures are in currency units, 0.01 when in cents; None if not stated."""
    if _CENTS.search(text):
        return 0.01
    if _DOLLARS.search(text):
        return 1.0
    return None
