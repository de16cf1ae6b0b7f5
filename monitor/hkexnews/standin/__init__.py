"""The HKEXnews stand-in: a local HTTP server answering like HKEXnews, in the documented shapes.

``filing.py`` is one published filing and how each listing shows it, ``listings.py`` what the
stand-in has published and its answers (feed pages, title search, stock list, documents),
``faults.py`` the odd answers it was told to give, ``server.py`` the HTTP server and the API that
tests, the demo and the benchmarks drive.
"""

from monitor.hkexnews.standin.faults import TITLE_SEARCH_FAULTS, Faults
from monitor.hkexnews.standin.filing import (
    PLACEHOLDER_PAGE,
    PLACEHOLDER_TITLE,
    REVISION_PREFIXES,
    StandInFiling,
)
from monitor.hkexnews.standin.listings import Listings
from monitor.hkexnews.standin.server import SESSION_COOKIE, HKEXnewsStandIn

__all__ = [
    "PLACEHOLDER_PAGE", "PLACEHOLDER_TITLE", "REVISION_PREFIXES", "SESSION_COOKIE", "TITLE_SEARCH_FAULTS",
    "Faults", "HKEXnewsStandIn", "Listings", "StandInFiling",
]
