"""Other filings of a watched stock, listed in one message: bursts, several stocks, filings found late
by the nightly check, and Chinese-only filings (resolved or not)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from slackblocks import all_text, assert_within_limits, block_texts, body

from monitor.filing import Filing, FilingKind
from monitor.messages import filings_message

MakeFiling = Callable[..., Filing]
PLACEHOLDER = ("An announcement has just been published by the issuer in the Chinese section of this "
               "website, a corresponding version of which may or may not be published in this section")


def test_burst_becomes_one_message(make_filing: MakeFiling) -> None:
    filings = [make_filing(f"20250827{i:05d}", kind=FilingKind.OTHER, title=f"Monthly return {i}")
               for i in range(30)]
    m = filings_message(filings, channel="#c")
    assert_within_limits(m)
    assert len(m.filing_ids) == 30 and m.kind == "filing"
    text = body(m)
    assert "SENSETIME-W (00020): 30 new filings" in text
    assert text.count("• ") == 20 and "… and 10 more" in text
    assert "Monthly return 0" in text and "_Announcements and Notices_ · 27 Aug 18:30" in text


def test_filings_of_several_stocks_name_each(make_filing: MakeFiling) -> None:
    m = filings_message([make_filing("1", kind=FilingKind.OTHER),
                         make_filing("2", codes=("02512",), stock_names=("CLOUD FACTORY",))], channel="#c")
    assert "Watched stocks: 2 new filings" in body(m) and "• CLOUD FACTORY (02512): " in body(m)
    with pytest.raises(ValueError):
        filings_message([], channel="#c")


def test_non_http_link_is_not_linked(make_filing: MakeFiling) -> None:
    m = filings_message([make_filing(url="javascript:alert(1)", kind=FilingKind.OTHER)], channel="#c")
    assert "javascript:" not in all_text(m)


def test_found_late_filings_are_marked(make_filing: MakeFiling) -> None:
    a, b = make_filing("A", kind=FilingKind.MONTHLY_RETURN), make_filing("B", kind=FilingKind.OTHER)
    all_late = filings_message([a, b], channel="#c", found_late={"A", "B"})
    said = ":mag: Found late by the nightly check: the live feed missed this filing"
    assert block_texts(all_late)[1] == said
    assert all_late.text.endswith("(2 found late by the nightly check)")
    one_late = filings_message([a, b], channel="#c", found_late={"B"})
    lines = block_texts(one_late)[1].splitlines()
    assert not lines[0].endswith("_found late by the nightly check_")
    assert lines[1].endswith(" · :mag: _found late by the nightly check_")
    assert "found late" not in all_text(filings_message([a, b], channel="#c"))


def test_chinese_only_filings(make_filing: MakeFiling) -> None:
    htm = "https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/2025082700124.htm"
    unresolved = make_filing("2025082700124", kind=FilingKind.OTHER, title=PLACEHOLDER, url=htm,
                             chinese_only=True, categories=("Announcements and Notices - [Other]",))
    zh_pdf = "https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/2025082700127_c.pdf"
    resolved = make_filing("2025082700126", kind=FilingKind.OTHER, title=PLACEHOLDER, chinese_only=True,
                           zh_title="董事會會議通告", url=zh_pdf)
    m = filings_message([unresolved, resolved], channel="#c")
    first, second = block_texts(m)[1].splitlines()
    assert first == (f"• <{htm}|Chinese-only filing on HKEXnews> _Announcements and Notices - [Other]_ · "
                     "27 Aug 18:30 · in Chinese only; its document could not be found in the Chinese "
                     "listings")
    assert second.startswith(f"• <{resolved.url}|董事會會議通告> _Announcements and Notices_")
    assert PLACEHOLDER not in all_text(m)
    assert m.text == "SENSETIME-W (00020): 2 new filings: Chinese-only filing; 董事會會議通告"
