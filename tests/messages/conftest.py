"""Fixtures: the Slack Web API stand-in (``make_filing`` lives in tests/conftest.py)."""

from slackstandin import slack_standin  # noqa: F401  (a real local HTTP server)
