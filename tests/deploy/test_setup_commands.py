"""README's two set-up commands work on a Debian/Ubuntu Python that refuses global installs (a virtual
environment, `python3`, never `python` before the venv is active), and CI runs exactly the test one."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text()
CI = ROOT / ".ci" / "run"

DEMO = "python3 -m venv .venv && . .venv/bin/activate && pip install . && hkex-monitor demo"
TESTS = "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' && python -m pytest -q"


def set_up_commands() -> list[str]:
    section = README.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S)]


def test_readme_gives_the_two_commands_in_a_virtual_environment() -> None:
    assert set_up_commands() == [DEMO, TESTS]
    assert "python3-venv" in README.split("## Commands", 1)[0]


def test_ci_runs_readme_test_command_with_lint_and_types_in_its_venv() -> None:
    lines = [line.strip() for line in CI.read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    install, _, test = TESTS.rpartition(" && ")
    start = lines.index(install)
    assert lines[start:start + 4] == [install, "ruff check .", "mypy", test]
    assert "python3-venv" in CI.read_text() and "redis-server" in CI.read_text()


def test_ci_script_is_valid_bash() -> None:
    run = subprocess.run(["bash", "-n", str(CI)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
