"""The validated, frozen configuration: the watchlist file plus environment overrides.

``load_settings(path)`` is the only way in. A bad file raises ``ConfigError`` whose message names
the file, the key, the bad value and what was expected (or, for a value from the environment, the
variable); nothing else in the program parses config. Secrets (Slack token, webhook URL, passwords)
are read from the environment only, and no error ever shows a value that looks like one.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from monitor.errors import ConfigError
from monitor.secrets import looks_secret, redact

ENV_HKEXNEWS_URL = "HKEX_MONITOR_HKEXNEWS_URL"
ENV_STORE_URL = "HKEX_MONITOR_STORE_URL"
ENV_SLACK_TOKEN = "SLACK_BOT_TOKEN"
ENV_SLACK_WEBHOOK = "SLACK_WEBHOOK_URL"
ENV_SLACK_API_URL = "SLACK_API_URL"
ENV_FIRST_RUN_HOURS = "HKEX_MONITOR_FIRST_RUN_HOURS"
ENV_HTTP_HOST = "HKEX_MONITOR_HTTP_HOST"  # a container publishes /healthz with 0.0.0.0
ENV_HTTP_PORT = "HKEX_MONITOR_HTTP_PORT"

DEFAULT_HKEXNEWS_URL = "https://www1.hkexnews.hk"
DEFAULT_STORE_URL = "sqlite:///~/.hkex-monitor/state.sqlite3"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"

_CODE = re.compile(r"^\d{1,5}$")


def normalise_code(raw: object) -> str:
    """'20', '0020', 20 -> '00020' (HKEX's five digits). Raises ValueError on anything else."""
    text = str(raw).strip()
    if not _CODE.match(text) or int(text) == 0:
        raise ValueError(f"a stock code of 1 to 5 digits such as \"2512\" or \"0020\", got {raw!r}")
    return text.zfill(5)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


# Names a watch's ``alert_on`` list may hold: every FilingKind value, and "results" for all three
# kinds of results. (Kept as strings here so settings need not import the filing model.)
ALERT_KINDS: tuple[str, ...] = (
    "results", "final_results", "interim_results", "quarterly_results", "profit_warning", "board_meeting",
    "results_delay", "dividend", "monthly_return", "next_day_disclosure", "financial_report", "other",
)
# What the two words mean: "results" is results announcements and profit warnings (as always).
ALERT_PRESETS: dict[str, tuple[str, ...]] = {
    "results": ("results", "profit_warning"),
    "all": ALERT_KINDS,
}


class Watch(_Frozen):
    """One watched stock. ``alert_on`` is "results", "all", or a list of ``ALERT_KINDS``."""

    code: str
    name: str | None = None
    channel: str | None = None
    alert_on: Literal["results", "all"] | tuple[str, ...] = "results"

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: object) -> str:
        return normalise_code(value)

    @field_validator("alert_on", mode="before")
    @classmethod
    def _alert_on(cls, value: object) -> object:
        if isinstance(value, str):
            if value not in ALERT_PRESETS:
                raise ValueError(f'"results", "all" or a list of kinds {list(ALERT_KINDS)}, got {value!r}')
            return value
        if not isinstance(value, list | tuple) or not value:
            raise ValueError(f'"results", "all" or a non-empty list of kinds {list(ALERT_KINDS)}, '
                             f"got {value!r}")
        unknown = [v for v in value if v not in ALERT_KINDS]
        if unknown:
            raise ValueError(f"unknown kind(s) {unknown}; the kinds are {list(ALERT_KINDS)}")
        return tuple(dict.fromkeys(value))

    @property
    def kinds(self) -> frozenset[str]:
        """The filing kinds this watch alerts on, "results" expanded to the three results kinds."""
        names = ALERT_PRESETS[self.alert_on] if isinstance(self.alert_on, str) else self.alert_on
        out = set(names)
        if "results" in out:
            out |= {"final_results", "interim_results", "quarterly_results"}
        out.discard("results")
        return frozenset(out)


class HKEXnewsSettings(_Frozen):
    """How to talk to HKEXnews: where, how politely, and what we accept back."""

    base_url: str = DEFAULT_HKEXNEWS_URL
    min_request_interval_s: float = Field(default=1.0, ge=0)
    timeout_s: float = Field(default=20.0, gt=0)
    retries: int = Field(default=3, ge=0, le=10)
    backoff_s: float = Field(default=2.0, ge=0)
    cooloff_s: float = Field(default=600.0, ge=0)
    max_document_mb: float = Field(default=50.0, gt=0)
    document_timeout_s: float = Field(default=120.0, gt=0)  # whole download, not per read
    boards: tuple[Literal["sehk", "gem"], ...] = ("sehk",)
    user_agent: str = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0 Safari/537.36"
    )

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f"an http(s) URL such as {DEFAULT_HKEXNEWS_URL}, got {value!r}")
        return value.rstrip("/")

    @property
    def max_document_bytes(self) -> int:
        return int(self.max_document_mb * 1024 * 1024)


