"""The notifier contract: one message in, a receipt or a DeliveryError out."""

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
    kind: str = "filing"  # "results" | "filing" : for metrics
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Receipt:
    ts: str | None  # Slack message timestamp when known


class Notifier(Protocol):
    name: str

    def send(self, message: Message) -> Receipt:
        """Deliver or raise DeliveryError (retryable) / DeliveryConfigError (not)."""
        ...

    def already_posted(self, channel: str, filing_id: str, since: datetime) -> bool:
        """Whether a message tagged with this filing id was posted since ``since``.
        Notifiers that cannot look (console, webhook) return False."""
        ...
