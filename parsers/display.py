"""Figures as people read them: rounding half up, the scale amounts are shown in, and the unit of
per-share figures. Pure helpers shared by the terminal table (``parsers.table``) and the Slack
summaries, so both say the same thing the same way.

Rounding goes through ``Decimal`` from the figure's shortest repr: 14,850 thousand is 14.9 million,
where float formatting gives 14.8 (14.85 has no exact binary value and rounds to even).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# How a currency is written before an amount, and what its hundredth is called.
SYMBOLS = {"HKD": "HK$", "RMB": "RMB", "USD": "US$", "SGD": "S$", "MOP": "MOP$", "TWD": "NT$", "AUD": "A$",
           "CAD": "C$", "GBP": "£", "EUR": "EUR", "JPY": "JPY", "MYR": "RM"}
CENTS = {"HKD": "HK cents", "RMB": "RMB cents", "USD": "US cents", "SGD": "Singapore cents",
         "MOP": "MOP avos", "TWD": "NT cents", "AUD": "Australian cents", "CAD": "Canadian cents",
         "GBP": "pence", "EUR": "euro cents", "MYR": "sen"}


def round_half_up(value: float | Decimal, places: int = 0) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero: 14.85 -> 14.9, -0.125 -> -0.13."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def group(value: Decimal) -> str:
    """Thousands separated by commas, the decimals as rounded: Decimal("2358.2") -> "2,358.2"."""
    return f"{value:,}"


def currency_symbol(currency: str | None) -> str:
    return SYMBOLS.get(currency or "", currency or "?")


@dataclass(frozen=True)
class Scale:
    """The scale amounts are shown in: ``divisor`` 1e6 and ``word`` "millions" for "RMB millions"."""

    divisor: int
    word: str  # "millions", "thousands", "" (whole units)
    suffix: str  # "m", "k", "" as a compact suffix

    def name(self, currency: str | None) -> str:
        """"RMB millions", "HK$ thousands", "US$"."""
        symbol = currency_symbol(currency)
        return f"{symbol} {self.word}" if self.word else symbol


MILLIONS = Scale(1_000_000, "millions", "m")
THOUSANDS = Scale(1_000, "thousands", "k")
UNITS = Scale(1, "", "")


def scale_for(values: Iterable[float | None]) -> Scale:
    """One scale for a set of amounts: millions when the largest is a million or more."""
    largest = max((abs(v) for v in values if v is not None), default=0.0)
    if largest >= 1_000_000:
        return MILLIONS
    if largest >= 10_000:
        return THOUSANDS
    return UNITS


def amount(value: float | None, scale: Scale, *, suffix: bool = False) -> str:
    """``value`` (absolute currency units) in ``scale``, one decimal for millions and thousands (three
    where it is under one, so 58,000 is not shown as 0.1 million), rounded half up; "—" when None."""
    if value is None:
        return "—"
    shown = Decimal(repr(float(value))) / scale.divisor
    places = 0 if scale is UNITS else (1 if abs(shown) >= 1 or shown == 0 else 3)
    text = group(round_half_up(shown, places))
    return text + scale.suffix if suffix else text


def compact_amount(value: float | None) -> str:
    """An amount alone: millions with one decimal from a million up ("14.9m"), else whole units
    ("850,000"), rounded half up."""
    return amount(value, MILLIONS if value is not None and abs(value) >= 1_000_000 else UNITS, suffix=True)


@dataclass(frozen=True)
class PerShareUnit:
    """How per-share figures are shown: in cents (``factor`` 100) or in the currency itself."""

    label: str  # "HK cents", "RMB"
    factor: int


def per_share_unit(values: Iterable[float | None], currency: str | None) -> PerShareUnit:
    """Cents when every figure is under one currency unit and the currency has cents, else the currency:
    EPS of HK$0.1882 reads "18.82 HK cents", a dividend of HK$1.20 "HK$1.20"."""
    present = [abs(v) for v in values if v is not None]
    if present and all(v < 1 for v in present) and currency in CENTS:
        return PerShareUnit(CENTS[currency], 100)
    return PerShareUnit(currency_symbol(currency), 1)


def _printed_places(value: float, unit: PerShareUnit) -> int:
    """Decimals ``value`` needs in ``unit``: at least two in currency units (HK$1.20), none in cents
    (8 HK cents), at most four and two."""
    shown = Decimal(repr(float(value))) * unit.factor
    exponent = shown.normalize().as_tuple().exponent
    printed = -exponent if isinstance(exponent, int) else 0
    return max(0 if unit.factor == 100 else 2, min(printed, 2 if unit.factor == 100 else 4))


def per_share_places(values: Iterable[float | None], unit: PerShareUnit) -> int:
    """One number of decimals for a column of per-share figures."""
    return max((_printed_places(v, unit) for v in values if v is not None), default=2)


def per_share(value: float | None, unit: PerShareUnit, places: int | None = None) -> str:
    """A per-share figure in ``unit``, rounded half up to ``places`` (default: as many as it needs):
    0.1882 -> "18.82" (cents), 1.2 -> "1.20"; "—" when None."""
    if value is None:
        return "—"
    shown = Decimal(repr(float(value))) * unit.factor
    return group(round_half_up(shown, _printed_places(value, unit) if places is None else places))


def per_share_text(value: float | None, currency: str | None) -> str:
    """One per-share figure with its unit: "18.82 HK cents", "HK$1.20", "RMB0.23"; "—" when None."""
    if value is None:
        return "—"
    unit = per_share_unit([value], currency)
    number = per_share(value, unit)
    return f"{number} {unit.label}" if unit.factor == 100 else f"{unit.label}{number}"
