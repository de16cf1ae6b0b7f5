"""Secrets never reach a log line, whatever path they take."""

from __future__ import annotations

import io
import json
import logging

from monitor.logs import configure_logging, redact


def test_redact_masks_tokens_and_webhooks() -> None:
    text = ("token xoxb-123-456-abcDEF posted to https://hooks.slack.com/services/T0/B0/XyZ "
            "with Authorization: Bearer xoxp-9")
    out = redact(text)
    assert "xoxb-123" not in out and "hooks.slack.com/services" not in out and "xoxp-9" not in out
    assert out.count("***") == 3


def test_log_lines_and_tracebacks_are_redacted() -> None:
    stream = io.StringIO()
    configure_logging(json_lines=True, stream=stream, secrets=("s3cr3t-value",))
    log = logging.getLogger("test.redaction")
    log.warning("using %s and %s", "xoxb-111-222", "s3cr3t-value")
    try:
        raise RuntimeError("failed calling https://hooks.slack.com/services/T/B/C")
    except RuntimeError:
        log.exception("boom")
    lines = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert lines[0]["msg"] == "using *** and ***"
    assert lines[1]["level"] == "error" and "RuntimeError" in lines[1]["exc"]
    assert "hooks.slack.com/services" not in stream.getvalue() and "xoxb-111" not in stream.getvalue()
    configure_logging(stream=io.StringIO())  # restore a plain handler for other tests
