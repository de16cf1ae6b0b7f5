# ruff: noqa: E501  (typeset rows and Chinese sentences read better unwrapped, as in tests/fixtures)
"""Random announcement variants with known truth: how many of their figures the parser finds and how many
it gets wrong, to find what it does not yet read (a probe, not a test: the variants are only as varied as
this generator).

    python benchmarks/parse_variants.py [COUNT] [FIRST_SEED]     # default 100 variants from seed 0

Each variant draws its language (English, Chinese, bilingual labels, Chinese translation lines), label
synonyms, period and year-end, currency and unit (over one or two header lines), a notes column, the
column order, per-share units in the label or in the cells, wrapped labels (figures on the first or the
last line), a statement split over two pages, a highlights table with a change column, NCI or not, a
loss per share heading, a dividend sentence, an interim dividend paid during a final year, a discontinued
operation with no total profit line; every fifth variant is a report in the PRC (CAS) format. Needs fpdf2 and a CJK font (fonts-wqy-microhei).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
sys.path.insert(0, str(ROOT))
from make_traps import Doc  # noqa: E402

from parsers.results import parse_results  # noqa: E402

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
ZH_NUM = "〇一二三四五六七八九"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ZH_MONTH = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


def zh_year(y: int) -> str:
    return "".join(ZH_NUM[int(c)].replace("〇", "零") for c in str(y))


def zh_day(d: int) -> str:
    if d < 10:
        return ZH_NUM[d]
    tens, units = divmod(d, 10)
    return ("" if tens == 1 else ZH_NUM[tens]) + "十" + (ZH_NUM[units] if units else "")


def fmt(v: int, dash: str = "-") -> str:
    if v == 0:
        return dash
    return f"({abs(v):,})" if v < 0 else f"{v:,}"


SYN = {
    "en": {
        "revenue": ["Revenue", "Turnover", "Revenue from contracts with customers", "Sales", "REVENUE"],
        "cogs": ["Cost of sales", "Cost of revenue", "Cost of goods sold", "Direct costs"],
        "gp": ["Gross profit", "GROSS PROFIT"],
        "op": ["Operating profit", "Profit from operations", "Results from operating activities"],
        "pbt": ["Profit before tax", "Profit before taxation", "Profit before income tax"],
        "tax": ["Income tax expense", "Taxation", "Income tax"],
        "profit": ["Profit for the year", "Profit and total comprehensive income for the year"],
        "attr_hdr": ["Attributable to:", "Profit for the year attributable to:"],
        "owners": ["Owners of the Company", "Equity holders of the Company", "Shareholders of the Company"],
        "nci": ["Non-controlling interests", "Minority interests"],
        "eps": ["Earnings per share", "EARNINGS PER SHARE"],
        "cash": ["Cash and cash equivalents", "Bank balances and cash", "Cash and bank balances"],
        "equity": ["Total equity", "TOTAL EQUITY"],
        "is_title": ["CONSOLIDATED STATEMENT OF PROFIT OR LOSS", "CONSOLIDATED INCOME STATEMENT",
                     "CONSOLIDATED STATEMENT OF PROFIT OR LOSS AND OTHER COMPREHENSIVE INCOME",
                     "CONDENSED CONSOLIDATED STATEMENT OF COMPREHENSIVE INCOME"],
        "bs_title": ["CONSOLIDATED STATEMENT OF FINANCIAL POSITION", "CONSOLIDATED BALANCE SHEET"],
    },
    "zh": {
        "revenue": ["收益", "營業額", "收入", "營業收入"],
        "cogs": ["銷售成本", "營業成本"],
        "gp": ["毛利"],
        "op": ["經營溢利", "經營業務溢利"],
        "pbt": ["除稅前溢利", "除所得稅前溢利"],
        "tax": ["所得稅開支", "稅項"],
        "profit": ["年內溢利", "本年度溢利", "年內溢利及全面收益總額"],
        "attr_hdr": ["以下人士應佔：", "應佔年內溢利："],
        "owners": ["本公司擁有人", "本公司權益持有人"],
        "nci": ["非控股權益"],
        "eps": ["每股盈利"],
        "cash": ["現金及現金等價物", "銀行結餘及現金"],
        "equity": ["權益總額", "總權益"],
        "is_title": ["綜合損益表", "綜合損益及其他全面收益表", "綜合全面收益表"],
        "bs_title": ["綜合財務狀況表", "綜合資產負債表"],
    },
}


def make(seed: int, out: Path) -> dict:
    r = random.Random(seed)
    lang = r.choice(["en", "en", "zh"])
    s = SYN[lang]
    interim = r.random() < 0.5
    end_month = r.choice([12, 12, 3, 6, 9]) if not interim else r.choice([6, 6, 9, 12])
    year = r.randint(2010, 2025)
    end_day = {3: 31, 6: 30, 9: 30, 12: 31}[end_month]
    cur = r.choice(["HKD", "RMB"])
    scale_label = {("HKD", "en"): "HK$'000", ("RMB", "en"): "RMB'000", ("HKD", "zh"): "千港元",
                   ("RMB", "zh"): "人民幣千元"}[(cur, lang)]
    # figures
    def fig(lo, hi):
        return r.randint(lo, hi)
    rev = [fig(50_000, 900_000) for _ in range(2)]
    cogs = [-int(v * r.uniform(0.5, 0.9)) for v in rev]
    gp = [a + b for a, b in zip(rev, cogs, strict=True)]
    opex = [-int(v * r.uniform(0.2, 1.4)) for v in gp]
    op = [a + b for a, b in zip(gp, opex, strict=True)]
    fin = [-fig(100, 5000) for _ in range(2)]
    pbt = [a + b for a, b in zip(op, fin, strict=True)]
    tax = [-int(abs(v) * 0.16) if v > 0 else r.choice([0, fig(10, 500)]) for v in pbt]
    profit = [a + b for a, b in zip(pbt, tax, strict=True)]
    has_nci = r.random() < 0.6
    nci = [int(v * r.uniform(0.01, 0.1)) for v in profit] if has_nci else [0, 0]
    owners = [a - b for a, b in zip(profit, nci, strict=True)]
    shares = r.randint(200_000, 2_000_000)  # thousands
    eps_cents = r.random() < 0.5
    eps = [round(o / shares * (100 if eps_cents else 1), 2) for o in owners]
    dil = [round(e * 0.99, 2) if r.random() < 0.5 else e for e in eps]
    cash = [fig(10_000, 500_000) for _ in range(2)]
    equity = [fig(100_000, 2_000_000) for _ in range(2)]
    nci_eq = [fig(1_000, 50_000) for _ in range(2)] if has_nci else [0, 0]
    div_cents = r.choice([0, 0, 5, 8, 12])
    prior_div = r.choice([0, 4, 6])
    show_op = r.random() < 0.5
    # Issue 18's traits: an interim dividend paid during the year (stated in the dividends note only), and
    # a discontinued operation printed on its own line with no total profit line.
    interim_paid = (r.choice([3, 4, 6]), r.choice([0, 3, 4])) if not interim and r.random() < 0.35 else None
    split = lang == "en" and has_nci and r.random() < 0.2
    disc = [r.choice([-1, 1]) * fig(100, 3000) for _ in range(2)] if split else [0, 0]
    if split:
        continuing = list(profit)
        profit = [a + b for a, b in zip(continuing, disc, strict=True)]
        nci = [int(v * r.uniform(0.01, 0.1)) for v in profit]
        owners = [a - b for a, b in zip(profit, nci, strict=True)]
        eps = [round(o / shares * (100 if eps_cents else 1), 2) for o in owners]
        dil = [round(e * 0.99, 2) if r.random() < 0.5 else e for e in eps]
    notes_col = r.random() < 0.7
    unit_two_lines = lang == "zh" and r.random() < 0.4
    wrap = r.random() < 0.3
    reverse = r.random() < 0.2
    eps_cells = lang == "en" and r.random() < 0.3
    split_page = r.random() < 0.25
    highlights = r.random() < 0.5
    bilingual = lang == "en" and r.random() < 0.3
    top_wrap = lang == "en" and not has_nci and r.random() < 0.5
    translation = lang == "en" and not bilingual and r.random() < 0.3
    loss_heading = lang == "en" and r.random() < 0.3 and owners[0] < 0 and owners[1] < 0

    doc = Doc(FONT if lang == "zh" or bilingual or translation else None)
    company_en = f"Variant {seed} Holdings Limited"
    if lang == "zh":
        doc.text("香港交易及結算所有限公司及香港聯合交易所有限公司對本公告之內容概不負責。", size=8)
        doc.cover((f"變體{seed}控股有限公司", 14), (company_en.upper(), 10), (f"（股份代號：{seed % 9000 + 100}）", 9))
        period_zh = f"截至{zh_year(year)}年{ZH_MONTH[end_month-1]}月{zh_day(end_day)}日止{'六個月' if interim else '年度'}"
        doc.text(f"{period_zh}之{'中期' if interim else '全年'}業績公告", size=12, align="C")
        doc.text(f"董事會宣佈本公司及其附屬公司{period_zh}之綜合業績。")
    else:
        doc.text("Hong Kong Exchanges and Clearing Limited take no responsibility for the contents of this "
                 "announcement.", size=8)
        doc.cover((company_en, 14), (f"(Stock Code: {seed % 9000 + 100})", 9))
        date_str = f"{end_day} {MONTHS[end_month-1]} {year}" if r.random() < 0.7 else \
            f"{MONTHS[end_month-1]} {end_day}, {year}"
        span = "SIX MONTHS" if interim else "YEAR"
        doc.text(f"{'INTERIM' if interim else 'ANNUAL'} RESULTS ANNOUNCEMENT FOR THE {span} ENDED {date_str.upper()}",
                 size=12, align="C")
        doc.text(f"The board announces the results of the Group for the {span.lower()} ended {date_str}.")
    yrs = (str(year), str(year - 1)) if lang == "en" else (f"{zh_year(year)}年", f"{zh_year(year-1)}年")
    if highlights:
        doc.text("FINANCIAL HIGHLIGHTS" if lang == "en" else "財務摘要", size=11)
        doc.wide_rows([("", "", yrs[0], yrs[1], "Change" if lang == "en" else "變動", ""),
                       ("", "", scale_label, scale_label, "%", ""),
                       (s["revenue"][0], "", fmt(rev[0]), fmt(rev[1]), f"{(rev[0]-rev[1])/rev[1]*100:.1f}", "")])
    note = lambda n: n if notes_col else ""  # noqa: E731
    doc.text(r.choice(s["is_title"]), size=11, gap=0)
    if lang == "en":
        doc.text(f"For the {'six months' if interim else 'year'} ended {end_day} {MONTHS[end_month-1]}" +
                 (f" {year}" if r.random() < 0.5 else ""))
    else:
        doc.text(f"截至{ZH_MONTH[end_month-1]}月{zh_day(end_day)}日止{'六個月' if interim else '年度'}")
    header = [("", "", yrs[0], yrs[1])]
    if unit_two_lines:
        header += [("", "", scale_label[:-2], scale_label[:-2]), ("", note("附註"), scale_label[-2:], scale_label[-2:])]
    else:
        header += [("", note("Notes" if lang == "en" else "附註"), scale_label, scale_label)]
    rows = header + [(r.choice(s["revenue"]), note("4"), fmt(rev[0]), fmt(rev[1])),
                     (r.choice(s["cogs"]), "", fmt(cogs[0]), fmt(cogs[1])),
                     (r.choice(s["gp"]), "", fmt(gp[0]), fmt(gp[1])),
                     ("Other expenses, net" if lang == "en" else "其他開支淨額", "", fmt(opex[0]), fmt(opex[1]))]
    if show_op:
        rows.append((r.choice(s["op"]), "", fmt(op[0]), fmt(op[1])))
    rows.append(("Finance costs" if lang == "en" else "融資成本", note("5"), fmt(fin[0]), fmt(fin[1])))
    pbt_label = r.choice(s["pbt"])
    if wrap and lang == "en":
        rows += [("Profit before", "", "", ""), ("  income tax", note("6"), fmt(pbt[0]), fmt(pbt[1]))]
    else:
        rows.append((pbt_label, note("6"), fmt(pbt[0]), fmt(pbt[1])))
    rows.append((r.choice(s["tax"]), note("7"), fmt(tax[0]), fmt(tax[1])))
    if split:
        rows += [("Profit for the year from continuing operations", "", fmt(continuing[0]), fmt(continuing[1])),
                 ("Discontinued operation", "", "", ""),
                 ("(Loss)/profit for the year from discontinued operation", note("8"), fmt(disc[0]), fmt(disc[1])),
                 ("Profit for the year attributable to:", "", "", ""),
                 (r.choice(s["owners"]), "", fmt(owners[0]), fmt(owners[1])), (r.choice(s["nci"]), "", fmt(nci[0]), fmt(nci[1]))]
    elif has_nci:
        rows.append((r.choice(s["profit"]), "", fmt(profit[0]), fmt(profit[1])))
        rows += [(r.choice(s["attr_hdr"]), "", "", ""), (r.choice(s["owners"]), "", fmt(owners[0]), fmt(owners[1])),
                 (r.choice(s["nci"]), "", fmt(nci[0]), fmt(nci[1])), ("", "", fmt(profit[0]), fmt(profit[1]))]
    elif top_wrap:
        rows += [("Profit for the year attributable to owners", "", fmt(profit[0]), fmt(profit[1])),
                 ("  of the Company", "", "", "")]
    else:
        lbl = ("Profit for the year attributable to owners of the Company" if lang == "en"
               else "本公司擁有人應佔年內溢利")
        rows.append((lbl, "", fmt(profit[0]), fmt(profit[1])))
    unit = ("HK cents" if cur == "HKD" else "RMB cents") if eps_cents else ("HK$" if cur == "HKD" else "RMB")
    zh_unit = ("港仙" if cur == "HKD" else "人民幣分") if eps_cents else ("港元" if cur == "HKD" else "人民幣元")
    eps_fmt = lambda v: f"{abs(v):.2f}" if round(v, 2) >= 0 else f"({abs(v):.2f})"  # noqa: E731
    rows_eps_heading = r.choice(s["eps"])
    if lang == "en":
        rows += [(rows_eps_heading, note("9"), "", ""), (f"  Basic ({unit})", "", eps_fmt(eps[0]), eps_fmt(eps[1])),
                 (f"  Diluted ({unit})", "", eps_fmt(dil[0]), eps_fmt(dil[1]))]
    else:
        rows += [(r.choice(s["eps"]), note("9"), "", ""), (f"基本（{zh_unit}）", "", eps_fmt(eps[0]), eps_fmt(eps[1])),
                 (f"攤薄（{zh_unit}）", "", eps_fmt(dil[0]), eps_fmt(dil[1]))]
    if bilingual:
        zh_of = {"Revenue": "收益", "Turnover": "營業額", "Cost of sales": "銷售成本", "Gross profit": "毛利",
                 "Profit before tax": "除稅前溢利", "Income tax expense": "所得稅開支", "Taxation": "稅項"}
        rows = [(f"{lab} {zh_of[lab]}" if lab in zh_of else lab, n, a, b) for lab, n, a, b in rows]
    if eps_cells:
        cu = "HK" if cur == "HKD" else "RMB"
        rows = [(lab, n, (f"{cu}{a} cents" if not a.startswith("(") else f"{cu}{a} cents") if eps_cents else f"{cu}{a}",
                 (f"{cu}{b} cents" if eps_cents else f"{cu}{b}")) if "Basic" in lab or "Diluted" in lab else (lab, n, a, b)
                for lab, n, a, b in rows]
        rows = [(lab.replace(f" ({unit})", ""), n, a, b) for lab, n, a, b in rows]
    if loss_heading:
        rows = [("Loss per share", n, a, b) if lab == rows_eps_heading else
                ((lab, n, a.strip("()"), b.strip("()")) if "Basic" in lab or "Diluted" in lab else (lab, n, a, b))
                for lab, n, a, b in rows]
    if translation:
        zh = {"Gross profit": "毛利", "Cost of sales": "銷售成本", "Finance costs": "融資成本"}
        expanded = []
        for row in rows:
            expanded.append(row)
            if row[0] in zh:
                expanded.append((zh[row[0]], "", "", ""))
        rows = expanded
    if reverse:
        rows = [(lab, n, b, a) for lab, n, a, b in rows]
    if split_page:
        cut = len(rows) // 2
        while cut < len(rows) - 1 and not rows[cut - 1][2]:
            cut += 1  # never between the lines of a wrapped label
        doc.rows(rows[:cut])
        doc.page_break()
        doc.rows(rows[:len(header)] + rows[cut:])
    else:
        doc.rows(rows)
    doc.text(r.choice(s["bs_title"]), size=11, gap=0)
    bs_rows = [("", "", yrs[0], yrs[1]), ("", "", scale_label, scale_label),
               ("Pledged bank deposits" if lang == "en" else "已抵押銀行存款", "", "1,000", "1,000"),
               (r.choice(s["cash"]), "", fmt(cash[0]), fmt(cash[1])),
               ("Share capital" if lang == "en" else "股本", "", "10,000", "10,000"),
               ("Reserves" if lang == "en" else "儲備", "", fmt(equity[0] - 10_000), fmt(equity[1] - 10_000))]
    if has_nci:
        bs_rows += [("Equity attributable to owners of the Company" if lang == "en" else "本公司擁有人應佔權益", "",
                     fmt(equity[0]), fmt(equity[1])),
                    (r.choice(s["nci"]), "", fmt(nci_eq[0]), fmt(nci_eq[1]))]
    total_eq = [a + b for a, b in zip(equity, nci_eq, strict=True)]
    bs_rows.append((r.choice(s["equity"]), "", fmt(total_eq[0]), fmt(total_eq[1])))
    doc.rows(bs_rows)
    # dividend
    if lang == "en":
        kind_word = "an interim" if interim else "a final"
        if div_cents:
            doc.text(f"The Board has resolved to declare {kind_word} dividend of HK{div_cents} cents per share "
                     f"({year - 1}: HK{prior_div} cents per share)." if prior_div else
                     f"The Board has resolved to declare {kind_word} dividend of HK{div_cents} cents per share "
                     f"({year - 1}: Nil).")
        else:
            doc.text(f"The Board does not recommend the payment of {kind_word} dividend ({year - 1}: "
                     + (f"HK{prior_div} cents per share" if prior_div else "Nil") + ").")
    else:
        kind_word = "中期" if interim else "末期"
        if div_cents:
            doc.text(f"董事會建議派發{kind_word}股息每股港幣{div_cents}仙（{zh_year(year-1)}年："
                     + (f"每股港幣{prior_div}仙" if prior_div else "無") + "）。")
        else:
            doc.text(f"董事會不建議派發{kind_word}股息（{zh_year(year-1)}年：" + (f"每股港幣{prior_div}仙" if prior_div else "無") + "）。")
    total_div, total_prior = div_cents, prior_div
    if interim_paid:
        paid, paid_prior = interim_paid
        total_div, total_prior = div_cents + paid, prior_div + paid_prior
        prior_text = (f"HK{paid_prior} cents" if paid_prior else "Nil") if lang == "en" else (
            f"每股港幣{paid_prior}仙" if paid_prior else "無")
        doc.text("DIVIDENDS" if lang == "en" else "股息", size=10)
        doc.text(f"An interim dividend of HK{paid} cents per share ({year - 1}: {prior_text}) was paid during the year."
                 if lang == "en" else f"年內已派付中期股息每股港幣{paid}仙（{zh_year(year - 1)}年：{prior_text}）。")
    doc.pdf.output(str(out))
    k = 1000.0
    scale = 0.01 if eps_cents else 1.0
    truth = {
        "revenue": (rev[0] * k, rev[1] * k), "gross_profit": (gp[0] * k, gp[1] * k),
        "operating_profit": (op[0] * k, op[1] * k) if show_op else (None, None),
        "profit_before_tax": (pbt[0] * k, pbt[1] * k), "profit_for_period": (profit[0] * k, profit[1] * k),
        "profit_attributable": (owners[0] * k, owners[1] * k),
        "eps_basic": (round(eps[0] * scale, 6), round(eps[1] * scale, 6)),
        "eps_diluted": (round(dil[0] * scale, 6), round(dil[1] * scale, 6)),
        "dividend_per_share": (round(total_div / 100, 6), round(total_prior / 100, 6)),
        "total_equity": (total_eq[0] * k, total_eq[1] * k), "cash": (cash[0] * k, cash[1] * k),
        "_meta": (lang, interim, year, end_month, cur),
    }
    return truth


def yuan(fen: int) -> str:
    text = f"{abs(fen) // 100:,}.{abs(fen) % 100:02d}"
    return f"-{text}" if fen < 0 else text


CAS_LABELS = {
    "en": ("I. Total operating revenue", "  Including: Operating revenue", "II. Total operating costs",
           "  Including: Operating costs", "III. Operating profit (loss is represented by \"-\")",
           "IV. Total profit (total loss is represented by \"-\")", "  Less: Income tax expenses",
           "V. Net profit (net loss is represented by \"-\")", "(II) Classified by ownership",
           "  1. Net profit attributable to shareholders of the parent company",
           "  2. Profit or loss attributable to minority shareholders", "VIII. Earnings per share:",
           "  (I) Basic earnings per share (RMB/share)", "  (II) Diluted earnings per share (RMB/share)",
           "Cash and bank balances", "Total owners' equity (or shareholders' equity)", "Item", "Unit: Yuan  Currency: RMB"),
    "zh": ("一、營業總收入", "其中：營業收入", "二、營業總成本", "其中：營業成本", "三、營業利潤（虧損以“－”號填列）",
           "四、利潤總額（虧損總額以“－”號填列）", "減：所得稅費用", "五、淨利潤（淨虧損以“－”號填列）", "（二）按所有權歸屬分類",
           "1.歸屬於母公司股東的淨利潤", "2.少數股東損益", "八、每股收益：", "（一）基本每股收益(元/股)", "（二）稀釋每股收益(元/股)",
           "貨幣資金", "所有者權益（或股東權益）合計", "項目", "單位：元　幣種：人民幣"),
}


def make_cas(seed: int, out: Path) -> dict:
    """A PRC (CAS) format report of random figures in whole yuan: balance sheet first with the parent
    company's after it, the income statement and the parent's, no gross profit line, the period named
    by its months."""
    r = random.Random(seed)
    lang = r.choice(["en", "zh"])
    labels = CAS_LABELS[lang]
    interim = r.random() < 0.6
    year = r.randint(2015, 2025)
    months = 6 if interim else 12
    def fen(lo: int, hi: int) -> int:
        return r.randint(lo, hi) * 100 + r.randint(0, 99)
    rev = [fen(10**8, 10**10) for _ in range(2)]
    costs = [int(v * r.uniform(0.8, 1.05)) for v in rev]
    op = [a - b for a, b in zip(rev, costs, strict=True)]
    pbt = [v + fen(-10**6, 10**6) for v in op]
    tax = [int(abs(v) * 0.25) if v > 0 else 0 for v in pbt]
    net = [a - b for a, b in zip(pbt, tax, strict=True)]
    minority = [int(v * r.uniform(0.0, 0.1)) for v in net]
    owners = [a - b for a, b in zip(net, minority, strict=True)]
    eps = [round(o / 100 / r.choice([10**9, 2 * 10**9]), 2) for o in owners]
    cash = [fen(10**8, 10**10) for _ in range(2)]
    equity = [fen(10**9, 10**11) for _ in range(2)]
    doc = Doc(FONT if lang == "zh" else None)
    name = f"Variant {seed} Heavy Industries Co., Ltd." if lang == "en" else f"變體{seed}重工股份有限公司"
    code = f"(Stock Code: {seed % 9000 + 100})" if lang == "en" else f"（股份代號：{seed % 9000 + 100}）"
    title = (f"{year} INTERIM REPORT" if interim else f"{year} ANNUAL REPORT") if lang == "en" else (
        f"{year}年半年度報告" if interim else f"{year}年年度報告")
    doc.cover((name, 14), (code, 9), (title, 16))
    span = (f"January to {'June' if interim else 'December'} {year}" if lang == "en"
            else f"{year}年1－{months}月")
    prior_span = span.replace(str(year), str(year - 1))
    bs_head = (f"{'June 30' if interim else 'December 31'}, {year}", f"December 31, {year - 1}") if lang == "en" else (
        f"{year}年{months}月30日" if interim else f"{year}年12月31日", f"{year - 1}年12月31日")
    others = [("Accounts receivable" if lang == "en" else "應收賬款", [fen(10**7, 10**9) for _ in range(2)]),
              ("Inventories" if lang == "en" else "存貨", [fen(10**7, 10**9) for _ in range(2)]),
              ("Total assets" if lang == "en" else "資產總計", [v * 3 for v in equity]),
              ("Total liabilities" if lang == "en" else "負債合計", [v * 2 for v in equity])]
    pages = [("CONSOLIDATED BALANCE SHEET" if lang == "en" else "合併資產負債表", bs_head,
              [(labels[14], cash), *others, (labels[15], equity)]),
             ("BALANCE SHEET OF THE PARENT COMPANY" if lang == "en" else "母公司資產負債表", bs_head,
              [(labels[14], [v // 3 for v in cash]), (labels[15], [v // 2 for v in equity])]),
             ("CONSOLIDATED INCOME STATEMENT" if lang == "en" else "合併利潤表", (span, prior_span),
              [(labels[0], rev), (labels[1], rev), (labels[2], costs), (labels[3], [int(v * 0.8) for v in costs]),
               (labels[4], op), (labels[5], pbt), (labels[6], tax), (labels[7], net), (labels[8], None),
               (labels[9], owners), (labels[10], minority), (labels[11], None), (labels[12], eps), (labels[13], eps)]),
             ("INCOME STATEMENT OF THE PARENT COMPANY" if lang == "en" else "母公司利潤表", (span, prior_span),
              [(labels[0], [v // 4 for v in rev]), (labels[7], [v // 5 for v in net]), (labels[12], [0.01, 0.02])])]
    for heading, (head_cur, head_prior), lines in pages:
        doc.page_break()
        doc.text(heading, size=11, align="C", gap=0)
        doc.text(labels[17], size=8, align="R")
        rows = [(labels[16], "", head_cur, head_prior)]
        for label, values in lines:
            if values is None:
                rows.append((label, "", "", ""))
            elif isinstance(values[0], float):
                rows.append((label, "", f"{values[0]:.2f}", f"{values[1]:.2f}"))
            else:
                rows.append((label, "", yuan(values[0]), yuan(values[1])))
        doc.rows(rows)
    doc.pdf.output(str(out))
    y = lambda pair: (pair[0] / 100, pair[1] / 100)  # noqa: E731
    return {"revenue": y(rev), "gross_profit": (None, None), "operating_profit": y(op),
            "profit_before_tax": y(pbt), "profit_for_period": y(net), "profit_attributable": y(owners),
            "eps_basic": (eps[0], eps[1]), "eps_diluted": (eps[0], eps[1]), "total_equity": y(equity),
            "cash": y(cash), "_meta": (f"cas-{lang}", interim, year, months, "RMB")}


def check(seed: int, folder: Path) -> tuple[int, int, int, list[str]]:
    """Stated, found and wrong figures of one variant (every fifth in the PRC format), and what went amiss."""
    path = folder / f"variant-{seed}.pdf"
    truth = make_cas(seed, path) if seed % 5 == 4 else make(seed, path)
    lang, interim, year, end_month, cur = truth.pop("_meta")
    try:
        report = parse_results(path)
    except Exception as exc:  # a probe reports every failure and goes on
        return 0, 0, 0, [f"ERROR {type(exc).__name__}: {exc}", traceback.format_exc(limit=3)]
    stated = found = wrong = 0
    problems = []
    for name, pair in truth.items():
        metric = report.metric(name)
        for want, got, period in ((pair[0], metric.current, "current"), (pair[1], metric.prior, "prior")):
            if want is None:
                if got is not None:
                    wrong += 1
                    problems.append(f"WRONG {name}.{period}: not stated, parser gave {got}")
                continue
            stated += 1
            if got is not None and abs(got - want) < 1e-6 + abs(want) * 1e-9:
                found += 1
            elif got is None:
                problems.append(f"miss {name}.{period} ({metric.note})")
            else:
                wrong += 1
                problems.append(f"WRONG {name}.{period}: want {want}, parser gave {got}")
    end = report.period_end
    if report.currency != cur or report.months != (6 if interim else 12) or not end or (
            (end.year, end.month) != (year, end_month)):
        problems.append(f"META {report.currency} {report.months} {end} (want {cur}, {year}-{end_month})")
    return stated, found, wrong, [f"{lang} {'interim' if interim else 'final'}: {p}" for p in problems]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=100)
    parser.add_argument("first_seed", nargs="?", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="write the variants here instead of a temp dir")
    args = parser.parse_args(argv)
    if not Path(FONT).is_file():
        print(f"parse_variants: the Chinese variants need the CJK font {FONT} "
              "(apt-get install fonts-wqy-microhei)", file=sys.stderr)
        return 2
    totals = [0, 0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for seed in range(args.first_seed, args.first_seed + args.count):
            stated, found, wrong, problems = check(seed, folder)
            totals = [totals[0] + stated, totals[1] + found, totals[2] + wrong]
            for problem in problems:
                print(f"variant {seed}: {problem}")
    stated, found, wrong = totals
    print(f"{args.count} variants: {stated} figures stated, {found} found ({found / max(stated, 1):.1%}), "
          f"{wrong} wrong")
    return 0


if __name__ == "__main__":
    sys.exit(main())
