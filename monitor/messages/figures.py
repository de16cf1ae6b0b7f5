"""Numbers, dates and durations as a reader wants them in a Slack message.

Amounts are magnitudes (a loss is said in words, never with a minus sign). Two styles: the results
summary's fixed one ("RMB 2,358.2m", one decimal, so columns of figures read alike) and the compact
one of notices ("HK$60m-70m", "about HK$592m": no decimals the document did not have).
"""

from __future__ import annotations

from datetime import date, datetime

from monitor.filing import HKT
from monitor.messages.mrkdwn import escape
from parsers.display import CENTS, group, round_half_up
from parsers.report import PER_SHARE

SYMBOLS = {"RMB": "RMB", "CNY": "RMB", "HKD": "HK$", "USD": "US$", "SGD": "S$", "EUR": "EUR", "JPY": "JPY"}
SPANS = {3: "three months", 6: "six months", 9: "nine months", 12: "year"}


def symbol(currency: str | None) -> str:
    """ "HK$" for HKD; a code we do not know is shown as given (escaped: it came from a document)."""
    return SYMBOLS.get((currency or "").upper()) or escape(currency or "", limit=8)


def amount(value: float, currency: str | None) -> str:
    """2358198000 -> "RMB 2,358.2m"; 22470805000 -> "RMB 22.47bn"; magnitudes only (signs are words),
    rounded half up (14,850,000 -> "14.9m", where float formatting says 14.8)."""
    a = abs(value)
    if a >= 1e10:
        body = f"{group(round_half_up(a / 1e9, 2))}bn"
    elif a >= 1e6:
        body = f"{group(round_half_up(a / 1e6, 1))}m"
    else:
        body = group(round_half_up(a))
    return f"{symbol(currency)} {body}".strip()


def per_share(value: float, currency: str | None) -> str:
    """0.03 RMB -> "RMB 0.03"; 0.1882 HKD -> "18.82 HK cents" (how HK announcements state it), rounded
    half up."""
    a = abs(value)
    code = (currency or "").upper()
    if code == "HKD" and 0 < a < 1:
        return f"{_trim(str(round_half_up(a * 100, 2)), 0)} {CENTS['HKD']}"
    return f"{symbol(currency)} {_trim(str(round_half_up(a, 4)), 2)}".strip()


def per_share_unit_name(currency: str | None, values: list[float]) -> str:
    """What the summary's per-share figures are in: "HK cents" when every one is shown in cents."""
    if (currency or "").upper() == "HKD" and values and all(0 < abs(v) < 1 for v in values if v):
        return CENTS["HKD"]
    return symbol(currency)


def _trim(number: str, keep: int) -> str:
    """Trailing zeros off the decimals, keeping ``keep`` of them: ("0.0300", 2) -> "0.03"."""
    whole, _, frac = number.partition(".")
    frac = frac.rstrip("0").ljust(keep, "0")
    return f"{whole}.{frac}" if frac else whole


def _prefix(currency: str | None) -> str:
    sym = symbol(currency)
    return sym if not sym or sym.endswith("$") else sym + " "


def _compact_body(a: float) -> tuple[str, str]:
    """(number, unit): 60e6 -> ("60", "m"); 1.25e9 -> ("1.25", "bn"); 850000 -> ("850,000", "")."""
    if a >= 1e9:
        return _trim(group(round_half_up(a / 1e9, 3)), 0), "bn"
    if a >= 1e6:
        return _trim(group(round_half_up(a / 1e6, 2)), 0), "m"
    return _trim(group(round_half_up(a, 2)), 0), ""


def compact(value: float, currency: str | None) -> str:
    """60_000_000 HKD -> "HK$60m"; 64_300_000 -> "HK$64.3m"; 1.2e9 RMB -> "RMB 1.2bn"."""
    number, unit = _compact_body(abs(value))
    return f"{_prefix(currency)}{number}{unit}"


def compact_range(low: float, high: float, currency: str | None) -> str:
    """Two magnitudes, smaller first: "HK$60m-70m", "HK$800m-1.2bn"."""
    a, b = sorted((abs(low), abs(high)))
    (na, ua), (nb, ub) = _compact_body(a), _compact_body(b)
    if (na, ua) == (nb, ub):
        return f"{_prefix(currency)}{na}{ua}"
    return f"{_prefix(currency)}{na}{ua}-{nb}{ub}"


def percent(value: float) -> str:
    """40.0 -> "40%"; 12.5 -> "12.5%" (magnitude; the direction is said in words)."""
    return _trim(f"{abs(value):.1f}", 0) + "%"


def percent_range(low: float, high: float) -> str:
    a, b = sorted((abs(low), abs(high)))
    return percent(a) if a == b else f"{_trim(f'{a:.1f}', 0)}%-{percent(b)}"


def day(d: date) -> str:
    """ "29 Aug 2025" """
    return f"{d.day} {d:%b %Y}"


def weekday(d: date, *, year: bool = True) -> str:
    """ "Fri 29 Aug 2025" (or "Fri 29 Aug") """
    return f"{d:%a} {d.day} {d:%b}" + (f" {d:%Y}" if year else "")


def long_date(d: date) -> str:
    """ "30 June 2025" """
    return f"{d.day} {d:%B %Y}"


def hkt(moment: datetime) -> str:
    """ "27 Aug 2025 18:30 HKT" """
    return moment.astimezone(HKT).strftime("%d %b %Y %H:%M HKT").lstrip("0")


def span(months: int | None) -> str:
    """How a period of ``months`` is named: "year", "six months", ..., "period" when unknown."""
    return SPANS.get(months or 0, "period")


def period_to(months: int | None, end: date | None) -> str | None:
    """ "the year to 31 Mar 2025", "the six months to 30 Jun 2025"; None without an end date."""
    return f"the {span(months)} to {day(end)}" if end else None


def duration(seconds: float) -> str:
    """45 -> "45 s"; 2700 -> "45 min"; 4320 -> "1 h 12 min"; 183600 -> "2 d 3 h"."""
    s = max(0, int(round(seconds)))
    if s < 60:
        return f"{s} s"
    minutes, hours, days = s // 60 % 60, s // 3600 % 24, s // 86400
    if days:
        return f"{days} d" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    return f"{minutes} min"


def figure(name: str, value: float, currency: str | None) -> str:
    """A results figure in the summary's style: per-share figures in cents or units, amounts in m/bn."""
    if value == 0 and name == "dividend_per_share":
        return "nil"
    return per_share(value, currency) if name in PER_SHARE else amount(value, currency)
