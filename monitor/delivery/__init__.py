"""Getting alerts to people: the deliverer (claims, history checks, first notices and their edits,
marks), the gate every Slack call passes (one call at a time for the cluster, pauses, pace), the
claims held with short renewed leases, and the transport it speaks through (a notifier from
``notifiers/``, chosen by the settings, its errors translated)."""

from monitor.delivery.deliverer import BACKOFF_S, Deliverer, DeliveryOutcome, backoff_s
from monitor.delivery.gate import RATE_LIMIT_PAUSE, TROUBLE_PAUSE, OpenGate, SlackGate, channel_budget
from monitor.delivery.grouping import group_alerts, needs_own_message

__all__ = ["BACKOFF_S", "RATE_LIMIT_PAUSE", "TROUBLE_PAUSE", "Deliverer", "DeliveryOutcome", "OpenGate",
           "SlackGate", "backoff_s", "channel_budget", "group_alerts", "needs_own_message"]
