"""``hkex-monitor doctor``: is the live set-up ready? One line per check, with what to do when it fails.

In order: the configuration (the file and environment, offline, as ``check-config``); the store (Redis
answers a ping, or the SQLite file is writable or can be created); HKEXnews (one latest-feed request,
and how old its ``genDate`` is); Slack (``auth.test``; the token's scopes, from the ``x-oauth-scopes``
header, against ``REQUIRED_SCOPES``; every routed channel exists, is not archived and has the bot as a
member). Doctor never posts a message and never writes state. Nothing it prints holds a secret.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from monitor.errors import ConfigError, SourceError, StoreError
from monitor.secrets import redact, redact_url
from monitor.settings import (
    ENV_HKEXNEWS_URL,
    ENV_SLACK_API_URL,
    ENV_SLACK_TOKEN,
    ENV_SLACK_WEBHOOK,
    ENV_STORE_URL,
    Settings,
    load_settings,
)
from notifiers.errors import CredentialsRejectedError, NotifierError
from notifiers.workspace import SlackWorkspace

# The bot token scopes README asks for: posting, and reading history to find an earlier post.
REQUIRED_SCOPES = ("chat:write", "channels:history", "channels:read")
PRIVATE_SCOPES = ("groups:history", "groups:read")  # only for private channels
_AUTH_HELP = (f"set {ENV_SLACK_TOKEN} to the app's Bot User OAuth Token (xoxb-..., on the app's "
              "OAuth & Permissions page; reinstall the app if the token was revoked)")

Status = Literal["ok", "warn", "FAIL"]


@dataclass(frozen=True)
class Check:
    """One check's verdict; ``fix`` says what to do when it is not ok."""

    status: Status
    name: str
    detail: str
    fix: str = ""

    def line(self) -> str:
        text = f"{self.status:<4}  {self.name:<12} {self.detail}"
        if self.fix and self.status != "ok":
            text = text.rstrip(".") + f". To fix: {self.fix}"
        return redact(text)


def run_doctor(path: Path | None, *, emit: Callable[[Check], None]) -> int:
    """Run every check, ``emit`` each as it completes; exit status 0 ok, 1 a check failed, 2 bad config."""
    try:
        settings = load_settings(path)
    except ConfigError as exc:
        emit(Check("FAIL", "config", f"{path or 'embedded defaults'} is not valid:\n      "
                   + str(exc).replace("\n", "\n      "),
                   "correct what is listed (config/watchlist.example.toml explains every key)"))
        return 2
    emit(Check("ok", "config", f"{path or 'embedded defaults'}: watching {settings.watching}, "
               f"output {settings.slack.mode}"))
    failed = False
    for check in (check_store(settings), check_hkexnews(settings), *check_slack(settings)):
        emit(check)
        failed = failed or check.status == "FAIL"
    return 1 if failed else 0


# -- store ----------------------------------------------------------------------------------------
def check_store(settings: Settings) -> Check:
    url = settings.store.url
    if url.startswith("sqlite://") or url == "memory://":
        return _check_sqlite(url)
    from monitor.store import open_store

    shown = redact_url(url)
    fix = (f"start Redis (e.g. `systemctl start redis-server`), or correct {ENV_STORE_URL} / store.url; "
           "a password goes in the URL: redis://:PASSWORD@host:6379/0")
    wrong_database = ("the database number in the URL is beyond what this Redis has (16 by default, "
                      f"0-15): correct {ENV_STORE_URL} / store.url, or raise `databases` in redis.conf")
    try:
        store = open_store(url, namespace=settings.store.namespace,
                           retention_days=settings.store.retention_days)
    except StoreError as exc:
        return Check("FAIL", "store", str(exc), fix)
    try:
        store.ping()
    except StoreError as exc:
        if "db index is out of range" in str(exc).lower():
            return Check("FAIL", "store", f"Redis answers but refuses the database: {exc}", wrong_database)
        return Check("FAIL", "store", f"Redis does not answer: {exc}", fix)
    finally:
        store.close()
    return Check("ok", "store", f"Redis at {shown} answers")


def _check_sqlite(url: str) -> Check:
    from monitor.store.sqlite import sqlite_path

    raw = sqlite_path(url)
    if raw == ":memory:":
        return Check("warn", "store", "in memory: nothing survives a restart, so filings may be "
                     "alerted again", "set store.url to sqlite:///PATH or redis://HOST:6379/0")
    path = Path(raw)
    fix = (f"make {path.parent} writable by the user that runs hkex-monitor, or set store.url "
           f"({ENV_STORE_URL}) to a writable place")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
            return Check("FAIL", "store", f"SQLite file {path} (or its folder) is not writable by this user",
                         fix)
        return Check("ok", "store", f"SQLite file {path} is writable")
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    why = _cannot_create_in(parent)
    if why:
        return Check("FAIL", "store", f"SQLite file {path} cannot be created: {why}", fix)
    return Check("ok", "store", f"SQLite file {path} will be created at the first start")


def _cannot_create_in(folder: Path) -> str | None:
    """Why a file (and the folders below it) cannot be made in ``folder``, or None. Tried for real
    with a temporary file removed at once: permission bits do not tell (root, a read-only or a
    virtual file system such as /proc)."""
    if not folder.is_dir():
        return f"{folder} is not a folder"
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return f"nothing can be written in {folder} ({exc.strerror or exc})"
    return None


