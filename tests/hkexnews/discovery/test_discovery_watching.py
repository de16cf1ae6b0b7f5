"""What a poll watches (``discovery/watching.py``): GEM codes, and the boards a watchlist needs."""

from __future__ import annotations

import pytest

from monitor.hkexnews.discovery import (
    boards_to_read,
    is_gem_code,
)

pytestmark = pytest.mark.usefixtures("session_page")


@pytest.mark.parametrize(
    "code, gem",
    [
        ("08001", True),
        ("8083", True),
        ("08999", True),
        ("00700", False),
        ("09988", False),
        ("80020", False),
        ("07999", False),
    ],
)
def test_is_gem_code(code: str, gem: bool) -> None:
    assert is_gem_code(code) is gem


def test_boards_to_read() -> None:
    assert boards_to_read(["00020", "02512"]) == ("sehk",)
    assert boards_to_read(["00020", "08001"]) == ("sehk", "gem")
    assert boards_to_read(["08001"], ()) == ("gem",)
    assert boards_to_read(["00020"], ("sehk", "gem")) == ("sehk", "gem")
