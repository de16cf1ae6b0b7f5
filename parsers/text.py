"""Normalise notice text once, before any pattern reads it: what a reader sees on the page, in the
characters the patterns are written in.

PDF text layers of Hong Kong notices differ from what is printed in ways no pattern should have to
know about:

- CJK Compatibility Ideographs (零 U+F9B2, 年 U+F98E, 行 U+FA08) mixed with the ordinary forms in one
  document: NFC maps them back (NFKC would too, but it also folds （，： to ASCII, so it is not used);
- a space after every character on some lines and not on others, even inside one date or amount
  (``將 於 二 零 二 五 年``, ``2 1, 0 0 0 , 0 0 0 港 元``, ``約 24 %``): Chinese is set without spaces, so a
  space beside a Chinese character is not text, and on a line set letter-spaced a space between two
  digits is not either;
- one sentence, date or amount broken across lines (``截至二零`` / ``一三年十二月三十一日``): ``join_lines``
  joins Chinese lines without a space.

Glyphs drawn twice at one place (fake bold) are removed before this, from their positions
(``parsers.overdraw``): the characters alone cannot tell a fake-bold repeat from genuine repeated text
(二零二零年, 三十三).
"""

from __future__ import annotations

import re
import unicodedata

# Chinese (and Japanese) characters, CJK punctuation and full-width forms: set without spaces.
CJK = ("\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
       "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef")
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACE = r"[ \t\u00a0\u2000-\u200b\u3000]"
# A space with a CJK character on one side and a character that is set tight against it (another
# CJK character, a digit, a bracket or a percent sign) on the other.
_CJK_GAP = re.compile(rf"(?<=[{CJK}]){_SPACE}+(?=[{CJK}\d(%)\[\]])|(?<=[\d(%)\[\]]){_SPACE}+(?=[{CJK}])")
_DIGIT_GAP = re.compile(rf"(?<=[\d,.]){_SPACE}+(?=[\d,.%])")
_PERCENT_GAP = re.compile(rf"(?<=\d){_SPACE}+(?=[%％])")
_SPACES = re.compile(rf"{_SPACE}+")


def letter_spaced(line: str) -> bool:
    """A line set with a space after (nearly) every character: most of its tokens are one character,
    and Chinese characters make up most of it (an English line of initials is not)."""
    tokens = line.split()
    if len(tokens) < 6:
        return False
    single = sum(1 for t in tokens if len(t) == 1)
    ideographs = len(_IDEOGRAPH.findall(line))
    letters = sum(1 for c in line if c.isascii() and c.isalpha())
    return single >= 0.5 * len(tokens) and ideographs > 2 * letters


def normalise_line(line: str) -> str:
    """One line as printed: NFC, no space beside a Chinese character where print has none, no space
    between the digits of a letter-spaced line, single spaces elsewhere."""
    line = unicodedata.normalize("NFC", line)
    spaced = letter_spaced(line)
    line = _CJK_GAP.sub("", line)
    if spaced:
        line = _DIGIT_GAP.sub("", line)
    line = _PERCENT_GAP.sub("", line)
    return _SPACES.sub(" ", line).strip()


def normalise_page(text: str) -> str:
    """A page's text with each line normalised (``normalise_line``); blank lines dropped."""
    lines = (normalise_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def join_lines(lines: list[str]) -> str:
    """Lines of a page put back into running prose: English lines joined by a space, Chinese ones
    directly (also where a date breaks between a number and 年/月/日), a word broken by a hyphen at
    the line end kept whole."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
        elif (re.search(rf"[{CJK}]$", out) and re.match(rf"[{CJK}\d]", line)) \
                or (re.search(r"\d$", out) and re.match(rf"[{CJK}]", line)):
            out += line
        elif re.search(r"[A-Za-z]-$", out) and re.match(r"[a-z]", line):
            out += line
        else:
            out += " " + line
    return out
