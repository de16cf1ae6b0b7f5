"""The one place the monitor speaks to a notifier (``monitor.delivery.transport``): every branch of
``notifiers.errors`` comes out as the matching branch of ``monitor.errors`` with its reason (and the
pause Slack asked for) kept, whether raised by hand or by a real notifier against the Slack stand-in;
and ``build_notifier`` picks the transport each mode of the settings asks for."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from slackstandin import Fail, SlackStandin

from monitor.delivery.transport import NOTIFIERS, Transport, build_notifier, translate
from monitor.errors import (
    DeliveryAuthError,
    DeliveryConfigError,
    DeliveryError,
    DeliveryRateLimitedError,
    DeliveryUncertainError,
    MonitorError,
)
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

CH = "#hkex-filings"
MESSAGE = Message(CH, "hello", ({"type": "section", "text": {"type": "mrkdwn", "text": "hello"}},),
                  filing_ids=("2025082700123",))


# -- translate: each branch, by hand ----------------------------------------------------------------
@pytest.mark.parametrize(("raised", "expected", "retryable"), [
    (NotifierError("could not reach Slack", reason="connection"), DeliveryError, True),
    (MaybeSentError("no answer in time", reason="timeout"), DeliveryUncertainError, True),
    (RateLimitedError("rate limited", retry_after=7.5), DeliveryRateLimitedError, True),
    (RejectedError("channel_not_found", reason="channel_not_found"), DeliveryConfigError, False),
    (CredentialsRejectedError("invalid_auth", reason="invalid_auth"), DeliveryAuthError, False),
])
def test_each_notifier_error_becomes_the_monitors_branch(raised: NotifierError, expected: type[DeliveryError],
                                                         retryable: bool) -> None:
    got = translate(raised)
    assert type(got) is expected  # the branch itself, not a parent that would lose what it means
    assert isinstance(got, MonitorError)
    assert str(got) == str(raised) and got.reason == raised.reason and got.retryable is retryable


def test_the_pause_slack_asked_for_is_kept() -> None:
    got = translate(RateLimitedError("slow down", retry_after=42.0, reason="rate_limited"))
    assert isinstance(got, DeliveryRateLimitedError)
    assert got.retry_after == 42.0 and got.reason == "rate_limited"


def test_the_reason_of_an_uncertain_send_is_kept_not_replaced_by_the_default() -> None:
    assert translate(MaybeSentError("cut short", reason="no_answer")).reason == "no_answer"


# -- translate: each branch, from a real notifier against the Slack stand-in ------------------------
@pytest.fixture
def bot(slack_standin: SlackStandin) -> Transport:
    return Transport(SlackNotifier(slack_standin.token, api_url=slack_standin.api_url, max_retries=0,
                                   timeout_s=2, backoff_s=0.01))


@pytest.mark.parametrize(("failure", "expected", "reason"), [
    (Fail.error("channel_not_found"), DeliveryConfigError, "channel_not_found"),
    (Fail.error("invalid_auth"), DeliveryAuthError, "invalid_auth"),
    (Fail.accept_then_drop(), DeliveryUncertainError, "no_answer"),
    (Fail.accept_then_error(502), DeliveryUncertainError, "server_error"),
    (Fail.error("some_new_error"), DeliveryError, "some_new_error"),
])
def test_send_raises_the_monitors_errors(bot: Transport, slack_standin: SlackStandin, failure: Fail,
                                         expected: type[DeliveryError], reason: str) -> None:
    slack_standin.fail("chat.postMessage", failure)
    with pytest.raises(DeliveryError) as caught:
        bot.send(MESSAGE)
    assert type(caught.value) is expected and caught.value.reason == reason
    assert isinstance(caught.value.__cause__, NotifierError)  # the notifier's error is kept as the cause


def test_a_429_keeps_slacks_retry_after(bot: Transport, slack_standin: SlackStandin) -> None:
    slack_standin.fail("chat.postMessage", Fail.ratelimited(retry_after=3))
    with pytest.raises(DeliveryRateLimitedError) as caught:
        bot.send(MESSAGE)
    assert caught.value.retry_after == 3.0 and caught.value.reason == "ratelimited"
    assert slack_standin.posts == []


def test_a_refused_connection_is_certainly_not_sent(bot: Transport, slack_standin: SlackStandin) -> None:
    slack_standin.refuse()
    try:
        with pytest.raises(DeliveryError) as caught:
            bot.send(MESSAGE)
    finally:
        slack_standin.resume()
    assert type(caught.value) is DeliveryError and caught.value.reason == "connection"


def test_update_and_find_posted_are_translated_too(bot: Transport, slack_standin: SlackStandin) -> None:
    receipt = bot.send(MESSAGE)
    assert receipt.ts is not None and receipt.channel is not None
    with pytest.raises(DeliveryConfigError) as gone:
        bot.update(receipt.channel, "1.000001", MESSAGE)  # no such message
    assert gone.value.reason == "message_not_found"
    slack_standin.fail("conversations.history", Fail.ratelimited(retry_after=5))
    since = datetime.now(UTC) - timedelta(minutes=5)
    with pytest.raises(DeliveryRateLimitedError) as limited:
        bot.find_posted(CH, "2025082700123", since)
    assert limited.value.retry_after == 5.0
    found = bot.find_posted(CH, "2025082700123", since)
    assert found is not None and found.ts == receipt.ts
    edited = bot.update(receipt.channel, receipt.ts, Message(CH, "edited"))
    assert edited.ts == receipt.ts
    current = slack_standin.message(CH, receipt.ts)
    assert current is not None and current.text == "edited"


# -- build_notifier: one transport per mode ---------------------------------------------------------
def test_the_modes_are_the_notifiers() -> None:
    assert set(NOTIFIERS) == {"bot", "webhook", "console"}


def test_a_bot_token_posts_through_the_web_api(slack_standin: SlackStandin) -> None:
    slack = SlackSettings(api_url=slack_standin.api_url, bot_token=SecretStr(slack_standin.token),
                          webhook_url=SecretStr(slack_standin.webhook_url))  # the token wins
    transport = Transport(build_notifier(slack))
    assert isinstance(transport.notifier, SlackNotifier)
    assert (transport.name, transport.reads_history, transport.edits) == ("slack", True, True)
    transport.send(MESSAGE)
    [post] = slack_standin.posts
    assert post.via == "bot" and post.metadata == {"event_type": "hkex_filing",
                                                   "event_payload": {"filing_ids": ["2025082700123"]}}


def test_a_webhook_posts_but_cannot_read_or_edit(slack_standin: SlackStandin) -> None:
    transport = Transport(build_notifier(SlackSettings(webhook_url=SecretStr(slack_standin.webhook_url))))
    assert isinstance(transport.notifier, SlackWebhookNotifier)
    assert (transport.reads_history, transport.edits) == (False, False)
    assert transport.send(MESSAGE).ts is None
    assert [p.via for p in slack_standin.posts] == ["webhook"]
    with pytest.raises(DeliveryConfigError) as caught:
        transport.update(CH, "1.0", MESSAGE)
    assert caught.value.reason == "unsupported"
    assert transport.find_posted(CH, "2025082700123", datetime.now(UTC)) is None


def test_without_credentials_messages_go_to_the_stream_as_text() -> None:
    out = io.StringIO()
    transport = Transport(build_notifier(SlackSettings(), stream=out))
    assert isinstance(transport.notifier, ConsoleNotifier)
    assert (transport.name, transport.reads_history, transport.edits) == ("console", False, False)
    transport.send(MESSAGE)
    printed = out.getvalue()
    assert printed.startswith(f"── to {CH} ──") and "hello" in printed
