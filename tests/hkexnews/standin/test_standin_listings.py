"""The stand-in's data and answers (``standin/listings.py``), without HTTP: the feed paged as documented
(newest first, ``maxNumOfFile`` pages, nothing past the last), its windows, boards and languages,
the cumulative title search, and documents found by path."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

from standinfilings import NOW, chinese_only, filing, path

from monitor.hkexnews.standin import PLACEHOLDER_PAGE, Listings, StandInFiling


def titles(answer: dict[str, Any] | None) -> list[str]:
    assert answer is not None
    return [item["title"] for item in answer["newsInfoLst"]]


def test_the_feed_is_paged_newest_first_and_counts_its_pages() -> None:
    listings = Listings(page_size=3)
    listings.publish(filing(100 + i, "00700", f"F{i}", seq=i, when=NOW - timedelta(minutes=i))
                     for i in range(7))
    listings.publish([filing(99, "00700", "SAME MINUTE, LOWER ID", seq=50, when=NOW - timedelta(minutes=2))])
    pages = [listings.feed_page("sehk", 1, n, "e") for n in (1, 2, 3)]
    assert [p["maxNumOfFile"] for p in pages if p] == [3, 3, 3]
    assert [titles(p) for p in pages] == [["F0", "F1", "F2"], ["SAME MINUTE, LOWER ID", "F3", "F4"],
                                          ["F5", "F6"]]
    assert listings.feed_page("sehk", 1, 4, "e") is None and listings.feed_page("sehk", 1, 0, "e") is None
    gen = pages[0]
    assert gen is not None and int(gen["genDate"]) == listings.changed_ms


def test_an_empty_feed_is_one_empty_page() -> None:
    answer = Listings().feed_page("gem", 1, 1, "e")
    assert answer is not None and answer["maxNumOfFile"] == 1 and answer["newsInfoLst"] == []


def test_boards_languages_and_unlisted_filings() -> None:
    listings = Listings()
    listings.publish([
        filing(1, "00700", "MAIN BOARD", seq=1, when=NOW),
        filing(2, "08001", "GEM", seq=2, when=NOW, board="gem"),
        filing(3, "00005", "NOT IN THE FEEDS", seq=3, when=NOW, feed_listed=False),
        filing(4, "00020", "BILINGUAL", seq=4, when=NOW, zh_title="雙語"),
        chinese_only(),
    ])
    assert set(titles(listings.feed_page("sehk", 1, 1, "e"))) == {"MAIN BOARD", "BILINGUAL",
                                                                   chinese_only().feed_item()["title"]}
    assert titles(listings.feed_page("gem", 1, 1, "e")) == ["GEM"]
    assert set(titles(listings.feed_page("sehk", 1, 1, "c"))) == {"雙語", chinese_only().zh_title}


def test_the_windows_end_on_today_when_told_and_list_everything_when_not() -> None:
    days_ago = (0, 1, 6, 7)
    filings = [filing(10 + d, "00700", f"{d} DAYS AGO", seq=d, when=NOW - timedelta(days=d))
               for d in days_ago]
    windowed, unbounded = Listings(today=NOW.date), Listings()
    for listings in (windowed, unbounded):
        listings.publish(filings)
    assert titles(windowed.feed_page("sehk", 1, 1, "e")) == ["0 DAYS AGO"]
    assert titles(windowed.feed_page("sehk", 7, 1, "e")) == ["0 DAYS AGO", "1 DAYS AGO", "6 DAYS AGO"]
    assert len(titles(unbounded.feed_page("sehk", 1, 1, "e"))) == 4
    assert len(titles(unbounded.feed_page("sehk", 7, 1, "e"))) == 4


def test_the_title_search_is_cumulative_and_dated() -> None:
    listings = Listings()
    listings.publish(filing(200 + i, "00700", f"T{i}", seq=i, when=NOW - timedelta(days=i)) for i in range(5))
    sid = listings.stock_id("00700")
    query = {"stockId": [str(sid)], "fromDate": [f"{NOW - timedelta(days=3):%Y%m%d}"],
             "toDate": [f"{NOW:%Y%m%d}"], "rowRange": ["2"]}
    answer = listings.title_search(query)
    rows = json.loads(answer["result"])
    assert [r["TITLE"] for r in rows] == ["T0", "T1"] and answer["hasNextRow"] and answer["recordCnt"] == 4
    more = listings.title_search({**query, "rowRange": ["4"]})
    assert [r["TITLE"] for r in json.loads(more["result"])] == ["T0", "T1", "T2", "T3"]  # from row 1 again
    assert not more["hasNextRow"] and more["loadedRecord"] == 4
    assert json.loads(listings.title_search({**query, "lang": ["ZH"]})["result"]) == []  # no Chinese versions


def test_documents_are_found_by_path() -> None:
    listings = Listings()
    plain = filing(1, "00700", "PLAIN", seq=1, when=NOW, zh_document=b"%PDF-zh")
    folder = StandInFiling(2, [("00005", "HSBC")], "RESULTS", "Final Results", "13300", NOW,
                           path(2, ext="htm"), None, folder=[("Announcement", path(3), b"%PDF-announcement")])
    placeholder = chinese_only()
    first = filing(4, "00001", "FIRST AT THIS PATH", seq=9, when=NOW)
    second = filing(5, "00002", "SECOND AT THIS PATH", seq=9, when=NOW)
    listings.publish([plain, folder, placeholder, first, second])
    assert listings.document(plain.web_path) == (plain.document, plain)
    assert listings.document(plain.zh_path) == (b"%PDF-zh", plain)
    body, owner = listings.document(folder.web_path)
    assert owner is folder and body is not None and b"Announcement" in body
    assert listings.document(path(3)) == (b"%PDF-announcement", folder)
    assert listings.document(placeholder.web_path) == (PLACEHOLDER_PAGE, placeholder)
    assert listings.document(placeholder.zh_path) == (placeholder.zh_document, placeholder)
    assert listings.document(first.web_path) == (first.document, first)  # the first published keeps it
    assert listings.document("/listedco/nothing.pdf") == (None, None)


def test_publishing_gives_each_new_code_a_stock_id_and_returns_the_times() -> None:
    listings = Listings()
    times = listings.publish([filing(1, "00700", "A", seq=1, when=NOW),
                              filing(2, "00005", "B", seq=2, when=NOW)])
    assert len(times) == 2 and times == sorted(times)
    assert listings.stock_id("00700") != listings.stock_id("00005") and listings.stock_id("09999") is None
    assert [s["c"] for s in listings.active_stocks()] == ["00005", "00700"]


def test_a_feed_regenerated_on_a_grid_shows_only_what_was_published_before_its_tick() -> None:
    phase = time.time()  # a tick now, the next one an hour away
    listings = Listings(regen_period_s=3600.0, regen_phase_s=phase)
    tick = listings.regenerated_at()
    assert tick == phase and listings.regenerated_at(phase + 3599) == phase
    assert listings.regenerated_at(phase + 3600) == phase + 3600
    listings.publish([filing(1, "00700", "AFTER THE TICK", seq=1, when=NOW)])
    assert titles(listings.feed_page("sehk", 1, 1, "e")) == []  # it appears at the next regeneration
