"""A cycle when parts fail: Redis down, HKEXnews down, Slack down, unreadable documents.

Real parts throughout: a Redis server this test starts and stops (with an append-only file, so
its data survives the restart), the HKEXnews and Slack stand-ins, real PDFs.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import redis
from pydantic import SecretStr
from slackstandin import Fail, SlackStandin

from monitor.daemon import Daemon
from monitor.filing import HKT
from monitor.hkexnews.standin import HKEXnewsStandIn, StandInFiling
from monitor.settings import Settings

FIXTURES = Path(__file__).parents[1] / "fixtures"
SENSETIME = (FIXTURES / "0020-sensetime-interim-2025.pdf").read_bytes()
CLOUD_FACTORY = (FIXTURES / "2512-cloud-factory-interim-2025.pdf").read_bytes()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OwnRedis:
    """A redis-server of this test's own, persisting to an append-only file in ``workdir``."""

    def __init__(self, workdir: Path) -> None:
        self.port = _free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.workdir),
             "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("own redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server binary to stop and restart a server of its own")
    server = OwnRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def settings_for(hkex_url: str, slack: SlackStandin, store_url: str, **daemon: object) -> Settings:
    return Settings.model_validate({
        "watch": [{"code": "2512"}, {"code": "0020"}],
        "hkexnews": {"base_url": hkex_url, "min_request_interval_s": 0, "backoff_s": 0.01, "retries": 1,
                     "cooloff_s": 0.5},
        "slack": {"api_url": slack.api_url, "bot_token": slack.token, "max_retries": 0},
        "store": {"url": store_url, "lease_s": 5},
        "daemon": {"http_port": 0, **daemon},
    })


def publish_results(hkex: HKEXnewsStandIn) -> None:
    now = datetime.now(HKT)
    hkex.publish(StandInFiling(12200001, [("00020", "SENSETIME-W"), ("80020", "SENSETIME-WR")],
                               "INTERIM RESULTS ANNOUNCEMENT", "Interim Results", "13400",
                               now - timedelta(minutes=2),
                               "/listedco/listconews/sehk/2026/1121/2026112100501.pdf", SENSETIME))
    hkex.publish(StandInFiling(12200002, [("02512", "CLOUD FACTORY")], "ANNOUNCEMENT OF INTERIM RESULTS",
                               "Interim Results", "13400", now - timedelta(minutes=1),
                               "/listedco/listconews/sehk/2026/1121/2026112100502.pdf", CLOUD_FACTORY))


@pytest.fixture
def hkex() -> Iterator[HKEXnewsStandIn]:
    with HKEXnewsStandIn() as standin:
        yield standin


def test_redis_down_skips_the_cycle_and_pending_alerts_go_out_once_it_is_back(
        own_redis: OwnRedis, hkex: HKEXnewsStandIn) -> None:
    publish_results(hkex)
    with SlackStandin() as slack:
        daemon = Daemon(settings_for(hkex.base_url, slack, own_redis.url))
        slack.down = True
        first = daemon.one_round()
        assert first is not None and first.ok and first.enqueued == 2 and first.pending == 2
        assert slack.posts == []

        own_redis.stop()
        slack.down = False
        skipped = daemon.one_round()
        assert skipped is not None and not skipped.ok and "store unavailable" in (skipped.reason or "")
        assert slack.posts == []  # never "send without dedupe"
        assert daemon.metrics.store_errors._value.get() == 1

        own_redis.start()  # same append-only file: the pending alerts are still there
        back = daemon.one_round()
        assert back is not None and back.ok and back.sent == 2 and back.pending == 0
        again = daemon.one_round()
        assert again is not None and again.sent == 0
        assert len(slack.posts) == 2
        assert any("RMB 2,358.2m" in p.text for p in slack.read_to("#hkex-filings"))
        daemon.components.close()


def test_hkexnews_down_skips_the_poll_but_still_delivers_what_is_pending(
        redis_url: str, hkex: HKEXnewsStandIn) -> None:
    publish_results(hkex)
    with SlackStandin() as slack:
        daemon = Daemon(settings_for(hkex.base_url, slack, redis_url))
        slack.fail("chat.postMessage", Fail.server_error(503), times=2)
        first = daemon.one_round()
        # Slack in trouble: one probe, and the rest of the round waits for the gate's next one.
        assert first is not None and first.ok and first.failed == 1 and first.pending == 2
        hkex.stop()
        second = daemon.one_round()
        assert second is not None and not second.ok  # the poll failed: not "no new filings"
        assert second.reason and "127.0.0.1" in second.reason
        assert second.sent == 2 and second.pending == 0
        assert len(slack.posts) == 2
        assert daemon.metrics.polls.labels("source_error")._value.get() == 1
        daemon.components.close()


