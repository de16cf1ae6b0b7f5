"""How many of the facts notices state the notice readers get right, wrong or miss: the real notices
copied into tests/fixtures/notices/real/ (facts read by hand) and the generated variants of every trait
(tests/fixtures/notices/, facts as the generator prints them), read the way ``hkex-monitor parse --json``
reads them (``parsers.reading.read_document``).

    python benchmarks/notice_accuracy.py            # one line per document, then the totals per set
    python benchmarks/notice_accuracy.py -v         # and every fact that is missing or wrong

A fact is *stated* when the truth gives a value (the kind of the document is always one); *right* when
the reading gives the same value (amounts within 0.5%); *wrong* when it gives another value, a figure the
notice does not state, or answers a document of a kind that is not read as one that is; *missing* when it
gives nothing. Facts: board meeting / delay: meeting_date, results, period_end, months, dividend,
replaces_date, on_or_before; profit warning: direction, measure, low, high, currency, prior, change_low_pct,
change_high_pct, period_end, months.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsers.errors import ParseError  # noqa: E402
from parsers.reading import read_document  # noqa: E402

NOTICES = ROOT / "tests" / "fixtures" / "notices"
READ_KINDS = ("results", "board_meeting", "delay", "profit_warning")
FIELDS = {
    "board_meeting": ("meeting_date", "results", "period_end", "months", "dividend", "replaces_date",
                      "on_or_before"),
    "profit_warning": ("direction", "measure", "low", "high", "currency", "prior", "change_low_pct",
                       "change_high_pct", "period_end", "months"),
}
FIELDS["delay"] = FIELDS["board_meeting"]


def _same(want: Any, have: Any) -> bool:
    if isinstance(want, float) and isinstance(have, int | float) and not isinstance(have, bool):
        return abs(have - want) <= max(abs(want) * 0.005, 0.5)
    return bool(have == want)


def score(want: dict[str, Any], got: dict[str, Any]) -> tuple[int, int, int, int, list[str]]:
    """stated, right, wrong, missing and what went wrong, for one document."""
    notes: list[str] = []
    kind = got.get("kind")
    if want["kind"] not in READ_KINDS:
        if kind in READ_KINDS:
            return 1, 0, 1, 0, [f"WRONG a {want['kind']} answered as {kind}"]
        return 1, int(kind == want["kind"]), 0, int(kind != want["kind"]), \
            ([] if kind == want["kind"] else [f"miss  kind {kind} (want {want['kind']})"])
    if kind != want["kind"]:
        stated = 1 + sum(1 for k in FIELDS[want["kind"]] if want.get(k) is not None)
        wrong = int(kind in READ_KINDS)
        why = got.get("reason") or got.get("error")
        return stated, 0, wrong, stated - wrong, [f"{'WRONG' if wrong else 'miss '} kind {kind} "
                                                  f"(want {want['kind']}): {why}"]
    stated, right, wrong, missing = 1, 1, 0, 0
    for key in FIELDS[kind]:
        if key not in want:
            continue
        expected, have = want[key], got.get(key)
        if expected is None or (expected is False and key == "on_or_before"):
            if have not in (None, False):
                wrong += 1
                notes.append(f"WRONG {key}={have} (the notice states none)")
            continue
        stated += 1
        if _same(expected, have):
            right += 1
        elif have is None:
            missing += 1
            notes.append(f"miss  {key} (want {expected})")
        else:
            wrong += 1
            notes.append(f"WRONG {key}={have} (want {expected})")
    return stated, right, wrong, missing, notes


def run(folder: Path, verbose: bool) -> tuple[int, int, int, int]:
    truth = {k: v for k, v in json.loads((folder / "truth.json").read_text(encoding="utf-8")).items()
             if not k.startswith("_")}
    totals = [0, 0, 0, 0]
    for name, want in sorted(truth.items()):
        try:
            got = read_document(folder / name).to_json_dict()
        except ParseError as exc:
            got = {"error": str(exc)}
        counts = score(want, got)
        totals = [t + c for t, c in zip(totals, counts[:4], strict=True)]
        stated, right, wrong, missing, notes = counts
        print(f"  {name:48} {right:2}/{stated:<2} right, {wrong} wrong, {missing} missing")
        if verbose:
            for note in notes:
                print(f"      {note}")
    return totals[0], totals[1], totals[2], totals[3]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", action="store_true", help="list every fact missing or wrong")
    a = ap.parse_args()
    started = time.perf_counter()
    failed = False
    for label, folder in (("real notices (hand-read truth)", NOTICES / "real"),
                          ("generated variants (generator truth)", NOTICES)):
        print(label)
        stated, right, wrong, missing = run(folder, a.v)
        share = 100 * right / stated if stated else 0.0
        print(f"{label}: {stated} stated, {right} right ({share:.1f}%), {wrong} wrong, {missing} missing\n")
        failed = failed or wrong > 0 or right < 0.95 * stated
    print(f"{time.perf_counter() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
