"""The configuration's sections as frozen, validated models: what each key means, its default, and
what a value must be. ``monitor.settings.load`` reads them from the file and the environment."""

from __future__ import annotations

import ipaddress
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

DEFAULT_HKEXNEWS_URL = "https://www1.hkexnews.hk"
DEFAULT_STORE_URL = "sqlite:///~/.hkex-monitor/state.sqlite3"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"

_CODE = re.compile(r"^\d{1,5}$")
EVERY_STOCK = "*"  # a [[watch]] code meaning every listed stock, Main Board and GEM
# A channel: "#name" (Slack's rules: lower case, no spaces or full stops, at most 80 characters) or an id.
_CHANNEL_NAME = re.compile(r"^#[^\sA-Z.,#@!?'\"<>|/\\:;*&^%$()+=\[\]{}~`]{1,80}$")
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")


def normalise_code(raw: object) -> str:
    """'20', '0020', 20 -> '00020' (HKEX's five digits). Raises ValueError on anything else."""
    text = str(raw).strip()
    if not _CODE.match(text) or int(text) == 0:
        raise ValueError(f"a stock code of 1 to 5 digits such as \"2512\" or \"0020\", got {raw!r}")
    return text.zfill(5)


def check_channel(value: str) -> str:
    """A Slack channel as the config may name it: "#name" or a channel id (C..., G..., D...)."""
    if _CHANNEL_ID.match(value) or _CHANNEL_NAME.match(value):
        return value
    if not value.startswith("#") and _CHANNEL_NAME.match("#" + value):
        raise ValueError(f'a channel starts with "#": write "#{value}"')
    raise ValueError(f'a Slack channel: "#name" (lower case letters, digits, "-" and "_", no spaces) or a '
                     f"channel id such as C0123ABCD, got {value!r}")


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
        if isinstance(value, str) and value.strip() == EVERY_STOCK:
            return EVERY_STOCK
        return normalise_code(value)

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        return None if value is None else check_channel(value)

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
    # Post a filing's alert as soon as it is found and add the figures to that message when read
    # (chat.update). None: on with a bot token (a webhook and the console cannot edit).
    announce_first: bool | None = None
    max_retry_after_s: float = Field(default=30.0, ge=0)  # `once` waits out a rate limit this long

    @field_validator("default_channel")
    @classmethod
    def _default_channel(cls, value: str) -> str:
        return check_channel(value)

    @field_validator("bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        token = None if value is None else value.get_secret_value()
        if token is not None and not re.fullmatch(r"xox[a-z]-[A-Za-z0-9-]+", token):
            raise ValueError("a Slack bot token such as xoxb-... (the Bot User OAuth Token of the app's "
                             "OAuth & Permissions page)")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: SecretStr | None) -> SecretStr | None:
        url = None if value is None else value.get_secret_value()
        if url is not None and not re.match(r"^https?://[^/\s]+/\S+$", url):
            # said without a scheme: a whole webhook URL, even an example, is masked wherever it is shown
            raise ValueError("an incoming webhook URL as Slack gives it: https, host hooks.slack.com, path "
                             "/services/T.../B.../...")
        return value

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

    @property
    def announces_first(self) -> bool:
        """Whether alerts are posted first and edited with the figures: only a bot can edit."""
        return self.mode == "bot" and self.announce_first is not False


class StoreSettings(_Frozen):
    """Where dedupe and delivery state live: ``redis://...`` or ``sqlite:///path``."""

    url: str = DEFAULT_STORE_URL
    namespace: str = "hkexmon"
    # How long a claimed alert or a document being read stays its holder's without a renewal: a live
    # holder renews every third of it; a dead one's work is taken over after it (at once, when the
    # holder's heartbeat is gone).
    lease_s: float = Field(default=10.0, ge=1)
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

    @field_validator("http_host")
    @classmethod
    def _host(cls, value: str) -> str:
        if re.fullmatch(r"[\d.]+", value) or ":" in value:
            try:
                ipaddress.ip_address(value)
            except ValueError:
                raise ValueError(f"an IP address of this host (127.0.0.1, or 0.0.0.0 for every interface) or "
                                 f"a host name, got {value!r}, which is not an IP address") from None
            return value
        if not _HOSTNAME.match(value):
            raise ValueError(f"an IP address (127.0.0.1, 0.0.0.0) or a host name, got {value!r}")
        return value


class OpsSettings(_Frozen):
    """Operational alarms: posted once to ``channel`` (and once when recovered), besides /healthz.

    Silence is an alarm: the feed's ``genDate`` not moving for ``feed_stale_s`` inside a window,
    polls failing for ``poll_failing_s``, or (``quiet_window``) a whole publication window with
    no filing at all for the whole market."""

    channel: str | None = None  # None: alarms go to slack.default_channel

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        return None if value is None else check_channel(value)
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

    @field_validator("watch", mode="before")
    @classmethod
    def _tables(cls, value: object) -> object:
        if isinstance(value, str | int | dict):
            shown = f"{value!r}" if not isinstance(value, dict) else "one table"
            raise ValueError(f"a list of [[watch]] tables, one per stock: write [[watch]] on a line of its "
                             f"own and code = \"2512\" under it (got {shown})")
        return value

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
        """The watch of this stock: its own [[watch]] entry, else the whole-market one (code "*")."""
        everything = None
        for w in self.watch:
            if w.code == code:
                return w
            if w.code == EVERY_STOCK:
                everything = w
        return everything

    @property
    def watches_everything(self) -> bool:
        return any(w.code == EVERY_STOCK for w in self.watch)

    @property
    def watching(self) -> str:
        """What is watched, in words for the operator: '2 stocks', 'the whole market' or 'the whole
        market (3 stocks with watches of their own)'."""
        own = len(self.codes)
        stocks = f"{own} stock{'' if own == 1 else 's'}"
        if not self.watches_everything:
            return stocks
        if not own:
            return "the whole market"
        own_watch = "a watch of its own" if own == 1 else "watches of their own"
        return f"the whole market ({stocks} with {own_watch})"

    @property
    def codes(self) -> tuple[str, ...]:
        """The stocks watched by their own [[watch]] entry (not the whole-market one)."""
        return tuple(w.code for w in self.watch if w.code != EVERY_STOCK)

    def channel_for(self, watch: Watch) -> str:
        return watch.channel or self.slack.default_channel

    @property
    def ops_channel(self) -> str:
        return self.ops.channel or self.slack.default_channel