def test_unreadable_documents_still_alert_with_the_reason(redis_url: str, hkex: HKEXnewsStandIn) -> None:
    now = datetime.now(HKT)
    hkex.publish(StandInFiling(12200003, [("02512", "CLOUD FACTORY")], "INTERIM RESULTS (corrupt)",
                               "Interim Results", "13400", now, "/listedco/listconews/sehk/2026/1121/a.pdf",
                               b"%PDF-1.7\n" + b"\x00garbage" * 100))
    hkex.publish(StandInFiling(12200004, [("00020", "SENSETIME-W")], "INTERIM RESULTS (not a pdf)",
                               "Interim Results", "13400", now, "/listedco/listconews/sehk/2026/1121/b.pdf",
                               b"<html>Service unavailable</html>"))
    with SlackStandin() as slack:
        daemon = Daemon(settings_for(hkex.base_url, slack, redis_url))
        outcome = daemon.one_round()
        assert outcome is not None and outcome.ok and outcome.sent == 2, outcome
        texts = {p.text for p in slack.read_to("#hkex-filings")}  # as they read after their edit
        assert len(texts) == 2
        assert all("a.pdf" in t or "b.pdf" in t for t in texts)
        corrupt = next(t for t in texts if "a.pdf" in t)
        not_pdf = next(t for t in texts if "b.pdf" in t)
        assert "PDF" in corrupt or "pdf" in corrupt
        assert "not a PDF" in not_pdf or "PDF" in not_pdf
        daemon.components.close()


def test_document_that_is_gone_alerts_at_once_with_the_reason(redis_url: str, hkex: HKEXnewsStandIn) -> None:
    hkex.publish(StandInFiling(12200005, [("02512", "CLOUD FACTORY")], "INTERIM RESULTS (missing)",
                               "Interim Results", "13400", datetime.now(HKT),
                               "/listedco/listconews/sehk/2026/1121/gone.pdf", None))
    with SlackStandin() as slack:
        daemon = Daemon(settings_for(hkex.base_url, slack, redis_url, download_give_up_s=3600))
        outcome = daemon.one_round()  # a 404 will not mend: no waiting for download_give_up_s
        assert outcome is not None and outcome.sent == 1 and outcome.pending == 0
        [message] = slack.read_to("#hkex-filings")
        assert "HTTP 404" in message.text and "gone.pdf" in message.text
        daemon.components.close()


def test_unreachable_document_waits_for_a_later_try_then_goes_out_without_figures(
        redis_url: str, hkex: HKEXnewsStandIn) -> None:
    hkex.publish(StandInFiling(12200006, [("02512", "CLOUD FACTORY")], "ANNOUNCEMENT OF INTERIM RESULTS",
                               "Interim Results", "13400", datetime.now(HKT),
                               "/listedco/listconews/sehk/2026/1121/flaky.pdf", CLOUD_FACTORY))
    hkex.fail_requests("flaky.pdf", 502)  # HKEXnews cannot serve it now: it may later
    with SlackStandin() as slack:
        settings = settings_for(hkex.base_url, slack, redis_url, download_give_up_s=3600)
        settings = settings.model_copy(update={"store": settings.store.model_copy(update={"lease_s": 1})})
        waiting = Daemon(settings)
        outcome = waiting.one_round()
        assert outcome is not None and outcome.sent == 0 and outcome.pending == 1
        waiting.components.close()
        time.sleep(1.2)  # the document's lease runs out: any instance may try it again
        giving_up = Daemon(settings.model_copy(update={"daemon": settings.daemon.model_copy(
            update={"download_give_up_s": 0})}))
        outcome = giving_up.one_round()
        assert outcome is not None and outcome.sent == 1 and outcome.pending == 0
        [first_notice] = slack.posts  # announced at once; the reason replaced "figures coming" in place
        message = slack.message("#hkex-filings", first_notice.ts)
        assert message is not None and "could not be downloaded" in message.text and "502" in message.text
        giving_up.components.close()


def test_bad_credentials_are_tried_once_per_cycle_not_once_per_document(
        redis_url: str, hkex: HKEXnewsStandIn) -> None:
    publish_results(hkex)  # two results documents, each parsed and delivered in turn
    with SlackStandin() as slack:
        settings = settings_for(hkex.base_url, slack, redis_url)
        settings = settings.model_copy(update={"slack": settings.slack.model_copy(
            update={"bot_token": SecretStr("xoxb-revoked")})})
        daemon = Daemon(settings)
        outcome = daemon.one_round()
        assert outcome is not None and outcome.read == 2 and outcome.sent == 0 and outcome.pending == 2
        # One request for the whole cycle: on a first start the history check meets the bad token first.
        assert [r.method for r in slack.requests] == ["conversations.list"]  # resolving the channel
        assert slack.posts == []
        daemon.components.close()
