"""The results summary: figures in readable units, honest gaps, unverified figures, the profit warning
it is measured against, and Slack's limits."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from slackblocks import all_text, assert_within_limits, block_texts

from monitor.filing import Filing
from monitor.messages import as_text, filings_message, results_message
from monitor.messages.figures import amount, per_share
from monitor.messages.mrkdwn import Reference
from notifiers.base import Message
from parsers.notices import ProfitWarning, WarningOutcome
from parsers.report import Check, Metric, ResultsReport

MakeFiling = Callable[..., Filing]


def vouched(name: str, current: float | None, prior: float | None, **kw: object) -> Metric:
    """A figure a cross-check confirmed (the usual case); ``Metric(...)`` alone is unverified."""
    return Metric(name, current, prior, vouched_by=("statement_ties",), **kw)  # type: ignore[arg-type]


def sensetime(**metrics: Metric) -> ResultsReport:
    base = {
        "revenue": vouched("revenue", 2_358_198_000, 1_739_717_000),
        "gross_profit": vouched("gross_profit", 907_800_000, 766_760_000),
        "profit_for_period": vouched("profit_for_period", -1_489_270_000, -2_477_212_000),
        "profit_attributable": vouched("profit_attributable", -1_477_949_000, -2_456_782_000),
        "eps_basic": vouched("eps_basic", -0.04, -0.08),
        "dividend_per_share": Metric("dividend_per_share", None, None, note="not found in the document"),
    }
    base.update(metrics)
    return ResultsReport(company="SenseTime Group Inc.", stock_codes=("00020",), kind="interim",
                         period_end=date(2025, 6, 30), months=6, prior_period_end=date(2024, 6, 30),
                         currency="RMB", language="en", metrics=base, unit="RMB'000")


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
    (0.1882, "HKD", "18.82 HK cents"),
    (0.08, "HKD", "8 HK cents"),
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
                       gross_profit=vouched("gross_profit", 907_800_000, None))
    body = "\n".join(block_texts(make_filing_message(make_filing, report)))
    assert "Not stated: Revenue" in body
    assert "Left out as unreliable: Cash (balance sheet total disagrees with notes)" in body
    assert "Gross profit*: RMB 907.8m · prior not stated" in body
    assert "Gross margin" not in body  # no revenue, no margin
    assert "*Revenue*" not in body and not re.search(r"RMB 0(?![.,\d])", body)


def make_filing_message(make_filing: MakeFiling, report: ResultsReport) -> Message:
    return results_message(make_filing(), report, channel="#c")


def test_turned_to_profit_and_failed_checks(make_filing: MakeFiling) -> None:
    report = sensetime(profit_for_period=vouched("profit_for_period", 120_000_000, -80_000_000))
    report = ResultsReport(**{**report.__dict__, "checks": (
        Check("gross_profit_ties", False, "revenue - cost of sales = 1.2m, stated gross profit 1.3m"),
        Check("eps_sign", True, "ok"))})
    body = "\n".join(block_texts(make_filing_message(make_filing, report)))
    assert "*Profit for the period*: RMB 120.0m vs loss RMB 80.0m · *turned to profit*" in body
    assert ":warning: 1 check failed: gross profit ties: revenue - cost of sales" in body
    assert "eps sign" not in body


def test_compares_with_previous_final(make_filing: MakeFiling) -> None:
    previous = ResultsReport(company="SenseTime", stock_codes=("00020",), kind="final",
                             period_end=date(2024, 12, 31), months=12, prior_period_end=None, currency="RMB",
                             language="en", metrics={"revenue": vouched("revenue", 3_772_000_000, None)})
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


def test_long_text_stays_within_limits(make_filing: MakeFiling) -> None:
    f = make_filing(title="T" * 5000, stock_names=("N" * 500,))
    report = ResultsReport(**{**sensetime().__dict__, "company": "C" * 500, "warnings": ("W" * 5000,) * 5,
                              "checks": tuple(Check(f"c{i}", False, "D" * 5000) for i in range(10))})
    assert_within_limits(results_message(f, report, channel="#c"))
    assert_within_limits(filings_message([f] * 60, channel="#c"))


def test_as_text_channel_first(make_filing: MakeFiling) -> None:
    text = as_text(results_message(make_filing(title="A & B"), sensetime(), channel="#hkex-filings"))
    first, second = text.splitlines()[:2]
    assert first == "── to #hkex-filings ──"
    assert second == "SenseTime Group Inc. (00020): Interim results"
    assert "A & B (https://www1.hkexnews.hk/" in text and "RMB 2,358.2m" in text



def test_unverified_figures_are_marked_with_a_footnote(make_filing: MakeFiling) -> None:
    report = sensetime(revenue=Metric("revenue", 2_358_198_000, 1_739_717_000, page=3, label="Revenue"),
                       eps_basic=Metric("eps_basic", -0.04, -0.08, page=4, statement="income statement",
                                        label="Basic loss per share (RMB)"))
    m = results_message(make_filing(), report, channel="#c")
    lines = block_texts(m)
    assert "• *Revenue*: RMB 2,358.2m† vs RMB 1,739.7m · *+35.6%*" in lines[2].splitlines()
    assert "• *Gross profit*: RMB 907.8m vs RMB 766.8m · *+18.4%*" in lines[2].splitlines()  # vouched
    assert ("† Not confirmed by any cross-check, check against the document: Revenue (p. 3, “Revenue”); "
            "Basic loss per share (p. 4, “Basic loss per share (RMB)”)") in lines
    assert "revenue RMB 2,358.2m (unverified) (+35.6%)" in m.text
    assert "†" not in body_of(results_message(make_filing(), sensetime(), channel="#c"))


def body_of(m: Message) -> str:
    return "\n".join(block_texts(m))


def test_unverified_figure_without_provenance_is_still_listed(make_filing: MakeFiling) -> None:
    report = sensetime(cash=Metric("cash", 5_000_000_000, 4_000_000_000))
    assert "† Not confirmed by any cross-check, check against the document: Cash" in block_texts(
        results_message(make_filing(), report, channel="#c"))


HK_WARNING = ProfitWarning(company="Example Holdings", stock_codes=("01234",), language="en",
                           direction="warning", measure="profit_for_period", low=-70_000_000,
                           high=-60_000_000, approximate=True, currency="HKD", period_end=date(2025, 3, 31),
                           months=12, prior=592_000_000)


@pytest.mark.parametrize("actual, verdict, detail, line", [
    (-64_300_000, "inside", None, "Loss HK$64.3m: inside the warned range of HK$60m-70m"),
    (-80_000_000, "worse", None, "Loss HK$80m: worse than warned (a loss of HK$60m-70m)"),
    (5_000_000, "better", None, "Profit HK$5m: better than warned (a loss of HK$60m-70m)"),
    (-64_300_000, "unclear", "the warning was for attributable profit",
     "Loss HK$64.3m: cannot be compared with the warning (a loss of HK$60m-70m); "
     "the warning was for attributable profit"),
])
def test_results_say_how_they_compare_with_the_warning(make_filing: MakeFiling, actual: float, verdict: str,
                                                       detail: str | None, line: str) -> None:
    outcome = WarningOutcome(HK_WARNING, actual, verdict, detail)  # type: ignore[arg-type]
    m = results_message(make_filing(), sensetime(), channel="#c", outcome=outcome)
    assert f":dart: {line}" in block_texts(m)
    assert line in m.text


def test_follow_up_of_an_earlier_message(make_filing: MakeFiling) -> None:
    ref = Reference("results were due from the board meeting on Fri 29 Aug 2025 but had not appeared by "
                    "23:00 HKT", "https://standin.slack.com/archives/C0HKEX0001/p1756479600000100")
    m = results_message(make_filing(), sensetime(), channel="#c", follow_up_of=ref)
    assert m.blocks[1]["elements"][0]["text"] == (
        ":leftwards_arrow_with_hook: Follows: results were due from the board meeting on Fri 29 Aug 2025 but "
        "had not appeared by 23:00 HKT (<https://standin.slack.com/archives/C0HKEX0001/p1756479600000100|"
        "earlier message>)")
    plain = results_message(make_filing(), None, channel="#c", error="x",
                            follow_up_of=Reference("the due notice"))
    assert ":leftwards_arrow_with_hook: Follows: the due notice" in block_texts(plain)


def test_found_late_is_marked(make_filing: MakeFiling) -> None:
    for m in (results_message(make_filing(), sensetime(), channel="#c", found_late=True),
              results_message(make_filing(), None, channel="#c", error="x", found_late=True)):
        assert m.blocks[1] == {"type": "context", "elements": [{
            "type": "mrkdwn",
            "text": ":mag: Found late by the nightly check: the live feed missed this filing"}]}
        assert "interim results (found late by the nightly check)" in m.text
    assert "found late" not in all_text(results_message(make_filing(), sensetime(), channel="#c"))


PLACEHOLDER = ("An announcement has just been published by the issuer in the Chinese section of this "
               "website, a corresponding version of which may or may not be published in this section")


def test_chinese_only_results_not_found_say_so_at_once(make_filing: MakeFiling) -> None:
    url = "https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/2025082700124.htm"
    f = make_filing("2025082700124", title=PLACEHOLDER, url=url, chinese_only=True,
                    categories=("Announcements and Notices - [Interim Results]",))
    m = results_message(f, None, channel="#c", error="the Chinese document was not found")
    assert block_texts(m)[1] == (
        ":information_source: This filing is in Chinese only, and its document could not be found in the "
        "Chinese listings. Category: _Announcements and Notices - [Interim Results]_. Open it on HKEXnews: "
        f"<{url}|HKEXnews>")
    assert PLACEHOLDER not in all_text(m)
    assert m.text == ("SENSETIME-W (00020) interim results: figures not available (in Chinese only, document "
                      f"not found in the Chinese listings). <{url}>")
    assert_within_limits(m)


def test_resolved_chinese_only_filing_shows_its_chinese_title(make_filing: MakeFiling) -> None:
    zh = "截至二零二五年六月三十日止六個月之中期業績公告"
    url = "https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/2025082700125_c.pdf"
    f = make_filing("2025082700124", title=PLACEHOLDER, url=url, chinese_only=True, zh_title=zh)
    m = results_message(f, sensetime(), channel="#c")
    assert f"<{url}|{zh}>" in block_texts(m)
    assert PLACEHOLDER not in all_text(m)
