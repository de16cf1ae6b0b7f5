"""Getting alerts to people: the deliverer (claims, history checks, pacing, marks) and the transport
it speaks through (a notifier from ``notifiers/``, chosen by the settings, its errors translated)."""

from monitor.delivery.deliverer import (
    BACKOFF_S,
    SLACK_PAUSE,
    Deliverer,
    DeliveryOutcome,
    backoff_s,
    channel_budget,
    group_alerts,
    needs_own_message,
)

__all__ = ["BACKOFF_S", "SLACK_PAUSE", "Deliverer", "DeliveryOutcome", "backoff_s", "channel_budget",
           "group_alerts", "needs_own_message"]
