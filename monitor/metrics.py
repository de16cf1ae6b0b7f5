"""Prometheus metrics, declared once. Served on /metrics by the daemon's health server.

Everything is registered on ``REGISTRY`` (not the global default) so tests and several
in-process daemons can build fresh ones with ``Metrics()``.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.polls = Counter("hkexmon_polls", "Poll cycles run, by outcome", ["outcome"], registry=r)
        self.last_success = Gauge(
            "hkexmon_last_successful_poll_timestamp_seconds", "Unix time of the last good poll", registry=r
        )
        self.heartbeat = Gauge("hkexmon_heartbeat_timestamp_seconds", "Unix time of the last heartbeat",
                               registry=r)
        self.requests = Counter("hkexmon_hkexnews_requests", "HTTP requests to HKEXnews, by kind and status",
                                ["kind", "status"], registry=r)
        self.bytes = Counter("hkexmon_hkexnews_bytes", "Bytes received from HKEXnews", ["kind"], registry=r)
        self.cooloffs = Counter("hkexmon_hkexnews_cooloffs", "Times all requests to HKEXnews were paused "
                                "after a 403/503", registry=r)
        self.cooling_off = Gauge("hkexmon_hkexnews_cooling_off", "1 while requests to HKEXnews are paused",
                                 registry=r)
        self.feed_errors = Counter("hkexmon_feed_errors", "Feed answers not in the documented shape",
                                   registry=r)
        self.filings_seen = Counter("hkexmon_filings_seen", "New filings for watched stocks, by kind",
                                    ["kind"], registry=r)
        self.parse = Counter("hkexmon_parses", "Results documents parsed, by outcome", ["outcome"],
                             registry=r)
        self.parse_seconds = Histogram("hkexmon_parse_seconds", "Time to parse one results document",
                                       registry=r, buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30))
        self.alerts_sent = Counter("hkexmon_alerts_sent", "Slack messages delivered", ["kind"], registry=r)
        self.alert_failures = Counter("hkexmon_alert_failures", "Delivery attempts that failed, by reason",
                                      ["reason"], registry=r)
        self.pending = Gauge("hkexmon_alerts_pending", "Alerts enqueued and not yet delivered", registry=r)
        self.max_attempts = Gauge("hkexmon_alert_max_attempts", "Most delivery attempts of any pending alert",
                                  registry=r)
        self.store_errors = Counter("hkexmon_store_errors", "Cycles skipped because the store was down",
                                    registry=r)
        self.config_reloads = Counter("hkexmon_config_reloads", "Config reloads, by outcome", ["outcome"],
                                      registry=r)
