"""Scale and currency detection (en + zh); per-share units are separate and never the amount scale."""

from __future__ import annotations

import pytest

from parsers.units import Unit, detect_full_unit, detect_unit, per_share_scale


@pytest.mark.parametrize(("text", "unit"), [
    ("2025 2024 RMB'000 RMB'000", Unit("RMB", 1e3, "RMB'000")),
    ("NOTES HK$’000 HK$’000", Unit("HKD", 1e3, "HK$'000")),
    ("2024 US$ million", Unit("USD", 1e6, "US$ million")),
    ("RMB million RMB million", Unit("RMB", 1e6, "RMB million")),
    ("二零二五年 千港元", Unit("HKD", 1e3, "千港元")),
    ("附註 人民幣千元 人民幣千元", Unit("RMB", 1e3, "人民幣千元")),
    ("presented in thousands of Renminbi", Unit("RMB", 1e3, "thousands of Renminbi")),
    ("US$'000", Unit("USD", 1e3, "US$'000")),
])
def test_detect_unit(text: str, unit: Unit) -> None:
    assert detect_unit(text) == unit


def test_no_unit() -> None:
    assert detect_unit("Revenue 406,759 369,696") is None


def test_full_dollars_from_a_currency_only_header() -> None:
    assert detect_full_unit(["2025", "HK$", "2024", "HK$"]) == Unit("HKD", 1.0, "HK$")
    assert detect_full_unit(["2025", "RMB'000"]) is None


@pytest.mark.parametrize(("text", "scale"), [
    ("— Basic (Hong Kong cents)", 0.01),
    ("Basic (HK cents)", 0.01),
    ("Basic and diluted (RMB)", 1.0),
    ("Basic loss per share (expressed in RMB per share)", 1.0),
    ("基本及攤薄（人民幣元）", 1.0),
    ("每股基本盈利（港仙）", 0.01),
    ("每股基本盈利（人民幣分）", 0.01),
    ("Basic", None),
])
def test_per_share_scale(text: str, scale: float | None) -> None:
    assert per_share_scale(text) == scale


def test_scale_in_the_header_and_currency_elsewhere_on_the_page() -> None:
    from parsers.units import detect_scale_with_currency

    page = "（除另有指明外，以人民幣列示）\n二零二四年 二零二三年\n千元 千元\n收益 1,000 900"
    assert detect_scale_with_currency("二零二四年 千元", page) == Unit("RMB", 1e3, "千元")
    assert detect_scale_with_currency("二零二四年", page) is None
