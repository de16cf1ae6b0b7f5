"""What an operator does to pending alerts (``hkex-monitor alerts``), and what the daemon does
itself after a config reload: list them, retry them now, drop one, re-route those stranded on a
channel the configuration no longer sends them to."""

from __future__ import annotations

import time
from dataclasses import dataclass

from monitor.routing import routes
from monitor.settings import Settings
from monitor.store import AlertKind, PendingAlert, Store


@dataclass(frozen=True)
class AlertRow:
    id: str
    channel: str
    what: str  # the filing's stocks and title, or the message kind
    attempts: int
    last_error: str | None
    age_s: float
    state: str  # "waiting", "retry in 40s", "announced, figures coming", "held by host:pid:x (alive)", ...
    holder: str | None = None  # the process holding a claim on it, if any
    holder_alive: bool | None = None  # whether that process still beats (None: not known)
    uncertain: bool = False
    announced_ts: str | None = None


def describe(alert: PendingAlert, now: float | None = None) -> AlertRow:
    now = time.time() if now is None else now
    if alert.filing is not None:
        what = f"{'/'.join(alert.filing.stock_codes)} {alert.filing.kind.value}: {alert.filing.display_title}"
    else:
        what = alert.kind
    if alert.owner:
        alive = {True: "alive", False: "gone: taken over at the next round", None: "alive not known"}
        state = f"held by {alert.owner} ({alive[alert.owner_alive]})"
    elif alert.not_before > now:
        state = f"retry in {alert.not_before - now:.0f}s"
    elif alert.announced_ts:
        state = "posted, figures coming (the message is edited when the document is read)"
    else:
        state = "waiting"
    if alert.uncertain:
        state += ", uncertain (history is read before any re-send)"
    return AlertRow(alert.id, alert.channel, what, alert.attempts, alert.last_error,
                    now - alert.enqueued_at, state, alert.owner, alert.owner_alive, alert.uncertain,
                    alert.announced_ts)


def target_channels(settings: Settings, alert: PendingAlert) -> list[str]:
    """Where the current configuration sends this alert (empty: nowhere it can tell)."""
    if alert.kind == AlertKind.FILING and alert.filing is not None:
        return sorted(routes(settings, alert.filing))
    if alert.kind == "ops":
        return [settings.ops_channel]
    return []


def reroute_stranded(store: Store, settings: Settings) -> list[str]:
    """Move pending alerts from a channel the configuration no longer routes them to onto the one it
    does; returns one line per alert moved. Alerts under a live claim are left for the next time."""
    moved = []
    for alert in store.pending(limit=100_000):
        wanted = target_channels(settings, alert)
        if not wanted or alert.channel in wanted:
            continue
        result = store.reroute(alert.id, alert.channel, wanted[0])
        if result in ("rerouted", "merged"):
            moved.append(f"{alert.id} {alert.channel} -> {wanted[0]} ({result})")
    return moved
