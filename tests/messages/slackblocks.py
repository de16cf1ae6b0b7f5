"""Helpers for the message tests: the texts of a message's blocks, and Slack's limits checked."""

from __future__ import annotations

import json

from notifiers.base import Message


def all_text(m: Message) -> str:
    return m.text + "\n" + json.dumps(m.blocks, ensure_ascii=False)


def block_texts(m: Message) -> list[str]:
    out = []
    for b in m.blocks:
        if "text" in b:
            out.append(b["text"]["text"])
        out.extend(e["text"] for e in b.get("elements", []))
    return out


def mrkdwn_texts(m: Message) -> list[str]:
    """The texts Slack formats: the fallback, sections and context elements (headers are plain)."""
    out = [m.text]
    for b in m.blocks:
        if b["type"] == "section":
            out.append(b["text"]["text"])
        out.extend(e["text"] for e in b.get("elements", []))
    return out


def body(m: Message) -> str:
    return "\n".join(block_texts(m))


def assert_within_limits(m: Message) -> None:
    """Slack's documented limits: 50 blocks, 150 characters a header, 3,000 a section text, 10
    elements a context; and our own: a fallback of at most 3,000 characters."""
    assert 0 < len(m.blocks) <= 50
    assert 0 < len(m.text) <= 3000
    for b in m.blocks:
        if b["type"] == "header":
            assert b["text"]["type"] == "plain_text" and 0 < len(b["text"]["text"]) <= 150
        elif b["type"] == "section":
            assert 0 < len(b["text"]["text"]) <= 3000
        elif b["type"] == "context":
            assert 0 < len(b["elements"]) <= 10
            assert all(0 < len(e["text"]) <= 3000 for e in b["elements"])
    ids = [b["block_id"] for b in m.blocks if "block_id" in b]
    assert len(ids) == len(set(ids))
