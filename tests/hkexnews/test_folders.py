"""Multi-file folder pages (``folders.py``): the announcement's PDF chosen from the folder, not its
attachments."""

from __future__ import annotations

from feedbuilder import title_answer, title_row

from monitor.filing import Filing
from monitor.hkexnews.chinese import (
    resolved_filing,
)
from monitor.hkexnews.feed import parse_title_search
from monitor.hkexnews.folders import FolderLink, choose_folder_document, folder_page_links

ZH = "https://www1.hkexnews.hk/ncms/json/eds/lcisehk1relsdc_1.json"
TS_ZH = "https://www1.hkexnews.hk/search/titleSearchServlet.do?stockId=1000020&lang=ZH"
FOLDER_PAGE = b"""<html><head><title>2025 Annual Results</title></head><body><ul>
<li><a href="/listedco/listconews/sehk/2026/0224/2026022400519.pdf">Proxy Form</a></li>
<li><a href="2026022400520.pdf"> Annual   Results Announcement 2025 </a></li>
<li><a href="https://www1.hkexnews.hk/listedco/listconews/sehk/2026/0224/2026022400521_c.pdf">ZH</a></li>
<li><a href="2026022400520.pdf">again</a></li>
<li><a href="/index.htm">Home</a></li>
</ul></body></html>"""


PAGE_URL = "https://www1.hkexnews.hk/listedco/listconews/sehk/2026/0224/2026022400518.htm"


def test_folder_page_links_are_absolute_pdfs_once_each() -> None:
    links = folder_page_links(FOLDER_PAGE, PAGE_URL)
    assert [link.url.rsplit("/", 1)[1] for link in links] == [
        "2026022400519.pdf",
        "2026022400520.pdf",
        "2026022400521_c.pdf",
    ]
    assert links[1].text == "Annual Results Announcement 2025"
    assert all(link.url.startswith("https://www1.hkexnews.hk/listedco/") for link in links)


def folder_filing(title: str, *, chinese_only: bool = False) -> Filing:
    (f,) = parse_title_search(
        title_answer(
            [
                title_row(
                    1,
                    ["00005"],
                    ["HSBC HOLDINGS"],
                    title,
                    path="/listedco/listconews/sehk/2026/0224/2026022400518.htm",
                    file_type="",
                    categories="Final Results",
                )
            ],
            has_next=False,
        ),
        TS_ZH,
    ).filings
    return f if not chinese_only else resolved_filing(f, f, "test")


def test_choose_the_announcement_not_its_attachments() -> None:
    links = folder_page_links(FOLDER_PAGE, PAGE_URL)
    assert choose_folder_document(links, folder_filing("2025 ANNUAL RESULTS")) == links[1]


def test_choose_by_title_words_then_page_order() -> None:
    links = [
        FolderLink("https://h/a.pdf", "Appendix I"),
        FolderLink("https://h/b.pdf", "Document 1"),
        FolderLink("https://h/c.pdf", "Interim Report 2025"),
        FolderLink("https://h/d.pdf", "Document 2"),
    ]
    assert choose_folder_document(links, folder_filing("INTERIM REPORT 2025")).url == "https://h/c.pdf"
    assert choose_folder_document(links[:2] + links[3:], folder_filing("X")).url == "https://h/b.pdf"
    assert choose_folder_document([], folder_filing("X")) is None
