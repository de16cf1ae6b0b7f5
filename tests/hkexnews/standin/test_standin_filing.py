"""One published filing as each listing shows it (``standin/filing.py``): the feed item in the
documented keys, the Chinese version under a number of its own, the title-search row with its
``<br/>``-joined counters, a Chinese-only placeholder's English listing and a re-filed headline."""

from __future__ import annotations

from datetime import datetime

from monitor.filing import HKT
from monitor.hkexnews.standin import PLACEHOLDER_TITLE, StandInFiling

WHEN = datetime(2026, 4, 10, 22, 55, tzinfo=HKT)
DOCUMENTED_KEYS = {"newsId", "lTxt", "sTxt", "title", "ext", "size", "webPath", "market", "multi", "stock",
                   "relTime", "t1Code", "t2Code"}


def tencent(title: str = "INTERIM RESULTS", ext: str = "pdf", **kw: object) -> StandInFiling:
    return StandInFiling(12102478, [("00700", "TENCENT"), ("80700", "TENCENT-R")], title, "Interim Results",
                         "13400", WHEN, f"/listedco/listconews/sehk/2026/0410/2026041001769.{ext}",
                         b"%PDF-1.4 " + b"x" * 4096, **kw)  # type: ignore[arg-type]


def test_the_feed_item_has_the_documented_keys_and_values() -> None:
    item = tencent().feed_item()
    assert set(item) == DOCUMENTED_KEYS
    assert item["relTime"] == "10/04/2026 22:55"
    assert item["lTxt"] == "Announcements and Notices - [Interim Results]"
    assert item["stock"] == [{"sc": "00700", "sn": "TENCENT"}, {"sc": "80700", "sn": "TENCENT-R"}]
    assert item["multi"] == 1 and item["market"] == "SEHK" and item["size"] == "4KB"


def test_the_chinese_version_has_a_number_of_its_own() -> None:
    f = tencent(zh_title="中期業績", zh_document=b"%PDF-zh")
    assert f.zh_path == "/listedco/listconews/sehk/2026/0410/2026041001770_c.pdf" and f.has_chinese
    zh = f.feed_item("c")
    assert zh["newsId"] == 12102479 and zh["title"] == "中期業績" and zh["lTxt"] == "公告及通告 - [中期業績]"
    assert not tencent(zh_title="中期業績", zh_listed=False).has_chinese and not tencent().has_chinese


def test_the_title_search_row_joins_counters_and_escapes_the_title() -> None:
    row = tencent(title="RESULTS & DIVIDEND").title_search_row()
    assert row["STOCK_CODE"] == "00700<br/>80700" and row["STOCK_NAME"] == "TENCENT<br/>TENCENT-R"
    assert row["TITLE"] == "RESULTS &amp; DIVIDEND" and row["FILE_TYPE"] == "PDF"
    assert row["SHORT_TEXT"].endswith("<br/>") and row["DATE_TIME"] == "10/04/2026 22:55"


def test_a_chinese_only_filing_is_listed_in_english_as_the_placeholder() -> None:
    item = tencent(chinese_only=True, ext="htm").feed_item()
    assert item["title"] == PLACEHOLDER_TITLE and item["ext"] == "htm"


def test_a_refiled_headline_carries_its_prefix_in_the_short_text_only() -> None:
    item = tencent(revision="revised").feed_item()
    assert item["sTxt"].startswith("(Headlines Revised) ") and not item["lTxt"].startswith("(")
