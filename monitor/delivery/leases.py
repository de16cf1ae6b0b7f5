"""The claims this process holds while it delivers, their short leases renewed in the background.

A claim's lease is short (``store.lease_s``, 10 s by default) so that the work of a process that
died is taken over in seconds; a live process, however slow its send, keeps its claims because this
keeper renews them every third of a lease. On a stop (Ctrl-C, a closed pipe, SIGTERM) what is still
held is given back at once (``give_back``), unsent, for the next run to take without waiting.
"""

from __future__ import annotations

import logging
import threading

from monitor.errors import StoreError
from monitor.store import Claim, Outbox

log = logging.getLogger(__name__)
CLOSE_WAIT_S = 2.0  # how long close() waits for a renewal under way


class HeldClaims:
    def __init__(self, store: Outbox, lease_s: float) -> None:
        self.store = store
        self.lease_s = lease_s
        self._held: dict[str, Claim] = {}  # claim token -> claim
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._closed = False

    def hold(self, claims: list[Claim]) -> None:
        with self._lock:
            for claim in claims:
                self._held[claim.token] = claim
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(target=self._renew, name="claim-leases", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def drop(self, claims: list[Claim]) -> None:
        with self._lock:
            for claim in claims:
                self._held.pop(claim.token, None)

    def held(self) -> list[Claim]:
        with self._lock:
            return list(self._held.values())

    def give_back(self, reason: str) -> int:
        """Give every claim still held back to the outbox, unsent (no attempt counted, no backoff)."""
        with self._lock:
            claims, self._held = list(self._held.values()), {}
        if not claims:
            return 0
        try:
            return sum(self.store.release_claims(claims, reason))
        except StoreError as exc:
            log.warning("could not give back %d claim(s) (%s); they are taken over when their lease ends",
                        len(claims), exc)
            return 0

    def close(self) -> None:
        """Stop renewing; a renewal under way is given a moment to end (it only extends leases)."""
        with self._lock:
            self._closed = True
            self._changed.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(CLOSE_WAIT_S)

    def _renew(self) -> None:
        every = max(0.2, self.lease_s / 3)
        while True:
            with self._lock:
                while not self._held and not self._closed:
                    self._changed.wait()
                if self._closed:
                    return
                self._changed.wait(every)
                if self._closed:
                    return
                claims = list(self._held.values())
            if not claims:
                continue
            try:
                kept = self.store.renew_claims(claims, self.lease_s)
            except StoreError as exc:
                log.warning("could not renew the lease of %d claim(s): %s", len(claims), exc)
                continue
            with self._lock:  # a claim dropped meanwhile was settled (dropped before marked), not lost
                lost = [c for c, ok in zip(claims, kept, strict=True) if not ok and c.token in self._held]
            if lost:
                log.warning("lost the claim of %s while delivering it (lease ran out)",
                            ", ".join(f"{c.alert_id} ({c.channel})" for c in lost))
                self.drop(lost)
