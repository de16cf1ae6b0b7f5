"""The figures of a results report from the raw statement lines: scaled to currency units, with the
cross-checks that vouch for them, the figures a failed check casts doubt on dropped (with the reason),
and the dividend for the period from what the prose states."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from parsers.checks import Outcome, arithmetic, highlight_lines, vouches
from parsers.dividends import Dividend
from parsers.eps_note import NoteFigure
from parsers.locate import Located
from parsers.report import METRIC_NAMES, PER_SHARE, Check, Metric, change_pct
from parsers.statements import Figure, Statements
from parsers.units import Unit

REPEATED = "profit repeated in the statement of comprehensive income"
CASH_FLOW = "cash = cash flow statement's closing cash"
NO_NCI = "attributable = profit (no non-controlling interests)"


@dataclass(frozen=True)
class PeriodDividend:
    """The dividend found for the period, and the page that states it."""

    found: Dividend
    page: int | None



class Metrics:
    """The figures of a report from the raw statement lines, with the checks that vouch for them."""

    def __init__(self, statements: Statements, unit: Unit | None, located: Located, warnings: list[str],
                 eps_scale: float | None, closing_cash: tuple[float, float] | None,
                 eps_note: NoteFigure | None = None) -> None:
        self.eps_note = eps_note
        self.suspects: dict[tuple[str, str], str] = {}  # figures a check of their own source fails
        self.statements = statements
        self.unit = unit
        self.located = located
        self.warnings = warnings
        self.closing_cash = closing_cash
        self.notes: dict[str, list[str]] = {}
        self.figures = self._figures(eps_scale)
        self.vouched: dict[tuple[str, str], list[str]] = {}

    def _note(self, kind: str, text: str) -> None:
        self.notes.setdefault(kind, []).append(text)

    def _vouch(self, kind: str, period: str, name: str) -> None:
        names = self.vouched.setdefault((kind, period), [])
        if name not in names:
            names.append(name)

    def _figures(self, eps_scale: float | None) -> dict[str, Figure]:
        raw = self.statements.figures
        figures = {k: (replace(f, per_share_scale=eps_scale)
                       if k.startswith("eps_") and f.per_share_scale is None else f) for k, f in raw.items()}
        if "total_equity" not in figures and "net_assets" in figures:
            figures["total_equity"] = replace(figures["net_assets"], kind="total_equity")
            self._note("total_equity", "from net assets (equal to total equity)")
        if "total_equity" not in figures and "equity_owners" in figures:
            nci = figures.get("nci_equity")
            if nci is None or (not nci.current and not nci.prior):
                figures["total_equity"] = replace(figures["equity_owners"], kind="total_equity")
                self._note("total_equity", "equity attributable to owners: there are no non-controlling "
                                           "interests")
        for name in ("eps_basic", "eps_diluted"):
            if name in figures:
                if self.statements.discontinued:
                    self._note(name, "from continuing and discontinued operations")
                continue
            scoped = self.statements.scoped.get(f"{name}@continuing")
            if scoped is not None and not self.statements.discontinued:
                figures[name] = scoped
            elif scoped is not None:
                self._note(name, "only the figure from continuing operations is stated")
        if "profit_attributable" not in figures and self.eps_note is not None:
            figures["profit_attributable"] = self._from_eps_note(self.eps_note)
        continuing, discontinued = figures.get("continuing_profit"), figures.get("discontinued_profit")
        if "profit_for_period" not in figures and continuing is not None and discontinued is not None:
            # No total printed: the profit for the period is that of the continuing operations and the
            # discontinued ones, each printed on its line; the owners + NCI check vouches for the sum.
            figures["profit_for_period"] = replace(
                continuing, kind="profit_for_period", current=_add(continuing.current, discontinued.current),
                prior=_add(continuing.prior, discontinued.prior),
                label=f"{continuing.label} + {discontinued.label}", vouched=())
            self._note("profit_for_period", "continuing + discontinued operations, printed on separate lines "
                                            "and added here")
        if self.statements.discontinued or (discontinued is not None and (discontinued.current
                                                                          or discontinued.prior)):
            for name in ("revenue", "gross_profit", "operating_profit", "profit_before_tax"):
                if name in figures:
                    self._note(name, "continuing operations (the statement presents discontinued operations "
                                     "as one line)")
            if "profit_for_period" in figures and "profit_for_period" not in self.notes:
                self._note("profit_for_period", "including discontinued operations")
        if "cash" in figures and not _EQUIVALENTS.fullmatch(figures["cash"].label.strip()):
            self._note("cash", f"the balance sheet's line {figures['cash'].label!r}")
        if "cash" not in figures and "cash_general" in figures:
            general = figures["cash_general"]
            if self.closing_cash and (general.current, general.prior) == self.closing_cash:
                figures["cash"] = replace(general, kind="cash")
                self._note("cash", "the group's own accounts, not the clients' money held in trust")
            else:
                self._note("cash", "cash printed in separate accounts (own and clients'); no cash flow "
                                   "statement confirms which is the group's")
        return figures

    def _from_eps_note(self, note: NoteFigure) -> Figure:
        """The attributable profit as the EPS note states it, in the statements' unit where it has one."""
        current, prior, unit = note.current, note.prior, None
        if note.absolute:
            if self.unit is not None and (note.currency in (None, self.unit.currency)):
                current, prior = (v / self.unit.scale if v is not None else None for v in (current, prior))
            else:
                unit = Unit(note.currency or "", 1.0, note.currency or "")
        self._note("profit_attributable", f"from the earnings per share note (page {note.page}); the "
                                          "statements print no attributable line")
        return Figure("profit_attributable", current, prior, note.page, note.label, unit,
                      statement="earnings per share note")

    def _owners_without_nci(self) -> list[Check]:
        """With no non-controlling interests, the attributable profit the EPS note states is the profit."""
        owners, profit = self.figures.get("profit_attributable"), self.figures.get("profit_for_period")
        checks: list[Check] = []
        if owners is None or profit is None or owners.statement != "earnings per share note" or (
                "nci" in self.figures):
            return checks
        for period in ("current", "prior"):
            mine, theirs = getattr(owners, period), getattr(profit, period)
            if mine is None or theirs is None:
                continue
            ok = abs(mine - theirs) <= 1.01
            detail = f"{period}: EPS note {mine:,.6g} vs profit {theirs:,.6g}"
            checks.append(Check(NO_NCI, ok, detail))
            if ok:
                self._vouch("profit_attributable", period, NO_NCI)
            else:
                # A rounded figure ("approximately RMB1.7 million") or another measure: not the line.
                self.suspects[("profit_attributable", period)] = f"failed check {NO_NCI} ({detail})"
        return checks

    def build(self, dividend: PeriodDividend | None) -> tuple[dict[str, Metric], list[Check]]:
        figures = self.figures
        current = {k: f.current for k, f in figures.items()}
        prior = {k: f.prior for k, f in figures.items()}
        outcomes = arithmetic(current, prior)
        for outcome in outcomes:
            if outcome.ok:
                for kind in outcome.involved:
                    self._vouch(kind, outcome.period, outcome.name)
        checks = [Check(o.name, o.ok, o.detail) for o in outcomes]
        checks += (self._read_checks() + self._highlights() + self._repeats() + self._cash_flow()
                   + self._owners_without_nci())
        confirmed = set(self.vouched)
        distrust = _distrust(outcomes, confirmed, self.warnings)
        distrust.update({key: reason for key, reason in self.suspects.items() if key not in distrust})
        for kind, reason in self.statements.conflicts.items():
            distrust.setdefault((kind, "current"), reason)
            distrust.setdefault((kind, "prior"), reason)
        metrics = {name: self._metric(name, distrust) for name in METRIC_NAMES
                   if name != "dividend_per_share"}
        metrics = _eps_signs(metrics, checks)
        metrics["dividend_per_share"] = self._dividend(dividend)
        return metrics, checks

    def _read_checks(self) -> list[Check]:
        """Checks the statement reader made as it read (a subtotal's parts add up to it)."""
        checks = []
        for kind, figure in self.figures.items():
            for name in figure.vouched:
                for period, value in (("current", figure.current), ("prior", figure.prior)):
                    if value is not None:
                        self._vouch(kind, period, name)
                        detail = f"{period}: {kind} {value:,.6g} on page {figure.page} under {figure.label!r}"
                        checks.append(Check(name, True, detail))
        return checks

    def _highlights(self) -> list[Check]:
        checks = []
        lines = highlight_lines(self.located.highlights)
        for kind, figure in self.figures.items():
            scale = (figure.per_share_scale or 1.0) if kind.startswith("eps_") else 1.0
            rows = [line for line in lines if kind in line.kinds]
            for period, value in (("current", figure.current), ("prior", figure.prior)):
                if value is None or not rows:
                    continue
                agreeing = next((line for line in rows if vouches(line, value, scale)), None)
                if agreeing is not None:
                    self._vouch(kind, period, f"highlights agree: {kind}")
                    checks.append(Check(f"highlights agree: {kind}", True,
                                        f"{period}: highlights row {agreeing.text!r} shows {value:,.6g}"))
                elif period == "current" and kind in METRIC_NAMES:
                    checks.append(Check(f"highlights agree: {kind}", False,
                                        f"highlights row {rows[0].text!r} does not show the statement's "
                                        f"{value:,.6g}"))
                    self.warnings.append(f"highlights disagree with the statement on {kind}; the statement "
                                         f"figure is used")
        return checks

    def _repeats(self) -> list[Check]:
        repeat = self.statements.comprehensive.get("profit_for_period")
        figure = self.figures.get("profit_for_period")
        checks: list[Check] = []
        if repeat is None or figure is None:
            return checks
        for period in ("current", "prior"):
            value = getattr(figure, period)
            if value is not None and getattr(repeat, period) == value:
                self._vouch("profit_for_period", period, REPEATED)
                checks.append(Check(REPEATED, True, f"{period}: {value:,.6g} on page {repeat.page}"))
        return checks

    def _cash_flow(self) -> list[Check]:
        cash = self.figures.get("cash")
        checks: list[Check] = []
        if cash is None or self.closing_cash is None:
            return checks
        for period, value, closing in zip(("current", "prior"), (cash.current, cash.prior), self.closing_cash,
                                          strict=True):
            if value is None:
                continue
            detail = f"{period}: balance sheet {value:,.6g} vs cash flow statement {closing:,.6g}"
            if value == closing:
                self._vouch("cash", period, CASH_FLOW)
                checks.append(Check(CASH_FLOW, True, detail))
            elif period == "current":
                # Cash equivalents can include deposits the balance sheet shows elsewhere: no doubt cast.
                checks.append(Check(CASH_FLOW, False, detail))
        return checks

    def _metric(self, name: str, distrust: dict[tuple[str, str], str]) -> Metric:
        figure = self.figures.get(name)
        notes = list(self.notes.get(name, []))
        if figure is None:
            where = "balance sheet" if name in ("total_equity", "cash") else "income statement"
            seen = "bs" if where == "balance sheet" else "is"
            if seen not in self.statements.seen:
                return Metric(name, None, None, note=f"no {where} found")
            reason = "; ".join(notes) if notes else f"not stated in the {where}"
            if name == "gross_profit" and _prc_format(self.figures):
                reason = "the PRC (CAS) format prints no gross profit line; not derived"
            return Metric(name, None, None, note=reason, statement=where)
        values: list[float | None] = []
        for period, value in (("current", figure.current), ("prior", figure.prior)):
            key = (figure.kind, period)
            if value is None:
                notes.append(f"{period} figure not stated")
            elif key in distrust and key not in self.vouched:
                notes.append(f"{period} not trusted: {distrust[key]}")
                value = None
            values.append(value)
        scaled = [_scale(name, v, figure, self.unit, notes) for v in values]
        kinds = [figure.kind] + [k for k, f in self.figures.items()
                                 if k != figure.kind and _same_line(f, figure)]
        vouched = [n for k in kinds for n in self.vouched.get((k, "current"), []) if scaled[0] is not None]
        vouched += [f"{n} (prior period)" for k in kinds for n in self.vouched.get((k, "prior"), [])
                    if n not in vouched and scaled[1] is not None]
        vouched = list(dict.fromkeys(vouched))
        return Metric(name, scaled[0], scaled[1], change_pct(scaled[0], scaled[1]), figure.page,
                      "; ".join(dict.fromkeys(notes)) or None, figure.statement, figure.label, tuple(vouched))

    def _dividend(self, dividend: PeriodDividend | None) -> Metric:
        line = self.statements.figures.get("dividend_amount")
        nil_line = line is not None and line.current == 0 and line.prior == 0
        if dividend is None:
            return Metric("dividend_per_share", None, None,
                          note="period not found, so the dividend was not read")
        found = dividend.found
        if found.current is None and nil_line and line is not None:
            return Metric("dividend_per_share", 0.0, 0.0, None, line.page,
                          "the income statement's dividend line is nil for both periods", line.statement,
                          line.label)
        note = found.note
        if found.current and found.currency and self.unit and found.currency != self.unit.currency:
            note = f"declared in {found.currency}"
        prior = found.prior
        if prior is None and nil_line and line is not None and found.current is not None:
            prior = 0.0
        return Metric("dividend_per_share", found.current, prior, change_pct(found.current, prior),
                      dividend.page, note, "prose" if dividend.page else None, None, ())


