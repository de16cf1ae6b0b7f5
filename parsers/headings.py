"""Statement titles: which primary statement a line opens, in English or Chinese.

A title must start its line (after qualifiers such as "Interim condensed consolidated"), so prose
that mentions "the income statement" or "notes to the statement of financial position" does not
open a statement.
"""

from __future__ import annotations

import re

_QUAL = (r"(?:(?:unaudited|audited|interim|condensed|consolidated|summary|abridged|group|the group's|"
         r"combined|"
         r"company's|extract of|extracts? from|the)\s+)*")
_TAIL = r"\s*(?:and .*|for .*|as at .*|at .*|\(.*\)|[-—–:].*|\d.*)?$"
_EN = (
    ("is", re.compile(_QUAL + r"(?:statements? of (?:consolidated )?(?:profit or loss|"
                              r"comprehensive (?:income|loss)|"
                              r"income|operations|profit and loss|earnings|loss|profit)|income statements?|"
                              r"profit and loss (?:account|statement)s?|"
                              r"statement of profit and loss)" + _TAIL)),
    ("bs", re.compile(_QUAL + r"(?:statements? of (?:consolidated )?financial position|"
                              r"balance sheets?)" + _TAIL)),
    ("stop", re.compile(_QUAL + r"(?:statements? of changes in (?:equity|net assets)|"
                                r"statements? of cash flows?|"
                                r"cash flow statements?|notes to\b|notes on\b|management discussion|"
                                r"supplementary information)")),
)
_ZH_QUAL = r"(?:未經審核|未经审核|經審核|经审核|中期|簡明|简明|綜合|综合|合併|合并|本集團|本集团|之|的|\s)*"
_ZH = (
    ("is", re.compile(_ZH_QUAL + r"(?:損益及其他全面收益表|损益及其他全面收益表|損益及其他全面收入表|"
                                 r"损益及其他全面收入表|"
                                 r"損益及其他綜合收益表|损益及其他综合收益表|損益表|损益表|全面收益表|全面收入表|"
                                 r"收益表|利潤表|利润表|損益及全面收益表|全面虧損表|損益及其他全面虧損表|綜合收益表|"
                                 r"损益及全面收益表|損益賬|损益账)")),
    ("bs", re.compile(_ZH_QUAL + r"(?:財務狀況表|财务状况表|財務狀況報表|财务状况报表|資產負債表|"
                                 r"资产负债表)")),
    ("stop", re.compile(_ZH_QUAL + r"(?:權益變動表|权益变动表|現金流量表|现金流量表|管理層討論|管理层讨论)")),
    ("stop", re.compile(r".{2,30}(?:附註|附注)$")),
)


_SPACED = (
    ("stop", ("statementofchangesinequity", "statementofcashflows", "cashflowstatement", "notesto")),
    ("is", ("statementofprofitorloss", "incomestatement", "statementofcomprehensiveincome",
            "profitandlossaccount", "statementofprofitandloss")),
    ("bs", ("statementoffinancialposition", "balancesheet")),
)


# The parent company's own statements, printed after the consolidated ones (CAS) or among the notes
# (HKFRS): never the group's figures.
_PARENT = re.compile(r"(?:balance sheets?|income statements?|profit statements?|cash flow statements?|"
                     r"statements? of (?:financial position|profit or loss|comprehensive income|cash flows?|"
                     r"changes in (?:owners'|shareholders'|stockholders')? ?equity)(?: and reserves)?)"
                     r" of the (?:parent )?company\b|^(?:the )?(?:parent company|company)(?:'s)? "
                     r"(?:balance sheet|income statement|statement of|cash flow)", re.I)
_ZH_PARENT = re.compile(r"^(?:母公司|本公司)(?:的)?(?:資產負債表|资产负债表|利潤表|利润表|現金流量表|"
                        r"现金流量表|所有者權益變動表|所有者权益变动表|股東權益變動表|股东权益变动表|財務狀況表|财务状况表|"
                        r"損益表|损益表)")


def heading_kind(line: str) -> str | None:
    """"is" (profit or loss / comprehensive income), "bs" (financial position), "stop" (any other
    statement or the notes), or None when the line is not a statement title."""
    text = line.strip().replace("\ufb01", "fi").replace("\ufb02", "fl")
    if not text or len(text) > 140:
        return None
    text = re.sub(r"(?<=[a-z]f[il]) (?=[a-z])", "", text)  # "Profi t": a ligature's glyph box ends early
    low = re.sub(r"\s+", " ", text.lower().replace("’", "'"))
    if re.search(r"should be read|set out|in conjunction|\bsee\b", low):
        return None
    if _PARENT.search(low) or _ZH_PARENT.match(re.sub(r"\s+", "", text)):
        return "stop"
    for kind, pattern in _EN:
        if pattern.match(low):
            return kind
    compact = re.sub(r"\s+", "", text)
    tokens = text.split()
    if len(tokens) >= 8 and sum(len(t) == 1 for t in tokens) >= len(tokens) * 0.7:
        # A title set letter-spaced ("C O N S O L I D A T E D  B A L A N C E  S H E E T").
        spaced = compact.lower()
        for kind, keys in _SPACED:
            if any(key in spaced for key in keys) and len(spaced) <= 90:
                return kind
    for kind, pattern in _ZH:
        if pattern.match(compact) and len(compact) <= 60:
            return kind
    return None


def is_comprehensive_only(line: str) -> bool:
    """A separate statement of comprehensive income (following an income statement)."""
    low = line.lower()
    return ("comprehensive" in low and "profit or loss" not in low and "profit and loss" not in low) or (
        "全面收益表" in line and "損益" not in line and "损益" not in line)


_WRAPS = re.compile(r"(?:\bof|\band|\bor|\bstatements?|\bconsolidated|\bcondensed|\bprofit|\bother|"
                    r"簡明|綜合|简明|"
                    r"综合)\s*$", re.I)


def heading_at(lines: list[str], index: int) -> str | None:
    """heading_kind of line ``index``, reading on into the next line when the title wraps
    ("CONDENSED CONSOLIDATED STATEMENT OF" / "PROFIT OR LOSS")."""
    kind = heading_kind(lines[index])
    if kind is None and index + 1 < len(lines) and _WRAPS.search(lines[index]):
        kind = heading_kind(lines[index] + " " + lines[index + 1])
    return kind
