"""Every error hkex-monitor raises on purpose, in one tree.

    MonitorError
    ├── ConfigError (also ValueError)   the watchlist file or an environment value is wrong
    ├── SourceError                     could not ask HKEXnews (``permanent``: asking again won't help)
    │   ├── FeedShapeError              HKEXnews answered, but not in the documented shape
    │   ├── HostCoolingOffError         we are pausing all requests to the host after a 403/503
    │   └── ForbiddenURLError           a feed pointed at a URL outside the configured host (permanent)
    ├── DocumentError                   got bytes, could not read them (not a PDF, encrypted, too big)
    │   └── NotResultsError             a readable document that is not a results announcement
    ├── StoreError                      the dedupe store (Redis / SQLite) is unavailable
    └── DeliveryError                   Slack (or another notifier) did not take the message
        ├── DeliveryUncertainError      the message may have reached Slack: look before re-sending
        ├── DeliveryRateLimitedError    Slack said 429: no sends until ``retry_after`` has passed
        └── DeliveryConfigError         credentials or channel are wrong; retrying will not help
            └── DeliveryAuthError       the credentials themselves: no channel will work

Library exceptions (requests, redis, slack_sdk) are translated into these at the module that talks
to the library, with ``raise ... from exc``, so callers catch only these. The parsers, which stand
alone, raise their own ``parsers.errors.ParseError``; ``from_parse_error`` translates it here, once.
"""

from __future__ import annotations

from parsers.errors import ParseError, WrongDocumentError


class MonitorError(Exception):
    """Root of every error hkex-monitor raises on purpose."""


class ConfigError(MonitorError, ValueError):
    """The configuration is invalid. The message names the file, key, value and expectation."""


class SourceError(MonitorError):
    """HKEXnews could not be asked (network, HTTP status, timeout). Carries the URL.

    ``permanent`` says that asking again will not help (a document on another host, a 404 for a
    document): a results alert then goes out at once without figures instead of waiting."""

    permanent_by_default = False

    def __init__(self, message: str, *, url: str | None = None, permanent: bool | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.permanent = self.permanent_by_default if permanent is None else permanent


class FeedShapeError(SourceError):
    """HKEXnews answered, but the answer is not in the documented shape."""


class HostCoolingOffError(SourceError):
    """Requests to the host are paused after it answered 403/503 (a CDN block)."""

    def __init__(self, message: str, *, url: str | None = None, until: float | None = None) -> None:
        super().__init__(message, url=url)
        self.until = until


class ForbiddenURLError(SourceError):
    """A feed pointed at a document outside the configured HKEXnews host; it was not fetched."""

    permanent_by_default = True


class DocumentError(MonitorError):
    """A document was fetched or opened but could not be read (not a PDF, encrypted, too large)."""


class NotResultsError(DocumentError):
    """The document is readable but is not a results announcement."""


class StoreError(MonitorError):
    """The dedupe store is unavailable; the cycle must be skipped, never run without dedupe."""


class DeliveryError(MonitorError):
    """A notifier did not take a message. ``retryable`` says whether a later attempt may succeed.
    ``reason`` is a short stable word for metrics and logs (a Slack error code, "timeout", ...)."""

    retryable = True

    def __init__(self, message: str, *, reason: str = "error") -> None:
        super().__init__(message)
        self.reason = reason


class DeliveryUncertainError(DeliveryError):
    """The request may have reached Slack (a timeout or a dropped connection after the request was
    written, a 5xx after the body was sent). The alert is "uncertain": before any further send the
    deliverer looks for it in the channel's history (bot token) and never re-sends blindly."""

    def __init__(self, message: str, *, reason: str = "uncertain") -> None:
        super().__init__(message, reason=reason)


class DeliveryRateLimitedError(DeliveryError):
    """Slack answered 429. ``retry_after`` is the pause it asked for, in seconds; no message is
    sent to Slack (any channel) until it has passed, across cycles and instances."""

    def __init__(self, message: str, *, retry_after: float, reason: str = "ratelimited") -> None:
        super().__init__(message, reason=reason)
        self.retry_after = retry_after


class DeliveryConfigError(DeliveryError):
    """Invalid credentials, unknown channel, bot not in channel: retrying will not help."""

    retryable = False


class DeliveryAuthError(DeliveryConfigError):
    """The token or webhook itself is rejected (revoked, invalid): stop posting to every channel."""


def from_parse_error(exc: ParseError) -> DocumentError:
    """A parser's error as the monitor's: a wrong kind of document is ``NotResultsError``."""
    cls = NotResultsError if isinstance(exc, WrongDocumentError) else DocumentError
    return cls(str(exc))