_CAS_LABELS = re.compile(r"total operating revenue|total profit|營業總收入|营业总收入|利潤總額|利润总额",
                         re.I)


def _prc_format(figures: dict[str, Figure]) -> bool:
    """An income statement in the PRC format: its revenue or profit before tax under the CAS names."""
    return any(_CAS_LABELS.search(f.label) for k, f in figures.items()
               if k in ("revenue", "profit_before_tax"))


_EQUIVALENTS = re.compile(r"cash and cash equivalents|現金及現金等價物|现金及现金等价物", re.I)


def _add(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b


def _same_line(a: Figure, b: Figure) -> bool:
    """Two figures read from one printed line ("Profit for the year attributable to owners of the
    Company" is both the profit and the attributable profit): what vouches for one vouches for both."""
    return (a.page, a.label, a.current, a.prior, a.statement) == (
        b.page, b.label, b.current, b.prior, b.statement)


def _distrust(outcomes: list[Outcome], confirmed: set[tuple[str, str]],
              warnings: list[str]) -> dict[tuple[str, str], str]:
    """Figures to drop: those in a failed check that nothing else vouches for."""
    distrust: dict[tuple[str, str], str] = {}
    for outcome in outcomes:
        if outcome.ok:
            continue
        suspects = [k for k in outcome.involved if (k, outcome.period) not in confirmed]
        if not suspects:
            warnings.append(f"check failed but each figure is vouched for elsewhere: {outcome.detail}")
        for kind in suspects:
            distrust.setdefault((kind, outcome.period), f"failed check {outcome.name} ({outcome.detail})")
    return distrust


def _scale(name: str, value: float | None, figure: Figure, unit: Unit | None,
           notes: list[str]) -> float | None:
    if value is None:
        return None
    if name in PER_SHARE:
        factor = figure.per_share_scale
        if factor is None and unit is not None and unit.scale == 1.0:
            factor = 1.0  # a statement in whole currency units prints per-share figures in them too
        if factor is None:
            if abs(value) >= 10:
                notes.append("per-share unit not stated and the figure is too large to be in currency units")
                return None
            notes.append("per-share unit not stated; read as currency units")
            factor = 1.0
        if figure.loss_heading and value > 0:
            value = -value
        return round(value * factor, 6)
    amount_unit = figure.unit or unit
    if amount_unit is None:
        notes.append("amount unit (e.g. RMB'000) not stated")
        return None
    return round(value * amount_unit.scale, 2)


def _eps_signs(metrics: dict[str, Metric], checks: list[Check]) -> dict[str, Metric]:
    """EPS must have the sign of the profit attributable to owners; a mismatch is a misread."""
    owners = metrics.get("profit_attributable")
    if owners is None or owners.current is None and owners.prior is None:
        owners = metrics.get("profit_for_period")
    out = dict(metrics)
    for name in ("eps_basic", "eps_diluted"):
        eps = metrics.get(name)
        if eps is None or owners is None:
            continue
        cur, pri = eps.current, eps.prior
        for attr in ("current", "prior"):
            e, p = getattr(eps, attr), getattr(owners, attr)
            if e is not None and p is not None and e != 0 and p != 0 and (e < 0) != (p < 0):
                checks.append(Check(f"{name} sign matches profit attributable", False,
                                    f"{attr}: EPS {e} vs attributable {p:,.0f}"))
                if attr == "current":
                    cur = None
                else:
                    pri = None
        if (cur, pri) != (eps.current, eps.prior):
            note = "; ".join(n for n in (eps.note, "sign disagrees with profit attributable") if n)
            out[name] = replace(eps, current=cur, prior=pri, change_pct=change_pct(cur, pri), note=note)
    return out

