"""Follow-ups: a clarification, supplement or revised results posted in the thread of the alert it
updates, and the line the original gains ("see the update in the thread", by ``chat.update``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from monitor.filing import Filing
from monitor.messages.figures import hkt
from monitor.messages.filings import title_link, who
from monitor.messages.mrkdwn import MAX_BLOCKS, TEXT_MAX, clip, context, escape, fit
from notifiers.base import Message

THREAD_NOTE_ID = "hkexmon_thread_note"
THREAD_NOTE = "See the update in the thread."


def as_follow_up(message: Message, *, original: Filing, thread_ts: str | None) -> Message:
    """``message`` as a reply in the thread ``thread_ts`` of the alert for ``original``. It names
    the original, so it also reads well where it cannot be threaded (a webhook: ``thread_ts`` None)."""
    note = context(f":leftwards_arrow_with_hook: Update to {escape(who(original), limit=120)}: "
                   f"{title_link(original)} (released {hkt(original.released_at)})")
    blocks: list[dict[str, Any]] = list(message.blocks)
    at = 1 if blocks and blocks[0].get("type") == "header" else 0
    blocks.insert(at, note)
    text = f"Update to {escape(original.display_title, limit=80)}: {message.text}"
    return replace(message, text=fit(text, TEXT_MAX), blocks=tuple(blocks[:MAX_BLOCKS]), thread_ts=thread_ts)


def with_thread_note(message: Message, note: str = THREAD_NOTE) -> Message:
    """The original alert with a last line pointing to its thread (what ``update`` sends). Adding it
    twice changes nothing."""
    if any(b.get("block_id") == THREAD_NOTE_ID for b in message.blocks):
        return message
    block = context(f":thread: {escape(note, limit=200)}", block_id=THREAD_NOTE_ID)
    text = clip(message.text, TEXT_MAX - 40) + f" ({escape(note.rstrip('.').lower(), limit=30)})"
    return replace(message, text=text, blocks=(*message.blocks[:MAX_BLOCKS - 1], block))
