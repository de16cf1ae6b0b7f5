"""How reported results turned out against the profit warning for the same period:
``compare_with_warning`` (inside the warned range, better, worse, or unclear, and why).
Pure functions.
"""

from __future__ import annotations

from parsers.notices import ProfitWarning, WarningOutcome
from parsers.report import ResultsReport, change_pct


def span(low: float | None, high: float | None, unit: str = "") -> str:
    def one(v: float) -> str:
        return f"{v:+g}{unit}" if unit else f"{v:,.0f}"
    if low is None:
        return f"at most {one(high)}" if high is not None else "no figure"
    if high is None:
        return f"at least {one(low)}"
    return one(low) if low == high else f"{one(low)} to {one(high)}"


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
    stated = f"{target} ({span(low, high, unit)})"
    if low is not None and value < low - tolerance:
        return WarningOutcome(warning, actual, "worse", f"{what}: below {stated}")
    if high is not None and value > high + tolerance:
        return WarningOutcome(warning, actual, "better", f"{what}: above {stated}")
    return WarningOutcome(warning, actual, "inside",
                          f"{what}: {'within rounding of' if low == high else 'within'} {stated}")
