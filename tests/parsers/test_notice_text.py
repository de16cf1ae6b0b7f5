"""Notice text normalised once before any pattern (parsers/text.py), and overdrawn glyphs kept once
(parsers/overdraw.py, on PDFs in test_notice_traits.py)."""

from __future__ import annotations

import pytest

from parsers.kinds import DocumentKind, identify
from parsers.text import join_lines, letter_spaced, normalise_line


@pytest.mark.parametrize(("raw", "printed"), [
    # spaced on some lines, even inside a date or an amount (real 01856 notices)
    ("將 於 二 零 二 五 年 六 月 三 十 日", "將於二零二五年六月三十日"),
    ("2 1, 0 0 0 , 0 0 0 港 元 將 於 本 集 團 的 綜 合 損 益 表 中 扣 除 。",
     "21,000,000港元將於本集團的綜合損益表中扣除。"),
    ("收 益 減 少 約 24 % 以 及 毛 利 下 降", "收益減少約24%以及毛利下降"),
    ("2015 年 6 月 12 日（星 期 五）", "2015年6月12日（星期五）"),
    ("（ 於開曼群島註冊成立之有限公司）", "（於開曼群島註冊成立之有限公司）"),
    # compatibility ideographs 零 U+F9B2, 年 U+F98E, 行 U+FA08 as their ordinary forms; （，： kept full-width
    ("二\uf9b2一四\uf98e八月二十八日（星期四）舉\ufa08，", "二零一四年八月二十八日（星期四）舉行，"),
    # English is left as it is, but for its spacing
    ("a loss of  HK$60 million and 2014  2013", "a loss of HK$60 million and 2014 2013"),
    ("第 XIVA 部 of the Ordinance", "第 XIVA 部 of the Ordinance"),
])
def test_normalise_line(raw: str, printed: str) -> None:
    assert normalise_line(raw) == printed


def test_digits_are_joined_only_on_letter_spaced_lines() -> None:
    assert letter_spaced("香 港 法 例 第 571 章 證 券 及 期 貨 條 例")
    assert not letter_spaced("The Group recorded 1 2 3 4 5 6 7 in 2014 2013")
    assert normalise_line("2014 2013 年度") == "2014 2013年度"


def test_dates_broken_across_lines_are_joined() -> None:
    assert join_lines(["截至二零", "一三年十二月三十一日止年度"]) == "截至二零一三年十二月三十一日止年度"
    assert join_lines(["於2015年6月", "12日舉行"]) == "於2015年6月12日舉行"
    assert join_lines(["截至2014年12", "月31日止年度"]) == "截至2014年12月31日止年度"
    assert join_lines(["held on Wednesday, 20th", "August, 2008"]) == "held on Wednesday, 20th August, 2008"


@pytest.mark.parametrize(("title", "kind"), [
    ("董 事 會 會 議 召 開 日 期", DocumentKind.BOARD_MEETING),
    ("股 東 週 年 大 會 通 告", DocumentKind.AGM_NOTICE),
    ("NOTICE OF BOARD MEETING", DocumentKind.BOARD_MEETING),
    ("CHANGE OF DATE OF BOARD MEETING", DocumentKind.BOARD_MEETING),
    ("更改董事會會議日期", DocumentKind.BOARD_MEETING),
    ("POSTPONEMENT OF BOARD MEETING", DocumentKind.BOARD_MEETING),
    ("DELAY IN PUBLICATION OF ANNUAL RESULTS", DocumentKind.DELAY),
    ("DELAY IN DESPATCH OF CIRCULAR", DocumentKind.CIRCULAR),
    ("延遲寄發通函", DocumentKind.CIRCULAR),
])
def test_titles_are_identified_normalised(title: str, kind: DocumentKind) -> None:
    page = f"Sample Holdings Limited\n(Stock Code: 1234)\n{title}\nThe Board announces."
    assert identify(page).kind is kind


def test_a_warning_title_above_a_line_naming_results_is_a_warning() -> None:
    page = ("(Stock Code: 1856)\nINSIDE INFORMATION ANNOUNCEMENT\nPROFIT WARNING\n"
            "The Board expects a decrease.\n"
            "The Company expects to publish the announcement on the interim results of the Group for the\n")
    assert identify(page).kind is DocumentKind.PROFIT_WARNING
    assert identify("(Stock Code: 1856)\nINTERIM RESULTS ANNOUNCEMENT\nPROFIT WARNING\n").kind is \
        DocumentKind.RESULTS
