"""What both Slack transports share: slack-sdk's logging kept free of secrets and of lines we report
ourselves, retry handlers for requests that are safe to repeat, and the translation of every
slack-sdk and network failure into ``notifiers.errors``, by what it says about the message:

- certainly not posted: the connection could not be made or the request not written (urllib wraps
  exactly those in ``URLError``), or Slack answered with an error (``channel_not_found``,
  ``invalid_auth``) -> ``NotifierError``, ``RejectedError``, ``CredentialsRejectedError``;
- may have been posted: the request was written, then no answer came in time, the connection closed,
  the answer was cut short or not JSON, an HTTP 5xx, or Slack's own ``fatal_error``/``internal_error``
  -> ``MaybeSentError``: look in the history (``find_posted``) before sending again;
- HTTP 429 -> ``RateLimitedError(retry_after=<Retry-After seconds>)``, raised at once.

The token and webhook URL never reach a log line or an error message (``mask``).
"""

from __future__ import annotations

import logging
import math
import random
from http.client import HTTPException
from typing import Any
from urllib.error import HTTPError, URLError

from slack_sdk.errors import SlackApiError, SlackClientError, SlackRequestError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.jitter import Jitter

from notifiers.errors import (
    CredentialsRejectedError,
    MaybeSentError,
    NotifierError,
    RateLimitedError,
    RejectedError,
)

AUTH_ERRORS = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
                         "missing_scope", "no_permission", "ekm_access_denied", "team_access_not_granted"})
CHANNEL_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived", "restricted_action",
                            "restricted_action_read_only_channel", "channel_is_archived"})
BLOCK_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "invalid_attachments"})
RATE_LIMIT_ERRORS = frozenset({"ratelimited", "rate_limited"})
# Slack documents these as "it's possible some aspect of the operation succeeded before the error".
MAYBE_DONE_ERRORS = frozenset({"fatal_error", "internal_error"})
# An edit that cannot be made now will not be possible later either.
UPDATE_ERRORS = frozenset({"message_not_found", "cant_update_message", "edit_window_closed",
                           "msg_too_long", "no_text", "is_inactive"})
DEFAULT_RETRY_AFTER_S = 10.0  # a 429 without a usable Retry-After (Slack always sends one)
# slack-sdk's own ERROR lines for failures we translate and report once ourselves
_SDK_FAILURE_LINES = ("Failed to send a request to Slack API server", "Failed to decode Slack API response")


class _SdkLogFilter(logging.Filter):
    """slack-sdk logs request URLs (a webhook URL is a secret), and an ERROR line for every network
    failure, which we report ourselves once translated."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if text.startswith(_SDK_FAILURE_LINES):
            return False
        if any(s in text for s in self.secrets):
            record.msg, record.args = mask(text, self.secrets), None
        return True


def mask(text: str, secrets: list[str]) -> str:
    """``text`` with each of this notifier's own secrets (the token, the webhook URL) replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def sdk_logger(secrets: list[str]) -> logging.Logger:
    """The logger slack-sdk's clients get: its request lines only at DEBUG (one INFO line per retry
    otherwise), never a secret, and none of the failure lines we report ourselves."""
    sdk = logging.getLogger("notifiers.slack.sdk")
    sdk.setLevel(logging.WARNING)
    for f in list(sdk.filters):
        if isinstance(f, _SdkLogFilter):
            sdk.removeFilter(f)
    sdk.addFilter(_SdkLogFilter(secrets))
    return sdk


class _ProportionalJitter(Jitter):
    """Up to one ``backoff_s`` more (slack-sdk's default adds up to a whole second every time)."""

    def __init__(self, backoff_s: float) -> None:
        self.backoff_s = backoff_s

    def recalculate(self, duration: float) -> float:
        return duration + random.uniform(0, self.backoff_s)


