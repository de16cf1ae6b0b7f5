"""The shape of the code, drawn from its imports: ``parsers/`` and ``notifiers/`` stand alone, the rooms
of ``monitor/`` import each other without a circle, and no product file grows past 500 lines. (The
drawing itself is in docs/ARCHITECTURE.md.)"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("monitor", "parsers", "notifiers")
MAX_LINES = 500


def _modules(package: str) -> dict[str, Path]:
    out = {}
    for path in (ROOT / package).rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        out[name] = path
    return out


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name for name in found if name.split(".")[0] in PACKAGES}


def room(module: str) -> str:
    """A room: ``parsers``, ``notifiers``, a sub-package of ``monitor`` (``monitor.delivery``) or one
    of its top-level modules (``monitor.intake``)."""
    parts = module.split(".")
    return parts[0] if parts[0] != "monitor" or len(parts) == 1 else f"monitor.{parts[1]}"


def rooms() -> dict[str, set[str]]:
    arrows: dict[str, set[str]] = defaultdict(set)
    for package in PACKAGES:
        for module, path in _modules(package).items():
            for imported in _imports(path):
                if room(imported) != room(module):
                    arrows[room(module)].add(room(imported))
    return arrows


def test_parsers_and_notifiers_import_nothing_of_the_app() -> None:
    for package, allowed in (("parsers", {"parsers"}), ("notifiers", {"notifiers"})):
        for module, path in _modules(package).items():
            foreign = {i for i in _imports(path) if i.split(".")[0] not in allowed}
            assert not foreign, f"{module} imports {sorted(foreign)}"


def test_the_rooms_import_each_other_without_a_circle() -> None:
    arrows = rooms()

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in arrows.get(start, ()):
            if nxt == goal or (nxt not in seen and (seen.add(nxt) or reaches(nxt, goal, seen))):
                return True
        return False

    circles = sorted((a, b) for a, targets in arrows.items() for b in targets if reaches(b, a, set()))
    assert circles == [], f"import circles between rooms: {circles}"
    assert "monitor.delivery" in arrows and "notifiers" in arrows["monitor.delivery"]  # the drawing is real


def test_no_product_file_is_over_500_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for package in PACKAGES for p in (ROOT / package).rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
