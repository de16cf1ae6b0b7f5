"""One named function per trap in a single value of an HKEXnews answer: pure, no network, no clock.

Multi-counter ``<br/>`` codes, tooltip HTML and entities in titles, revised-headline prefixes,
``"NaN"`` and comma-list category codes, release times in Hong Kong time, document stems (the
filing id), Chinese paths and placeholders, boards, and HTML pages where JSON was expected. The
shape checks every answer shares (``require_key``, ``require_count``) raise ``FeedShapeError``
naming the URL and what was wrong.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from monitor.errors import FeedShapeError
from monitor.filing import HKT
from monitor.settings import normalise_code

log = logging.getLogger(__name__)

PLACEHOLDER_PHRASE = "published by the issuer in the chinese section"
PLACEHOLDER_MAX_BYTES = 16 * 1024
# ``Filing.extra`` key noting a re-filed headline; its value is REVISED or SUPERSEDED.
EXTRA_REVISION = "headline_revision"
REVISED, SUPERSEDED = "revised", "superseded"

_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_WS = re.compile(r"\s+")


def split_multi_counter(value: str) -> tuple[str, ...]:
    """``"00700<br/>80700"`` -> ``("00700", "80700")``; other tags are stripped, blanks dropped."""
    parts = (_TAG.sub("", p).strip() for p in _BR.split(value or ""))
    return tuple(p for p in parts if p)


def unescape_title(value: str) -> str:
    """Strip tags (tooltip HTML), unescape entities (``&amp;``, ``&#x2f;``, ``&#x3b;``), fold
    newlines and runs of spaces to one space. Tags go first, so an escaped ``&lt;`` survives."""
    text = _TAG.sub(" ", _BR.sub(" ", value or ""))
    return _WS.sub(" ", html.unescape(text)).strip()


_REVISION_PREFIXES = (
    (re.compile(r"^\(\s*Headlines?\s+Revised\s*\)\s*", re.IGNORECASE), REVISED),
    (re.compile(r"^\(\s*Cancelled\s+since\s+Headlines?\s+Superseded\s+and\s+Replaced\s*\)\s*",
                re.IGNORECASE), SUPERSEDED),
    (re.compile(r"^[(（]\s*修改後標題\s*[)）]\s*"), REVISED),
)


def strip_revision(text: str) -> tuple[str, str | None]:
    """(the text without its revised-headline prefix, ``"revised"``/``"superseded"`` or ``None``)."""
    for pattern, kind in _REVISION_PREFIXES:
        m = pattern.match(text)
        if m:
            return text[m.end():], kind
    return text, None


def headline_revision(*texts: str) -> str | None:
    """``"revised"`` for a "(Headlines Revised)" re-filing, ``"superseded"`` for a "(Cancelled since
    Headlines Superseded and Replaced)" one, else ``None``; the first text carrying a prefix wins
    (SHORT_TEXT, then LONG_TEXT, then the title)."""
    for text in texts:
        _, kind = strip_revision(unescape_title(text))
        if kind is not None:
            return kind
    return None


def headline_segments(long_text: str) -> list[str]:
    """Each ``<br/>``-separated "Headline - [labels]" of a LONG_TEXT, cleaned, prefix removed."""
    out = []
    for part in _BR.split(long_text or ""):
        text = unescape_title(part)
        text, _ = strip_revision(text)
        if text:
            out.append(text)
    return out


def parse_category_codes(value: object) -> tuple[str, ...]:
    """A ``t1Code`` or ``t2Code`` value: ``"11200,11300"`` -> ``("11200", "11300")``; ``"NaN"`` and
    blanks are dropped. Anything else that is not digits raises ``ValueError``."""
    if value is None:
        return ()
    out: list[str] = []
    for part in str(value).split(","):
        part = part.strip()
        if not part or part.lower() == "nan":
            continue
        if not part.isdigit():
            raise ValueError(f"category code {part!r} in {value!r} is not digits")
        out.append(part)
    return tuple(out)


def normalise_stock_code(value: object) -> str:
    """``"20"``/``"00020"`` -> ``"00020"``; ``"NaN"``, blanks and junk raise ``ValueError``."""
    return normalise_code(value)


def parse_rel_time(value: str) -> datetime:
    """``"10/04/2026 22:55"`` (DD/MM/YYYY HH:MM, Hong Kong time) -> aware datetime in HKT."""
    try:
        naive = datetime.strptime(str(value).strip(), "%d/%m/%Y %H:%M")
    except ValueError:
        raise ValueError(f"release time {value!r} is not DD/MM/YYYY HH:MM") from None
    return naive.replace(tzinfo=HKT)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)\s*$", re.IGNORECASE)
_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def parse_size(value: object) -> int | None:
    """``"374KB"`` -> 382976 bytes. Blank or unrecognised -> ``None`` (size is informational only)."""
    m = _SIZE.match(str(value or ""))
    if not m:
        if value:
            log.debug("unrecognised document size %r", value)
        return None
    return int(float(m.group(1)) * _UNITS[m.group(2).upper()])


def document_stem(web_path: str) -> str:
    """``".../2026041001769.pdf"`` -> ``"2026041001769"``: the filing id (``_c`` dropped).

    A Chinese document has a number of its own (usually the English one plus 1), so the stem of a
    Chinese path names the Chinese document, not its English twin.
    """
    name = (web_path or "").split("?", 1)[0].rsplit("/", 1)[-1]
    stem, dot, _ext = name.rpartition(".")
    stem = stem.removesuffix("_c").removesuffix("_C")
    if not dot or not stem or not re.fullmatch(r"[A-Za-z0-9_-]+", stem):
        raise ValueError(f"no document name in path {web_path!r}")
    return stem


def is_chinese_path(web_path: str) -> bool:
    """True for a document in the Chinese section (``..._c.pdf``)."""
    name = (web_path or "").split("?", 1)[0].rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0].lower().endswith("_c")


def is_placeholder_title(title: str) -> bool:
    """True for the English listings' generic title of a Chinese-only filing ("An announcement has
    just been published by the issuer in the Chinese section of this website, ...")."""
    return PLACEHOLDER_PHRASE in unescape_title(title).lower()


