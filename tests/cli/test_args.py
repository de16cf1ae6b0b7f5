"""The command line's shape (``monitor.cli.args``) and what ``check-config`` prints (``monitor.cli.config``):
every command of ``COMMANDS`` has a parser and every parser a ``COMMANDS`` entry, the common options mean
the same before and after the command, bad values are usage errors that say what was expected, the
config file is found where the help says, and check-config shows what the settings mean.

(Each command's ``--help`` page opening with its description is tested in test_cli.py; here the
``alerts`` actions' pages, which are not in ``COMMANDS``.)"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from monitor import __version__
from monitor.cli.args import COMMANDS, DEFAULT_CONFIG_PLACES, ENV_CONFIG, build_parser, resolve_config
from monitor.cli.config import check_config
from monitor.settings import Settings

# The least each command needs to parse; a command added without a row here fails the test below.
MINIMAL: dict[str, list[str]] = {
    "run": [], "once": [], "check-config": [], "doctor": [], "parse": ["a.pdf"], "demo": [],
    "backfill": ["2512", "--since", "2025-01-01"], "alerts": ["list"], "reconcile": [], "test-alert": [],
    "show": ["2512"], "calendar": [],
}
ALERT_ACTIONS = {"list": [], "retry": [], "drop": ["2025082700123"], "reroute": []}


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(argv)
    assert exit_.value.code == 2
    return capsys.readouterr().err


def test_every_command_has_a_parser_and_every_parser_a_command() -> None:
    assert set(subcommands(build_parser())) == set(COMMANDS) == set(MINIMAL)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_parses_with_what_it_needs(command: str) -> None:
    args = build_parser().parse_args([command, *MINIMAL[command]])
    assert args.command == command
    assert (args.config, args.log_json, args.log_level) == (None, False, "INFO")  # the top level's defaults


def test_the_command_list_shows_each_commands_one_line_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["--help"])
    assert exit_.value.code == 0
    page = " ".join(capsys.readouterr().out.split())
    for name, (line, _) in COMMANDS.items():
        assert f"{name} {' '.join(line.split())}" in page


@pytest.mark.parametrize("action", sorted(ALERT_ACTIONS))
def test_each_alerts_action_parses_and_describes_itself(action: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    args = parser.parse_args(["alerts", action, *ALERT_ACTIONS[action]])
    assert (args.command, args.action) == ("alerts", action)
    actions = subcommands(subcommands(parser)["alerts"])
    assert set(actions) == set(ALERT_ACTIONS)
    description = actions[action].description
    assert description
    with pytest.raises(SystemExit):
        parser.parse_args(["alerts", action, "--help"])
    page = " ".join(capsys.readouterr().out.split())
    assert " ".join(description.split()) in page
    others = [d for name, p in actions.items() if name != action and (d := p.description)]
    assert all(" ".join(d.split())[:40] not in page for d in others)


def test_alerts_needs_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    assert "ACTION" in usage_error(["alerts"], capsys)


@pytest.mark.parametrize("argv", [
    ["--config", "w.toml", "--log-level", "debug", "--log-json", "once"],
    ["once", "--config", "w.toml", "--log-level", "debug", "--log-json"],
    ["--config", "w.toml", "once", "--log-level", "DEBUG", "--log-json"],
])
def test_common_options_mean_the_same_before_and_after_the_command(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert (args.command, args.config, args.log_level, args.log_json) == ("once", "w.toml", "DEBUG", True)


def test_an_option_after_the_command_wins_and_one_before_is_not_reset() -> None:
    args = build_parser().parse_args(["--log-level", "error", "alerts", "list", "--config", "b.toml"])
    assert (args.log_level, args.config) == ("ERROR", "b.toml")
    args = build_parser().parse_args(["--config", "a.toml", "show", "2512", "--config", "b.toml"])
    assert args.config == "b.toml"


@pytest.mark.parametrize(("argv", "said"), [
    (["backfill", "2512", "--since", "2025-13-01"], "a date YYYY-MM-DD, got '2025-13-01'"),
    (["reconcile", "--date", "yesterday"], "a date YYYY-MM-DD, got 'yesterday'"),
    (["calendar", "--days", "two"], "a number of days, 0 or more, got 'two'"),
    (["demo", "--port", "70000"], "a port number 0-65535, got '70000'"),
    (["backfill", "2512"], "--since"),
    (["parse"], "FILE"),
    (["show"], "CODE"),
    (["nonsense"], "invalid choice"),
])
def test_bad_values_are_usage_errors_saying_what_was_expected(argv: list[str], said: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert said in usage_error(argv, capsys)


def test_typed_values_arrive_typed() -> None:
    args = build_parser().parse_args(["backfill", "20", "--since", "2025-08-01", "--until", "2025-08-31",
                                      "--alert", "--json"])
    assert (str(args.since), str(args.until)) == ("2025-08-01", "2025-08-31")
    assert (args.code, args.alert, args.json) == ("20", True, True)
    assert build_parser().parse_args(["calendar", "--days", "0"]).days == 0
    assert build_parser().parse_args(["demo", "--serve", "--port", "0"]).port == 0
    assert build_parser().parse_args(["demo"]).port == 9108
    assert build_parser().parse_args(["run", "--no-http"]).no_http is True


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"hkex-monitor {__version__}"


# -- where the config comes from --------------------------------------------------------------------
@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory and a home with no config in them, and no $HKEX_MONITOR_CONFIG."""
    (tmp_path / "home").mkdir()
    (tmp_path / "work").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path / "work")
    monkeypatch.delenv(ENV_CONFIG, raising=False)
    return tmp_path


