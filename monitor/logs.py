"""Log setup: readable lines by default, JSON lines with --log-json; secrets never reach a log.

A filter on the root handler masks Slack tokens and webhook URLs wherever they appear (in our own
messages, in library messages, in tracebacks), so a careless f-string cannot leak them.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

_SECRET_PATTERNS = (
    re.compile(r"xox[abposr]-[A-Za-z0-9-]+"),
    re.compile(r"https://hooks\.slack(?:-gov)?\.com/[^\s\"'>]+"),
    re.compile(r"(?i)(authorization:\s*bearer\s+)\S+"),
)


def redact(text: str, extra_secrets: tuple[str, ...] = ()) -> str:
    """Mask Slack tokens, webhook URLs and any explicitly given secret values."""
    for secret in extra_secrets:
        if secret:
            text = text.replace(secret, "***")
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + "***", text)
    return text


class RedactingFilter(logging.Filter):
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


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_text:
            payload["exc"] = record.exc_text
        return json.dumps(payload, ensure_ascii=False)


def configure_logging(*, json_lines: bool = False, level: str = "INFO", stream: TextIO | None = None,
                      secrets: tuple[str, ...] = ()) -> None:
    """Install one handler on the root logger (idempotent: replaces a previous one of ours)."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_hkexmon", False):
            root.removeHandler(h)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._hkexmon = True  # type: ignore[attr-defined]
    handler.addFilter(RedactingFilter(secrets))
    handler.setFormatter(JsonFormatter() if json_lines else
                         logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s",
                                           datefmt="%Y-%m-%d %H:%M:%S"))
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in ("pdfminer", "apscheduler", "urllib3", "slack_sdk", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
