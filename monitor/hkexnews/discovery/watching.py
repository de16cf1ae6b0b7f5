"""What a poll watches: a set of stock codes, the whole market (every listed stock, Main Board and
GEM), or both. ``ALL_STOCKS`` ("*") in a list of codes stands for the whole market, so a watchlist
whose entry is ``code = "*"`` can be handed over as it is."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from monitor.filing import Filing
from monitor.hkexnews.feed import normalise_stock_code

ALL_STOCKS = "*"
BOARDS = ("sehk", "gem")
GEM_CODES = range(8000, 9000)


def is_gem_code(code: str) -> bool:
    """GEM stocks use codes 08000-08999; GEM companies moving to the Main Board get new codes."""
    return int(normalise_stock_code(code)) in GEM_CODES


def boards_to_read(codes: Collection[str], configured: Iterable[str] = ("sehk",)) -> tuple[str, ...]:
    """Boards whose feed must be read: those configured plus those the watched codes are on."""
    wanted = set(configured)
    wanted |= {"gem" if is_gem_code(c) else "sehk" for c in codes}
    return tuple(b for b in BOARDS if b in wanted)


@dataclass(frozen=True)
class Watching:
    """``codes``: stocks named one by one (normalised); ``everything``: every filing on both boards'
    feeds as well. Named codes keep what only a named stock gets: a title-search catch-up beyond
    the 7-day feed and the nightly reconciliation."""

    codes: frozenset[str] = frozenset()
    everything: bool = False

    @classmethod
    def of(cls, codes: Watching | str | Iterable[str]) -> Watching:
        """From a ``Watching``, one code, or codes among which ``ALL_STOCKS`` means the whole market."""
        if isinstance(codes, Watching):
            return codes
        items = [codes] if isinstance(codes, str) else list(codes)
        named = [c for c in items if str(c).strip() != ALL_STOCKS]
        return cls(frozenset(normalise_stock_code(c) for c in named), everything=len(named) < len(items))

    def __bool__(self) -> bool:
        return self.everything or bool(self.codes)

    def covers(self, filing: Filing) -> bool:
        """Whether a filing is one of those watched."""
        return self.everything or any(c in self.codes for c in filing.stock_codes)

    def covers_code(self, code: str) -> bool:
        return self.everything or code in self.codes

    def boards(self, configured: Iterable[str] = ("sehk",)) -> tuple[str, ...]:
        """The boards whose feed a poll reads: both for the whole market."""
        return BOARDS if self.everything else boards_to_read(self.codes, configured)

    def describe(self) -> str:
        named = f"{len(self.codes)} named stock(s)"
        return f"the whole market and {named}" if self.everything and self.codes else (
            "the whole market" if self.everything else named)
