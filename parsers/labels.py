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


# The PRC (CAS) statements' line furniture: "III." / "（一）" / "1." numbering, "Add:" / "Less:" / "加：" /
# "減：" before a line, "(loss is represented by "-")" / "（虧損以"－"號填列）" after it, and "(or
# shareholders' equity)" / "（或股東權益）" alternatives.
_NUMBERING = re.compile(r"^(?:[ivx]{1,5}\s*[.、]|\(\s*[ivx]{1,5}\s*\)|\d{1,2}\s*[.、](?!\d)|"
                        r"\(\s*\d{1,2}\s*\)|[一二三四五六七八九十]{1,3}\s*[、.]|\(\s*[一二三四五六七八九十]{1,3}\s*\))\s*")
_PREFIX = re.compile(r"^(?:add|less|plus|minus|加|減|减)\s*:\s*")
_SUB_ITEM = re.compile(r"^(?:including|of which|among which|incl\.|其中)\s*:")
_INSTRUCTION = re.compile(r"\([^()]*(?:represented by|listed with|expressed with|shown with|填列|號|号)"
                          r"[^()]*\)|"
                          r"\((?:or\s|或)[^()]*\)")
_FULL_WIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "’": "'", "‘": "'", "／": "/", "，": ",",
                              "﹙": "(",
                              "﹚": ")", "　": " "})


def normalize(label: str) -> str:
    """Lower case, straight quotes, ASCII brackets, no bullets, no unit or note qualifiers."""
    text = label.translate(_FULL_WIDTH)
    text = text.replace("\ufb01", "fi").replace("\ufb02", "fl")
    text = re.sub(r"(?<=[a-z]f[il]) (?=[a-z])", "", text)  # "Profi t": a ligature's glyph box ends early
    text = re.sub(rf"(?<=[{_CJK}()])\s+(?=[{_CJK}()])", "", text)
    text = text.lower()
    text = _INSTRUCTION.sub(" ", text)
    text = _UNIT_PAREN.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^[\s\-—–•·*>－─]+", "", text)
    text = _NUMBERING.sub("", text)
    text = _PREFIX.sub("", text)
    text = re.sub(r"[\s:;,.*#]+$", "", text)
    text = re.sub(r"(?<=[a-z)])[¹²³⁴⁵⁶⁷⁸⁹⁰\d]{1,2}$", "", text)  # a footnote mark: "Revenue¹", "Revenue1"
    return text.strip()


_PL = (r"(?:net )?(?:profit|loss|earnings|income|\(loss\)/profit|profit/\(loss\)|\(loss\) profit|"
       r"profit \(loss\)|loss \(profit\)|\(profit\) loss|gain|gain \(loss\)|\(loss\) gain|\(loss\)/gain|"
       r"gain/\(loss\)|\(loss\)/income|income/\(loss\)|loss/\(profit\)|\(profit\)/loss|profit/loss|"
       r"\(losses\)/profits?|profits?/\(losses\))")
_OP_PL = (r"(?:profit|loss|gain|\(loss\)/profit|profit/\(loss\)|\(loss\) profit|profit \(loss\)|"
          r"gain \(loss\)|"
          r"\(loss\) gain|\(loss\)/gain|gain/\(loss\)|loss/\(profit\)|\(profit\)/loss|profit/loss)")
_PERIOD = (r"(?:the |this )?(?:period|year|half[- ]year|six months|three months|nine months|quarter|"
           r"financial year|reporting period)")
_OWNERS = (r"(?:(?:the )?(?:owners|equity holders|equity shareholders|shareholders|ordinary equity holders|"
           r"equity owners|ordinary shareholders|holders of ordinary shares|owner)"
           r"(?: of the (?:company|parent company|parent|listed company|"
           r"bank|group))?|(?:the )?parent company)")
