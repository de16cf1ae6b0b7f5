"""The one place the monitor speaks to a notifier: which one the settings ask for (an explicit
dict keyed by ``SlackSettings.mode``), and ``Transport``, which calls it and translates its errors
(``notifiers.errors``) into the monitor's (``monitor.errors``), once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TextIO

from monitor.errors import (
    DeliveryAuthError,
    DeliveryConfigError,
    DeliveryError,
    DeliveryRateLimitedError,
    DeliveryUncertainError,
)
from monitor.messages.mrkdwn import as_text
from monitor.settings import SlackSettings
from notifiers.base import Message, Notifier, Receipt
from notifiers.console import ConsoleNotifier
from notifiers.errors import (
    CredentialsRejectedError,
    MaybeSentError,
    NotifierError,
    RateLimitedError,
    RejectedError,
)
from notifiers.slack import SlackNotifier
from notifiers.webhook import SlackWebhookNotifier


def _bot(slack: SlackSettings, stream: TextIO | None) -> Notifier:
    assert slack.bot_token is not None
    return SlackNotifier(slack.bot_token.get_secret_value(), api_url=slack.api_url, timeout_s=slack.timeout_s,
                         max_retries=slack.max_retries)


def _webhook(slack: SlackSettings, stream: TextIO | None) -> Notifier:
    assert slack.webhook_url is not None
    return SlackWebhookNotifier(slack.webhook_url.get_secret_value(), timeout_s=slack.timeout_s)


def _console(slack: SlackSettings, stream: TextIO | None) -> Notifier:
    return ConsoleNotifier(stream, format=lambda message, note: as_text(message, note=note))


NOTIFIERS: dict[str, Callable[[SlackSettings, TextIO | None], Notifier]] = {
    "bot": _bot,
    "webhook": _webhook,
    "console": _console,
}


def build_notifier(slack: SlackSettings, stream: TextIO | None = None) -> Notifier:
    """A bot token wins over a webhook URL; with neither, messages go to ``stream`` (stdout)."""
    return NOTIFIERS[slack.mode](slack, stream)


def translate(exc: NotifierError) -> DeliveryError:
    """A notifier's error as the monitor's, keeping the reason (and the pause Slack asked for)."""
    message, reason = str(exc), exc.reason
    if isinstance(exc, RateLimitedError):
        return DeliveryRateLimitedError(message, retry_after=exc.retry_after, reason=reason)
    if isinstance(exc, MaybeSentError):
        return DeliveryUncertainError(message, reason=reason)
    if isinstance(exc, CredentialsRejectedError):
        return DeliveryAuthError(message, reason=reason)
    if isinstance(exc, RejectedError):
        return DeliveryConfigError(message, reason=reason)
    return DeliveryError(message, reason=reason)


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except NotifierError as exc:
        raise translate(exc) from exc


class Transport:
    """A notifier seen from the monitor: the same calls, ``DeliveryError`` branches out."""

    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier
        self.name = notifier.name
        self.reads_history = notifier.reads_history
        self.edits = notifier.edits

    def send(self, message: Message) -> Receipt:
        with _translated():
            return self.notifier.send(message)

    def update(self, channel: str, ts: str, message: Message) -> Receipt:
        with _translated():
            return self.notifier.update(channel, ts, message)

    def find_posted(self, channel: str, filing_id: str, since: datetime, *, until: datetime | None = None,
                    thread_ts: str | None = None) -> Receipt | None:
        with _translated():
            return self.notifier.find_posted(channel, filing_id, since, until=until, thread_ts=thread_ts)
