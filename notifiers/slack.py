"""Slack through the Web API with a bot token: post (``chat.postMessage``), edit (``chat.update``)
and find our own messages again by their metadata (``find_posted``).

Posts are never repeated by the library (no retry handlers on the client that posts): a repeat is
the caller's decision, after looking. Reads (``conversations.history``/``replies``/``list``) and
``chat.update`` (the same edit twice is the same edit) keep slack-sdk's retries on connection
errors and 500/503, but not on 429: nothing here sleeps on Slack's behalf. Failures are translated
into ``notifiers.errors`` by ``notifiers.slackhttp.translate``.

Each message carries ``metadata = {"event_type": "hkex_filing", "event_payload": {"filing_ids":
[...]}}`` so ``find_posted`` can find it. History needs a channel id: names are resolved from
earlier ``chat.postMessage`` answers, else by a bounded ``conversations.list`` (scope
``channels:read``; ``groups:read`` for private channels).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from notifiers.base import Message, Receipt
from notifiers.errors import NotifierError, RejectedError
from notifiers.slackhttp import (
    BLOCK_ERRORS,
    FAILURES,
    UPDATE_ERRORS,
    client_timeout,
    read_retry_handlers,
    sdk_logger,
    translate,
)

logger = logging.getLogger(__name__)

EVENT_TYPE = "hkex_filing"
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")


def is_channel_id(channel: str) -> bool:
    return bool(_CHANNEL_ID.match(channel))


class SlackNotifier:
    """A bot token's transport. ``api_url`` points the client anywhere (a stand-in in tests)."""

    name = "slack"
    reads_history = True
    edits = True

    def __init__(self, token: str, *, api_url: str = "https://slack.com/api/", timeout_s: float = 10.0,
                 max_retries: int = 3, backoff_s: float = 0.5, history_pages: int = 20,
                 channel_list_pages: int = 10) -> None:
        if not token:
            raise RejectedError("a bot token is needed", reason="config")
        self._secrets = [token]
        self.timeout_s = client_timeout(timeout_s)
        common: dict[str, Any] = dict(token=token, base_url=api_url, timeout=self.timeout_s,
                                      logger=sdk_logger(self._secrets))
        self._poster = WebClient(**common, retry_handlers=[])
        self._reader = WebClient(**common, retry_handlers=read_retry_handlers(max_retries,
                                                                              backoff_s=backoff_s))
        self.history_pages, self.channel_list_pages = history_pages, channel_list_pages
        self._channel_ids: dict[str, str] = {}

    def send(self, message: Message) -> Receipt:
        """Posts once. Raises ``MaybeSentError`` when it may have been posted, ``RateLimitedError``
        on a 429, ``RejectedError``/``CredentialsRejectedError`` when retrying cannot help, else
        ``NotifierError`` (certainly not posted)."""
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
        except FAILURES as exc:
            raise translate(exc, what, self._secrets, posting=True) from exc
        channel_id = resp.get("channel")
        if isinstance(channel_id, str):
            self._channel_ids[message.channel] = channel_id
        ts = resp.get("ts")
        return Receipt(ts=str(ts) if ts else None, channel=self._channel_ids.get(message.channel))

    def update(self, channel: str, ts: str, message: Message) -> Receipt:
        """Replaces the text and blocks of the message ``ts`` (the metadata stays). Safe to repeat.
        Raises ``RejectedError`` when the message cannot be edited (gone, not ours, too old)."""
        what = f"editing message {ts} in {channel}"
        try:
            channel_id = self._channel_id(channel, what)
            resp = self._reader.chat_update(channel=channel_id, ts=ts, text=message.text,
                                            blocks=list(message.blocks))
        except FAILURES as exc:
            err = translate(exc, what, self._secrets, posting=False)
            if err.reason in UPDATE_ERRORS:
                err = RejectedError(str(err), reason=err.reason)
            raise err from exc
        return Receipt(ts=str(resp.get("ts") or ts), channel=str(resp.get("channel") or channel_id))

    def find_posted(self, channel: str, filing_id: str, since: datetime, *, until: datetime | None = None,
                    thread_ts: str | None = None) -> Receipt | None:
        """Our message tagged with ``filing_id`` posted between ``since`` and ``until`` (a minute of
        clock skew either side), in the channel or, given ``thread_ts``, in that thread; None when
        the whole window was read and none is there.

        Raises ``NotifierError`` (or its rate-limited branch) when Slack cannot be asked now, and
        ``RejectedError`` when it never can (a missing scope, a channel name that cannot be
        resolved)."""
        what = f"reading the history of {channel}"
        try:
            channel_id = self._channel_id(channel, what)
            window: dict[str, Any] = {"oldest": f"{since.timestamp() - 60:.6f}"}
            if until is not None:
                window["latest"] = f"{until.timestamp() + 60:.6f}"
            if thread_ts:
                found = self._find(filing_id, what, self._reader.conversations_replies, channel=channel_id,
                                   ts=thread_ts, **window)
                if found is not None:
                    return Receipt(found, channel_id)
            found = self._find(filing_id, what, self._reader.conversations_history, channel=channel_id,
                               **window)
            return Receipt(found, channel_id) if found is not None else None
        except FAILURES as exc:
            raise translate(exc, what, self._secrets, posting=False) from exc

    def _find(self, filing_id: str, what: str, method: Any, **kwargs: Any) -> str | None:
        cursor: str | None = None
        for _ in range(self.history_pages):
            resp = method(include_all_metadata=True, limit=200, cursor=cursor, **kwargs)
            for msg in resp.get("messages") or []:
                meta = msg.get("metadata") or {}
                if meta.get("event_type") == EVENT_TYPE and filing_id in (
                        (meta.get("event_payload") or {}).get("filing_ids") or []):
                    return str(msg.get("ts") or "") or None
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        raise NotifierError(f"{what}: more than {self.history_pages * 200} messages in the window; could not "
                            f"tell whether filing {filing_id} was posted", reason="history_too_long")

    def _channel_id(self, channel: str, what: str) -> str:
        """The id of a channel given by id or name; ``RejectedError`` if it cannot be found."""
        if channel in self._channel_ids:
            return self._channel_ids[channel]
        if is_channel_id(channel):
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
                raise RejectedError(f"{what}: no channel named {name} among the {seen} the bot "
                                    "can see; give the channel id (C...) instead", reason="channel_not_found")
        listed = self.channel_list_pages * 200
        raise RejectedError(f"{what}: channel {name} not found in the first {listed} channels; "
                            "give the channel id (C...) instead", reason="channel_unresolved")