_TAX_WORD = r"(?:expenses?|charges?|credits?|benefits?)"
_TAX_Q = rf"(?:{_TAX_WORD}|\({_TAX_WORD}\))"
_TCI = (r"total comprehensive (?:income|loss|expense|\(loss\)/income|income/\(loss\)|\(expense\)/income|"
        r"income/\(expense\)|income \(expense\)|\(expense\) income|loss \(income\)|expense \(income\))")
_CASH = (r"cash and cash equivalents|bank balances and cash|cash and bank balances|bank and cash balances|"
         r"cash at banks? and (?:on|in) hand|cash at banks?|cash and bank deposits|"
         r"bank deposits, balances and "
         r"cash|bank balances, deposits and cash|cash and deposits with banks|cash on hand and at banks?|"
         r"cash and cash balances|bank balances|cash and short-term deposits")
_DASH = r"\s*(?:[-–—－]\s*|\()?"

# Ordered (pattern, kinds); the first full match wins. Kinds ending in "?" only fill a gap.
_EN: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple((re.compile(p), k) for p, k in (
    (rf"{_PL}(?: and {_TCI})? for {_PERIOD} attributable to {_OWNERS}",
     ("profit_attributable", "profit_for_period?")),
    (rf"{_PL}(?: for {_PERIOD})?(?: is| are)? attributable to {_OWNERS}", ("profit_attributable",)),
    (rf"(?:{_PL}(?: for {_PERIOD})? )?(?:is |are )?attributable to", ("attributable_header",)),
    (rf"(?:total )?(?:equity|capital and reserves|shareholders' equity|owners' equity|equity and reserves) "
     rf"attributable to {_OWNERS}|total shareholders' equity", ("equity_owners",)),
    (r"classified by (?:attribution of )?ownership", ("attributable_header",)),
    (rf"(?:{_PL}|profit or loss) attributable to minority (?:shareholders|interests)|"
     r"minority (?:shareholders'? )?(?:interests?|profits?(?: or loss)?|\(?loss(?:es)?\)?|profit/\(loss\))|"
     r"profit or loss of minority shareholders",
     ("nci",)),
    (_OWNERS, ("owners",)),
    (r"non-?controlling (?:interests?|shareholders)|minority interests?", ("nci",)),
    (r"(?:total |group |consolidated )?(?:revenue|revenues|turnover|sales|net sales|operating revenue|"
     r"revenue from contracts with customers|revenue from operations)", ("revenue",)),
    (r"(?:cost|costs) of (?:sales|revenue|revenues|goods sold|services|sales and services|services provided|"
     r"inventories sold)|direct costs", ("cost_of_sales",)),
    (r"gross (?:profit|loss|profit/\(loss\)|\(loss\)/profit|\(loss\) profit|profit \(loss\))",
     ("gross_profit",)),
    # Not "operating income" nor "income from operations": a bank's operating income is its revenue.
    (rf"operating {_OP_PL}|{_OP_PL} from operations|{_OP_PL} from operating activities|"
     rf"results from operating activities", ("operating_profit",)),
    (rf"{_PL} before (?:income )?tax(?:ation|es)?(?: expenses?| credit)?(?: from continuing operations)?",
     ("profit_before_tax",)),
    # CAS: "Total profit" is the profit before income tax.
    (r"total (?:profit|loss|profit/\(loss\)|\(loss\)/profit|profit \(loss\))", ("profit_before_tax",)),
    (rf"(?:income tax|taxation|tax|income taxes)(?: {_TAX_Q}(?:[/ ]{_TAX_Q})?)?", ("income_tax",)),
    (rf"{_PL}(?: and {_TCI})? (?:for )?{_PERIOD}(?: and {_TCI}(?: for {_PERIOD})?)?"
     rf"(?: from continuing and discontinued operations)?|"
     rf"net (?:profit|loss|profit/\(loss\)|\(loss\)/profit)",
     ("profit_for_period",)),
    (rf"{_PL} for {_PERIOD} from continuing operations|{_PL} from continuing operations",
     ("continuing_profit",)),
    (rf"{_PL} for {_PERIOD} from discontinued operations?|{_PL} from discontinued operations?",
     ("discontinued_profit",)),
    (r"(?:from )?continuing and discontinued operations", ("scope_total",)),
    (r"(?:from )?continuing operations?", ("scope_continuing",)),
    (r"(?:from )?discontinued operations?", ("scope_discontinued",)),
    (r"total comprehensive .*", ("total_comprehensive",)),
    (r"total (?:owners'|owner's) equity", ("total_equity",)),
    (r"total (?:equity|equity/\(deficit\)|\(deficit\)/equity|\(deficit\) equity|equity \(deficit\)|deficit|"
     r"capital deficiency)", ("total_equity",)),
    (r"net assets|net assets/\(liabilities\)|net \(liabilities\)/assets|net \(liabilities\) assets|"
     r"net assets \(liabilities\)", ("net_assets",)),
    (rf"(?:{_CASH}){_DASH}(?:general|house)(?: accounts?)?\)?", ("cash_general",)),
    (rf"(?:{_CASH}){_DASH}(?:trust|segregated|clients?'?|customers?'?)(?: accounts?)?\)?|"
     rf"(?:{_CASH}) held on behalf of (?:clients|customers)", ("cash_clients",)),
    (_CASH, ("cash",)),
    (r"total assets", ("total_assets",)),
    (r"total liabilities", ("total_liabilities",)),
    (r"capital and reserves|equity|shareholders' equity|owners' equity|equity and reserves|"
     r"capital and reserves \(deficit\)", ("equity_heading",)),
    (r"dividends?(?: paid| declared| proposed| recognised as distribution)?", ("dividend_amount",)),
))

