"""Chinese-only filings: the English listings' placeholder and the real Chinese document behind it.

A filing published only in Chinese appears in the English listings under a generic title with an
``.htm`` link and its real category (hkexnews.md section 5). Its document and real title are in the
Chinese listings (the ``...relsdc_`` feed, or a ``lang=ZH`` title search), under a document number
of its own. ``match_chinese_original`` is the one rule that pairs the two; the other functions build
the resolved or unresolved record. Pure: no network, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

from monitor.filing import Filing
from monitor.hkexnews.feed import category_codes, classify

__all__ = [
    "EXTRA_SOURCE", "EXTRA_UNRESOLVED", "MATCH_TOLERANCE", "is_unresolved", "match_chinese_original",
    "needs_lookup", "resolved_filing", "unresolved_filing", "unresolved_reason",
]

# ``Filing.extra`` keys: which Chinese listing gave the document, or why none did.
EXTRA_SOURCE = "chinese_only_source"
EXTRA_UNRESOLVED = "chinese_only_unresolved"
EXTRA_ZH_NEWS_ID = "zh_news_id"
# Both listings stamp one filing with the same minute; one minute either side absorbs a filing
# released on a minute boundary.
MATCH_TOLERANCE = timedelta(minutes=1)
_T1_LEVEL = frozenset({"10000", "40000", "50000", "51500"})


def _number(filing: Filing) -> int | None:
    return int(filing.id) if filing.id.isdigit() else None


def _category_fit(placeholder: Filing, candidate: Filing) -> int | None:
    """2: the specific categories agree; 1: nothing to compare (or only the headline agrees);
    None: they contradict each other."""
    mine, theirs = category_codes(placeholder), category_codes(candidate)
    mine_t2, theirs_t2 = mine - _T1_LEVEL, theirs - _T1_LEVEL
    if mine_t2 and theirs_t2:
        return 2 if mine_t2 & theirs_t2 else None
    mine_t1, theirs_t1 = mine & _T1_LEVEL, theirs & _T1_LEVEL
    if mine_t1 and theirs_t1 and not mine_t1 & theirs_t1:
        return None
    return 1


def _is_twin_of_bilingual(candidate: Filing, bilingual: Iterable[Filing]) -> bool:
    """The Chinese version of a filing that has an English one too: usually numbered English + 1."""
    number = _number(candidate)
    for english in bilingual:
        if english.chinese_only or not set(english.stock_codes) & set(candidate.stock_codes):
            continue
        if candidate.news_id == english.news_id + 1:
            return True
        other = _number(english)
        if number is not None and other is not None and number == other + 1:
            return True
    return False


def match_chinese_original(placeholder: Filing, candidates: Iterable[Filing], *,
                           bilingual: Iterable[Filing] = (),
                           tolerance: timedelta = MATCH_TOLERANCE) -> Filing | None:
    """The Chinese-listing record of a Chinese-only placeholder, or ``None`` when no single one fits.

    A candidate fits when it lists one of the placeholder's stocks, was released within
    ``tolerance`` of it, is not a placeholder itself, and its categories (codes, or labels in
    either language) do not contradict the placeholder's. Among those that fit, the best has the
    specific category in common, then the same minute, then a PDF, then is not the Chinese twin of
    an English filing in ``bilingual`` (a filing published in both languages), then the document
    number nearest the placeholder's (the Chinese number is usually the English one plus 1). A tie
    at the top gives ``None``: a wrong document is worse than none.
    """
    ranked: list[tuple[tuple[int, int, int, int, int], Filing]] = []
    english = tuple(bilingual)
    mine = _number(placeholder)
    for cand in candidates:
        if cand.chinese_only or cand.id == placeholder.id:
            continue
        if not set(cand.stock_codes) & set(placeholder.stock_codes):
            continue
        apart = abs(cand.released_at - placeholder.released_at)
        if apart > tolerance:
            continue
        fit = _category_fit(placeholder, cand)
        if fit is None:
            continue
        number = _number(cand)
        distance = abs(number - mine) if number is not None and mine is not None else 10**9
        rank = (fit, int(apart == timedelta(0)), int(cand.url.lower().endswith(".pdf")),
                int(not _is_twin_of_bilingual(cand, english)), -distance)
        ranked.append((rank, cand))
    if not ranked:
        return None
    ranked.sort(key=lambda pair: pair[0], reverse=True)
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0] and ranked[0][1].id != ranked[1][1].id:
        return None
    return ranked[0][1]


def resolved_filing(placeholder: Filing, original: Filing, source: str) -> Filing:
    """The placeholder (same ``id``) pointing at its Chinese document and carrying its real title.

    The kind is decided again from the placeholder's categories and the Chinese title, the way an
    English filing's kind is decided from its categories and its English title.
    """
    t1 = ",".join(sorted(category_codes(placeholder) & _T1_LEVEL))
    kind = classify(t1, placeholder.t2_codes, placeholder.categories, original.title)
    return replace(
        placeholder, url=original.url, zh_url=original.url, zh_title=original.title, chinese_only=True,
        file_type=original.file_type or placeholder.file_type,
        size_bytes=original.size_bytes if original.size_bytes is not None else placeholder.size_bytes,
        kind=kind,
        extra=placeholder.extra + ((EXTRA_SOURCE, source), (EXTRA_ZH_NEWS_ID, str(original.news_id))),
    )


def unresolved_filing(placeholder: Filing, reason: str) -> Filing:
    """The placeholder left pointing at its ``.htm`` page, saying why no Chinese document was found."""
    return replace(placeholder, chinese_only=True, zh_url=None,
                   extra=placeholder.extra + ((EXTRA_UNRESOLVED, reason),))


def is_unresolved(filing: Filing) -> bool:
    """A Chinese-only filing whose Chinese document is not known."""
    return filing.chinese_only and filing.zh_url is None


def needs_lookup(filing: Filing) -> bool:
    """A Chinese-only placeholder not yet looked up in the Chinese listings."""
    return is_unresolved(filing) and not any(k == EXTRA_UNRESOLVED for k, _ in filing.extra)


def unresolved_reason(filing: Filing) -> str:
    return next((v for k, v in reversed(filing.extra) if k == EXTRA_UNRESOLVED),
                "not looked up in the Chinese listings")
