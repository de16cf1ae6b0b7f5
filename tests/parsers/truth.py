"""Figures read by hand from the test documents, with the page (1-based, of the PDF) each stands on.

Shared by the parser tests (``test_reports.py``, ``test_fixtures.py``) and the accuracy script
(``benchmarks/parse_accuracy.py``). A value of ``None`` means the document does not state the figure,
so the parser must report it missing; ``AMBIGUOUS`` means a careful reader could give more than one
answer (the parser may report it missing, or the value in the entry's ``accept``); it is not counted
as stated. Amounts in absolute currency units, per-share figures in currency units (8.55 cents = 0.0855).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

K = 1000.0

Pair = tuple[float | None, float | None]


@dataclass(frozen=True)
class Truth:
    file: str  # under tests/fixtures/
    company: str | None
    codes: tuple[str, ...]
    kind: str
    period_end: date
    months: int
    currency: str
    unit: str
    figures: dict[str, Pair]
    ambiguous: dict[str, str] = field(default_factory=dict)  # metric -> why it is not counted


def _k(current: float | None, prior: float | None) -> Pair:
    return (None if current is None else current * K, None if prior is None else prior * K)


NOT_STATED: Pair = (None, None)

REPORTS: dict[str, Truth] = {
    # Emperor Capital (00717), a broker: revenue is an unlabelled subtotal under a "Revenue 收入" heading.
    "00717": Truth(
        "reports/00717-annual-report-2020-21.pdf", "Emperor Capital Group Limited", ("00717",), "final",
        date(2021, 9, 30), 12, "HKD", "HK$'000",
        {
            "revenue": _k(676_812, 917_407),  # p72, the subtotal under "Revenue" (highlights p5 agree)
            "gross_profit": NOT_STATED,
            "operating_profit": NOT_STATED,
            "profit_before_tax": _k(-541_560, -679_607),  # p72
            "profit_for_period": _k(-576_094, -689_747),  # p72 "Loss for the year attributable to owners"
            "profit_attributable": _k(-576_094, -689_747),  # p72, the same line
            "eps_basic": (-0.0855, -0.1023),  # p72 "HK(8.55) cents"
            "eps_diluted": NOT_STATED,  # p132: no diluted loss per share presented
            "dividend_per_share": (0.0, 0.0),  # p14 no final dividend (2020: Nil)
            "total_equity": _k(3_849_642, 4_425_613),  # p74
            # p73 "Bank balances and cash - general accounts" (= p77 closing cash and cash equivalents)
            "cash": _k(864_062, 692_032),
        }),
    # Water Oasis (01161): ordinal dates, EPS "25.0 HK cents" with one decimal.
    "01161": Truth(
        # the name as the auditor's report (p53) addresses the shareholders; the code from p123
        "reports/01161-annual-report-2021.pdf", "WATER OASIS GROUP LIMITED", ("01161",), "final",
        date(2021, 9, 30), 12, "HKD", "HK$'000",
        {
            "revenue": _k(829_935, 531_374),  # p61
            "gross_profit": NOT_STATED,
            "operating_profit": NOT_STATED,
            "profit_before_tax": _k(209_841, 36_586),  # p61 "Profit before taxation"
            "profit_for_period": _k(170_038, 27_460),  # p61
            "profit_attributable": _k(170_340, 27_736),  # p61
            "eps_basic": (0.25, 0.041),  # p62 "25.0 HK cents", "4.1 HK cents"
            "eps_diluted": (0.25, 0.041),  # p62
            # p8 "final dividend of 16.5 HK cents per share, making the full-year dividend 22.0 HK cents
            # (2020: 6.0 HK cents)"; p92 note 14: interim 5.5 (2020: 6.0) + final 16.5 (2020: nil) HK cents
            "dividend_per_share": (0.22, 0.06),
            "total_equity": _k(358_765, 223_109),  # p64
            "cash": _k(369_662, 418_516),  # p63 "Bank balances and cash"
        }),
    # China Creative Global (01678): the title wraps after "PROFIT OR", "RMB'00 0" kerned apart.
    "01678": Truth(
        "reports/01678-annual-report-2019.pdf", "CHINA CREATIVE GLOBAL HOLDINGS LIMITED", ("01678",), "final",
        date(2019, 12, 31), 12, "RMB", "RMB'000",
        {
            "revenue": _k(115_223, 152_501),  # p70
            "gross_profit": _k(31_830, 17_719),  # p70
            "operating_profit": _k(-322_101, -124_877),  # p70 "Loss from operations"
            "profit_before_tax": _k(-1_675_192, -145_101),  # p70
            "profit_for_period": _k(-1_675_984, -145_893),  # p70 "Loss and total comprehensive expense"
            # no attributable line in the statements; p124 note 17: "the loss for the year attributable to
            # owners of the Company of approximately RMB1,675,984,000 (2018: RMB145,893,000)"
            "profit_attributable": _k(-1_675_984, -145_893),
            "eps_basic": (-0.77, -0.07),  # p70 "Basic (RMB)"
            "eps_diluted": (-0.77, -0.07),  # p70
            "dividend_per_share": (0.0, 0.0),  # p123 note 16 "(2018: Nil)"
            "total_equity": _k(-152_790, 1_956_855),  # p72 "TOTAL (DEFICIT) EQUITY"
            "cash": _k(58, 889_760),  # p71 "Bank and cash balances"
        }),
    # FSM Holdings (01721): S$, restated comparatives, a three-column balance sheet, a tax credit.
    "01721": Truth(
        "reports/01721-fsm-holdings-annual-report-2020.pdf", "FSM Holdings Limited", ("01721",), "final",
        date(2020, 12, 31), 12, "SGD", "S$'000",
        {
            "revenue": _k(10_342, 9_609),  # p59
            "gross_profit": _k(1_438, 2_091),  # p59
            "operating_profit": _k(-2_768, -226),  # p59
            "profit_before_tax": _k(-2_712, -121),  # p59
            "profit_for_period": _k(-2_599, -400),  # p59 "Loss for the year attributable to owners"
            "profit_attributable": _k(-2_599, -400),  # p59, the same line
            "eps_basic": (-0.0026, -0.0004),  # p59 "(Singapore cents)"
            "eps_diluted": (-0.0026, -0.0004),  # p59
            "dividend_per_share": (0.0, 0.0),  # p9 MD&A: no final dividend for FY2020 (FY2019: Nil)
            "total_equity": _k(35_691, 38_357),  # p61 (third column 1/1/2019 is not the prior)
            "cash": _k(10_602, 11_649),  # p61 beside "Short-term and pledged deposits"
        }),
    # Ri Ying (01741): bilingual cover, a tax credit, cash as "Bank deposits, balances and cash".
    "01741": Truth(
        "reports/01741-ri-ying-holdings-annual-report-2021.pdf", "Ri Ying Holdings Limited", ("01741",),
        "final",
        date(2021, 9, 30), 12, "HKD", "HK$'000",
        {
            "revenue": _k(223_076, 303_912),  # p67
            "gross_profit": _k(20_878, 36_028),  # p67
            "operating_profit": _k(-24_507, 11_231),  # p67
            "profit_before_tax": _k(-24_853, 10_925),  # p67
            "profit_for_period": _k(-23_853, 10_193),  # p67
            "profit_attributable": _k(-21_274, 10_299),  # p67
            "eps_basic": (-0.0266, 0.0129),  # p67 "(HK cents)"
            "eps_diluted": (-0.0266, 0.0129),  # p67
            "dividend_per_share": (0.0, 0.0),  # p113 note 13: none for 2021 and 2020
            "total_equity": _k(179_468, 203_425),  # p68
            "cash": _k(105_911, 132_076),  # p68 (= p71 closing cash and cash equivalents)
        }),
    # Capital VC (02324), an investment company: "Turnover" is investment gains (negative in 2020),
    # amounts in HK$ (not thousands), equity printed only as attributable to equity holders.
    "02324": Truth(
        "reports/02324-capital-vc-annual-report-2020-21.pdf", "CAPITAL VC LIMITED", ("02324",), "final",
        date(2021, 9, 30), 12, "HKD", "港元",  # p51 columns headed "HK$" over "港元": whole dollars
        {
            "revenue": (76_705_162.0, -52_399_474.0),  # p51 "Turnover 營業額"
            "gross_profit": NOT_STATED,
            "operating_profit": (64_391_336.0, -103_413_088.0),  # p51 "Operating gain (loss)"
            "profit_before_tax": (62_724_232.0, -105_482_955.0),  # p51
            "profit_for_period": (62_724_232.0, -105_482_955.0),  # p51
            "profit_attributable": (62_724_232.0, -105_482_955.0),  # p51
            "eps_basic": (0.18, -0.38),  # p51 (HK$ column)
            "eps_diluted": (0.17, -0.38),  # p51
            "dividend_per_share": (0.0, 0.0),  # p90 note 11 "(2020: Nil)"
            "total_equity": (526_214_629.0, 448_670_719.0),  # p53 attributable to equity holders, no NCI
            "cash": (11_912_344.0, 16_843_374.0),  # p52
        }),
    # Wisdom Education (06068): six figure columns (two segments and their total for each year), the
    # total equity an unlabelled subtotal under non-controlling interests.
    "06068": Truth(
        "reports/06068-wisdom-education-annual-report-2021.pdf",
        "Wisdom Education International Holdings Company Limited", ("06068",), "final",
        date(2021, 8, 31), 12, "RMB", "RMB'000",
        {
            "revenue": _k(2_263_747, 1_792_728),  # p73, the total columns
            "gross_profit": _k(1_004_954, 867_936),  # p73
            "operating_profit": NOT_STATED,
            "profit_before_tax": _k(-2_222_166, 613_364),  # p73
            "profit_for_period": _k(-2_278_566, 501_681),  # p73
            "profit_attributable": _k(-2_119_748, 511_871),  # p73
            "eps_basic": (-0.98, 0.25),  # p73 "Basic (RMB)"
            "eps_diluted": (-0.98, 0.25),  # p73
            # p131 note 14: interim RMB0.067 paid during the year + special RMB0.106 declared in respect of
            # the year; p30 no final dividend. Last year's total is not stated (its final is given only as
            # an amount of money, in the statement of changes in equity).
            "dividend_per_share": (0.173, None),
            "total_equity": _k(578_648, 3_089_253),  # p75 the unlabelled line under NCI
            "cash": _k(402_189, 1_122_778),  # p74 "Bank balances and cash" beside pledged deposits
        }),
}

# The fund's report: must be refused, never read as a company's results.
FUND_REPORT = "reports/03073-spdr-ftse-greater-china-etf-annual-report-2021.pdf"

FIXTURES: dict[str, Truth] = {
    "2512": Truth(
        "2512-cloud-factory-interim-2025.pdf", "Cloud Factory Technology Holdings Limited", ("02512",),
        "interim", date(2025, 6, 30), 6, "RMB", "RMB'000",
        {
            "revenue": _k(406_759, 369_696), "gross_profit": _k(47_690, 47_110),
            "operating_profit": NOT_STATED, "profit_before_tax": _k(16_507, 14_850),
            "profit_for_period": _k(14_923, 12_543), "profit_attributable": _k(14_687, 12_320),
            "eps_basic": (0.03, 0.03), "eps_diluted": (0.03, 0.03), "dividend_per_share": (0.0, 0.0),
            "total_equity": _k(418_989, 405_920), "cash": _k(348_055, 371_016),
        }),
    "0020": Truth(
        "0020-sensetime-interim-2025.pdf", "SenseTime Group Inc.", ("00020", "80020"), "interim",
        date(2025, 6, 30), 6, "RMB", "RMB'000",
        {
            "revenue": _k(2_358_198, 1_739_717), "gross_profit": _k(907_800, 766_760),
            "operating_profit": _k(-1_453_193, -2_721_514), "profit_before_tax": _k(-1_453_283, -2_481_204),
            "profit_for_period": _k(-1_489_270, -2_477_212),
            "profit_attributable": _k(-1_477_949, -2_456_782),
            "eps_basic": (-0.04, -0.08), "eps_diluted": (-0.04, -0.08), "dividend_per_share": (0.0, 0.0),
            "total_equity": _k(22_470_805, 23_641_705),
        },
        ambiguous={"cash": "the balance sheet's cash line is garbled together with term deposits"}),
    "1856": Truth(
        "1856-ernest-borel-final-2014.pdf", "ERNEST BOREL HOLDINGS LIMITED", ("01856",), "final",
        date(2014, 12, 31), 12, "HKD", "HK$'000",
        {
            "revenue": _k(602_624, 604_013), "gross_profit": _k(366_716, 380_126),
            "operating_profit": NOT_STATED, "profit_before_tax": _k(79_047, 110_743),
            "profit_for_period": _k(58_811, 93_021), "profit_attributable": _k(58_811, 93_021),
            "eps_basic": (0.1882, 0.3310), "eps_diluted": (0.1876, 0.3310), "dividend_per_share": (0.08, 0.0),
            "total_equity": _k(682_495, 455_104),
            "cash": _k(141_285, 60_907),  # p3 "Bank balances and cash" beside pledged bank deposits
        }),
}

# Generated layouts (tests/fixtures/make_layouts.py): the figures as typeset there, page 1-based.
LAYOUTS: dict[str, Truth] = {
    # The PRC (CAS) format, whole yuan: balance sheet p3 (the parent's p4), income statement p5 (the
    # parent's p6); no gross profit line; "whether to distribute: No" p2.
    "cas-en": Truth(
        "layouts/cas-interim-report-en-2022.pdf",
        "Huaxia Heavy Industries Co., Ltd.",
        ("01872",),
        "interim",
        date(2022, 6, 30),
        6,
        "RMB",
        "Yuan",
        {
            "revenue": (12_345_678_901.23, 10_987_654_321.00),
            "gross_profit": NOT_STATED,
            "operating_profit": (2_058_025_579.13, 1_530_863_086.55),
            "profit_before_tax": (2_060_247_800.25, 1_532_221_111.13),
            "profit_for_period": (1_759_013_232.36, 1_282_097_654.35),
            "profit_attributable": (1_671_358_911.35, 1_216_665_544.48),
            "eps_basic": (0.52, 0.45),
            "eps_diluted": (0.52, 0.45),
            "dividend_per_share": (0.0, None),
            "total_equity": (103_333_322_233.32, 99_753_208_641.97),
            "cash": (23_456_789_012.34, 21_098_765_432.10),
        },
    ),
    # Continuing 25,000 / 20,500 and discontinued (6,000) / 3,000 on separate lines, no total; EPS of
    # continuing operations only.
    "discontinued": Truth(
        "layouts/discontinued-no-total-2024.pdf",
        "Jade Harbour Industrial Holdings Limited",
        ("01696",),
        "final",
        date(2024, 12, 31),
        12,
        "HKD",
        "HK$'000",
        {
            "revenue": _k(300_000, 280_000),
            "gross_profit": _k(48_000, 41_000),
            "operating_profit": NOT_STATED,
            "profit_before_tax": _k(30_000, 24_500),
            "profit_for_period": _k(19_000, 23_500),
            "profit_attributable": _k(18_100, 22_300),
            "eps_basic": NOT_STATED,
            "eps_diluted": NOT_STATED,
            "dividend_per_share": (0.0, 0.0),
            "total_equity": _k(512_000, 497_000),
            "cash": _k(66_000, 58_000),
        },
    ),
    "interim-bs": Truth(
        "layouts/interim-balance-sheet-2025.pdf",
        "Silver Orchid Logistics Group Limited",
        ("02389",),
        "interim",
        date(2025, 6, 30),
        6,
        "HKD",
        "HK$'000",
        {
            "revenue": _k(90_000, 84_000),
            "gross_profit": _k(21_000, 19_600),
            "operating_profit": NOT_STATED,
            "profit_before_tax": _k(6_300, 5_800),
            "profit_for_period": _k(5_400, 4_950),
            "profit_attributable": _k(5_400, 4_950),
            "eps_basic": (0.0135, 0.0124),
            "eps_diluted": (0.0135, 0.0124),
            "dividend_per_share": (0.0, 0.0),
            "total_equity": _k(190_100, 184_500),
            "cash": _k(72_100, 68_400),
        },
    ),
    "zh-interim-bs": Truth(
        "layouts/zh-interim-balance-sheet-2025.pdf",
        "銀蘭物流集團有限公司",
        ("02389",),
        "interim",
        date(2025, 6, 30),
        6,
        "HKD",
        "千港元",
        {
            "revenue": _k(90_000, 84_000),
            "gross_profit": _k(21_000, 19_600),
            "operating_profit": NOT_STATED,
            "profit_before_tax": _k(6_300, 5_800),
            "profit_for_period": _k(5_400, 4_950),
            "profit_attributable": _k(5_400, 4_950),
            "eps_basic": (0.0135, 0.0124),
            "eps_diluted": (0.0135, 0.0124),
            "dividend_per_share": (0.0, None),
            "total_equity": _k(190_100, 184_500),
            "cash": _k(72_100, 68_400),
        },
    ),
    # interim 6 cents (note 7) + final 12 + special 5 = 23 cents; 2023: 5 + 10 + nil = 15.
    "dividend-parts": Truth(
        "layouts/dividend-parts-final-2024.pdf",
        "Peak Lantern Consumer Holdings Limited",
        ("01929",),
        "final",
        date(2024, 12, 31),
        12,
        "HKD",
        "HK$'000",
        {
            "revenue": _k(400_000, 380_000),
            "gross_profit": _k(64_000, 58_000),
            "operating_profit": NOT_STATED,
            "profit_before_tax": _k(40_000, 36_000),
            "profit_for_period": _k(33_600, 30_240),
            "profit_attributable": _k(33_600, 30_240),
            "eps_basic": (0.336, 0.3024),
            "eps_diluted": (0.336, 0.3024),
            "dividend_per_share": (0.23, 0.15),
            "total_equity": _k(300_000, 285_000),
            "cash": _k(120_000, 105_000),
        },
    ),
    "full-bookmarked": Truth(
        "layouts/full-annual-report-bookmarked-2024.pdf",
        "Harbour Crest Holdings Limited",
        ("01638",),
        "final",
        date(2024, 12, 31),
        12,
        "HKD",
        "HK$'000",
        {
            "revenue": _k(812_400, 760_300),
            "gross_profit": _k(243_700, 228_100),
            "operating_profit": NOT_STATED,
            "profit_before_tax": _k(96_500, 88_200),
            "profit_for_period": _k(80_100, 73_600),
            "profit_attributable": _k(76_900, 70_800),
            "eps_basic": (0.2563, 0.2360),
            "eps_diluted": (0.2551, 0.2352),
            "dividend_per_share": (0.25, 0.22),
            "total_equity": _k(1_020_300, 968_700),
            "cash": _k(211_800, 190_400),
        },
    ),
    "eps-note": Truth(
        "layouts/attributable-in-eps-note-2025.pdf",
        "Amber Quay Technology Limited",
        ("08156",),
        "interim",
        date(2025, 9, 30),
        6,
        "HKD",
        "HK$'000",
        {
            "revenue": _k(52_000, 47_000),
            "gross_profit": _k(18_000, 14_500),
            "operating_profit": NOT_STATED,
            "profit_before_tax": _k(-3_500, 2_200),
            "profit_for_period": _k(-3_150, 1_800),
            "profit_attributable": _k(-3_150, 1_800),
            "eps_basic": (-0.0079, 0.0045),
            "eps_diluted": (-0.0079, 0.0045),
            "dividend_per_share": (0.0, 0.0),
            "total_equity": _k(88_000, 91_150),
            "cash": _k(20_100, 23_400),
        },
    ),
}
# The same report in Chinese, as its A-share filing prints it.
LAYOUTS["cas-zh"] = Truth(**{**LAYOUTS["cas-en"].__dict__, "file": "layouts/cas-interim-report-zh-2022.pdf",
                             "company": "華夏重工股份有限公司", "unit": "元"})
LAYOUTS["full-plain"] = Truth(
    **{**LAYOUTS["full-bookmarked"].__dict__, "file": "layouts/full-annual-report-plain-2024.pdf"}
)

# Listing documents and returns (tests/fixtures/other/): each must be refused naming this kind.
REFUSED: dict[str, str] = {
    "other/prospectus-en.pdf": "prospectus",
    "other/prospectus-zh.pdf": "prospectus",
    "other/prospectus-zh-untitled.pdf": "prospectus",
    "other/prospectus-en-five-periods.pdf": "prospectus",
    "other/allotment-results-en.pdf": "allotment_results",
    "other/allotment-results-zh.pdf": "allotment_results",
    "other/over-allotment-en.pdf": "over_allotment",
    "other/over-allotment-zh.pdf": "over_allotment",
    "other/stabilization-en.pdf": "over_allotment",
    "other/next-day-disclosure-en.pdf": "next_day_disclosure",
    "other/next-day-disclosure-zh.pdf": "next_day_disclosure",
    "other/monthly-return-en.pdf": "monthly_return",
    "other/monthly-return-zh.pdf": "monthly_return",
}
