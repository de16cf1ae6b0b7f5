"""What a new user tripped on (issue 21), through the real command: settings that cannot work are
refused by check-config naming the key or variable, and failed by doctor; every message says one true
thing once; the commands they looked for (test-alert, show, --json everywhere, backfill --until) do
what README says."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from slackstandin import SlackStandin

from monitor.cli import main
from monitor.filing import HKT, Filing, FilingKind
from monitor.store import open_store

WATCH = '[[watch]]\ncode = "2512"\nchannel = "#results"\n'


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out = capsys.readouterr()
    return status, out.out, out.err


def config(tmp_path: Path, text: str = WATCH) -> str:
    path = tmp_path / "w.toml"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(("text", "env", "named", "said"), [
    (WATCH, {"SLACK_WEBHOOK_URL": "not-a-url"}, "SLACK_WEBHOOK_URL", "host hooks.slack.com"),  # the
    # shape is said in words: an example URL would be masked as a secret ("such as ***")
    (WATCH, {"SLACK_BOT_TOKEN": "not a token"}, "SLACK_BOT_TOKEN", "Slack bot token"),
    ('[[watch]]\ncode = "2512"\nchannel = "hk-results"\n', {}, "channel", 'write "#hk-results"'),
    ('[[watch]]\ncode = "2512"\nchannel = "#Bad Channel!"\n', {}, "channel", "a Slack channel"),
    ('[slack]\ndefault_channel = "general"\n' + WATCH, {}, "slack.default_channel", 'write "#general"'),
    ("[schedule]\nlearning_s = 5\n", {}, "no [[watch]] entry", "watches nothing"),
    ('watch = "2512"\n', {}, "watch", "a list of [[watch]] tables"),
    (WATCH + '[store]\nurl = "redis://:s3cret@127.0.0.1:6379/0"\n', {}, "store.url",
     "HKEX_MONITOR_STORE_URL"),
    (WATCH, {"HKEX_MONITOR_HTTP_HOST": "999.1.1.1"}, "HKEX_MONITOR_HTTP_HOST", "not an IP address"),
])
def test_settings_that_cannot_work_are_refused_naming_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        text: str, env: dict[str, str], named: str, said: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    status, _, err = run(["check-config", "--config", config(tmp_path, text)], capsys)
    assert status == 2 and named in err and said in err, err
    assert "s3cret" not in err and "not a token" not in err and "Traceback" not in err


def test_config_errors_are_json_lines_under_log_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SLACK_WEBHOOK_URL", "not-a-url")
    status, _, err = run(["check-config", "--log-json", "--config", config(tmp_path)], capsys)
    [line] = err.strip().splitlines()
    record = json.loads(line)
    assert status == 2 and record["level"] == "ERROR" and "SLACK_WEBHOOK_URL" in record["message"]


def test_doctor_fails_a_store_that_cannot_be_created(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    cfg = config(tmp_path, WATCH + '[store]\nurl = "sqlite:///proc/nope/x.sqlite3"\n')
    status, out, _ = run(["doctor", "--config", cfg], capsys)
    store_line = next(line for line in out.splitlines() if " store " in f" {line} ")
    assert status == 1 and store_line.startswith("FAIL") and "cannot be created" in store_line


def test_doctor_names_a_redis_database_out_of_range(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    cfg = config(tmp_path, WATCH + '[store]\nurl = "redis://127.0.0.1:6379/99"\n')
    status, out, _ = run(["doctor", "--config", cfg], capsys)
    store_line = next(line for line in out.splitlines() if " store " in f" {line} ")
    assert status == 1 and "database number" in store_line and "start Redis" not in store_line


def test_calendar_refuses_a_negative_number_of_days(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["calendar", "--days", "-3", "--config", config(tmp_path)])
    assert exit_.value.code == 2 and "0 or more" in capsys.readouterr().err


def test_alerts_reroute_help_is_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["alerts", "reroute", "--help"])
    text = capsys.readouterr().out
    assert "Move pending alerts from a channel" in text and "`list` shows each" not in text


def test_alerts_retry_of_an_alert_that_is_not_there_says_so(
        tmp_path: Path, redis_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = config(tmp_path, WATCH + f'[store]\nurl = "{redis_url}"\n')
    status, out, err = run(["alerts", "retry", "999", "--config", cfg], capsys)
    assert status == 1 and "999: no such pending alert" in err and "will be tried" not in out


def test_alerts_retry_ends_the_backoff_after_slack_failed_but_never_a_retry_after(
        tmp_path: Path, redis_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from monitor.delivery.gate import RATE_LIMIT_PAUSE, TROUBLE_PAUSE

    cfg = config(tmp_path, WATCH + f'[store]\nurl = "{redis_url}"\n')
    store = open_store(redis_url)
    store.pause(TROUBLE_PAUSE, 60)
    store.pause(RATE_LIMIT_PAUSE, 60)
    status, out, _ = run(["alerts", "retry", "--config", cfg], capsys)
    assert status == 0 and "the backoff after Slack failed is ended" in out
    assert store.paused_for(TROUBLE_PAUSE) == 0 and store.paused_for(RATE_LIMIT_PAUSE) > 50
    store.close()


def test_alerts_list_json_says_who_holds_what(tmp_path: Path, redis_url: str,
                                              make_filing: Callable[..., Filing],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(redis_url)
    waiting, held = make_filing("2025082700001"), make_filing("2025082700002")
    store.enqueue(waiting, "#results")
    store.enqueue(held, "#results")
    store.beat("host:1:abc", 30)
    assert store.claim(held.id, "#results", "host:1:abc", 30) is not None
    store.close()
    cfg = config(tmp_path, WATCH + f'[store]\nurl = "{redis_url}"\n')
    status, out, _ = run(["alerts", "list", "--json", "--config", cfg], capsys)
    listed = {a["id"]: a for a in json.loads(out)["alerts"]}
    assert status == 0 and set(listed) == {waiting.id, held.id}
    assert listed[held.id]["holder"] == "host:1:abc" and listed[held.id]["holder_alive"] is True
    assert listed[waiting.id]["holder"] is None and listed[waiting.id]["state"] == "waiting"


def test_parse_errors_are_json_and_name_the_file_once(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notpdf.pdf"
    bad.write_text("<html>not found</html>")
    status, out, _ = run(["parse", str(bad), "--json"], capsys)
    answer = json.loads(out)
    assert status == 1 and answer["file"] == str(bad) and "not a PDF" in answer["error"]
    status, _, err = run(["parse", str(bad)], capsys)
    assert status == 1 and err.count("notpdf.pdf") == 1


def test_test_alert_posts_one_marked_message_and_says_where(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slack_standin: SlackStandin,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", slack_standin.token)
    monkeypatch.setenv("SLACK_API_URL", slack_standin.api_url)
    status, _, err = run(["test-alert", "--channel", "#results", "--config", config(tmp_path)], capsys)
    [post] = slack_standin.posts
    assert status == 0 and "test alert" in post.text.lower() \
           and post.channel == slack_standin.channel_id("results")
    assert "test alert posted to #results" in err and post.ts in err
    status, _, err = run(["test-alert", "--channel", "#gone", "--config", config(tmp_path)], capsys)
    assert status == 1 and "not posted" in err and "channel_not_found" in err and "doctor" in err


def test_test_alert_on_the_console(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["test-alert", "--config", config(tmp_path)], capsys)
    assert status == 0 and "HKEX monitor: test alert" in out and "the console" in err


def test_show_lists_what_the_store_keeps_of_a_stock(
        tmp_path: Path, redis_url: str, make_filing: Callable[..., Filing],
        capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(redis_url)
    released = datetime(2025, 8, 27, 18, tzinfo=HKT)
    results = make_filing("2025082700011", codes=("02512",), released_at=released)
    report = {"document": "results", "kind": "interim", "months": 6, "period_end": "2025-06-30",
              "currency": "RMB", "metrics": {"revenue": {"current": 406_759_000, "prior": 369_696_000}}}
    store.save_report(results, report)
    unread = make_filing("2025082700012", codes=("02512",), released_at=released + timedelta(minutes=5),
                         kind=FilingKind.OTHER)
    store.save_report(unread, {"document": "results", "error": "the PDF is encrypted"})
    store.close()
    cfg = config(tmp_path, WATCH + f'[store]\nurl = "{redis_url}"\n')
    status, out, _ = run(["show", "2512", "--config", cfg], capsys)
    assert status == 0 and "revenue RMB 406.8m (+10.0%)" in out and results.url in out
    assert "Documents not read" in out and "the PDF is encrypted" in out
    status, out, _ = run(["show", "2512", "--json", "--config", cfg], capsys)
    shown = json.loads(out)
    assert status == 0 and [r["filing_id"] for r in shown["results"]] == [results.id]
    assert shown["results"][0]["read"]["metrics"]["revenue"]["current"] == 406_759_000
    assert [u["filing_id"] for u in shown["unread"]] == [unread.id]
