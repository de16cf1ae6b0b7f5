"""Slack delivery: a bot token through the Web API (``SlackNotifier``) or an incoming webhook.

slack-sdk and network failures are translated here and nowhere else, by what they say about the
message (slack-sdk's urllib client; read ``_post_failure`` for the exact mapping):

- certainly not posted: the connection could not be made or the request not written (urllib wraps
  exactly those in ``URLError``), or Slack answered with an error (``channel_not_found``,
  ``invalid_auth``) -> ``DeliveryError``, ``DeliveryConfigError``, ``DeliveryAuthError``;
- may have been posted: the request was written, then no answer came in time, the connection closed,
  the answer was cut short or not JSON, an HTTP 5xx, or Slack's own ``fatal_error``/``internal_error``
  -> ``DeliveryUncertainError``: look in the history (``already_posted``) before sending again;
- HTTP 429 -> ``DeliveryRateLimitedError(retry_after=<Retry-After seconds>)``, raised at once.

Posts are never repeated by the library (no retry handlers on the client that posts): a repeat is
the deliverer's decision, after looking. Reads (``conversations.history``/``replies``/``list``)
and ``chat.update`` (the same edit twice is the same edit) keep slack-sdk's retries on connection
errors and 500/503, but not on 429: nothing here sleeps on Slack's behalf while claims are held.
The token and webhook URL never reach a log line or an error message.

Each bot message carries ``metadata = {"event_type": "hkex_filing", "event_payload": {"filing_ids":
[...]}}`` so ``already_posted`` can find it. History needs a channel id: names are
resolved from earlier ``chat.postMessage`` answers, else by a bounded ``conversations.list`` (scope
``channels:read``; ``groups:read`` for private channels). Webhooks can neither read history nor
edit (``reads_history`` is False): their uncertain sends stay uncertain.
"""

from __future__ import annotations

import logging
import math
import random
import re
from datetime import datetime
from http.client import HTTPException
from typing import Any
from urllib.error import HTTPError, URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError, SlackRequestError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.jitter import Jitter
from slack_sdk.webhook import WebhookClient

from monitor.errors import (
    DeliveryAuthError,
    DeliveryConfigError,
    DeliveryError,
    DeliveryRateLimitedError,
    DeliveryUncertainError,
)
from monitor.settings import SlackSettings
from notifiers.base import Message, Receipt

logger = logging.getLogger(__name__)

EVENT_TYPE = "hkex_filing"
AUTH_ERRORS = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
                         "missing_scope", "no_permission", "ekm_access_denied", "team_access_not_granted"})
CHANNEL_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived", "restricted_action",
                            "restricted_action_read_only_channel", "channel_is_archived"})
BLOCK_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "invalid_attachments"})
RATE_LIMIT_ERRORS = frozenset({"ratelimited", "rate_limited"})
# Slack documents these as "it's possible some aspect of the operation succeeded before the error".
MAYBE_DONE_ERRORS = frozenset({"fatal_error", "internal_error"})
# An edit that cannot be made now will not be possible later either.
UPDATE_ERRORS = frozenset({"message_not_found", "cant_update_message", "edit_window_closed",
                           "msg_too_long", "no_text", "is_inactive"})
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")
DEFAULT_RETRY_AFTER_S = 10.0  # a 429 without a usable Retry-After (Slack always sends one)
# slack-sdk's own ERROR lines for failures we translate and report once ourselves
_SDK_FAILURE_LINES = ("Failed to send a request to Slack API server", "Failed to decode Slack API response")


