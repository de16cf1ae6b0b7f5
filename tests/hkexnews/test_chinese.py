"""Chinese-only placeholders matched to their Chinese document (``chinese.py``): the pure rules, one case per
trap."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from feedbuilder import feed_item, feed_page, title_answer, title_row

from monitor.filing import HKT, Filing, FilingKind
from monitor.hkexnews.chinese import (
    is_unresolved,
    match_chinese_original,
    needs_lookup,
    resolved_filing,
    unresolved_filing,
    unresolved_reason,
)
from monitor.hkexnews.feed import parse_latest_page, parse_title_search

EN = "https://www1.hkexnews.hk/ncms/json/eds/lcisehk1relsde_1.json"
ZH = "https://www1.hkexnews.hk/ncms/json/eds/lcisehk1relsdc_1.json"
TS_ZH = "https://www1.hkexnews.hk/search/titleSearchServlet.do?stockId=1000020&lang=ZH"
DAY = "/listedco/listconews/sehk/2026/0410/"
WHEN = datetime(2026, 4, 10, 18, 31, tzinfo=HKT)
PLACEHOLDER_TITLE = (
    "An announcement has just been published by the issuer in the Chinese section of this website, "
    "a corresponding version of which may or may not be published in this section"
)


def english(items: list[dict[str, Any]]) -> tuple[Filing, ...]:
    return parse_latest_page(feed_page(items), EN).filings


def placeholder(
    seq: int = 999,
    *,
    codes: tuple[str, ...] = ("00020",),
    categories: str = "Interim Results",
    t2: str = "13400",
    when: datetime = WHEN,
) -> Filing:
    (f,) = english(
        [
            feed_item(
                12102499,
                [(c, "SENSETIME-W") for c in codes],
                PLACEHOLDER_TITLE,
                path=f"{DAY}20260410{seq:05d}.htm",
                ext="htm",
                size="1KB",
                when=when,
                categories=categories,
                t2=t2,
            )
        ]
    )
    assert f.chinese_only
    return f


def chinese(
    seq: int,
    *,
    news_id: int = 12102500,
    codes: tuple[str, ...] = ("00020",),
    when: datetime = WHEN,
    categories: str = "中期業績",
    t2: str = "13400",
    title: str = "截至2025年6月30日止六個月之中期業績公告",
    ext: str = "pdf",
    headline: str = "公告及通告",
    t1: str = "10000",
) -> Filing:
    (f,) = parse_latest_page(
        feed_page(
            [
                feed_item(
                    news_id,
                    [(c, "商湯－Ｗ") for c in codes],
                    title,
                    path=f"{DAY}20260410{seq:05d}_c.{ext}",
                    when=when,
                    headline=headline,
                    categories=categories,
                    t1=t1,
                    t2=t2,
                    ext=ext,
                )
            ]
        ),
        ZH,
    ).filings
    return f


def test_the_chinese_document_has_a_number_of_its_own() -> None:
    ph = placeholder(999)
    found = match_chinese_original(ph, [chinese(1000)])
    assert found is not None and found.url.endswith("2026041001000_c.pdf")
    resolved = resolved_filing(ph, found, "Chinese feed")
    assert resolved.id == "2026041000999" and resolved.news_id == 12102499  # the English listing's keys
    assert resolved.url == resolved.zh_url == found.url and resolved.chinese_only
    assert resolved.zh_title == "截至2025年6月30日止六個月之中期業績公告" == resolved.display_title
    assert resolved.kind is FilingKind.INTERIM_RESULTS and resolved.title == PLACEHOLDER_TITLE
    assert dict(resolved.extra) == {"chinese_only_source": "Chinese feed", "zh_news_id": "12102500"}
    assert not is_unresolved(resolved) and not needs_lookup(resolved)


@pytest.mark.parametrize(
    "candidate, why",
    [
        (lambda: chinese(1000, codes=("00700",)), "another stock"),
        (lambda: chinese(1000, when=WHEN + timedelta(minutes=2)), "released two minutes later"),
        (lambda: chinese(1000, categories="末期業績", t2="13300"), "another category (codes)"),
        (lambda: chinese(1000, categories="末期業績", t2="NaN"), "another category (Chinese label only)"),
        (lambda: chinese(1000, headline="月報表", categories="", t1="51500", t2="NaN"), "a monthly return"),
    ],
)
def test_what_does_not_match(candidate: Any, why: str) -> None:
    assert match_chinese_original(placeholder(999), [candidate()]) is None, why


def test_a_minute_boundary_is_tolerated_but_the_same_minute_wins() -> None:
    ph = placeholder(999)
    late = chinese(1003, when=WHEN + timedelta(minutes=1))
    assert match_chinese_original(ph, [late]) == late
    exact = chinese(1007)
    assert match_chinese_original(ph, [late, exact]) == exact


def test_chinese_title_search_rows_match_on_their_chinese_labels() -> None:
    rows = [
        title_row(
            12102500,
            ["00020"],
            ["商湯－Ｗ"],
            "截至2025年6月30日止六個月之中期業績公告",
            path=f"{DAY}2026041001000_c.pdf",
            when=WHEN,
            headline="公告及通告",
            categories="中期業績",
        ),
        title_row(
            12102510,
            ["00020"],
            ["商湯－Ｗ"],
            "董事會會議召開日期",
            path=f"{DAY}2026041001010_c.pdf",
            when=WHEN,
            headline="公告及通告",
            categories="董事會召開日期",
        ),
    ]
    candidates = parse_title_search(title_answer(rows, has_next=False), TS_ZH).filings
    found = match_chinese_original(placeholder(999), candidates)
    assert found is not None and found.id == "2026041001000"


def test_the_chinese_twin_of_a_bilingual_filing_is_not_taken() -> None:
    # Same stock, same minute, both "Others": one Chinese document belongs to an English filing
    # (numbered English + 1); the other is the Chinese-only one.
    ph = placeholder(999, categories="Others", t2="NaN")
    bilingual = english(
        [
            feed_item(
                12102497,
                [("00020", "SENSETIME-W")],
                "VOLUNTARY ANNOUNCEMENT",
                path=f"{DAY}2026041000997.pdf",
                when=WHEN,
                categories="Others",
            )
        ]
    )
    twin = chinese(998, news_id=12102498, categories="其他", t2="NaN", title="自願公告")
    own = chinese(1004, news_id=12102504, categories="其他", t2="NaN", title="內幕消息")
    assert match_chinese_original(ph, [twin, own], bilingual=bilingual) == own


def test_a_tie_is_no_match() -> None:
    ph = placeholder(1000, categories="Others", t2="NaN")
    left = chinese(999, news_id=1, categories="其他", t2="NaN")
    right = chinese(1001, news_id=2, categories="其他", t2="NaN")
    assert match_chinese_original(ph, [left, right]) is None
    assert match_chinese_original(ph, [right]) == right


def test_placeholders_are_never_candidates() -> None:
    ph = placeholder(999)
    other = placeholder(1000)
    assert match_chinese_original(ph, [other, ph]) is None


def test_unresolved_filing_says_why() -> None:
    ph = placeholder(999)
    assert needs_lookup(ph) and is_unresolved(ph)
    gone = unresolved_filing(ph, "no match in the SEHK Chinese feed")
    assert gone.chinese_only and gone.zh_url is None and gone.url.endswith(".htm")
    assert unresolved_reason(gone) == "no match in the SEHK Chinese feed"
    assert is_unresolved(gone) and not needs_lookup(gone)