def test_config_comes_from_the_option_then_the_environment_then_the_usual_places(
        nowhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_config(None) is None  # the embedded defaults
    home = nowhere / "home" / ".config" / "hkex-monitor" / "watchlist.toml"
    home.parent.mkdir(parents=True)
    home.write_text("")
    assert resolve_config(None) == home
    local = nowhere / "work" / "config" / "watchlist.toml"
    local.parent.mkdir()
    local.write_text("")
    assert resolve_config(None) == DEFAULT_CONFIG_PLACES[0]  # config/watchlist.toml, before the home one
    monkeypatch.setenv(ENV_CONFIG, "/etc/hkex/from-env.toml")
    assert resolve_config(None) == Path("/etc/hkex/from-env.toml")
    assert resolve_config("given.toml") == Path("given.toml")


def test_a_folder_where_the_config_would_be_is_not_a_config(nowhere: Path) -> None:
    (nowhere / "work" / "config" / "watchlist.toml").mkdir(parents=True)
    assert resolve_config(None) is None


# -- check-config -----------------------------------------------------------------------------------
def test_check_config_says_what_the_settings_mean(capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings.model_validate({
        "watch": [{"code": "2512", "name": "Cloud Factory", "channel": "#results"},
                  {"code": "20", "alert_on": ["board_meeting", "profit_warning"]},
                  {"code": "*", "alert_on": "all", "channel": "#market"}],
        "hkexnews": {"boards": ["sehk", "gem"]},
        "schedule": {"in_window_s": 30, "off_window_s": 600},
        "store": {"url": "redis://127.0.0.1:6379/3"},
        "slack": {"default_channel": "#filings"},
    })
    monkeypatch.setenv("HKEX_MONITOR_FIRST_RUN_HOURS", "4")
    assert check_config(settings, Path("my-watchlist.toml")) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "my-watchlist.toml: OK"
    assert out[1] == "  environment overrides: HKEX_MONITOR_FIRST_RUN_HOURS"
    assert "  HKEXnews:  https://www1.hkexnews.hk (boards: sehk, gem)" in out
    assert "  store:     redis://127.0.0.1:6379/3" in out
    assert "  output:    console (default channel #filings)" in out
    assert "  schedule:  every 30s in publication windows, 600s outside" in out
    watches = [line.split() for line in out if line.startswith("  watch ")]
    assert watches == [["watch", "02512", "Cloud", "Factory", "->", "#results", "(results)"],
                       ["watch", "00020", "->", "#filings", "(board_meeting,", "profit_warning)"],
                       ["watch", "*", "->", "#market", "(all)"]]
    assert "offline" in out[-1] and "hkex-monitor doctor" in out[-1]


def test_check_config_of_the_embedded_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_config(Settings(), None) == 0
    out = capsys.readouterr().out
    assert out.startswith("embedded defaults: OK\n") and "environment overrides" not in out
    assert "just after each regeneration of the feed in publication windows, 900s outside" in out
