"""Which notifier to build for the Slack settings: an explicit dict, keyed by ``SlackSettings.mode``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from monitor.settings import SlackSettings
from notifiers.base import Notifier
from notifiers.console import ConsoleNotifier
from notifiers.slack import SlackNotifier, SlackWebhookNotifier

NOTIFIERS: dict[str, Callable[[SlackSettings, TextIO | None], Notifier]] = {
    "bot": lambda slack, stream: SlackNotifier(slack),
    "webhook": lambda slack, stream: SlackWebhookNotifier(slack),
    "console": lambda slack, stream: ConsoleNotifier(stream),
}


def build_notifier(slack: SlackSettings, stream: TextIO | None = None) -> Notifier:
    """A bot token wins over a webhook URL; with neither, messages go to ``stream`` (stdout)."""
    return NOTIFIERS[slack.mode](slack, stream)