class ScheduleSettings(_Frozen):
    """Poll intervals inside and outside HKEXnews' publication windows (Hong Kong time).

    Inside the windows the poll is timed just after the feed's next regeneration, learnt from its
    ``genDate`` (every ``learning_s`` until the cadence is known), unless ``in_window_s`` fixes an
    interval. ``results_day_s``: inside the windows of a day on which a watched stock's results
    board meeting falls (from its board-meeting notice), poll this often instead."""

    in_window_s: float | None = Field(default=None, ge=1)
    learning_s: float = Field(default=5.0, ge=1)
    off_window_s: float = Field(default=900.0, ge=1)
    results_day_s: float = Field(default=5.0, ge=1)
    misfire_grace_s: float = Field(default=30.0, ge=1)


class SlackSettings(_Frozen):
    """Where alerts go. Credentials come from the environment only."""

    default_channel: str = "#hkex-filings"
    api_url: str = DEFAULT_SLACK_API_URL
    bot_token: SecretStr | None = None
    webhook_url: SecretStr | None = None
    timeout_s: float = Field(default=10.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    min_post_interval_s: float = Field(default=1.0, ge=0)  # per channel, as Slack asks

    @field_validator("api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f"an http(s) URL such as {DEFAULT_SLACK_API_URL}, got {value!r}")
        return value if value.endswith("/") else value + "/"

    @property
    def mode(self) -> Literal["bot", "webhook", "console"]:
        if self.bot_token is not None:
            return "bot"
        if self.webhook_url is not None:
            return "webhook"
        return "console"


class StoreSettings(_Frozen):
    """Where dedupe and delivery state live: ``redis://...`` or ``sqlite:///path``."""

    url: str = DEFAULT_STORE_URL
    namespace: str = "hkexmon"
    lease_s: float = Field(default=120.0, gt=0)
    retention_days: int = Field(default=45, ge=1)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^(redis|rediss|unix|sqlite)://", value) and value != "memory://":
            raise ValueError(f"a store URL starting redis://, rediss:// or sqlite:///, got {value!r}")
        return value


class DaemonSettings(_Frozen):
    """The process itself: health/metrics port, heartbeat, reload check."""

    http_host: str = "127.0.0.1"
    http_port: int = Field(default=9108, ge=0, le=65535)
    heartbeat_s: float = Field(default=30.0, ge=1)
    reload_check_s: float = Field(default=5.0, ge=0.2)
    parse_timeout_s: float = Field(default=120.0, gt=0)
    parse_memory_mb: int = Field(default=2048, ge=256)
    parse_workers: int = Field(default=0, ge=0, le=64)  # warm parse processes; 0 = one per core
    parse_worker_max_documents: int = Field(default=50, ge=1)  # a worker is replaced after this many
    download_give_up_s: float = Field(default=1800.0, ge=0)
    first_run_hours: float = Field(default=2.0, ge=0)  # first start alerts only this recent; 0 = all
    reconcile_at: str = "23:30"  # HKT, daily, after the evening window: compare title search and feed

    @field_validator("reconcile_at")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        return _hhmm(value)


class OpsSettings(_Frozen):
    """Operational alarms: posted once to ``channel`` (and once when recovered), besides /healthz.

    Silence is an alarm: the feed's ``genDate`` not moving for ``feed_stale_s`` inside a window,
    polls failing for ``poll_failing_s``, or (``quiet_window``) a whole publication window with
    no filing at all for the whole market."""

    channel: str | None = None  # None: alarms go to slack.default_channel
    feed_stale_s: float = Field(default=1800.0, ge=60)
    poll_failing_s: float = Field(default=900.0, ge=60)
    quiet_window: bool = True


class DigestSettings(_Frozen):
    """The weekly digest of expected results, posted to each channel (Hong Kong time)."""

    enabled: bool = True
    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    time: str = "08:00"

    @field_validator("time")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        return _hhmm(value)


def _hhmm(value: str) -> str:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
    if not match:
        raise ValueError(f'a time of day "HH:MM" (24-hour, Hong Kong time), got {value!r}')
    return f"{int(match.group(1)):02d}:{match.group(2)}"


class Settings(_Frozen):
    """Everything the daemon needs, validated once per load."""

    watch: tuple[Watch, ...] = ()
    hkexnews: HKEXnewsSettings = HKEXnewsSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    slack: SlackSettings = SlackSettings()
    store: StoreSettings = StoreSettings()
    daemon: DaemonSettings = DaemonSettings()
    ops: OpsSettings = OpsSettings()
    digest: DigestSettings = DigestSettings()
    source_path: str | None = None

    @field_validator("watch")
    @classmethod
    def _unique(cls, watches: tuple[Watch, ...]) -> tuple[Watch, ...]:
        seen: set[str] = set()
        for w in watches:
            if w.code in seen:
                raise ValueError(f"each stock code once, but {w.code} is listed twice")
            seen.add(w.code)
        return watches

    def watch_for(self, code: str) -> Watch | None:
        for w in self.watch:
            if w.code == code:
                return w
        return None

    def channel_for(self, watch: Watch) -> str:
        return watch.channel or self.slack.default_channel

    @property
    def ops_channel(self) -> str:
        return self.ops.channel or self.slack.default_channel


# Environment variable -> the setting it overrides; the environment wins over the file.
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
        return Settings.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, data, where, from_env)) from None


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
