"""SlackNotifier and SlackWebhookNotifier against the real slack-sdk and a local Slack stand-in.

Every fault is injected by the stand-in over real HTTP: nothing in slack-sdk or urllib is patched.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from slackstandin import Fail, SlackStandin

from monitor.delivery.transport import NOTIFIERS, build_notifier
from monitor.settings import SlackSettings
from notifiers.base import Message
from notifiers.console import ConsoleNotifier
from notifiers.errors import (
    CredentialsRejectedError,
    MaybeSentError,
    NotifierError,
    RateLimitedError,
    RejectedError,
)
from notifiers.slack import SlackNotifier
from notifiers.webhook import SlackWebhookNotifier

BLOCKS = ({"type": "section", "text": {"type": "mrkdwn", "text": "*hello*"}},)
EARLIER = datetime.now(UTC) - timedelta(minutes=5)
HANG_S = 8  # the stand-in's delay before answering a hanging request; the client gives up after 1 s


def bot(slack: SlackStandin, token: str | None = None, **kw: object) -> SlackNotifier:
    return SlackNotifier(token or slack.token, api_url=slack.api_url, max_retries=2, timeout_s=1,
                         backoff_s=0.01, **kw)  # type: ignore[arg-type]


def webhook(slack: SlackStandin) -> SlackWebhookNotifier:
    return SlackWebhookNotifier(slack.webhook_url, timeout_s=1)


def already_posted(notifier: SlackNotifier | SlackWebhookNotifier | ConsoleNotifier, *args: object,
                   **kw: object) -> bool:
    return notifier.find_posted(*args, **kw) is not None  # type: ignore[arg-type]


def msg(channel: str = "#hkex-filings", ids: tuple[str, ...] = ("F1",),
        thread_ts: str | None = None) -> Message:
    return Message(channel, "hello", BLOCKS, ids, "filing", thread_ts=thread_ts)


def test_send_posts_text_blocks_and_metadata(slack_standin: SlackStandin) -> None:
    receipt = bot(slack_standin).send(msg(ids=("F1", "F2")))
    [post] = slack_standin.posts
    assert receipt.ts == post.ts and receipt.channel == "C0HKEX0001" == post.channel
    assert post.text == "hello" and post.blocks == list(BLOCKS)
    assert post.metadata == {"event_type": "hkex_filing",
                             "event_payload": {"filing_ids": ["F1", "F2"]}}
    assert post.params["unfurl_links"] is False and "thread_ts" not in post.params


# -- one request per send, whatever the fault -------------------------------------------------------------
# (script the fault, expected error class, expected reason, whether the stand-in recorded a post)
Fault = Callable[[SlackStandin, str], None]


def _script(fail: Fail) -> Fault:
    return lambda slack, method: slack.fail(method, fail)


def _refuse(slack: SlackStandin, method: str) -> None:
    slack.refuse()


FAULTS: dict[str, tuple[Fault, type[NotifierError], str, bool]] = {
    "accept-then-hang": (_script(Fail.accept_then_hang(HANG_S)), MaybeSentError, "timeout", True),
    "accept-then-drop": (_script(Fail.accept_then_drop()), MaybeSentError, "no_answer", True),
    "500-after-accepting": (_script(Fail.accept_then_error()), MaybeSentError, "server_error", True),
    "503-unrecorded": (_script(Fail.server_error(503)), MaybeSentError, "server_error", False),
    "hang-unrecorded": (_script(Fail.hang(HANG_S)), MaybeSentError, "timeout", False),
    "drop-unrecorded": (_script(Fail.down()), MaybeSentError, "no_answer", False),
    "refused": (_refuse, NotifierError, "connection", False),
    "429-retry-after-40": (_script(Fail.ratelimited(retry_after=40)), RateLimitedError, "ratelimited",
                           False),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_bot_post_is_sent_once_and_classified(slack_standin: SlackStandin, fault: str) -> None:
    script, cls, reason, recorded = FAULTS[fault]
    notifier = bot(slack_standin)
    script(slack_standin, "chat.postMessage")
    started = time.monotonic()
    with pytest.raises(NotifierError) as err:
        notifier.send(msg())
    waited = time.monotonic() - started
    assert type(err.value) is cls and err.value.reason == reason
    assert len(slack_standin.posts) == int(recorded)
    # Exactly one request reached Slack (none when the port is closed): never repeated inside.
    assert slack_standin.calls("chat.postMessage") == (0 if fault == "refused" else 1)
    if isinstance(err.value, RateLimitedError):
        assert err.value.retry_after == 40.0
        assert waited < 20  # raised at once: sleeping through Retry-After would take 40 s
    if cls is MaybeSentError:
        assert "may have been posted" in str(err.value)
    elif fault == "refused":
        assert "nothing was sent" in str(err.value)


@pytest.mark.parametrize("fault", ["accept-then-hang", "accept-then-drop", "500-after-accepting"])
def test_already_posted_finds_a_post_whose_answer_was_lost(slack_standin: SlackStandin, fault: str) -> None:
    notifier = bot(slack_standin)
    before = datetime.now(UTC)
    FAULTS[fault][0](slack_standin, "chat.postMessage")
    with pytest.raises(MaybeSentError):
        notifier.send(msg(ids=("F9",)))
    # A fresh process (no channel id learnt from an answer) looks by name, in the sending window.
    fresh = bot(slack_standin)
    assert already_posted(fresh, "#hkex-filings", "F9", before, until=datetime.now(UTC)) is True
    assert already_posted(fresh, "#hkex-filings", "F10", before, until=datetime.now(UTC)) is False
    assert len(slack_standin.posts) == 1


def test_refused_then_back_posts_once(slack_standin: SlackStandin) -> None:
    notifier = bot(slack_standin)
    slack_standin.refuse()
    with pytest.raises(NotifierError) as err:
        notifier.send(msg())
    assert not isinstance(err.value, MaybeSentError)
    slack_standin.resume()
    notifier.send(msg())
    assert len(slack_standin.posts) == 1 and slack_standin.calls("chat.postMessage") == 1


def test_dns_failure_is_certainly_not_sent() -> None:
    notifier = SlackNotifier("xoxb-x", api_url="http://slack.nonexistent.invalid/api/", timeout_s=1)
    with pytest.raises(NotifierError) as err:
        notifier.send(msg())
    assert type(err.value) is NotifierError and err.value.reason == "connection"


@pytest.mark.parametrize("code", ["fatal_error", "internal_error"])
def test_slack_errors_that_may_have_posted_are_uncertain(slack_standin: SlackStandin, code: str) -> None:
    slack_standin.fail("chat.postMessage", Fail.error(code))
    with pytest.raises(MaybeSentError) as err:
        bot(slack_standin).send(msg())
    assert err.value.reason == code and slack_standin.calls("chat.postMessage") == 1


def test_ok_status_with_unreadable_body_is_uncertain(slack_standin: SlackStandin) -> None:
    slack_standin.fail("chat.postMessage", Fail(200, "<html>proxy</html>", accept=True))
    with pytest.raises(MaybeSentError) as err:
        bot(slack_standin).send(msg())
    assert err.value.reason == "bad_answer" and len(slack_standin.posts) == 1


def test_rate_limited_answer_without_header(slack_standin: SlackStandin) -> None:
    slack_standin.fail("chat.postMessage", Fail.error("rate_limited"))
    with pytest.raises(RateLimitedError) as err:
        bot(slack_standin).send(msg())
    assert err.value.retry_after == 10.0 and slack_standin.calls("chat.postMessage") == 1


def test_library_failure_lines_are_not_logged_twice(slack_standin: SlackStandin,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    slack_standin.fail("chat.postMessage", Fail.accept_then_drop())
    slack_standin.fail("chat.postMessage", Fail.accept_then_error())
    for _ in range(2):
        with pytest.raises(MaybeSentError):
            bot(slack_standin).send(msg())
    assert "Failed to send a request" not in caplog.text and "Failed to decode" not in caplog.text


def test_wrong_token_is_auth_error_and_token_stays_secret(slack_standin: SlackStandin,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(CredentialsRejectedError) as err:
        bot(slack_standin, token="xoxb-wrong-secret").send(msg())
    assert not err.value.retryable and err.value.reason == "invalid_auth"
    assert "xoxb-wrong-secret" not in str(err.value) and "xoxb-wrong-secret" not in caplog.text
    assert slack_standin.calls("chat.postMessage") == 1


@pytest.mark.parametrize("code", ["token_revoked", "account_inactive", "missing_scope", "not_authed"])
def test_credential_errors(slack_standin: SlackStandin, code: str) -> None:
    slack_standin.fail("chat.postMessage", Fail.error(code))
    with pytest.raises(CredentialsRejectedError):
        bot(slack_standin).send(msg())


def test_channel_errors_are_config_errors_for_that_channel(slack_standin: SlackStandin) -> None:
    slack_standin.add_channel("old", archived=True)
    slack_standin.add_channel("private", member=False)
    cases = (("#nope", "channel_not_found"), ("#old", "is_archived"), ("#private", "not_in_channel"))
    for channel, code in cases:
        with pytest.raises(RejectedError) as err:
            bot(slack_standin).send(msg(channel))
        assert not isinstance(err.value, CredentialsRejectedError) and err.value.reason == code
        assert channel in str(err.value)


def test_refused_blocks_fall_back_to_text(slack_standin: SlackStandin) -> None:
    slack_standin.fail("chat.postMessage", Fail.error("invalid_blocks"))
    bot(slack_standin).send(msg())
    [post] = slack_standin.posts
    assert post.blocks is None and post.text == "hello" and post.metadata is not None
    assert slack_standin.calls("chat.postMessage") == 2  # the first was refused outright: nothing posted


# -- history ----------------------------------------------------------------------------------------------
def test_already_posted_finds_metadata(slack_standin: SlackStandin) -> None:
    first = bot(slack_standin)
    first.send(msg(ids=("F1", "F2")))
    assert already_posted(first, "#hkex-filings", "F2", EARLIER)
    assert not already_posted(first, "#hkex-filings", "F3", EARLIER)
    assert not already_posted(first, "#hkex-filings", "F1", datetime.now(UTC) + timedelta(minutes=5))
    assert not already_posted(first, "#hkex-filings", "F1", EARLIER, until=EARLIER)
    assert slack_standin.calls("conversations.list") == 0  # the id came from postMessage

    fresh = bot(slack_standin)
    assert already_posted(fresh, "#hkex-filings", "F1", EARLIER)
    assert already_posted(fresh, "hkex-filings", "F1", EARLIER) is True
    assert already_posted(fresh, "C0HKEX0001", "F1", EARLIER)
    assert slack_standin.calls("conversations.list") == 2  # "#hkex-filings" and "hkex-filings"


def test_already_posted_pages_through_history_and_never_guesses(slack_standin: SlackStandin) -> None:
    notifier = bot(slack_standin)
    notifier.send(msg(ids=("OLD",)))
    for i in range(450):
        slack_standin.add_message("#hkex-filings", f"chatter {i}",
                                  {"event_type": "other", "event_payload": {"filing_ids": ["OLD"]}})
    assert already_posted(notifier, "#hkex-filings", "OLD", EARLIER)
    assert slack_standin.calls("conversations.history") == 3
    assert already_posted(notifier, "#hkex-filings", "NEW", EARLIER) is False  # read to the end: truly absent
    with pytest.raises(NotifierError) as err:  # not read to the end: cannot tell, so no answer
        already_posted(bot(slack_standin, history_pages=2), "#hkex-filings", "OLD", EARLIER)
    assert err.value.reason == "history_too_long"


def test_already_posted_channel_lookup_pages_and_gives_up(slack_standin: SlackStandin) -> None:
    for i in range(250):
        slack_standin.add_channel(f"filler-{i}")
    slack_standin.add_channel("late")
    ours = {"event_type": "hkex_filing", "event_payload": {"filing_ids": ["F"]}}
    slack_standin.add_message("late", "x", ours)
    assert already_posted(bot(slack_standin), "#late", "F", EARLIER)
    with pytest.raises(RejectedError) as unresolved:
        already_posted(bot(slack_standin, channel_list_pages=1), "#late", "F", EARLIER)
    assert unresolved.value.reason == "channel_unresolved" and "channel id" in str(unresolved.value)
    with pytest.raises(RejectedError) as missing:
        already_posted(bot(slack_standin), "#missing", "F", EARLIER)
    assert missing.value.reason == "channel_not_found"


def test_already_posted_keeps_safe_retries_for_reads(slack_standin: SlackStandin) -> None:
    bot(slack_standin).send(msg())
    slack_standin.fail("conversations.history", Fail.server_error(500), times=2)
    assert already_posted(bot(slack_standin), "C0HKEX0001", "F1", EARLIER)
    assert slack_standin.calls("conversations.history") == 3


@pytest.mark.parametrize("fail, cls", [
    (Fail.server_error(500), NotifierError),
    (Fail.hang(HANG_S), NotifierError),
    (Fail.ratelimited(retry_after=30), RateLimitedError),
])
def test_already_posted_cannot_ask_now_raises(slack_standin: SlackStandin, fail: Fail,
                                              cls: type[NotifierError]) -> None:
    slack_standin.fail("conversations.history", fail, times=3)
    with pytest.raises(cls) as err:
        already_posted(bot(slack_standin), "C0HKEX0001", "F", EARLIER)
    assert err.value.retryable and not isinstance(err.value, MaybeSentError | RejectedError)


def test_already_posted_without_history_scope_is_a_config_error(slack_standin: SlackStandin) -> None:
    slack_standin.fail("conversations.history", Fail(200, {"ok": False, "error": "missing_scope",
                                                          "needed": "channels:history"}))
    with pytest.raises(RejectedError) as err:
        already_posted(bot(slack_standin), "C0HKEX0001", "F", EARLIER)
    assert not isinstance(err.value, CredentialsRejectedError)  # posting may still work
    assert err.value.reason == "missing_scope" and "channels:history" in str(err.value)


# -- threads and edits -----------------------------------------------------------------------------------
def test_reply_in_thread_and_finding_it(slack_standin: SlackStandin) -> None:
    notifier = bot(slack_standin)
    parent = notifier.send(msg(ids=("P",)))
    assert parent.ts is not None
    reply = notifier.send(msg(ids=("R",), thread_ts=parent.ts))
    assert slack_standin.posts[-1].thread_ts == parent.ts and reply.ts != parent.ts
    # Slack leaves replies out of the channel's history: only the thread shows them.
    assert already_posted(notifier, "#hkex-filings", "R", EARLIER) is False
    assert already_posted(notifier, "#hkex-filings", "R", EARLIER, thread_ts=parent.ts) is True
    assert already_posted(notifier, "#hkex-filings", "P", EARLIER, thread_ts=parent.ts) is True


def test_update_replaces_text_and_blocks_and_keeps_metadata(slack_standin: SlackStandin) -> None:
    first = bot(slack_standin).send(msg(ids=("F1",)))
    assert first.ts and first.channel
    new_blocks = ({"type": "section", "text": {"type": "mrkdwn", "text": "edited"}},)
    again = bot(slack_standin)  # a fresh process: resolves the channel name for chat.update
    receipt = again.update("#hkex-filings", first.ts, Message("#hkex-filings", "edited", new_blocks))
    assert (receipt.ts, receipt.channel) == (first.ts, "C0HKEX0001")
    now = slack_standin.message("#hkex-filings", first.ts)
    assert now is not None and now.text == "edited" and now.blocks == list(new_blocks)
    assert now.metadata == slack_standin.posts[0].metadata and len(slack_standin.posts) == 1
    assert already_posted(again, "#hkex-filings", "F1", EARLIER)


def test_update_is_retried_by_the_library_and_errors_translated(slack_standin: SlackStandin) -> None:
    notifier = bot(slack_standin)
    first = notifier.send(msg())
    assert first.ts
    slack_standin.fail("chat.update", Fail.server_error(503))
    notifier.update("C0HKEX0001", first.ts, Message("#hkex-filings", "v2"))  # an edit is safe to repeat
    assert slack_standin.calls("chat.update") == 2
    with pytest.raises(RejectedError) as err:
        notifier.update("C0HKEX0001", "1.000001", Message("#hkex-filings", "v3"))
    assert err.value.reason == "message_not_found"


# -- webhook ---------------------------------------------------------------------------------------------
def test_webhook_posts(slack_standin: SlackStandin) -> None:
    notifier = webhook(slack_standin)
    assert notifier.send(msg()).ts is None and notifier.reads_history is False
    [post] = slack_standin.posts
    assert post.via == "webhook" and post.text == "hello" and post.blocks == list(BLOCKS)
    assert already_posted(notifier, "#hkex-filings", "F1", EARLIER) is False
    with pytest.raises(RejectedError) as err:
        notifier.update("#hkex-filings", "1.0", msg())
    assert err.value.reason == "unsupported"


@pytest.mark.parametrize("fault", ["accept-then-hang", "accept-then-drop", "500-after-accepting", "refused",
                                   "429-retry-after-40"])
def test_webhook_post_is_sent_once_and_classified(slack_standin: SlackStandin, fault: str) -> None:
    script, cls, reason, recorded = FAULTS[fault]
    notifier = webhook(slack_standin)
    script(slack_standin, "webhook")
    with pytest.raises(NotifierError) as err:
        notifier.send(msg())
    assert type(err.value) is cls and err.value.reason == reason
    assert len(slack_standin.posts) == int(recorded)
    assert slack_standin.calls("webhook") == (0 if fault == "refused" else 1)
    if isinstance(err.value, RateLimitedError):
        assert err.value.retry_after == 40.0


def test_webhook_errors_keep_the_url_secret(slack_standin: SlackStandin,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "webhooksecret0123456789"
    slack_standin.down = True
    with pytest.raises(MaybeSentError) as down:
        webhook(slack_standin).send(msg())
    slack_standin.down = False
    slack_standin.fail("webhook", Fail(404, "no_service"))
    with pytest.raises(CredentialsRejectedError) as revoked:
        webhook(slack_standin).send(msg())
    slack_standin.fail("webhook", Fail(404, "channel_not_found"))
    with pytest.raises(RejectedError) as gone:
        webhook(slack_standin).send(msg())
    assert not isinstance(gone.value, CredentialsRejectedError)
    webhook(slack_standin).send(msg())
    assert len(slack_standin.posts) == 1
    for text in (str(down.value), str(revoked.value), str(gone.value), caplog.text):
        assert secret not in text


# -- console and registry -----------------------------------------------------------------------------------
def test_console_prints_channel_first() -> None:
    out = io.StringIO()
    notifier = ConsoleNotifier(out)
    receipt = notifier.send(msg())
    assert (receipt.ts, receipt.channel) == (None, "#hkex-filings")
    assert out.getvalue().splitlines()[:2] == ["[#hkex-filings]", "hello"]
    assert already_posted(notifier, "#c", "F", EARLIER) is False and notifier.reads_history is False
    notifier.send(msg(thread_ts="12.5"))
    notifier.update("#hkex-filings", "12.5", msg())
    printed = out.getvalue()
    assert "[#hkex-filings, in the thread of 12.5]" in printed
    assert "[#hkex-filings] (edit of message 12.5)" in printed


def test_registry_builds_by_mode(slack_standin: SlackStandin) -> None:
    assert set(NOTIFIERS) == {"bot", "webhook", "console"}
    bot_settings = SlackSettings(api_url=slack_standin.api_url, bot_token=SecretStr(slack_standin.token))
    assert isinstance(build_notifier(bot_settings), SlackNotifier)
    hook = SlackSettings(webhook_url=SecretStr(slack_standin.webhook_url))
    assert isinstance(build_notifier(hook), SlackWebhookNotifier)
    out = io.StringIO()
    console = build_notifier(SlackSettings(), stream=out)
    console.send(msg("#x"))
    assert isinstance(console, ConsoleNotifier) and out.getvalue().startswith("── to #x ──")