_ZH_PL = (r"(?:[(/]*(?:溢利|利潤|利润|虧損|亏损|淨利潤|净利润)[)/]*"
          r"(?:[(/]*(?:溢利|利潤|利润|虧損|亏损)[)/]*)?)")
_ZH_PERIOD = r"(?:期內|期内|年內|年内|本期間|本期间|本年度|本期|年度|本年|期間|期间)"
_ZH_OWNERS = (r"(?:本公司擁有人|本公司拥有人|母公司擁有人|母公司拥有人|本公司權益持有人|本公司权益持有人|"
              r"本公司股東|本公司股东|本公司普通股權益持有人|本公司所有者|母公司所有者|本公司股權持有人|"
              r"本公司股权持有人|本公司權益股東|本公司权益股东|母公司股東|母公司股东|本公司普通股股東|"
              r"本公司擁有者|本公司持有人)")
_ZH_TCI = (r"全面(?:收益|收入|開支|开支|虧損|亏损)(?:[(/]*(?:收益|收入|開支|开支|虧損|亏损)[)/]*)?"
           r"(?:總額|总额)")
_ZH_CASH = (r"現金及現金等價物|现金及现金等价物|銀行結餘及現金|银行结余及现金|現金及銀行結餘|现金及银行结余|"
            r"現金及現金等值項目|现金及现金等值项目|銀行及手頭現金|銀行及現金結餘|银行及现金结余|"
            r"銀行存款、結餘及現金|銀行結存及現金|現金及銀行存款|现金及银行存款|貨幣資金|货币资金|銀行結餘|银行结余")
