"""Figures as printed in statement columns: ``1,234``, ``(1,234)`` for a loss, ``-`` for nil.

A token that only looks like a number (``1.477.040``, ``2,7 10``, ``(60)201)``) is rejected rather
than repaired: a wrong figure is worse than a missing one.
"""

from __future__ import annotations

import re

DASHES = frozenset({"-", "—", "–", "‒", "―", "−", "--", "—-", "nil", "Nil", "NIL", "－"})

# Thousands separated by commas (groups of exactly three), optional decimals; or a plain number.
_GROUPED = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_PLAIN = r"\d+(?:\.\d+)?"
_NUMBER = re.compile(rf"^(?P<neg>[-−–])?\(?(?P<body>{_GROUPED}|{_PLAIN})\)?$")
_NOTE = re.compile(r"^(?:\d{1,2}(?:\([a-z]{1,4}\)|[a-z])?|\d{1,2}\.\d{1,2}|\d{1,2}\([a-z]\)\(?[ivx]*\)?)$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def parse_figure(token: str) -> float | None:
    """The value of one printed figure, or None if the token is not a well-formed figure.

    Parentheses and a leading minus make it negative; a dash (or "nil") is zero."""
    text = token.strip().replace("\u2009", "").replace("\xa0", "")
    text = text.rstrip("*#^")
    if text in DASHES:
        return 0.0
    if text.startswith("(") != text.endswith(")"):
        return None
    match = _NUMBER.match(text)
    if not match:
        return None
    value = float(match.group("body").replace(",", ""))
    if match.group("neg") or text.startswith("(") or text.startswith("-("):
        value = -value
    return value


def is_note_ref(token: str) -> bool:
    """A note reference in a "Notes" column: ``5``, ``4(a)``, ``12b``, ``3.2``."""
    return bool(_NOTE.match(token.strip()))


def is_year(token: str) -> bool:
    return bool(_YEAR.match(token.strip().strip(",.()")))


def decimals(token: str) -> int:
    """How many decimal places the printed figure has (its precision)."""
    body = token.strip().strip("()")
    return len(body.split(".", 1)[1]) if "." in body else 0


def looks_garbled(token: str) -> bool:
    """Digits arranged in a way no statement prints, e.g. ``1.477.040`` or ``2,7``: extraction noise."""
    text = token.strip()
    if not any(ch.isdigit() for ch in text):
        return False
    return parse_figure(text) is None and bool(re.fullmatch(r"[-()\d.,\s]+", text))
