"""How fast parse_results is against reading every page with pdfplumber (extract_text) and with
pypdfium2 (the floor), for each fixture PDF and a fixture padded to ~300 pages.

    python benchmarks/bench_parse.py            # 3 repeats, padded to 300 pages
    python benchmarks/bench_parse.py --quick    # 1 repeat, padded to 60 pages (the smoke test)

Prints median milliseconds per document and ratios; the padded document is generated in a temp dir.
"""

from __future__ import annotations

import argparse
import statistics
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

from parsers.results import parse_results  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
PAD_SOURCE = "0020-sensetime-interim-2025.pdf"
PROSE = ("The Group continued to invest in research and development during the period, expanding its "
         "engineering teams and deepening co-operation with customers across the region. ")


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
    parse_results(path)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 repeat, pad to 60 pages (smoke test)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pages", type=int, default=300, help="length of the padded document")
    args = parser.parse_args(argv)
    repeats, pages = (1, 60) if args.quick else (args.repeats, args.pages)
    with tempfile.TemporaryDirectory() as tmp:
        docs = sorted(FIXTURES.glob("*.pdf")) + [padded(FIXTURES / PAD_SOURCE, pages, Path(tmp))]
        header = f"{'document':<40} {'pages':>5} {'ours ms':>9} {'plumber ms':>11} {'pdfium ms':>10} " \
                 f"{'ours/plumber':>13} {'ours/pdfium':>12}"
        print(f"median of {repeats} run(s) per document")
        print(header)
        print("-" * len(header))
        for path in docs:
            with pdfium.PdfDocument(path) as doc:
                count = len(doc)
            ours_ms = median_ms(ours, path, repeats)
            plumber_ms = median_ms(plumber_text, path, repeats)
            pdfium_ms = median_ms(pdfium_text, path, repeats)
            print(f"{path.name:<40} {count:>5} {ours_ms:>9.1f} {plumber_ms:>11.1f} {pdfium_ms:>10.1f} "
                  f"{ours_ms / plumber_ms:>13.3f} {ours_ms / pdfium_ms:>12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
