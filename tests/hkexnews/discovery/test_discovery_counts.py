"""Request counts (``discovery/counts.py``): a frozen record added up by kind, never a tuple by hand."""

from __future__ import annotations

import dataclasses

import pytest

from monitor.hkexnews.discovery import Requests


def test_requests_add_up_kind_by_kind() -> None:
    total = Requests(feed=2) + Requests(title_search=3, stock_ids=1) + Requests(feed=1, chinese_feed=1)
    assert total == Requests(feed=3, chinese_feed=1, title_search=3, stock_ids=1)
    assert total.total == 8 and Requests().total == 0
    assert sum([Requests(feed=1), Requests(title_search=1)], Requests()) == Requests(feed=1, title_search=1)


def test_requests_say_what_they_count() -> None:
    assert str(Requests(feed=1, title_search=2)) == "3 requests (feed 1, title search 2)"
    assert str(Requests(feed=1)) == "1 request (feed 1)"
    assert str(Requests()) == "0 requests"


def test_requests_are_frozen_and_add_only_requests() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Requests().feed = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        Requests(feed=1) + 1  # type: ignore[operator]
