"""Line-item labels (English and Chinese) and the metric each one names.

Matching is on the whole normalised label, not a substring, so "Total equity and liabilities",
"Term deposits Cash and cash equivalents" or "Profit for the year from continuing operations" never
pass for "total equity", "cash" or "profit for the year".
"""

from __future__ import annotations

import re

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_UNIT_PAREN = re.compile(
    r"\((?:[^()]*?(?:rmb|hk\$|us\$|hkd|usd|cents?|expressed|unaudited|audited|restated|note|per share|"
    r"人民幣|人民币|港|仙|元|分|未經審核|經審核|附註)[^()]*)\)")


def normalize(label: str) -> str:
    """Lower case, straight quotes, ASCII brackets, no bullets, no unit or note qualifiers."""
    text = label.replace("（", "(").replace("）", ")").replace("：", ":").replace("’", "'").replace("‘", "'")
    text = re.sub(rf"(?<=[{_CJK}()])\s+(?=[{_CJK}()])", "", text)
    text = text.lower()
    text = _UNIT_PAREN.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^[\s\-—–•·*>－─]+", "", text)
    text = re.sub(r"[\s:;,.*#]+$", "", text)
    return text.strip()


_PL = (r"(?:net )?(?:profit|loss|earnings|income|\(loss\)/profit|profit/\(loss\)|\(loss\) profit|"
       r"profit \(loss\)|"
       r"\(loss\)/income|income/\(loss\)|loss/\(profit\)|\(profit\)/loss|profit/loss|\(losses\)/profits?|"
       r"profits?/\(losses\))")
_PERIOD = r"(?:the |this )?(?:period|year|half[- ]year|six months|three months|nine months|quarter)"
_OWNERS = (r"(?:the )?(?:owners|equity holders|equity shareholders|shareholders|ordinary equity holders|"
           r"equity owners|ordinary shareholders|holders of ordinary shares)(?: of the (?:company|parent|"
           r"bank|group))?")
_TAX_WORD = r"(?:expenses?|charge|credit|benefit)"
_TAX_Q = rf"(?:{_TAX_WORD}|\({_TAX_WORD}\))"

# Ordered (pattern, kinds); the first full match wins. Kinds ending in "?" only fill a gap.
_EN: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple((re.compile(p), k) for p, k in (
    (rf"{_PL} for {_PERIOD} attributable to {_OWNERS}", ("profit_attributable", "profit_for_period?")),
    (rf"{_PL}(?: for {_PERIOD})?(?: is| are)? attributable to {_OWNERS}", ("profit_attributable",)),
    (rf"(?:{_PL}(?: for {_PERIOD})? )?(?:is |are )?attributable to", ("attributable_header",)),
    (_OWNERS, ("owners",)),
    (r"non-?controlling (?:interests?|shareholders)|minority interests?", ("nci",)),
    (r"(?:total )?(?:revenue|revenues|turnover|sales|net sales|operating revenue|"
     r"revenue from contracts with customers)", ("revenue",)),
    (r"(?:cost|costs) of (?:sales|revenue|revenues|goods sold|services|sales and services|services provided)",
     ("cost_of_sales",)),
    (r"gross (?:profit|loss|profit/\(loss\)|\(loss\)/profit|\(loss\) profit|"
     r"profit \(loss\))", ("gross_profit",)),
    (rf"operating {_PL}|{_PL} from operations|{_PL} from operating activities|"
     rf"results from operating activities",
     ("operating_profit",)),
    (rf"{_PL} before (?:income )?tax(?:ation|es)?(?: expenses?)?(?: from continuing operations)?",
     ("profit_before_tax",)),
    (rf"(?:income tax|taxation|tax|income taxes)(?: {_TAX_Q}(?:/{_TAX_Q})?)?", ("income_tax",)),
    (rf"{_PL} for {_PERIOD}(?: and total comprehensive (?:income|loss|\(loss\)/income|income/\(loss\))"
     rf"(?: for {_PERIOD})?)?", ("profit_for_period",)),
    (rf"{_PL} for {_PERIOD} from continuing operations|{_PL} from continuing operations",
     ("continuing_profit",)),
    (rf"{_PL} for {_PERIOD} from discontinued operations?|{_PL} from discontinued operations?",
     ("discontinued_profit",)),
    (r"total comprehensive .*", ("total_comprehensive",)),
    (r"total (?:equity|equity/\(deficit\)|\(deficit\)/equity)", ("total_equity",)),
    (r"net assets", ("net_assets",)),
    (r"cash and cash equivalents|bank balances and cash|cash and bank balances|cash at banks? and (?:on|"
     r"in) hand",
     ("cash",)),
))

_ZH_PL = (r"(?:溢利|利潤|利润|虧損|亏损|\(虧損\)/溢利|溢利/\(虧損\)|\(亏损\)/溢利|溢利/\(亏损\)|"
          r"\(虧損\)/利潤|利潤/\(虧損\))")
_ZH_PERIOD = r"(?:期內|期内|年內|年内|本期間|本期间|本年度|本期|年度|本年)"
_ZH_OWNERS = (r"(?:本公司擁有人|本公司拥有人|母公司擁有人|母公司拥有人|本公司權益持有人|本公司权益持有人|"
              r"本公司股東|"
              r"本公司股东|本公司普通股權益持有人|本公司所有者|母公司所有者|歸屬於母公司所有者|归属于母公司所有者|"
              r"本公司權益股東|本公司权益股东)")
