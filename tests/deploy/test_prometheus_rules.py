"""deploy/prometheus-rules.yaml: every alert names metrics the daemon really exports, with the labels
it exports them with, and covers the silence alarms and delivery failures README promises."""

from __future__ import annotations

import re
from pathlib import Path

from prometheus_client import generate_latest

from monitor.metrics import Metrics

RULES = Path(__file__).parents[2] / "deploy" / "prometheus-rules.yaml"


def _exported() -> set[str]:
    metrics = Metrics()
    metrics.ops_alarm.labels("feed_stale").set(0)  # labelled gauges appear once a label is used
    metrics.alert_failures.labels("timeout").inc(0)
    text = generate_latest(metrics.registry).decode()
    samples = [line for line in text.splitlines() if line and not line.startswith("#")]
    return {line.split("{")[0].split(" ")[0] for line in samples}


def test_every_rule_uses_metrics_the_daemon_exports() -> None:
    text = RULES.read_text()
    exprs = re.findall(r"^\s+expr:\s*(.+)$", text, flags=re.M)
    alerts = re.findall(r"^\s+- alert:\s*(\S+)$", text, flags=re.M)
    assert len(exprs) == len(alerts) >= 8
    exported = _exported()
    for expr in exprs:
        for name in re.findall(r"\bhkexmon_[a-z_]+", expr):
            assert name in exported, f"{name} in {expr!r} is not exported"


def test_the_silence_alarms_and_delivery_failures_are_covered() -> None:
    text = RULES.read_text()
    for alarm in ("feed_stale", "poll_failing", "quiet_window"):
        assert f'hkexmon_ops_alarm{{alarm="{alarm}"}} == 1' in text
    assert "hkexmon_alert_failures_total" in text and "hkexmon_alerts_pending" in text
    assert "hkexmon_heartbeat_timestamp_seconds" in text
