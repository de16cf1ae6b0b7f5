"""Slack through an incoming webhook: post only. The webhook fixes the channel (``message.channel``
is only used in logs) and cannot carry metadata, reply in threads, edit, or read history: an
uncertain send stays uncertain, and ``find_posted`` can only answer None."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.webhook import WebhookClient

from notifiers.base import Message, Receipt
from notifiers.errors import CredentialsRejectedError, NotifierError, RejectedError
from notifiers.slackhttp import (
    BLOCK_ERRORS,
    FAILURES,
    answer_failure,
    client_timeout,
    mask,
    sdk_logger,
    translate,
)

logger = logging.getLogger(__name__)

_WEBHOOK_AUTH = frozenset({"invalid_token", "no_service", "no_service_id", "no_team", "team_disabled",
                           "action_prohibited", "no_active_hooks"})
_WEBHOOK_CHANNEL = frozenset({"channel_not_found", "channel_is_archived",
                              "posting_to_general_channel_denied"})


class SlackWebhookNotifier:
    """An incoming webhook's transport (the URL is a secret: never shown)."""

    name = "slack-webhook"
    reads_history = False
    edits = False

    def __init__(self, url: str, *, timeout_s: float = 10.0) -> None:
        if not url:
            raise RejectedError("a webhook URL is needed", reason="config")
        self._secrets = [url, url.split("/services/", 1)[-1]]
        self._client = WebhookClient(url, timeout=client_timeout(timeout_s), retry_handlers=[],
                                     logger=sdk_logger(self._secrets))

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
        except FAILURES as exc:
            raise translate(exc, what, self._secrets, posting=True) from exc
        if resp.status_code == 200:
            return Receipt(ts=None)
        code = mask(str(resp.body or ""), self._secrets).strip()[:100]
        if resp.status_code == 429 or resp.status_code >= 500:
            raise answer_failure(resp.status_code, code, resp.headers, what, posting=True)
        if code in _WEBHOOK_AUTH or resp.status_code in (401, 403, 404, 410) and code not in _WEBHOOK_CHANNEL:
            raise CredentialsRejectedError(f"{what}: Slack rejected the webhook: {code or resp.status_code}",
                                    reason=code or "invalid_webhook")
        if code in _WEBHOOK_CHANNEL:
            raise RejectedError(f"{what}: {code}", reason=code)
        raise NotifierError(f"{what}: Slack answered HTTP {resp.status_code} {code}",
                            reason=f"http_{resp.status_code}")

    def update(self, channel: str, ts: str, message: Message) -> Receipt:
        raise RejectedError("an incoming webhook cannot edit messages; nothing was changed",
                                  reason="unsupported")

    def find_posted(self, channel: str, filing_id: str, since: datetime, *, until: datetime | None = None,
                    thread_ts: str | None = None) -> Receipt | None:
        return None  # cannot look (``reads_history`` is False): the caller decides what an unknown means
