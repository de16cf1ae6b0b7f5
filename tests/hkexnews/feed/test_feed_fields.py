"""One value of a row (``feed/fields.py``): one trap per test, tables of input and expected output."""

from __future__ import annotations

from datetime import datetime

import pytest
from feedbuilder import (
    MAINTENANCE_HTML,
    PLACEHOLDER_HTML,
    pdf_bytes,
)

from monitor.errors import FeedShapeError
from monitor.filing import HKT
from monitor.hkexnews.feed import (
    board_of,
    document_stem,
    headline_revision,
    is_chinese_placeholder,
    load_json_body,
    normalise_stock_code,
    parse_category_codes,
    parse_rel_time,
    parse_size,
    split_multi_counter,
    unescape_title,
)

URL = "https://www1.hkexnews.hk/ncms/json/eds/lcisehk1relsde_1.json?_=1"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("00700<br/>80700", ("00700", "80700")),
        ("00700<br>80700", ("00700", "80700")),
        ("00700<BR />80700", ("00700", "80700")),
        ("TENCENT<br/>TENCENT-R", ("TENCENT", "TENCENT-R")),
        ("01906", ("01906",)),
        ("", ()),
        ("<b>00005</b>", ("00005",)),
    ],
)
def test_split_multi_counter(raw: str, expected: tuple[str, ...]) -> None:
    assert split_multi_counter(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        (
            "PROPOSED SHARE CONSOLIDATION &amp; CHANGE IN BOARD LOT SIZE",
            "PROPOSED SHARE CONSOLIDATION & CHANGE IN BOARD LOT SIZE",
        ),
        ("ANNUAL REPORT 2025&#x2f;2026", "ANNUAL REPORT 2025/2026"),
        ("A&#x3b; B", "A; B"),
        (
            "ANNOUNCEMENT OF UNAUDITED INTERIM RESULTS\nFOR THE SIX MONTHS",
            "ANNOUNCEMENT OF UNAUDITED INTERIM RESULTS FOR THE SIX MONTHS",
        ),
        ("  TWO\r\n LINES  ", "TWO LINES"),
    ],
)
def test_unescape_title(raw: str, expected: str) -> None:
    assert unescape_title(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("11200,11300", ("11200", "11300")),
        ("13400", ("13400",)),
        ("NaN", ()),
        ("13300,NaN", ("13300",)),
        ("", ()),
        (None, ()),
        (" 13300 , 13250 ", ("13300", "13250")),
    ],
)
def test_parse_category_codes(raw: object, expected: tuple[str, ...]) -> None:
    assert parse_category_codes(raw) == expected


def test_parse_category_codes_rejects_junk() -> None:
    with pytest.raises(ValueError, match="'13X00'"):
        parse_category_codes("13X00")


@pytest.mark.parametrize(
    "raw, expected",
    [("00700", "00700"), ("700", "00700"), ("20", "00020"), (" 80020 ", "80020"), (2512, "02512")],
)
def test_normalise_stock_code(raw: object, expected: str) -> None:
    assert normalise_stock_code(raw) == expected


@pytest.mark.parametrize("raw", ["NaN", "", "00700<br/>80700", "0070080700", "ABC", "00000", None])
def test_normalise_stock_code_rejects(raw: object) -> None:
    with pytest.raises(ValueError):
        normalise_stock_code(raw)


def test_parse_rel_time_is_hong_kong_time() -> None:
    when = parse_rel_time("10/04/2026 22:55")
    assert when == datetime(2026, 4, 10, 22, 55, tzinfo=HKT)
    assert when.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]
    assert when.isoformat() == "2026-04-10T22:55:00+08:00"


