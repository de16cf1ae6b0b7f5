"""Notice truth files (facts read by hand, or printed by the generator) and how a reading is held to them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

NOTICES = Path(__file__).parent.parent / "fixtures" / "notices"
REAL = NOTICES / "real"
BOARD_FIELDS = ("meeting_date", "results", "period_end", "months", "dividend", "replaces_date",
                "on_or_before")
WARNING_FIELDS = ("direction", "measure", "low", "high", "currency", "prior", "change_low_pct",
                  "change_high_pct", "period_end", "months")


def load(folder: Path) -> dict[str, dict[str, Any]]:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return {name: facts for name, facts in truth.items() if not name.startswith("_")}


def fields_of(kind: str) -> tuple[str, ...]:
    if kind in ("board_meeting", "delay"):
        return BOARD_FIELDS
    if kind == "profit_warning":
        return WARNING_FIELDS
    return ()


def mismatches(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """What a ``Reading.to_json_dict()`` gets wrong against the truth of one notice (kind, then each
    field the truth states, null included: a figure where the notice states none is wrong too)."""
    if got.get("kind") != want["kind"]:
        return [f"kind {got.get('kind')!r}, want {want['kind']!r} ({got.get('reason')})"]
    out = []
    for key in fields_of(want["kind"]):
        if key not in want:
            continue
        have, expected = got.get(key), want[key]
        if isinstance(expected, float) and isinstance(have, int | float):
            if abs(have - expected) > max(abs(expected) * 1e-6, 0.5):
                out.append(f"{key}={have}, want {expected}")
        elif have != expected:
            out.append(f"{key}={have!r}, want {expected!r}")
    return out
