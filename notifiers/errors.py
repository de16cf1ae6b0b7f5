"""What a notifier raises when a message did not (certainly) go out. Notifiers stand alone (they
import nothing from ``monitor/``), so they keep this small tree of their own; the monitor translates
it into its own errors tree at the one place it calls a notifier
(``monitor.delivery.transport.Transport``).

    NotifierError               certainly not done; a later try may work (``reason``: a short word)
    ├── MaybeSentError          the request was written and no clear answer came: it may have been
    │                           posted; look (``find_posted``) before sending again
    ├── RateLimitedError        HTTP 429: nothing more until ``retry_after`` seconds have passed
    └── RejectedError           credentials or channel are wrong; retrying will not help
        └── CredentialsRejectedError   the credentials themselves: no channel will work
"""

from __future__ import annotations


class NotifierError(Exception):
    """The message was certainly not posted (or the read failed); a later try may work."""

    retryable = True

    def __init__(self, message: str, *, reason: str = "error") -> None:
        super().__init__(message)
        self.reason = reason


class MaybeSentError(NotifierError):
    """The request may have reached Slack (a timeout or a dropped connection after the request was
    written, a 5xx after the body was sent)."""


class RateLimitedError(NotifierError):
    """Slack answered 429; ``retry_after`` is the pause it asked for, in seconds."""

    def __init__(self, message: str, *, retry_after: float, reason: str = "ratelimited") -> None:
        super().__init__(message, reason=reason)
        self.retry_after = retry_after


class RejectedError(NotifierError):
    """Invalid channel, bot not in channel, a message that cannot be edited: retrying will not help."""

    retryable = False


class CredentialsRejectedError(RejectedError):
    """The token or webhook itself is rejected (revoked, invalid): no channel will work."""
