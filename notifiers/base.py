"""The notifier contract: one message in, a receipt or a DeliveryError out.

Errors (``monitor.errors``): ``DeliveryUncertainError`` when the message may have gone out (look
with ``already_posted`` before sending again), ``DeliveryRateLimitedError`` on a 429 (no send until
``retry_after`` has passed), ``DeliveryConfigError``/``DeliveryAuthError`` when retrying cannot help,
plain ``DeliveryError`` when it certainly did not go out and a later try may work.
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
    kind: str = "filing"  # what it is, for metrics: "results", "filing", "profit_warning", "ops_alarm", ...
    extra: dict[str, Any] = field(default_factory=dict)
    thread_ts: str | None = None  # post as a reply in this message's thread


@dataclass(frozen=True)
class Receipt:
    ts: str | None  # Slack message timestamp when known (reply in its thread, edit it)
    channel: str | None = None  # the channel id Slack answered with (bot token), else what was given


@dataclass(frozen=True)
class Reference:
    """A pointer from one message to an earlier one: words, and a link (a permalink) when known."""

    text: str
    url: str | None = None


class Notifier(Protocol):
    name: str
    reads_history: bool  # whether ``already_posted`` can really look (else it always answers False)

    def send(self, message: Message) -> Receipt:
        """Post once (never repeated inside), or raise a DeliveryError branch (module docstring)."""
        ...

    def update(self, channel: str, ts: str, message: Message) -> Receipt:
        """Replace the text and blocks of message ``ts``; safe to repeat. Raises like ``send``
        (``DeliveryConfigError`` where editing is impossible: a webhook, a message not ours)."""
        ...

    def already_posted(self, channel: str, filing_id: str, since: datetime, *, until: datetime | None = None,
                       thread_ts: str | None = None) -> bool:
        """Whether a message tagged with this filing id was posted between ``since`` and ``until``
        (in the channel, or in the thread of ``thread_ts``). Raises DeliveryError when it cannot tell
        now. Notifiers that cannot look (``reads_history`` False) answer False."""
        ...
