"""``hkex-monitor doctor`` against the real stand-ins: a good set-up passes; a wrong token, missing scopes,
a missing, archived or unjoined channel, an unreachable Redis or HKEXnews, a stale feed and a bad
config each fail (or warn) on their own line, with what to do, and never print a secret."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from slackstandin import SlackStandin
from waiting import free_port

from monitor.hkexnews.standin import HKEXnewsStandIn
from monitor.ops.doctor import REQUIRED_SCOPES, Check, run_doctor

README = Path(__file__).parents[2] / "README.md"


class FeedAt(HKEXnewsStandIn):
    """The HKEXnews stand-in, with the feed's ``genDate`` set to ``generated`` (unix seconds)."""

    generated = time.time()

    def _route(self, path: str, query: dict[str, list[str]]) -> tuple[bytes | None, str]:
        body, ctype = super()._route(path, query)
        if body is not None and path.startswith("/ncms/json/eds/lci"):
            data = json.loads(body)
            data["genDate"] = str(int(self.generated * 1000))
            body = json.dumps(data).encode()
        return body, ctype


@pytest.fixture
def hkex() -> Iterator[FeedAt]:
    with FeedAt() as standin:
        standin.generated = time.time() - 40
        yield standin


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch, hkex: FeedAt, slack_standin: SlackStandin, redis_url: str) -> None:
    """The environment of a good set-up: Redis, HKEXnews and Slack all answer."""
    monkeypatch.setenv("HKEX_MONITOR_HKEXNEWS_URL", hkex.base_url)
    monkeypatch.setenv("HKEX_MONITOR_STORE_URL", redis_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", slack_standin.token)
    monkeypatch.setenv("SLACK_API_URL", slack_standin.api_url)


def config(tmp_path: Path, *, channel: str = "#results", ops: str = "") -> Path:
    path = tmp_path / "w.toml"
    path.write_text(f'[[watch]]\ncode = "2512"\nchannel = "{channel}"\n[[watch]]\ncode = "0020"\n'
                    f'[slack]\ndefault_channel = "#hkex-filings"\n{ops}')
    return path


def doctor(path: Path | None) -> tuple[int, list[Check]]:
    checks: list[Check] = []
    status = run_doctor(path, emit=checks.append)
    return status, checks


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}




@pytest.mark.usefixtures("live")
def test_good_set_up_passes_every_check(tmp_path: Path, slack_standin: SlackStandin) -> None:
    status, checks = doctor(config(tmp_path))
    assert status == 0, [c.line() for c in checks]
    assert [c.name for c in checks] == ["config", "store", "HKEXnews", "Slack token", "Slack scopes",
                                        "channel #hkex-filings", "channel #results"]
    assert all(c.status == "ok" for c in checks), [c.line() for c in checks]
    found = by_name(checks)
    assert "feed generated 40 s ago" in found["HKEXnews"].detail
    assert "@hkexbot" in found["Slack token"].detail
    assert f"({slack_standin.channel_id('results')})" in found["channel #results"].detail
    # Doctor posts nothing and asks Slack only what it must.
    assert not slack_standin.posts
    assert {r.method for r in slack_standin.requests} == {"auth.test", "conversations.list"}
    assert {r.params.get("types") for r in slack_standin.requests if r.method == "conversations.list"} == {
        "public_channel,private_channel"}


