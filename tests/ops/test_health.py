"""The daemon's local HTTP endpoint (``monitor.ops.health``), a real server on a free port: /healthz
answers 200 or 503 as the status says, /metrics the Prometheus text, anything else 404; and no
credential in the status or in a metric's label ever leaves the process."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from waiting import http_get

from monitor.metrics import Metrics
from monitor.ops.health import HealthServer

TOKEN = "xoxb-1111111111-2222222222-abcdefghijklmnop"
WEBHOOK = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
PASSWORD = "s3cr3t-redis-pw"

Serve = Callable[..., HealthServer]


@pytest.fixture
def serve() -> Iterator[Serve]:
    started: list[HealthServer] = []

    def start(status: Callable[[], dict[str, Any]], metrics: Metrics | None = None) -> HealthServer:
        server = HealthServer("127.0.0.1", 0, metrics or Metrics(), status)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def get(server: HealthServer, path: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(server.address + path, timeout=5) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode()


def test_healthz_is_200_when_ok(serve: Serve) -> None:
    server = serve(lambda: {"ok": True, "watching": 2, "last_poll": {"ok": True, "new_filings": 0}})
    status, ctype, body = get(server, "/healthz")
    assert status == 200 and ctype == "application/json"
    answer = json.loads(body)
    assert answer["ok"] is True and answer["watching"] == 2 and answer["last_poll"]["new_filings"] == 0
    assert isinstance(answer["time"], float)  # when it was answered


@pytest.mark.parametrize("status", [{"ok": False, "alarms": ["feed_stale"]}, {"alarms": []}])
def test_healthz_is_503_when_not_ok(serve: Serve, status: dict[str, Any]) -> None:
    server = serve(lambda: dict(status))
    code, ctype, body = get(server, "/healthz")
    assert code == 503 and ctype == "application/json"
    assert json.loads(body)["alarms"] == status["alarms"]


def test_healthz_asks_the_status_at_each_request(serve: Serve) -> None:
    healthy = [True]
    server = serve(lambda: {"ok": healthy[0]})
    assert get(server, "/healthz")[0] == 200
    healthy[0] = False
    assert get(server, "/healthz")[0] == 503
    healthy[0] = True
    assert get(server, "/healthz?verbose=1")[0] == 200


def test_metrics_are_the_prometheus_text_of_the_daemons_registry(serve: Serve) -> None:
    metrics = Metrics()
    metrics.polls.labels("ok").inc(3)
    metrics.filings_seen.labels("interim_results").inc()
    server = serve(lambda: {"ok": False}, metrics)  # /metrics answers 200 whatever the health
    status, ctype, body = get(server, "/metrics")
    assert status == 200 and ctype.startswith("text/plain")
    assert 'hkexmon_polls_total{outcome="ok"} 3.0' in body
    assert 'hkexmon_filings_seen_total{kind="interim_results"} 1.0' in body
    assert "# HELP hkexmon_alerts_pending" in body


def test_other_paths_are_not_found(serve: Serve) -> None:
    server = serve(lambda: {"ok": True})
    assert get(server, "/")[0] == 404
    assert get(server, "/status")[0] == 404


def test_secrets_in_the_status_are_never_shown(serve: Serve) -> None:
    server = serve(lambda: {
        "ok": False,
        "store": f"redis://:{PASSWORD}@cache.internal:6379/0",
        "last_poll": {"ok": False, "reason": f"https://www1.hkexnews.hk/x?token={PASSWORD}: HTTP 500",
                      "errors": [f"Slack said invalid_auth for {TOKEN}", f"posting to {WEBHOOK} failed"]},
        "alarms": [],
        "watching": 3,
    })
    code, _, body = get(server, "/healthz")
    assert code == 503
    for secret in (PASSWORD, TOKEN, WEBHOOK, "XXXXXXXXXXXXXXXXXXXXXXXX"):
        assert secret not in body
    answer = json.loads(body)  # still valid JSON, with everything else as it was
    assert answer["store"] == "redis://:***@cache.internal:6379/0"
    assert answer["last_poll"]["reason"].startswith("https://www1.hkexnews.hk/x?token=***")
    assert answer["last_poll"]["reason"].endswith("HTTP 500") and answer["watching"] == 3
    assert answer["last_poll"]["errors"][0] == "Slack said invalid_auth for ***"


def test_secrets_in_metric_labels_are_never_shown(serve: Serve) -> None:
    metrics = Metrics()
    metrics.alert_failures.labels(f"posting to {WEBHOOK}").inc()
    metrics.poll_interval.labels(f"redis://:{PASSWORD}@host/0 said {TOKEN}").set(5)
    server = serve(lambda: {"ok": True}, metrics)
    _, _, body = get(server, "/metrics")
    assert "hkexmon_alert_failures_total" in body and "hkexmon_poll_interval_seconds" in body
    for secret in (PASSWORD, TOKEN, "XXXXXXXXXXXXXXXXXXXXXXXX"):
        assert secret not in body


def test_a_stopped_server_answers_no_more() -> None:
    server = HealthServer("127.0.0.1", 0, Metrics(), lambda: {"ok": True})
    server.start()
    address = server.address
    assert http_get(address + "/healthz")[0] == 200
    server.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(address + "/healthz", timeout=5)
