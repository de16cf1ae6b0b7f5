"""``hkex-monitor test-alert``: post one clearly marked test message through the configured output
(bot, webhook or console) and say where it went, or why it did not."""

from __future__ import annotations

import socket
import sys
from datetime import UTC, datetime

from monitor.delivery.transport import Transport, build_notifier
from monitor.errors import DeliveryError
from monitor.messages.ops import test_message
from monitor.settings import Settings, check_channel


def test_alert(settings: Settings, channel: str | None) -> int:
    try:
        target = check_channel(channel) if channel else settings.slack.default_channel
    except ValueError as exc:
        print(f"hkex-monitor test-alert: --channel: {exc}", file=sys.stderr)
        return 2
    mode = settings.slack.mode
    transport = Transport(build_notifier(settings.slack))
    message = test_message(channel=target, sent_at=datetime.now(UTC), host=socket.gethostname(), mode=mode)
    try:
        receipt = transport.send(message)
    except DeliveryError as exc:
        print(f"hkex-monitor test-alert: not posted: {exc}", file=sys.stderr)
        print("  `hkex-monitor doctor` checks the token, its scopes and the channels", file=sys.stderr)
        return 1
    if mode == "bot":
        where = f"{target} ({receipt.channel or '?'}), message ts {receipt.ts}"
    elif mode == "webhook":
        where = "the webhook's channel (an incoming webhook posts to the one channel it was made for)"
    else:
        where = "the console above (no SLACK_BOT_TOKEN or SLACK_WEBHOOK_URL is set)"
    print(f"test alert posted to {where}", file=sys.stderr)
    return 0
