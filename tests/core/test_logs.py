"""Secrets never reach a log line, whatever path they take; log lines say their time zone and cannot be
forged or garbled by control characters in the text they carry."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest

from monitor.logs import configure_logging, escape_controls
from monitor.secrets import looks_secret, redact, redact_url


@pytest.fixture
def readable() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging(stream=stream)
    yield stream
    configure_logging(stream=io.StringIO())


def test_redact_masks_tokens_and_webhooks() -> None:
    text = ("token xoxb-123-456-abcDEF posted to https://hooks.slack.com/services/T0/B0/XyZ "
            "with Authorization: Bearer xoxp-9 and an app token xapp-1-A0-123-abc")
    out = redact(text)
    for secret in ("xoxb-123", "hooks.slack.com/services", "xoxp-9", "xapp-1-A0"):
        assert secret not in out
    assert out.count("***") == 4


@pytest.mark.parametrize(("url", "expected"), [
    ("redis://:s3cret@redis.internal:6379/0", "redis://:***@redis.internal:6379/0"),
    ("redis://default:s3cret@10.0.0.5:6380/2", "redis://default:***@10.0.0.5:6380/2"),
    ("rediss://tok3n@host/0", "rediss://***@host/0"),
    ("redis://host:6379/0?password=s3cret", "redis://host:6379/0?password=***"),
    ("unix:///run/redis.sock?db=0&password=s3cret", "unix:///run/redis.sock?db=0&password=***"),
    ("https://example.com/feed?token=abc&page=2&api_key=k&sig=zz",
     "https://example.com/feed?token=***&page=2&api_key=***&sig=***"),
    ("https://u:p@example.com/x?client_secret=y", "https://u:***@example.com/x?client_secret=***"),
    # Nothing to remove: the URL is returned as it was, byte for byte.
    ("https://www1.hkexnews.hk/search/titleSearchServlet.do?sortDir=0&stockId=7609&fromDate=20250101",
     "https://www1.hkexnews.hk/search/titleSearchServlet.do?sortDir=0&stockId=7609&fromDate=20250101"),
    ("sqlite:///~/.hkex-monitor/state.sqlite3", "sqlite:///~/.hkex-monitor/state.sqlite3"),
])
def test_redact_url_removes_credentials_wherever_they_are(url: str, expected: str) -> None:
    assert redact_url(url) == expected
    assert redact_url(expected) == expected  # idempotent


def test_redact_finds_urls_inside_text() -> None:
    text = ("Redis store redis://:pw1@a:6379/0 failed; retried redis://b:6379/1?password=pw2 "
            "(see 'https://x.example/?secret=pw3')")
    out = redact(text)
    assert "pw1" not in out and "pw2" not in out and "pw3" not in out
    assert "redis://:***@a:6379/0 failed" in out and "'https://x.example/?secret=***'" in out


def test_redact_keeps_the_punctuation_after_a_url() -> None:
    text = ("GET https://x.example/feed?token=pw1: HTTP 500; then "
            "https://hooks.slack.com/services/T1/B2/pw2, and (redis://:pw3@h:6379/0).")
    out = redact(text)
    assert "pw1" not in out and "pw2" not in out and "pw3" not in out
    assert "token=***: HTTP 500; then ***, and (redis://:***@h:6379/0)." in out


@pytest.mark.parametrize(("name", "value", "secret"), [
    ("bot_token", "anything", True), ("slack_bot_token", None, True), ("password", 1, True),
    ("hook", "https://hooks.slack.com/services/T1/B1/x", True), ("code", "2512", False),
    (None, ["ok", "xoxb-1-2"], True), (None, {"a": {"b": "xoxp-1"}}, True), (None, {"a": [1, 2]}, False),
    ("channel", "#results", False), ("url", "redis://:pw@h/0", True),
])
def test_looks_secret(name: str | None, value: object, secret: bool) -> None:
    assert looks_secret(name, value) is secret


def test_log_lines_and_tracebacks_are_redacted() -> None:
    stream = io.StringIO()
    configure_logging(json_lines=True, stream=stream, secrets=("s3cr3t-value",))
    log = logging.getLogger("test.redaction")
    log.warning("using %s and %s", "xoxb-111-222", "s3cr3t-value")
    try:
        raise RuntimeError("failed calling https://hooks.slack.com/services/T/B/C and redis://:pw@h:1/0")
    except RuntimeError:
        log.exception("boom")
    lines = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert lines[0]["msg"] == "using *** and ***"
    assert lines[1]["level"] == "error" and "RuntimeError" in lines[1]["exc"]
    assert "redis://:***@h:1/0" in lines[1]["exc"]
    for secret in ("hooks.slack.com/services", "xoxb-111", ":pw@"):
        assert secret not in stream.getvalue()
    configure_logging(stream=io.StringIO())  # restore a plain handler for other tests


def test_url_credentials_are_removed_from_readable_lines(readable: io.StringIO) -> None:
    logging.getLogger("test.urls").error("store redis://h:6379/0?password=hunter2 is down")
    assert "hunter2" not in readable.getvalue() and "password=***" in readable.getvalue()


def test_readable_lines_carry_iso_time_with_offset(readable: io.StringIO) -> None:
    logging.getLogger("test.time").info("hello")
    line = readable.getvalue().rstrip("\n")
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d"
    assert re.fullmatch(stamp + r" INFO    test\.time: hello", line), line


def test_json_lines_carry_utc_offset() -> None:
    stream = io.StringIO()
    configure_logging(json_lines=True, stream=stream)
    logging.getLogger("test.time").info("hello")
    configure_logging(stream=io.StringIO())
    assert json.loads(stream.getvalue())["ts"].endswith("+00:00")


def test_control_and_bidi_characters_are_escaped(readable: io.StringIO) -> None:
    title = "RESULTS\x1b[31m RED\u202eTXT.EXE\r\n2026-01-01T00:00:00.000+08:00 INFO    monitor: forged\x07"
    logging.getLogger("test.controls").warning("new filing: %s", title)
    text = readable.getvalue()
    assert "\x1b" not in text and "\u202e" not in text and "\r" not in text and "\x07" not in text
    assert "\\x1b[31m" in text and "\\u202e" in text and "\\x0d" in text and "\\x07" in text
    lines = text.splitlines()
    assert len(lines) == 2 and lines[1].startswith("    2026-01-01")  # the forged line is visibly inside


def test_escape_controls_keeps_ordinary_text() -> None:
    text = "中期業績公告 — Résultats\tQ2"
    assert escape_controls(text) == text


def test_log_level_in_any_case() -> None:
    configure_logging(stream=io.StringIO(), level="debug")
    assert logging.getLogger().level == logging.DEBUG
    configure_logging(stream=io.StringIO())
    assert logging.getLogger().level == logging.INFO
