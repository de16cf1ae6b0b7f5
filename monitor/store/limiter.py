"""The HKEXnews politeness budget kept in the store (``HostLimiter``), so that every instance on
one store shares one pace and one cool-off: HKEXnews sees about one request per interval from the
whole cluster, and a 403/503 seen by one instance pauses all. It also survives a config reload,
which rebuilds the client but not the store's contents."""

from __future__ import annotations

from monitor.store import Store

HKEXNEWS = "hkexnews"  # the budget's name in the store


class StoreLimiter:
    """``monitor.hkexnews.limiter.HostLimiter`` on a ``Store``."""

    def __init__(self, store: Store, name: str = HKEXNEWS) -> None:
        self.store = store
        self.name = name

    def reserve(self, interval_s: float) -> float:
        return self.store.reserve(self.name, interval_s)

    def cooloff_remaining(self) -> float:
        return self.store.paused_for(self.name)

    def start_cooloff(self, seconds: float) -> float:
        return self.store.pause(self.name, seconds)
