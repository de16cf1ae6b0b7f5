"""What one configuration builds (``monitor.daemon.components``), built for real on a real Redis (and
SQLite where closing must show) with the Slack stand-in: Slack's transports pass the cluster's gate and
the console none; alerts are announced first only with a bot token; what a process keeps across
reloads is shared by every build; retired components close when the last step using them ends."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from slackstandin import SlackStandin

from monitor.daemon.components import Components, Lasting, build, instance_id
from monitor.delivery import OpenGate, SlackGate
from monitor.delivery.gate import RATE_LIMIT_PAUSE
from monitor.errors import StoreError
from monitor.filing import Filing, FilingKind
from monitor.metrics import Metrics
from monitor.settings import Settings
from monitor.store import DeliveryState

MakeFiling = Callable[..., Filing]
Build = Callable[..., Components]
CH = "#hkex-filings"


def parse_nothing(data: bytes, reader: str) -> dict[str, Any]:
    raise AssertionError("no document is read in these tests")


def settings(store_url: str, slack: dict[str, Any] | None = None, **daemon: Any) -> Settings:
    return Settings.model_validate({
        "watch": [{"code": "20", "alert_on": "all"}],
        "slack": {"max_retries": 0, "timeout_s": 2, "min_post_interval_s": 0, **(slack or {})},
        "store": {"url": store_url, "namespace": "comp"},
        "daemon": {"http_port": 0, **daemon},
    })


def bot(slack: SlackStandin, **more: Any) -> dict[str, Any]:
    return {"api_url": slack.api_url, "bot_token": slack.token, **more}


def webhook(slack: SlackStandin) -> dict[str, Any]:
    return {"webhook_url": slack.webhook_url}


@pytest.fixture
def make(redis_url: str) -> Iterator[Build]:
    built: list[Components] = []

    def make_components(slack: dict[str, Any] | None = None, *, parse: Any = parse_nothing,
                        store_url: str = redis_url, **kw: Any) -> Components:
        daemon = kw.pop("daemon", {})
        comps = build(settings(store_url, slack, **daemon), Metrics(), stop=threading.Event(),
                      owner=instance_id(), parse=parse, **kw)
        built.append(comps)
        return comps

    yield make_components
    for comps in built:
        comps.close()


# -- the gate -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["bot", "webhook"])
def test_slacks_transports_pass_the_clusters_gate(mode: str, make: Build, slack_standin: SlackStandin,
                                                  make_filing: MakeFiling) -> None:
    slack = bot(slack_standin) if mode == "bot" else webhook(slack_standin)
    comps = make(slack, wait_out_pauses=False)  # as `once` builds them: a long pause is not waited out
    assert isinstance(comps.deliverer.gate, SlackGate)
    comps.store.pause(RATE_LIMIT_PAUSE, 600)  # another instance was told to wait by Slack
    comps.store.enqueue(make_filing(kind=FilingKind.OTHER), CH)
    outcome = comps.deliverer.deliver_pending()
    assert outcome.sent == 0 and slack_standin.posts == []  # nothing goes out inside the cluster's pause
    comps.store.clear_pause(RATE_LIMIT_PAUSE)
    assert comps.deliverer.deliver_pending().sent == 1 and len(slack_standin.posts) == 1


def test_the_console_passes_no_gate(make: Build, make_filing: MakeFiling) -> None:
    out = io.StringIO()
    comps = make(stream=out)
    assert isinstance(comps.deliverer.gate, OpenGate)
    comps.store.pause(RATE_LIMIT_PAUSE, 600)  # a Slack pause says nothing about the console
    comps.store.enqueue(make_filing(kind=FilingKind.OTHER), CH)
    assert comps.deliverer.deliver_pending().sent == 1
    assert f"── to {CH} ──" in out.getvalue()


# -- announcing first ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("mode", "announces"), [
    ("bot", True), ("bot, announce_first = false", False), ("webhook", False), ("console", False),
])
def test_only_a_bot_token_announces_first(mode: str, announces: bool, make: Build,
                                          slack_standin: SlackStandin, make_filing: MakeFiling) -> None:
    out = io.StringIO()
    slack = {"bot": bot(slack_standin), "webhook": webhook(slack_standin), "console": None,
             "bot, announce_first = false": bot(slack_standin, announce_first=False)}[mode]
    comps = make(slack, stream=out)
    assert comps.deliverer.announce_first is announces
    results = make_filing(kind=FilingKind.INTERIM_RESULTS)  # its document is not read yet
    comps.store.enqueue(results, CH)
    outcome = comps.deliverer.deliver_pending()
    if announces:
        assert outcome.announced == 1 and len(slack_standin.posts) == 1
        assert "figures coming" in slack_standin.posts[0].text
        assert comps.store.state(results.id, CH) is DeliveryState.ANNOUNCED
    else:
        assert outcome.sent == outcome.announced == 0
        assert slack_standin.posts == [] and out.getvalue() == ""  # the one message waits for the figures
        assert comps.store.state(results.id, CH) is DeliveryState.NEW


@pytest.mark.parametrize(("mode", "verifies"), [("bot", True), ("webhook", False), ("console", False)])
def test_alerts_are_checked_against_slack_only_where_history_can_be_read(
        mode: str, verifies: bool, make: Build, slack_standin: SlackStandin) -> None:
    slack = {"bot": bot(slack_standin), "webhook": webhook(slack_standin), "console": None}[mode]
    comps = make(slack)
    assert comps.transport.reads_history is verifies and comps.intake.can_verify is verifies


# -- what lasts across reloads ------------------------------------------------------------------------
def test_what_a_process_keeps_is_shared_by_every_build(make: Build) -> None:
    lasting = Lasting()
    first, second = make(lasting=lasting), make(lasting=lasting)
    for comps in (first, second):
        assert comps.discovery.stock_ids is lasting.stock_ids
        assert comps.intake.cadence is lasting.cadence
    assert first.store is not second.store and first.client is not second.client  # the rest is new
    assert make().intake.cadence is not lasting.cadence  # a build without it gets its own


def test_the_parse_pool_is_kept_while_its_settings_hold(make: Build) -> None:
    first = make(parse=None)  # warm parse workers (started when the first document comes)
    pool = first.parse_pool
    assert pool is not None and first.reader.parse == pool.parse
    assert make(parse=None, parse_pool=pool).parse_pool is pool
    changed = make(parse=None, parse_pool=pool, daemon={"parse_timeout_s": 30}).parse_pool
    assert changed is not None and changed is not pool and not pool.closed  # the old one closes on retire
    in_process = make(parse=parse_nothing)
    assert in_process.parse_pool is None and in_process.reader.parse is parse_nothing


def test_instance_ids_are_unique() -> None:
    ids = {instance_id() for _ in range(50)}
    assert len(ids) == 50 and all(i.count(":") == 2 for i in ids)


# -- retiring ----------------------------------------------------------------------------------------
@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/state.sqlite3"  # a closed SQLite store refuses every call: closing shows


def test_retired_components_close_when_the_last_step_ends(make: Build, sqlite_url: str) -> None:
    comps = make(parse=None, store_url=sqlite_url)
    pool = comps.parse_pool
    assert pool is not None
    with comps.in_use():
        with comps.in_use():
            comps.retire(keep_pool=False)
            comps.store.ping()  # a step still running keeps its components
        comps.store.ping()
        assert not pool.closed
    assert pool.closed
    with pytest.raises(StoreError):
        comps.store.ping()


def test_unused_components_close_at_once_on_retire(make: Build, sqlite_url: str) -> None:
    comps = make(parse=None, store_url=sqlite_url)
    comps.retire(keep_pool=True)
    with pytest.raises(StoreError):
        comps.store.ping()
    assert comps.parse_pool is not None and not comps.parse_pool.closed  # kept for the new components


def test_a_step_in_another_thread_keeps_them_until_it_ends(make: Build, sqlite_url: str) -> None:
    comps = make(store_url=sqlite_url)
    started, finish = threading.Event(), threading.Event()
    answers: list[str] = []

    def step() -> None:
        with comps.in_use() as mine:
            started.set()
            finish.wait(30)
            mine.store.ping()
            answers.append("ok")

    thread = threading.Thread(target=step)
    thread.start()
    assert started.wait(30)
    comps.retire(keep_pool=False)
    finish.set()
    thread.join(30)
    assert answers == ["ok"]
    with pytest.raises(StoreError):
        comps.store.ping()
