"""Redis loses its memory, dies or comes back: no alert is lost or sent twice; a config reload keeps
the HKEXnews cool-off. The daemon runs in this process against a Redis server of the test's own
(so the test can kill, restart and wipe it) and the stand-ins."""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from conftest import Running, posted_ids, publish_others, publish_results, settings, tally, wait_for
from slackstandin import SlackStandin

from monitor.daemon import Daemon
from monitor.hkexnews.standin import HKEXnewsStandIn


class OwnRedis:
    """A redis-server of this test's own; ``persist`` keeps an append-only file across restarts."""

    def __init__(self, workdir: Path, *, persist: bool) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.workdir, self.persist = workdir, persist
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        keep = ["--appendonly", "yes", "--appendfsync", "always"] if self.persist else ["--appendonly", "no"]
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
                   str(self.workdir), "--save", "", *keep]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._answers, 10, "redis-server to start")

    def _answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None


@pytest.fixture(params=[False, True], ids=["no persistence", "append-only file"])
def own_redis(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server binary to kill and restart a server of its own")
    server = OwnRedis(tmp_path, persist=request.param)
    server.start()
    yield server
    server.kill()


def test_wiped_store_rebuilds_from_slack_without_a_flood(
        hkex: HKEXnewsStandIn, slack_standin: SlackStandin, redis_url: str,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    expected = set(publish_results(hkex, 2) + publish_others(hkex, 4))
    # A real start alerts only the last two hours; these filings are minutes old, so all are alerted.
    daemon = Daemon(settings(hkex, slack_standin, redis_url, daemon={"first_run_hours": 2}))
    with Running(daemon):
        wait_for(lambda: set(posted_ids(slack_standin)) == expected, 45, "the first alerts")
        redis.Redis.from_url(redis_url).flushdb()  # restarted without persistence, or flushed
        fresh = set(publish_others(hkex, 1, start=12540000))
        wait_for(lambda: set(posted_ids(slack_standin)) == expected | fresh, 45,
                 "the filing released after the wipe")
        time.sleep(3)  # several more polls and delivery rounds
    assert daemon.metrics.rebuilding._value.get() >= 2  # the first start, and the wipe
    assert "lost its memory" in caplog.text
    tally("Redis flushed under a running daemon (bot token)", expected | fresh, slack_standin)


def test_redis_killed_and_back(own_redis: OwnRedis, hkex: HKEXnewsStandIn,
                               slack_standin: SlackStandin) -> None:
    expected = set(publish_results(hkex, 1) + publish_others(hkex, 3))
    slack_standin.refuse()  # alerts are enqueued but wait in the store
    daemon = Daemon(settings(hkex, slack_standin, own_redis.url))
    with Running(daemon):
        wait_for(lambda: len(daemon.components.store.pending()) == len(expected), 30,
                 "the alerts to be enqueued")
        own_redis.kill()  # a send claimed just before may complete: the restarted store must not repeat it
        slack_standin.resume()
        time.sleep(2)  # polls, readers and deliveries meet a dead store and skip
        own_redis.start()
        later = set(publish_others(hkex, 1, start=12550000))
        wait_for(lambda: set(posted_ids(slack_standin)) == expected | later, 60,
                 "delivery once Redis is back")
        time.sleep(2)
    what = "append-only file" if own_redis.persist else "restarted empty"
    tally(f"Redis killed while alerts waited, back ({what})", expected | later, slack_standin)


def test_config_reload_keeps_the_hkexnews_cooloff(hkex: HKEXnewsStandIn, slack_standin: SlackStandin,
                                                  redis_url: str, tmp_path: Path) -> None:
    cfg = tmp_path / "w.toml"
    cfg.write_text(f'[[watch]]\ncode = "2512"\n[hkexnews]\nbase_url = "{hkex.base_url}"\ncooloff_s = 60\n'
                   f'retries = 0\nmin_request_interval_s = 0\n[store]\nurl = "{redis_url}"\n'
                   f'[daemon]\nhttp_port = 0\n')
    hkex.fail_requests("lcisehk", 503)  # the CDN blocks us
    daemon = Daemon(settings(hkex, slack_standin, redis_url), config_path=cfg)
    daemon.jobs.poll()
    blocked = len(hkex.requests)
    assert blocked >= 1 and daemon.components.client.cooling_off_for() > 20
    cfg.write_text(cfg.read_text() + '\n[[watch]]\ncode = "20"\n')
    assert daemon.reload_if_changed()
    for _ in range(5):
        daemon.jobs.poll()
    assert len(hkex.requests) == blocked  # not one request to the host during its cool-off
    assert daemon.components.client.cooling_off_for() > 20
    daemon.components.close()
