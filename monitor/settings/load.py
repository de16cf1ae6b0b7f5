"""The validated, frozen configuration: the watchlist file plus environment overrides.

``load_settings(path)`` is the only way in. A bad file raises ``ConfigError`` whose message names
the file, the key, the bad value and what was expected (or, for a value from the environment, the
variable); nothing else in the program parses config. Secrets (Slack token, webhook URL, passwords)
are read from the environment only, and no error ever shows a value that looks like one.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from monitor.errors import ConfigError
from monitor.secrets import looks_secret, redact, redact_url
from monitor.settings.sections import Settings

ENV_HKEXNEWS_URL = "HKEX_MONITOR_HKEXNEWS_URL"
ENV_STORE_URL = "HKEX_MONITOR_STORE_URL"
ENV_SLACK_TOKEN = "SLACK_BOT_TOKEN"
ENV_SLACK_WEBHOOK = "SLACK_WEBHOOK_URL"
ENV_SLACK_API_URL = "SLACK_API_URL"
ENV_FIRST_RUN_HOURS = "HKEX_MONITOR_FIRST_RUN_HOURS"
ENV_HTTP_HOST = "HKEX_MONITOR_HTTP_HOST"  # a container publishes /healthz with 0.0.0.0
ENV_HTTP_PORT = "HKEX_MONITOR_HTTP_PORT"

ENV_OVERRIDES: dict[str, tuple[str, str]] = {
    ENV_HKEXNEWS_URL: ("hkexnews", "base_url"),
    ENV_STORE_URL: ("store", "url"),
    ENV_SLACK_API_URL: ("slack", "api_url"),
    ENV_SLACK_TOKEN: ("slack", "bot_token"),
    ENV_SLACK_WEBHOOK: ("slack", "webhook_url"),
    ENV_FIRST_RUN_HOURS: ("daemon", "first_run_hours"),
    ENV_HTTP_HOST: ("daemon", "http_host"),
    ENV_HTTP_PORT: ("daemon", "http_port"),
}


def _env_overrides(env: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, (section, key) in ENV_OVERRIDES.items():
        if env.get(name, "").strip():
            out.setdefault(section, {})[key] = env[name].strip()  # a stray newline from `echo` is no value
    return out


_SECRET_KEYS = {"bot_token", "webhook_url", "token"}


def _reject_secrets_in_file(data: Mapping[str, Any], where: str) -> None:
    slack = data.get("slack")
    if isinstance(slack, Mapping):
        for key in _SECRET_KEYS & set(slack):
            raise ConfigError(
                f"{where}: key 'slack.{key}': secrets are not read from files; "
                f"set {ENV_SLACK_TOKEN} or {ENV_SLACK_WEBHOOK} in the environment instead"
            )
    store = data.get("store")
    url = store.get("url") if isinstance(store, Mapping) else None
    if isinstance(url, str) and redact_url(url) != url:
        raise ConfigError(f"{where}: key 'store.url' (value not shown: it holds a password): secrets are not "
                          f"read from files; put the whole URL, password included, in {ENV_STORE_URL}")


def _describe(err: ValidationError, data: Mapping[str, Any], where: str,
              from_env: Mapping[tuple[str, str], str]) -> str:
    """One line per error: where (the file and key, or the environment variable), the value (never a
    secret) and what was expected."""
    lines = []
    for e in err.errors():
        loc = e["loc"]
        key = ".".join(str(p) for p in loc) or "(top level)"
        # Name watch entries by their 1-based position and code, as the user wrote them.
        if loc and loc[0] == "watch" and len(loc) > 1 and isinstance(loc[1], int):
            entries = data.get("watch") or []
            code = entries[loc[1]].get("code") if loc[1] < len(entries) else None
            key = f"watch[{loc[1] + 1}]" + (f" (code {code!r})" if code is not None else "")
            key += "".join(f".{p}" for p in loc[2:])
        value = e.get("input")
        msg = e["msg"].removeprefix("Value error, ")
        name = str(loc[-1]) if loc else None
        if e["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling against config/watchlist.example.toml)"
            if looks_secret(name, value):
                msg = (f"unknown key, holding what looks like a secret: secrets are read only from the "
                       f"environment ({ENV_SLACK_TOKEN}, {ENV_SLACK_WEBHOOK}; a Redis password inside "
                       f"{ENV_STORE_URL}); remove it from the file")
        elif e["type"] == "missing":
            msg = "required key is missing"
            value = None
        if looks_secret(name) and value is not None:  # a password is not recognisable by its value
            shown = " (value not shown: the key names a secret)"
        else:  # redact() below masks tokens, webhook URLs and URL credentials inside the value
            shown = "" if value is None or isinstance(value, dict) else f" = {value!r}"
        env_name = from_env.get((str(loc[0]), str(loc[1]))) if len(loc) >= 2 else None
        if env_name:
            lines.append(f"environment variable {env_name}{shown}: {msg} "
                         f"(it overrides key '{key}' of {where})")
        else:
            lines.append(f"{where}: key '{key}'{shown}: {msg}")
    return redact("\n".join(lines))


def settings_from_mapping(
    data: Mapping[str, Any], *, env: Mapping[str, str] | None = None, where: str = "<config>"
) -> Settings:
    """Validate a parsed TOML mapping plus environment overrides into ``Settings``."""
    env = os.environ if env is None else env
    _reject_secrets_in_file(data, where)
    merged: dict[str, Any] = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in data.items()}
    for section, values in _env_overrides(env).items():
        base = merged.get(section) or {}
        if not isinstance(base, dict):
            shown = "(not shown: it looks like a secret)" if looks_secret(section, base) else repr(base)
            raise ConfigError(redact(f"{where}: key '{section}' = {shown}: expected a table [{section}]"))
        merged[section] = {**base, **values}
    merged["source_path"] = where
    from_env = {place: name for name, place in ENV_OVERRIDES.items() if env.get(name, "").strip()}
    try:
        settings = Settings.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, data, where, from_env)) from None
    if not settings.watch:
        raise ConfigError(f"{where}: no [[watch]] entry: the watchlist watches nothing. Add one table per "
                          f"stock ([[watch]] then code = \"2512\"), or code = \"*\" for every listed stock")
    return settings


def load_settings(path: str | Path | None, *, env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate a watchlist file; ``None`` means the embedded defaults."""
    if path is None:
        from importlib.resources import files

        text = files("monitor").joinpath("default_watchlist.toml").read_text(encoding="utf-8")
        where = "<embedded default watchlist>"
    else:
        p = Path(path).expanduser()
        where = str(p)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{where}: no such file (pass --config PATH, or copy "
                              f"config/watchlist.example.toml there)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{where}: cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None
    return settings_from_mapping(data, env=env, where=where)
