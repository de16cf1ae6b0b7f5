"""Multi-file filings: the ``.htm`` folder page listing a filing's documents, and which one to read.

A filing made of several files ("Multi-Files": ``FILE_TYPE`` "" or "HTM") links to an HTML page
instead of a PDF. ``folder_page_links`` reads the page's PDF links; ``choose_folder_document`` picks
the one that holds the announcement itself. Pure: the client fetches the page and the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from monitor.filing import Filing

__all__ = ["FolderLink", "choose_folder_document", "folder_page_links", "is_folder_url"]


@dataclass(frozen=True)
class FolderLink:
    url: str  # absolute
    text: str


def is_folder_url(url: str) -> bool:
    """True for a link to an HTML page (a multi-file folder page, or a Chinese-only placeholder)."""
    return urlsplit(url).path.lower().endswith((".htm", ".html"))


def folder_page_links(body: bytes, page_url: str) -> tuple[FolderLink, ...]:
    """Every distinct PDF link on a folder page, made absolute against ``page_url``, in page order.
    Which of them may be fetched (same host only) is the caller's decision."""
    soup = BeautifulSoup(body, "html.parser")
    out: dict[str, FolderLink] = {}
    for a in soup.find_all("a", href=True):
        href = str(a.get("href") or "").strip()
        url = urljoin(page_url, href)
        if not urlsplit(url).path.lower().endswith(".pdf") or url in out:
            continue
        out[url] = FolderLink(url=url, text=re.sub(r"\s+", " ", a.get_text(" ", strip=True)))
    return tuple(out.values())


# The announcement itself, as against its attachments.
_ANNOUNCEMENT = re.compile(r"\bRESULTS?\b|\bANNOUNCEMENT\b|業績|公告|公佈")
_ATTACHMENT = re.compile(
    r"\bPROXY\b|\bFORM\b|\bREPLY SLIP\b|\bNOTIFICATION LETTER\b|\bLETTER\b|\bPRESENTATION\b|\bAPPENDIX\b"
    r"|\bCIRCULAR\b|\bNOTICE OF (?:ANNUAL |EXTRAORDINARY )?GENERAL MEETING\b|\bSLIDES?\b"
    r"|代表委任表格|回條|通知信函|簡報|附錄|通函")
_WORD = re.compile(r"[A-Z0-9]{3,}|[\u4e00-\u9fff]")


def _is_chinese_link(url: str) -> bool:
    return urlsplit(url).path.lower().rsplit(".", 1)[0].endswith("_c")


def choose_folder_document(links: Sequence[FolderLink], filing: Filing) -> FolderLink | None:
    """The folder page's link that holds the filing's announcement, or ``None`` if there is no PDF.

    Ranked by: not an attachment (proxy form, reply slip, presentation, appendix, circular);
    described as results or an announcement; sharing the most words with the filing's title; in
    the filing's language (English unless the filing is Chinese-only); earliest on the page.
    """
    if not links:
        return None
    title_words = set(_WORD.findall((filing.display_title or "").upper()))

    def rank(pair: tuple[int, FolderLink]) -> tuple[int, int, int, int, int]:
        index, link = pair
        text = link.text.upper()
        words = set(_WORD.findall(text))
        in_language = _is_chinese_link(link.url) == filing.chinese_only
        return (int(not _ATTACHMENT.search(text)), int(bool(_ANNOUNCEMENT.search(text))),
                len(words & title_words), int(in_language), -index)

    return max(enumerate(links), key=rank)[1]
