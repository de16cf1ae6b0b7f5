"""The typed result of parsing a results announcement; crosses from parsers/ to everything else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

METRIC_NAMES: tuple[str, ...] = (
    "revenue",
    "gross_profit",
    "operating_profit",
    "profit_before_tax",
    "profit_for_period",
    "profit_attributable",
    "eps_basic",
    "eps_diluted",
    "dividend_per_share",
    "total_equity",
    "cash",
)
PER_SHARE: frozenset[str] = frozenset({"eps_basic", "eps_diluted", "dividend_per_share"})


@dataclass(frozen=True)
class Metric:
    """One figure for the current and prior period. Amounts in absolute currency units;
    per-share figures in currency units (18.82 HK cents -> 0.1882); losses negative.
    ``None`` means not stated or not trusted, and ``note`` says which and why.

    Where it came from: ``page`` (1-based), ``statement`` ("income statement", "balance sheet",
    "highlights", "prose", ...) and ``label``, the line label as printed. ``vouched_by`` names the
    cross-checks that confirmed it (empty: no check vouched for it, and a summary says so)."""

    name: str
    current: float | None
    prior: float | None
    change_pct: float | None = None
    page: int | None = None
    note: str | None = None
    statement: str | None = None
    label: str | None = None
    vouched_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"current": self.current, "prior": self.prior, "change_pct": self.change_pct,
                "page": self.page, "note": self.note, "statement": self.statement, "label": self.label,
                "vouched_by": list(self.vouched_by)}


def change_pct(current: float | None, prior: float | None) -> float | None:
    """Percentage change, or None where it means nothing (missing, prior zero, sign change)."""
    if current is None or prior is None or prior == 0:
        return None
    if (current < 0) != (prior < 0) and current != 0:
        return None
    return round((current - prior) / abs(prior) * 100, 1)


def describe_change(current: float | None, prior: float | None, *, is_profit: bool = False) -> str | None:
    """Words for a change a reader can trust: "+35.6%", "-3.2%", "loss narrowed 39.9%",
    "loss widened 12.0%", "turned to profit", "turned to loss", "unchanged"; None if unknown.

    ``is_profit`` marks lines that can be losses (profit, EPS), where "loss narrowed" reads better
    than a signed percentage of two negatives."""
    if current is None or prior is None:
        return None
    if current == prior:
        return "unchanged"
    if prior == 0:
        return "from nil"
    if is_profit:
        if prior < 0 <= current:
            return "turned to profit" if current > 0 else "loss eliminated"
        if prior > 0 > current:
            return "turned to loss"
        if current < 0 and prior < 0:
            pct = abs((abs(current) - abs(prior)) / abs(prior) * 100)
            return f"loss {'narrowed' if abs(current) < abs(prior) else 'widened'} {pct:.1f}%"
    pct_value = change_pct(current, prior)
    if pct_value is None:
        return None
    return f"{pct_value:+.1f}%"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


@dataclass(frozen=True)
class ResultsReport:
    company: str | None
    stock_codes: tuple[str, ...]
    kind: str | None  # "interim" | "final" | "quarterly"
    period_end: date | None
    months: int | None
    prior_period_end: date | None
    currency: str | None  # "RMB" | "HKD" | "USD" | ...
    language: str  # "en" | "zh"
    metrics: dict[str, Metric] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    warnings: tuple[str, ...] = ()
    unit: str | None = None  # as the document states it, e.g. "RMB'000"

    def metric(self, name: str) -> Metric:
        return self.metrics.get(name) or Metric(name, None, None, note="not found in the document")

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON shape `hkex-monitor parse --json` prints (and the store keeps)."""
        return {
            "company": self.company,
            "stock_codes": list(self.stock_codes),
            "kind": self.kind,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "months": self.months,
            "prior_period_end": self.prior_period_end.isoformat() if self.prior_period_end else None,
            "currency": self.currency,
            "unit": self.unit,
            "language": self.language,
            "metrics": {n: self.metric(n).to_dict() for n in METRIC_NAMES},
            "checks": [c.to_dict() for c in self.checks],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json_dict(cls, d: dict[str, Any]) -> ResultsReport:
        def _d(v: str | None) -> date | None:
            return date.fromisoformat(v) if v else None

        return cls(
            company=d.get("company"),
            stock_codes=tuple(d.get("stock_codes") or ()),
            kind=d.get("kind"),
            period_end=_d(d.get("period_end")),
            months=d.get("months"),
            prior_period_end=_d(d.get("prior_period_end")),
            currency=d.get("currency"),
            language=d.get("language") or "en",
            metrics={n: Metric(n, m.get("current"), m.get("prior"), m.get("change_pct"), m.get("page"),
                               m.get("note"), m.get("statement"), m.get("label"),
                               tuple(m.get("vouched_by") or ()))
                     for n, m in (d.get("metrics") or {}).items()},
            checks=tuple(Check(c["name"], bool(c["ok"]), c["detail"]) for c in d.get("checks") or ()),
            warnings=tuple(d.get("warnings") or ()),
            unit=d.get("unit"),
        )
