"""Watchlist config: validation into a frozen object, clear errors, environment overrides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from monitor.errors import ConfigError
from monitor.settings import load_settings, normalise_code

EXAMPLE = Path(__file__).parents[2] / "config" / "watchlist.example.toml"


@pytest.mark.parametrize(("raw", "code"), [("2512", "02512"), ("0020", "00020"), ("20", "00020"),
                                           (20, "00020"), ("80020", "80020"), (" 700 ", "00700")])
def test_codes_normalise_to_five_digits(raw: object, code: str) -> None:
    assert normalise_code(raw) == code


@pytest.mark.parametrize("raw", ["", "0", "123456", "07OO", "NaN", "2512.HK", "-20"])
def test_bad_codes_are_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="stock code"):
        normalise_code(raw)


def test_example_file_is_valid_and_frozen() -> None:
    s = load_settings(EXAMPLE, env={})
    assert [w.code for w in s.watch] == ["02512", "00020"]
    assert s.watch[0].channel == "#hk-results" and s.watch[1].alert_on == "all"
    assert s.channel_for(s.watch[1]) == s.slack.default_channel
    assert s.slack.mode == "console"
    with pytest.raises(ValidationError):
        s.watch[0].code = "00001"  # type: ignore[misc]


def test_embedded_defaults_need_no_redis_and_no_slack() -> None:
    s = load_settings(None, env={})
    assert s.store.url.startswith("sqlite://")
    assert s.slack.mode == "console"
    assert {w.code for w in s.watch} == {"02512", "00020"}


def test_environment_overrides_file(tmp_path: Path) -> None:
    cfg = tmp_path / "w.toml"
    cfg.write_text('[[watch]]\ncode = "5"\n[store]\nurl = "sqlite:///x.db"\n')
    s = load_settings(cfg, env={"HKEX_MONITOR_HKEXNEWS_URL": "http://127.0.0.1:9/",
                                "HKEX_MONITOR_STORE_URL": "redis://127.0.0.1:6379/3",
                                "SLACK_BOT_TOKEN": "xoxb-secret-value", "SLACK_API_URL": "http://127.0.0.1:8"})
    assert s.hkexnews.base_url == "http://127.0.0.1:9"
    assert s.store.url == "redis://127.0.0.1:6379/3"
    assert s.slack.mode == "bot" and s.slack.api_url == "http://127.0.0.1:8/"
    assert "xoxb-secret-value" not in repr(s) and "xoxb-secret-value" not in str(s.model_dump())


def _error_for(tmp_path: Path, text: str) -> str:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_settings(cfg, env={})
    return str(info.value)


def test_bad_code_names_file_entry_value_and_expectation(tmp_path: Path) -> None:
    msg = _error_for(tmp_path, '[[watch]]\ncode = "2512"\n[[watch]]\ncode = "25x2"\n')
    assert str(tmp_path / "bad.toml") in msg
    assert "watch[2]" in msg and "'25x2'" in msg and "1 to 5 digits" in msg


def test_unknown_key_and_bad_enum_are_named(tmp_path: Path) -> None:
    text = '[[watch]]\ncode = "2512"\nalert_on = "everything"\n[schedule]\nin_windw_s = 5\n'
    msg = _error_for(tmp_path, text)
    assert "watch[1] (code '2512').alert_on" in msg and "'everything'" in msg
    assert '"results", "all" or a list of kinds' in msg and "board_meeting" in msg
    assert "schedule.in_windw_s" in msg and "unknown key" in msg


def test_duplicate_codes_and_bad_numbers(tmp_path: Path) -> None:
    msg = _error_for(tmp_path, '[[watch]]\ncode = "20"\n[[watch]]\ncode = "0020"\n')
    assert "00020 is listed twice" in msg
    msg = _error_for(tmp_path, '[schedule]\nin_window_s = 0\n')
    assert "schedule.in_window_s" in msg and "greater than or equal to 1" in msg


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    assert "not valid TOML" in _error_for(tmp_path, "[[watch]\ncode=")
    with pytest.raises(ConfigError, match="no such file"):
        load_settings(tmp_path / "nope.toml", env={})


def test_secrets_in_file_are_refused(tmp_path: Path) -> None:
    msg = _error_for(tmp_path, '[slack]\nbot_token = "xoxb-1"\n')
    assert "slack.bot_token" in msg and "SLACK_BOT_TOKEN" in msg


def test_bad_store_url(tmp_path: Path) -> None:
    msg = _error_for(tmp_path, '[store]\nurl = "postgres://x"\n')
    assert "store.url" in msg and "redis://" in msg


def test_alert_kinds_are_the_filing_kinds() -> None:
    from monitor.filing import FilingKind
    from monitor.settings import ALERT_KINDS

    assert set(ALERT_KINDS) == {k.value for k in FilingKind} | {"results"}


@pytest.mark.parametrize(("alert_on", "hears", "not_hears"), [
    ("results", {"final_results", "interim_results", "quarterly_results", "profit_warning"},
     {"board_meeting", "monthly_return", "other"}),
    ("all", {"monthly_return", "other", "board_meeting", "interim_results"}, set()),
    (["board_meeting", "results"], {"board_meeting", "final_results", "quarterly_results"},
     {"profit_warning", "monthly_return"}),
    (["monthly_return"], {"monthly_return"}, {"interim_results", "other"}),
])
def test_alert_on_kinds(tmp_path: Path, alert_on: object, hears: set[str], not_hears: set[str]) -> None:
    from monitor.settings import settings_from_mapping

    s = settings_from_mapping({"watch": [{"code": "5", "alert_on": alert_on}]}, env={})
    assert hears <= s.watch[0].kinds and not (not_hears & s.watch[0].kinds)


def test_alert_on_unknown_kind_is_named(tmp_path: Path) -> None:
    message = _error_for(tmp_path, '[[watch]]\ncode = "5"\nalert_on = ["results", "boardmeeting"]\n')
    assert "alert_on" in message and "boardmeeting" in message and "board_meeting" in message


def test_first_run_hours_from_environment(tmp_path: Path) -> None:
    cfg = tmp_path / "w.toml"
    cfg.write_text('[[watch]]\ncode = "5"\n')
    assert load_settings(cfg, env={}).daemon.first_run_hours == 2
    assert load_settings(cfg, env={"HKEX_MONITOR_FIRST_RUN_HOURS": "0"}).daemon.first_run_hours == 0


@pytest.mark.parametrize("value", ["24:00", "8", "noon"])
def test_times_of_day_are_checked(tmp_path: Path, value: str) -> None:
    message = _error_for(tmp_path, f'[[watch]]\ncode = "5"\n[digest]\ntime = "{value}"\n')
    assert "digest.time" in message and "HH:MM" in message


# -- secrets never appear in a configuration error, under any key ----------------------------------
TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp"
WEBHOOK = "https://hooks.slack.com/services/T0AAAA/B0BBBB/c0ffeeSecretPart"


@pytest.mark.parametrize(("text", "key"), [
    (f'[slack]\nslack_bot_token = "{TOKEN}"\n', "slack.slack_bot_token"),  # the misspelling of issue 11
    (f'[slack]\nhook = "{WEBHOOK}"\n', "slack.hook"),
    (f'[[watch]]\ncode = "5"\nbot_token = "{TOKEN}"\n', "watch[1] (code '5').bot_token"),
    (f'[slak]\nbot_token = "{TOKEN}"\n', "slak"),  # an unknown section
    (f'[extra]\nlist = ["ok", "{TOKEN}"]\n', "extra"),
    (f'[slack.more]\ndeeper = {{ token = "{TOKEN}" }}\n', "slack.more"),  # nested tables
    (f'[[watch]]\ncode = "5"\nalert_on = ["results", "{TOKEN}"]\n', "alert_on"),  # inside a list value
    (f'[[watch]]\ncode = "{TOKEN}"\n', "watch[1]"),  # a value some validator quotes back
    (f'[schedule]\nin_window_s = "{WEBHOOK}"\n', "schedule.in_window_s"),
    ('[store]\npassword = "hunter2-not-a-token"\n', "store.password"),  # recognisable only by its key
    ('[store]\nurl = "postgres://me:hunter2-not-a-token@db/x"\n', "store.url"),
    ('[store]\nurl = "mysql://db/x?password=hunter2-not-a-token"\n', "store.url"),
    (f'store = "{TOKEN}"\n', "store"),  # a section given as a value
])
def test_configuration_errors_never_show_a_secret(tmp_path: Path, text: str, key: str) -> None:
    message = _error_for(tmp_path, text)
    for secret in (TOKEN, TOKEN[:12], WEBHOOK, "c0ffeeSecretPart", "hunter2"):
        assert secret not in message
    assert key in message and str(tmp_path / "bad.toml") in message


def test_a_misspelled_secret_key_says_where_secrets_go(tmp_path: Path) -> None:
    message = _error_for(tmp_path, f'[slack]\nslack_bot_token = "{TOKEN}"\n')
    assert "unknown key" in message and "SLACK_BOT_TOKEN" in message and "environment" in message


def test_env_secret_is_not_shown_when_another_env_value_is_wrong(tmp_path: Path) -> None:
    cfg = tmp_path / "w.toml"
    cfg.write_text('[[watch]]\ncode = "5"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(cfg, env={"SLACK_BOT_TOKEN": TOKEN, "HKEX_MONITOR_STORE_URL": "postgres://u:pw9@h/0"})
    assert TOKEN not in str(info.value) and "pw9" not in str(info.value)


# -- an invalid environment value is blamed on the environment variable ---------------------------
@pytest.mark.parametrize(("name", "value", "key"), [
    ("HKEX_MONITOR_STORE_URL", "postgres://db/0", "store.url"),
    ("HKEX_MONITOR_HKEXNEWS_URL", "www1.hkexnews.hk", "hkexnews.base_url"),
    ("HKEX_MONITOR_FIRST_RUN_HOURS", "two", "daemon.first_run_hours"),
    ("HKEX_MONITOR_HTTP_PORT", "70000", "daemon.http_port"),
    ("SLACK_API_URL", "slack.com/api", "slack.api_url"),
])
def test_bad_environment_value_names_the_variable(tmp_path: Path, name: str, value: str, key: str) -> None:
    cfg = tmp_path / "w.toml"
    cfg.write_text('[[watch]]\ncode = "5"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(cfg, env={name: value})
    message = str(info.value)
    assert message.startswith(f"environment variable {name} = {value!r}: "), message
    assert f"overrides key '{key}' of {cfg}" in message


def test_bad_file_value_is_still_blamed_on_the_file(tmp_path: Path) -> None:
    message = _error_for(tmp_path, '[daemon]\nhttp_port = "x"\n')
    assert message.startswith(f"{tmp_path / 'bad.toml'}: key 'daemon.http_port' = 'x'")
    assert "environment variable" not in message


def test_http_endpoint_from_environment(tmp_path: Path) -> None:
    cfg = tmp_path / "w.toml"
    cfg.write_text('[[watch]]\ncode = "5"\n[daemon]\nhttp_port = 9200\n')
    s = load_settings(cfg, env={"HKEX_MONITOR_HTTP_HOST": "0.0.0.0", "HKEX_MONITOR_HTTP_PORT": "9300\n"})
    assert (s.daemon.http_host, s.daemon.http_port) == ("0.0.0.0", 9300)
    assert load_settings(cfg, env={}).daemon.http_port == 9200


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            keys += _keys(kind, f"{name}.")
        else:
            keys.append(prefix + name)
    return keys


def test_example_file_explains_every_key() -> None:
    """Each setting appears in the example, set or commented out, in its own table; the secrets are
    named only as environment variables; and the values it shows are the defaults, as it says."""
    from monitor.settings import Settings, Watch

    text = EXAMPLE.read_text()
    sections: dict[str, str] = {}
    current = ""
    for line in text.splitlines():
        header = re.match(r"^\[+([a-z_]+)\]+", line)
        if header:
            current = header.group(1)
        sections[current] = sections.get(current, "") + line + "\n"
    secrets = {"slack.bot_token", "slack.webhook_url"}
    keys = [k for k in _keys(Settings) if k not in secrets and k not in ("watch", "source_path")]
    keys += [f"watch.{k}" for k in _keys(Watch)]
    for key in keys:
        section, _, name = key.rpartition(".")
        found = re.search(rf"^#?\s*{name}\s*=", sections.get(section, ""), flags=re.M)
        assert found, f"{key} is not explained"
    assert not re.search(r"^\s*(bot_token|webhook_url)\s*=", text, flags=re.M)
    assert "SLACK_BOT_TOKEN" in text and "SLACK_WEBHOOK_URL" in text
    example, defaults = load_settings(EXAMPLE, env={}), Settings()
    for section in ("hkexnews", "schedule", "slack", "store", "daemon", "ops", "digest"):
        assert getattr(example, section) == getattr(defaults, section), section
