"""Which earlier alert a filing follows up: a clarification, a supplemental announcement, revised
or corrected results, or a re-filed headline of something already alerted. Such a filing is posted
as a reply in the original alert's thread (and the original says so).

Pure: a filing and the stock's recently alerted filings in, the original (or None) out. The match
is on the words the two titles share besides the follow-up words, so "SUPPLEMENTAL ANNOUNCEMENT IN
RELATION TO THE ANNUAL REPORT 2025" finds "ANNUAL REPORT 2025" and not last week's "CONNECTED
TRANSACTION"; revised or corrected results find the results they revise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from monitor.filing import Filing
from monitor.hkexnews.feed import EXTRA_REVISION

WINDOW = timedelta(days=60)  # an original older than this is not threaded under
_FOLLOW_UP = re.compile(
    r"\bSUPPLEMENT(?:AL|ARY)\b|\bCLARIFICATION\b|\bCORRECTIONS?\b|\bERRATUM\b|\bREVISED\b|\bAMENDED\b"
    r"|\bADDITIONAL INFORMATION\b|\bFURTHER ANNOUNCEMENT\b|\bUPDATE ON\b|HEADLINES REVISED"
    r"|補充公告|澄清公告|更正|修訂", re.I)
_NOISE = frozenset("""
    A AN AND THE OF TO IN ON FOR FROM WITH BY AT AS ITS OUR THIS THAT RE RELATION RELATING REGARDING
    ANNOUNCEMENT ANNOUNCEMENTS NOTICE SUPPLEMENTAL SUPPLEMENTARY CLARIFICATION CORRECTION CORRECTIONS
    ERRATUM REVISED AMENDED ADDITIONAL INFORMATION FURTHER UPDATE DATED HEADLINES COMPANY LIMITED GROUP
    HOLDINGS CO LTD INC THE ON
""".split())
RESULTS_WORDS = frozenset({"RESULTS", "RESULT"})


def is_follow_up(filing: Filing) -> bool:
    """Whether the title says it adds to, clarifies or corrects an earlier filing."""
    revised_headline = any(k == EXTRA_REVISION for k, _ in filing.extra)
    return revised_headline or bool(_FOLLOW_UP.search(filing.title))


def _words(title: str) -> set[str]:
    return {w for w in re.findall(r"[A-Z0-9\u3400-\u9fff]+", title.upper()) if w not in _NOISE and len(w) > 1}


def original_of(filing: Filing, earlier: Sequence[Filing]) -> Filing | None:
    """The alerted filing this one follows up, or None when none clearly matches (then it is
    posted on its own, which is never wrong, only less tidy)."""
    if not is_follow_up(filing):
        return None
    mine = _words(filing.title)
    best: tuple[int, float, Filing] | None = None
    for other in earlier:
        if other.id == filing.id or not set(other.stock_codes) & set(filing.stock_codes):
            continue
        age = filing.released_at - other.released_at
        if age < timedelta(0) or age > WINDOW:
            continue
        shared = mine & _words(other.title)
        score = len(shared)
        if other.kind.is_results and (mine & RESULTS_WORDS or filing.kind.is_results):
            score += 2  # revised or corrected results follow the results they revise
        if score < 2:
            continue
        candidate = (score, other.released_at.timestamp(), other)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else None
