"""What to ask HKEXnews each poll, and which of the answers are new filings for the watched stocks
or, with ``ALL_STOCKS``, for the whole market.

``Discovery`` (``facade.py``) is what callers hold; its parts each own their requests and their
store meta keys: the feed read and the last poll (``feedpoll.py``), the per-stock title-search
catch-up after downtime beyond the 7-day feed (``catchup.py``), Chinese-only placeholders
(``placeholders.py``), the nightly reconciliation (``reconcile.py``) and a stock's history
(``history.py``). They share the store's seen set (``seen.py``) and the one title-search sequence
(``titlesearch.py``), and count what they ask in ``Requests`` (``counts.py``). What is watched is a
``Watching`` (``watching.py``).
"""

from monitor.hkexnews.discovery.catchup import (
    CATCH_UP_BACKOFF_S,
    META_CATCH_UP_PENDING,
    CatchUp,
    catch_up_meta,
)
from monitor.hkexnews.discovery.counts import Requests
from monitor.hkexnews.discovery.facade import DEFAULT_FIRST_RUN_HOURS, Discovery, Poll
from monitor.hkexnews.discovery.feedpoll import (
    FEED_DAYS,
    LAST_POLL_REFRESH_S,
    META_LAST_POLL,
    Mode,
    choose_mode,
    split_first_run,
)
from monitor.hkexnews.discovery.placeholders import ZH_FEED_PAGES, ZH_RESOLVE_GIVE_UP_S
from monitor.hkexnews.discovery.reconcile import RECONCILE_GRACE, Reconciliation, StockCheck
from monitor.hkexnews.discovery.seen import KNOWN_SEEN_MAX
from monitor.hkexnews.discovery.titlesearch import (
    NOT_LISTED,
    TITLE_SEARCH_ROW_CAP,
    TITLE_SEARCH_STEP,
    StockSearch,
    TitleSearch,
)
from monitor.hkexnews.discovery.watching import ALL_STOCKS, GEM_CODES, Watching, boards_to_read, is_gem_code

__all__ = [
    "ALL_STOCKS", "CATCH_UP_BACKOFF_S", "DEFAULT_FIRST_RUN_HOURS", "FEED_DAYS", "GEM_CODES", "KNOWN_SEEN_MAX",
    "LAST_POLL_REFRESH_S", "META_CATCH_UP_PENDING", "META_LAST_POLL", "NOT_LISTED", "RECONCILE_GRACE",
    "TITLE_SEARCH_ROW_CAP", "TITLE_SEARCH_STEP", "ZH_FEED_PAGES", "ZH_RESOLVE_GIVE_UP_S", "CatchUp",
    "Discovery", "Mode", "Poll", "Reconciliation", "Requests", "StockCheck", "StockSearch", "TitleSearch",
    "Watching", "boards_to_read", "catch_up_meta", "choose_mode", "is_gem_code", "split_first_run",
]
