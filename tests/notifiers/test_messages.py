"""Block Kit builders: figures in readable units, honest gaps, escaping, and Slack's limits."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date

import pytest

from monitor.filing import Filing, FilingKind
from notifiers.base import Message
from notifiers.messages import amount, as_text, filings_message, per_share, results_message
from parsers.report import Check, Metric, ResultsReport

MakeFiling = Callable[..., Filing]
HOSTILE = "<!channel> & <http://evil|click>"


def sensetime(**metrics: Metric) -> ResultsReport:
    base = {
        "revenue": Metric("revenue", 2_358_198_000, 1_739_717_000),
        "gross_profit": Metric("gross_profit", 907_800_000, 766_760_000),
        "profit_for_period": Metric("profit_for_period", -1_489_270_000, -2_477_212_000),
        "profit_attributable": Metric("profit_attributable", -1_477_949_000, -2_456_782_000),
        "eps_basic": Metric("eps_basic", -0.04, -0.08),
        "dividend_per_share": Metric("dividend_per_share", None, None, note="not found in the document"),
    }
    base.update(metrics)
    return ResultsReport(company="SenseTime Group Inc.", stock_codes=("00020",), kind="interim",
                         period_end=date(2025, 6, 30), months=6, prior_period_end=date(2024, 6, 30),
                         currency="RMB", language="en", metrics=base, unit="RMB'000")


def all_text(m: Message) -> str:
    return m.text + "\n" + json.dumps(m.blocks, ensure_ascii=False)


def block_texts(m: Message) -> list[str]:
    out = []
    for b in m.blocks:
        if "text" in b:
            out.append(b["text"]["text"])
        out.extend(e["text"] for e in b.get("elements", []))
    return out


def assert_within_limits(m: Message) -> None:
    assert 0 < len(m.blocks) <= 50
    assert len(m.text) <= 3000
    for b in m.blocks:
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= 150
        elif b["type"] == "section":
            assert len(b["text"]["text"]) <= 3000
        elif b["type"] == "context":
            assert len(b["elements"]) <= 10


@pytest.mark.parametrize("value, currency, shown", [
    (2_358_198_000, "RMB", "RMB 2,358.2m"),
    (602_624_000, "HKD", "HK$ 602.6m"),
    (1_200_000_000, "USD", "US$ 1,200.0m"),
    (22_470_805_000, "RMB", "RMB 22.47bn"),
    (-1_489_270_000, "RMB", "RMB 1,489.3m"),  # signs are words ("Loss for the period"), not minus signs
    (850_000, "HKD", "HK$ 850,000"),
    (5_000_000, None, "5.0m"),
])
def test_amounts(value: float, currency: str | None, shown: str) -> None:
    assert amount(value, currency) == shown


@pytest.mark.parametrize("value, currency, shown", [
    (0.03, "RMB", "RMB 0.03"),
    (-0.04, "RMB", "RMB 0.04"),
    (0.1882, "HKD", "HK 18.82 cents"),
    (0.08, "HKD", "HK 8 cents"),
    (1.25, "HKD", "HK$ 1.25"),
    (0.1234, "USD", "US$ 0.1234"),
])
def test_per_share(value: float, currency: str, shown: str) -> None:
    assert per_share(value, currency) == shown


def test_sensetime_summary(make_filing: MakeFiling) -> None:
    m = results_message(make_filing(), sensetime(), channel="#hkex-filings")
    body = "\n".join(block_texts(m))
    assert "RMB 2,358.2m" in body and "+35.6%" in body
    assert "*Loss for the period*: RMB 1,489.3m vs RMB 2,477.2m · *loss narrowed 39.9%*" in body
    assert "Gross margin*: 38.5% vs 44.1% · *-5.6 pp*" in body
    assert "Basic loss per share*: RMB 0.04" in body
    assert "Six months ended 30 June 2025 (vs 30 June 2024)" in body
    assert "27 Aug 2025 18:30 HKT" in body
    assert "<https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/2025082700123.pdf|" in body
    # The fallback carries the headline for notifications.
    assert "RMB 2,358.2m (+35.6%)" in m.text and "loss narrowed 39.9%" in m.text
    assert m.channel == "#hkex-filings" and m.filing_ids == ("2025082700123",) and m.kind == "results"
    header = "SenseTime Group Inc. (00020): Interim results"
    assert m.blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": header}}
    assert_within_limits(m)


def test_missing_figures_are_not_stated_never_zero(make_filing: MakeFiling) -> None:
    report = sensetime(revenue=Metric("revenue", None, None, note="not found in the document"),
                       cash=Metric("cash", None, None, note="balance sheet total disagrees with notes"),
                       gross_profit=Metric("gross_profit", 907_800_000, None))
    body = "\n".join(block_texts(make_filing_message(make_filing, report)))
    assert "Not stated: Revenue" in body
    assert "Unverified: Cash (balance sheet total disagrees with notes)" in body
    assert "Gross profit*: RMB 907.8m · prior not stated" in body
    assert "Gross margin" not in body  # no revenue, no margin
    assert "*Revenue*" not in body and not re.search(r"RMB 0(?![.,\d])", body)


def make_filing_message(make_filing: MakeFiling, report: ResultsReport) -> Message:
    return results_message(make_filing(), report, channel="#c")


def test_turned_to_profit_and_failed_checks(make_filing: MakeFiling) -> None:
    report = sensetime(profit_for_period=Metric("profit_for_period", 120_000_000, -80_000_000))
    report = ResultsReport(**{**report.__dict__, "checks": (
        Check("gross_profit_ties", False, "revenue - cost of sales = 1.2m, stated gross profit 1.3m"),
        Check("eps_sign", True, "ok"))})
    body = "\n".join(block_texts(make_filing_message(make_filing, report)))
    assert "*Profit for the period*: RMB 120.0m vs loss RMB 80.0m · *turned to profit*" in body
    assert ":warning: 1 check failed: gross_profit_ties: revenue - cost of sales" in body
    assert "eps_sign" not in body


def test_compares_with_previous_final(make_filing: MakeFiling) -> None:
    previous = ResultsReport(company="SenseTime", stock_codes=("00020",), kind="final",
                             period_end=date(2024, 12, 31), months=12, prior_period_end=None, currency="RMB",
                             language="en", metrics={"revenue": Metric("revenue", 3_772_000_000, None)})
    m = results_message(make_filing(), sensetime(), channel="#c", previous=previous)
    assert ("*Compared with the last final results* (Year ended 31 December 2024): Revenue RMB 3,772.0m"
            in block_texts(m))


def test_without_report_still_alerts_with_reason_and_link(make_filing: MakeFiling) -> None:
    m = results_message(make_filing(), None, channel="#c", error="not a PDF (got text/html)")
    body = "\n".join(block_texts(m))
    assert "Figures not available: not a PDF (got text/html)" in body
    assert "|Announcement 2025082700123>" in body
    assert "not a PDF" in m.text and "2025082700123.pdf" in m.text
    assert_within_limits(m)


def test_hostile_text_is_escaped(make_filing: MakeFiling) -> None:
    f = make_filing(title=HOSTILE, stock_names=(HOSTILE,), categories=(HOSTILE,), kind=FilingKind.OTHER)
    report = ResultsReport(**{**sensetime().__dict__, "company": HOSTILE,
                              "warnings": (HOSTILE,), "checks": (Check("c", False, HOSTILE),)})
    for m in (results_message(f, report, channel="#c"), results_message(f, None, channel="#c", error=HOSTILE),
              filings_message([f, f], channel="#c")):
        text = all_text(m)
        assert "<!channel>" not in text and "<http://evil" not in text
        for t in [m.text, *block_texts(m)]:
            # Only our own links may open an angle bracket.
            assert t.count("<") == t.count("<https://www1.hkexnews.hk/")
        assert "&lt;!channel&gt; &amp; &lt;http://evil|click&gt;" in text or "&lt;!channel&gt;" in text


def test_non_http_link_is_not_linked(make_filing: MakeFiling) -> None:
    m = filings_message([make_filing(url="javascript:alert(1)", kind=FilingKind.OTHER)], channel="#c")
    assert "javascript:" not in "\n".join(block_texts(m))


def test_long_text_stays_within_limits(make_filing: MakeFiling) -> None:
    f = make_filing(title="T" * 5000, stock_names=("N" * 500,))
    report = ResultsReport(**{**sensetime().__dict__, "company": "C" * 500, "warnings": ("W" * 5000,) * 5,
                              "checks": tuple(Check(f"c{i}", False, "D" * 5000) for i in range(10))})
    assert_within_limits(results_message(f, report, channel="#c"))
    assert_within_limits(filings_message([f] * 60, channel="#c"))


def test_burst_becomes_one_message(make_filing: MakeFiling) -> None:
    filings = [make_filing(f"20250827{i:05d}", kind=FilingKind.OTHER, title=f"Monthly return {i}")
               for i in range(30)]
    m = filings_message(filings, channel="#c")
    assert_within_limits(m)
    assert len(m.filing_ids) == 30 and m.kind == "filing"
    body = "\n".join(block_texts(m))
    assert "SENSETIME-W (00020): 30 new filings" in body
    assert body.count("• ") == 20 and "… and 10 more" in body
    assert "Monthly return 0" in body and "_Announcements and Notices_ · 27 Aug 18:30" in body


def test_filings_of_several_stocks_name_each(make_filing: MakeFiling) -> None:
    m = filings_message([make_filing("1", kind=FilingKind.OTHER),
                         make_filing("2", codes=("02512",), stock_names=("CLOUD FACTORY",))], channel="#c")
    body = "\n".join(block_texts(m))
    assert "Watched stocks: 2 new filings" in body and "• CLOUD FACTORY (02512): " in body
    with pytest.raises(ValueError):
        filings_message([], channel="#c")


def test_as_text_channel_first(make_filing: MakeFiling) -> None:
    text = as_text(results_message(make_filing(title="A & B"), sensetime(), channel="#hkex-filings"))
    first, second = text.splitlines()[:2]
    assert first == "── to #hkex-filings ──"
    assert second == "SenseTime Group Inc. (00020): Interim results"
    assert "A & B (https://www1.hkexnews.hk/" in text and "RMB 2,358.2m" in text
