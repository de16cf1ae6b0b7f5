"""Run by test_crash.py as a child process: one delivery cycle that stops at a chosen point and waits
to be SIGKILLed. ``python crashing_deliverer.py STORE_URL API_URL TOKEN STAGE LEASE_S``, where STAGE
is "before_send" (claimed, nothing posted) or "after_send" (posted, not yet marked delivered)."""

from __future__ import annotations

import sys
import time
from datetime import datetime

from pydantic import SecretStr

from monitor.delivery import Deliverer
from monitor.settings import SlackSettings
from monitor.store import open_store
from notifiers.base import Message, Receipt
from notifiers.slack import SlackNotifier


class StopsAt:
    def __init__(self, real: SlackNotifier, stage: str) -> None:
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

    def already_posted(self, channel: str, filing_id: str, since: datetime) -> bool:
        return self.real.already_posted(channel, filing_id, since)


def main() -> None:
    store_url, api_url, token, stage, lease_s = sys.argv[1:6]
    store = open_store(store_url, namespace="crash")
    slack = SlackNotifier(SlackSettings(api_url=api_url, bot_token=SecretStr(token), max_retries=0))
    Deliverer(store, StopsAt(slack, stage), owner="doomed", lease_s=float(lease_s)).deliver_pending()
    print("FINISHED", flush=True)


if __name__ == "__main__":
    main()
