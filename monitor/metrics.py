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
        self.uncertain = Gauge("hkexmon_alerts_uncertain", "Pending alerts whose last send may have reached "
                               "Slack (history is read before any re-send)", registry=r)
        self.history_checks = Counter("hkexmon_slack_history_checks", "Channel history reads before a "
                                      "possible re-send, by result", ["result"], registry=r)
        self.slack_paused = Gauge("hkexmon_slack_paused_seconds", "Seconds left of a Slack rate-limit pause",
                                  registry=r)
        self.rebuilding = Counter("hkexmon_store_rebuilds", "Times the store was found empty (first start or "
                                  "lost memory) and alerts were checked against Slack history", registry=r)
        self.held_back = Counter("hkexmon_first_run_held_back", "Filings older than the first-run window, "
                                 "recorded as seen without an alert", registry=r)
        self.found_late = Counter("hkexmon_reconcile_found_late", "Filings the nightly reconciliation found "
                                  "that the feed path missed", registry=r)
        self.documents = Gauge("hkexmon_documents", "Documents to read, by state", ["state"], registry=r)
        self.oldest_document = Gauge("hkexmon_document_oldest_seconds", "Age of the oldest unread document",
                                     registry=r)
        self.parse_workers = Gauge("hkexmon_parse_workers", "Parse worker processes, by state (alive, busy)",
                                   ["state"], registry=r)
        self.parse_worker_restarts = Gauge(
            "hkexmon_parse_worker_restarts", "Parse workers replaced since start, by reason (timeout, "
            "memory, died, max_documents, ...)", ["reason"], registry=r)
        self.poll_interval = Gauge("hkexmon_poll_interval_seconds", "The poll interval in force, by reason",
                                   ["reason"], registry=r)
        self.ops_alarm = Gauge("hkexmon_ops_alarm", "1 while an operational alarm is raised", ["alarm"],
                               registry=r)
        self.store_errors = Counter("hkexmon_store_errors", "Cycles skipped because the store was down",
                                    registry=r)
        self.config_reloads = Counter("hkexmon_config_reloads", "Config reloads, by outcome", ["outcome"],
                                      registry=r)