_ZH: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple((re.compile(p), k) for p, k in (
    (rf"{_ZH_OWNERS}(?:應佔|应占){_ZH_PERIOD}{_ZH_PL}(?:及{_ZH_TCI})?",
     ("profit_attributable", "profit_for_period?")),
    (rf"{_ZH_OWNERS}(?:應佔|应占){_ZH_PL}|"
     rf"(?:歸屬於|归属于){_ZH_OWNERS.replace('本公司', '(?:本公司|母公司)?')}"
     rf"的?(?:淨|净)?{_ZH_PL}", ("profit_attributable",)),
    (rf"{_ZH_OWNERS}(?:應佔|应占)(?:權益|权益)(?:總額|总额)?|(?:歸屬於|归属于)(?:母公司|本公司)"
     rf"(?:股東|股东|所有者|擁有人)的?(?:權益|权益)(?:合計|合计)?", ("equity_owners",)),
    (rf"{_ZH_PERIOD}{_ZH_PL}及{_ZH_TCI}", ("profit_for_period",)),
    (rf".{{0,10}}(?:應佔|应占){_ZH_PERIOD}?{_ZH_PL}(?:及{_ZH_TCI})?", ("attributable_header",)),
    (rf".{{0,8}}{_ZH_TCI}.*|.{{0,8}}全面.{{0,12}}(?:總額|总额).*|.{{0,16}}綜合收益總額|.{{0,16}}综合收益总额",
     ("total_comprehensive",)),
    (r"按所有權歸屬分類|按所有权归属分类", ("attributable_header",)),
    (r".{0,10}(?:應佔|应占)", ("attributable_header",)),
    (rf"{_ZH_OWNERS}", ("owners",)),
    (r"非控股權益|非控股权益|非控制性權益|非控制性权益|少數股東權益|少数股东权益|非控制權益|少數股東損益",
     ("nci",)),
    (r"收益|收入|營業額|营业额|營業收入|营业收入|總收益|总收益|收益總額|營運收入|經營收入|营业总收入|營業總收入|"
     r"收入總額|總收入|总收入", ("revenue",)),
    (r"銷售成本|销售成本|營業成本|营业成本|服務成本|服务成本|銷售及服務成本|收入成本|收益成本|已售存貨成本",
     ("cost_of_sales",)),
    (r"毛利|毛損|毛损|毛利/\(損\)|毛\(損\)/利|毛利潤|毛利润|毛利/\(虧損\)|\(毛損\)/毛利|毛利/\(毛損\)",
     ("gross_profit",)),
    (rf"除(?:所得)?[稅税](?:費用|费用|開支|开支)?前(?:營業|营业|經營|经营)?{_ZH_PL}|[稅税]前{_ZH_PL}|"
     r"利潤總額|利润总额", ("profit_before_tax",)),
    (rf"經營{_ZH_PL}|经营{_ZH_PL}|經營業務{_ZH_PL}|经营业务{_ZH_PL}|營運{_ZH_PL}|营运{_ZH_PL}|"
     rf"營業{_ZH_PL}|营业{_ZH_PL}|(?:營運|营运|經營|经营)收益(?:[(/]*(?:虧損|亏损)[)/]*)?",
     ("operating_profit",)),
    (r"(?:所得[稅税]|[稅税]項|[稅税]收)(?:[(/]*(?:開支|开支|費用|费用|抵免|支出|扣除|計入|计入)[)/]*)*",
     ("income_tax",)),
    (rf"{_ZH_PERIOD}{_ZH_PL}(?:及{_ZH_TCI})?|淨利潤|净利润|淨溢利|净溢利|淨虧損|净亏损|"
     rf"{_ZH_PERIOD}{_ZH_PL}及{_ZH_TCI}", ("profit_for_period",)),
    (rf"持續經營業務{_ZH_PERIOD}?{_ZH_PL}|持续经营业务{_ZH_PERIOD}?{_ZH_PL}|"
     rf"來自持續經營業務的?{_ZH_PERIOD}?{_ZH_PL}|持續經營淨利潤|持续经营净利润", ("continuing_profit",)),
    (rf"已終止經營業務{_ZH_PERIOD}?{_ZH_PL}|已终止经营业务{_ZH_PERIOD}?{_ZH_PL}|"
     rf"來自已終止經營業務的?{_ZH_PERIOD}?{_ZH_PL}|終止經營淨利潤|终止经营净利润", ("discontinued_profit",)),
    (r"(?:來自)?持續及已終止經營業務|(?:来自)?持续及已终止经营业务", ("scope_total",)),
    (r"(?:來自)?持續經營業務|(?:来自)?持续经营业务", ("scope_continuing",)),
    (r"(?:來自)?已終止經營業務|(?:来自)?已终止经营业务", ("scope_discontinued",)),
    (r"權益總額|权益总额|總權益|总权益|權益總計|权益合计|權益合計|股東權益合計|股东权益合计|所有者權益合計|"
     r"所有者权益合计|權益總額/\(虧絀\)|\(虧絀\)/權益總額|\(虧絀\)權益總額|虧絀總額|亏绌总额",
     ("total_equity",)),
    (r"資產淨值|资产净值|淨資產|净资产|資產/\(負債\)淨值|\(負債\)/資產淨值|\(負債\)資產淨值|資產\(負債\)淨值",
     ("net_assets",)),
    (rf"(?:{_ZH_CASH})[-–—－]?[(]?一般(?:賬戶|账户|帳戶)[)]?", ("cash_general",)),
    (rf"(?:{_ZH_CASH})[-–—－]?[(]?(?:獨立|独立|信託|信托|客戶|客户)(?:賬戶|账户|帳戶)[)]?",
     ("cash_clients",)),
    (_ZH_CASH, ("cash",)),
    (r"資產總值|资产总值|總資產|总资产|資產總額|资产总额|資產總計|资产总计|資產合計|资产合计",
     ("total_assets",)),
    (r"負債總額|负债总额|總負債|总负债|負債總計|负债总计|負債合計|负债合计|負債總值", ("total_liabilities",)),
    (r"權益|权益|資本及儲備|资本及储备|股本及儲備|股本及储备|權益及儲備", ("equity_heading",)),
    (r"股息|已派股息|已付股息", ("dividend_amount",)),
))