def is_chinese_placeholder(body: bytes, content_type: str | None = None) -> bool:
    """True for the ~1 KB English HTM page saying the filing is only in the Chinese section."""
    if len(body) > PLACEHOLDER_MAX_BYTES or body.lstrip()[:5] == b"%PDF-":
        return False
    if content_type and not any(t in content_type.lower() for t in ("html", "text")):
        return False
    text = _WS.sub(" ", _TAG.sub(" ", body.decode("utf-8", "replace"))).lower()
    return PLACEHOLDER_PHRASE in text


def board_of(web_path: str, market: str | None = None) -> str:
    """``"gem"`` when the market says GEM or the document lives under ``/gem/``, else ``"sehk"``."""
    if (market or "").strip().upper() == "GEM" or "/gem/" in (web_path or "").lower():
        return "gem"
    return "sehk"


def load_json_body(body: bytes, content_type: str | None, url: str) -> Any:
    """Decode a JSON answer; an HTML page (maintenance, block page) or junk raises ``FeedShapeError``.

    The body decides, not the Content-Type: JSON served as text/html is still accepted.
    """
    head = body.lstrip()[:200]
    if head[:1] != b"<":
        try:
            return json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            if "html" not in (content_type or "").lower():
                raise FeedShapeError(f"{url}: expected JSON, got {len(body)} bytes starting {head[:80]!r}: "
                                     f"{exc}", url=url) from exc
    title = re.search(rb"<title[^>]*>(.*?)</title>", body[:4096], re.IGNORECASE | re.DOTALL)
    what = f" titled {title.group(1).decode('utf-8', 'replace').strip()!r}" if title else ""
    raise FeedShapeError(f"{url}: expected JSON, got an HTML page{what} "
                         f"(maintenance or block page?): {head[:80]!r}", url=url)


def require_key(obj: Mapping[str, Any], key: str, url: str, where: str = "") -> Any:
    """``obj[key]``; a missing key raises ``FeedShapeError`` naming the URL and the keys there are."""
    if key not in obj:
        raise FeedShapeError(f"{url}: {where}missing key {key!r} (keys: {sorted(obj)[:20]})", url=url)
    return obj[key]


def require_count(obj: Mapping[str, Any], key: str, url: str) -> int:
    """``obj[key]`` as a non-negative integer (HKEXnews sends numbers or digit strings)."""
    value = require_key(obj, key, url)
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
        raise FeedShapeError(f"{url}: {key!r} should be a non-negative integer, got {value!r}", url=url)
    return int(value)
