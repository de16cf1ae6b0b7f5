"""Label synonyms (en + zh), whole-label matching, wrapped and bilingual labels, statement titles."""

from __future__ import annotations

import pytest

from parsers.headings import heading_kind
from parsers.labels import classify, normalize, says_loss_per_share


@pytest.mark.parametrize(("label", "kinds"), [
    ("REVENUE", ("revenue",)),
    ("Turnover", ("revenue",)),
    ("收益", ("revenue",)),
    ("收入", ("revenue",)),
    ("營業額", ("revenue",)),
    ("Revenue 收益", ("revenue",)),
    ("收 益", ("revenue",)),
    ("Gross profit", ("gross_profit",)),
    ("毛利", ("gross_profit",)),
    ("Operating (loss)/profit", ("operating_profit",)),
    ("Profit from operations", ("operating_profit",)),
    ("經營溢利", ("operating_profit",)),
    ("PROFIT BEFORE TAX", ("profit_before_tax",)),
    ("Loss before income tax", ("profit_before_tax",)),
    ("(Loss)/profit before taxation", ("profit_before_tax",)),
    ("除稅前溢利", ("profit_before_tax",)),
    ("Profit/(loss) for the period", ("profit_for_period",)),
    ("Loss for the year", ("profit_for_period",)),
    ("期內溢利", ("profit_for_period",)),
    ("年內虧損", ("profit_for_period",)),
    ("Profit for the year attributable to owners of the "
     "Company", ("profit_attributable", "profit_for_period?")),
    ("本公司擁有人應佔期內溢利", ("profit_attributable", "profit_for_period?")),
    ("Attributable to:", ("attributable_header",)),
    ("Loss is attributable to:", ("attributable_header",)),
    ("以下人士應佔：", ("attributable_header",)),
    ("Owners of the parent", ("owners",)),
    ("Equity holders of the Company", ("owners",)),
    ("本公司擁有人", ("owners",)),
    ("Non-controlling interests", ("nci",)),
    ("非控股權益", ("nci",)),
    ("Profit for the year from continuing operations", ("continuing_profit",)),
    ("Loss for the period from discontinued operation", ("discontinued_profit",)),
    ("Total equity", ("total_equity",)),
    ("權益總額", ("total_equity",)),
    ("Cash and cash equivalents", ("cash",)),
    ("Bank balances and cash", ("cash",)),
    ("現金及現金等價物", ("cash",)),
    ("Basic and diluted loss per share (RMB)", ("eps_basic", "eps_diluted")),
    ("每股基本盈利（人民幣分）", ("eps_basic",)),
    ("Loss per share for loss attributable to equity holders", ("eps_heading",)),
])
def test_classify(label: str, kinds: tuple[str, ...]) -> None:
    assert classify(label) == kinds


@pytest.mark.parametrize("label", [
    "Total equity and liabilities",
    "Term deposits Cash and cash equivalents",
    "Other gains/(losses) - net",
    "— For profit for the period",
    "Revenue from other sources in notes",
    "Total comprehensive income for the period",  # an anchor, never a metric
    "Dividend per share",
])
def test_near_misses_are_not_metrics(label: str) -> None:
    assert not set(classify(label)) & {"revenue", "total_equity", "cash", "profit_for_period", "eps_basic"}


def test_eps_lines_need_a_per_share_context() -> None:
    assert classify("— Basic (Hong Kong cents)") == ()
    assert classify("— Basic (Hong Kong cents)", in_eps=True) == ("eps_basic",)
    assert classify("基本", in_eps=True) == ("eps_basic",)
    assert classify("攤薄", in_eps=True) == ("eps_diluted",)


def test_wrapped_label_joined_reads_as_one() -> None:
    assert classify("the Company") == ()
    assert classify("Profit for the year attributable to owners of the Company") != ()


def test_bilingual_disagreement_is_no_match() -> None:
    assert classify("Revenue 毛利") == ()


def test_normalize_drops_units_and_bullets() -> None:
    assert normalize("— Basic (Hong Kong cents)") == "basic"
    assert normalize("(Loss)/profit for the year:") == "(loss)/profit for the year"


def test_loss_per_share_heading() -> None:
    assert says_loss_per_share("Loss per share")
    assert not says_loss_per_share("(Loss)/earnings per share")


@pytest.mark.parametrize(("line", "kind"), [
    ("INTERIM CONDENSED CONSOLIDATED STATEMENT OF PROFIT OR LOSS", "is"),
    ("CONSOLIDATED STATEMENT OF PROFIT OR LOSS AND OTHER", "is"),
    ("INTERIM CONDENSED CONSOLIDATED INCOME STATEMENT", "is"),
    ("簡明綜合損益表", "is"),
    ("CONSOLIDATED STATEMENT OF FINANCIAL POSITION", "bs"),
    ("Interim Condensed Consolidated Balance Sheet", "bs"),
    ("中期簡明綜合財務狀況表", "bs"),
    ("CONDENSED CONSOLIDATED STATEMENT OF CASH FLOWS", "stop"),
    ("NOTES TO THE CONSOLIDATED FINANCIAL STATEMENTS", "stop"),
    ("中期簡明綜合財務資料附註", "stop"),
    ("附註 人民幣千元 人民幣千元", None),
    ("The above interim condensed consolidated income statement should be read in conjunction with the "
     "notes.",
     None),
    ("Income statement items were", None),
])
def test_headings(line: str, kind: str | None) -> None:
    assert heading_kind(line) == kind


def test_full_width_dash_bullets_are_dropped() -> None:
    assert classify("－基本（人民幣分）", in_eps=True) == ("eps_basic",)


def test_letter_spaced_titles() -> None:
    assert heading_kind("C O N S O L I D A T E D  B A L A N C E  S H E E T") == "bs"
    assert heading_kind("C O N S O L I D A T E D  I N C O M E  S T A T E M E N T") == "is"
    assert heading_kind("C O N S O L I D A T E D  S T A T E M E N T  O F  C A S H  F L O W S") == "stop"
    assert heading_kind("A B C D E F G H") is None


def test_footnote_marks_after_a_label() -> None:
    assert classify("Revenue¹") == ("revenue",)
    assert classify("Profit for the year2") == ("profit_for_period",)
