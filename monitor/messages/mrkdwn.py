"""Slack's text formats: the one function that escapes every text sent to Slack, links, Block Kit
blocks kept inside Slack's limits, and the readable rendering the console prints.

``escape`` is the only way a text that came from outside (HKEXnews titles, names, categories,
URLs, document text, error messages) enters a message. It drops control characters and the
invisible bidi and zero-width characters that can reorder or hide text, folds line breaks into
spaces (so nothing starts a line of ours), and then, by form:

- ``"mrkdwn"`` (section and context text, the fallback ``text``): ``&``, ``<``, ``>`` become
  entities, so nothing can mention (``<!channel>``), link or format a date; the formatting markers
  ``*``, ``_``, ``~`` and `````` become look-alikes (Slack has no backslash escape), so nothing can
  bold, italicise, strike or quote code; a leading ``>`` becomes ``›`` (``&gt;`` there would quote);
- ``"plain"`` (``plain_text`` fields such as headers, shown literally): angle brackets become ``‹ ›``;
- ``"url"`` (the target of a link): characters that could end or split ``<url|label>`` are
  percent-encoded and ``&`` becomes ``&amp;``, as Slack expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

from notifiers.base import Message


@dataclass(frozen=True)
class Reference:
    """A pointer from one message to an earlier one: words, and a link (a permalink) when known."""

    text: str
    url: str | None = None

MAX_BLOCKS = 50
SECTION_MAX = 3000
HEADER_MAX = 150
CONTEXT_ELEMENTS = 10
TEXT_MAX = 3000  # Slack allows 40,000 in ``text``; a notification needs a sentence

Form = Literal["mrkdwn", "plain", "url"]

# Bidi embeddings, overrides, isolates and marks, and zero-width characters: they reorder or hide
# text without being seen (U+061C, U+200B-U+200F, U+202A-U+202E, U+2060, U+2066-U+2069, U+FEFF).
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile("[\t\n\r\u2028\u2029 ]+")
_MARKERS = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb",
                          "&": "&amp;", "<": "&lt;", ">": "&gt;"})
_PLAIN = str.maketrans({"<": "\u2039", ">": "\u203a"})
_URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"  # RFC 3986 reserved and unreserved, less nothing we need


def clean(text: str) -> str:
    """``text`` without control or invisible characters, its whitespace runs folded to one space."""
    return _BREAKS.sub(" ", _CONTROL.sub("", _INVISIBLE.sub("", text))).strip()


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape(text: str, form: Form = "mrkdwn", *, limit: int | None = None) -> str:
    """Any outside text made safe for Slack in ``form`` (module docstring); ``limit`` clips the
    cleaned text first, so a cut never splits an entity."""
    text = clean(str(text))
    if limit is not None:
        text = clip(text, limit)
    if form == "url":
        return quote(text, safe=_URL_SAFE).replace("&", "&amp;")
    if form == "plain":
        return text.translate(_PLAIN)
    escaped = text.translate(_MARKERS)
    return "\u203a" + escaped[4:] if escaped.startswith("&gt;") else escaped


def link(url: str, label: str | None = None, *, limit: int = 200) -> str:
    """``<url|label>`` for an http(s) URL; anything else is not linked (the label alone, escaped)."""
    target = clean(url)
    if not re.match(r"^https?://[^\s/]", target, re.IGNORECASE):
        return escape(label or "", limit=limit)
    if label is None:
        return f"<{escape(target, 'url')}>"
    return f"<{escape(target, 'url')}|{escape(label, limit=limit).replace('|', '¦') or 'link'}>"


# -- blocks --------------------------------------------------------------------------------------------
_DANGLING = re.compile(r"(&[a-z]{0,5}|<[^>]*)$")


def fit(text: str, limit: int) -> str:
    """A composed mrkdwn text cut to ``limit`` at a line end if it can be, never inside an entity or
    a link (a last resort: builders size their parts so this rarely cuts)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    newline = cut.rfind("\n")
    cut = cut[:newline] if newline > limit // 2 else _DANGLING.sub("", cut)
    return cut.rstrip() + "…"


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": escape(text, "plain", limit=HEADER_MAX)}}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": fit(text, SECTION_MAX)}}


def context(*texts: str, block_id: str | None = None) -> dict[str, Any]:
    elements = [{"type": "mrkdwn", "text": fit(t, SECTION_MAX)} for t in texts if t][:CONTEXT_ELEMENTS]
    block: dict[str, Any] = {"type": "context", "elements": elements}
    if block_id:
        block["block_id"] = block_id
    return block


def sections(lines: list[str], *, room: int = SECTION_MAX - 100) -> list[dict[str, Any]]:
    """Lines grouped into as few sections as fit."""
    out: list[dict[str, Any]] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > room:
            out.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        out.append(section("\n".join(chunk)))
    return out


def message(channel: str, text: str, blocks: list[dict[str, Any]], *, kind: str,
            filing_ids: tuple[str, ...] = (), thread_ts: str | None = None) -> Message:
    """A ``Message`` inside Slack's limits: at most 50 blocks (the last ones dropped), a short text."""
    blocks = [b for b in blocks if b.get("type") != "context" or b["elements"]]
    return Message(channel, fit(text, TEXT_MAX), tuple(blocks[:MAX_BLOCKS]), filing_ids, kind,
                   thread_ts=thread_ts)


# -- for the console ------------------------------------------------------------------------------------
_LINK = re.compile(r"<([^|>]+)\|([^>]*)>")
_BARE_LINK = re.compile(r"<(https?://[^|>]+)>")


def _unslack(text: str) -> str:
    text = _BARE_LINK.sub(r"\1", _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def as_text(message: Message, *, note: str | None = None) -> str:
    """A readable rendering of a message, channel first (what the console notifier prints)."""
    where = message.channel + (f", in the thread of {message.thread_ts}" if message.thread_ts else "")
    out = [f"── to {where}{f' ({note})' if note else ''} ──"]
    for block in message.blocks:
        kind = block.get("type")
        if kind in ("header", "section") and block.get("text"):
            out.append(_unslack(block["text"]["text"]))
        elif kind == "context":
            out.append(" · ".join(_unslack(e.get("text", "")) for e in block.get("elements", [])))
        elif kind == "divider":
            out.append("")
    if not message.blocks:
        out.append(_unslack(message.text))
    return "\n".join(out)