def _per_share(text: str, in_eps: bool) -> tuple[str, ...] | None:
    """EPS lines: "Basic and diluted", "— Basic (HK cents)", "每股基本盈利"; None if not a per-share line."""
    per_share = "per share" in text or "每股" in text
    if "dividend" in text or "股息" in text:
        return ("dividend_line",) if per_share else None
    if not (per_share or in_eps):
        return None
    basic = bool(re.search(r"\bbasic\b|基本", text))
    diluted = bool(re.search(r"\bdiluted\b|攤薄|摊薄|稀釋|稀释", text))
    if basic and diluted:
        return ("eps_basic", "eps_diluted")
    if basic:
        return ("eps_basic",)
    if diluted:
        return ("eps_diluted",)
    if per_share and re.search(r"earnings|loss|profit|盈利|虧損|亏损|溢利|收益", text):
        return ("eps_heading",)
    return None


_ZH_RUN = re.compile(rf"[()/:、]*[{_CJK}][{_CJK}()/:、]*")


def _split_languages(text: str) -> tuple[str, str]:
    """The English and the Chinese of a bilingual label; brackets go with the language they enclose."""
    runs = _ZH_RUN.findall(text)
    zh = "".join(runs)
    if zh.count("(") != zh.count(")"):
        zh = zh.strip("()/:")
    en = _ZH_RUN.sub(" ", text)
    return re.sub(r"\s+", " ", en).strip(), zh


def classify(label: str, *, in_eps: bool = False) -> tuple[str, ...]:
    """The kinds of line a label names, e.g. ("revenue",) or ("eps_basic", "eps_diluted"); () if none.

    Bilingual labels ("Revenue 收益") count when both languages agree or only one is recognised."""
    text = normalize(label)
    if not text or _SUB_ITEM.match(text):
        return ()  # "Including: Operating revenue" is a part of the line above it, not the line
    per_share = _per_share(text, in_eps)
    if per_share is not None:
        return per_share
    found_en, found_zh = _both(text)
    if found_en and found_zh and found_en != found_zh:
        return ()
    return found_en or found_zh


def _both(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    en, zh = _split_languages(text)
    return (_match(_EN, en) if re.search(r"[a-z]", en) else ()), (_match(_ZH, zh) if zh else ())


def languages_agree(label: str) -> bool:
    """A bilingual label whose English and Chinese both name the same line: the whole label, not a
    fragment of a wrapped one."""
    text = normalize(label)
    found_en, found_zh = _both(text)
    return bool(found_en) and found_en == found_zh


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
