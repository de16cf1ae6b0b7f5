"""Log setup: readable lines by default, JSON lines with --log-json; nothing secret or hostile is logged.

A filter on our handler passes every message and traceback (ours or a library's) through
``monitor.secrets.redact``: Slack tokens, webhook URLs and URL credentials are masked wherever they
appear, so a careless f-string cannot leak them. The formatters stamp each line with the time in
ISO 8601 with its UTC offset, and escape control characters and bidirectional overrides (a filing
title can carry them): what a terminal shows is what was logged, and no text can forge a line.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

from monitor.secrets import redact

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")

# C0/C1 controls except tab and newline, DEL, bidi marks/embeddings/overrides/isolates, line separators.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str, *, indent_lines: bool = True) -> str:
    """Control and bidi characters as visible escapes (``\\x1b``, ``\\u202e``). With ``indent_lines``,
    lines after the first are indented, so text inside a message can never pass for a log line."""
    text = _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)
    return text.replace("\n", "\n    ") if indent_lines else text


def _iso(created: float, *, utc: bool = False) -> str:
    when = datetime.fromtimestamp(created, UTC) if utc else datetime.fromtimestamp(created).astimezone()
    return when.isoformat(timespec="milliseconds")


class RedactingFilter(logging.Filter):
    """Masks secrets in the message and traceback of every record the handler sees."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = redact(message, self.secrets)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        return True


class ReadableFormatter(logging.Formatter):
    """``2026-04-10T18:30:05.123+08:00 INFO    monitor.daemon: message`` (local time, with offset)."""

    def format(self, record: logging.LogRecord) -> str:
        line = (f"{_iso(record.created)} {record.levelname:<7} {record.name}: "
                f"{escape_controls(record.getMessage())}")
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line += "\n" + escape_controls(record.exc_text, indent_lines=False)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line; ``ts`` in UTC with its ``+00:00`` offset."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": _iso(record.created, utc=True),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": escape_controls(record.getMessage(), indent_lines=False),
        }
        if record.exc_text:
            payload["exc"] = escape_controls(record.exc_text, indent_lines=False)
        return json.dumps(payload, ensure_ascii=False)


def configure_logging(*, json_lines: bool = False, level: str = "INFO", stream: TextIO | None = None,
                      secrets: tuple[str, ...] = ()) -> None:
    """Install one handler on the root logger (idempotent: replaces a previous one of ours).
    ``level`` is one of ``LEVELS``, in any case; ``secrets`` are exact values masked everywhere."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_hkexmon", False):
            root.removeHandler(h)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._hkexmon = True  # type: ignore[attr-defined]
    handler.addFilter(RedactingFilter(secrets))
    handler.setFormatter(JsonFormatter() if json_lines else ReadableFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in ("pdfminer", "apscheduler", "urllib3", "slack_sdk", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """ "1 filing", "2 filings", "0 filings": a count and its noun, agreeing."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
