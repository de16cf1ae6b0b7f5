"""The embedded default notifier: prints what it would post to Slack, channel first."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TextIO

from notifiers.base import Message, Receipt
from notifiers.messages import as_text


class ConsoleNotifier:
    """Writes a readable rendering of each message to ``stream`` (stdout by default)."""

    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def send(self, message: Message) -> Receipt:
        print(as_text(message), end="\n\n", file=self._stream or sys.stdout, flush=True)
        return Receipt(ts=None)

    def already_posted(self, channel: str, filing_id: str, since: datetime) -> bool:
        return False
