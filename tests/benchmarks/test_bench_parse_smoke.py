"""The parse benchmark runs end to end in quick mode and lists every document."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_bench_parse_quick() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_parse.py"), "--quick"],
                            capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for pdf in sorted((ROOT / "tests" / "fixtures").glob("*.pdf")):
        assert pdf.name in result.stdout
    assert "padded-60p.pdf" in result.stdout
    assert "ours/plumber" in result.stdout
