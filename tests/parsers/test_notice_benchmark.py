"""The notice accuracy benchmark runs end to end and scores both sets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_notice_accuracy_runs() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "notice_accuracy.py")],
                            capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "01856_board_meeting_2015-08-17_tc.pdf" in result.stdout
    assert "trait-bm-zh-fakebold-2015.pdf" in result.stdout
    summaries = [line for line in result.stdout.splitlines() if " stated, " in line]
    assert len(summaries) == 2 and all(", 0 wrong, " in line for line in summaries)
