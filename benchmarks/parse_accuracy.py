"""How many of the stated figures the parser finds, and how many it gets wrong, on every document with
hand-read truth (tests/parsers/truth.py): the real annual reports and the real-layout fixtures, then the
generated layouts of issue 18 (PRC format, discontinued operations, interim balance sheets, dividends
in parts, a full report, attributable profit in the EPS note), then the listing documents that must be
refused naming their kind.

    python benchmarks/parse_accuracy.py            # one line per document, then the totals
    python benchmarks/parse_accuracy.py -v         # and every figure that is missing or wrong

A figure is *stated* when the truth gives a value; *found* when the parser gives the same value
(amounts to the unit, per-share to 1e-6); *wrong* when the parser gives another value, or gives any value
for a figure the document does not state. Period end, length and currency are checked per document.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "parsers"))

from truth import FIXTURES, FUND_REPORT, LAYOUTS, REFUSED, REPORTS, Truth  # noqa: E402

from parsers.errors import ParseError  # noqa: E402
from parsers.report import METRIC_NAMES, ResultsReport  # noqa: E402
from parsers.results import parse_results  # noqa: E402

FIXTURE_DIR = ROOT / "tests" / "fixtures"


def _same(expected: float, got: float | None) -> bool:
    return got is not None and abs(expected - got) <= max(0.5, abs(expected) * 1e-9) if abs(expected) >= 1 \
        else got is not None and abs(expected - got) <= 1e-6


def score(truth: Truth, report: ResultsReport, verbose: bool) -> tuple[int, int, int, list[str]]:
    stated = found = wrong = 0
    lines: list[str] = []
    for name in METRIC_NAMES:
        metric = report.metric(name)
        expected = truth.figures.get(name, (None, None))
        pairs = (("current", expected[0], metric.current), ("prior", expected[1], metric.prior))
        for period, want, got in pairs:
            if name in truth.ambiguous:
                continue
            if want is None:
                if got is not None:
                    wrong += 1
                    lines.append(f"    WRONG {name}.{period}: not stated, parser gave {got}")
                continue
            stated += 1
            if _same(want, got):
                found += 1
            elif got is None:
                lines.append(f"    miss  {name}.{period}: {want} ({metric.note})")
            else:
                wrong += 1
                lines.append(f"    WRONG {name}.{period}: want {want}, parser gave {got}")
    meta = [(what, want, got) for what, want, got in (
        ("period_end", truth.period_end, report.period_end), ("months", truth.months, report.months),
        ("currency", truth.currency, report.currency)) if want != got]
    lines += [f"    META  {what}: want {want}, got {got}" for what, want, got in meta]
    shown = lines if verbose else [line for line in lines if "WRONG" in line or "META" in line]
    return stated, found, wrong, shown


def run(title: str, truths: dict[str, Truth], verbose: bool) -> list[int]:
    """Score one set of documents; print a line each and the set's totals."""
    totals = [0, 0, 0]
    print(f"{title}\n{'document':<16} {'stated':>6} {'found':>6} {'wrong':>6} {'ms':>7}")
    for key, truth in truths.items():
        start = time.perf_counter()
        try:
            report = parse_results(FIXTURE_DIR / truth.file)
        except ParseError as exc:
            stated = sum(v is not None for n, pair in truth.figures.items() if n not in truth.ambiguous
                         for v in pair)
            print(f"{key:<16} {stated:>6} {0:>6} {0:>6}   refused: {exc}")
            totals[0] += stated
            continue
        ms = (time.perf_counter() - start) * 1000
        stated, found, wrong, lines = score(truth, report, verbose)
        totals = [totals[0] + stated, totals[1] + found, totals[2] + wrong]
        print(f"{key:<16} {stated:>6} {found:>6} {wrong:>6} {ms:>7.0f}")
        for line in lines:
            print(line)
    print(f"{'total':<16} {totals[0]:>6} {totals[1]:>6} {totals[2]:>6}   found "
          f"{totals[1] / max(totals[0], 1):.1%}\n")
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    run("real documents (fixtures and annual reports)", {**FIXTURES, **REPORTS}, args.verbose)
    run("generated layouts (tests/fixtures/layouts)", LAYOUTS, args.verbose)
    refused = 0
    for name, kind in {FUND_REPORT: "fund_report", **REFUSED}.items():
        try:
            parse_results(FIXTURE_DIR / name)
            print(f"NOT refused: {name}")
        except ParseError as exc:
            got = getattr(exc, "kind", None)
            refused += got == kind
            if got != kind:
                print(f"refused as {got}, not {kind}: {name}")
    print(f"documents that are not results: {refused} of {len(REFUSED) + 1} refused naming their kind")
    return 0


if __name__ == "__main__":
    sys.exit(main())