# -- HKEXnews -------------------------------------------------------------------------------------
def check_hkexnews(settings: Settings, *, now: Callable[[], float] = time.time) -> Check:
    from monitor.hkexnews.client import HKEXnewsClient

    base = redact_url(settings.hkexnews.base_url)
    client = HKEXnewsClient(settings.hkexnews.model_copy(update={"retries": 0}))
    try:
        page = client.latest_page(settings.hkexnews.boards[0])
    except SourceError as exc:
        return Check("FAIL", "HKEXnews", f"cannot read the latest-filings feed: {exc}",
                     f"check the network (and proxy) to {base}, and hkexnews.base_url / {ENV_HKEXNEWS_URL}; "
                     "HTTP 403/503 means HKEXnews' CDN refuses this machine for now: wait, and keep "
                     "hkexnews.min_request_interval_s at 1 or more")
    finally:
        client.close()
    if page.generated_at.timestamp() <= 0:
        return Check("warn", "HKEXnews", f"{base}: the feed answers ({len(page.filings)} filings on page 1) "
                     "but gives no generation time (genDate 0)",
                     "if this is real HKEXnews, report it: the feed's shape may have changed")
    age = now() - page.generated_at.timestamp()
    what = f"{base}: feed generated {_duration(age)} ago, {len(page.filings)} filings on page 1"
    if age < -120:
        return Check("warn", "HKEXnews", f"{base}: the feed says it was generated {_duration(-age)} in the "
                     "future", "set this machine's clock (NTP): publication windows follow Hong Kong time")
    if age > settings.ops.feed_stale_s:
        return Check("warn", "HKEXnews", what, "outside publication hours this is normal; otherwise a cache "
                     "between here and HKEXnews may serve an old copy")
    return Check("ok", "HKEXnews", what)


def _duration(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.0f} days"


# -- Slack ----------------------------------------------------------------------------------------
def check_slack(settings: Settings) -> list[Check]:
    slack = settings.slack
    if slack.mode == "console":
        return [Check("warn", "Slack", f"neither {ENV_SLACK_TOKEN} nor {ENV_SLACK_WEBHOOK} is set: "
                      "alerts are printed to the console",
                      f"set {ENV_SLACK_TOKEN} in the environment to post to Slack")]
    if slack.mode == "webhook":
        return [Check("warn", "Slack", "incoming webhook: not checked (a webhook can only post, and doctor "
                      "never posts); the webhook fixes the channel",
                      f"prefer {ENV_SLACK_TOKEN}: it can be checked, and lets the monitor look in the "
                      "channel before re-sending")]
    assert slack.bot_token is not None
    client = SlackWorkspace(slack.bot_token.get_secret_value(), api_url=slack.api_url,
                            timeout_s=slack.timeout_s)
    api = redact_url(slack.api_url)
    try:
        who = client.identity()
    except NotifierError as exc:
        fix = _AUTH_HELP if isinstance(exc, CredentialsRejectedError) else (
            f"check the network (and proxy) to {api}, and {ENV_SLACK_API_URL} if set")
        return [Check("FAIL", "Slack token", str(exc), fix)]
    checks = [Check("ok", "Slack token", f"valid: bot @{who.user} in workspace {who.team} ({api})")]
    if not who.is_bot:
        checks.append(Check("warn", "Slack token", "this is not a bot token (xoxb-...): messages would "
                            "post as a user", _AUTH_HELP))
    checks.append(_check_scopes(None if who.scopes is None else set(who.scopes)))
    # Private channels are listed only with groups:read (asked for anyway when Slack does not say).
    private = who.scopes is None or "groups:read" in who.scopes
    checks.extend(_check_channels(client, settings, who.user, private=private))
    return checks


def _check_scopes(scopes: set[str] | None) -> Check:
    if scopes is None:
        return Check("warn", "Slack scopes", "Slack did not say which scopes the token has (no "
                     "x-oauth-scopes header)", f"make sure the app has {', '.join(REQUIRED_SCOPES)}")
    missing = [s for s in REQUIRED_SCOPES if s not in scopes]
    how = "add them under OAuth & Permissions > Bot Token Scopes, reinstall the app and use the new token"
    if missing:
        has = ", ".join(sorted(scopes)) or "none"
        return Check("FAIL", "Slack scopes", f"missing {', '.join(missing)} (has: {has})", how)
    private = [s for s in PRIVATE_SCOPES if s not in scopes]
    if private:
        return Check("warn", "Slack scopes", f"{', '.join(REQUIRED_SCOPES)} present; without "
                     f"{', '.join(private)} private channels cannot be found or read", how)
    return Check("ok", "Slack scopes", ", ".join(REQUIRED_SCOPES + PRIVATE_SCOPES) + " present")


def routed_channels(settings: Settings) -> list[str]:
    """Every channel the config sends to: each watch's, and the ops alarms'."""
    return sorted({settings.channel_for(w) for w in settings.watch} | {settings.ops_channel})


def _check_channels(client: SlackWorkspace, settings: Settings, bot: str, *, private: bool) -> list[Check]:
    wanted = routed_channels(settings)
    try:
        found = client.channels(wanted, private=private)
    except NotifierError as exc:
        return [Check("FAIL", "Slack channels", str(exc), "give the app channels:read (and groups:read for "
                      "private channels), reinstall it, and use the new token")]
    checks = []
    for channel in wanted:
        info = found[channel]
        name = f"channel {channel}"
        if info is None:
            checks.append(Check("FAIL", name, "not found", "create it, or correct the channel in the "
                                "watchlist (a private channel is visible only once the bot is invited, and "
                                "with groups:read)"))
        elif info.is_archived:
            checks.append(Check("FAIL", name, f"is archived ({info.id})",
                                "unarchive it, or route the stocks elsewhere"))
        elif not info.is_member:
            checks.append(Check("FAIL", name, f"exists ({info.id}) but the bot is not a member",
                                f"in Slack, type `/invite @{bot}` in {channel}"))
        else:
            checks.append(Check("ok", name, f"exists ({info.id}), the bot is a member"))
    return checks