@pytest.mark.parametrize("raw", ["2026-04-10 22:55", "10/04/2026", "31/02/2026 10:00", "", "NaN"])
def test_parse_rel_time_rejects(raw: str) -> None:
    with pytest.raises(ValueError, match="DD/MM/YYYY HH:MM"):
        parse_rel_time(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("374KB", 374 * 1024),
        ("749KB", 749 * 1024),
        ("1MB", 1024 * 1024),
        ("1.5MB", 1572864),
        ("12 kb", 12 * 1024),
        ("900B", 900),
        ("", None),
        (None, None),
        ("Multi-Files", None),
    ],
)
def test_parse_size(raw: object, expected: int | None) -> None:
    assert parse_size(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("/listedco/listconews/sehk/2026/0410/2026041001769.pdf", "2026041001769"),
        ("/listedco/listconews/sehk/2026/0410/2026041001769_c.pdf", "2026041001769"),
        ("/listedco/listconews/gem/2025/0827/2025082700123.htm", "2025082700123"),
        ("https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/2025082700123_c.htm", "2025082700123"),
    ],
)
def test_document_stem(raw: str, expected: str) -> None:
    assert document_stem(raw) == expected


@pytest.mark.parametrize("raw", ["", "/listedco/listconews/sehk/2026/0410/", "/x/_c.pdf"])
def test_document_stem_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        document_stem(raw)


def test_is_chinese_placeholder() -> None:
    assert is_chinese_placeholder(PLACEHOLDER_HTML, "text/html; charset=utf-8")
    assert is_chinese_placeholder(PLACEHOLDER_HTML, None)
    assert not is_chinese_placeholder(pdf_bytes(), "application/pdf")
    assert not is_chinese_placeholder(MAINTENANCE_HTML, "text/html")
    assert not is_chinese_placeholder(PLACEHOLDER_HTML + b" " * 20000, "text/html")  # not ~1 KB
    assert not is_chinese_placeholder(PLACEHOLDER_HTML, "application/octet-stream")


@pytest.mark.parametrize(
    "path, market, expected",
    [
        ("/listedco/listconews/sehk/2026/0410/1.pdf", "SEHK", "sehk"),
        ("/listedco/listconews/gem/2026/0410/1.pdf", None, "gem"),
        ("/listedco/listconews/sehk/2026/0410/1.pdf", "GEM", "gem"),
    ],
)
def test_board_of(path: str, market: str | None, expected: str) -> None:
    assert board_of(path, market) == expected


def test_load_json_body_decodes_json() -> None:
    assert load_json_body(b'{"a": 1}', "application/json", URL) == {"a": 1}
    assert load_json_body(b"\xef\xbb\xbf[1]", "text/javascript", URL) == [1]  # BOM
    assert load_json_body(b'{"a": 1}', "text/html", URL) == {"a": 1}  # the body decides


def test_load_json_body_html_maintenance_page_is_a_shape_error() -> None:
    with pytest.raises(FeedShapeError) as err:
        load_json_body(MAINTENANCE_HTML, "text/html", URL)
    assert URL in str(err.value) and "HTML" in str(err.value) and "System Maintenance" in str(err.value)
    assert err.value.url == URL


def test_load_json_body_html_without_content_type() -> None:
    with pytest.raises(FeedShapeError, match="HTML"):
        load_json_body(b"\n  <html><body>busy</body></html>", None, URL)


def test_load_json_body_junk() -> None:
    with pytest.raises(FeedShapeError, match="expected JSON"):
        load_json_body(b"callback({})", "application/json", URL)


@pytest.mark.parametrize(
    "texts, expected",
    [
        (("(Headlines Revised) Announcements and Notices - [Final Results]<br/>",), "revised"),
        (
            ("(Cancelled since Headlines Superseded and Replaced) Announcements and Notices - [Other]",),
            "superseded",
        ),
        (("", "", "(Headlines Revised) INTERIM RESULTS ANNOUNCEMENT"), "revised"),
        (("(修改後標題) 公告及通告 - [其他]",), "revised"),
        (("Announcements and Notices - [Final Results]",), None),
    ],
)
def test_headline_revision(texts: tuple[str, ...], expected: str | None) -> None:
    assert headline_revision(*texts) == expected
