"""The validated, frozen configuration: the watchlist file plus environment overrides.

``load_settings(path)`` is the only way in (``load``); the sections, their keys and what a value
must be are in ``sections``. A bad file raises ``ConfigError`` whose message names the file, the
key, the bad value and what was expected (or, for a value from the environment, the variable);
nothing else in the program parses config. Secrets (Slack token, webhook URL, passwords) are read
from the environment only, and no error ever shows a value that looks like one.
"""

from monitor.settings.load import (
    ENV_FIRST_RUN_HOURS,
    ENV_HKEXNEWS_URL,
    ENV_HTTP_HOST,
    ENV_HTTP_PORT,
    ENV_OVERRIDES,
    ENV_SLACK_API_URL,
    ENV_SLACK_TOKEN,
    ENV_SLACK_WEBHOOK,
    ENV_STORE_URL,
    load_settings,
    settings_from_mapping,
)
from monitor.settings.sections import (
    ALERT_KINDS,
    ALERT_PRESETS,
    DEFAULT_HKEXNEWS_URL,
    DEFAULT_SLACK_API_URL,
    DEFAULT_STORE_URL,
    EVERY_STOCK,
    DaemonSettings,
    DigestSettings,
    HKEXnewsSettings,
    OpsSettings,
    ScheduleSettings,
    Settings,
    SlackSettings,
    StoreSettings,
    Watch,
    check_channel,
    normalise_code,
)

__all__ = ["ALERT_KINDS", "ALERT_PRESETS", "DEFAULT_HKEXNEWS_URL", "DEFAULT_SLACK_API_URL",
           "DEFAULT_STORE_URL", "ENV_FIRST_RUN_HOURS", "ENV_HKEXNEWS_URL", "ENV_HTTP_HOST", "ENV_HTTP_PORT",
           "ENV_OVERRIDES", "ENV_SLACK_API_URL", "ENV_SLACK_TOKEN", "ENV_SLACK_WEBHOOK", "ENV_STORE_URL",
           "EVERY_STOCK", "DaemonSettings", "DigestSettings", "HKEXnewsSettings", "OpsSettings",
           "ScheduleSettings", "Settings", "SlackSettings", "StoreSettings", "Watch", "check_channel",
           "load_settings", "normalise_code", "settings_from_mapping"]
