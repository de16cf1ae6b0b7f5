"""Slack delivery: a bot token through the Web API (``SlackNotifier``) or an incoming webhook.

slack-sdk errors are translated here and nowhere else: Slack codes that retrying cannot fix become
``DeliveryConfigError`` (``DeliveryAuthError`` for the credentials themselves); rate limits after
the client's own retries, 5xx, timeouts and connection errors become a retryable ``DeliveryError``.
The token and webhook URL never reach a log line or an error message.

Each bot message carries ``metadata = {"event_type": "hkex_filing", "event_payload": {"filing_ids":
[...]}}`` so ``already_posted`` can find it in the channel's history after a crash. History needs a
channel id: names are resolved from earlier ``chat.postMessage`` answers, else by a bounded
``conversations.list`` (scope ``channels:read``). Webhooks cannot read history, so a webhook's
``already_posted`` is always False.
"""

from __future__ import annotations

import logging
import math
import random
import re
import time
from datetime import datetime
from http.client import HTTPException
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.jitter import Jitter
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.webhook import WebhookClient

from monitor.errors import DeliveryAuthError, DeliveryConfigError, DeliveryError
from monitor.settings import SlackSettings
from notifiers.base import Message, Receipt

logger = logging.getLogger(__name__)

EVENT_TYPE = "hkex_filing"
AUTH_ERRORS = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
                         "missing_scope", "no_permission", "ekm_access_denied", "team_access_not_granted"})
CHANNEL_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived", "restricted_action",
                            "restricted_action_read_only_channel", "channel_is_archived"})
BLOCK_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "invalid_attachments"})
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")


class _RedactSecrets(logging.Filter):
    """slack-sdk logs request URLs at INFO when it retries: a webhook URL is a secret."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
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
        if isinstance(f, _RedactSecrets):
            sdk.removeFilter(f)
    sdk.addFilter(_RedactSecrets(secrets))
    return sdk


class _RateLimitHandler(RateLimitErrorRetryHandler):
    """Honours Retry-After, but gives up (the alert stays pending) rather than wait past ``max_wait_s``
    while holding claims; jitter is ``backoff_s`` at most instead of slack-sdk's fixed second."""

    def __init__(self, max_retry_count: int, *, max_wait_s: float, jitter_s: float) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait_s, self.jitter_s = max_wait_s, jitter_s

    @staticmethod
    def _retry_after(response: HttpResponse | None) -> float:
        for k, v in (response.headers.items() if response else ()):
            if k.lower() == "retry-after":
                try:
                    return float(v[0] if isinstance(v, list) else v)
                except (TypeError, ValueError, IndexError):
                    return 1.0
        return 1.0

    def _can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                   error: Exception | None = None) -> bool:
        return (super()._can_retry(state=state, request=request, response=response, error=error)
                and self._retry_after(response) <= self.max_wait_s)

    def prepare_for_next_attempt(self, *, state: RetryState, request: HttpRequest,
                                 response: HttpResponse | None = None,
                                 error: Exception | None = None) -> None:
        state.next_attempt_requested = True
        time.sleep(self._retry_after(response) + random.uniform(0, self.jitter_s))
        state.increment_current_attempt()


class _ProportionalJitter(Jitter):
    """Up to one ``backoff_s`` more (slack-sdk's default adds up to a whole second every time)."""

    def __init__(self, backoff_s: float) -> None:
        self.backoff_s = backoff_s

    def recalculate(self, duration: float) -> float:
        return duration + random.uniform(0, self.backoff_s)


