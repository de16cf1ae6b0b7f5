"""Watchlist config: validation into a frozen object, clear errors, environment overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

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
    assert "watch[1] (code '2512').alert_on" in msg and "'everything'" in msg and "'results' or 'all'" in msg
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