_ZH: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple((re.compile(p), k) for p, k in (
    (rf"{_ZH_OWNERS}應佔{_ZH_PERIOD}{_ZH_PL}|{_ZH_OWNERS}应占{_ZH_PERIOD}{_ZH_PL}",
     ("profit_attributable", "profit_for_period?")),
    (rf"{_ZH_OWNERS}(?:應佔|应占){_ZH_PL}", ("profit_attributable",)),
    (r".{0,8}全面.{0,12}(?:總額|总额).*", ("total_comprehensive",)),
    (r".{0,10}(?:應佔|应占)", ("attributable_header",)),
    (rf"{_ZH_OWNERS}", ("owners",)),
    (r"非控股權益|非控股权益|非控制性權益|非控制性权益|少數股東權益|少数股东权益|非控制權益", ("nci",)),
    (r"收益|收入|營業額|营业额|營業收入|营业收入|總收益|总收益|收益總額|營運收入|經營收入|营业总收入|收入總額|總收入",
     ("revenue",)),
    (r"銷售成本|销售成本|營業成本|营业成本|服務成本|服务成本|銷售及服務成本|收入成本|"
     r"收益成本", ("cost_of_sales",)),
    (r"毛利|毛損|毛损|毛利/\(損\)|毛\(損\)/利|毛利潤|毛利润|毛利/\(虧損\)", ("gross_profit",)),
    (rf"經營{_ZH_PL}|经营{_ZH_PL}|經營業務{_ZH_PL}|经营业务{_ZH_PL}|營運{_ZH_PL}|"
     rf"营运{_ZH_PL}", ("operating_profit",)),
    (rf"除(?:所得)?[稅税]前{_ZH_PL}|[稅税]前{_ZH_PL}|利潤總額|利润总额", ("profit_before_tax",)),
    (r"所得[稅税](?:開支|开支|費用|费用|抵免|\(開支\)/抵免|抵免/\(開支\))?|[稅税]項|"
     r"[稅税]項開支", ("income_tax",)),
    (rf"{_ZH_PERIOD}{_ZH_PL}|淨利潤|净利润|{_ZH_PERIOD}{_ZH_PL}及全面收益總額", ("profit_for_period",)),
    (rf"持續經營業務{_ZH_PERIOD}?{_ZH_PL}|持续经营业务{_ZH_PERIOD}?{_ZH_PL}", ("continuing_profit",)),
    (rf"已終止經營業務{_ZH_PERIOD}?{_ZH_PL}|已终止经营业务{_ZH_PERIOD}?{_ZH_PL}", ("discontinued_profit",)),
    (r"權益總額|权益总额|總權益|总权益|權益總計|权益合计|權益合計", ("total_equity",)),
    (r"資產淨值|资产净值|淨資產|净资产", ("net_assets",)),
    (r"現金及現金等價物|现金及现金等价物|銀行結餘及現金|银行结余及现金|現金及銀行結餘|现金及银行结余|"
     r"現金及現金等值項目|现金及现金等值项目|銀行及手頭現金", ("cash",)),
))


def _per_share(text: str, in_eps: bool) -> tuple[str, ...] | None:
    """EPS lines: "Basic and diluted", "— Basic (HK cents)", "每股基本盈利"; None if not a per-share line."""
    per_share = "per share" in text or "每股" in text
    if "dividend" in text or "股息" in text:
        return ("dividend_line",) if per_share else None
    if not (per_share or in_eps):
        return None
    basic = bool(re.search(r"\bbasic\b|基本", text))
    diluted = bool(re.search(r"\bdiluted\b|攤薄|摊薄", text))
    if basic and diluted:
        return ("eps_basic", "eps_diluted")
    if basic:
        return ("eps_basic",)
    if diluted:
        return ("eps_diluted",)
    if per_share and re.search(r"earnings|loss|profit|盈利|虧損|亏损|溢利|收益", text):
        return ("eps_heading",)
    return None


def _split_languages(text: str) -> tuple[str, str]:
    zh = "".join(re.findall(rf"[{_CJK}()/:]+", text)).strip("()/:")
    en = re.sub(rf"[{_CJK}]+", " ", text)
    return re.sub(r"\s+", " ", en).strip(), zh


def classify(label: str, *, in_eps: bool = False) -> tuple[str, ...]:
    """The kinds of line a label names, e.g. ("revenue",) or ("eps_basic", "eps_diluted"); () if none.

    Bilingual labels ("Revenue 收益") count when both languages agree or only one is recognised."""
    text = normalize(label)
    if not text:
        return ()
    per_share = _per_share(text, in_eps)
    if per_share is not None:
        return per_share
    en, zh = _split_languages(text)
    found_en = _match(_EN, en) if re.search(r"[a-z]", en) else ()
    found_zh = _match(_ZH, zh) if zh else ()
    if found_en and found_zh and found_en != found_zh:
        return ()
    return found_en or found_zh


def _match(rules: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...], text: str) -> tuple[str, ...]:
    text = text.strip(" -—–:")
    for pattern, kinds in rules:
        if pattern.fullmatch(text):
            return kinds
    return ()


_EPS_LOSS_ONLY = re.compile(r"\bloss(?:es)? per share\b|每股虧損|每股亏损")
_EPS_BOTH = re.compile(r"earnings/\(loss\)|\(loss\)/earnings|profit/\(loss\)|\(loss\)/profit|"
                       r"盈利/\(虧損\)|\(虧損\)/盈利")


def says_loss_per_share(text: str) -> bool:
    """A heading "Loss per share" (not "Earnings/(loss) per share"): positive figures mean losses."""
    low = normalize(text)
    return bool(_EPS_LOSS_ONLY.search(low)) and not _EPS_BOTH.search(low)
