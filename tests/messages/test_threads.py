"""Follow-ups in the thread of the alert they update, and the note the original gains, end to end
against the Slack stand-in (a bot token can thread and edit; the console says what it would do)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from slackblocks import assert_within_limits, block_texts
from slackstandin import SlackStandin

from monitor.delivery.transport import build_notifier
from monitor.filing import Filing, FilingKind
from monitor.messages import as_follow_up, filings_message, results_message, with_thread_note
from monitor.messages.mrkdwn import section
from monitor.settings import SlackSettings
from notifiers.base import Message
from notifiers.slack import SlackNotifier

MakeFiling = Callable[..., Filing]
NOTE = {"type": "context", "block_id": "hkexmon_thread_note",
        "elements": [{"type": "mrkdwn", "text": ":thread: See the update in the thread."}]}


def test_follow_up_names_the_original_and_goes_in_its_thread(make_filing: MakeFiling) -> None:
    original = make_filing(title="INTERIM RESULTS ANNOUNCEMENT")
    clarification = make_filing("2025082800010", kind=FilingKind.OTHER, title="CLARIFICATION ANNOUNCEMENT")
    listed = filings_message([clarification], channel="#c")
    m = as_follow_up(listed, original=original, thread_ts="1756290600.000100")
    assert m.thread_ts == "1756290600.000100" and m.filing_ids == ("2025082800010",)
    assert block_texts(m)[1] == (f":leftwards_arrow_with_hook: Update to SENSETIME-W (00020): "
                                 f"<{original.url}|INTERIM RESULTS ANNOUNCEMENT> "
                                 "(released 27 Aug 2025 18:30 HKT)")
    assert m.text.startswith("Update to INTERIM RESULTS ANNOUNCEMENT: SENSETIME-W (00020): 1 new filing")
    assert_within_limits(m)


def test_thread_note_is_added_once_and_keeps_limits(make_filing: MakeFiling) -> None:
    original = results_message(make_filing(), None, channel="#c", error="x")
    noted = with_thread_note(original)
    assert noted.blocks[-1] == NOTE and noted.blocks[:-1] == original.blocks
    assert noted.text.endswith(" (see the update in the thread)") and noted.filing_ids == original.filing_ids
    assert with_thread_note(noted) == noted
    full = Message("#c", "t", tuple(section(f"s{i}") for i in range(50)))
    assert len(with_thread_note(full).blocks) == 50 and with_thread_note(full).blocks[-1] == NOTE


def test_revised_results_in_the_thread_and_the_original_edited(slack_standin: SlackStandin,
                                                               make_filing: MakeFiling) -> None:
    notifier = SlackNotifier(slack_standin.token, api_url=slack_standin.api_url, timeout_s=5)
    since = datetime.now(UTC) - timedelta(minutes=1)
    original = make_filing()
    first = notifier.send(results_message(original, None, channel="#hkex-filings", error="x"))
    assert first.ts and first.channel == "C0HKEX0001"

    revised = make_filing("2025082900001", title="REVISED INTERIM RESULTS")
    summary = results_message(revised, None, channel="#hkex-filings", error="y")
    reply = as_follow_up(summary, original=original, thread_ts=first.ts)
    notifier.send(reply)
    edited = with_thread_note(results_message(original, None, channel="#hkex-filings", error="x"))
    notifier.update(first.channel, first.ts, edited)

    top = slack_standin.message("#hkex-filings", first.ts)
    assert top is not None and top.blocks is not None and top.blocks[-1] == NOTE
    assert top.metadata == {"event_type": "hkex_filing",
                            "event_payload": {"filing_ids": [original.id]}}
    [posted_reply] = [p for p in slack_standin.posts if p.thread_ts == first.ts]
    assert posted_reply.metadata is not None
    assert posted_reply.metadata["event_payload"]["filing_ids"] == ["2025082900001"]
    assert notifier.find_posted("#hkex-filings", "2025082900001", since, thread_ts=first.ts) is not None
    assert len(slack_standin.posts) == 2 and len(slack_standin.updates) == 1


def test_console_shows_replies_and_edits(make_filing: MakeFiling) -> None:
    out = io.StringIO()
    console = build_notifier(SlackSettings(), stream=out)  # the console, printing Block Kit as text
    original = make_filing()
    reply = as_follow_up(filings_message([make_filing("2", kind=FilingKind.OTHER)], channel="#c"),
                         original=original, thread_ts="9.9")
    console.send(reply)
    console.update("#c", "9.9", with_thread_note(results_message(original, None, channel="#c", error="x")))
    lines = out.getvalue().splitlines()
    assert lines[0] == "── to #c, in the thread of 9.9 ──"
    assert "── to #c (edit of message 9.9) ──" in lines and ":thread: See the update in the thread." in lines


def test_follow_up_of_a_long_alert_stays_within_limits(make_filing: MakeFiling) -> None:
    original = make_filing(title="T" * 5000, stock_names=("N" * 900,))
    burst = filings_message([make_filing(f"{i}", kind=FilingKind.OTHER, title="X" * 900) for i in range(60)],
                            channel="#c")
    m = with_thread_note(as_follow_up(burst, original=original, thread_ts="1.0"))
    assert_within_limits(m)
    assert m.blocks[-1]["block_id"] == "hkexmon_thread_note"
