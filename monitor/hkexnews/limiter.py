"""The politeness budget for one HKEXnews host: request pacing and the cool-off after a 403/503.

The client asks its ``HostLimiter`` before every request. ``LocalLimiter`` keeps the budget in this
process; a store shared by several instances provides one kept in Redis, so that HKEXnews sees about
one request per interval from the whole cluster and a cool-off started by one instance pauses all.
Both keep their state outside the client, so a config reload that rebuilds the client keeps it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


class HostLimiter(Protocol):
    def reserve(self, interval_s: float) -> float:
        """Take the next request slot, at least ``interval_s`` after the previous one (cluster-wide
        where the limiter is shared); returns the seconds to wait before sending (0: send now)."""
        ...

    def cooloff_remaining(self) -> float:
        """Seconds left of the host-wide pause (0 when requests may go)."""
        ...

    def start_cooloff(self, seconds: float) -> float:
        """Pause every request to the host for at least ``seconds`` from now (an existing longer
        pause is kept); returns the seconds the pause now lasts."""
        ...


class LocalLimiter:
    """``HostLimiter`` for one process: thread-safe, on a monotonic clock."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._next_at = 0.0
        self._cooloff_until = 0.0

    def reserve(self, interval_s: float) -> float:
        with self._lock:
            now = self._clock()
            at = max(now, self._next_at)
            self._next_at = at + interval_s
            return at - now

    def cooloff_remaining(self) -> float:
        with self._lock:
            return max(0.0, self._cooloff_until - self._clock())

    def start_cooloff(self, seconds: float) -> float:
        with self._lock:
            now = self._clock()
            self._cooloff_until = max(self._cooloff_until, now + seconds)
            return self._cooloff_until - now