@pytest.mark.usefixtures("live")
def test_wrong_token_fails_with_what_to_do_and_no_secret(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-0000-wrong-Secretish")
    status, checks = doctor(config(tmp_path))
    assert status == 1
    token = by_name(checks)["Slack token"]
    assert token.status == "FAIL" and "invalid_auth" in token.detail and "Bot User OAuth Token" in token.fix
    assert all("Secretish" not in c.line() for c in checks)
    assert [c.name for c in checks][-1] == "Slack token"  # channels are not checked with a bad token


@pytest.mark.usefixtures("live")
def test_missing_archived_and_unjoined_channels_fail_each_on_their_line(tmp_path: Path,
                                                                      slack_standin: SlackStandin) -> None:
    slack_standin.add_channel("old-results", archived=True)
    slack_standin.add_channel("ops", member=False)
    outside = slack_standin.add_channel("by-id", member=False)
    status, checks = doctor(config(tmp_path, channel="#old-results",
                                   ops=f'[ops]\nchannel = "#ops"\n[[watch]]\ncode = "5"\nchannel = "#gone"\n'
                                       f'[[watch]]\ncode = "700"\nchannel = "{outside}"\n'))
    assert status == 1
    found = by_name(checks)
    assert found["channel #gone"].status == "FAIL" and found["channel #gone"].detail == "not found"
    assert "correct the channel in the watchlist" in found["channel #gone"].fix
    archived, unjoined = found["channel #old-results"], found["channel #ops"]
    by_id = found[f"channel {outside}"]
    assert archived.status == "FAIL" and "archived" in archived.detail
    assert unjoined.status == "FAIL" and "/invite @hkexbot" in unjoined.fix
    assert by_id.status == "FAIL" and "not a member" in by_id.detail
    assert found["channel #hkex-filings"].status == "ok"


@pytest.mark.usefixtures("live")
def test_missing_scopes_fail_and_private_ones_warn(tmp_path: Path, slack_standin: SlackStandin) -> None:
    slack_standin.scopes = "chat:write,incoming-webhook"
    status, checks = doctor(config(tmp_path))
    scopes = by_name(checks)["Slack scopes"]
    assert status == 1 and scopes.status == "FAIL"
    assert "missing channels:history, channels:read" in scopes.detail and "Bot Token Scopes" in scopes.fix
    slack_standin.scopes = ",".join(REQUIRED_SCOPES)
    status, checks = doctor(config(tmp_path))
    scopes = by_name(checks)["Slack scopes"]
    assert status == 0 and scopes.status == "warn" and "groups:history, groups:read" in scopes.detail
    # Without groups:read, only public channels are asked for (Slack would refuse the rest).
    listed = [r.params.get("types") for r in slack_standin.requests if r.method == "conversations.list"]
    assert listed and set(listed) == {"public_channel"}


def test_readme_lists_the_scopes_doctor_checks() -> None:
    row = next(line for line in README.read_text().splitlines() if line.startswith("| `SLACK_BOT_TOKEN`"))
    for scope in (*REQUIRED_SCOPES, "groups:history", "groups:read"):
        assert f"`{scope}`" in row


@pytest.mark.usefixtures("live")
def test_unreachable_redis_fails_without_showing_its_password(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HKEX_MONITOR_STORE_URL", f"redis://:Hunter-2@127.0.0.1:{free_port()}/0")
    status, checks = doctor(config(tmp_path))
    store = by_name(checks)["store"]
    assert status == 1 and store.status == "FAIL"
    assert "redis://:***@127.0.0.1" in store.detail and "start Redis" in store.fix
    assert "Hunter-2" not in store.line()
    assert by_name(checks)["Slack token"].status == "ok"  # every check still runs


@pytest.mark.usefixtures("live")
def test_unreachable_hkexnews_fails_and_a_stale_feed_warns(tmp_path: Path, hkex: FeedAt,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    hkex.generated = time.time() - 3 * 3600
    status, checks = doctor(config(tmp_path))
    feed = by_name(checks)["HKEXnews"]
    assert status == 0 and feed.status == "warn" and "generated 3.0 h ago" in feed.detail
    monkeypatch.setenv("HKEX_MONITOR_HKEXNEWS_URL", f"http://127.0.0.1:{free_port()}")
    status, checks = doctor(config(tmp_path))
    feed = by_name(checks)["HKEXnews"]
    assert status == 1 and feed.status == "FAIL" and "cannot read the latest-filings feed" in feed.detail
    assert "HKEX_MONITOR_HKEXNEWS_URL" in feed.fix


def test_a_feed_without_generation_time_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ncms/json/eds/lcisehk1relsde_1.json").respond_with_json(
        {"genDate": "0", "maxNumOfFile": 1, "newsInfoLst": []})
    monkeypatch.setenv("HKEX_MONITOR_HKEXNEWS_URL", httpserver.url_for("/").rstrip("/"))
    feed = by_name(doctor(config(tmp_path))[1])["HKEXnews"]
    assert feed.status == "warn" and "genDate 0" in feed.detail


def test_sqlite_path_that_cannot_be_created_fails(tmp_path: Path, hkex: FeedAt,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("HKEX_MONITOR_HKEXNEWS_URL", hkex.base_url)
    monkeypatch.setenv("HKEX_MONITOR_STORE_URL", f"sqlite:///{blocker}/state.sqlite3")
    status, checks = doctor(config(tmp_path))
    assert status == 1 and by_name(checks)["store"].status == "FAIL"
    monkeypatch.setenv("HKEX_MONITOR_STORE_URL", f"sqlite:///{tmp_path}/new/state.sqlite3")
    status, checks = doctor(config(tmp_path))
    store = by_name(checks)["store"]
    assert store.status == "ok" and "will be created" in store.detail
    assert not (tmp_path / "new").exists()  # doctor writes nothing
    assert by_name(checks)["Slack"].status == "warn"  # console output: fine for a try-out, but said
    assert status == 0


def test_bad_config_exits_2_before_reaching_anything(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[watch]]\ncode = "25x2"\n')
    status, checks = doctor(path)
    assert status == 2 and [c.name for c in checks] == ["config"]
    assert "watch[1]" in checks[0].line() and "25x2" in checks[0].line()


@pytest.mark.usefixtures("live")
def test_doctor_command_prints_one_line_per_check(tmp_path: Path, slack_standin: SlackStandin) -> None:
    run = subprocess.run([sys.executable, "-m", "monitor.cli", "doctor", "--config",
                          str(config(tmp_path, channel="#gone"))],
                         env={**os.environ, "HOME": str(tmp_path)}, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("ok    config") and len(lines) == 7
    assert any(line.startswith("FAIL  channel #gone") and "To fix:" in line for line in lines)
    assert slack_standin.token not in run.stdout + run.stderr and "Traceback" not in run.stderr