def retry_handlers(max_retries: int, *, backoff_s: float = 0.5, max_rate_limit_wait_s: float = 30.0
                   ) -> list[RetryHandler]:
    """slack-sdk's handlers: 429 (Retry-After), 500/503, and connection errors, ``max_retries`` each."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=backoff_s, jitter=_ProportionalJitter(backoff_s))
    return [
        _RateLimitHandler(max_retries, max_wait_s=max_rate_limit_wait_s, jitter_s=backoff_s),
        ServerErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
        ConnectionErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
    ]


def translate(exc: Exception, what: str, secrets: list[str]) -> DeliveryError:
    """One slack-sdk / network failure -> the DeliveryError branch that says what to do next."""
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        data = exc.response.data if isinstance(exc.response.data, dict) else {}
        code = str(data.get("error") or "")
        if status == 429 or code == "ratelimited":
            return DeliveryError(f"{what}: rate limited by Slack after retries", reason="ratelimited")
        if status >= 500:
            return DeliveryError(f"{what}: Slack answered HTTP {status}", reason="server_error")
        if code in AUTH_ERRORS:
            detail = f" (needed: {data.get('needed')})" if data.get("needed") else ""
            return DeliveryAuthError(f"{what}: Slack rejected the credentials: {code}{detail}", reason=code)
        if code in CHANNEL_ERRORS:
            return DeliveryConfigError(f"{what}: {code}", reason=code)
        return DeliveryError(f"{what}: Slack error {code or status}", reason=code or f"http_{status}")
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return DeliveryError(f"{what}: timed out", reason="timeout")
    return DeliveryError(f"{what}: {redact(str(exc), secrets) or type(exc).__name__}", reason="connection")


_FAILURES = (SlackClientError, OSError, HTTPException, ValueError)


class SlackNotifier:
    """Posts with a bot token (``chat.postMessage``) and finds its own messages by their metadata."""

    name = "slack"

    def __init__(self, settings: SlackSettings, *, backoff_s: float = 0.5,
                 max_rate_limit_wait_s: float = 30.0, history_pages: int = 5,
                 channel_list_pages: int = 10) -> None:
        if settings.bot_token is None:
            raise DeliveryConfigError("SlackNotifier needs a bot token", reason="config")
        token = settings.bot_token.get_secret_value()
        self._secrets = [token]
        self._client = WebClient(
            token=token, base_url=settings.api_url, timeout=max(1, math.ceil(settings.timeout_s)),
            retry_handlers=retry_handlers(settings.max_retries, backoff_s=backoff_s,
                                          max_rate_limit_wait_s=max_rate_limit_wait_s),
            logger=_sdk_logger(self._secrets),
        )
        self.history_pages, self.channel_list_pages = history_pages, channel_list_pages
        self._channel_ids: dict[str, str] = {}

    def send(self, message: Message) -> Receipt:
        what = f"posting to {message.channel}"
        metadata = {"event_type": EVENT_TYPE, "event_payload": {"filing_ids": list(message.filing_ids)}}
        kwargs: dict[str, Any] = dict(channel=message.channel, text=message.text, unfurl_links=False,
                                      unfurl_media=False, metadata=metadata)
        try:
            try:
                resp = self._client.chat_postMessage(blocks=list(message.blocks) or None, **kwargs)
            except SlackApiError as exc:
                if exc.response.get("error") not in BLOCK_ERRORS or not message.blocks:
                    raise
                # A layout Slack refuses must not hold the alert back: the text says the same.
                logger.warning("Slack refused the blocks for %s (%s); posting the text only",
                               message.channel, exc.response.get("error"))
                resp = self._client.chat_postMessage(**kwargs)
        except _FAILURES as exc:
            raise translate(exc, what, self._secrets) from exc
        channel_id = resp.get("channel")
        if isinstance(channel_id, str):
            self._channel_ids[message.channel] = channel_id
        ts = resp.get("ts")
        return Receipt(ts=str(ts) if ts else None)

    def already_posted(self, channel: str, filing_id: str, since: datetime) -> bool:
        """Looks back from ``since`` (less a minute for clock skew), ``history_pages`` pages at most.
        Raises DeliveryError when Slack cannot be asked now; False when it never can (scope, name)."""
        what = f"reading the history of {channel}"
        try:
            channel_id = self._resolve(channel)
            if channel_id is None:
                logger.warning("cannot find the id of channel %s, so cannot check whether filing %s was "
                               "already posted; posting it (this may repeat a message)", channel, filing_id)
                return False
            cursor: str | None = None
            for _ in range(self.history_pages):
                resp = self._client.conversations_history(
                    channel=channel_id, oldest=f"{since.timestamp() - 60:.6f}", include_all_metadata=True,
                    limit=200, cursor=cursor)
                for msg in resp.get("messages") or []:
                    meta = msg.get("metadata") or {}
                    if meta.get("event_type") == EVENT_TYPE and filing_id in (
                            (meta.get("event_payload") or {}).get("filing_ids") or []):
                        return True
                cursor = (resp.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return False
            logger.warning("checked %d pages of %s history without finding filing %s; not looking further",
                           self.history_pages, channel, filing_id)
            return False
        except _FAILURES as exc:
            err = translate(exc, what, self._secrets)
            if isinstance(err, DeliveryConfigError):
                logger.warning("%s; posting filing %s without checking (this may repeat a message)",
                               err, filing_id)
                return False
            raise err from exc

    def _resolve(self, channel: str) -> str | None:
        if channel in self._channel_ids:
            return self._channel_ids[channel]
        if _CHANNEL_ID.match(channel):
            return channel
        name, cursor, types = channel.lstrip("#"), None, "public_channel,private_channel"
        for _ in range(self.channel_list_pages):
            try:
                resp = self._client.conversations_list(types=types, exclude_archived=True, limit=200,
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
                break
        return None


_WEBHOOK_AUTH = frozenset({"invalid_token", "no_service", "no_service_id", "no_team", "team_disabled",
                           "action_prohibited", "no_active_hooks"})
_WEBHOOK_CHANNEL = frozenset({"channel_not_found", "channel_is_archived",
                              "posting_to_general_channel_denied"})


class SlackWebhookNotifier:
    """Posts through an incoming webhook. The webhook fixes the channel (``message.channel`` is only
    used in logs) and cannot carry metadata or read history: ``already_posted`` is always False."""

    name = "slack-webhook"

    def __init__(self, settings: SlackSettings, *, backoff_s: float = 0.5,
                 max_rate_limit_wait_s: float = 30.0) -> None:
        if settings.webhook_url is None:
            raise DeliveryConfigError("SlackWebhookNotifier needs a webhook URL", reason="config")
        url = settings.webhook_url.get_secret_value()
        self._secrets = [url, url.split("/services/", 1)[-1]]
        self._client = WebhookClient(
            url, timeout=max(1, math.ceil(settings.timeout_s)), logger=_sdk_logger(self._secrets),
            retry_handlers=retry_handlers(settings.max_retries, backoff_s=backoff_s,
                                          max_rate_limit_wait_s=max_rate_limit_wait_s))

    def send(self, message: Message) -> Receipt:
        what = f"posting to {message.channel} through the webhook"
        try:
            resp = self._client.send(text=message.text, blocks=list(message.blocks) or None,
                                     unfurl_links=False, unfurl_media=False)
            if resp.status_code == 400 and resp.body in BLOCK_ERRORS | {"invalid_payload"} and message.blocks:
                logger.warning("Slack refused the blocks (%s); posting the text only", resp.body)
                resp = self._client.send(text=message.text, unfurl_links=False, unfurl_media=False)
        except _FAILURES as exc:
            raise translate(exc, what, self._secrets) from exc
        if resp.status_code == 200:
            return Receipt(ts=None)
        code = redact(str(resp.body or ""), self._secrets).strip()[:100]
        if resp.status_code == 429:
            raise DeliveryError(f"{what}: rate limited by Slack after retries", reason="ratelimited")
        if resp.status_code >= 500:
            raise DeliveryError(f"{what}: Slack answered HTTP {resp.status_code}", reason="server_error")
        if code in _WEBHOOK_AUTH or resp.status_code in (401, 403, 404, 410) and code not in _WEBHOOK_CHANNEL:
            raise DeliveryAuthError(f"{what}: Slack rejected the webhook: {code or resp.status_code}",
                                    reason=code or "invalid_webhook")
        if code in _WEBHOOK_CHANNEL:
            raise DeliveryConfigError(f"{what}: {code}", reason=code)
        raise DeliveryError(f"{what}: Slack answered HTTP {resp.status_code} {code}",
                            reason=f"http_{resp.status_code}")

    def already_posted(self, channel: str, filing_id: str, since: datetime) -> bool:
        return False