def read_retry_handlers(max_retries: int, *, backoff_s: float = 0.5) -> list[RetryHandler]:
    """For requests that are safe to repeat: connection errors and 500/503, ``max_retries`` each.
    No 429 handler: a rate limit is raised to the caller, never slept through here."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=backoff_s, jitter=_ProportionalJitter(backoff_s))
    return [ServerErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
            ConnectionErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff)]


def retry_after(headers: Any) -> float:
    """Seconds from a Retry-After header (any key case, a value or a list of values)."""
    for k, v in (dict(headers or {})).items():
        if str(k).lower() == "retry-after":
            try:
                return max(0.0, float(v[0] if isinstance(v, list | tuple) else v))
            except (TypeError, ValueError, IndexError):
                break
    return DEFAULT_RETRY_AFTER_S


def answer_failure(status: int, code: str, headers: Any, what: str, *, posting: bool,
                    needed: str | None = None) -> NotifierError:
    """Slack answered, but not ok. ``posting``: the request would create a message."""
    if status == 429 or code in RATE_LIMIT_ERRORS:
        wait = retry_after(headers)
        return RateLimitedError(f"{what}: rate limited by Slack, asked to wait {wait:g} s",
                                        retry_after=wait)
    if posting and status >= 500:
        return MaybeSentError(f"{what}: Slack answered HTTP {status} after receiving the message; "
                                      "it may have been posted", reason="server_error")
    if status >= 500:
        return NotifierError(f"{what}: Slack answered HTTP {status}", reason="server_error")
    if posting and code in MAYBE_DONE_ERRORS:
        return MaybeSentError(f"{what}: Slack answered {code}; the message may have been posted",
                                      reason=code)
    if code.startswith("Received a response in a non-JSON format"):  # slack-sdk's words for it
        if posting and status == 200:
            return MaybeSentError(f"{what}: Slack answered HTTP 200 with a body that is not JSON; "
                                          "the message may have been posted", reason="bad_answer")
        return NotifierError(f"{what}: Slack answered HTTP {status} with a body that is not JSON",
                             reason=f"http_{status}")
    if code == "missing_scope" and not posting:
        # Reading needs scopes posting does not: the token is good, this look-up is impossible.
        detail = f" (needed: {needed})" if needed else ""
        return RejectedError(f"{what}: the bot token lacks a scope{detail}", reason=code)
    if code in AUTH_ERRORS:
        detail = f" (needed: {needed})" if needed else ""
        return CredentialsRejectedError(f"{what}: Slack rejected the credentials: {code}{detail}",
                                        reason=code)
    if code in CHANNEL_ERRORS:
        return RejectedError(f"{what}: {code}", reason=code)
    return NotifierError(f"{what}: Slack error {code or status}", reason=code or f"http_{status}")


def _network_failure(exc: BaseException, what: str, secrets: list[str], *, posting: bool) -> NotifierError:
    """A request that got no usable answer. urllib raises ``URLError`` for exactly the failures of
    connecting and writing the request (``AbstractHTTPHandler.do_open`` wraps those); anything else
    came while waiting for or reading the answer, after the whole request had been written."""
    if isinstance(exc, HTTPError):  # slack-sdk turns these into answers; kept in case it stops doing so
        return answer_failure(exc.code, "", exc.headers, what, posting=posting)
    if isinstance(exc, URLError):
        reason = exc.reason
        detail = mask(str(reason), secrets) or type(reason).__name__
        if isinstance(reason, TimeoutError):
            return NotifierError(f"{what}: could not connect to Slack in time; nothing was sent",
                                 reason="connect_timeout")
        return NotifierError(f"{what}: could not reach Slack ({detail}); nothing was sent",
                             reason="connection")
    detail = mask(str(exc), secrets) or type(exc).__name__
    if isinstance(exc, TimeoutError):
        reason, text = "timeout", "no answer in time after the request was sent"
    elif isinstance(exc, ConnectionError | HTTPException):
        reason, text = "no_answer", f"the connection failed after the request was sent ({detail})"
    else:
        reason, text = "bad_answer", f"the answer could not be read ({type(exc).__name__}: {detail})"
    if posting:
        return MaybeSentError(f"{what}: {text}; the message may have been posted", reason=reason)
    return NotifierError(f"{what}: {text}", reason=reason)


def translate(exc: Exception, what: str, secrets: list[str], *, posting: bool = False) -> NotifierError:
    """One slack-sdk / network failure -> the NotifierError branch that says what to do next."""
    if isinstance(exc, SlackApiError):
        data = exc.response.data if isinstance(exc.response.data, dict) else {}
        needed = data.get("needed")
        return answer_failure(exc.response.status_code, mask(str(data.get("error") or ""), secrets),
                               exc.response.headers, what, posting=posting,
                               needed=str(needed) if needed else None)
    if isinstance(exc, SlackRequestError):  # slack-sdk refused to send (a URL that is not http)
        return RejectedError(f"{what}: {mask(str(exc), secrets)}", reason="config")
    return _network_failure(exc, what, secrets, posting=posting)


# What a failed request can raise through slack-sdk's urllib client (everything else is a bug).
FAILURES = (SlackClientError, OSError, HTTPException, ValueError)



def client_timeout(timeout_s: float) -> int:
    return max(1, math.ceil(timeout_s))  # slack-sdk's clients take whole seconds

