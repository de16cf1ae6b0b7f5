"""What a poll watches (``discovery/watching.py``): GEM codes, the boards a watchlist needs, and the
whole market (``ALL_STOCKS``) alone or beside named stocks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from monitor.filing import Filing
from monitor.hkexnews.discovery import ALL_STOCKS, Watching, boards_to_read, is_gem_code


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


def test_codes_are_normalised_and_name_their_boards() -> None:
    watching = Watching.of(["700", "08001"])
    assert watching == Watching(frozenset({"00700", "08001"})) and not watching.everything
    assert watching.boards() == ("sehk", "gem") and Watching.of(["700"]).boards() == ("sehk",)
    assert Watching.of("20") == Watching(frozenset({"00020"}))  # one code, not its characters
    assert not Watching.of([]) and Watching.of(["20"])


@pytest.mark.parametrize("codes", [ALL_STOCKS, [ALL_STOCKS], [" * "]])
def test_all_stocks_is_the_whole_market_on_both_boards(codes: str | list[str]) -> None:
    watching = Watching.of(codes)
    assert watching.everything and watching.codes == frozenset() and watching
    assert watching.boards() == ("sehk", "gem") and watching.boards(()) == ("sehk", "gem")
    assert watching.describe() == "the whole market"


def test_the_whole_market_beside_named_stocks(make_filing: Callable[..., Filing]) -> None:
    watching = Watching.of(["*", "700"])
    assert watching.everything and watching.codes == frozenset({"00700"})
    assert Watching.of(watching) is watching
    assert watching.covers(make_filing(codes=("09999",))) and watching.covers(make_filing(codes=()))
    assert watching.covers_code("09999") and watching.describe() == "the whole market and 1 named stock(s)"
    named = Watching.of(["700"])
    assert named.covers(make_filing(codes=("00700", "80700")))
    assert not named.covers(make_filing(codes=("09999",))) and not named.covers_code("09999")


def test_junk_is_still_refused() -> None:
    with pytest.raises(ValueError):
        Watching.of(["**"])
