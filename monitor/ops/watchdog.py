"""Silence is an alarm: notices when the monitor can no longer see HKEXnews, and says so once.

Three alarms, each raised once per episode to the ops channel (and cleared with one "recovered"
message), besides turning ``/healthz`` unhealthy:

- ``feed_stale``: inside a publication window, the feed's ``genDate`` has not moved for
  ``ops.feed_stale_s`` (HKEXnews answers, but with a frozen feed);
- ``poll_failing``: no poll has succeeded for ``ops.poll_failing_s`` (at least two failures);
- ``quiet_window``: a whole publication window passed without a single filing for the whole
  market (``ops.quiet_window``), which on a business day means we are not seeing the feed.

Each episode has an id every instance computes alike (the frozen ``genDate``, the time of the last
successful poll as the store records it, the window's start), and alarms go through the outbox
under that id, so a cluster posts each alarm and each recovery once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from monitor.filing import HKT
from monitor.metrics import Metrics
from monitor.schedule.windows import windows_on
from monitor.settings import OpsSettings, Settings
from monitor.store import AlertKind

log = logging.getLogger(__name__)

QUIET_SLACK = timedelta(minutes=5)  # polling must have started by then for a window to be judged


class _Outbox(Protocol):
    def enqueue_message(self, alert_id: str, channel: str, kind: str, data: dict[str, Any]) -> bool: ...


@dataclass(frozen=True)
class _Alarm:
    episode: str
    since: datetime
    detail: str


class Sightings:
    """What polls told us of the feed, and the alarms that follow from it at a given time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._gen: datetime | None = None  # the feed's genDate as last seen
        self._gen_since: datetime | None = None  # when we first saw that genDate
        self._last_ok: datetime | None = None
        self._first_ok: datetime | None = None  # a window is judged only if we watched all of it
        self._failures = 0
        self._newest: datetime | None = None  # the newest release time on the market feed

    def observe(self, now: datetime, *, ok: bool, generated_at: datetime | None = None,
                newest_release: datetime | None = None, last_success: datetime | None = None) -> None:
        with self._lock:
            if not ok:
                self._failures += 1
                if last_success is not None:
                    self._last_ok = max(self._last_ok or last_success, last_success)
                return
            self._failures = 0
            self._last_ok = last_success or now
            self._first_ok = self._first_ok or now
            if generated_at is not None and generated_at != self._gen:
                self._gen, self._gen_since = generated_at, now
            if newest_release is not None and (self._newest is None or newest_release > self._newest):
                self._newest = newest_release

    def alarms(self, now: datetime, ops: OpsSettings) -> dict[str, _Alarm]:
        """The alarms that hold at ``now``, by name."""
        found: dict[str, _Alarm] = {}
        with self._lock:
            if self._gen is not None and self._gen_since is not None and _in_window(now) \
                    and now - self._gen_since >= timedelta(seconds=ops.feed_stale_s):
                found["feed_stale"] = _Alarm(
                    f"feed_stale:{self._gen.isoformat()}", self._gen_since,
                    f"HKEXnews' latest-filings feed has not changed since it was generated at "
                    f"{self._gen:%d %b %H:%M:%S} HKT, although we are inside a publication window")
            if self._failures >= 2 and self._last_ok is not None \
                    and now - self._last_ok >= timedelta(seconds=ops.poll_failing_s):
                found["poll_failing"] = _Alarm(
                    f"poll_failing:{self._last_ok.isoformat()}", self._last_ok,
                    f"no poll of HKEXnews has succeeded since {self._last_ok:%d %b %H:%M} HKT "
                    f"({self._failures} failures in a row)")
            quiet = self._quiet_window(now) if ops.quiet_window else None
            if quiet is not None:
                found["quiet_window"] = quiet
        return found

    def _quiet_window(self, now: datetime) -> _Alarm | None:
        """The last publication window that ended today, if it ended with no filing in it at all."""
        hk = now.astimezone(HKT)
        ended = [(datetime.combine(hk.date(), s, HKT), datetime.combine(hk.date(), e, HKT))
                 for s, e in windows_on(hk.date())]
        ended = [(s, e) for s, e in ended if e <= hk and e - s >= timedelta(hours=1)]
        if not ended or self._newest is None and self._last_ok is None:
            return None
        start, end = ended[-1]
        if self._last_ok is None or self._last_ok < end or self._first_ok is None \
                or self._first_ok > start + QUIET_SLACK:
            return None  # we did not watch the whole window: nothing to judge
        if self._newest is not None and self._newest >= start:
            return None
        return _Alarm(f"quiet_window:{start.isoformat()}", start,
                      f"not a single filing for the whole market was seen in the publication window "
                      f"{start:%H:%M}-{end:%H:%M} HKT on {start:%d %b}")


class Watchdog:
    """Fed by every poll (``observe``); ``check(now)`` raises and clears alarms, each once per
    episode."""

    def __init__(self, settings: Settings, metrics: Metrics,
                 clock: Callable[[], datetime] = lambda: datetime.now(HKT)) -> None:
        self.settings = settings
        self.metrics = metrics
        self.clock = clock
        self._sightings = Sightings()
        self._lock = threading.Lock()
        self._raised: dict[str, _Alarm] = {}

    def observe(self, *, ok: bool, generated_at: datetime | None = None,
                newest_release: datetime | None = None, last_success: datetime | None = None) -> None:
        self._sightings.observe(self.clock(), ok=ok, generated_at=generated_at, newest_release=newest_release,
                                last_success=last_success)

    @property
    def raised(self) -> list[str]:
        with self._lock:
            return sorted(self._raised)

    def check(self, outbox: _Outbox) -> list[str]:
        """Raise or clear alarms; returns the alarm names raised now."""
        now = self.clock()
        found = self._sightings.alarms(now, self.settings.ops)
        with self._lock:
            raised_now = [n for n in found if n not in self._raised]
            recovered = [n for n in self._raised if n not in found]
            previous = dict(self._raised)
            self._raised = {**{n: a for n, a in self._raised.items() if n in found},
                            **{n: found[n] for n in raised_now}}
        channel = self.settings.ops_channel
        for name in raised_now:
            alarm = found[name]
            self.metrics.ops_alarm.labels(name).set(1)
            log.error("ALARM %s: %s (since %s)", name, alarm.detail, alarm.since.isoformat())
            outbox.enqueue_message(f"ops:{alarm.episode}", channel, AlertKind.OPS,
                                   {"alarm": name, "state": "raised", "detail": alarm.detail,
                                    "since": alarm.since.isoformat()})
        for name in recovered:
            alarm = previous[name]
            self.metrics.ops_alarm.labels(name).set(0)
            lasted = now - alarm.since
            log.warning("RECOVERED %s after %s", name, _duration(lasted))
            outbox.enqueue_message(f"ops:{alarm.episode}:recovered", channel, AlertKind.OPS,
                                   {"alarm": name, "state": "recovered", "detail": alarm.detail,
                                    "since": alarm.since.isoformat(), "lasted_s": lasted.total_seconds()})
        return raised_now


def _in_window(now: datetime) -> bool:
    from monitor.schedule.windows import in_window

    return in_window(now)


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"
