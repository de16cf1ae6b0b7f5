"""The profit attributable to owners as the earnings per share note states it, for a report whose
statements do not print that line (no "attributable to" block): "based on the loss for the year
attributable to owners of the Company of approximately RMB1,675,984,000 (2018: RMB145,893,000)", or a
row of the note's table, "Profit for the period attributable to owners of the Company ... 14,687 12,320".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.document import PdfSource
from parsers.locate import Located, page_text
from parsers.numbers import parse_figure
from parsers.units import SCALE_WORDS, currency_code

_HEADING = re.compile(r"^\s*\d{1,2}\s*[.、]?\s*(?:basic and diluted\s+)?(?:\(?loss\)?/?\(?earnings\)?|"
                      r"\(?earnings\)?/?\(?loss\)?|earnings|loss|profit)\s+per\s+share\b|"
                      r"^\s*\d{1,2}\s*[.、]?\s*每股(?:基本及攤薄)?(?:盈利|虧損|收益|亏损|"
                      r"盈利/\(虧損\)|\(虧損\)/盈利)", re.I)
_OWNERS = (r"(?:(?:the\s+)?(?:owners|ordinary\s+equity\s+holders|equity\s+holders|equity\s+shareholders|"
           r"shareholders)\s+of\s+the\s+(?:company|parent(?:\s+company)?)|本公司擁有人|本公司权益持有人|"
           r"本公司擁有人|本公司權益持有人|本公司股東|母公司擁有人|母公司股東)")
_AMOUNT = (r"(?P<{c}>RMB|HK\$|US\$|S\$|人民幣|人民币|港幣|港元)?\s?"
           r"(?P<{n}>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
           r"(?P<{s}>million|billion|thousand|千|百萬|百万|億|亿)?\s*元?")
_PRIOR_OPEN = r"(?:\s*[（(](?:[^:：()（）]{0,40}?)(?:19|20)\d\d\s*年?\s*[:：]\s*"
# "the loss for the year attributable to owners of the Company of approximately RMB1,675,984,000
# (2018: RMB145,893,000)"
_PROSE = re.compile(
    r"(?P<word>profit|loss|earnings|溢利|虧損|亏损|利潤|利润)(?:\s+for\s+the\s+(?:year|period))?\s+"
    r"attributable\s+to\s+" + _OWNERS + r"\s+(?:of\s+)?(?:approximately\s+|約|约)?"
    + _AMOUNT.format(c="cur", n="num", s="scale")
    + _PRIOR_OPEN + r"(?:a\s+(?P<word2>profit|loss)\s+of\s+)?(?:approximately\s+|約|约)?"
    + _AMOUNT.format(c="cur2", n="num2", s="scale2") + r"[)）])?"
    r"|" + _OWNERS + r"應佔(?:年內|期內|本年度|本期間)?(?P<zhword>溢利|虧損|利潤|亏损|利润)(?:淨額)?"
    r"(?:約|约)?(?:為|为)?" + _AMOUNT.format(c="zcur", n="znum", s="zscale")
    + _PRIOR_OPEN + _AMOUNT.format(c="zcur2", n="znum2", s="zscale2") + r"[)）])?", re.I)
# A row of the note's table: the attributable profit, in the statements' unit.
_ROW = re.compile(r"attributable\s+to\s+" + _OWNERS + r"|(?:for the )?purposes? of (?:calculating )?basic "
                  r"(?:and diluted )?(?:earnings|loss)"
                  r"|應佔(?:年內|期內)?(?:溢利|虧損)|用於計算每股基本", re.I)
_SHARES = re.compile(r"number of|weighted average|股份數目|股份数目|股數|股数", re.I)
_NOTE_PAGES = 90


@dataclass(frozen=True)
class NoteFigure:
    """The attributable profit from the EPS note: ``current``/``prior`` in absolute currency units when
    ``absolute`` (prose), else in the statements' unit (a table row)."""

    current: float | None
    prior: float | None
    page: int  # 1-based
    label: str
    absolute: bool
    currency: str | None = None


def attributable_from_eps_note(pdf: PdfSource, located: Located) -> NoteFigure | None:
    """The attributable profit the earnings per share note states, or None."""
    if located.income is None:
        return None
    # From the last statement page on: in a short announcement the notes follow on the same page.
    start = max(p for p in (located.income, located.balance, located.cash_flow) if p is not None)
    for index in range(start, min(start + _NOTE_PAGES, pdf.page_count)):
        text = page_text(pdf, index, located)
        lines = text.split("\n")
        heading = next((n for n, line in enumerate(lines) if _HEADING.match(line)), None)
        if heading is None:
            continue
        body = "\n".join(lines[heading:heading + 30])
        if index + 1 < pdf.page_count and heading > len(lines) - 15:
            body += "\n" + "\n".join(page_text(pdf, index + 1, located).split("\n")[:15])
        return _from_prose(body, index) or _from_rows(body, index)
    return None


def _value(number: str | None, scale: str | None) -> float | None:
    if number is None:
        return None
    factor = SCALE_WORDS.get(scale.lower(), 1.0) if scale else 1.0
    return float(number.replace(",", "")) * factor


def _from_prose(text: str, index: int) -> NoteFigure | None:
    match = _PROSE.search(re.sub(r"\s*\n\s*", " ", text))
    if match is None:
        return None
    groups = match.groupdict()
    zh = groups.get("znum") is not None
    word = (groups["zhword"] if zh else groups["word"]).lower()
    sign = -1.0 if word in ("loss", "虧損", "亏损") else 1.0
    current = _value(groups["znum" if zh else "num"], groups["zscale" if zh else "scale"])
    prior = _value(groups["znum2" if zh else "num2"], groups["zscale2" if zh else "scale2"])
    prior_sign = sign
    if not zh and groups.get("word2"):
        prior_sign = -1.0 if groups["word2"].lower() == "loss" else 1.0
    cur = groups["zcur" if zh else "cur"]
    if current is None or cur is None:
        return None  # an amount without its currency may be in thousands: not guessed
    return NoteFigure(sign * current, prior_sign * prior if prior is not None else None, index + 1,
                      match.group(0).strip()[:120], True, currency_code(cur) or _ZH_CUR.get(cur))


_ZH_CUR = {"人民幣": "RMB", "人民币": "RMB", "港幣": "HKD", "港元": "HKD"}


def _from_rows(text: str, index: int) -> NoteFigure | None:
    for line in text.split("\n"):
        words = line.split()
        if len(words) < 3 or not _ROW.search(line) or _SHARES.search(line):
            continue
        tail = [parse_figure(w) for w in words[-2:]]
        if all(v is not None for v in tail) and all(any(c.isdigit() for c in w) for w in words[-2:]):
            return NoteFigure(tail[0], tail[1], index + 1, " ".join(words[:-2]), False)
    return None
