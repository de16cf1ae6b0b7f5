"""Everything one configuration builds, wired once (``build``) and rebuilt as a whole on a config
reload; and what a process keeps across reloads (``Lasting``): the stock ids, the feed cadence, the
results-days snapshot the poll plan reads, and the warm parse workers while their settings hold."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from monitor.delivery import Deliverer, OpenGate, SlackGate
from monitor.delivery.gate import Gate
from monitor.delivery.transport import Transport, build_notifier
from monitor.documents.parsepool import ParsePool, PoolConfig
from monitor.documents.reader import DocumentReader, ParseFn
from monitor.hkexnews.client import HKEXnewsClient
from monitor.hkexnews.discovery import Discovery
from monitor.hkexnews.stockids import StockDirectory
from monitor.intake import Intake
from monitor.messages.render import Renderer
from monitor.metrics import Metrics
from monitor.schedule.cadence import FeedCadence
from monitor.schedule.plan import ResultsDays
from monitor.settings import Settings
from monitor.store import Store, open_store
from monitor.store.limiter import StoreLimiter

log = logging.getLogger(__name__)


def instance_id() -> str:
    """Owner name for store claims: host, pid and a random suffix (unique across restarts)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class Lasting:
    """What a process keeps across config reloads (the components are rebuilt around it)."""

    stock_ids: StockDirectory = field(default_factory=StockDirectory)
    cadence: FeedCadence = field(default_factory=FeedCadence)
    results_days: ResultsDays = field(default_factory=ResultsDays)


@dataclass
class Components:
    """Everything one configuration builds; rebuilt as a whole on a config reload."""

    settings: Settings
    store: Store
    client: HKEXnewsClient
    discovery: Discovery
    transport: Transport
    deliverer: Deliverer
    intake: Intake
    reader: DocumentReader
    parse_pool: ParsePool | None = None  # kept across reloads while its settings are unchanged
    _users: int = field(default=0, init=False, repr=False)
    _retired: dict[str, bool] | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @contextmanager
    def in_use(self) -> Iterator[Components]:
        """Hold these components for one step of a job; retired ones close when the last step ends."""
        with self._lock:
            self._users += 1
        try:
            yield self
        finally:
            with self._lock:
                self._users -= 1
                close = self._retired if self._users == 0 else None
                self._retired = None if close is not None else self._retired
            if close is not None:
                self.close(**close)

    def retire(self, *, keep_pool: bool) -> None:
        """Close now if no step is using these components, else when the last one ends (a reader
        waiting on the queue, a download, a send: each finishes on the components it began with)."""
        with self._lock:
            if self._users:
                self._retired = {"keep_pool": keep_pool}
                return
        self.close(keep_pool=keep_pool)

    def close(self, *, keep_pool: bool = False) -> None:
        closers = [self.deliverer.close, self.client.close, self.store.close]
        if self.parse_pool is not None and not keep_pool:
            closers.insert(0, self.parse_pool.close)  # first: a reader in a parse hands its document back
        for close in closers:
            try:
                close()
            except Exception:  # closing must never stop a shutdown
                log.debug("error while closing %r", close, exc_info=True)


def build(settings: Settings, metrics: Metrics, *, stop: threading.Event, owner: str,
          parse: ParseFn | None = None, lasting: Lasting | None = None, stream: TextIO | None = None,
          parse_pool: ParsePool | None = None, wait_out_pauses: bool = True) -> Components:
    """Wire store, HKEXnews client, discovery, transport, deliverer, intake and reader for one
    config. The HKEXnews budget lives in the store (shared by every instance, kept across reloads).

    Documents are parsed by warm worker processes (``parse_pool``: the running pool to keep when
    its settings did not change), unless ``parse`` is given (tests parse in this process).
    ``wait_out_pauses``: a Slack pause (a 429) is waited out however long; False (``once``): only up to
    ``slack.max_retry_after_s``, and what is left waits for the next run."""
    lasting = lasting or Lasting()
    store = open_store(settings.store.url, namespace=settings.store.namespace,
                       retention_days=settings.store.retention_days)
    client = HKEXnewsClient(settings.hkexnews, metrics=metrics, limiter=StoreLimiter(store))
    discovery = Discovery(client, store, settings.hkexnews, metrics=metrics, stock_ids=lasting.stock_ids,
                          first_run_hours=settings.daemon.first_run_hours)
    transport = Transport(build_notifier(settings.slack, stream=stream))
    slack = settings.slack
    gate: Gate = OpenGate() if slack.mode == "console" else SlackGate(
        store, owner=owner, call_ttl_s=slack.timeout_s * (slack.max_retries + 1) + 10,
        min_post_interval_s=slack.min_post_interval_s, stop=stop, metrics=metrics,
        max_wait_s=None if wait_out_pauses else slack.max_retry_after_s)
    deliverer = Deliverer(store, transport, owner=owner, lease_s=settings.store.lease_s,
                          render=Renderer(store), metrics=metrics, gate=gate,
                          announce_first=slack.announces_first, stop=stop)
    if parse is None:
        if parse_pool is None or parse_pool.config != PoolConfig.from_settings(settings.daemon):
            parse_pool = ParsePool(PoolConfig.from_settings(settings.daemon))  # starts workers lazily
        parse = parse_pool.parse
    else:
        parse_pool = None
    intake = Intake(settings, store, discovery, metrics, cadence=lasting.cadence,
                    can_verify=transport.reads_history)
    reader = DocumentReader(settings, store, client, metrics, parse, consumer=owner, stop=stop)
    return Components(settings, store, client, discovery, transport, deliverer, intake, reader, parse_pool)