class _SdkLogFilter(logging.Filter):
    """slack-sdk logs request URLs (a webhook URL is a secret), and an ERROR line for every network
    failure, which we report ourselves once translated."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if text.startswith(_SDK_FAILURE_LINES):
            return False
        if any(s in text for s in self.secrets):
            record.msg, record.args = redact(text, self.secrets), None
        return True


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _sdk_logger(secrets: list[str]) -> logging.Logger:
    sdk = logging.getLogger(f"{__name__}.sdk")
    for f in list(sdk.filters):
        if isinstance(f, _SdkLogFilter):
            sdk.removeFilter(f)
    sdk.addFilter(_SdkLogFilter(secrets))
    return sdk


class _ProportionalJitter(Jitter):
    """Up to one ``backoff_s`` more (slack-sdk's default adds up to a whole second every time)."""

    def __init__(self, backoff_s: float) -> None:
        self.backoff_s = backoff_s

    def recalculate(self, duration: float) -> float:
        return duration + random.uniform(0, self.backoff_s)


def read_retry_handlers(max_retries: int, *, backoff_s: float = 0.5) -> list[RetryHandler]:
    """For requests that are safe to repeat: connection errors and 500/503, ``max_retries`` each.
    No 429 handler: a rate limit is raised to the caller, never slept through here."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=backoff_s, jitter=_ProportionalJitter(backoff_s))
    return [ServerErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
            ConnectionErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff)]


def retry_after(headers: Any) -> float:
    """Seconds from a Retry-After header (any key case, a value or a list of values)."""
    for k, v in (dict(headers or {})).items():
        if str(k).lower() == "retry-after":
            try:
                return max(0.0, float(v[0] if isinstance(v, list | tuple) else v))
            except (TypeError, ValueError, IndexError):
                break
    return DEFAULT_RETRY_AFTER_S


def _answer_failure(status: int, code: str, headers: Any, what: str, *, posting: bool,
                    needed: str | None = None) -> DeliveryError:
    """Slack answered, but not ok. ``posting``: the request would create a message."""
    if status == 429 or code in RATE_LIMIT_ERRORS:
        wait = retry_after(headers)
        return DeliveryRateLimitedError(f"{what}: rate limited by Slack, asked to wait {wait:g} s",
                                        retry_after=wait)
    if posting and status >= 500:
        return DeliveryUncertainError(f"{what}: Slack answered HTTP {status} after receiving the message; "
                                      "it may have been posted", reason="server_error")
    if status >= 500:
        return DeliveryError(f"{what}: Slack answered HTTP {status}", reason="server_error")
    if posting and code in MAYBE_DONE_ERRORS:
        return DeliveryUncertainError(f"{what}: Slack answered {code}; the message may have been posted",
                                      reason=code)
    if code.startswith("Received a response in a non-JSON format"):  # slack-sdk's words for it
        if posting and status == 200:
            return DeliveryUncertainError(f"{what}: Slack answered HTTP 200 with a body that is not JSON; "
                                          "the message may have been posted", reason="bad_answer")
        return DeliveryError(f"{what}: Slack answered HTTP {status} with a body that is not JSON",
                             reason=f"http_{status}")
    if code == "missing_scope" and not posting:
        # Reading needs scopes posting does not: the token is good, this look-up is impossible.
        detail = f" (needed: {needed})" if needed else ""
        return DeliveryConfigError(f"{what}: the bot token lacks a scope{detail}", reason=code)
    if code in AUTH_ERRORS:
        detail = f" (needed: {needed})" if needed else ""
        return DeliveryAuthError(f"{what}: Slack rejected the credentials: {code}{detail}", reason=code)
    if code in CHANNEL_ERRORS:
        return DeliveryConfigError(f"{what}: {code}", reason=code)
    return DeliveryError(f"{what}: Slack error {code or status}", reason=code or f"http_{status}")


def _network_failure(exc: BaseException, what: str, secrets: list[str], *, posting: bool) -> DeliveryError:
    """A request that got no usable answer. urllib raises ``URLError`` for exactly the failures of
    connecting and writing the request (``AbstractHTTPHandler.do_open`` wraps those); anything else
    came while waiting for or reading the answer, after the whole request had been written."""
    if isinstance(exc, HTTPError):  # slack-sdk turns these into answers; kept in case it stops doing so
        return _answer_failure(exc.code, "", exc.headers, what, posting=posting)
    if isinstance(exc, URLError):
        reason = exc.reason
        detail = redact(str(reason), secrets) or type(reason).__name__
        if isinstance(reason, TimeoutError):
            return DeliveryError(f"{what}: could not connect to Slack in time; nothing was sent",
                                 reason="connect_timeout")
        return DeliveryError(f"{what}: could not reach Slack ({detail}); nothing was sent",
                             reason="connection")
    detail = redact(str(exc), secrets) or type(exc).__name__
    if isinstance(exc, TimeoutError):
        reason, text = "timeout", "no answer in time after the request was sent"
    elif isinstance(exc, ConnectionError | HTTPException):
        reason, text = "no_answer", f"the connection failed after the request was sent ({detail})"
    else:
        reason, text = "bad_answer", f"the answer could not be read ({type(exc).__name__}: {detail})"
    if posting:
        return DeliveryUncertainError(f"{what}: {text}; the message may have been posted", reason=reason)
    return DeliveryError(f"{what}: {text}", reason=reason)


def translate(exc: Exception, what: str, secrets: list[str], *, posting: bool = False) -> DeliveryError:
    """One slack-sdk / network failure -> the DeliveryError branch that says what to do next."""
    if isinstance(exc, SlackApiError):
        data = exc.response.data if isinstance(exc.response.data, dict) else {}
        needed = data.get("needed")
        return _answer_failure(exc.response.status_code, redact(str(data.get("error") or ""), secrets),
                               exc.response.headers, what, posting=posting,
                               needed=str(needed) if needed else None)
    if isinstance(exc, SlackRequestError):  # slack-sdk refused to send (a URL that is not http)
        return DeliveryConfigError(f"{what}: {redact(str(exc), secrets)}", reason="config")
    return _network_failure(exc, what, secrets, posting=posting)


# What a failed request can raise through slack-sdk's urllib client (everything else is a bug).
_FAILURES = (SlackClientError, OSError, HTTPException, ValueError)


def _client_timeout(settings: SlackSettings) -> int:
    return max(1, math.ceil(settings.timeout_s))  # slack-sdk's clients take whole seconds


class SlackNotifier:
    """Posts with a bot token (``chat.postMessage``), edits (``chat.update``) and finds its own
    messages by their metadata (``already_posted``)."""

    name = "slack"
    reads_history = True

    def __init__(self, settings: SlackSettings, *, backoff_s: float = 0.5, history_pages: int = 20,
                 channel_list_pages: int = 10) -> None:
        if settings.bot_token is None:
            raise DeliveryConfigError("SlackNotifier needs a bot token", reason="config")
        token = settings.bot_token.get_secret_value()
        self._secrets = [token]
        self.timeout_s = _client_timeout(settings)
        common: dict[str, Any] = dict(token=token, base_url=settings.api_url, timeout=self.timeout_s,
                                      logger=_sdk_logger(self._secrets))
        self._poster = WebClient(**common, retry_handlers=[])
        self._reader = WebClient(**common, retry_handlers=read_retry_handlers(settings.max_retries,
                                                                              backoff_s=backoff_s))
        self.history_pages, self.channel_list_pages = history_pages, channel_list_pages
        self._channel_ids: dict[str, str] = {}

    # -- posting -----------------------------------------------------------------------------------
    def send(self, message: Message) -> Receipt:
        """Posts once. Raises ``DeliveryUncertainError`` when it may have been posted,
        ``DeliveryRateLimitedError`` on a 429, ``DeliveryConfigError``/``DeliveryAuthError`` when
        retrying cannot help, else ``DeliveryError`` (certainly not posted)."""
        what = f"posting to {message.channel}"
        payload = {"filing_ids": list(message.filing_ids)}
        kwargs: dict[str, Any] = dict(channel=message.channel, text=message.text, unfurl_links=False,
                                      unfurl_media=False, metadata={"event_type": EVENT_TYPE,
                                                                    "event_payload": payload})
        if message.thread_ts:
            kwargs["thread_ts"] = message.thread_ts
        try:
            try:
                resp = self._poster.chat_postMessage(blocks=list(message.blocks) or None, **kwargs)
            except SlackApiError as exc:
                if exc.response.get("error") not in BLOCK_ERRORS or not message.blocks:
                    raise
                # Refused outright, so nothing was posted; the layout must not hold the alert back.
                logger.warning("Slack refused the blocks for %s (%s); posting the text only",
                               message.channel, exc.response.get("error"))
                resp = self._poster.chat_postMessage(**kwargs)
        except _FAILURES as exc:
            raise translate(exc, what, self._secrets, posting=True) from exc
        channel_id = resp.get("channel")
        if isinstance(channel_id, str):
            self._channel_ids[message.channel] = channel_id
        ts = resp.get("ts")
        return Receipt(ts=str(ts) if ts else None, channel=self._channel_ids.get(message.channel))

    def update(self, channel: str, ts: str, message: Message) -> Receipt:
        """Replaces the text and blocks of the message ``ts`` (the metadata stays). Safe to repeat.
        Raises ``DeliveryConfigError`` when the message cannot be edited (gone, not ours, too old)."""
        what = f"editing message {ts} in {channel}"
        try:
            channel_id = self._channel_id(channel, what)
            resp = self._reader.chat_update(channel=channel_id, ts=ts, text=message.text,
                                            blocks=list(message.blocks))
        except _FAILURES as exc:
            err = translate(exc, what, self._secrets, posting=False)
            if err.reason in UPDATE_ERRORS:
                err = DeliveryConfigError(str(err), reason=err.reason)
            raise err from exc
        return Receipt(ts=str(resp.get("ts") or ts), channel=str(resp.get("channel") or channel_id))

    # -- looking -----------------------------------------------------------------------------------
    def already_posted(self, channel: str, filing_id: str, since: datetime, *, until: datetime | None = None,
                       thread_ts: str | None = None) -> bool:
        """Whether a message of ours tagged with ``filing_id`` was posted between ``since`` and ``until``
        (a minute of clock skew either side), in the channel or, given ``thread_ts``, in that thread.

        True or False only after reading the whole window. Raises ``DeliveryError`` (or its
        rate-limited branch) when Slack cannot be asked now, and ``DeliveryConfigError`` when it never
        can (a missing scope, a channel name that cannot be resolved): the alert stays uncertain."""
        what = f"reading the history of {channel}"
        try:
            channel_id = self._channel_id(channel, what)
            window: dict[str, Any] = {"oldest": f"{since.timestamp() - 60:.6f}"}
            if until is not None:
                window["latest"] = f"{until.timestamp() + 60:.6f}"
            if thread_ts and self._find(filing_id, what, self._reader.conversations_replies,
                                        channel=channel_id, ts=thread_ts, **window):
                return True
            return self._find(filing_id, what, self._reader.conversations_history, channel=channel_id,
                              **window)
        except _FAILURES as exc:
            raise translate(exc, what, self._secrets, posting=False) from exc

    def _find(self, filing_id: str, what: str, method: Any, **kwargs: Any) -> bool:
        cursor: str | None = None
        for _ in range(self.history_pages):
            resp = method(include_all_metadata=True, limit=200, cursor=cursor, **kwargs)
            for msg in resp.get("messages") or []:
                meta = msg.get("metadata") or {}
                if meta.get("event_type") == EVENT_TYPE and filing_id in (
                        (meta.get("event_payload") or {}).get("filing_ids") or []):
                    return True
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return False
        raise DeliveryError(f"{what}: more than {self.history_pages * 200} messages in the window; could not "
                            f"tell whether filing {filing_id} was posted", reason="history_too_long")

    def _channel_id(self, channel: str, what: str) -> str:
        """The id of a channel given by id or name; ``DeliveryConfigError`` if it cannot be found."""
        if channel in self._channel_ids:
            return self._channel_ids[channel]
        if _CHANNEL_ID.match(channel):
            return channel
        name, cursor, types = channel.lstrip("#"), None, "public_channel,private_channel"
        for _ in range(self.channel_list_pages):
            try:
                resp = self._reader.conversations_list(types=types, exclude_archived=True, limit=200,
                                                       cursor=cursor)
            except SlackApiError as exc:
                if exc.response.get("error") != "missing_scope" or types == "public_channel":
                    raise
                types, cursor = "public_channel", None  # no groups:read: public channels only
                continue
            for ch in resp.get("channels") or []:
                self._channel_ids.setdefault("#" + ch["name"], ch["id"])
                if ch["name"] == name:
                    self._channel_ids[channel] = ch["id"]
                    return str(ch["id"])
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                seen = "channels" if types != "public_channel" else "public channels (no groups:read scope)"
                raise DeliveryConfigError(f"{what}: no channel named {name} among the {seen} the bot "
                                          "can see; give the channel id (C...) instead",
                                          reason="channel_not_found")
        listed = self.channel_list_pages * 200
        raise DeliveryConfigError(f"{what}: channel {name} not found in the first {listed} channels; "
                                  "give the channel id (C...) instead", reason="channel_unresolved")


_WEBHOOK_AUTH = frozenset({"invalid_token", "no_service", "no_service_id", "no_team", "team_disabled",
                           "action_prohibited", "no_active_hooks"})
_WEBHOOK_CHANNEL = frozenset({"channel_not_found", "channel_is_archived",
                              "posting_to_general_channel_denied"})


class SlackWebhookNotifier:
    """Posts through an incoming webhook. The webhook fixes the channel (``message.channel`` is only
    used in logs) and cannot carry metadata, reply in threads, edit, or read history: an uncertain
    send stays uncertain, and ``already_posted`` can only answer False."""

    name = "slack-webhook"
    reads_history = False

    def __init__(self, settings: SlackSettings) -> None:
        if settings.webhook_url is None:
            raise DeliveryConfigError("SlackWebhookNotifier needs a webhook URL", reason="config")
        url = settings.webhook_url.get_secret_value()
        self._secrets = [url, url.split("/services/", 1)[-1]]
        self._client = WebhookClient(url, timeout=_client_timeout(settings), retry_handlers=[],
                                     logger=_sdk_logger(self._secrets))

    def send(self, message: Message) -> Receipt:
        """Posts once; the same errors as ``SlackNotifier.send``. A ``thread_ts`` is ignored (posted in
        the channel): the webhook never tells us a message's ts, so it has no thread to reply in."""
        what = f"posting to {message.channel} through the webhook"
        if message.thread_ts:
            logger.info("an incoming webhook cannot reply in a thread; posting to the channel instead")
        try:
            resp = self._client.send(text=message.text, blocks=list(message.blocks) or None,
                                     unfurl_links=False, unfurl_media=False)
            if resp.status_code == 400 and resp.body in BLOCK_ERRORS | {"invalid_payload"} and message.blocks:
                logger.warning("Slack refused the blocks (%s); posting the text only", resp.body)
                resp = self._client.send(text=message.text, unfurl_links=False, unfurl_media=False)
        except _FAILURES as exc:
            raise translate(exc, what, self._secrets, posting=True) from exc
        if resp.status_code == 200:
            return Receipt(ts=None)
        code = redact(str(resp.body or ""), self._secrets).strip()[:100]
        if resp.status_code == 429 or resp.status_code >= 500:
            raise _answer_failure(resp.status_code, code, resp.headers, what, posting=True)
        if code in _WEBHOOK_AUTH or resp.status_code in (401, 403, 404, 410) and code not in _WEBHOOK_CHANNEL:
            raise DeliveryAuthError(f"{what}: Slack rejected the webhook: {code or resp.status_code}",
                                    reason=code or "invalid_webhook")
        if code in _WEBHOOK_CHANNEL:
            raise DeliveryConfigError(f"{what}: {code}", reason=code)
        raise DeliveryError(f"{what}: Slack answered HTTP {resp.status_code} {code}",
                            reason=f"http_{resp.status_code}")

    def update(self, channel: str, ts: str, message: Message) -> Receipt:
        raise DeliveryConfigError("an incoming webhook cannot edit messages; nothing was changed",
                                  reason="unsupported")

    def already_posted(self, channel: str, filing_id: str, since: datetime, *, until: datetime | None = None,
                       thread_ts: str | None = None) -> bool:
        return False  # cannot look (``reads_history`` is False): the caller decides what an unknown means
