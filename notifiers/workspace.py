"""What a bot token can see of its Slack workspace, for ``hkex-monitor doctor``: who the token is
and its scopes (``auth.test``), and whether each routed channel exists, is archived, and has the bot
as a member (``conversations.list``/``info``). Read only: nothing is posted. No retries: a check
that fails says so at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from notifiers.errors import RejectedError
from notifiers.slack import is_channel_id
from notifiers.slackhttp import FAILURES, client_timeout, sdk_logger, translate


@dataclass(frozen=True)
class Identity:
    """Who the token is (``auth.test``): ``scopes`` None when Slack did not say."""

    user: str
    team: str
    is_bot: bool
    scopes: frozenset[str] | None


@dataclass(frozen=True)
class ChannelInfo:
    id: str
    name: str | None
    is_member: bool
    is_archived: bool


class SlackWorkspace:
    """A bot token's read-only view of its workspace. ``api_url`` points the client anywhere (a
    stand-in in tests)."""

    def __init__(self, token: str, *, api_url: str = "https://slack.com/api/",
                 timeout_s: float = 10.0) -> None:
        if not token:
            raise RejectedError("a bot token is needed", reason="config")
        self._secrets = [token]
        self._client = WebClient(token=token, base_url=api_url, timeout=client_timeout(timeout_s),
                                 logger=sdk_logger(self._secrets), retry_handlers=[])

    def identity(self) -> Identity:
        """Who the token is and its scopes. Raises ``CredentialsRejectedError`` for a bad token."""
        try:
            auth = self._client.auth_test()
        except FAILURES as exc:
            raise translate(exc, "auth.test", self._secrets) from exc
        header = next((str(v[0] if isinstance(v, list) else v) for k, v in dict(auth.headers or {}).items()
                       if k.lower() == "x-oauth-scopes"), None)
        scopes = None if header is None else frozenset(s.strip() for s in header.split(",") if s.strip())
        return Identity(str(auth.get("user") or "the bot"), str(auth.get("team") or "?"),
                        bool(auth.get("bot_id")), scopes)

    def channels(self, wanted: list[str], *, private: bool) -> dict[str, ChannelInfo | None]:
        """What Slack says of each channel (by id or ``#name``); None for one that is not found."""
        try:
            by_name = {} if all(is_channel_id(c) for c in wanted) else dict(self._list(private=private))
            return {c: (self._info(c) if is_channel_id(c) else by_name.get(c.lstrip("#"))) for c in wanted}
        except FAILURES as exc:
            raise translate(exc, "listing channels", self._secrets) from exc

    def _list(self, *, private: bool, pages: int = 20) -> Iterator[tuple[str, ChannelInfo]]:
        cursor, types = None, "public_channel,private_channel" if private else "public_channel"
        for _ in range(pages):
            resp = self._client.conversations_list(types=types, limit=200, cursor=cursor)
            for ch in resp.get("channels") or []:
                yield str(ch["name"]), _channel_info(ch)
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return

    def _info(self, channel_id: str) -> ChannelInfo | None:
        try:
            return _channel_info(self._client.conversations_info(channel=channel_id)["channel"])
        except SlackApiError as exc:
            if exc.response.get("error") == "channel_not_found":
                return None
            raise


def _channel_info(ch: dict[str, Any]) -> ChannelInfo:
    return ChannelInfo(str(ch.get("id")), ch.get("name"), bool(ch.get("is_member")),
                       bool(ch.get("is_archived")))
