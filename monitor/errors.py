"""Every error hkex-monitor raises on purpose, in one tree.

    MonitorError
    ├── ConfigError (also ValueError)   the watchlist file or an environment value is wrong
    ├── SourceError                     could not ask HKEXnews
    │   ├── FeedShapeError              HKEXnews answered, but not in the documented shape
    │   ├── HostCoolingOffError         we are pausing all requests to the host after a 403/503
    │   └── ForbiddenURLError           a feed pointed at a URL outside the configured host
    ├── DocumentError                   got bytes, could not read them (not a PDF, encrypted, too big)
    │   └── NotResultsError             a readable document that is not a results announcement
    ├── StoreError                      the dedupe store (Redis / SQLite) is unavailable
    └── DeliveryError                   Slack (or another notifier) did not take the message
        └── DeliveryConfigError         credentials or channel are wrong; retrying will not help
            └── DeliveryAuthError       the credentials themselves: no channel will work

Library exceptions (requests, pdfminer, redis, slack_sdk) are translated into these at the module
that talks to the library, with ``raise ... from exc``, so callers catch only these.
"""

from __future__ import annotations


class MonitorError(Exception):
    """Root of every error hkex-monitor raises on purpose."""


class ConfigError(MonitorError, ValueError):
    """The configuration is invalid. The message names the file, key, value and expectation."""


class SourceError(MonitorError):
    """HKEXnews could not be asked (network, HTTP status, timeout). Carries the URL."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class FeedShapeError(SourceError):
    """HKEXnews answered, but the answer is not in the documented shape."""


class HostCoolingOffError(SourceError):
    """Requests to the host are paused after it answered 403/503 (a CDN block)."""

    def __init__(self, message: str, *, url: str | None = None, until: float | None = None) -> None:
        super().__init__(message, url=url)
        self.until = until


class ForbiddenURLError(SourceError):
    """A feed pointed at a document outside the configured HKEXnews host; it was not fetched."""


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


class DeliveryConfigError(DeliveryError):
    """Invalid credentials, unknown channel, bot not in channel: retrying will not help."""

    retryable = False


class DeliveryAuthError(DeliveryConfigError):
    """The token or webhook itself is rejected (revoked, invalid): stop posting to every channel."""
