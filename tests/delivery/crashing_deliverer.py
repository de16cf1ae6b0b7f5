"""Run by test_crash.py as a child process: one delivery round that stops at a chosen point and waits
to be SIGKILLed, beating its heartbeat in the store meanwhile like a live daemon.

``python crashing_deliverer.py STORE_URL API_URL TOKEN STAGE LEASE_S ANNOUNCE``, where STAGE is
"before_send" (claimed, nothing posted), "after_send" (posted, not yet marked) or "after_update"
(an announced alert's message edited with its figures, not yet marked delivered); ANNOUNCE is 1 to
post first notices (announce first) or 0."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from typing import Any

from monitor.daemon.liveness import Heartbeat
from monitor.delivery import Deliverer
from monitor.delivery.transport import Transport
from monitor.store import open_store
from notifiers.base import Message, Receipt
from notifiers.slack import SlackNotifier


class StopsAt:
    """The real transport, halting the process just before or after the chosen call."""

    reads_history = True
    edits = True

    def __init__(self, real: Transport, stage: str) -> None:
        self.name, self.real, self.stage = "stops-at", real, stage

    def _halt(self) -> None:
        print("READY", flush=True)
        time.sleep(120)

    def send(self, message: Message) -> Receipt:
        if self.stage == "before_send":
            self._halt()
        receipt = self.real.send(message)
        if self.stage == "after_send":
            self._halt()
        return receipt

    def update(self, channel: str, ts: str, message: Message) -> Receipt:
        receipt = self.real.update(channel, ts, message)
        if self.stage == "after_update":
            self._halt()
        return receipt

    def find_posted(self, channel: str, filing_id: str, since: datetime, **kw: Any) -> Receipt | None:
        return self.real.find_posted(channel, filing_id, since, **kw)


def main() -> None:
    store_url, api_url, token, stage, lease_s, announce = sys.argv[1:7]
    store = open_store(store_url, namespace="crash")
    Heartbeat(lambda: store, "doomed", role="test").start()
    slack = Transport(SlackNotifier(token, api_url=api_url, max_retries=0))
    stops = StopsAt(slack, stage)
    deliverer = Deliverer(store, stops, owner="doomed", lease_s=float(lease_s),  # type: ignore[arg-type]
                          announce_first=announce == "1")
    deliverer.deliver_pending()
    print("FINISHED", flush=True)


if __name__ == "__main__":
    main()
