"""Cross-checks between figures, and what to distrust when one fails.

Each check ties a few line items together (gross profit = revenue − cost of sales; profit = profit
before tax − tax; attributable + non-controlling = profit; total equity = net assets). A figure in a
failed check is dropped unless something independent vouches for it: a passing check or the
highlights table. Wrong is worse than missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from parsers.labels import classify
from parsers.numbers import decimals, parse_figure

Values = Mapping[str, float | None]  # kind -> value in document units, one period


@dataclass(frozen=True)
class Outcome:
    name: str
    period: str  # "current" | "prior"
    ok: bool
    detail: str
    involved: tuple[str, ...]


def _precision(*values: float) -> float:
    """One unit of the least significant printed digit, so rounding in the statement is tolerated."""
    places = 0
    for value in values:
        for digits in range(0, 5):
            if abs(value * 10**digits - round(value * 10**digits)) < 1e-6:
                places = max(places, digits)
                break
    return 1.0 / 10**places * 1.01


def _sum_check(name: str, total: str, parts: tuple[str, ...], values: Values, period: str,
               signs: Callable[[str, float], tuple[float, ...]] | None = None) -> Outcome | None:
    found = {k: values.get(k) for k in (total, *parts)}
    if any(v is None for v in found.values()):
        return None
    total_value = found[total]
    assert total_value is not None
    part_values = [found[p] for p in parts]
    tolerance = _precision(total_value, *[v for v in part_values if v is not None]) * len(parts)
    candidates = [sum(v for v in part_values if v is not None)]
    if signs:  # a cost or tax printed without brackets is subtracted instead
        candidates += [candidate for candidate in signs(parts[-1], part_values[-1] or 0.0)]
    ok = any(abs(total_value - c) <= tolerance for c in candidates)
    detail = f"{period}: {total} {total_value:,.6g} vs {' + '.join(parts)} = {candidates[0]:,.6g}"
    return Outcome(name, period, ok, detail, (total, *parts))


def _subtracted(values: Values) -> Callable[[str, float], tuple[float, ...]]:
    def alternatives(kind: str, value: float) -> tuple[float, ...]:
        others = sum(v for k, v in values.items() if k != kind and v is not None)
        return (others - value,) if value > 0 else ()
    return alternatives


def arithmetic(current: Values, prior: Values) -> list[Outcome]:
    """Every check whose figures are all present, for both periods."""
    outcomes: list[Outcome] = []
    for period, values in (("current", current), ("prior", prior)):
        gross = {k: values.get(k) for k in ("revenue", "cost_of_sales")}
        check = _sum_check("gross profit = revenue - cost of sales", "gross_profit",
                           ("revenue", "cost_of_sales"), values, period, _subtracted(gross))
        outcomes += [check] if check else []
        tax_parts: tuple[str, ...] = ("profit_before_tax", "income_tax")
        if values.get("discontinued_profit") is not None:
            tax_parts = ("profit_before_tax", "discontinued_profit", "income_tax")
        taxed = {k: values.get(k) for k in tax_parts}
        check = _sum_check("profit = profit before tax - tax", "profit_for_period", tax_parts, values, period,
                           _subtracted(taxed))
        outcomes += [check] if check else []
        check = _sum_check("profit = attributable to owners + non-controlling interests", "profit_for_period",
                           ("profit_attributable", "nci"), values, period)
        outcomes += [check] if check else []
        equity, net = values.get("total_equity"), values.get("net_assets")
        if equity is not None and net is not None:
            outcomes.append(Outcome("total equity = net "
                                    "assets", period, abs(equity - net) <= _precision(equity, net),
                                    f"{period}: total equity {equity:,.6g} vs net assets {net:,.6g}",
                                    ("total_equity", "net_assets")))
    return outcomes


@dataclass(frozen=True)
class HighlightLine:
    kinds: tuple[str, ...]
    tokens: tuple[str, ...]
    text: str


def highlight_lines(text: str) -> list[HighlightLine]:
    """Rows of a highlights table read from plain text: a known label followed by figures."""
    found = []
    for line in text.split("\n"):
        words = line.split()
        first = next((i for i, w in enumerate(words)
                      if parse_figure(w) is not None and any(c.isdigit() for c in w)), None)
        if not first:
            continue
        kinds = classify(" ".join(words[:first]), in_eps=False)
        tokens = tuple(w for w in words[first:] if parse_figure(w) is not None and not w.endswith("%"))
        if kinds and tokens:
            found.append(HighlightLine(kinds, tokens, line.strip()))
    return found


_SCALES = (1.0, 1e3, 1e6, 1e9)


def vouches(line: HighlightLine, value: float, value_scale: float) -> bool:
    """Whether a highlights row shows ``value`` (in units of ``value_scale``), allowing for its own
    unit and rounding; signs are ignored since highlights often print losses without brackets."""
    absolute = abs(value * value_scale)
    for token in line.tokens:
        figure = parse_figure(token)
        if figure is None:
            continue
        step = 10.0 ** -decimals(token)
        for scale in _SCALES:
            close = abs(abs(figure) * scale - absolute) <= step * scale * 0.5 + 1e-9
            if close and (figure != 0 or absolute == 0):
                return True
    return False
