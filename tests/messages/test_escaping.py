"""The one escaping function, on a table of hostile inputs, and every builder fed hostile titles, names,
company names, URLs and error messages, down to the exact JSON the Slack stand-in receives."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from slackblocks import all_text, assert_within_limits, mrkdwn_texts
from slackstandin import SlackStandin

from monitor.calendar import CalendarEntry
from monitor.filing import Filing, FilingKind
from monitor.messages import (
    alarm_message,
    as_follow_up,
    board_meeting_message,
    digest_message,
    escape,
    filings_message,
    link,
    profit_warning_message,
    recovered_message,
    results_due_message,
    results_message,
    with_thread_note,
)
from monitor.messages.mrkdwn import Reference
from notifiers.base import Message
from notifiers.slack import SlackNotifier
from parsers.notices import BoardMeetingNotice, ProfitWarning, WarningOutcome
from parsers.report import Check, Metric, ResultsReport

MakeFiling = Callable[..., Filing]


@pytest.mark.parametrize("raw, escaped", [
    ("<!channel>", "&lt;!channel&gt;"),
    ("<!here|here> <!everyone>", "&lt;!here|here&gt; &lt;!everyone&gt;"),
    ("<@U0ADMIN> <#C0123|general>", "&lt;@U0ADMIN&gt; &lt;#C0123|general&gt;"),
    ("<http://evil.example|click here>", "&lt;http://evil.example|click here&gt;"),
    ("<!date^1392734382^{date}|x>", "&lt;!date^1392734382^{date}|x&gt;"),
    ("A & B", "A &amp; B"),
    ("&lt;!channel&gt;", "&amp;lt;!channel&amp;gt;"),  # an entity typed in is shown, not decoded
    ("*bold* _italic_ ~strike~ `code` ```block```", "∗bold∗ ˍitalicˍ ∼strike∼ ˋcodeˋ ˋˋˋblockˋˋˋ"),
    ("> quoted", "› quoted"),
    (">>> quoted", "›&gt;&gt; quoted"),
    ("line one\n> quoted\n*bold*", "line one &gt; quoted ∗bold∗"),  # nothing of it starts a line
    ("\u202eRESULTS\u202c", "RESULTS"),  # right-to-left override
    ("a\u2066b\u2067c\u2068d\u2069e \u202a\u202b\u202c\u202d", "abcde"),
    ("\u200fx\u200e y\u061c", "x y"),
    ("zero\u200bwidth\ufeff\u2060", "zerowidth"),
    ("tab\tnew\r\nline\u2028sep\u2029para", "tab new line sep para"),
    ("nul\x00bell\x07esc\x1b[31mred\x7fdel\x85c1", "nulbellesc[31mreddelc1"),
    ("  spaced   out  ", "spaced out"),
    ("截至二零二五年六月三十日止六個月之中期業績公告", "截至二零二五年六月三十日止六個月之中期業績公告"),
    ("商湯集團\u3000中期", "商湯集團\u3000中期"),  # the ideographic space is text, kept
    ("SENSETIME-W (00020): 18.82 cents; +35.6% | ok", "SENSETIME-W (00020): 18.82 cents; +35.6% | ok"),
])
def test_escape_mrkdwn(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped


@pytest.mark.parametrize("raw, escaped", [
    ("<!channel> *x* & _y_", "‹!channel› *x* & _y_"),  # plain_text shows markers literally
    ("\u202eA\nB\x00C", "A BC"),
])
def test_escape_plain(raw: str, escaped: str) -> None:
    assert escape(raw, "plain") == escaped


@pytest.mark.parametrize("raw, escaped", [
    ("https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/2025082700123.pdf",
     "https://www1.hkexnews.hk/listedco/listconews/sehk/2025/0827/2025082700123.pdf"),
    ("https://h.hk/a/<!channel>|b c.pdf", "https://h.hk/a/%3C!channel%3E%7Cb%20c.pdf"),
    ("https://h.hk/s?a=1&b=<x>", "https://h.hk/s?a=1&amp;b=%3Cx%3E"),
    ("https://h.hk/\u202e/中文.pdf", "https://h.hk//%E4%B8%AD%E6%96%87.pdf"),
    ("https://h.hk/a%20b", "https://h.hk/a%20b"),  # already encoded: kept
])
def test_escape_url(raw: str, escaped: str) -> None:
    assert escape(raw, "url") == escaped


@pytest.mark.parametrize("url, label, shown", [
    ("https://h.hk/a/<!channel>.pdf", "T*i*tle", "<https://h.hk/a/%3C!channel%3E.pdf|T∗i∗tle>"),
    ("https://h.hk/a.pdf", "a|b", "<https://h.hk/a.pdf|a¦b>"),
    ("https://h.hk/a.pdf", None, "<https://h.hk/a.pdf>"),
    ("javascript:alert(1)", "x <!channel>", "x &lt;!channel&gt;"),  # not http(s): never a link
    ("  HTTPS://H.HK/a.pdf ", "x", "<HTTPS://H.HK/a.pdf|x>"),
    ("https://h.hk/a.pdf", "", "<https://h.hk/a.pdf|link>"),
])
def test_link(url: str, label: str | None, shown: str) -> None:
    assert link(url, label) == shown


def test_limit_cuts_before_escaping() -> None:
    assert escape("&" * 10, limit=4) == "&amp;&amp;&amp;…"


# -- every builder, fed hostile text ------------------------------------------------------------------------
EVIL_TITLE = "\u202eRESULTS\u202c *URGENT* <!channel> _sell_ ~now~ `x`\n> quote"
EVIL_NAME = "<@U0ADMIN> & co*"
EVIL_URL = "https://www1.hkexnews.hk/listedco/<!channel>/a|b c.pdf"
EVIL_COMPANY = "> Evil* Corp_ <!here>"
EVIL_ERROR = "bad <http://evil|link> \x1b[31m`rm -rf`"
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069"
                       "\ufeff]")


def evil_filing(make_filing: MakeFiling, kind: FilingKind = FilingKind.INTERIM_RESULTS) -> Filing:
    return make_filing(title=EVIL_TITLE, stock_names=(EVIL_NAME,), url=EVIL_URL, categories=(EVIL_TITLE,),
                       kind=kind)


def evil_messages(make_filing: MakeFiling) -> list[Message]:
    f = evil_filing(make_filing)
    # A stored report is JSON: even a field typed int may come back as text.
    metric = Metric("revenue", 1e9, 9e8, note=EVIL_ERROR, label=EVIL_TITLE, page="<!channel>")  # type: ignore
    report = ResultsReport(company=EVIL_COMPANY, stock_codes=("00020",), kind="interim", period_end=None,
                           months=None, prior_period_end=None, currency="<!channel>", language="en",
                           metrics={"revenue": metric}, checks=(Check("c", False, EVIL_ERROR),),
                           warnings=(EVIL_ERROR,), unit=EVIL_TITLE)
    warning = ProfitWarning(company=EVIL_COMPANY, stock_codes=("00020",), language="en",
                            direction="warning", measure="profit_for_period", low=-7e7, high=-6e7,
                            approximate=False, currency="HKD", period_end=date(2025, 6, 30), months=6,
                            sentence=EVIL_TITLE, notes=(EVIL_ERROR,))
    notice = BoardMeetingNotice(company=EVIL_COMPANY, stock_codes=("00020",), language="en",
                                meeting_date=date(2025, 8, 29), results="interim",
                                period_end=date(2025, 6, 30), months=6, dividend=True, purpose=EVIL_TITLE)
    entry = CalendarEntry("00020", EVIL_COMPANY, date(2025, 9, 2), "interim", date(2025, 6, 30), True, "N1",
                          EVIL_URL, previous_date=date(2025, 8, 29))
    now = datetime(2025, 9, 1, 9, tzinfo=UTC)
    return [
        results_message(f, report, channel="#c", found_late=True,
                        follow_up_of=Reference(EVIL_TITLE, EVIL_URL),
                        outcome=WarningOutcome(warning, -6.5e7, "unclear", EVIL_ERROR)),
        results_message(f, None, channel="#c", error=EVIL_ERROR),
        filings_message([f, evil_filing(make_filing, FilingKind.OTHER)], channel="#c", found_late={f.id}),
        profit_warning_message(f, warning, channel="#c"),
        profit_warning_message(f, None, channel="#c", error=EVIL_ERROR),
        board_meeting_message(f, notice, channel="#c"),
        board_meeting_message(f, None, channel="#c", error=EVIL_ERROR),
        digest_message([entry], channel="#c", start=date(2025, 9, 1)),
        results_due_message(entry, channel="#c", deadline=now),
        alarm_message(EVIL_TITLE, channel="#ops", since=now, checks=(EVIL_ERROR,), detail=EVIL_ERROR),
        recovered_message(EVIL_TITLE, channel="#ops", since=now, until=now),
        as_follow_up(filings_message([f], channel="#c"), original=f, thread_ts="1.0"),
        with_thread_note(results_message(f, None, channel="#c")),
    ]


def test_no_builder_lets_outside_text_through(make_filing: MakeFiling) -> None:
    for m in evil_messages(make_filing):
        assert_within_limits(m)
        whole = all_text(m)
        assert not INVISIBLE.search(whole), m.kind
        for t in mrkdwn_texts(m):
            for bad in ("<!channel>", "<!here>", "<@U0ADMIN>", "<http://evil", "\n>", "`rm"):
                assert bad not in t, (m.kind, t)
            assert not t.startswith(">") and "\n&gt;" not in t
            # The only angle brackets left open are our links, to the escaped document URL.
            opened = re.findall(r"<([^>]*)>", t)
            assert all(o.startswith(("https://www1.hkexnews.hk/listedco/%3C!channel%3E/a%7Cb%20c.pdf",
                                     "https://www1.hkexnews.hk/")) for o in opened), (m.kind, opened)
            # Formatting markers only where we put them: never the hostile ones.
            for word in ("URGENT", "sell", "now", "Corp", "co"):
                assert not re.search(rf"[*_~`]{word}|{word}[*_~`]", t), (m.kind, word, t)
        for b in m.blocks:
            if b["type"] == "header":
                assert "<" not in b["text"]["text"] and ">" not in b["text"]["text"]


def test_exact_json_reaching_slack(slack_standin: SlackStandin, make_filing: MakeFiling) -> None:
    f = evil_filing(make_filing)
    notifier = SlackNotifier(slack_standin.token, api_url=slack_standin.api_url, timeout_s=5)
    notifier.send(results_message(f, None, channel="#hkex-filings", error=EVIL_ERROR))
    [post] = slack_standin.posts
    url = "https://www1.hkexnews.hk/listedco/%3C!channel%3E/a%7Cb%20c.pdf"
    title = "RESULTS ∗URGENT∗ &lt;!channel&gt; ˍsellˍ ∼now∼ ˋxˋ &gt; quote"
    error = "bad &lt;http://evil|link&gt; [31mˋrm -rfˋ"
    assert post.params["text"] == (f"&lt;@U0ADMIN&gt; &amp; co∗ (00020) interim results: figures not "
                                   f"available ({error}). <{url}>")
    assert post.blocks == [
        {"type": "header", "text": {"type": "plain_text",
                                    "text": "‹@U0ADMIN› & co* (00020): Interim results"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f":warning: Figures not available: {error}\n"
                                                               f"Read the announcement: <{url}|{title}>"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Released 27 Aug 2025 18:30 HKT"},
                                         {"type": "mrkdwn", "text": f"<{url}|{title}>"}]},
    ]
    # What went over the wire is that JSON, as slack-sdk encoded it.
    assert json.loads(json.dumps(post.params["blocks"])) == post.blocks
