"""The embedded default transport: prints what it would post to Slack, channel first."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from notifiers.base import Message, Receipt


def plain(message: Message, note: str | None = None) -> str:
    """The message's channel (and thread) and plain text; the caller may pass a richer ``format``."""
    where = message.channel + (f", in the thread of {message.thread_ts}" if message.thread_ts else "")
    return f"[{where}]{f' ({note})' if note else ''}\n{message.text}"


class ConsoleNotifier:
    """Writes each message to ``stream`` (stdout by default), formatted by ``format`` (a function of
    the message and an optional note, such as "edit of message 1"). It has no message timestamps,
    so nothing can be threaded or edited later; an edit asked for is printed as such."""

    name = "console"
    reads_history = False
    edits = False

    def __init__(self, stream: TextIO | None = None,
                 format: Callable[[Message, str | None], str] = plain) -> None:  # noqa: A002
        self._stream = stream
        self._format = format

    def send(self, message: Message) -> Receipt:
        self._print(self._format(message, None))
        return Receipt(ts=None, channel=message.channel)

    def update(self, channel: str, ts: str, message: Message) -> Receipt:
        self._print(self._format(message, f"edit of message {ts}"))
        return Receipt(ts=ts, channel=channel)

    def find_posted(self, channel: str, filing_id: str, since: datetime, *, until: datetime | None = None,
                    thread_ts: str | None = None) -> Receipt | None:
        return None

    def _print(self, text: str) -> None:
        print(text, end="\n\n", file=self._stream or sys.stdout, flush=True)
