"""The active-stock list (``feed/stocklist.py``): code -> stockId, and its shape errors."""

from __future__ import annotations

import pytest
from feedbuilder import (
    SAMPLE_ACTIVE_STOCKS,
)

from monitor.errors import FeedShapeError
from monitor.hkexnews.feed import (
    parse_active_stocks,
)

URL = "https://www1.hkexnews.hk/ncms/json/eds/lcisehk1relsde_1.json?_=1"


def test_parse_active_stocks() -> None:
    rows = [*SAMPLE_ACTIVE_STOCKS, {"i": 5, "c": "NaN", "n": "junk"}]
    assert parse_active_stocks(rows, URL) == {
        "00700": 7609,
        "00020": 1000020,
        "80020": 1000021,
        "02512": 1002512,
    }


@pytest.mark.parametrize(
    "obj, needle",
    [
        ({"stocks": []}, "expected a JSON list"),
        ([{"c": "00700"}], "with 'i' and 'c'"),
        ([{"i": "x", "c": "00700"}], "stockId 'i' should be an integer"),
    ],
)
def test_parse_active_stocks_shape_errors(obj: object, needle: str) -> None:
    with pytest.raises(FeedShapeError, match=needle):
        parse_active_stocks(obj, URL)
