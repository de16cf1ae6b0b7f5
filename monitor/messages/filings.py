"""Filings that are not results, one compact list per stock, and what every filing alert shares:
who filed it, when, its link, a Chinese-only filing's state and the "found late" mark."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from monitor.filing import HKT, Filing
from monitor.messages.figures import hkt
from monitor.messages.mrkdwn import context, escape, header, link, message, section, sections
from notifiers.base import Message

MAX_LISTED = 20  # filings listed one per line in a burst; the rest are counted
FOUND_LATE = "Found late by the nightly check: the live feed missed this filing"
NOT_FOUND_IN_CHINESE = "its document could not be found in the Chinese listings"


def who(filing: Filing, company: str | None = None) -> str:
    """ "SenseTime Group Inc. (00020)": raw text, for ``escape``."""
    name = company or next(iter(filing.stock_names), "")
    codes = " / ".join(filing.stock_codes)
    return f"{name} ({codes})" if codes and name else name or codes


def category(filing: Filing) -> str:
    return " / ".join(filing.categories) or filing.kind.label


def unresolved(filing: Filing) -> bool:
    """A Chinese-only filing whose Chinese document was not found: its title is a placeholder."""
    return filing.chinese_only and not filing.zh_title


def title_link(filing: Filing, limit: int = 200) -> str:
    """The filing's title linked to its document (the Chinese title of a resolved Chinese-only one)."""
    if unresolved(filing):
        return link(filing.url, "Chinese-only filing on HKEXnews")
    return link(filing.url, filing.display_title or "Announcement", limit=limit)


def chinese_only_note(filing: Filing) -> str:
    """What an alert says when a Chinese-only filing's document was not found."""
    return (f":information_source: This filing is in Chinese only, and {NOT_FOUND_IN_CHINESE}. "
            f"Category: _{escape(category(filing), limit=120)}_. Open it on HKEXnews: "
            f"{link(filing.url, 'HKEXnews')}")


def found_late_block() -> dict[str, Any]:
    return context(f":mag: {FOUND_LATE}")


def footer(filing: Filing) -> dict[str, Any]:
    """Released when, and the document."""
    return context(f"Released {hkt(filing.released_at)}", title_link(filing))


def filings_message(filings: Sequence[Filing], *, channel: str, found_late: Collection[str] = (),
                    thread_ts: str | None = None) -> Message:
    """Other filings of a watched stock, one line each; a burst becomes one message. Filings whose
    ids are in ``found_late`` are marked as found by the nightly check."""
    if not filings:
        raise ValueError("filings_message needs at least one filing")
    ordered = sorted(filings, key=lambda f: (f.released_at, f.id))
    first = ordered[0]
    mixed = len({f.stock_codes[:1] for f in ordered}) > 1
    heading = "Watched stocks" if mixed else who(first)
    n = len(ordered)
    late = [f for f in ordered if f.id in found_late]
    blocks: list[dict[str, Any]] = [header(f"{heading}: {n} new filing{'s' * (n > 1)}")]
    if late and len(late) == n:
        blocks.append(found_late_block())
    lines = []
    for f in ordered[:MAX_LISTED]:
        prefix = f"{escape(who(f), limit=120)}: " if mixed else ""
        line = (f"• {prefix}{title_link(f)} _{escape(category(f), limit=120)}_ · "
                f"{f.released_at.astimezone(HKT):%d %b %H:%M}")
        if unresolved(f):
            line += f" · in Chinese only; {NOT_FOUND_IN_CHINESE}"
        if f.id in found_late and len(late) < n:
            line += " · :mag: _found late by the nightly check_"
        lines.append(line)
    if n > MAX_LISTED:
        lines.append(f"… and {n - MAX_LISTED} more")
    blocks.extend(sections(lines))
    titles = "; ".join(escape(f.display_title if not unresolved(f) else "Chinese-only filing", limit=80)
                       for f in ordered[:3])
    text = f"{escape(heading, limit=120)}: {n} new filing{'s' * (n > 1)}: {titles}" + (" …" if n > 3 else "")
    if late:
        text += f" ({len(late)} found late by the nightly check)"
    return message(channel, text, blocks, kind="filing", filing_ids=tuple(f.id for f in ordered),
                   thread_ts=thread_ts)


COMING = (":hourglass_flowing_sand: *Figures coming*: the announcement is being read; this message will "
          "show them in a moment.")
COMING_NOTICE = (":hourglass_flowing_sand: *Reading the notice*: what it says will appear in this message in "
                 "a moment.")


def first_notice_message(filing: Filing, *, channel: str, found_late: bool = False,
                         thread_ts: str | None = None) -> Message:
    """The alert the moment a filing is found, before its document is read: who, what, when, the
    link, and that the figures (or what the notice says) follow in this same message."""
    who_text = who(filing)
    kind = filing.kind.label
    blocks: list[dict[str, Any]] = [header(f"{who_text}: {kind}")]
    if found_late:
        blocks.append(found_late_block())
    coming = COMING if filing.kind.is_results else COMING_NOTICE
    blocks.append(section(f"{coming}\nRead it now: {title_link(filing, limit=300)}"))
    blocks.append(footer(filing))
    late = " (found late by the nightly check)" if found_late else ""
    text = (f"{escape(who_text, limit=150)} {kind.lower()}{late}: {escape(filing.display_title, limit=200)}; "
            f"figures coming. {link(filing.url)}")
    return message(channel, text, blocks, kind="first_notice", filing_ids=(filing.id,), thread_ts=thread_ts)
