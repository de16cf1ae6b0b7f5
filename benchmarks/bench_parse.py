"""How fast parse_results is, against baselines timed in the same run: the parser as it was at a git
ref (default: the parser before issue 10's rework, commit e679a8f), pypdfium2 text extraction of
every page (the floor), and pdfplumber ``extract_text()`` over every page (documents up to 40 pages;
longer ones take minutes). Documents: the fixture announcements, the real annual reports
(tests/fixtures/reports/) and a fixture padded to ~300 pages.

    python benchmarks/bench_parse.py                  # 3 repeats, padded to 300 pages, baseline ref
    python benchmarks/bench_parse.py --quick          # 1 repeat, padded to 60 pages, no baseline ref
    python benchmarks/bench_parse.py --baseline-ref main

Prints median milliseconds per document and ratios; the padded document and the baseline parser's
source (``git archive REF parsers``) are written to a temp dir. The baseline parser runs in a child
process (its package is also called ``parsers``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gitsource import extract_at  # noqa: E402

from parsers.errors import ParseError  # noqa: E402
from parsers.results import parse_results  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
PAD_SOURCE = "0020-sensetime-interim-2025.pdf"
PLUMBER_MAX_PAGES = 40
PROSE = ("The Group continued to invest in research and development during the period, expanding its "
         "engineering teams and deepening co-operation with customers across the region. ")
# Times parse_results in a child whose sys.path starts with the baseline's source tree.
CHILD = """
import json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
from parsers.results import parse_results
out = {}
for path in sys.argv[3:]:
    times = []
    for _ in range(int(sys.argv[2])):
        start = time.perf_counter()
        try:
            parse_results(path)
        except Exception:
            pass
        times.append((time.perf_counter() - start) * 1000)
    out[path] = statistics.median(times)
print(json.dumps(out))
"""


def filler(pages: int, path: Path) -> None:
    """Pages of prose and small numeric tables, like the discussion sections of a long report."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    for number in range(pages):
        pdf.add_page()
        pdf.set_font("helvetica", size=9)
        pdf.set_xy(15, 15)
        pdf.multi_cell(0, 4.5, f"SUPPLEMENTARY DISCUSSION {number + 1}\n" + PROSE * 12)
        y = pdf.get_y() + 4
        for row in range(18):
            pdf.set_xy(15, y + row * 5)
            pdf.cell(100, 5, f"Segment item {row + 1}")
            pdf.cell(35, 5, f"{(row + 3) * 12_345:,}", align="R")
            pdf.cell(35, 5, f"({(row + 2) * 9_876:,})", align="R")
        pdf.set_xy(15, y + 100)
        pdf.multi_cell(0, 4.5, PROSE * 10)
    pdf.output(str(path))


def padded(source: Path, total_pages: int, folder: Path) -> Path:
    """``source`` followed by filler pages up to ``total_pages``, merged with pypdfium2."""
    base = pdfium.PdfDocument(source)
    extra = folder / "filler.pdf"
    filler(max(total_pages - len(base), 1), extra)
    merged = pdfium.PdfDocument.new()
    merged.import_pages(base)
    pad = pdfium.PdfDocument(extra)
    merged.import_pages(pad)
    out = folder / f"padded-{total_pages}p.pdf"
    merged.save(out)
    for doc in (pad, base, merged):
        doc.close()
    return out


def ours(path: Path) -> None:
    try:
        parse_results(path)
    except ParseError:
        pass  # the fund's report is refused: that is its parse


def plumber_text(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def pdfium_text(path: Path) -> None:
    doc = pdfium.PdfDocument(path)
    for index in range(len(doc)):
        page = doc[index]
        page.get_textpage().get_text_range()
    doc.close()


def median_ms(run: Callable[[Path], None], path: Path, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(path)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# The last commit of main with the parser as it was before issue 10 (a general parser for documents it
# has never seen): what this benchmark's "baseline parser" column compares with.
BEFORE_ISSUE_10 = "e679a8f"


def baseline_source(ref: str, folder: Path) -> Path | None:
    """The ``parsers`` package as it was at ``ref``, extracted into ``folder``; None if git cannot say."""
    if ref == "merge-base":
        found = subprocess.run(["git", "merge-base", "HEAD", "main"], capture_output=True, text=True,
                               cwd=ROOT)
        if found.returncode != 0:
            return None
        ref = found.stdout.strip()
    return extract_at(ref, ["parsers"], folder / "baseline")


def baseline_ms(source: Path, docs: list[Path], repeats: int) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", CHILD, str(source), str(repeats), *map(str, docs)],
                            capture_output=True, text=True, cwd=source)
    if result.returncode != 0:
        print(f"baseline parser failed: {result.stderr.strip()[-300:]}")
        return {}
    return {k: float(v) for k, v in json.loads(result.stdout).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 repeat, pad to 60 pages, no baseline ref")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pages", type=int, default=300, help="length of the padded document")
    parser.add_argument("--baseline-ref", default=None,
                        help=f"git ref of the parser to compare with (default {BEFORE_ISSUE_10}, the parser "
                             "before issue 10; 'merge-base' of HEAD and main; 'none' to skip)")
    args = parser.parse_args(argv)
    repeats, pages = (1, 60) if args.quick else (args.repeats, args.pages)
    ref = args.baseline_ref or ("none" if args.quick else BEFORE_ISSUE_10)
    with tempfile.TemporaryDirectory() as tmp:
        docs = (sorted(FIXTURES.glob("*.pdf")) + sorted((FIXTURES / "reports").glob("*.pdf"))
                + [padded(FIXTURES / PAD_SOURCE, pages, Path(tmp))])
        source = baseline_source(ref, Path(tmp)) if ref != "none" else None
        print(f"median of {repeats} run(s) per document; baseline parser: "
              f"{ref if source else 'not timed'}")
        header = (f"{'document':<64} {'pages':>5} {'ours ms':>8} {'base ms':>8} {'ours/base':>9} "
                  f"{'pdfium ms':>9} "
                  f"{'plumber ms':>10} {'ours/plumber':>12}")
        print(header)
        print("-" * len(header))
        for path in docs:
            with pdfium.PdfDocument(path) as doc:
                count = len(doc)
            # Each document's timings are taken back to back, so a change in the machine's load shifts
            # ours and the baselines alike.
            base = baseline_ms(source, [path], repeats).get(str(path)) if source else None
            ours_ms = median_ms(ours, path, repeats)
            pdfium_ms = median_ms(pdfium_text, path, repeats)
            base_cell = f"{base:>8.1f} {ours_ms / base:>9.2f}" if base else f"{'-':>8} {'-':>9}"
            if count <= PLUMBER_MAX_PAGES:
                plumber_ms = median_ms(plumber_text, path, repeats)
                plumber_cell = f"{plumber_ms:>10.1f} {ours_ms / plumber_ms:>12.3f}"
            else:
                plumber_cell = f"{'-':>10} {'-':>12}"
            name = path.name if path.parent == FIXTURES or path.parent == Path(tmp) else \
                f"{path.parent.name}/{path.name}"
            print(f"{name:<64} {count:>5} {ours_ms:>8.1f} {base_cell} {pdfium_ms:>9.1f} {plumber_cell}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
