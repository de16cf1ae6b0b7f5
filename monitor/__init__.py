"""hkex-monitor: watch HKEXnews for filings, parse results, alert once on Slack."""

__version__ = "0.1.0"
