"""The embedded default notifier: prints what it would post to Slack, channel first."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TextIO

from notifiers.base import Message, Receipt
from notifiers.messages import as_text


class ConsoleNotifier:
    """Writes a readable rendering of each message to ``stream`` (stdout by default). It has no
    message timestamps, so nothing can be threaded or edited later; an edit is printed as such."""

    name = "console"
    reads_history = False

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def send(self, message: Message) -> Receipt:
        self._print(as_text(message))
        return Receipt(ts=None, channel=message.channel)

    def update(self, channel: str, ts: str, message: Message) -> Receipt:
        self._print(as_text(message, note=f"edit of message {ts}"))
        return Receipt(ts=ts, channel=channel)

    def already_posted(self, channel: str, filing_id: str, since: datetime, *, until: datetime | None = None,
                       thread_ts: str | None = None) -> bool:
        return False

    def _print(self, text: str) -> None:
        print(text, end="\n\n", file=self._stream or sys.stdout, flush=True)
