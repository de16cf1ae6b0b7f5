"""``hkex-monitor check-config``: the file and environment, offline, and what they mean."""

from __future__ import annotations

import os
from pathlib import Path

from monitor.secrets import redact, redact_url
from monitor.settings import ENV_OVERRIDES, Settings


def check_config(settings: Settings, path: Path | None) -> int:
    env = [name for name in ENV_OVERRIDES if os.environ.get(name, "").strip()]
    print(f"{path or 'embedded defaults'}: OK")
    if env:
        print(f"  environment overrides: {', '.join(env)}")
    boards = ", ".join(settings.hkexnews.boards)
    print(f"  HKEXnews:  {redact_url(settings.hkexnews.base_url)} (boards: {boards})")
    print(f"  store:     {redact_url(settings.store.url)}")
    print(redact(f"  output:    {settings.slack.mode} (default channel {settings.slack.default_channel})"))
    inside = (f"every {settings.schedule.in_window_s:g}s" if settings.schedule.in_window_s else
              "just after each regeneration of the feed")
    print(f"  schedule:  {inside} in publication windows, "
          f"{settings.schedule.off_window_s:g}s outside")
    for w in settings.watch:  # names and channels are free text: a token pasted there is not shown either
        print(redact(f"  watch {w.code} {w.name or '':<20} -> {settings.channel_for(w)} "
                     f"({alert_on(w.alert_on)})"))
    print("This checked the file and environment only (offline). `hkex-monitor doctor` checks the live "
          "set-up: the store, HKEXnews and Slack.")
    return 0


def alert_on(value: str | tuple[str, ...]) -> str:
    return value if isinstance(value, str) else ", ".join(value)
