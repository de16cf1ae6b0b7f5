"""One title-search answer (``feed/titlesearch.py``): JSON inside JSON, ``"null"`` answers, real answers'
quirks, shape errors."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from feedbuilder import (
    SAMPLE_TITLE_SEARCH_TEXT,
    real_answer_text,
    title_answer,
    title_row,
)

from monitor.errors import FeedShapeError
from monitor.filing import HKT, FilingKind
from monitor.hkexnews.feed import (
    parse_title_search,
)

TS_URL = "https://www1.hkexnews.hk/search/titleSearchServlet.do?stockId=7609"


def test_parse_title_search_documented_sample() -> None:
    page = parse_title_search(json.loads(SAMPLE_TITLE_SEARCH_TEXT), TS_URL)
    assert not page.has_next_row and page.row_range == 100 and page.loaded == 1 and page.total == 1
    (f,) = page.filings
    assert f.id == "2025082903326" and f.news_id == 11819680
    assert f.stock_codes == ("00007",) and f.stock_names == ("WISDOM WEALTH",)
    assert f.title == "ANNOUNCEMENT OF UNAUDITED INTERIM RESULTS FOR THE SIX MONTHS ENDED 30 JUNE 2025"
    assert f.categories == ("Interim Results",) and f.kind is FilingKind.INTERIM_RESULTS
    assert f.released_at == datetime(2025, 8, 29, 21, 42, tzinfo=HKT)
    assert f.url == "https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0829/2025082903326.pdf"
    assert f.size_bytes == 749 * 1024 and f.file_type == "PDF" and f.t1_code == "" and f.t2_codes == ()


def test_parse_title_search_multi_counter_and_entities() -> None:
    row = title_row(
        11,
        ["00700", "80700"],
        ["TENCENT", "TENCENT-R"],
        "ANNUAL RESULTS &amp; FINAL DIVIDEND",
        path="/listedco/listconews/sehk/2026/0318/2026031800111.pdf",
        categories="Final Results &#x2f; Dividend or Distribution",
    )
    page = parse_title_search(title_answer([row], has_next=False), TS_URL)
    (f,) = page.filings
    assert f.stock_codes == ("00700", "80700") and f.stock_names == ("TENCENT", "TENCENT-R")
    assert f.categories == ("Final Results", "Dividend or Distribution")
    assert f.title == "ANNUAL RESULTS & FINAL DIVIDEND" and f.kind is FilingKind.FINAL_RESULTS


def test_parse_title_search_null_with_no_count_is_no_rows_unconfirmed() -> None:
    page = parse_title_search(title_answer(None, has_next=False), TS_URL)
    assert page.unconfirmed and page.filings == () and page.total == 0 and not page.has_next_row


def test_parse_title_search_null_with_rows_counted_is_a_refusal() -> None:
    with pytest.raises(FeedShapeError) as err:
        parse_title_search(title_answer(None, has_next=False, total=12), TS_URL)
    assert "'result' is 'null' but recordCnt is 12" in str(err.value) and TS_URL in str(err.value)


@pytest.mark.parametrize(
    "mutate, needle",
    [
        (lambda o: o.pop("result"), "missing key 'result'"),
        (lambda o: o.pop("hasNextRow"), "missing key 'hasNextRow'"),
        (lambda o: o.update(hasNextRow="false"), "'hasNextRow' should be true/false"),
        (lambda o: o.update(result=[{"NEWS_ID": "1"}]), "'result' should be a JSON string"),
        (lambda o: o.update(result="[{"), "'result' is not a JSON array"),
        (lambda o: o.update(result='{"a":1}'), "'result' should hold a list"),
        (lambda o: o.update(result=json.dumps([{"NEWS_ID": "1"}])), "result[0]: missing key 'STOCK_CODE'"),
    ],
)
def test_parse_title_search_shape_errors(mutate, needle) -> None:  # type: ignore[no-untyped-def]
    obj = json.loads(SAMPLE_TITLE_SEARCH_TEXT)
    mutate(obj)
    with pytest.raises(FeedShapeError) as err:
        parse_title_search(obj, TS_URL)
    assert needle in str(err.value) and TS_URL in str(err.value)


def test_parse_title_search_keeps_low_news_ids() -> None:
    rows = [
        title_row(
            3_449_171,
            ["00700"],
            ["TENCENT"],
            "ANNOUNCEMENT",
            path="/x/2019010100001.pdf",
            when="01/01/2019 08:00",
        )
    ]
    (f,) = parse_title_search(title_answer(rows, has_next=False), TS_URL).filings
    assert f.news_id == 3_449_171 and f.id == "2019010100001"


def test_real_answer_quirks_extra_keys_escapes_and_lang() -> None:
    row = title_row(
        11,
        ["00700", "80700"],
        ["TENCENT", "TENCENT-R"],
        "RESULTS &amp; DIVIDEND <b>2025</b>",
        path="/listedco/listconews/sehk/2026/0318/2026031800111.pdf",
        categories="Final Results",
    )
    text = real_answer_text(title_answer([row], has_next=False, lang="E"))
    assert b"\\u003cbr/>" in text and b"sortList" in text
    page = parse_title_search(json.loads(text), TS_URL.replace("lang=E", "lang=EN"))
    (f,) = page.filings
    assert f.stock_codes == ("00700", "80700") and f.title == "RESULTS & DIVIDEND 2025"
    assert f.kind is FilingKind.FINAL_RESULTS
