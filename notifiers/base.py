"""The transport contract: a message in, a receipt or a ``notifiers.errors`` error out.

Transports only move bytes: they take plain arguments (a token, a URL, a stream), know nothing of
filings or settings, and import nothing from ``monitor/``. What a message says is composed by the
monitor (``monitor/messages/``). Errors: ``MaybeSentError`` when the message may have gone out (look
with ``find_posted`` before sending again), ``RateLimitedError`` on a 429 (nothing until
``retry_after`` has passed), ``RejectedError``/``CredentialsRejectedError`` when retrying cannot
help, plain ``NotifierError`` when it certainly did not go out and a later try may work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Message:
    channel: str
    text: str  # plain-text fallback (notifications, screen readers, webhooks without blocks)
    blocks: tuple[dict[str, Any], ...] = ()
    filing_ids: tuple[str, ...] = ()  # carried in Slack message metadata, so a re-send can be detected
    kind: str = "filing"  # a label for the sender's metrics ("results", "filing", ...); not sent
    extra: dict[str, Any] = field(default_factory=dict)  # the sender's own notes; not sent
    thread_ts: str | None = None  # post as a reply in this message's thread


@dataclass(frozen=True)
class Receipt:
    ts: str | None  # Slack message timestamp when known (reply in its thread, edit it)
    channel: str | None = None  # the channel id Slack answered with (bot token), else what was given


class Notifier(Protocol):
    name: str
    reads_history: bool  # whether ``find_posted`` can really look (else it always answers None)
    edits: bool  # whether ``update`` can edit a posted message

    def send(self, message: Message) -> Receipt:
        """Post once (never repeated inside), or raise a ``NotifierError`` branch."""
        ...

    def update(self, channel: str, ts: str, message: Message) -> Receipt:
        """Replace the text and blocks of message ``ts``; safe to repeat. Raises like ``send``
        (``RejectedError`` where editing is impossible: a webhook, a message not ours)."""
        ...

    def find_posted(self, channel: str, filing_id: str, since: datetime, *, until: datetime | None = None,
                    thread_ts: str | None = None) -> Receipt | None:
        """Our message tagged with this filing id posted between ``since`` and ``until`` (in the
        channel, or in the thread of ``thread_ts``), or None. Raises ``NotifierError`` when it cannot
        tell now. Transports that cannot look (``reads_history`` False) answer None."""
        ...
