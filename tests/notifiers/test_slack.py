"""SlackNotifier and SlackWebhookNotifier against the real slack-sdk and a local Slack stand-in."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from slackstandin import Fail, SlackStandin

from monitor.errors import DeliveryAuthError, DeliveryConfigError, DeliveryError
from monitor.settings import SlackSettings
from notifiers.base import Message
from notifiers.console import ConsoleNotifier
from notifiers.registry import NOTIFIERS, build_notifier
from notifiers.slack import SlackNotifier, SlackWebhookNotifier

BLOCKS = ({"type": "section", "text": {"type": "mrkdwn", "text": "*hello*"}},)
EARLIER = datetime.now(UTC) - timedelta(minutes=5)


def settings(slack: SlackStandin, token: str | None = None, **kw: object) -> SlackSettings:
    return SlackSettings(api_url=slack.api_url, bot_token=SecretStr(token or slack.token), max_retries=2,
                         timeout_s=2, **kw)  # type: ignore[arg-type]


def bot(slack: SlackStandin, token: str | None = None, **kw: object) -> SlackNotifier:
    return SlackNotifier(settings(slack, token), backoff_s=0.01, **kw)  # type: ignore[arg-type]


def msg(channel: str = "#hkex-filings", ids: tuple[str, ...] = ("F1",)) -> Message:
    return Message(channel, "hello", BLOCKS, ids, "filing")


def test_send_posts_text_blocks_and_metadata(slack_standin: SlackStandin) -> None:
    receipt = bot(slack_standin).send(msg(ids=("F1", "F2")))
    [post] = slack_standin.posts
    assert receipt.ts == post.ts and post.channel == "C0HKEX0001"
    assert post.text == "hello" and post.blocks == list(BLOCKS)
    assert post.metadata == {"event_type": "hkex_filing", "event_payload": {"filing_ids": ["F1", "F2"]}}
    assert post.params["unfurl_links"] is False


def test_rate_limited_then_ok_posts_once(slack_standin: SlackStandin) -> None:
    slack_standin.fail("chat.postMessage", Fail.ratelimited(retry_after=0))
    bot(slack_standin).send(msg())
    assert len(slack_standin.posts) == 1 and slack_standin.calls("chat.postMessage") == 2


def test_long_retry_after_gives_up_instead_of_waiting(slack_standin: SlackStandin) -> None:
    slack_standin.fail("chat.postMessage", Fail.ratelimited(retry_after=120))
    with pytest.raises(DeliveryError) as err:
        bot(slack_standin).send(msg())
    assert err.value.retryable and err.value.reason == "ratelimited"
    assert slack_standin.calls("chat.postMessage") == 1 and slack_standin.posts == []


def test_server_errors_are_retried_then_retryable(slack_standin: SlackStandin) -> None:
    slack_standin.fail("chat.postMessage", Fail.server_error(500), times=3)
    with pytest.raises(DeliveryError) as err:
        bot(slack_standin).send(msg())
    assert type(err.value) is DeliveryError and err.value.reason == "server_error"
    assert slack_standin.calls("chat.postMessage") == 3  # one try + max_retries
    slack_standin.fail("chat.postMessage", Fail.server_error(503), times=2)
    bot(slack_standin).send(msg())
    assert len(slack_standin.posts) == 1


def test_down_is_retryable(slack_standin: SlackStandin) -> None:
    slack_standin.down = True
    with pytest.raises(DeliveryError) as err:
        bot(slack_standin).send(msg())
    assert type(err.value) is DeliveryError and err.value.reason == "connection"
    assert slack_standin.calls("chat.postMessage") == 3


def test_refused_connection_is_retryable() -> None:
    standin = SlackStandin().start()
    notifier = bot(standin)
    standin.stop()
    with pytest.raises(DeliveryError) as err:
        notifier.send(msg())
    assert type(err.value) is DeliveryError


def test_wrong_token_is_auth_error_and_token_stays_secret(slack_standin: SlackStandin,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DeliveryAuthError) as err:
        bot(slack_standin, token="xoxb-wrong-secret").send(msg())
    assert not err.value.retryable and err.value.reason == "invalid_auth"
    assert "xoxb-wrong-secret" not in str(err.value) and "xoxb-wrong-secret" not in caplog.text
    assert slack_standin.calls("chat.postMessage") == 1  # not retried


@pytest.mark.parametrize("code", ["token_revoked", "account_inactive", "missing_scope", "not_authed"])
def test_credential_errors(slack_standin: SlackStandin, code: str) -> None:
    slack_standin.fail("chat.postMessage", Fail.error(code))
    with pytest.raises(DeliveryAuthError):
        bot(slack_standin).send(msg())


def test_channel_errors_are_config_errors_for_that_channel(slack_standin: SlackStandin) -> None:
    slack_standin.add_channel("old", archived=True)
    slack_standin.add_channel("private", member=False)
    cases = (("#nope", "channel_not_found"), ("#old", "is_archived"), ("#private", "not_in_channel"))
    for channel, code in cases:
        with pytest.raises(DeliveryConfigError) as err:
            bot(slack_standin).send(msg(channel))
        assert not isinstance(err.value, DeliveryAuthError) and err.value.reason == code
        assert channel in str(err.value)


def test_refused_blocks_fall_back_to_text(slack_standin: SlackStandin) -> None:
    slack_standin.fail("chat.postMessage", Fail.error("invalid_blocks"))
    bot(slack_standin).send(msg())
    [post] = slack_standin.posts
    assert post.blocks is None and post.text == "hello" and post.metadata is not None


def test_already_posted_finds_metadata(slack_standin: SlackStandin) -> None:
    first = bot(slack_standin)
    first.send(msg(ids=("F1", "F2")))
    assert first.already_posted("#hkex-filings", "F2", EARLIER)
    assert not first.already_posted("#hkex-filings", "F3", EARLIER)
    assert not first.already_posted("#hkex-filings", "F1", datetime.now(UTC) + timedelta(minutes=5))
    assert slack_standin.calls("conversations.list") == 0  # the id came from postMessage

    # A fresh process knows only the name: resolved once through conversations.list.
    fresh = bot(slack_standin)
    assert fresh.already_posted("#hkex-filings", "F1", EARLIER)
    assert fresh.already_posted("hkex-filings", "F1", EARLIER) is True
    assert fresh.already_posted("C0HKEX0001", "F1", EARLIER)
    assert slack_standin.calls("conversations.list") == 2  # "#hkex-filings" and "hkex-filings"


def test_already_posted_pages_through_history(slack_standin: SlackStandin) -> None:
    notifier = bot(slack_standin)
    notifier.send(msg(ids=("OLD",)))
    for i in range(450):
        slack_standin.add_message("#hkex-filings", f"chatter {i}",
                                  {"event_type": "other", "event_payload": {"filing_ids": ["OLD"]}})
    assert notifier.already_posted("#hkex-filings", "OLD", EARLIER)
    assert slack_standin.calls("conversations.history") == 3
    assert not bot(slack_standin, history_pages=2).already_posted("#hkex-filings", "OLD", EARLIER)


def test_already_posted_channel_lookup_pages_and_gives_up(slack_standin: SlackStandin) -> None:
    for i in range(250):
        slack_standin.add_channel(f"filler-{i}")
    cid = slack_standin.add_channel("late")
    ours = {"event_type": "hkex_filing", "event_payload": {"filing_ids": ["F"]}}
    slack_standin.add_message("late", "x", ours)
    assert bot(slack_standin).already_posted("#late", "F", EARLIER)
    assert not bot(slack_standin, channel_list_pages=1).already_posted("#late", "F", EARLIER)
    assert not bot(slack_standin).already_posted("#missing", "F", EARLIER)  # cannot look: post
    assert cid.startswith("C")


def test_already_posted_transient_failure_raises(slack_standin: SlackStandin) -> None:
    slack_standin.fail("conversations.history", Fail.server_error(500), times=3)
    with pytest.raises(DeliveryError) as err:
        bot(slack_standin).already_posted("C0HKEX0001", "F", EARLIER)
    assert err.value.retryable


def test_already_posted_without_history_scope_answers_false(slack_standin: SlackStandin) -> None:
    slack_standin.fail("conversations.history", Fail.error("missing_scope"))
    assert bot(slack_standin).already_posted("C0HKEX0001", "F", EARLIER) is False


# -- webhook ---------------------------------------------------------------------------------------------
def webhook(slack: SlackStandin) -> SlackWebhookNotifier:
    return SlackWebhookNotifier(SlackSettings(webhook_url=SecretStr(slack.webhook_url), max_retries=1),
                                backoff_s=0.01)


def test_webhook_posts(slack_standin: SlackStandin) -> None:
    notifier = webhook(slack_standin)
    assert notifier.send(msg()).ts is None
    [post] = slack_standin.posts
    assert post.via == "webhook" and post.text == "hello" and post.blocks == list(BLOCKS)
    assert notifier.already_posted("#hkex-filings", "F1", EARLIER) is False


def test_webhook_errors_keep_the_url_secret(slack_standin: SlackStandin,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "webhooksecret0123456789"
    slack_standin.down = True
    with pytest.raises(DeliveryError) as down:
        webhook(slack_standin).send(msg())
    slack_standin.down = False
    slack_standin.fail("webhook", Fail(404, "no_service"))
    with pytest.raises(DeliveryAuthError) as revoked:
        webhook(slack_standin).send(msg())
    slack_standin.fail("webhook", Fail(404, "channel_not_found"))
    with pytest.raises(DeliveryConfigError) as gone:
        webhook(slack_standin).send(msg())
    assert not isinstance(gone.value, DeliveryAuthError)
    slack_standin.fail("webhook", Fail.ratelimited(0))
    webhook(slack_standin).send(msg())
    assert len(slack_standin.posts) == 1
    for text in (str(down.value), str(revoked.value), caplog.text):
        assert secret not in text


# -- console and registry -----------------------------------------------------------------------------------
def test_console_prints_channel_first() -> None:
    out = io.StringIO()
    notifier = ConsoleNotifier(out)
    assert notifier.send(msg()).ts is None
    assert out.getvalue().splitlines()[:2] == ["── to #hkex-filings ──", "*hello*"]
    assert notifier.already_posted("#c", "F", EARLIER) is False


def test_registry_builds_by_mode(slack_standin: SlackStandin) -> None:
    assert set(NOTIFIERS) == {"bot", "webhook", "console"}
    assert isinstance(build_notifier(settings(slack_standin)), SlackNotifier)
    hook = SlackSettings(webhook_url=SecretStr(slack_standin.webhook_url))
    assert isinstance(build_notifier(hook), SlackWebhookNotifier)
    out = io.StringIO()
    console = build_notifier(SlackSettings(), stream=out)
    console.send(msg("#x"))
    assert isinstance(console, ConsoleNotifier) and out.getvalue().startswith("── to #x ──")
